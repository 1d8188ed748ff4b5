"""Bonds through sluicectl on the real daemon, checked with scapy on the far
ends of the members' veth pairs: balance-slb spreads source MACs over the
members and keeps each on one, with its loop guards (floods taken on one
member, our own MACs coming back dropped) and rebalancing by load;
balance-tcp spreads 5-tuples and keeps each on one member; active-backup
fails over when a member's link goes down and announces the guests (RARP)
on the new member; broadcast sends everything on every member and takes
one copy of what comes back; VLANs ride on a bond; the commands, their
errors and persistence across a restart."""
import time

from scapy.all import IP, UDP, Dot1Q, Ether, Raw, sendp

import sltest
from sltest import SETTLE, Capture, Daemon, sh

BCAST = "ff:ff:ff:ff:ff:ff"
EXT, UNKNOWN = "02:aa:00:00:00:01", "02:aa:00:00:00:99"
GUESTS = {"vifA": "02:00:00:00:0a:01", "vifB": "02:00:00:00:0b:01",
          "vifC": "02:00:00:00:0c:01", "vifD": "02:00:00:00:0d:01"}
MEMBERS = {"eth1": "t1", "eth2": "t2"}	# member PIF → far end of its veth
RARP = 0x8035


def frame(src, dst, tag, sport=40000, dport=40001):
    return Ether(src=src, dst=dst) / IP(src="10.5.0.1", dst="10.5.0.2") / \
        UDP(sport=sport, dport=dport) / Raw(tag)


def has(tag):
    return lambda f: tag in bytes(f)


def wires(cap, tag):
    """Which far ends a frame carrying tag came out of (a list: once each)."""
    return [t for t in MEMBERS.values() for _ in cap.matching(t, has(tag))]


def settle_out(cap, tags, timeout=5.0):
    """Wait until each tag came out somewhere; then give strays time."""
    deadline = time.time() + timeout
    while time.time() < deadline and not all(wires(cap, t) for t in tags):
        time.sleep(0.01)
    time.sleep(SETTLE)
    return {t: wires(cap, t) for t in tags}


def build(d, mode, *props, vifs=GUESTS):
    """Two af_packet PIFs bonded on a new network, tap VIFs behind it."""
    pifs = [d.uuid("pif-introduce", f"device={eth}", f"devargs=net_af_packet,iface=sl{eth[-1]}")
            for eth in MEMBERS]
    net = d.uuid("network-create", "name-label=bonded")
    bond = d.uuid("bond-create", f"network-uuid={net}", f"pif-uuids={','.join(pifs)}",
                  f"mode={mode}", *[f"properties:{p}" for p in props])
    for dev, mac in vifs.items():
        v = d.uuid("vif-create", f"network-uuid={net}", f"mac={mac}", f"device={dev}",
                   f"devargs=net_tap,iface=sl{dev}")
        d.ctl("vif-plug", f"uuid={v}")
        sh(f"ip link set sl{dev} up")
    wait_members_up(d, bond, len(MEMBERS))
    return bond, net, pifs


