"""Packet trace through the real daemon: `sluicectl trace` runs a made-up
frame through the datapath's real stages and reports each stage's decision
and the frames each out port would send. The frames it reports are read
with scapy (the oracle), never with sluice's parser; the switch itself
must not notice (nothing learned, counted or sent)."""
import json
import signal
import subprocess
import time

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Dot1Q, Ether, ICMPv6ND_NS, IPv6, Raw, raw,
                       sendp)

import sltest
from sltest import Capture, Daemon, Topology, tagged

V1, V2, V3 = "02:00:00:00:0a:01", "02:00:00:00:0a:02", "02:00:00:00:0a:03"
EXT = "02:00:00:00:01:01"
UNKNOWN = "02:00:00:00:09:09"


def topology():
    topo = Topology()
    a = topo.network("xenbr0", mtu=1500)
    topo.pif("eth1", "net_null,no-rx=1", a)
    topo.vif("vif1.0", "net_null,no-rx=1", V1, a)
    topo.vif("vif2.0", "net_null,no-rx=1", V2, a)
    return topo


def start():
    d = Daemon(topology(), sltest.workdir("trace"))
    try:
        # a VLAN network on eth1's tag 10 with a VIF of its own
        eth1 = d.json("pif-list", "device=eth1")[0]["uuid"]
        n10 = d.uuid("network-create", "name-label=vlan10", "bridge=xapi10")
        d.uuid("vlan-create", f"pif-uuid={eth1}", "vlan=10", f"network-uuid={n10}")
        vif = d.uuid("vif-create", "device=vif3.0", "devargs=net_null,no-rx=1",
                     f"mac={V3}", f"network-uuid={n10}")
        d.ctl("vif-plug", f"uuid={vif}")
    except BaseException:
        d.kill()
        raise
    return d


def stop(d):
    """A clean exit: no leak, nothing a sanitizer said."""
    code, _ = d.stop()
    assert code == 0, d.log


def trace(d, *args):
    return d.json("trace", *args)


def stage(t, name):
    return next(s for s in t["stages"] if s["stage"] == name)


def outputs(t):
    """{port: the frame as scapy reads it}"""
    return {o["port"]: Ether(bytes.fromhex(o["frame"])) for o in t["outputs"]}


