"""Flow rules on the real daemon, checked with scapy on the wire: TCP 22
blocked both ways for one VIF by MAC while another is untouched; a
network-wide rule on a VLAN network applied to tagged traffic from the
uplink; ICMP (type/code as port) and ARP rules; overlapping priorities and
the equal-priority tie; cookie replace and delete; dump-flows' shape and
counters; batches all-or-nothing; rules kept across a restart; the XAPI
plugin (tools/xapi/sdncontroller.py) against the daemon with a stand-in
XenAPIPlugin module; and continuous traffic through 1,000 rule updates
with no packet lost that no rule-set version dropped."""
import importlib.util
import json
import os
import re
import socket
import sys
import threading
import time

from scapy.all import ARP, ICMP, IP, TCP, UDP, Dot1Q, Ether, Raw, sendp

import sltest
from sltest import SETTLE, Capture, Daemon, sh

A, B, C = "02:00:00:00:0a:01", "02:00:00:00:0b:01", "02:00:00:00:0c:01"
EXT = "02:aa:00:00:00:01"
TAPS = {"vifA": A, "vifB": B, "vifC": C}
WIRE = "t1"
ALL = [WIRE] + [f"sl{v}" for v in TAPS]
HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN = os.path.join(HERE, "..", "..", "tools", "xapi", "sdncontroller.py")


def has(tag):
    return lambda f: tag in bytes(f)


def arrives(cap, iface, tag):
    return len(cap.wait_for(iface, has(tag))) >= 1


def absent(cap, iface, tag):
    time.sleep(SETTLE)
    return not cap.matching(iface, has(tag))


def build(d):
    """xenbr0 (eth1's network) with vifA and vifB; VLAN 10 on eth1 with vifC."""
    eth1 = d.uuid("pif-introduce", "device=eth1", "devargs=net_af_packet,iface=sl1")
    d.ctl("pif-plug", f"uuid={eth1}")
    xenbr = d.json("pif-param-get", f"uuid={eth1}", "param-name=network-uuid")
    n10 = d.uuid("network-create", "name-label=VLAN 10", "bridge=xapi10")
    d.uuid("vlan-create", f"pif-uuid={eth1}", "vlan=10", f"network-uuid={n10}")
    nets = {"vifA": xenbr, "vifB": xenbr, "vifC": n10}
    for dev, mac in TAPS.items():
        v = d.uuid("vif-create", f"network-uuid={nets[dev]}", f"mac={mac}",
                   f"device={dev}", f"devargs=net_tap,iface=sl{dev}")
        d.ctl("vif-plug", f"uuid={v}")
        sh(f"ip link set sl{dev} up")
    bridge = d.json("network-param-get", f"uuid={xenbr}", "param-name=bridge")
    return bridge, xenbr, n10


def tcp(src_mac, dst_mac, src, dst, sport, dport, tag, vlan=None):
    f = Ether(src=src_mac, dst=dst_mac)
    if vlan is not None:
        f = f / Dot1Q(vlan=vlan)
    return f / IP(src=src, dst=dst) / TCP(sport=sport, dport=dport) / Raw(tag)


def udp(src_mac, dst_mac, src, dst, dport, tag, vlan=None):
    f = Ether(src=src_mac, dst=dst_mac)
    if vlan is not None:
        f = f / Dot1Q(vlan=vlan)
    return f / IP(src=src, dst=dst) / UDP(sport=40000, dport=dport) / Raw(tag)


def flows(d, bridge):
    return d.json("dump-flows", f"bridge={bridge}")


def flow_line(out, *parts):
    """The dump-flows line holding every part."""
    lines = [l for l in out["stdout"].splitlines() if all(p in l for p in parts)]
    assert len(lines) == 1, (parts, out["stdout"])
    return lines[0]


def counters(line):
    m = re.search(r"n_packets=(\d+), n_bytes=(\d+)", line)
    return int(m.group(1)), int(m.group(2))


