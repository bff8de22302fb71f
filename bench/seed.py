#!/usr/bin/env python3
"""Seeds a running Runners API through its public API: one organization, N runners, pods.

Usage: seed.py BASE_URL ADMIN_TOKEN RUNNERS PODS_ON_FIRST_RUNNER
Prints the write key and the id of the runner that holds the pods.
"""
import http.client
import json
import sys
import urllib.parse
import uuid


def main():
    base, admin, runners, pods = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)

    def call(method, path, body, token):
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        if response.status >= 300:
            raise SystemExit(f"{method} {path} -> {response.status} {data[:300]!r}")
        return json.loads(data) if data else None

    slug = "bench-" + uuid.uuid4().hex[:8]
    call("POST", "/api/v1/admin/organizations", {"slug": slug, "name": "Benchmark"}, admin)
    key = call("POST", f"/api/v1/admin/organizations/{slug}/api-keys",
               {"name": "bench", "scopes": ["runners:write"]}, admin)["secret"]
    first = None
    for i in range(runners):
        labels = ["gpu"] if i % 3 == 0 else (["high-memory", "linux"] if i % 3 == 1 else ["linux"])
        runner = call("POST", "/api/v1/runners", {"name": f"runner-{i:05d}", "version": "1.2.0", "os": "linux",
                                                   "arch": "amd64", "labels": labels, "max_pods": 1000}, key)["runner"]
        first = first or runner["id"]
        call("POST", f"/api/v1/runners/{runner['id']}/heartbeat",
             {"status": "online" if i % 4 else "offline"}, key)
    for p in range(pods):
        call("PUT", f"/api/v1/runners/{first}/pods/pod-{p:05d}",
             {"status": "running" if p % 5 else "completed", "agent_type_id": "claude-code",
              "initial_prompt": "Fix the login bug " * 4}, key)
    print(key, first)


if __name__ == "__main__":
    main()