def test_forward_flood_and_tags():
    d = start()
    try:
        before = d.json("stats")
        # to a VIF's MAC: the FDB has it (static), one output
        t = trace(d, "in_port=eth1", "bridge=xenbr0",
                  f"packet=dl_src={EXT},dl_dst={V1},udp,nw_src=10.1.0.1,nw_dst=10.1.0.2,tp_src=1000,tp_dst=53")
        assert t["verdict"] == "sent out of 1 port", t
        p = stage(t, "parse")["fields"]
        assert p["dl_src"] == EXT and p["nw_dst"] == "10.1.0.2" and p["tp_dst"] == 53, p
        assert stage(t, "ingress")["network"] == "xenbr0"
        assert stage(t, "rules")["flow"]["actions"] == "NORMAL"
        fdb = stage(t, "l2")["fdb"]
        assert fdb["decision"] == "forward" and fdb["port"] == "vif1.0" and fdb["static"], fdb
        out = outputs(t)
        assert list(out) == ["vif1.0"], out
        f = out["vif1.0"]
        assert f.dst == V1 and f.src == EXT and f[IP].dst == "10.1.0.2" and f[UDP].dport == 53
        # the same frame given in hex (scapy's bytes) is traced the same
        hexframe = raw(Ether(src=EXT, dst=V1) / IP(src="10.1.0.1", dst="10.1.0.2") /
                       UDP(sport=1000, dport=53)).hex()
        t2 = trace(d, "in_port=eth1", f"packet={hexframe}")
        assert [o["port"] for o in t2["outputs"]] == ["vif1.0"], t2

        # an unknown destination floods: every other port of the network
        t = trace(d, "in_port=vif1.0", f"packet=dl_src={V1},dl_dst={UNKNOWN},ip")
        assert stage(t, "l2")["fdb"]["decision"].startswith("flood"), t
        assert sorted(outputs(t)) == ["eth1", "vif2.0"], t

        # from the VLAN network's VIF: out of eth1 with tag 10 pushed
        t = trace(d, "in_port=vif3.0", f"packet=dl_src={V3},dl_dst={UNKNOWN},tcp,tp_dst=80")
        assert stage(t, "ingress")["network"] == "xapi10", t
        out = outputs(t)
        assert list(out) == ["eth1"], out
        assert out["eth1"][Dot1Q].vlan == 10 and out["eth1"][TCP].dport == 80, out["eth1"].show(dump=True)
        assert t["outputs"][0]["vlan"] == 10
        # a tagged frame into eth1: tag popped, the VLAN's VIF gets it untagged
        t = trace(d, "in_port=eth1", f"packet=dl_src={EXT},dl_dst={V3},dl_vlan=10,ip")
        ing = stage(t, "ingress")
        assert ing["network"] == "xapi10" and ing["vlan-popped"] == 10, ing
        out = outputs(t)
        assert list(out) == ["vif3.0"] and Dot1Q not in out["vif3.0"], t
        # a tag no network claims: dropped at ingress, named
        t = trace(d, "in_port=eth1", f"packet=dl_src={EXT},dl_dst={V3},dl_vlan=99,ip")
        assert t["verdict"] == "dropped at ingress: vlan_unclaimed", t
        assert t["outputs"] == []
        # too long for the network's MTU
        t = trace(d, "in_port=eth1", f"packet=dl_src={EXT},dl_dst={V1},udp,len=1600")
        assert t["verdict"] == "dropped at ingress: rx_oversize", t

        # the switch noticed nothing: no MAC learned, no packet counted
        macs = [e["MAC"] for e in d.json("fdb-show")]
        assert EXT not in macs and V3 in macs and UNKNOWN not in macs, macs
        after = d.json("stats")
        for dev in ("eth1", "vif1.0", "vif2.0", "vif3.0"):
            b = sltest.port_stats(before, dev) if dev != "vif3.0" else None
            a = sltest.port_stats(after, dev)
            assert a["rx-packets"] == 0 and a["tx-packets"] == 0, (dev, a)
            if b:
                assert a == b or a["tx-packets"] == b["tx-packets"], (dev, a, b)
        assert sum(after["drops"].values()) == sum(before["drops"].values()), after["drops"]

        # people's text
        _, text, _ = d.ctl("trace", "in_port=eth1", f"packet=dl_src={EXT},dl_dst={V1},ip")
        assert text.startswith("Frame of 60 bytes in on eth1: sent out of 1 port\n"), text
        assert "  l2       continue: forward to vif1.0 (static: the VIF's MAC)" in text, text
        assert "Out:\n  vif1.0, 60 bytes\n" in text, text
    finally:
        stop(d)


def test_rules():
    d = start()
    try:
        d.ctl("add-rule", "bridge=xenbr0", "direction=to", "protocol=tcp", "port=22",
              "ipRange=10.9.0.0/16", "allow=false", "cookie=0x1f", "priority=300")
        t = trace(d, "in_port=eth1",
                  f"packet=dl_src={EXT},dl_dst={V1},tcp,nw_src=10.1.0.2,nw_dst=10.9.0.5,tp_dst=22")
        assert t["verdict"] == "dropped at rules: rule_deny", t
        r = stage(t, "rules")
        assert r["result"] == "drop" and r["drop-reason"] == "rule_deny", r
        assert r["flow"]["cookie"] == "0x1f" and r["flow"]["priority"] == 300, r
        assert "tp_dst=22" in r["flow"]["match"] and r["flow"]["actions"] == "drop", r
        assert t["outputs"] == [] and t["drops"] == {"rule_deny": 1}, t
        assert not any(s["stage"] == "l2" for s in t["stages"])
        # another port is not the rule's: NORMAL
        t = trace(d, "in_port=eth1",
                  f"packet=dl_src={EXT},dl_dst={V1},tcp,nw_src=10.1.0.2,nw_dst=10.9.0.5,tp_dst=23")
        assert stage(t, "rules")["flow"]["actions"] == "NORMAL", t
        # the trace counted nothing on the rule
        rules = d.json("rule-list", "cookie=0x1f")
        assert all(r["n-packets"] == 0 for r in rules), rules
    finally:
        stop(d)


def checksums_ok(f):
    """scapy recomputes every checksum of the frame: the same bytes."""
    again = f.copy()
    for layer in (IP, TCP, UDP, ICMP, ICMPv6ND_NS):
        if layer in again:
            for field in ("chksum", "cksum"):
                if hasattr(again[layer], field):
                    delattr(again[layer], field)
    return raw(Ether(raw(again))) == raw(f)