def learn(cap):
    """Teach the switch where EXT is, so unicast to it is not flooded."""
    sendp(Ether(src=EXT, dst="ff:ff:ff:ff:ff:ff") / Raw(b"hello-ext"), iface=WIRE, verbose=False)
    assert arrives(cap, "slvifA", b"hello-ext")


def check_ssh_block(d, cap, bridge):
    add = ["add-rule", f"bridge={bridge}", f"mac={A}", "direction=from/to",
           "protocol=tcp", "ipRange=192.168.1.0/24", "port=22", "allow=false"]
    assert d.ctl(*add)[1].strip() == "true"
    # A to 192.168.1.5:22 is dropped, to :80 goes; B is not concerned
    sendp(tcp(A, EXT, "10.0.0.1", "192.168.1.5", 33000, 22, b"a-to-22"), iface="slvifA", verbose=False)
    sendp(tcp(A, EXT, "10.0.0.1", "192.168.1.5", 33000, 80, b"a-to-80"), iface="slvifA", verbose=False)
    sendp(tcp(A, EXT, "10.0.0.1", "192.168.2.5", 33000, 22, b"a-to-other-22"), iface="slvifA", verbose=False)
    sendp(tcp(B, EXT, "10.0.0.2", "192.168.1.5", 33000, 22, b"b-to-22"), iface="slvifB", verbose=False)
    assert arrives(cap, WIRE, b"a-to-80")
    assert arrives(cap, WIRE, b"a-to-other-22")
    assert arrives(cap, WIRE, b"b-to-22")
    assert absent(cap, WIRE, b"a-to-22")
    # and from 192.168.1.0/24 port 22 to A is dropped, to B goes
    sendp(tcp(EXT, A, "192.168.1.7", "10.0.0.1", 22, 33000, b"22-to-a"), iface=WIRE, verbose=False)
    sendp(tcp(EXT, B, "192.168.1.7", "10.0.0.2", 22, 33000, b"22-to-b"), iface=WIRE, verbose=False)
    sendp(tcp(EXT, A, "192.168.9.7", "10.0.0.1", 22, 33000, b"elsewhere-ssh-to-a"), iface=WIRE, verbose=False)
    assert arrives(cap, "slvifB", b"22-to-b")
    assert arrives(cap, "slvifA", b"elsewhere-ssh-to-a")
    assert absent(cap, "slvifA", b"22-to-a")
    out = flows(d, bridge)
    to_line = flow_line(out, f"dl_src={A}", "nw_dst=192.168.1.0/24", "tp_dst=22")
    from_line = flow_line(out, f"dl_dst={A}", "nw_src=192.168.1.0/24", "tp_src=22")
    assert "priority=32768,tcp," in to_line and to_line.endswith("actions=drop"), to_line
    assert counters(to_line)[0] == 1 and counters(from_line)[0] == 1, out["stdout"]
    assert counters(to_line)[1] >= 60, to_line
    stats = d.json("stats")
    assert stats["drops"].get("rule_deny", 0) == 2, stats["drops"]


def check_dump_shape(d, bridge):
    out = flows(d, bridge)
    assert out["returncode"] == 0 and out["stderr"] == "" and isinstance(out["command"], list), out
    lines = out["stdout"].splitlines()
    assert lines[0] == "OFPST_FLOW reply (OF1.1) (xid=0x2):", lines
    pat = re.compile(r"^ cookie=0x[0-9a-f]+, duration=\d+\.\d{3}s, table=0, "
                     r"n_packets=\d+, n_bytes=\d+, priority=\d+(,\S+)? actions=(NORMAL|drop)$")
    for l in lines[1:]:
        assert pat.match(l), l
    assert lines[-1].endswith("priority=0 actions=NORMAL"), lines[-1]
    assert counters(lines[-1])[0] > 0   # the NORMAL flow counts what passed


