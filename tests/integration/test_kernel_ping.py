"""The Linux kernel as a peer: two network namespaces, each a host with an
IPv4 address, joined to sluiced through veth pairs (one port af_packet, the
other af_xdp), ping each other through the switch."""
import os
import subprocess

import sltest
from sltest import Daemon, Topology, port_stats, sh

NS = [f"slh1-{os.getpid()}", f"slh2-{os.getpid()}"]


def setup():
    sltest.quiet_netns()
    for i, ns in enumerate(NS, 1):
        sh(f"ip netns add {ns}")
        sltest.veth(f"sl{i}", f"h{i}", netns=ns)
        sh(f"ip netns exec {ns} ip addr add 10.9.0.{i}/24 dev h{i}")


def teardown():
    for ns in NS:
        sh(f"ip netns del {ns}", check=False)


def ping(ns, addr, count=3):
    r = subprocess.run(f"ip netns exec {ns} ping -c {count} -i 0.2 -W 2 {addr}",
                       shell=True, text=True, capture_output=True)
    return r.stdout + r.stderr


def test_ping_both_ways():
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth1", "net_af_packet,iface=sl1", net)
    topo.pif("eth2", "net_af_xdp,iface=sl2,start_queue=0,queue_count=1", net)
    d = Daemon(topo, sltest.workdir("ping"))
    try:
        # forget the failed ARP of the check without the switch, and let the
        # first ARP exchange happen before counting losses
        for ns in NS:
            sh(f"ip netns exec {ns} ip neigh flush all")
        for _ in range(10):
            if " 0% packet loss" in ping(NS[0], "10.9.0.2", count=1):
                break
        out = ping(NS[0], "10.9.0.2")
        assert " 0% packet loss" in out, out
        out = ping(NS[1], "10.9.0.1")
        assert " 0% packet loss" in out, out
        st = d.stats()
        # ARP and ICMP went through both kinds of port, both ways
        for dev in ("eth1", "eth2"):
            p = port_stats(st, dev)
            assert p["rx-packets"] >= 6 and p["tx-packets"] >= 6, p
        assert st["fdb"]["learned"] >= 2, st["fdb"]
    finally:
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


def test_no_path_without_the_switch():
    """The control: with sluiced stopped nothing connects the hosts."""
    out = ping(NS[0], "10.9.0.2", count=1)
    assert "100% packet loss" in out, out


if __name__ == "__main__":
    try:
        setup()
        sltest.run([test_no_path_without_the_switch, test_ping_both_ways])
    finally:
        teardown()