def test_packet_builder():
    """The frames built from field lists, as scapy reads them."""
    d = start()
    try:
        def built(fields):
            return Ether(bytes.fromhex(trace(d, "in_port=eth1", f"packet={fields}")["frame"]))

        f = built("dl_src=02:00:00:00:0a:01,dl_dst=02:00:00:00:0b:01,tcp,"
                  "nw_src=10.0.0.5,nw_dst=10.0.0.9,tp_src=4000,tp_dst=22,nw_ttl=9")
        assert (f.src, f.dst, f[IP].src, f[IP].dst, f[IP].ttl) == \
            ("02:00:00:00:0a:01", "02:00:00:00:0b:01", "10.0.0.5", "10.0.0.9", 9), f.show(dump=True)
        assert (f[TCP].sport, f[TCP].dport) == (4000, 22) and checksums_ok(f)
        f = built("dl_vlan=10,dl_vlan_pcp=3,arp,arp_op=2,arp_sha=02:00:00:00:00:09,"
                  "arp_spa=10.0.0.1,arp_tpa=10.0.0.2")
        assert f[Dot1Q].vlan == 10 and f[Dot1Q].prio == 3, f.show(dump=True)
        assert (f[ARP].op, f[ARP].hwsrc, f[ARP].psrc, f[ARP].pdst) == \
            (2, "02:00:00:00:00:09", "10.0.0.1", "10.0.0.2")
        f = built("icmp6,ipv6_src=fe80::1,ipv6_dst=ff02::1,icmpv6_type=135,nd_target=fe80::2")
        assert f[IPv6].src == "fe80::1" and f[ICMPv6ND_NS].tgt == "fe80::2", f.show(dump=True)
        assert checksums_ok(f), f.show(dump=True)
        t = trace(d, "in_port=eth1", "packet=udp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_dst=5300,len=300")
        f = Ether(bytes.fromhex(t["frame"]))	# its first 160 bytes
        assert t["length"] == 300 and f[UDP].dport == 5300 and checksums_ok(f), t
        f = built("icmp,icmp_type=8,icmp_code=0")
        assert f[ICMP].type == 8 and checksums_ok(f)
        # the parse stage reads IPv6 addresses back
        t = trace(d, "in_port=eth1", "packet=udp6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2")
        p = stage(t, "parse")["fields"]
        assert p["ipv6_src"] == "2001:db8::1" and p["dl_type"] == "0x86dd", p
    finally:
        stop(d)


def test_errors():
    d = start()
    try:
        d.expect_error(["trace", "in_port=vif9.9", "packet=ip"], 1003, "HANDLE_INVALID",
                       "in_port: no PIF or VIF has device 'vif9.9'")
        d.expect_error(["trace", "in_port=eth1", "packet=dl_src=zz,ip"], 1060,
                       "TRACE_PACKET_INVALID", "packet: dl_src 'zz' is not valid")
        d.expect_error(["trace", "in_port=eth1", "packet=tp_dst=22"], 1060,
                       "TRACE_PACKET_INVALID", "no dl_type")
        d.expect_error(["trace", "in_port=eth1", "packet=colour=blue,ip"], 1060,
                       "TRACE_PACKET_INVALID", "'colour' is not a field")
        d.expect_error(["trace", "in_port=eth1", "packet=0011223344"], 1060,
                       "TRACE_PACKET_INVALID", "5 bytes are not an Ethernet frame")
        d.expect_error(["trace", "in_port=eth1", "packet=00112g"], 1060,
                       "TRACE_PACKET_INVALID", "hex frame")
        d.expect_error(["trace", "in_port=vif1.0", "bridge=xapi10", "packet=ip"], 1003,
                       "HANDLE_INVALID", "bridge: vif1.0 is not on a network of bridge xapi10")
        d.expect_error(["trace", "packet=ip"], 1001, "MISSING_PARAMETER", "in_port")
        d.expect_error(["trace-live-show"], 1062, "TRACE_UNKNOWN",
                       "trace-live: none has run yet")
        d.expect_error(["trace-live", "port=vif1.0", "count=0"], 1000, "INVALID_VALUE", "count")
    finally:
        stop(d)


def live_topology():
    topo = Topology()
    a = topo.network("xenbr0")
    topo.pif("eth1", "net_af_packet,iface=sl1", a)
    topo.pif("eth2", "net_af_packet,iface=sl2", a)
    topo.vif("vif1.0", "net_null,no-rx=1", V1, a)
    return topo


