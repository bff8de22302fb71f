#!/usr/bin/env python3
"""Fan-out of the change feed: many concurrent SSE subscribers, and how late each event reaches them.

usage: feed_subscribers.py --write BASE --key KEY --pid PID --subscribers N --events E [--interval S]
                           [--far BASE --far-pid PID --far-subscribers M]

Opens N streams (GET /api/v1/runners/events, Accept: text/event-stream) on the instance at --write
(and M on the instance at --far, which only hears of the writes through PostgreSQL LISTEN/NOTIFY),
reads each server's RSS before the streams open, once they are open and after the events, then makes
E changes through --write (heartbeats that flip one runner between online and offline, one every
--interval seconds) and measures, for every subscriber and event, when the event arrived.

Where the clock starts, printed with each figure:
  - "from the event's at": the event's own `at`, the server's clock when the write was applied,
    inside its transaction just before the commit; so an upper bound of commit-to-delivery (client
    and server share this machine's clock);
  - "from the write's answer": when the writer had its HTTP answer (the commit is before that); a
    subscriber of the writing instance is often told before the writer, so this one can be negative.
The arrival is when this client read the frame: the client's own delays (one asyncio loop for all
streams) are inside every figure.
"""
import argparse
import asyncio
import json
import os
import sys
import time
import urllib.request
from datetime import datetime, timezone

STREAM_PATH = "/api/v1/runners/events"


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


def call(base, key, method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def instant(text):
    """An ISO-8601 instant as written by java.time.Instant (up to nine fraction digits), in epoch seconds."""
    whole, _, fraction = text.rstrip("Z").partition(".")
    seconds = datetime.fromisoformat(whole).replace(tzinfo=timezone.utc).timestamp()
    return seconds + (float("0." + fraction) if fraction else 0.0)


class Refused(Exception):
    """The server answered a stream with something else than 200 (a 503 when its pool was busy)."""


class Subscriber(asyncio.Protocol):
    """One stream: status line and headers, then every `id:` line with the wall-clock time it was read."""

    def __init__(self, host, key, ready):
        self.host, self.key, self.ready = host, key, ready
        self.arrivals = []
        self.buffer = b""
        self.headers_done = False
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        transport.write((f"GET {STREAM_PATH} HTTP/1.1\r\nHost: {self.host}\r\nAccept: text/event-stream\r\n"
                         f"Authorization: Bearer {self.key}\r\n\r\n").encode())

    def data_received(self, data):
        now = time.time()
        self.buffer += data
        if not self.headers_done:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = self.buffer.split(b"\r\n", 1)[0]
            if b" 200 " not in status and not self.ready.done():
                self.ready.set_exception(Refused(self.buffer.decode(errors="replace")))
                self.transport.close()
                return
            self.headers_done = True
            self.buffer = self.buffer[end + 4:]
            if not self.ready.done():
                self.ready.set_result(True)
        lines = self.buffer.split(b"\n")
        self.buffer = lines.pop()
        for line in lines:
            # the body is chunked: a chunk-size line never starts with "id: "
            if line.startswith(b"id: "):
                self.arrivals.append((int(line[4:]), now))

    def connection_lost(self, exc):
        if not self.ready.done():
            self.ready.set_exception(Refused(f"stream closed before its headers: {exc}"))


async def open_streams(loop, base, key, count, batch=25):
    """Opens the streams 25 at a time, each batch once the one before has its answers (a ramp, not a
    flood: a thousand requests at once on a busy machine miss the server's header deadline or its
    pool's wait). A refused stream is opened again after a second, five times at most; the
    refusals are counted and printed."""
    host, port = base.split("//")[1].split(":")
    subscribers, refusals = [], []

    async def one():
        for attempt in range(6):
            ready = loop.create_future()
            subscriber = Subscriber(host, key, ready)
            await loop.create_connection(lambda s=subscriber: s, host, int(port))
            try:
                await asyncio.wait_for(ready, 120)
                return subscriber
            except Refused as refused:
                refusals.append(str(refused).split("\r\n", 1)[0])
                if attempt == 5:
                    raise
                await asyncio.sleep(1)

    for start in range(0, count, batch):
        subscribers += await asyncio.gather(*(one() for _ in range(min(batch, count - start))))
    if refusals:
        print(f"  {len(refusals)} stream openings on {base} were refused and tried again: "
              f"{sorted(set(refusals))}")
    return subscribers


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(p * len(sorted_values)))]


