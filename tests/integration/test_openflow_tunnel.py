# SPDX-License-Identifier: BSD-3-Clause
"""A tunnel Interface's ofport as a flow's in_port: Xen Orchestra's
private network (a vxlan Interface, as XO inserts it) against the Linux
kernel's vxlan device on another host; a flow naming the tunnel's ofport
judges what is decapsulated from that remote, as in OVS, and a flow
naming the VIF's does not. ping (the kernel's stack) is the oracle of
what passes; the flow's counters say which flow took it."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import sltest  # noqa: E402
from sltest import quiet_netns, reaches  # noqa: E402
from test_ovsdb_xo import (GUESTS, KERNEL_GUEST, KERNEL_HOST, KERNEL_IP,  # noqa: E402
                           PRIVATE, host_and_kernel)


def ofctl(*args):
    r = subprocess.run(["ovs-ofctl", *args], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, (args, r.stderr)
    return r.stdout


def n_packets(out, match):
    for line in out.splitlines():
        if line.rstrip().endswith(match) or f", {match} " in line:
            return int(re.search(r"n_packets=(\d+)", line).group(1))
    raise AssertionError(f"no flow {match} in {out}")


def test_tunnel_in_port():
    with host_and_kernel() as a:
        iface = a.add_tunnel(1, "vxlan", KERNEL_IP)
        tun = a.db.get("interface", iface, "ofport")
        vif = a.db.get("interface", "vif1.0", "ofport")
        mgmt = "unix:" + os.path.join(a.db.dir, f"{PRIVATE}.mgmt")
        sltest.wait_for(lambda: os.path.exists(mgmt[5:]), "the bridge's .mgmt")
        assert reaches(KERNEL_HOST, GUESTS["A"]), "the kernel's VXLAN to sluice's"
        # ICMP from the tunnel dropped; the VIF's own in_port flow does
        # not see the remote's packets
        ofctl("add-flow", mgmt, f"priority=100,icmp,in_port={tun},actions=drop")
        ofctl("add-flow", mgmt, f"priority=90,icmp,in_port={vif},actions=normal")
        assert not reaches(KERNEL_HOST, GUESTS["A"]), "ICMP from the tunnel passes"
        out = ofctl("dump-flows", mgmt)
        assert n_packets(out, f"priority=100,icmp,in_port={tun}") >= 1, out
        # the guest's requests go out (its own flow), the replies drop
        assert not reaches(a.guest, KERNEL_GUEST), "the replies from the tunnel pass"
        out = ofctl("dump-flows", mgmt)
        assert n_packets(out, f"priority=90,icmp,in_port={vif}") >= 1, out
        # deleted: both ways again
        ofctl("--strict", "del-flows", mgmt, f"priority=100,icmp,in_port={tun}")
        assert reaches(KERNEL_HOST, GUESTS["A"]), "the tunnel after the flow went"
        assert reaches(a.guest, KERNEL_GUEST)

if __name__ == "__main__":
    quiet_netns()
    sltest.run([test_tunnel_in_port])