def check_vlan_network_wide(d, cap, bridge):
    # a network-wide rule on the VLAN network: tagged traffic from the uplink
    d.ctl("add-rule", "bridge=xapi10", "direction=to", "protocol=udp", "port=53",
          "ipRange=10.9.0.0/16", "allow=false")
    sendp(udp(EXT, C, "10.1.1.1", "10.9.1.1", 53, b"v10-53", vlan=10), iface=WIRE, verbose=False)
    sendp(udp(EXT, C, "10.1.1.1", "10.9.1.1", 54, b"v10-54", vlan=10), iface=WIRE, verbose=False)
    sendp(udp(EXT, A, "10.1.1.1", "10.9.1.1", 53, b"untagged-53"), iface=WIRE, verbose=False)
    # and from the VLAN's own VIF
    sendp(udp(C, EXT, "10.1.1.3", "10.9.2.2", 53, b"c-out-53"), iface="slvifC", verbose=False)
    sendp(udp(C, EXT, "10.1.1.3", "10.9.2.2", 54, b"c-out-54"), iface="slvifC", verbose=False)
    assert arrives(cap, "slvifC", b"v10-54")
    assert arrives(cap, "slvifA", b"untagged-53")     # other network: untouched
    got = cap.wait_for(WIRE, has(b"c-out-54"))
    assert got and got[0].haslayer(Dot1Q) and got[0][Dot1Q].vlan == 10, got
    assert absent(cap, "slvifC", b"v10-53")
    assert absent(cap, WIRE, b"c-out-53")
    # installed on the parent bridge: dumped there with the tag
    line = flow_line(flows(d, bridge), "dl_vlan=10", "nw_dst=10.9.0.0/16", "tp_dst=53")
    assert counters(line)[0] == 2, line
    # a network-wide rule needs a VIF: nothing to build on an empty network
    d.uuid("network-create", "name-label=empty", "bridge=xenbr77")
    # a network's rules go with it (none may point at a reused network id)
    n88 = d.uuid("network-create", "name-label=gone", "bridge=xenbr88")
    d.ctl("add-rule", "bridge=xenbr88", f"mac={A}", "direction=from/to", "protocol=ip",
          "ipRange=10.88.0.0/16", "allow=false")
    assert len(d.json("rule-list", "bridge=xenbr88")) == 2
    # a rule has an id, not a uuid: --minimal says so rather than commas
    rc, out, err = d.ctl("rule-list", "bridge=xenbr88", "--minimal", check=False)
    assert rc == 1 and out == "" and "these records have no uuid" in err, (out, err)
    d.ctl("network-destroy", f"uuid={n88}")
    assert d.json("rule-list", "bridge=xenbr88") == []
    assert not any("10.88.0.0/16" == r["ip-range"] for r in d.json("rule-list"))
    d.expect_error(["add-rule", "bridge=xenbr77", "direction=to", "protocol=ip",
                    "ipRange=10.0.0.0/8", "allow=false"], 4, "RULE_NOTHING_TO_BUILD",
                   "add_rule: No rules were build")
    d.expect_error(["add-rule", "bridge=xenbr99", "direction=to", "protocol=ip",
                    "ipRange=10.0.0.0/8", "allow=false"], 3, "RULE_REFUSED",
                   "no bridge named 'xenbr99'")


