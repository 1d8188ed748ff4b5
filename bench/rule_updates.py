#!/usr/bin/env python3
"""Rule updates end to end: the add-rule/del-rule round trip (a client's
request sent to its answer, the state saved included) on a switch holding
10,000 rules, as Xen Orchestra drives it; 1,000 updates in a row; rule-list
with a filter; and, for comparison in the same run, state-export, which
serialises the whole state as every change did before the journal.

Runs the real sluiced (SLUICE_BUILD, or --build) on net_null ports with a
state file in a temporary directory: no traffic, no hugepage set-up."""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

MAC = "02:00:00:00:00:01"


def state_with_rules(n):
    net = str(uuid.uuid4())
    rules = [{"id": i + 1, "network-uuid": net, "mac": MAC, "direction": "to",
              "protocol": "tcp", "ipRange": f"10.{i >> 8 & 255}.{i & 255}.0/24",
              "port": 1 + i % 60000, "allow": False, "priority": 100,
              "cookie": "0x0"} for i in range(n)]
    return {"sluice-state": 1,
            "networks": [{"uuid": net, "name-label": "bench", "bridge": "xenbr0"}],
            "vifs": [{"uuid": str(uuid.uuid4()), "device": "vif1", "MAC": MAC,
                      "devargs": "net_null,no-rx=1", "network-uuid": net}],
            "rules": rules}


class Client:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.buf = b""

    def call(self, method, params):
        self.s.sendall(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method,
                                   "params": params}).encode() + b"\n")
        while b"\n" not in self.buf:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise SystemExit("sluiced closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        answer = json.loads(line)
        if "error" in answer:
            raise SystemExit(f"{method}: {answer['error']}")
        return answer["result"]

    def timed(self, method, params):
        t = time.perf_counter()
        self.call(method, params)
        return (time.perf_counter() - t) * 1000.0


def rule(port):
    return {"bridge": "xenbr0", "mac": MAC, "direction": "to", "protocol": "udp",
            "ipRange": "192.168.0.0/16", "port": str(port), "allow": "false"}


def p99(samples):
    return sorted(samples)[min(len(samples) - 1, int(len(samples) * 0.99))]


def measure(build, rules, updates):
    work = tempfile.mkdtemp(prefix="sluice-updates-")
    state, sock = os.path.join(work, "state.json"), os.path.join(work, "ctl.sock")
    with open(state, "w") as f:
        json.dump(state_with_rules(rules), f, indent=2)
    size = os.path.getsize(state)
    proc = subprocess.Popen([os.path.join(build, "main", "sluiced"), "--state", state,
                             "--socket", sock, "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        while True:
            try:
                c = Client(sock)
                c.call("status", {})
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if proc.poll() is not None or time.time() > deadline:
                    raise SystemExit(f"sluiced did not start: {proc.stderr.read()}")
                time.sleep(0.1)
        for i in range(20):	# warm-up: the journal opened, caches
            c.call("add-rule", rule(50000 + i))
            c.call("del-rule", rule(50000 + i))
        rtt = []
        start = time.perf_counter()
        for i in range(updates // 2):
            rtt.append(c.timed("add-rule", rule(40000 + i)))
            rtt.append(c.timed("del-rule", rule(40000 + i)))
        total = time.perf_counter() - start
        listed = [c.timed("rule-list", {"port": "77"}) for _ in range(20)]
        # a sluiced from before state-export (measuring the old way) has none
        has_export = "state-export" in c.call("list-commands", {})
        export = [c.timed("state-export", {}) for _ in range(5)] if has_export else None
        c.s.close()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return {"rules": rules, "state_bytes": size, "updates": len(rtt),
            "rtt_median_ms": statistics.median(rtt), "rtt_p99_ms": p99(rtt),
            "updates_total_s": total,
            "rule_list_filtered_median_ms": statistics.median(listed),
            "state_export_median_ms": statistics.median(export) if export else None}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.environ.get("SLUICE_BUILD", "build"))
    ap.add_argument("--rules", type=int, default=10000)
    ap.add_argument("--updates", type=int, default=1000)
    ap.add_argument("--json", help="write the figures there")
    a = ap.parse_args()
    r = measure(os.path.abspath(a.build), a.rules, a.updates)
    print()
    print(f"Rule updates end to end at {r['rules']} rules "
          f"(state file {r['state_bytes'] / 1e6:.1f} MB):")
    print("| add-rule/del-rule round trip median ms | p99 ms | "
          f"{r['updates']} updates in a row s | rule-list port=77 ms "
          "| state-export ms (the whole state, as every change before) | ratio |")
    print("|---|---|---|---|---|---|")
    export = r["state_export_median_ms"]
    print(f"| {r['rtt_median_ms']:.2f} | {r['rtt_p99_ms']:.2f} | "
          f"{r['updates_total_s']:.2f} | {r['rule_list_filtered_median_ms']:.2f} | "
          + (f"{export:.2f} | {export / r['rtt_median_ms']:.0f}x |" if export else "- | - |"))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(r, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
