#!/usr/bin/env python3
"""What --idle-sleep-max-us costs in latency and saves in CPU: sluiced with
two af_packet ports on veth pairs into two network namespaces, one worker;
for each value given (0: busy polling), the CPU time of sluiced over an
idle window (utime + stime from /proc) and ping's round trip through it
at two intervals (a 10 ms and a 200 ms gap: after a gap the worker sleeps
its longest). Run as root in a network namespace of its own, with the
integration tests' environment (SLUICED, SLUICECTL; PYTHONPATH at
tests/integration):

    unshare --net -- python3 bench/idle_sleep.py 0 100 500 [--idle 10]
"""
import argparse
import os
import re
import subprocess
import time

import sltest
from sltest import Daemon, Topology, sh

NS = [f"slb1-{os.getpid()}", f"slb2-{os.getpid()}"]


def cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rtt(interval, count):
    out = subprocess.run(
        f"ip netns exec {NS[0]} ping -q -c {count} -i {interval} 10.9.0.2",
        shell=True, text=True, capture_output=True).stdout
    m = re.search(r"= ([\d.]+)/([\d.]+)/([\d.]+)/([\d.]+) ms", out)
    loss = re.search(r"(\d+)% packet loss", out)
    return (float(m.group(2)) * 1000, float(m.group(3)) * 1000,
            loss.group(1) if loss else "?") if m else (0, 0, "100")


def measure(max_us, idle_s, count):
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth1", "net_af_packet,iface=sl1", net)
    topo.pif("eth2", "net_af_packet,iface=sl2", net)
    d = Daemon(topo, sltest.workdir("idle-sleep-bench"),
               args=["--idle-sleep-max-us", str(max_us)])
    try:
        for ns in NS:
            sh(f"ip netns exec {ns} ip neigh flush all")
        sltest.reaches(NS[0], "10.9.0.2")
        time.sleep(1)
        c0, t0 = cpu_s(d.proc.pid), time.time()
        time.sleep(idle_s)
        cpu = 100 * (cpu_s(d.proc.pid) - c0) / (time.time() - t0)
        fast = rtt(0.01, count)
        slow = rtt(0.2, max(20, count // 10))
        w = d.json("stats")["workers"][0]
    finally:
        d.stop()
    return cpu, fast, slow, w["sleep-pct"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("values", nargs="+", type=int)
    ap.add_argument("--idle", type=float, default=10)
    ap.add_argument("--count", type=int, default=200)
    a = ap.parse_args()
    sltest.quiet_netns()
    try:
        for i, ns in enumerate(NS, 1):
            sh(f"ip netns add {ns}")
            sltest.veth(f"sl{i}", f"h{i}", netns=ns)
            sh(f"ip netns exec {ns} ip addr add 10.9.0.{i}/24 dev h{i}")
        print("| --idle-sleep-max-us | sluiced CPU idle | RTT avg / max, ping every 10 ms | "
              "RTT avg / max, every 200 ms | asleep (share of the worker's time) |")
        print("|---|---|---|---|---|")
        for v in a.values:
            cpu, fast, slow, asleep = measure(v, a.idle, a.count)
            print(f"| {v} | {cpu:.1f} % | {fast[0]:.0f} / {fast[1]:.0f} µs ({fast[2]}% loss) | "
                  f"{slow[0]:.0f} / {slow[1]:.0f} µs ({slow[2]}% loss) | {asleep:.1f} % |",
                  flush=True)
    finally:
        for ns in NS:
            sh(f"ip netns del {ns}", check=False)


if __name__ == "__main__":
    main()
