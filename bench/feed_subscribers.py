#!/usr/bin/env python3
"""Fan-out of the change feed: N concurrent SSE subscribers on one instance.

usage: feed_subscribers.py BASE_URL KEY SERVER_PID SUBSCRIBERS EVENTS

Opens SUBSCRIBERS streams (GET /api/v1/runners/events, Accept: text/event-stream), reads the
server's RSS before and after, then makes EVENTS changes (heartbeats that flip a runner between
online and offline, one every 50 ms) and measures, for every subscriber and event, the time from
sending the write to the event's arrival. Prints RSS growth, deliveries and p50/p99.
"""
import asyncio
import json
import sys
import time
import urllib.request


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def call(base, key, method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


async def subscribe(host, port, key, arrivals, ready):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write((f"GET /api/v1/runners/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n"
                  f"Authorization: Bearer {key}\r\n\r\n").encode())
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        raise SystemExit("subscription refused: " + status.decode())
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    ready.set_result(True)
    buffer = b""
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            return
        now = time.monotonic()
        buffer += chunk
        for line in buffer.split(b"\n")[:-1]:
            if line.startswith(b"id: "):
                arrivals.append((int(line[4:]), now))
        buffer = buffer.split(b"\n")[-1]


async def main():
    base, key, pid, subscribers, events = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    host, port = base.split("//")[1].split(":")
    port = int(port)
    runner = call(base, key, "POST", "/api/v1/runners", {"name": "fan-out", "version": "1", "os": "linux", "arch": "amd64"})["runner"]["id"]
    before = rss_mib(pid)
    loop = asyncio.get_running_loop()
    arrivals = [[] for _ in range(subscribers)]
    readies = []
    tasks = []
    for i in range(subscribers):
        ready = loop.create_future()
        readies.append(ready)
        tasks.append(asyncio.create_task(subscribe(host, port, key, arrivals[i], ready)))
        if i % 50 == 49:
            await asyncio.sleep(0.05)
    await asyncio.wait_for(asyncio.gather(*readies), 120)
    await asyncio.sleep(2)
    connected = rss_mib(pid)
    acked = {}
    for n in range(events):
        status = "online" if n % 2 == 0 else "offline"
        # from the moment the write is sent: an upper bound of commit-to-delivery (subscribers of this
        # instance are told right after the commit, often before the writer has its answer)
        acked[n] = time.monotonic()
        await loop.run_in_executor(None, call, base, key, "POST", f"/api/v1/runners/{runner}/heartbeat", {"status": status})
        await asyncio.sleep(0.05)
    await asyncio.sleep(5)
    after = rss_mib(pid)
    first = min((v for a in arrivals for v, _ in a), default=0)
    latencies = []
    missing = 0
    for received in arrivals:
        seen = {v: t for v, t in received}
        for n in range(events):
            t = seen.get(first + n)
            if t is None:
                missing += 1
            else:
                latencies.append((t - acked[n]) * 1000)
    latencies.sort()
    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan")
    print(f"subscribers {subscribers}, events {events}, deliveries {len(latencies)}, missing {missing}")
    print(f"RSS before {before:.0f} MiB, with subscribers {connected:.0f} MiB, after the events {after:.0f} MiB, "
          f"growth {after - before:.0f} MiB")
    print(f"fan-out latency from the write to the arrival: p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, "
          f"max {latencies[-1] if latencies else float('nan'):.1f} ms")
    for task in tasks:
        task.cancel()


asyncio.run(main())