def check_icmp_arp(d, cap, bridge):
    d.ctl("add-rule", f"bridge={bridge}", f"mac={A}", "direction=to", "protocol=icmp",
          "ipRange=10.7.0.0/16", "allow=false")
    # FROM with a port: ICMP type 8 (echo request) towards B
    d.ctl("add-rule", f"bridge={bridge}", f"mac={B}", "direction=from", "protocol=icmp",
          "port=8", "ipRange=0.0.0.0/0", "allow=false")
    d.ctl("add-rule", f"bridge={bridge}", f"mac={A}", "direction=to", "protocol=arp",
          "ipRange=10.6.0.9", "allow=false")
    ping = lambda s, dm, src, dst, t, tag: Ether(src=s, dst=dm) / IP(src=src, dst=dst) / ICMP(type=t) / Raw(tag)
    sendp(ping(A, EXT, "10.0.0.1", "10.7.0.1", 8, b"ping-10.7"), iface="slvifA", verbose=False)
    sendp(ping(A, EXT, "10.0.0.1", "10.8.0.1", 8, b"ping-10.8"), iface="slvifA", verbose=False)
    sendp(ping(EXT, B, "10.5.5.5", "10.0.0.2", 8, b"echo-req-b"), iface=WIRE, verbose=False)
    sendp(ping(EXT, B, "10.5.5.5", "10.0.0.2", 0, b"echo-rep-b"), iface=WIRE, verbose=False)
    arp = lambda tpa: Ether(src=A, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=A, psrc="10.6.0.1", pdst=tpa)
    sendp(arp("10.6.0.9"), iface="slvifA", verbose=False)
    sendp(arp("10.6.0.8"), iface="slvifA", verbose=False)
    is_arp = lambda tpa: (lambda f: f.haslayer(ARP) and f[ARP].pdst == tpa)
    assert arrives(cap, WIRE, b"ping-10.8")
    assert arrives(cap, "slvifB", b"echo-rep-b")
    assert cap.wait_for(WIRE, is_arp("10.6.0.8"))
    assert absent(cap, WIRE, b"ping-10.7")
    assert absent(cap, "slvifB", b"echo-req-b")
    assert not cap.matching(WIRE, is_arp("10.6.0.9"))
    assert not cap.matching("slvifB", is_arp("10.6.0.9"))
    out = flows(d, bridge)
    assert counters(flow_line(out, "icmp", f"dl_dst={B}", "tp_src=8"))[0] == 1
    assert counters(flow_line(out, "arp", "arp_tpa=10.6.0.9"))[0] == 1


def check_priorities(d, cap, bridge):
    base = ["add-rule", f"bridge={bridge}", f"mac={B}", "direction=to"]
    d.ctl(*base, "protocol=ip", "ipRange=10.5.0.0/16", "allow=false", "priority=100")
    d.ctl(*base, "protocol=tcp", "port=443", "ipRange=10.5.1.0/24", "allow=true", "priority=200")
    # equal priorities: the rule added first wins (documented)
    d.ctl(*base, "protocol=ip", "ipRange=10.4.0.0/16", "allow=false", "priority=300")
    d.ctl(*base, "protocol=ip", "ipRange=10.4.0.0/24", "allow=true", "priority=300")
    d.ctl(*base, "protocol=ip", "ipRange=10.3.0.0/24", "allow=true", "priority=300")
    d.ctl(*base, "protocol=ip", "ipRange=10.3.0.0/16", "allow=false", "priority=300")
    sendp(tcp(B, EXT, "10.0.0.2", "10.5.1.1", 33000, 443, b"p-443"), iface="slvifB", verbose=False)
    sendp(tcp(B, EXT, "10.0.0.2", "10.5.1.1", 33000, 80, b"p-80"), iface="slvifB", verbose=False)
    sendp(tcp(B, EXT, "10.0.0.2", "10.5.2.1", 33000, 443, b"p-other-443"), iface="slvifB", verbose=False)
    sendp(tcp(B, EXT, "10.0.0.2", "10.4.0.1", 33000, 80, b"tie-deny-first"), iface="slvifB", verbose=False)
    sendp(tcp(B, EXT, "10.0.0.2", "10.3.0.1", 33000, 80, b"tie-allow-first"), iface="slvifB", verbose=False)
    assert arrives(cap, WIRE, b"p-443")
    assert arrives(cap, WIRE, b"tie-allow-first")
    assert absent(cap, WIRE, b"p-80")
    assert not cap.matching(WIRE, has(b"p-other-443"))
    assert not cap.matching(WIRE, has(b"tie-deny-first"))
    # rule-list is in match order: priority, then age
    prios = [int(r["priority"]) for r in d.json("rule-list")]
    assert prios == sorted(prios, reverse=True), prios


