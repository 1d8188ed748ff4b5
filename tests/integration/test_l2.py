"""The learning switch through the real daemon: flooding, learning, no
hairpin, MAC moves, static VIF MACs, isolation between networks, aging, and
malformed frames counted by name. Ports are af_packet and af_xdp on veth
pairs and a tap device; frames are built and checked with scapy."""
import time

from scapy.all import ARP, ICMP, IP, UDP, Ether, Raw, sendp

import sltest
from sltest import Capture, Daemon, Topology, port_stats

M1, M2, M3, M4 = (f"02:00:00:00:01:0{i}" for i in range(1, 5))
V1 = "02:00:00:00:0a:01"
BCAST = "ff:ff:ff:ff:ff:ff"
NET_A = ["t1", "t2", "t3", "slvif1"]	# what a test sees of network A
NET_B = ["t4", "t5"]
ALL = NET_A + NET_B


def frame(src, dst, tag):
    return Ether(src=src, dst=dst) / IP(src="10.1.0.1", dst="10.1.0.2") / UDP(sport=1, dport=2) / Raw(tag)


def send(iface, pkt):
    sendp(pkt, iface=iface, verbose=False)


def expect(cap, tag, to, silent):
    """tag must arrive exactly once on each of to and never on silent."""
    cap.expect_once(tag, to, silent)


def topology(**settings):
    topo = Topology(**settings)
    a = topo.network("xenbr0")
    b = topo.network("xenbr1")
    topo.pif("eth1", "net_af_packet,iface=sl1", a)
    topo.pif("eth2", "net_af_packet,iface=sl2", a)
    topo.pif("eth3", "net_af_packet,iface=sl3", a)
    topo.vif("vif1.0", "net_tap,iface=slvif1", V1, a)
    topo.pif("eth4", "net_af_packet,iface=sl4", b)
    topo.pif("eth5", "net_af_xdp,iface=sl5,start_queue=0,queue_count=1", b)
    return topo


def start(name, **settings):
    d = Daemon(topology(**settings), sltest.workdir(name))
    # the tap is the VIF's own netdev, created by sluiced
    sltest.sh("ip link set slvif1 up")
    return d


