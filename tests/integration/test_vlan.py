"""VLANs through sluicectl on the real daemon, checked with scapy: tags
popped on the way in and pushed on the way out, trunk to trunk with the
priority kept, isolation between VLANs and the untagged network (broadcast,
unknown unicast, one MAC in two VLANs), VLAN 0 as the untagged traffic,
unclaimed and service tags counted, and the commands' errors."""

from scapy.all import IP, UDP, Dot1AD, Dot1Q, Ether, Raw, sendp

import sltest
from sltest import Capture, Daemon, port_stats, sh

A, A2, B, N, M2, Z = ("02:00:00:00:0a:01", "02:00:00:00:0a:02", "02:00:00:00:0b:01",
                      "02:00:00:00:0c:01", "02:00:00:00:0d:01", "02:00:00:00:0e:01")
EXT, MOVER, UNKNOWN = "02:aa:00:00:00:01", "02:aa:00:00:00:77", "02:aa:00:00:00:99"
BCAST = "ff:ff:ff:ff:ff:ff"
TAPS = {"vifA": A, "vifA2": A2, "vifB": B, "vifN": N, "vifM": M2, "vifZ": Z}
WIRES = ["t1", "t2", "t3"]
ALL = WIRES + [f"sl{v}" for v in TAPS]


def payload(tag):
    return IP(src="10.3.0.1", dst="10.3.0.2") / UDP(sport=40000, dport=40001) / Raw(tag)


def expect(cap, tag, to, silent=None):
    """tag arrives once on each of to and nowhere else; returns the frames."""
    return cap.expect_once(tag, to, silent if silent is not None else set(ALL) - set(to))


def build(d):
    # The trunk is af_xdp: XDP sees frames before the kernel takes their
    # VLAN tags out, so an 802.1ad S-tag stays one (DPDK's af_packet PMD
    # puts every tag back as 802.1Q; see README "Limitations").
    eth1 = d.uuid("pif-introduce", "device=eth1",
                   "devargs=net_af_xdp,iface=sl1,start_queue=0,queue_count=1")
    eth2 = d.uuid("pif-introduce", "device=eth2", "devargs=net_af_packet,iface=sl2")
    eth3 = d.uuid("pif-introduce", "device=eth3", "devargs=net_af_packet,iface=sl3")
    for p in (eth1, eth2, eth3):
        d.ctl("pif-plug", f"uuid={p}")
    native1 = d.json("pif-param-get", f"uuid={eth1}", "param-name=network-uuid")
    native2 = d.json("pif-param-get", f"uuid={eth2}", "param-name=network-uuid")
    n10 = d.uuid("network-create", "name-label=VLAN 10")
    n20 = d.uuid("network-create", "name-label=VLAN 20")
    nz = d.uuid("network-create", "name-label=native of eth2")
    vl = {
        "10": d.uuid("vlan-create", f"pif-uuid={eth1}", "vlan=10", f"network-uuid={n10}"),
        "20": d.uuid("vlan-create", f"pif-uuid={eth1}", "vlan=20", f"network-uuid={n20}"),
        "10b": d.uuid("vlan-create", f"pif-uuid={eth3}", "vlan=10", f"network-uuid={n10}"),
        "0": d.uuid("vlan-create", f"pif-uuid={eth2}", "vlan=0", f"network-uuid={nz}"),
    }
    nets = {"vifA": n10, "vifA2": n10, "vifB": n20, "vifN": native1, "vifM": native2, "vifZ": nz}
    for dev, mac in TAPS.items():
        v = d.uuid("vif-create", f"network-uuid={nets[dev]}", f"mac={mac}",
                    f"device={dev}", f"devargs=net_tap,iface=sl{dev}")
        d.ctl("vif-plug", f"uuid={v}")
        sh(f"ip link set sl{dev} up")
    return eth1, vl