def check_cookies(d, cap, bridge):
    common = [f"bridge={bridge}", "direction=to", "protocol=udp", "ipRange=10.2.0.0/16"]
    d.ctl("add-rule", *common, "port=5000", "allow=false", "cookie=0x0abc")
    sendp(udp(A, EXT, "10.0.0.1", "10.2.0.1", 5000, b"c-5000-1"), iface="slvifA", verbose=False)
    assert absent(cap, WIRE, b"c-5000-1")
    # the same cookie (written otherwise) replaces the rule
    d.ctl("add-rule", *common, "port=6000", "allow=false", "cookie=0xABC")
    rules = d.json("rule-list", "cookie=0xabc")
    assert len(rules) == 1 and rules[0]["port"] == 6000, rules
    sendp(udp(A, EXT, "10.0.0.1", "10.2.0.1", 5000, b"c-5000-2"), iface="slvifA", verbose=False)
    sendp(udp(A, EXT, "10.0.0.1", "10.2.0.1", 6000, b"c-6000-2"), iface="slvifA", verbose=False)
    assert arrives(cap, WIRE, b"c-5000-2")
    assert absent(cap, WIRE, b"c-6000-2")
    # delete by cookie (other arguments validated, not matched)
    d.ctl("del-rule", f"bridge={bridge}", "direction=from", "protocol=icmp",
          "ipRange=1.1.1.1", "cookie=0xabc", "allow=true")
    assert d.json("rule-list", "cookie=0xabc") == []
    sendp(udp(A, EXT, "10.0.0.1", "10.2.0.1", 6000, b"c-6000-3"), iface="slvifA", verbose=False)
    assert arrives(cap, WIRE, b"c-6000-3")
    # without a cookie: the cookie-0 rules the arguments cover
    n = len(d.json("rule-list"))
    d.ctl("del-rule", f"bridge={bridge}", f"mac={B}", "direction=to", "protocol=ip",
          "ipRange=10.3.0.0/16")
    assert len(d.json("rule-list")) == n - 2, d.json("rule-list")


def check_batches(d, bridge, tmp):
    before = d.json("rule-list")
    good = {"bridge": bridge, "mac": A, "direction": "to", "protocol": "udp",
            "ipRange": "10.1.0.0/16", "allow": "false"}
    batch = [dict(good, port=str(p)) for p in range(100, 150)]
    bad = batch + [dict(good, port="70000")]
    path = os.path.join(tmp, "bad.json")
    with open(path, "w") as f:
        json.dump(bad, f)
    d.expect_error(["add-rules", f"rules=@{path}"], 1, "RULE_PARAMETER_INVALID",
                   "rules[50]: add_rule: Failed to get parameters: '70000' is not a valid port")
    assert d.json("rule-list") == before      # all or nothing
    with open(path, "w") as f:
        json.dump(batch, f)
    assert d.ctl("add-rules", f"rules=@{path}")[1].strip() == "50"
    assert len(d.json("rule-list")) == len(before) + 50
    # a file under the limit goes as its JSON (it was one escaped string:
    # 920 KB of rules became 1.09 MB on the wire and was refused) ...
    many = [dict(good, port=str(p), ipRange=f"10.{p // 256}.{p % 256}.0/24",
                 cookie="0xb1") for p in range(1000, 6500)]
    with open(path, "w") as f:
        json.dump(many, f)
    size = os.path.getsize(path)
    assert 900_000 < size < 1024 * 1024, size
    assert d.ctl("add-rules", f"rules=@{path}")[1].strip() == "5500"
    # ... and one over it is refused before it is sent, saying how many fit
    with open(path, "w") as f:
        json.dump(many * 2, f)
    rc, _, err = d.ctl("add-rules", f"rules=@{path}", check=False)
    assert rc == 1 and "takes at most 1048576 bytes a request" in err, err
    assert "rules holds 11000 items: about" in err, err
    fit = int(err.split("rules holds 11000 items: about ")[1].split()[0])
    assert 5500 <= fit < 11000, err
    d.ctl("del-rule", f"bridge={bridge}", f"mac={A}", "direction=to", "protocol=udp",
          "port=1000", "ipRange=10.3.232.0/24", "cookie=0xb1")	# all of the cookie's
    assert len(d.json("rule-list")) == len(before) + 50


