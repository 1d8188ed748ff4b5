"""The Linux kernel as a peer: two network namespaces, each a host with an
IPv4 address, joined to sluiced through veth pairs (one port af_packet, the
other af_xdp), ping each other through the switch."""
import os
import subprocess
import time

import sltest
from sltest import Daemon, Topology, port_stats, sh

NS = [f"slh1-{os.getpid()}", f"slh2-{os.getpid()}"]


def setup():
    sltest.hosts(NS)


def teardown():
    sltest.hosts_gone(NS)


def ping(ns, addr, count=3):
    r = subprocess.run(f"ip netns exec {ns} ping -c {count} -i 0.2 -W 2 {addr}",
                       shell=True, text=True, capture_output=True)
    return r.stdout + r.stderr


def ping_both_ways():
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


AF_XDP = "net_af_xdp,iface=sl2,start_queue=0,queue_count=1"


def two_hosts(eth2=AF_XDP):
    """eth1 an af_packet port to the first host, eth2 (af_xdp unless
    given) to the second, on one network."""
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth1", "net_af_packet,iface=sl1", net)
    topo.pif("eth2", eth2, net)
    return topo


def test_ping_both_ways():
    topo = two_hosts()
    d = Daemon(topo, sltest.workdir("ping"))
    try:
        ping_both_ways()
        st = d.stats()
        # ARP and ICMP went through both kinds of port, both ways
        for dev in ("eth1", "eth2"):
            p = port_stats(st, dev)
            assert p["rx-packets"] >= 6 and p["tx-packets"] >= 6, p
        assert st["fdb"]["learned"] >= 2, st["fdb"]
        # the worker's recent load and its queues' shares (pmd-rxq-show):
        # both ports gave it packets in the last minute. The windows need
        # two samples (one a second): wait for them, do not count on it.
        for _ in range(100):
            if "last-second" in st["workers"][0]:
                break
            time.sleep(0.1)
            st = d.stats()
        w = st["workers"][0]
        assert w["packets"] == sum(p["rx-packets"] for p in st["ports"]), w
        for key in ("last-second", "last-ten-seconds", "last-minute"):
            assert 0 <= w[key]["busy-pct"] <= 100 and w[key]["packets"] <= w["packets"], w
        assert w["last-minute"]["packets"] >= w["last-ten-seconds"]["packets"] >= \
            w["last-second"]["packets"], w
        queues = {q["port"]: q for q in w["rx-queues"]}
        assert sorted(queues) == ["eth1", "eth2"], w["rx-queues"]
        assert all(q["busy-pct-last-minute"] > 0 for q in queues.values()), queues
        assert sum(q["busy-pct-last-minute"] for q in queues.values()) <= 100.01, queues
        text = d.ctl("stats")[1]
        assert "rx eth1 queue 0:" in text and "last-minute busy" in text, text

        # stats-clear: stats counts from here; gauges keep their values,
        # the stats file (SIGUSR1) still counts since start
        before = d.json("stats")
        d.ctl("stats-clear")
        cleared = d.json("stats")
        assert "since-clear-s" in cleared and "since-clear-s" not in before
        for dev in ("eth1", "eth2"):
            assert port_stats(cleared, dev)["rx-packets"] == 0, port_stats(cleared, dev)
            assert port_stats(cleared, dev)["MTU"] == port_stats(before, dev)["MTU"]
        assert cleared["fdb"]["learned"] == 0 and \
            cleared["fdb"]["entries"] == before["fdb"]["entries"], cleared["fdb"]
        assert cleared["workers"][0]["busy-cycles"] < before["workers"][0]["busy-cycles"]
        out = ping(NS[0], "10.9.0.2")
        assert " 0% packet loss" in out, out
        after = d.json("stats")
        # three echo requests came in by eth1 (and ARP, if it was asked)
        assert 3 <= port_stats(after, "eth1")["rx-packets"] <= 5, port_stats(after, "eth1")
        assert port_stats(d.stats(), "eth1")["rx-packets"] >= \
            port_stats(before, "eth1")["rx-packets"] + 3
    finally:
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