def test_vlans():
    d = Daemon(None, sltest.workdir("vlan"))
    try:
        eth1, vl = build(d)
        cap = Capture(ALL)
        # pop: tagged in on the trunk, untagged out to the guest
        sendp(Ether(src=EXT, dst=A) / Dot1Q(vlan=10) / payload(b"pop"), iface="t1", verbose=False)
        got = expect(cap, b"pop", ["slvifA"])
        assert Dot1Q not in got["slvifA"], got["slvifA"].summary()
        # push: the guest's unknown unicast floods VLAN 10, tagged on trunks
        sendp(Ether(src=A, dst=UNKNOWN) / payload(b"push"), iface="slvifA", verbose=False)
        got = expect(cap, b"push", ["t1", "t3", "slvifA2"])
        for t in ("t1", "t3"):
            assert got[t][Dot1Q].vlan == 10, got[t].summary()
        assert Dot1Q not in got["slvifA2"]
        # trunk to trunk: the tag's priority survives the pop and push
        sendp(Ether(src=EXT, dst=BCAST) / Dot1Q(vlan=10, prio=5) / payload(b"prio"),
              iface="t1", verbose=False)
        got = expect(cap, b"prio", ["t3", "slvifA", "slvifA2"])
        assert got["t3"][Dot1Q].vlan == 10 and got["t3"][Dot1Q].prio == 5
        # isolation: each VLAN and the untagged network keep their frames
        sendp(Ether(src=EXT, dst=BCAST) / Dot1Q(vlan=20) / payload(b"bc20"), iface="t1", verbose=False)
        expect(cap, b"bc20", ["slvifB"])
        sendp(Ether(src=EXT, dst=BCAST) / payload(b"bc-native"), iface="t1", verbose=False)
        expect(cap, b"bc-native", ["slvifN"])
        sendp(Ether(src=EXT, dst=UNKNOWN) / Dot1Q(vlan=20) / payload(b"uu20"), iface="t1", verbose=False)
        expect(cap, b"uu20", ["slvifB"])
        sendp(Ether(src=A, dst=B) / payload(b"a-to-b"), iface="slvifA", verbose=False)
        expect(cap, b"a-to-b", ["t1", "t3", "slvifA2"])	# B is not in VLAN 10
        # one MAC in two VLANs is two separate entries
        sendp(Ether(src=MOVER, dst=BCAST) / Dot1Q(vlan=10) / payload(b"m10"), iface="t1", verbose=False)
        sendp(Ether(src=MOVER, dst=BCAST) / Dot1Q(vlan=20) / payload(b"m20"), iface="t1", verbose=False)
        expect(cap, b"m10", ["t3", "slvifA", "slvifA2"])
        expect(cap, b"m20", ["slvifB"])
        sendp(Ether(src=A, dst=MOVER) / payload(b"to-m-10"), iface="slvifA", verbose=False)
        got = expect(cap, b"to-m-10", ["t1"])
        assert got["t1"][Dot1Q].vlan == 10
        sendp(Ether(src=B, dst=MOVER) / payload(b"to-m-20"), iface="slvifB", verbose=False)
        got = expect(cap, b"to-m-20", ["t1"])
        assert got["t1"][Dot1Q].vlan == 20
        # a tag nobody carries, and a service tag: dropped and counted
        sendp(Ether(src=EXT, dst=BCAST) / Dot1Q(vlan=30) / payload(b"v30"), iface="t1", verbose=False)
        sendp(Ether(src=EXT, dst=BCAST) / Dot1AD(vlan=10) / Dot1Q(vlan=10) / payload(b"stag"),
              iface="t1", verbose=False)
        expect(cap, b"v30", [])
        expect(cap, b"stag", [])
        # VLAN 0: eth2's untagged traffic belongs to the VLAN's network
        sendp(Ether(src=EXT, dst=BCAST) / payload(b"native2"), iface="t2", verbose=False)
        got = expect(cap, b"native2", ["slvifZ"])
        sendp(Ether(src=EXT, dst=BCAST) / Dot1Q(vlan=0, prio=3) / payload(b"prio-tagged"),
              iface="t2", verbose=False)
        got = expect(cap, b"prio-tagged", ["slvifZ"])
        assert Dot1Q not in got["slvifZ"]
        sendp(Ether(src=Z, dst=BCAST) / payload(b"from-z"), iface="slvifZ", verbose=False)
        got = expect(cap, b"from-z", ["t2"])
        assert Dot1Q not in got["t2"], got["t2"].summary()
        st = d.json("stats")
        assert st["drops"]["vlan_unclaimed"] == 1 and st["drops"]["vlan_service_tag"] == 1, st["drops"]
        # the trunk counted every frame sent to it
        assert port_stats(st, "eth1")["rx-dropped"] == 2
        # a destroyed VLAN's tag is unclaimed from then on
        d.ctl("vlan-destroy", f"uuid={vl['20']}")
        sendp(Ether(src=EXT, dst=BCAST) / Dot1Q(vlan=20) / payload(b"after-destroy"),
              iface="t1", verbose=False)
        expect(cap, b"after-destroy", [])
        assert d.json("stats")["drops"]["vlan_unclaimed"] == 2
        cap.close()
    finally:
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