def check_plugin(d, bridge):
    sys.path.insert(0, os.path.join(HERE, "xapi_stub"))
    os.environ["SLUICE_SOCKET"] = d.socket
    spec = importlib.util.spec_from_file_location("sdncontroller", PLUGIN)
    plugin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plugin)
    import XenAPIPlugin
    args = {"bridge": bridge, "mac": A, "direction": "to", "protocol": "tcp",
            "ipRange": "172.16.0.0/12", "port": "3306", "allow": "false",
            "priority": "500", "cookie": "0x00FF"}
    assert plugin.add_rule(None, args) == "true"
    assert any(r["cookie"] == "0xff" and r["port"] == 3306 for r in d.json("rule-list"))
    out = json.loads(plugin.dump_flows(None, {"bridge": bridge}))
    assert out["returncode"] == 0 and "nw_dst=172.16.0.0/12,tp_dst=3306" in out["stdout"], out
    assert plugin.del_rule(None, dict(args, allow="true")) == "true"
    assert not any(r["cookie"] == "0xff" for r in d.json("rule-list"))
    cases = [
        (plugin.add_rule, dict(args, direction="both"), "1",
         "add_rule: Failed to get parameters: 'both' is not a valid direction"),
        (plugin.add_rule, dict(args, port=None), "2",
         "add_rule: No port provided, tcp and udp requires one"),
        (plugin.add_rule, dict(args, bridge="xenbr42"), "3", None),
        (plugin.add_rule, {k: v for k, v in args.items() if k != "mac" and k != "bridge"} | {"bridge": "xenbr77"},
         "4", "add_rule: No rules were build"),
        (plugin.del_rule, {"bridge": bridge}, "1",
         "del_rule: Failed to get parameters: direction parameter is missing"),
        (plugin.dump_flows, {}, "1",
         "dump_flows: Failed to get parameters: bridge parameter is missing"),
        (plugin.dump_flows, {"bridge": "xenbr42"}, "3", None),
    ]
    for fn, a, code, msg in cases:
        a = {k: v for k, v in a.items() if v is not None}
        try:
            fn(None, a)
            raise AssertionError(f"{fn.__name__}({a}) did not fail")
        except XenAPIPlugin.Failure as e:
            assert e.code == code, (a, e)
            assert len(e.params) == 3 and e.params[1:] == ["", ""], e
            if msg:
                assert e.params[0] == msg, (e.params[0], msg)
    # sluiced gone: the switch cannot be reached, code 3
    os.environ["SLUICE_SOCKET"] = "/nonexistent/sluiced.sock"
    spec.loader.exec_module(plugin)
    try:
        plugin.dump_flows(None, {"bridge": bridge})
        raise AssertionError("no failure without sluiced")
    except XenAPIPlugin.Failure as e:
        assert e.code == "3" and "cannot reach sluiced" in e.params[0], e


def test_rules():
    tmp = sltest.workdir("rules")
    d = Daemon(None, tmp)
    try:
        bridge, _, _ = build(d)
        cap = Capture(ALL)
        try:
            learn(cap)
            check_ssh_block(d, cap, bridge)
            check_dump_shape(d, bridge)
            check_vlan_network_wide(d, cap, bridge)
            check_icmp_arp(d, cap, bridge)
            check_priorities(d, cap, bridge)
            check_cookies(d, cap, bridge)
            check_batches(d, bridge, tmp)
            check_plugin(d, bridge)
            rules = d.json("rule-list")
        finally:
            cap.close()
        d.stop()
        # kept across a restart, in the same order, and in force
        d = Daemon(None, tmp)
        again = d.json("rule-list")
        strip = lambda rs: [{k: v for k, v in r.items() if k not in ("n-packets", "n-bytes")} for r in rs]
        assert strip(again) == strip(rules)
        # and their counters with them (a clean stop's carry-over, warm.h)
        count = lambda rs: [(r["n-packets"], r["n-bytes"]) for r in rs]
        assert count(again) == count(rules), (count(again), count(rules))
        for dev in TAPS:
            sh(f"ip link set sl{dev} up")
        cap = Capture(ALL)
        try:
            learn(cap)
            sendp(tcp(A, EXT, "10.0.0.1", "192.168.1.5", 33000, 22, b"a-to-22-again"), iface="slvifA", verbose=False)
            sendp(tcp(A, EXT, "10.0.0.1", "192.168.1.5", 33000, 80, b"a-to-80-again"), iface="slvifA", verbose=False)
            assert arrives(cap, WIRE, b"a-to-80-again")
            assert absent(cap, WIRE, b"a-to-22-again")
        finally:
            cap.close()
    finally:
        d.stop()


