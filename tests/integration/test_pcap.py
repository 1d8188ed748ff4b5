"""Trace replay through pcap ports, counted to the packet: unicast to static
VIF MACs, broadcast and unknown unicast flooded, every malformed frame
dropped under its own name, a null port as a sink. Run with one worker and
with two, where pcap ports (one tx queue) take the hand-off path. Output
traces are decoded with scapy."""
import os
import time

from scapy.all import ARP, IP, TCP, UDP, Dot1Q, Ether, Raw, rdpcap, wrpcap

import sltest
from sltest import Daemon, Topology, port_stats

EXT = "02:aa:00:00:00:01"
V1, V2, V3 = "02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"
UNKNOWN = "02:00:00:00:00:99"
BCAST = "ff:ff:ff:ff:ff:ff"


def udp(src, dst, tag):
    return Ether(src=src, dst=dst) / IP(src="10.0.0.9", dst="10.0.0.1") / UDP(sport=40000, dport=40001) / Raw(tag)


def malformed():
    """(reason, frame bytes) for every parse drop reachable from a trace."""
    good = bytes(udp(EXT, V1, b"x" * 8))
    bad_version = bytearray(good)
    bad_version[14] = 0x65
    bad_ihl = bytearray(good)
    bad_ihl[14] = 0x43
    bad_total = bytearray(good)
    bad_total[16:18] = (60).to_bytes(2, "big")
    short_total = bytearray(good)
    short_total[16:18] = (19).to_bytes(2, "big")
    tcp = bytes(Ether(src=EXT, dst=V1) / IP(src="10.0.0.9", dst="10.0.0.1") / TCP())
    tcp_cut = bytearray(tcp[:14 + 20 + 10])
    tcp_cut[16:18] = (30).to_bytes(2, "big")
    arp = bytes(Ether(src=EXT, dst=BCAST) / ARP(pdst="10.0.0.1"))
    three_tags = bytes(Ether(src=EXT, dst=V1, type=0x88a8) / Dot1Q(vlan=1) / Dot1Q(vlan=2) /
                       Dot1Q(vlan=3) / IP())
    return [
        ("eth_truncated", good[:10]),
        ("eth_truncated", good[:13]),
        ("src_mac_invalid", bytes(udp("01:00:5e:00:00:01", V1, b"m"))),
        ("src_mac_invalid", bytes(udp("00:00:00:00:00:00", V1, b"z"))),
        ("vlan_truncated", bytes(Ether(src=EXT, dst=V1, type=0x8100)) + b"\x00\x05"),
        ("vlan_too_deep", three_tags),
        ("ipv4_truncated", good[:14 + 19]),
        ("ipv4_bad_version", bytes(bad_version)),
        ("ipv4_bad_ihl", bytes(bad_ihl)),
        ("ipv4_bad_total_length", bytes(bad_total)),
        ("ipv4_bad_total_length", bytes(short_total)),
        ("l4_truncated", bytes(tcp_cut)),
        ("arp_truncated", arp[:14 + 20]),
    ]


def write_traces(wd):
    uplink = [bytes(udp(EXT, V1, b"to-v1-%d" % i)) for i in range(50)]
    uplink += [bytes(udp(EXT, V2, b"to-v2-%d" % i)) for i in range(30)]
    uplink += [bytes(udp(EXT, BCAST, b"bcast-%d" % i)) for i in range(10)]
    uplink += [bytes(udp(EXT, UNKNOWN, b"unknown-%d" % i)) for i in range(5)]
    bad = malformed()
    uplink += [b for _, b in bad]
    vif1 = [bytes(udp(V1, BCAST, b"v1-bcast-%d" % i)) for i in range(40)]
    wrpcap(os.path.join(wd, "uplink.pcap"), [Raw(b) for b in uplink], linktype=1)
    wrpcap(os.path.join(wd, "vif1.pcap"), [Raw(b) for b in vif1], linktype=1)
    return len(uplink), len(vif1), bad


def tags(path):
    out = []
    for p in rdpcap(path):
        if Raw in p:
            out.append(bytes(p[Raw].load).decode())
    return sorted(out)


def replay(workers):
    wd = sltest.workdir(f"pcap-w{workers}")
    n_uplink, n_vif1, bad = write_traces(wd)
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth0", f"net_pcap,rx_pcap={wd}/uplink.pcap,tx_pcap={wd}/uplink-out.pcap", net)
    topo.vif("vif1.0", f"net_pcap,rx_pcap={wd}/vif1.pcap,tx_pcap={wd}/vif1-out.pcap", V1, net)
    topo.vif("vif2.0", f"net_pcap,tx_pcap={wd}/vif2-out.pcap", V2, net)
    topo.vif("sink", "net_null,no-rx=1", V3, net)
    d = Daemon(topo, wd, workers=workers)
    expect_tx = {"vif1.0": 50 + 10 + 5, "vif2.0": 30 + 10 + 5 + 40,
                 "sink": 10 + 5 + 40, "eth0": 40}
    try:
        deadline = time.time() + 30
        while True:
            st = d.stats()
            done = (port_stats(st, "eth0")["rx-packets"] == n_uplink and
                    port_stats(st, "vif1.0")["rx-packets"] == n_vif1 and
                    all(port_stats(st, k)["tx-packets"] >= v for k, v in expect_tx.items()))
            if done or time.time() > deadline:
                break
            time.sleep(0.1)
    finally:
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]

    assert port_stats(final, "eth0")["rx-packets"] == n_uplink
    # a pcap port has one tx queue, a null port one per worker
    assert port_stats(final, "vif2.0")["tx-queues"] == 1
    assert port_stats(final, "sink")["tx-queues"] == workers
    assert port_stats(final, "sink")["rx-queues"] == 1
    assert port_stats(final, "vif1.0")["rx-packets"] == n_vif1
    for dev, n in expect_tx.items():
        p = port_stats(final, dev)
        assert p["tx-packets"] == n, (workers, dev, p["tx-packets"], n)
        assert p["tx-dropped"] == 0, (dev, p)
    assert port_stats(final, "eth0")["rx-dropped"] == len(bad)
    want = {}
    for reason, _ in bad:
        want[reason] = want.get(reason, 0) + 1
    for reason, count in final["drops"].items():
        assert count == want.get(reason, 0), (reason, count, want.get(reason, 0))

    v1 = tags(f"{wd}/vif1-out.pcap")
    assert v1 == sorted([f"to-v1-{i}" for i in range(50)] +
                        [f"bcast-{i}" for i in range(10)] +
                        [f"unknown-{i}" for i in range(5)]), v1
    v2 = tags(f"{wd}/vif2-out.pcap")
    assert v2 == sorted([f"to-v2-{i}" for i in range(30)] +
                        [f"bcast-{i}" for i in range(10)] +
                        [f"unknown-{i}" for i in range(5)] +
                        [f"v1-bcast-{i}" for i in range(40)]), v2
    up = tags(f"{wd}/uplink-out.pcap")
    assert up == sorted(f"v1-bcast-{i}" for i in range(40)), up
    # frames leave as they came in: same bytes, same addresses
    for p in rdpcap(f"{wd}/vif1-out.pcap"):
        assert p.src == EXT and p[IP].dst == "10.0.0.1"


def test_one_worker():
    replay(1)


def test_two_workers_hand_off():
    # ports go round-robin to workers: eth0 to worker 0, vif1.0 to worker 1,
    # whose broadcasts reach the one-queue pcap ports through the hand-off
    replay(2)


if __name__ == "__main__":
    sltest.run([test_one_worker, test_two_workers_hand_off])