def follow(d, *args):
    """sluicectl trace-live ... --json, running: it waits for the end."""
    return subprocess.Popen([sltest.SLUICECTL, "--socket", d.socket, "--json", "trace-live", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def udp(dport, payload, dst=UNKNOWN):
    return Ether(src=EXT, dst=dst) / IP(src="10.1.0.1", dst="10.1.0.2") / \
        UDP(sport=1000, dport=dport) / Raw(payload)


def payload(f):
    """The UDP payload (scapy reads port 53's as DNS)."""
    return bytes(f[UDP].payload)


def waiting(d):
    """The last live trace waits for packets (False: none started yet)."""
    rc, out, _ = d.ctl("--json", "trace-live-show", check=False)
    return rc == 0 and json.loads(out)["state"] == "waiting"


def test_live():
    d = Daemon(live_topology(), sltest.workdir("trace-live"))
    cap = Capture(["t2"])
    try:
        client = follow(d, "port=eth1", "count=2", "filter=udp port 53")
        sltest.wait_for(lambda: waiting(d), "the live trace to start")
        frames = [udp(80, b"not-traced-80"), udp(53, b"traced-1"), udp(53, b"traced-2"),
                  udp(53, b"after-count")]
        for f in frames:
            sendp(f, iface="t1", verbose=False)
        out, err = client.communicate(timeout=30)
        assert client.returncode == 0, err
        t = json.loads(out)
        assert t["state"] == "done" and t["reason"] == "every packet recorded", t
        assert t["recorded"] == 2 and t["filtered"] >= 1, t
        for rec, f in zip(t["packets"], frames[1:3]):
            # what the worker saw is what scapy sent
            assert payload(Ether(bytes.fromhex(rec["frame"]))) == f[Raw].load, rec
            assert rec["verdict"] == "sent out of 2 ports", rec
            assert stage(rec, "l2")["fdb"]["decision"].startswith("flood"), rec
            outs = outputs(rec)
            assert sorted(outs) == ["eth2", "vif1.0"], rec
            assert payload(outs["eth2"]) == f[Raw].load
        # traced or not, every frame was switched as usual
        for f in frames:
            cap.wait_for("t2", tagged(f[Raw].load))
        assert EXT in [e["MAC"] for e in d.json("fdb-show")]

        # one at a time; the client that started it stops it with Ctrl-C
        client = follow(d, "port=eth1", "count=5")
        sltest.wait_for(lambda: waiting(d), "the second live trace to start")
        d.expect_error(["trace-live", "port=eth2"], 1063, "TRACE_LIVE_BUSY",
                       "is still waiting (trace-live-stop ends it)")
        sendp(udp(99, b"one-of-five", dst=V1), iface="t1", verbose=False)
        sltest.wait_for(lambda: d.json("trace-live-show")["recorded"] == 1, "one packet traced")
        client.send_signal(signal.SIGINT)
        out, err = client.communicate(timeout=30)
        assert client.returncode == 0, err
        t = json.loads(out)
        assert t["reason"] == "stopped (trace-live-stop)" and t["recorded"] == 1, t
        assert stage(t["packets"][0], "l2")["fdb"]["port"] == "vif1.0", t

        # people's text, from trace-live-show
        _, text, _ = d.ctl("trace-live-show", "id=2")
        assert text.startswith("Live trace 2 on eth1: 1 of 5 packets traced"), text
        assert "\n#1 Frame of 53 bytes in on eth1: sent out of 1 port\n" in text, text

        # a client killed: its trace ends with its connection
        client = follow(d, "port=eth2")
        sltest.wait_for(lambda: waiting(d), "the third live trace to start")
        client.kill()
        client.wait()
        sltest.wait_for(lambda: not waiting(d), "the trace to end with its client")
        assert d.json("trace-live-show")["reason"] == "client gone"

        d.expect_error(["trace-live-show", "id=2"], 1062, "TRACE_UNKNOWN",
                       "no live trace has id 2 (only the last is kept)")
        d.expect_error(["trace-live", "port=eth1", "count=65"], 1000, "INVALID_VALUE",
                       "count: '65' is not a whole number in 1..64")
        d.expect_error(["trace-live", "port=eth1", "filter=udp port"], 1045,
                       "CAPTURE_FILTER_INVALID", "filter: 'udp port'")
    finally:
        cap.close()
        stop(d)


def agreement_topology():
    topo = Topology()
    # an MTU a frame can pass over on the test's 1500-byte veths
    a = topo.network("xenbr0", mtu=1400)
    topo.pif("eth1", "net_af_packet,iface=sl1", a)
    topo.pif("eth2", "net_af_packet,iface=sl2", a)
    topo.vif("vif1.0", "net_af_packet,iface=sl3", V1, a)
    return topo


# the test's side of each port
WIRE = {"eth1": "t1", "eth2": "t2", "vif1.0": "t3", "vif3.0": "t4"}


def agree(d, cap, device, frame):
    """Trace frame in on device, then send it for real: the ports the
    trace sends it to are those it arrives at, with the same bytes."""
    t = trace(d, f"in_port={device}", f"packet={raw(frame).hex()}")
    payload = frame[Raw].load
    cap.clear()
    sendp(frame, iface=WIRE[device], verbose=False)
    for o in t["outputs"]:
        got = cap.wait_for(WIRE[o["port"]], tagged(payload))
        assert len(got) == 1, (o["port"], got, t)
        sent = raw(got[0])
        assert len(sent) == o["length"] and sent[:160].hex() == o["frame"], \
            (o["port"], sent.hex(), o["frame"])
    time.sleep(sltest.SETTLE)
    quiet = set(WIRE) - {o["port"] for o in t["outputs"]}
    for dev in quiet:
        assert not cap.matching(WIRE[dev], tagged(payload)), (dev, t)
    return t


def test_trace_agrees_with_the_datapath():
    """For the bench's scenarios (L2, VLAN pop and push, rules allow and
    deny, MTU drop; the bond's and VXLAN's are in test_bond and
    test_tunnel), the trace's outputs are what the datapath does to the
    same frame, read at the test's end of each port."""
    d = Daemon(agreement_topology(), sltest.workdir("trace-agree"))
    cap = Capture(list(WIRE.values()))
    try:
        eth1 = d.json("pif-list", "device=eth1")[0]["uuid"]
        n10 = d.uuid("network-create", "name-label=vlan10", "bridge=xapi10")
        d.uuid("vlan-create", f"pif-uuid={eth1}", "vlan=10", f"network-uuid={n10}")
        vif = d.uuid("vif-create", "device=vif3.0", "devargs=net_af_packet,iface=sl4",
                     f"mac={V3}", f"network-uuid={n10}")
        d.ctl("vif-plug", f"uuid={vif}")
        d.ctl("add-rule", "bridge=xenbr0", "direction=to", "protocol=tcp", "port=22",
              "ipRange=10.9.0.0/16", "allow=false", "cookie=0x1f", "priority=300")

        def ip(src, dst, l4, payload, tag=None, size=0):
            f = Ether(src=src, dst=dst)
            if tag is not None:
                f = f / Dot1Q(vlan=tag)
            f = f / IP(src="10.1.0.1", dst="10.9.0.9") / l4 / Raw(payload)
            return f / Raw(b"\0" * max(0, size - len(f)))

        # L2: an unknown destination floods, a learned one is forwarded
        t = agree(d, cap, "eth1", ip(EXT, UNKNOWN, UDP(dport=7), b"agree-flood"))
        assert sorted(o["port"] for o in t["outputs"]) == ["eth2", "vif1.0"], t
        t = agree(d, cap, "eth2", ip(UNKNOWN, EXT, UDP(dport=7), b"agree-learned"))
        assert [o["port"] for o in t["outputs"]] == ["eth1"], t
        # VLAN: popped on the way in, pushed on the way out
        t = agree(d, cap, "eth1", ip(EXT, V3, UDP(dport=7), b"agree-pop", tag=10))
        assert [o["port"] for o in t["outputs"]] == ["vif3.0"], t
        t = agree(d, cap, "vif3.0", ip(V3, UNKNOWN, UDP(dport=7), b"agree-push"))
        assert [(o["port"], o["vlan"]) for o in t["outputs"]] == [("eth1", 10)], t
        # rules: denied and allowed
        t = agree(d, cap, "eth1", ip(EXT, V1, TCP(dport=22), b"agree-deny"))
        assert t["verdict"] == "dropped at rules: rule_deny" and not t["outputs"], t
        t = agree(d, cap, "eth1", ip(EXT, V1, TCP(dport=23), b"agree-allow"))
        assert [o["port"] for o in t["outputs"]] == ["vif1.0"], t
        # MTU: over the network's 1400 bytes, dropped where it comes in
        t = agree(d, cap, "eth1", ip(EXT, V1, UDP(dport=7), b"agree-mtu", size=1450))
        assert t["verdict"] == "dropped at ingress: rx_oversize", t
    finally:
        cap.close()
        stop(d)


if __name__ == "__main__":
    sltest.quiet_netns()
    for i in (1, 2, 3, 4):
        sltest.veth(f"sl{i}", f"t{i}")
    sltest.run([test_forward_flood_and_tags, test_rules, test_packet_builder, test_errors,
                test_live, test_trace_agrees_with_the_datapath])
