"""LACP (IEEE 802.3ad / 802.1AX) on the real daemon.

First against scapy: the LACPDUs sluice sends are decoded by scapy's own
LACP layer (actor system, key, ports, state bits); with nobody answering
the bond falls back to active-backup (lacp-fallback-ab, the default) or
carries nothing when that is off; a partner played by the test brings the
aggregate up and traffic is spread by source MAC over both members.

Then two sluiced hosts, each in a network namespace of its own, joined by
two veth pairs: the aggregate forms between them, their kernels ping each
other through tap ports, and the pings survive one link going down."""
import os
import subprocess
import threading
import time

from scapy.all import IP, UDP, Ether, Raw, sendp
from scapy.contrib.lacp import LACP, SlowProtocol

import sltest
from sltest import SETTLE, Capture, Daemon, sh

GROUP = "01:80:c2:00:00:02"
ACTIVITY, TIMEOUT, AGGREGATION, SYNC, COLLECTING, DISTRIBUTING, DEFAULTED = \
    0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40
PARTNER_SYS = "02:fe:00:00:00:01"
GUEST = "02:00:00:00:0a:01"
UNKNOWN = "02:aa:00:00:00:99"
NS = [f"sllacp1-{os.getpid()}", f"sllacp2-{os.getpid()}"]


def is_lacpdu(f):
    return f.haslayer(LACP) and f.dst == GROUP


def lacpdus(cap, wire):
    return [f[LACP] for f in cap.matching(wire, is_lacpdu)]


def bond_lacp(d, ifaces, *props, net_name="lacp"):
    pifs = [d.uuid("pif-introduce", f"device=eth{i}", f"devargs=net_af_packet,iface={ifc}")
            for i, ifc in enumerate(ifaces, 1)]
    net = d.uuid("network-create", f"name-label={net_name}")
    bond = d.uuid("bond-create", f"network-uuid={net}", f"pif-uuids={','.join(pifs)}",
                  "mode=lacp", *[f"properties:{p}" for p in props])
    return bond, net