def test_vlan_commands():
    d = Daemon(None, sltest.workdir("vlan-cmd"))
    try:
        eth1 = d.uuid("pif-introduce", "device=eth1", "devargs=net_af_packet,iface=sl1")
        n = d.uuid("network-create", "name-label=v")
        n2 = d.uuid("network-create", "name-label=w")
        for bad, code, name, text in [
            ("vlan=4095", 1019, "VLAN_TAG_INVALID", "vlan: 4095 is not a VLAN tag (0..4094"),
            ("vlan=-1", 1019, "VLAN_TAG_INVALID", "vlan: -1 is not a VLAN tag"),
            ("vlan=ten", 1019, "VLAN_TAG_INVALID", "vlan: 'ten'"),
        ]:
            rc, _, err = d.ctl("vlan-create", f"pif-uuid={eth1}", bad, f"network-uuid={n}", check=False)
            assert rc == 1 and err.startswith(f"Error {code} {name}: ") and text in err, err
        v = d.uuid("vlan-create", f"pif-uuid={eth1}", "vlan=100", f"network-uuid={n}")
        rc, _, err = d.ctl("vlan-create", f"pif-uuid={eth1}", "vlan=100", f"network-uuid={n2}", check=False)
        assert rc == 1 and "PIF_VLAN_EXISTS" in err and "already carries VLAN 100" in err, err
        rec = d.json("vlan-param-list", f"uuid={v}")
        vpif = rec["untagged-PIF"]
        assert rec["tagged-PIF"] == eth1 and rec["tag"] == 100
        p = d.json("pif-param-list", f"uuid={vpif}")
        assert p["VLAN"] == 100 and p["device"] == "eth1" and p["VLAN-master-of"] == v
        assert p["network-uuid"] == n and not p["currently-attached"]
        assert d.json("pif-param-get", f"uuid={eth1}", "param-name=VLAN-slave-of") == [v]
        # a VLAN's PIF cannot be tagged again, nor forgotten, and its
        # tagged PIF stays while it carries the VLAN
        rc, _, err = d.ctl("vlan-create", f"pif-uuid={vpif}", "vlan=5", f"network-uuid={n2}", check=False)
        assert rc == 1 and "PIF_IS_VLAN" in err, err
        rc, _, err = d.ctl("pif-forget", f"uuid={vpif}", check=False)
        assert rc == 1 and "PIF_IS_VLAN" in err and f"vlan-destroy uuid={v}" in err, err
        rc, _, err = d.ctl("pif-forget", f"uuid={eth1}", check=False)
        assert rc == 1 and "PIF_VLAN_STILL_EXISTS" in err, err
        # a VLAN made on an unplugged PIF comes up when that PIF is
        # plugged (it stayed down: vlan_unclaimed), and waits for it with
        # a reason
        down = [p for p in d.stats()["unattached"] if p["uuid"] == vpif]
        assert down and "the PIF carrying VLAN 100 (eth1) is not attached" in \
            down[0]["error"], d.stats()["unattached"]
        d.ctl("pif-plug", f"uuid={eth1}")
        assert d.json("pif-param-get", f"uuid={vpif}", "param-name=currently-attached")
        d.ctl("pif-unplug", f"uuid={vpif}")
        d.ctl("pif-unplug", f"uuid={eth1}")
        # plugging the VLAN's PIF plugs the PIF carrying it
        d.ctl("pif-plug", f"uuid={vpif}")
        assert d.json("pif-param-get", f"uuid={eth1}", "param-name=currently-attached")
        assert d.json("pif-param-get", f"uuid={vpif}", "param-name=currently-attached")
        d.ctl("pif-unplug", f"uuid={eth1}")
        assert not d.json("pif-param-get", f"uuid={vpif}", "param-name=currently-attached")
        d.ctl("pif-plug", f"uuid={eth1}")
        assert d.json("pif-param-get", f"uuid={vpif}", "param-name=currently-attached")
        _, out, _ = d.ctl("vlan-list")
        assert "tag: 100" in out, out
        before = {c: d.json(c) for c in ("pif-list", "vlan-list", "network-list")}
    finally:
        code, _ = d.stop()
    assert code == 0, d.log
    # VLANs come back after a restart as they were
    d2 = Daemon(None, d.dir)
    try:
        after = {c: d2.json(c) for c in ("pif-list", "vlan-list", "network-list")}
        assert after == before, (before, after)
        assert d2.json("reset-networking") == {"PIFs-removed": 2, "VLANs-removed": 1,
                                               "bonds-removed": 0, "tunnels-removed": 0,
                                               "sriov-networks-removed": 0,
                                               "VF-VIFs-removed": 0}
        assert d2.json("vlan-list") == [] and d2.json("pif-list") == []
    finally:
        code, _ = d2.stop()
    assert code == 0, d2.log


if __name__ == "__main__":
    sltest.quiet_netns()
    for i in (1, 2, 3):
        sltest.veth(f"sl{i}", f"t{i}")
    sltest.run([test_vlans, test_vlan_commands])