class Rpc:
    """A JSON-RPC connection to sluiced kept open (1,000 updates, quickly)."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.f = self.s.makefile("r")
        self.id = 0

    def call(self, method, **params):
        self.id += 1
        self.s.sendall((json.dumps({"jsonrpc": "2.0", "id": self.id, "method": method,
                                    "params": params}) + "\n").encode())
        answer = json.loads(self.f.readline())
        assert "error" not in answer, answer
        return answer["result"]


def test_updates_under_traffic():
    """Two UDP flows run from the wire to vifA while a deny rule for the
    second is added and deleted 500 times each (1,000 updates). Every packet
    of the first must arrive; every packet of the second must arrive or be
    counted on rule_deny; nothing else may be lost."""
    d = Daemon(None, sltest.workdir("rules-updates"))
    try:
        bridge, _, _ = build(d)
        cap = Capture(["slvifA"])
        for s in cap._socks.values():
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
        rpc = Rpc(d.socket)
        try:
            out = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            out.bind((WIRE, 0))
            src = {7000: "10.0.0.9", 7001: "10.0.0.10"}
            frame = lambda p, i: bytes(udp(EXT, A, src[p], "10.0.0.1", p, b"seq%06d" % i))
            updating = threading.Event()
            updating.set()
            sent = [0]

            def send():
                # a pair a millisecond or so, until the updates are over
                while updating.is_set() and sent[0] < 100000:
                    out.send(frame(7000, sent[0]))
                    out.send(frame(7001, sent[0]))
                    sent[0] += 1
                    time.sleep(0.001)

            t = threading.Thread(target=send)
            t.start()
            rule = dict(bridge=bridge, mac=A, direction="from", protocol="udp",
                        ipRange="10.0.0.10", port="40000")
            updates = 0
            while updates < 1000:
                rpc.call("add-rule", allow="false", cookie="0x7001", **rule)
                rpc.call("del-rule", cookie="0x7001", **rule)
                updates += 2
            updating.clear()
            t.join()
            n = sent[0]
            time.sleep(SETTLE * 2)
            got = {p: {bytes(f[Raw].load) for f in cap.matching("slvifA", lambda f, p=p: f.haslayer(UDP) and f[UDP].dport == p)}
                   for p in (7000, 7001)}
            stats = d.json("stats")
            drops = stats["drops"].get("rule_deny", 0)
            # where a loss happened: the wire port's rx (and the kernel's
            # rx-missed), the VIF's tx and drops, or after it (the capture)
            where = {p["device"]: {k: p[k] for k in ("rx-packets", "rx-missed", "tx-packets",
                                                     "tx-dropped", "drops")}
                     for p in stats["ports"]}
            assert len(got[7000]) == n, \
                (f"flow no rule matches lost {n - len(got[7000])} of {n}", where)
            assert len(got[7001]) + drops == n, (n, len(got[7001]), drops)
            assert drops > 0 and len(got[7001]) > 0, (len(got[7001]), drops)
            st = d.json("stats")["rules"]
            assert st["updates"] >= 1000, st
        finally:
            cap.close()
    finally:
        d.stop()


def test_rule_limit():
    """The host takes its full 131,072 rules (over 100,000, in batches under
    the 1 MiB request limit); one more is a clear error; a rule among them
    still judges traffic."""
    d = Daemon(None, sltest.workdir("rules-limit"))
    try:
        bridge, _, _ = build(d)
        rpc = Rpc(d.socket)
        limit = d.json("stats")["rules"]["max"]
        assert limit >= 100000
        macs = [A, B, None]
        batch, total = [], 0
        while total < limit:
            i = total
            r = {"bridge": bridge, "direction": "to" if i % 2 else "from",
                 "protocol": ("tcp", "udp", "ip")[i % 3], "allow": "true",
                 "ipRange": f"{10 + i % 200}.{(i >> 8) & 255}.{i & 255}.0/{8 + i % 25}",
                 "priority": str(1000 + i % 5000)}
            if r["protocol"] != "ip":
                r["port"] = str(i % 65536)
            if macs[i % 3]:
                r["mac"] = macs[i % 3]
            if total == limit - 1:   # the last one does something visible
                r = {"bridge": bridge, "mac": A, "direction": "to", "protocol": "udp",
                     "port": "9999", "ipRange": "10.99.0.0/16", "allow": "false",
                     "priority": "60000"}
            batch.append(r)
            total += 1
            if len(batch) == 5000 or total == limit:
                assert rpc.call("add-rules", rules=batch) == len(batch)
                batch = []
        st = d.json("stats")["rules"]
        assert st["count"] == limit, st
        d.expect_error(["add-rule", f"bridge={bridge}", f"mac={A}", "direction=to",
                        "protocol=ip", "ipRange=1.2.3.4", "allow=false"], 3, "RULE_REFUSED",
                       f"the switch holds its limit of {limit} rules")
        assert d.json("stats")["rules"]["count"] == limit
        cap = Capture([WIRE])
        try:
            sendp(udp(A, EXT, "10.0.0.1", "10.99.1.1", 9999, b"deep-deny"), iface="slvifA", verbose=False)
            sendp(udp(A, EXT, "10.0.0.1", "10.99.1.1", 9998, b"deep-pass"), iface="slvifA", verbose=False)
            assert arrives(cap, WIRE, b"deep-pass")
            assert absent(cap, WIRE, b"deep-deny")
        finally:
            cap.close()
    finally:
        d.stop()


def test_rule_list_filters():
    """rule-list FIELD=VALUE keeps exactly the records with that value, for
    every field (the filter reads most fields from the rule, not from its
    record: both must say the same)."""
    d = Daemon(None, sltest.workdir("rules-filter"))
    try:
        bridge, _, _ = build(d)
        for i, (mac, proto, port) in enumerate([(A, "tcp", "22"), (B, "udp", "53"),
                                                (None, "ip", None), (A, "arp", None),
                                                (None, "icmp", None)]):
            args = ["add-rule", f"bridge={bridge}", "direction=" + ("to", "from")[i % 2],
                    f"protocol={proto}", f"ipRange=10.{i}.0.0/16",
                    "allow=" + ("true", "false")[i % 2], f"priority={100 + i}",
                    f"cookie=0x{i + 1:x}"]
            d.ctl(*args, *([f"mac={mac}"] if mac else []), *([f"port={port}"] if port else []))
        d.ctl("add-rule", "bridge=xapi10", "direction=to", "protocol=udp", "port=67",
              "ipRange=10.9.0.0/16", "allow=false")
        records = d.json("rule-list")
        assert len(records) == 6, records

        def text(v):
            return ("true" if v else "false") if isinstance(v, bool) else str(v)
        for rec in records:
            for field, value in rec.items():
                got = d.json("rule-list", f"{field}={text(value)}")
                want = [r for r in records if text(r.get(field)) == text(value)]
                assert got == want, (field, value, got, want)
    finally:
        d.stop()


if __name__ == "__main__":
    sltest.quiet_netns()
    sltest.veth("sl1", WIRE)
    sh(f"sysctl -qw net.ipv6.conf.all.disable_ipv6=1")
    sltest.run([test_rules, test_updates_under_traffic, test_rule_limit,
                test_rule_list_filters])