def wait_members_up(d, bond, count, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        show = d.json("bond-show", f"uuid={bond}")
        if sum(m["state"] == "enabled" for m in show["members"]) == count:
            return show
        time.sleep(0.05)
    raise AssertionError(f"bond {bond}: not {count} members enabled: {show}")


def drops(d):
    return d.json("stats")["drops"]


def start(name):
    return Daemon(None, sltest.workdir(name))


def stop(d):
    code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


def test_balance_slb():
    d = start("bond-slb")
    try:
        bond, _, _ = build(d, "balance-slb")
        cap = Capture(list(MEMBERS.values()) + [f"sl{v}" for v in GUESTS])
        # many sources behind one VIF (a bridge in the guest): each goes
        # out of exactly one member, the same one every time, and the
        # sources are spread over both
        srcs = [f"02:00:00:01:00:{i:02x}" for i in range(32)]
        sendp([frame(s, UNKNOWN, f"slb-{i}-{r}".encode())
               for r in range(3) for i, s in enumerate(srcs)], iface="slvifA", verbose=False)
        out = settle_out(cap, [f"slb-{i}-{r}".encode() for r in range(3) for i in range(32)])
        per_src = {}
        for i in range(32):
            for r in range(3):
                w = out[f"slb-{i}-{r}".encode()]
                assert len(w) == 1, (srcs[i], r, w)
                per_src.setdefault(i, set()).add(w[0])
            assert len(per_src[i]) == 1, (srcs[i], per_src[i])
        used = {next(iter(v)) for v in per_src.values()}
        assert used == {"t1", "t2"}, used
        # each guest's frames leave by the member bond-show says carries it
        show = d.json("bond-show", f"uuid={bond}")
        carried = {s["MAC"]: s["member"] for s in show["sources"]}
        assert set(carried) == set(GUESTS.values()), show
        for dev, mac in GUESTS.items():
            sendp(frame(mac, UNKNOWN, f"from-{dev}".encode()), iface=f"sl{dev}", verbose=False)
        out = settle_out(cap, [f"from-{dev}".encode() for dev in GUESTS])
        for dev, mac in GUESTS.items():
            assert out[f"from-{dev}".encode()] == [MEMBERS[carried[mac]]], (dev, out, carried)

        # loop guard 1: a flood comes in on one member only
        before = drops(d)
        cap.clear()
        for t in MEMBERS.values():
            sendp(frame(EXT, BCAST, b"upstream-flood"), iface=t, verbose=False)
        got = cap.wait_for("slvifA", has(b"upstream-flood"))
        time.sleep(SETTLE)
        assert len(cap.matching("slvifA", has(b"upstream-flood"))) == 1, got
        assert drops(d)["bond_flood_member"] == before["bond_flood_member"] + 1
        # ... while unicast is taken on every member
        for t in MEMBERS.values():
            sendp(frame(EXT, GUESTS["vifB"], f"unicast-via-{t}".encode()), iface=t, verbose=False)
        for t in MEMBERS.values():
            assert len(cap.wait_for("slvifB", has(f"unicast-via-{t}".encode()))) == 1, t
        # loop guard 2: a guest's own frame reflected back by the upstream
        # switch (source MAC on a VIF of this host) is dropped on any member
        for t in MEMBERS.values():
            sendp(frame(GUESTS["vifA"], BCAST, f"reflected-{t}".encode()), iface=t, verbose=False)
            sendp(frame(GUESTS["vifA"], GUESTS["vifB"], f"reflected-uc-{t}".encode()),
                  iface=t, verbose=False)
        time.sleep(SETTLE)
        for v in GUESTS:
            assert not cap.matching(f"sl{v}", has(b"reflected")), v
        assert drops(d)["bond_reflected"] >= before["bond_reflected"] + 3
        # and the guest's MAC is still learned on its VIF, not on the bond
        sendp(frame(GUESTS["vifB"], GUESTS["vifA"], b"still-home"), iface="slvifB", verbose=False)
        assert len(cap.wait_for("slvifA", has(b"still-home"))) == 1
        assert not wires(cap, b"still-home")
        cap.close()
    finally:
        stop(d)


def test_slb_rebalance():
    d = start("bond-rebalance")
    try:
        bond, _, _ = build(d, "balance-slb")
        show = d.json("bond-show", f"uuid={bond}")
        # two busy guests that start on the same member (four guests, two
        # members: some two share one)
        by_member = {}
        for s in show["sources"]:
            by_member.setdefault(s["member"], []).append(s)
        pair = next(v for v in by_member.values() if len(v) >= 2)[:2]
        assert pair[0]["bucket"] != pair[1]["bucket"], pair
        macs = [p["MAC"] for p in pair]
        dev = {mac: v for v, mac in GUESTS.items()}
        cap = Capture(list(MEMBERS.values()))
        d.ctl("bond-param-set", f"uuid={bond}", "properties:rebalance-interval=1000")
        # equal load from both until a rebalance moves one of them away
        deadline = time.time() + 20
        while time.time() < deadline:
            for mac in macs:
                sendp([frame(mac, UNKNOWN, b"load" + bytes(1000))] * 50,
                      iface=f"sl{dev[mac]}", verbose=False)
            show = d.json("bond-show", f"uuid={bond}")
            now = {s["MAC"]: s["member"] for s in show["sources"]}
            if now[macs[0]] != now[macs[1]]:
                break
        assert now[macs[0]] != now[macs[1]], show
        assert show["rebalances"] >= 1 and show["buckets-moved"] >= 1, show
        # the moved guest was announced on its new member
        moved = next(m for m in macs if now[m] != pair[0]["member"])
        assert cap.wait_for(MEMBERS[now[moved]],
                            lambda f: f.type == RARP and f.src == moved), moved
        # and its frames go there now
        cap.clear()
        for mac in macs:
            sendp(frame(mac, UNKNOWN, f"after-{mac}".encode()), iface=f"sl{dev[mac]}",
                  verbose=False)
        out = settle_out(cap, [f"after-{mac}".encode() for mac in macs])
        for mac in macs:
            assert out[f"after-{mac}".encode()] == [MEMBERS[now[mac]]], (mac, out, now)
        # 0 turns rebalancing off; under a second is refused
        d.ctl("bond-param-set", f"uuid={bond}", "properties:rebalance-interval=0")
        d.expect_error(["bond-param-set", f"uuid={bond}", "properties:rebalance-interval=10"],
                       1000, "INVALID_VALUE", "at least 1000 ms")
        cap.close()
    finally:
        stop(d)


def test_balance_tcp():
    d = start("bond-tcp")
    try:
        build(d, "balance-tcp", vifs={"vifA": GUESTS["vifA"]})
        cap = Capture(list(MEMBERS.values()))
        sendp([frame(GUESTS["vifA"], UNKNOWN, f"tcp-{p}-{r}".encode(), sport=41000 + p)
               for r in range(3) for p in range(32)], iface="slvifA", verbose=False)
        out = settle_out(cap, [f"tcp-{p}-{r}".encode() for r in range(3) for p in range(32)])
        used = set()
        for p in range(32):
            ws = [out[f"tcp-{p}-{r}".encode()] for r in range(3)]
            assert all(len(w) == 1 for w in ws), (p, ws)
            assert len({w[0] for w in ws}) == 1, (p, ws)	# one 5-tuple, one member
            used.add(ws[0][0])
        assert used == {"t1", "t2"}, used	# one source MAC, both members
        cap.close()
    finally:
        stop(d)


def test_active_backup_failover():
    d = start("bond-ab")
    try:
        bond, _, _ = build(d, "active-backup", "updelay=300")
        show = d.json("bond-show", f"uuid={bond}")
        active = [m["device"] for m in show["members"] if m["active"]]
        assert len(active) == 1, show
        first = active[0]
        other = next(m for m in MEMBERS if m != first)
        cap = Capture(list(MEMBERS.values()) + ["slvifA"])
        sendp([frame(GUESTS["vifA"], UNKNOWN, f"ab-{i}".encode(), sport=42000 + i)
               for i in range(8)], iface="slvifA", verbose=False)
        out = settle_out(cap, [f"ab-{i}".encode() for i in range(8)])
        assert all(w == [MEMBERS[first]] for w in out.values()), out
        # trace says so: the flood's copy for the bond leaves on the active
        # member; a frame into the backup is dropped at the bond stage
        t = d.json("trace", "in_port=vifA", f"packet=dl_src={GUESTS['vifA']},dl_dst={UNKNOWN},ip")
        to_bond = [o for o in t["outputs"] if "bond" in o]
        assert [o["port"] for o in to_bond] == [first] and len(t["outputs"]) == 4, t
        t = d.json("trace", f"in_port={other}", f"packet=dl_src={EXT},dl_dst={GUESTS['vifA']},ip")
        assert t["verdict"] == "dropped at bond: bond_inactive_member", t
        # the backup takes nothing
        before = drops(d)
        sendp(frame(EXT, GUESTS["vifA"], b"via-backup"), iface=MEMBERS[other], verbose=False)
        time.sleep(SETTLE)
        assert not cap.matching("slvifA", has(b"via-backup"))
        assert drops(d)["bond_inactive_member"] == before["bond_inactive_member"] + 1
        # the active member's link goes down: the other takes over and
        # announces every guest behind the bond
        cap.clear()
        sh(f"ip link set sl{first[-1]} down")
        for mac in GUESTS.values():
            got = cap.wait_for(MEMBERS[other], lambda f, m=mac: f.type == RARP and f.src == m)
            assert got, (mac, d.json("bond-show", f"uuid={bond}"))
            assert got[0].dst == BCAST
        show = d.json("bond-show", f"uuid={bond}")
        states = {m["device"]: (m["link"], m["state"], m["active"]) for m in show["members"]}
        assert states == {first: ("down", "disabled", False), other: ("up", "enabled", True)}, states
        assert show["failovers"] >= 1, show
        sendp(frame(GUESTS["vifA"], UNKNOWN, b"after-failover"), iface="slvifA", verbose=False)
        assert settle_out(cap, [b"after-failover"])[b"after-failover"] == [MEMBERS[other]]
        sendp(frame(EXT, GUESTS["vifA"], b"in-after-failover"), iface=MEMBERS[other], verbose=False)
        assert cap.wait_for("slvifA", has(b"in-after-failover"))
        # the link comes back after updelay as a backup: no flapping back
        sh(f"ip link set sl{first[-1]} up")
        show = wait_members_up(d, bond, 2)
        assert [m["device"] for m in show["members"] if m["active"]] == [other], show
        cap.close()
    finally:
        stop(d)


def test_broadcast():
    d = start("bond-bcast")
    try:
        bond, _, _ = build(d, "broadcast", "relay=false", vifs={"vifA": GUESTS["vifA"]})
        cap = Capture(list(MEMBERS.values()) + ["slvifA"])
        # every frame, unicast too, goes out of every member
        sendp([frame(GUESTS["vifA"], UNKNOWN, f"rep-{i}".encode(), sport=43000 + i)
               for i in range(8)], iface="slvifA", verbose=False)
        out = settle_out(cap, [f"rep-{i}".encode() for i in range(8)])
        assert all(sorted(w) == ["t1", "t2"] for w in out.values()), out
        # the same frame back on both members reaches the guest once
        before = drops(d)
        for t in MEMBERS.values():
            sendp(frame(EXT, GUESTS["vifA"], b"twice"), iface=t, verbose=False)
        cap.wait_for("slvifA", has(b"twice"))
        time.sleep(SETTLE)
        assert len(cap.matching("slvifA", has(b"twice"))) == 1
        assert drops(d)["bond_duplicate"] == before["bond_duplicate"] + 1
        # without relay, nothing is repeated between members
        assert not wires(cap, b"twice"), wires(cap, b"twice")
        # relay (a mesh node): what comes in on one member goes out of the others
        d.ctl("bond-param-set", f"uuid={bond}", "properties:relay=true")
        sendp(frame(EXT, BCAST, b"relayed"), iface="t1", verbose=False)
        assert len(cap.wait_for("t2", has(b"relayed"))) == 1
        assert len(cap.wait_for("slvifA", has(b"relayed"))) == 1
        time.sleep(SETTLE)
        assert len(cap.matching("t2", has(b"relayed"))) == 1
        # a member down: the frames still go out of the other
        sh("ip link set sl1 down")
        wait_members_up(d, bond, 1)
        cap.clear()
        sendp(frame(GUESTS["vifA"], UNKNOWN, b"one-left"), iface="slvifA", verbose=False)
        assert settle_out(cap, [b"one-left"])[b"one-left"] == ["t2"]
        cap.close()
    finally:
        stop(d)


def test_vlan_on_bond_commands_and_persistence():
    wd = sltest.workdir("bond-cmds")
    d = Daemon(None, wd)
    try:
        pifs = [d.uuid("pif-introduce", f"device={eth}",
                       f"devargs=net_af_packet,iface=sl{eth[-1]}") for eth in MEMBERS]
        pif3 = d.uuid("pif-introduce", "device=eth3", "devargs=net_af_packet,iface=sl3")
        net = d.uuid("network-create", "name-label=bonded")
        d.expect_error(["bond-create", f"network-uuid={net}", f"pif-uuids={pifs[0]}"],
                       1000, "INVALID_VALUE", "a bond has 2 to 8 members, not 1")
        d.expect_error(["bond-create", f"network-uuid={net}", f"pif-uuids={','.join(pifs)}",
                        "mode=round-robin"], 1027, "BOND_MODE_INVALID", "round-robin")
        d.expect_error(["bond-create", f"network-uuid={net}", f"pif-uuids={','.join(pifs)}",
                        "properties:colour=blue"], 1002, "UNKNOWN_PARAMETER", "colour")
        d.expect_error(["bond-create", f"network-uuid={net}", f"pif-uuids={','.join(pifs)}",
                        "properties:lacp-time=sometimes"], 1000, "INVALID_VALUE", "fast or slow")
        bond = d.uuid("bond-create", f"network-uuid={net}", f"pif-uuids={','.join(pifs)}")
        assert d.json("bond-param-get", f"uuid={bond}", "param-name=mode") == "balance-slb"
        d.expect_error(["bond-create", f"network-uuid={net}", f"pif-uuids={pifs[0]},{pif3}"],
                       1024, "PIF_ALREADY_BONDED", "already in bond")
        d.expect_error(["pif-unplug", f"uuid={pifs[0]}"], 1025, "CANNOT_PLUG_BOND_SLAVE", "")
        master = d.json("bond-param-get", f"uuid={bond}", "param-name=master")
        assert d.json("pif-param-get", f"uuid={master}", "param-name=device") == "bond0"
        # a VLAN on the bond: tagged on whichever member carries the guest
        n10 = d.uuid("network-create", "name-label=VLAN 10 on the bond")
        vlan = d.uuid("vlan-create", f"pif-uuid={master}", "vlan=10", f"network-uuid={n10}")
        v = d.uuid("vif-create", f"network-uuid={n10}", f"mac={GUESTS['vifA']}",
                   "device=vifA", "devargs=net_tap,iface=slvifA")
        d.ctl("vif-plug", f"uuid={v}")
        sh("ip link set slvifA up")
        wait_members_up(d, bond, 2)
        cap = Capture(list(MEMBERS.values()) + ["slvifA"])
        sendp(frame(GUESTS["vifA"], UNKNOWN, b"tagged-out"), iface="slvifA", verbose=False)
        out = settle_out(cap, [b"tagged-out"])[b"tagged-out"]
        assert len(out) == 1, out
        f = cap.matching(out[0], has(b"tagged-out"))[0]
        assert f[Dot1Q].vlan == 10, f.summary()
        sendp(Ether(src=EXT, dst=GUESTS["vifA"]) / Dot1Q(vlan=10) / Raw(b"tagged-in"),
              iface="t2", verbose=False)
        f = cap.wait_for("slvifA", has(b"tagged-in"))
        assert len(f) == 1 and Dot1Q not in f[0], f
        cap.close()
        d.ctl("bond-param-set", f"uuid={bond}", "mode=active-backup", "properties:updelay=500")
        rec = d.json("bond-param-list", f"uuid={bond}")
        assert rec["mode"] == "active-backup" and rec["properties"] == {"updelay": "500"}, rec
        assert [b["uuid"] for b in d.json("bond-list")] == [bond]
        d.expect_error(["bond-destroy", f"uuid={bond}"], 1022, "PIF_VLAN_STILL_EXISTS", "vlan-destroy")
        code, _ = d.stop()
        assert code == 0, d.log
        # the bond, its mode, properties and VLAN come back after a restart
        d = Daemon(None, wd)
        rec = d.json("bond-param-list", f"uuid={bond}")
        assert rec["mode"] == "active-backup" and rec["properties"] == {"updelay": "500"}, rec
        assert rec["master"] == master and sorted(rec["slaves"]) == sorted(pifs), rec
        assert d.json("vlan-param-get", f"uuid={vlan}", "param-name=tagged-PIF") == master
        wait_members_up(d, bond, 2)
        d.ctl("vlan-destroy", f"uuid={vlan}")
        d.ctl("bond-destroy", f"uuid={bond}")
        assert d.json("bond-list") == []
        # the members are PIFs of their own again
        for p in pifs:
            d.ctl("pif-plug", f"uuid={p}")
            assert d.json("pif-param-get", f"uuid={p}", "param-name=currently-attached")
    finally:
        stop(d)


def setup():
    sltest.quiet_netns()
    for i in (1, 2, 3):
        sltest.veth(f"sl{i}", f"t{i}")


if __name__ == "__main__":
    setup()
    sltest.run([test_vlan_on_bond_commands_and_persistence, test_balance_slb,
                test_slb_rebalance, test_balance_tcp, test_active_backup_failover,
                test_broadcast])