def report(label, subscribers, events, acked):
    at = {e["version"]: instant(e["at"]) for e in events}
    answered = {e["version"]: acked[i] for i, e in enumerate(events)} if len(events) == len(acked) else {}
    from_at, from_answer, missing, extra = [], [], 0, 0
    for subscriber in subscribers:
        seen = {}
        for version, arrived in subscriber.arrivals:
            if version in seen:
                extra += 1
            seen.setdefault(version, arrived)
        for version in at:
            arrived = seen.get(version)
            if arrived is None:
                missing += 1
                continue
            from_at.append((arrived - at[version]) * 1000)
            if version in answered:
                from_answer.append((arrived - answered[version]) * 1000)
    from_at.sort()
    from_answer.sort()
    print(f"  {label}: {len(subscribers)} subscribers x {len(events)} events = {len(from_at)} deliveries, "
          f"missing {missing}, duplicates {extra}")
    print(f"    from the event's at (upper bound of commit-to-delivery): p50 {percentile(from_at, 0.5):.1f} ms, "
          f"p99 {percentile(from_at, 0.99):.1f} ms, max {from_at[-1] if from_at else float('nan'):.1f} ms")
    if from_answer:
        print(f"    from the write's HTTP answer:                          p50 {percentile(from_answer, 0.5):.1f} ms, "
              f"p99 {percentile(from_answer, 0.99):.1f} ms, max {from_answer[-1]:.1f} ms")
    return percentile(from_at, 0.99), missing


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--far")
    parser.add_argument("--far-pid", type=int)
    parser.add_argument("--far-subscribers", type=int, default=0)
    args = parser.parse_args()
    loop = asyncio.get_running_loop()

    runner = call(args.write, args.key, "POST", "/api/v1/runners",
                  {"name": f"fan-out-{int(time.time())}", "version": "1", "os": "linux", "arch": "amd64"})["runner"]["id"]
    rss = {"near": [rss_mib(args.pid)], "far": [rss_mib(args.far_pid)] if args.far_pid else []}
    near = await open_streams(loop, args.write, args.key, args.subscribers)
    far = await open_streams(loop, args.far, args.key, args.far_subscribers) if args.far and args.far_subscribers else []
    await asyncio.sleep(2)
    rss["near"].append(rss_mib(args.pid))
    if args.far_pid:
        rss["far"].append(rss_mib(args.far_pid))
    since = call(args.write, args.key, "GET", STREAM_PATH + "?wait=0")["version"]

    acked = []
    cpu_before = {"server": cpu_seconds(args.pid), "client": time.process_time(), "wall": time.time()}
    for n in range(args.events):
        status = "online" if n % 2 == 0 else "offline"
        await loop.run_in_executor(None, call, args.write, args.key, "POST", f"/api/v1/runners/{runner}/heartbeat",
                                   {"status": status})
        acked.append(time.time())
        await asyncio.sleep(args.interval)
    await asyncio.sleep(3)
    cpu = {"server": cpu_seconds(args.pid) - cpu_before["server"],
           "client": time.process_time() - cpu_before["client"], "wall": time.time() - cpu_before["wall"]}
    rss["near"].append(rss_mib(args.pid))
    if args.far_pid:
        rss["far"].append(rss_mib(args.far_pid))

    events = [e for e in call(args.write, args.key, "GET", f"{STREAM_PATH}?since={since}&wait=0&limit=1000")["events"]
              if e["runner_id"] == runner]
    if len(events) != args.events:
        print(f"  expected {args.events} events of the fan-out runner, the feed holds {len(events)}", file=sys.stderr)
    for name, values in rss.items():
        if values:
            print(f"  RSS of the {'writing' if name == 'near' else 'other'} instance: before the streams "
                  f"{values[0]:.0f} MiB, with them {values[1]:.0f} MiB, after the events {values[2]:.0f} MiB: "
                  f"growth {values[2] - values[0]:.0f} MiB")
    print(f"  CPU while the events were written and delivered ({cpu['wall']:.1f} s): writing instance "
          f"{cpu['server']:.1f} s, this client {cpu['client']:.1f} s (of its one thread)")
    p99, missing = report("writing instance (in-process delivery)", near, events, acked)
    failed = missing > 0
    if far:
        _, far_missing = report("other instance (through PostgreSQL LISTEN/NOTIFY)", far, events, acked)
        failed = failed or far_missing > 0
    for subscriber in near + far:
        subscriber.transport.close()
    if failed:
        sys.exit(1)


asyncio.run(main())