def test_idle_workers_sleep():
    """--idle-sleep-max-us: the worker sleeps while nothing comes (the
    time slept grows), and traffic still passes both ways."""
    topo = two_hosts()
    d = Daemon(topo, sltest.workdir("idle-sleep"), args=["--idle-sleep-max-us", "500"])
    try:
        assert d.json("status")["idle-sleep-max-us"] == 500

        def slept():
            return d.json("stats")["workers"][0]["slept-s"]
        first = slept()
        sltest.wait_for(lambda: slept() > first, "the idle worker to sleep")
        ping_both_ways()
        # asleep is neither busy nor polling: the three shares make the whole
        w = d.json("stats")["workers"][0]
        assert w["sleep-cycles"] > 0 and w["busy-cycles"] > 0, w
        assert 0 < w["sleep-pct"] < 100 and w["busy-pct"] + w["sleep-pct"] <= 100.01, w
        sltest.wait_for(lambda: "last-second" in d.json("stats")["workers"][0],
                        "the load windows")
        win = d.json("stats")["workers"][0]["last-minute"]
        assert win["busy-pct"] + win["sleep-pct"] <= 100.01, win
        assert "asleep" in d.ctl("stats")[1]
    finally:
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


def test_af_xdp_unplug_and_plug_again():
    """An af_xdp port unplugged and plugged again in one daemon comes back.
    DPDK 22.11's PMD leaves its queue's socket open at close, which kept
    the interface's queue bound until sluiced exited (xsk_fds.h): every
    attach after the unplug failed. sluice closes that socket now, and the
    kernel lets the queue go 10-45 ms later; a plug right after the unplug
    waits for that (xsk_queue.h) instead of failing, the first time and
    every time."""
    topo = two_hosts()
    d = Daemon(topo, sltest.workdir("xdp-replug"))
    try:
        ping_both_ways()
        eth2 = [p["uuid"] for p in d.json("pif-list") if p["device"] == "eth2"][0]
        for _ in range(3):
            d.ctl("pif-unplug", f"uuid={eth2}")
            d.ctl("pif-plug", f"uuid={eth2}")     # at once: the queue is held
            assert port_stats(d.stats(), "eth2")["kind"] == "af_xdp"
            ping_both_ways()
        d.ctl("pif-unplug", f"uuid={eth2}")
        out = ping(NS[0], "10.9.0.2", count=1)
        assert "100% packet loss" in out, out
        d.ctl("pif-plug", f"uuid={eth2}")
        ping_both_ways()
        assert d.wait_log("PIF eth2: its interface's queue was held by a closing socket"), \
            d.log[-3000:]
    finally:
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


def test_ip_fragments_pass_as_fragments():
    """An IPv4 datagram larger than the MTU crosses in fragments, as the
    sender's kernel cut it. DPDK 22.11's af_packet PMD joins every socket
    to a fanout group with PACKET_FANOUT_FLAG_DEFRAG: the kernel then
    reassembled the fragments before sluice saw them, and the whole
    datagram, over the network's MTU, was dropped (rx_oversize). sluiced
    takes that flag out (main/packet_fanout.c). Both ways, each through
    the af_packet port's receive side once (eth1 af_packet, eth2 af_xdp),
    and through two af_packet ports."""
    for eth2 in (AF_XDP, "net_af_packet,iface=sl2"):
        topo = two_hosts(eth2)
        d = Daemon(topo, sltest.workdir("frag"))
        try:
            ping_both_ways()
            for ns, addr in ((NS[0], "10.9.0.2"), (NS[1], "10.9.0.1")):
                r = subprocess.run(f"ip netns exec {ns} ping -c 3 -i 0.2 -W 2 "
                                   f"-s 4000 -M dont {addr}", shell=True, text=True,
                                   capture_output=True)
                assert " 0% packet loss" in r.stdout, (eth2, r.stdout, r.stderr)
            st = d.stats()
            for reason in ("rx_oversize", "mtu_exceeded"):
                assert st["drops"].get(reason, 0) == 0, st["drops"]
            # 3 fragments a datagram, 3 requests and 3 replies each way
            assert port_stats(st, "eth1")["rx-packets"] >= 18, port_stats(st, "eth1")
        finally:
            code, _ = d.stop()
        assert code == 0, d.log


def test_no_path_without_the_switch():
    """The control: with sluiced stopped nothing connects the hosts."""
    out = ping(NS[0], "10.9.0.2", count=1)
    assert "100% packet loss" in out, out


if __name__ == "__main__":
    try:
        setup()
        sltest.run([test_no_path_without_the_switch, test_ping_both_ways,
                    test_af_xdp_unplug_and_plug_again, test_ip_fragments_pass_as_fragments,
                    test_idle_workers_sleep])
    finally:
        teardown()