def test_switching():
    d = start("l2")
    cap = Capture(ALL)
    sent = {i: 0 for i in ALL}

    def tx(iface, pkt):
        send(iface, pkt)
        sent[iface] += 1

    try:
        # unknown unicast: every other port of network A, nothing in B
        tx("t1", frame(M1, M2, b"unknown-unicast"))
        expect(cap, b"unknown-unicast", ["t2", "t3", "slvif1"], ["t1"] + NET_B)
        # broadcast from another port
        tx("t2", frame(M2, BCAST, b"broadcast"))
        expect(cap, b"broadcast", ["t1", "t3", "slvif1"], ["t2"] + NET_B)
        # M1 and M2 are learned: unicast goes to one port only
        tx("t2", frame(M2, M1, b"learned-unicast"))
        expect(cap, b"learned-unicast", ["t1"], ["t2", "t3", "slvif1"] + NET_B)
        tx("t1", frame(M1, M2, b"learned-back"))
        expect(cap, b"learned-back", ["t2"], ["t1", "t3", "slvif1"] + NET_B)
        # a VIF's MAC is known before the guest says anything
        tx("t3", frame(M3, V1, b"to-vif"))
        expect(cap, b"to-vif", ["slvif1"], ["t1", "t2", "t3"] + NET_B)
        tx("slvif1", frame(V1, M3, b"from-vif"))
        expect(cap, b"from-vif", ["t3"], ["t1", "t2", "slvif1"] + NET_B)
        # no hairpin: M1 is behind t1, a frame from t1 to M1 goes nowhere
        tx("t1", frame("02:00:00:00:01:11", M1, b"hairpin"))
        expect(cap, b"hairpin", [], ALL)
        # M1 moves behind t3
        tx("t3", frame(M1, BCAST, b"move-announce"))
        expect(cap, b"move-announce", ["t1", "t2", "slvif1"], ["t3"] + NET_B)
        tx("t2", frame(M2, M1, b"after-move"))
        expect(cap, b"after-move", ["t3"], ["t1", "t2", "slvif1"] + NET_B)
        # network B is separate: broadcast stays in B
        tx("t4", frame(M4, BCAST, b"b-broadcast"))
        expect(cap, b"b-broadcast", ["t5"], ["t4"] + NET_A)
        # M2 is known in A, not in B: flooded in B only
        tx("t4", frame(M4, M2, b"b-to-a-mac"))
        expect(cap, b"b-to-a-mac", ["t5"], ["t4"] + NET_A)
        # the same MAC in both networks: B's sighting does not move A's entry
        tx("t5", frame(M2, M4, b"m2-in-b"))
        expect(cap, b"m2-in-b", ["t4"], ["t5"] + NET_A)
        tx("t1", frame(M1, M2, b"m2-still-in-a"))
        expect(cap, b"m2-still-in-a", ["t2"], ["t1", "t3", "slvif1"] + NET_B)
        # malformed IPv4 is dropped with its reason
        bad_ihl = bytearray(bytes(frame(M1, M2, b"bad-ihl")))
        bad_ihl[14] = 0x44
        tx("t1", Ether(bytes(bad_ihl)))
        long_total = bytearray(bytes(frame(M1, M2, b"bad-total")))
        long_total[16:18] = (1400).to_bytes(2, "big")
        tx("t1", Ether(bytes(long_total)))
        arp_short = bytes(Ether(src=M1, dst=BCAST) / ARP(pdst="10.1.0.9"))[:14 + 20]
        tx("t1", Ether(arp_short))
        expect(cap, b"bad-ihl", [], ALL)
        expect(cap, b"bad-total", [], ALL)

        st = d.stats()
        drops = st["drops"]
        assert drops["ipv4_bad_ihl"] == 1, drops
        assert drops["ipv4_bad_total_length"] == 1, drops
        assert drops["arp_truncated"] == 1, drops
        assert drops["hairpin"] == 1, drops
        # each drop is charged to the port the frame came in by, and the
        # ports' drops add up to the switch's
        assert port_stats(st, "eth1")["drops"] == {
            "ipv4_bad_ihl": 1, "ipv4_bad_total_length": 1, "arp_truncated": 1,
            "hairpin": 1}, port_stats(st, "eth1")
        sltest.drops_add_up(st)
        assert st["fdb"]["moved"] >= 1, st["fdb"]
        # every frame a test port sent was received by its switch port
        for iface, dev in [("t1", "eth1"), ("t2", "eth2"), ("t3", "eth3"),
                           ("slvif1", "vif1.0"), ("t4", "eth4"), ("t5", "eth5")]:
            p = port_stats(st, dev)
            assert p["rx-packets"] == sent[iface], (dev, p["rx-packets"], sent[iface])
            # and every frame it sent out was seen on the wire
            seen = len(cap.frames[iface])
            assert p["tx-packets"] == seen, (dev, p["tx-packets"], seen)
    finally:
        cap.close()
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


def test_aging():
    d = start("aging", **{"fdb-aging-time": 2})
    cap = Capture(NET_A)
    try:
        send("t1", frame(M1, BCAST, b"learn-me"))
        expect(cap, b"learn-me", ["t2", "t3", "slvif1"], ["t1"])
        # the entry is gone after its aging time: M1 is flooded again
        deadline = time.time() + 20
        while d.stats()["fdb"]["aged"] < 1 and time.time() < deadline:
            time.sleep(0.5)
        send("t2", frame(M2, M1, b"after-aging"))
        expect(cap, b"after-aging", ["t1", "t3", "slvif1"], ["t2"])
        assert d.stats()["fdb"]["aged"] >= 1
    finally:
        cap.close()
        code, _ = d.stop()
    assert code == 0, d.log


if __name__ == "__main__":
    sltest.quiet_netns()
    for i in range(1, 6):
        sltest.veth(f"sl{i}", f"t{i}")
    sltest.run([test_switching, test_aging])