def wait_show(d, bond, pred, what, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        show = d.json("bond-show", f"uuid={bond}")
        if pred(show):
            return show
        time.sleep(0.1)
    raise AssertionError(f"bond never {what}: {show}")


def distributing(show):
    return [m["device"] for m in show["members"] if m["lacp"]["distributing"]]


class Partner:
    """An LACP partner on the far ends of the members: answers each
    member's LACPDUs with its own, in sync, collecting and distributing,
    as a switch with a configured LAG would."""

    def __init__(self, cap, wires):
        self.cap, self.wires, self._stop = cap, wires, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            for port, wire in enumerate(self.wires, 1):
                got = lacpdus(self.cap, wire)
                if not got:
                    continue
                them = got[-1]
                pdu = Ether(src=f"02:fe:00:00:01:{port:02x}", dst=GROUP) / SlowProtocol() / LACP(
                    actor_system_priority=100, actor_system=PARTNER_SYS, actor_key=7,
                    actor_port_priority=1, actor_port_number=port,
                    actor_state=ACTIVITY | TIMEOUT | AGGREGATION | SYNC | COLLECTING | DISTRIBUTING,
                    partner_system_priority=them.actor_system_priority,
                    partner_system=them.actor_system, partner_key=them.actor_key,
                    partner_port_priority=them.actor_port_priority,
                    partner_port_number=them.actor_port_number,
                    partner_state=them.actor_state)
                sendp(pdu, iface=wire, verbose=False)
            self._stop.wait(0.5)

    def stop(self):
        self._stop.set()
        self._thread.join()


def test_lacpdus_fallback_and_a_partner():
    d = Daemon(None, sltest.workdir("lacp-scapy"))
    try:
        cap = Capture(["t1", "t2"])
        bond, net = bond_lacp(d, ["sl1", "sl2"], "lacp-time=fast")
        v = d.uuid("vif-create", f"network-uuid={net}", f"mac={GUEST}", "device=vifA",
                   "devargs=net_tap,iface=slvifA")
        d.ctl("vif-plug", f"uuid={v}")
        sh("ip link set slvifA up")
        # what sluice says, read by scapy: one system and key on both
        # members, distinct port numbers, active and asking for fast PDUs
        pdus = {w: cap.wait_for(w, is_lacpdu, count=2) for w in ("t1", "t2")}
        for w, got in pdus.items():
            assert len(got) >= 2, (w, got)
        first = {w: got[0][LACP] for w, got in pdus.items()}
        assert first["t1"].actor_system == first["t2"].actor_system != "00:00:00:00:00:00"
        assert first["t1"].actor_key == first["t2"].actor_key
        assert first["t1"].actor_port_number != first["t2"].actor_port_number
        for pdu in first.values():
            assert pdu.actor_state & (ACTIVITY | TIMEOUT | AGGREGATION) == \
                ACTIVITY | TIMEOUT | AGGREGATION, hex(pdu.actor_state)
            assert pdu.actor_state & DEFAULTED and not pdu.actor_state & SYNC
            assert pdu.partner_system == "00:00:00:00:00:00"
        # nobody answers: active-backup on one member
        show = wait_show(d, bond, lambda s: s["lacp"] == "fallback-active-backup", "fell back")
        assert len([m for m in show["members"] if m["active"]]) == 1, show
        srcs = [f"02:00:00:01:00:{i:02x}" for i in range(16)]
        sendp([Ether(src=s, dst=UNKNOWN) / IP() / UDP() / Raw(f"fb-{i}".encode())
               for i, s in enumerate(srcs)], iface="slvifA", verbose=False)
        time.sleep(SETTLE)
        on = {w: len(cap.matching(w, lambda f: b"fb-" in bytes(f))) for w in ("t1", "t2")}
        assert sorted(on.values()) == [0, 16], on
        # without fallback nothing goes out, and that is counted
        d.ctl("bond-param-set", f"uuid={bond}", "properties:lacp-fallback-ab=false")
        before = d.json("stats")["drops"]["bond_no_member"]
        sendp(Ether(src=GUEST, dst=UNKNOWN) / Raw(b"no-lag"), iface="slvifA", verbose=False)
        time.sleep(SETTLE)
        assert not any(cap.matching(w, lambda f: b"no-lag" in bytes(f)) for w in ("t1", "t2"))
        assert d.json("stats")["drops"]["bond_no_member"] == before + 1
        # a partner: the aggregate forms on both members
        partner = Partner(cap, ["t1", "t2"])
        show = wait_show(d, bond, lambda s: len(distributing(s)) == 2, "aggregated")
        assert show["lacp"] == "negotiated", show
        for m in show["members"]:
            assert m["lacp"]["partner"]["system"] == PARTNER_SYS, m
            assert m["lacp"]["partner"]["key"] == 7, m
            assert m["lacp"]["collecting"], m
        # ... which the partner hears: sluice in sync with it
        time.sleep(1.5)
        for w in ("t1", "t2"):
            last = lacpdus(cap, w)[-1]
            assert last.actor_state & (SYNC | COLLECTING | DISTRIBUTING) == \
                SYNC | COLLECTING | DISTRIBUTING, hex(last.actor_state)
            assert last.partner_system == PARTNER_SYS and last.partner_key == 7
        # traffic by source MAC over both members, each source on the
        # member bond-show names
        cap.clear()
        sendp([Ether(src=s, dst=UNKNOWN) / IP() / UDP() / Raw(f"<agg-{i}>".encode())
               for i, s in enumerate(srcs)], iface="slvifA", verbose=False)
        time.sleep(SETTLE)
        where = {}
        for i in range(len(srcs)):
            w = [t for t in ("t1", "t2") for _ in cap.matching(t, lambda f, i=i: f"<agg-{i}>".encode() in bytes(f))]
            assert len(w) == 1, (i, w)
            where[i] = w[0]
        assert set(where.values()) == {"t1", "t2"}, where
        carried = {s["MAC"]: s["member"] for s in d.json("bond-show", f"uuid={bond}")["sources"]}
        sendp(Ether(src=GUEST, dst=UNKNOWN) / Raw(b"guest-agg"), iface="slvifA", verbose=False)
        time.sleep(SETTLE)
        w = [t for t in ("t1", "t2") if cap.matching(t, lambda f: b"guest-agg" in bytes(f))]
        assert w == [{"eth1": "t1", "eth2": "t2"}[carried[GUEST]]], (w, carried)
        # the partner goes quiet: after the short timeout the members
        # leave the aggregate
        partner.stop()
        d.ctl("bond-param-set", f"uuid={bond}", "properties:lacp-fallback-ab=true")
        wait_show(d, bond, lambda s: s["lacp"] == "fallback-active-backup", "expired", timeout=10)
        # a malformed LACPDU is counted, not believed
        sendp(Ether(src="02:fe:00:00:01:01", dst=GROUP, type=0x8809) / Raw(b"\x01\x01\x07"),
              iface="t1", verbose=False)
        wait_show(d, bond, lambda s: s["members"][0]["lacp"]["pdus-malformed"] == 1, "counted it")
        cap.close()
    finally:
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


def ping(ns, addr, count=5):
    r = subprocess.run(f"ip netns exec {ns} ping -c {count} -i 0.2 -W 2 {addr}",
                       shell=True, text=True, capture_output=True)
    return r.stdout + r.stderr


def test_two_hosts():
    hosts = []
    try:
        for i, ns in enumerate(NS, 1):
            d = Daemon(None, sltest.workdir(f"lacp-host{i}"), netns=ns)
            hosts.append(d)
            bond, net = bond_lacp(d, [f"l{i}a", f"l{i}b"], "lacp-time=fast",
                                  net_name=f"host{i}")
            v = d.uuid("vif-create", f"network-uuid={net}", f"mac=02:00:00:00:0{i}:01",
                       "device=mgmt", "devargs=net_tap,iface=slmgmt")
            d.ctl("vif-plug", f"uuid={v}")
            sh(f"ip netns exec {ns} ip addr add 10.8.0.{i}/24 dev slmgmt")
            sh(f"ip netns exec {ns} ip link set slmgmt up")
            d.bond = bond
        shows = [wait_show(d, d.bond, lambda s: len(distributing(s)) == 2, "aggregated")
                 for d in hosts]
        # each host's partner is the other host
        for me, other in ((0, 1), (1, 0)):
            their = {m["lacp"]["actor"]["system"] for m in shows[other]["members"]}
            mine = {m["lacp"]["partner"]["system"] for m in shows[me]["members"]}
            assert mine == their and len(mine) == 1, (mine, their)
        out = ping(NS[0], "10.8.0.2")
        assert " 0% packet loss" in out, out
        # one link down (its both ends lose carrier): the other carries on
        sh(f"ip netns exec {NS[0]} ip link set l1a down")
        for d in hosts:
            show = wait_show(d, d.bond, lambda s: len(distributing(s)) == 1, "down to one")
        sh(f"ip netns exec {NS[0]} ip neigh flush all")
        out = ping(NS[0], "10.8.0.2")
        assert " 0% packet loss" in out, out
        out = ping(NS[1], "10.8.0.1")
        assert " 0% packet loss" in out, out
        assert show["lacp"] == "negotiated", show
    finally:
        ends = [d.stop() for d in hosts]	# every host, before judging any
        for d, (code, final) in zip(hosts, ends):
            assert code == 0, d.log
            assert final["mbufs"]["all-returned"], final["mbufs"]


def setup():
    sltest.quiet_netns()
    for i in (1, 2):
        sltest.veth(f"sl{i}", f"t{i}")
    for ns in NS:
        sh(f"ip netns add {ns}")
        sh(f"ip netns exec {ns} sysctl -qw net.ipv6.conf.all.disable_ipv6=1")
        sh(f"ip netns exec {ns} sysctl -qw net.ipv6.conf.default.disable_ipv6=1")
        sh(f"ip netns exec {ns} ip link set lo up")
    for end in ("a", "b"):
        sh(f"ip link add l1{end} netns {NS[0]} type veth peer name l2{end} netns {NS[1]}")
        for i, ns in enumerate(NS, 1):
            sh(f"ip netns exec {ns} ip link set l{i}{end} up")
            # af_packet leaves the kernel's stack on the member too: it
            # must not answer ARP for the host's management address
            sh(f"ip netns exec {ns} sysctl -qw net.ipv4.conf.l{i}{end}.arp_ignore=8")
        for i, ns in enumerate(NS, 1):
            sltest.wait_carrier(f"l{i}{end}", ns)


def teardown():
    for ns in NS:
        sh(f"ip netns del {ns}", check=False)


if __name__ == "__main__":
    setup()
    try:
        sltest.run([test_lacpdus_fallback_and_a_partner, test_two_hosts])
    finally:
        teardown()
