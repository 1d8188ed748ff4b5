# SPDX-License-Identifier: BSD-3-Clause
"""What test_takeover.py and bench/restart_gap.py share: two network
namespaces (10.9.0.1 and 10.9.0.2) joined through sluiced by af_packet
ports on veths, 10,000 rules, and a ping every 10 ms whose longest
silence is the traffic gap of a restart or a takeover. The gap is taken
from ping's own timestamps (-D) between two replies, so it does not
depend on how fast the test reads."""
import json
import os
import re
import signal
import subprocess
import time

import sltest

NS = [f"slto1-{os.getpid()}", f"slto2-{os.getpid()}"]
INTERVAL_S = 0.01
RULES = 10000


AF_XDP = "net_af_xdp,iface=sl2,start_queue=0,queue_count=1"


def topology(eth2="net_af_packet,iface=sl2"):
    """The two hosts' ports, and a VIF: a network's rules are built for
    its VIFs' MACs."""
    topo = sltest.Topology()
    net = topo.network("xenbr0")
    topo.pif("eth1", "net_af_packet,iface=sl1", net)
    topo.pif("eth2", eth2, net)
    topo.vif("vif1.0", "net_null,no-rx=1", "02:00:00:00:0a:01", net)
    return topo


def setup():
    sltest.hosts(NS)


def teardown():
    sltest.hosts_gone(NS)


def load_rules(d, workdir):
    """10,000 rules no ping meets, in batches under the request limit, and
    one that counts the pings to 10.9.0.2 (cookie 0xc1)."""
    path = os.path.join(workdir, "rules.json")
    rules = [{"bridge": "xenbr0", "direction": "to", "protocol": "tcp",
              "port": str(1 + i % 60000), "ipRange": f"10.{100 + (i >> 8)}.{i & 255}.0/24",
              "allow": "false", "priority": "100"} for i in range(RULES)]
    for start in range(0, RULES, 5000):
        with open(path, "w") as f:
            json.dump(rules[start:start + 5000], f)
        d.ctl("add-rules", f"rules=@{path}")
    d.ctl("add-rule", "bridge=xenbr0", "direction=to", "protocol=icmp",
          "ipRange=10.9.0.2", "allow=true", "cookie=0xc1", "priority=400")


def warm_up():
    """Until a ping goes through (ARP and both MACs learned), then a clean
    run each way."""
    assert sltest.reaches(NS[0], "10.9.0.2")
    check_ping()


def check_ping():
    for ns, addr in ((NS[0], "10.9.0.2"), (NS[1], "10.9.0.1")):
        out = sltest.ping(ns, addr)
        assert " 0% packet loss" in out, out


REPLY = re.compile(r"^\[(\d+\.\d+)\] .*icmp_seq=(\d+)")


class Pinger:
    """ping -i 0.01 from a namespace (the first) to an address (the
    second's) while the block runs; then its replies' timestamps."""

    def __init__(self, ns=None, addr="10.9.0.2"):
        self.ns, self.addr = ns or NS[0], addr

    def __enter__(self):
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.ns, "ping", "-D", "-n", "-i", str(INTERVAL_S),
             "-W", "1", self.addr], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        self.started = time.time()
        time.sleep(0.5)		# replies before the change
        return self

    def settle(self):
        """Give the traffic time to come back before the count ends (at
        the block's end)."""
        time.sleep(1.5)

    def __exit__(self, *exc):
        self.settle()
        self.ended = time.time()
        self.proc.send_signal(signal.SIGINT)
        self.out, _ = self.proc.communicate(timeout=10)
        self.replies = [(float(m.group(1)), int(m.group(2)))
                        for m in map(REPLY.match, self.out.splitlines()) if m]
        m = re.search(r"(\d+) packets transmitted, (\d+) received", self.out)
        self.transmitted, self.received = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        return False

    def gap_ms(self):
        """The longest time without a reply (from the start, between two,
        to the end), less the interval."""
        times = [self.started] + [t for t, _ in self.replies] + [self.ended]
        gaps = [b - a for a, b in zip(times, times[1:])]
        return max(0.0, (max(gaps, default=0.0) - INTERVAL_S) * 1000.0)

    def replied_after_takeover(self):
        """Replies came after the longest silence (traffic is back)."""
        times = [t for t, _ in self.replies]
        if len(times) < 2:
            return False
        gaps = [b - a for a, b in zip(times, times[1:])]
        worst = gaps.index(max(gaps))
        return len(times) - (worst + 1) >= 10

    def sent(self):
        return self.transmitted

    def lost(self):
        return self.transmitted - self.received
