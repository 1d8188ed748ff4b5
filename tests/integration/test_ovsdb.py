"""sluiced --ovsdb behind Debian's real ovsdb-server, driven by the real
ovs-vsctl with the command lines of XCP-ng's networkd and VIF hotplug
scripts (../shared/reference/xcp-ng-ovs-integration.md), without
--no-wait: each returns only once sluiced has applied the change and
written cur_cfg back. Kernel namespaces behind veth pairs are the hosts
and guests; ping and scapy are the oracles."""
import contextlib
import os
import re
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(__file__))
import sltest  # noqa: E402
from scapy.all import Dot1Q, Ether, Raw, sendp  # noqa: E402
from sltest import Daemon, Ovsdb, ping, reaches, sh, veth, wait_for, quiet_netns  # noqa: E402
from test_lacp import Partner  # noqa: E402
from test_vhost import Guest, exchange, guest_trace  # noqa: E402

# namespaces: the uplink's far side, a guest (named netns are the whole
# machine's: the pid keeps two runs of the suite apart)
UP, G1 = f"ovsup{os.getpid()}", f"ovsg1{os.getpid()}"


def hosts(namespaces=True):
    """sl1 (the uplink) <-> p1, vif1.0 (a guest's VIF) <-> g1: in the
    namespaces UP (10.5.0.1) and G1 (10.5.0.2), or here (for scapy)."""
    if not namespaces:
        veth("sl1", "p1")
        veth("vif1.0", "g1")
        return
    for ns in (UP, G1):
        sh(f"ip netns del {ns}", check=False)
        sh(f"ip netns add {ns}")
    veth("sl1", "p1", UP)
    veth("vif1.0", "g1", G1)
    sh(f"ip netns exec {UP} ip addr add 10.5.0.1/24 dev p1")
    sh(f"ip netns exec {G1} ip addr add 10.5.0.2/24 dev g1")


def cleanup():
    for ns in (UP, G1):
        sh(f"ip netns del {ns}", check=False)
    for dev in ("sl1", "sl2", "vif1.0", "vif2.0", "sl3"):
        sh(f"ip link del {dev}", check=False)
    # internal ports' taps outlive sluiced (as the host's addresses must)
    for line in sh("ip -o link show type tun").splitlines():
        sh(f"ip link del {line.split(':')[1].strip()}", check=False)


# A system interface is tried over af_xdp first; where XDP cannot attach
# (these veths, at times) the PMD and sluiced say so, and sluiced falls back
# to af_packet (a notice).
AF_XDP_FALLBACK = [
    r"err xsk_configure\(\): Failed to create xsk socket",
    r"err eth_rx_queue_setup\(\): Failed to configure xdp socket",
    r"err sluiced: PIF \S+ cannot be attached: cannot set up rx queue of net_af_xdp_",
]


def start(db, workdir, allow=(), args=None, **kw):
    return Daemon(None, workdir, args=args or ["--ovsdb", db.remote],
                  allow=[*AF_XDP_FALLBACK, *allow], **kw)


class Host:
    """The hosts and guest, a fresh database and sluiced --ovsdb on it;
    as a context, it checks that sluiced stops cleanly and cleans up."""

    def __init__(self, name, namespaces=True, tcp_port=None):
        hosts(namespaces)
        self.dir = sltest.workdir(name)
        self.db = Ovsdb(self.dir, tcp_port)
        self.allowed = []
        self.d = start(self.db, self.dir)

    def allow(self, *patterns):
        """Warnings the test provokes, from this sluiced and the next
        (restart)."""
        self.allowed += patterns
        self.d.allow(*patterns)

    def restart(self):
        code, _ = self.d.stop()
        assert code == 0, self.d.log
        self.d = start(self.db, self.dir, allow=self.allowed)

    def takeover(self, during=None):
        """sluiced --takeover beside this one (inside the context during
        gives, if any); the old one exits 0, the new one is self.d once it
        has the database's lock."""
        old = self.d
        with during or contextlib.nullcontext():
            self.d = start(self.db, self.dir, allow=self.allowed,
                           args=["--ovsdb", self.db.remote, "--takeover"])
            code = old.proc.wait(timeout=60)
        old.stop()
        assert code == 0, old.log
        assert self.d.wait_log("port(s) taken over from sluiced pid"), self.d.log
        assert self.d.wait_log("holding the lock ovs_vswitchd"), self.d.log
        return old

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        code, final = self.d.stop()
        self.db.stop()
        cleanup()
        if exc[0] is None:
            assert code == 0, self.d.log
            assert final["mbufs"]["all-returned"], final["mbufs"]
        return False


def ovsdb_status(d):
    return d.json("status")["ovsdb"]


def networkd_bridge(db, bridge="xenbr0", hwaddr="02:aa:00:00:00:01"):
    """networkd's bridge and uplink, as it runs them (one ovs-vsctl)."""
    db.vsctl("--", "--may-exist", "add-br", bridge,
             "--", "set", "bridge", bridge, f"other-config:hwaddr={hwaddr}",
             "--", "set", "bridge", bridge, "fail_mode=standalone",
             "--", "br-set-external-id", bridge, "xs-network-uuids", str(uuid.uuid4()))
    db.vsctl("--", "--may-exist", "add-port", bridge, "sl1")


def hotplug(db, bridge, vif, mac):
    """The VIF hotplug script's calls (vif-real / common.py)."""
    db.vsctl("--", "--if-exists", "del-port", vif, timeout=30)
    db.vsctl("add-port", bridge, vif, "--", "set", "interface", vif,
             f'external-ids:"xs-vm-uuid"="{uuid.uuid4()}"',
             f'external-ids:"xs-vif-uuid"="{uuid.uuid4()}"',
             f'external-ids:"xs-network-uuid"="{uuid.uuid4()}"',
             f'external-ids:"attached-mac"="{mac}"', timeout=30)
    return db.get("interface", vif, "ofport")


def test_networkd_and_hotplug():
    with Host("ovsdb") as h:
        db, d = h.db, h.d
        # the bridge's internal port is a tap, whose PMD stops short of
        # 9000; sluice enforces the MTU itself and says so
        h.allow(r"err MTU \(9000\) > device max MTU \(\d+\) for port_id",
                r"warning sluiced: port \d+: the PMD refused MTU 9000; sluice enforces it")
        networkd_bridge(db)
        ofport = hotplug(db, "xenbr0", "vif1.0", "02:00:00:00:10:02")
        assert isinstance(ofport, int) and 1 <= ofport < 65280, ofport
        assert db.get("interface", "sl1", "ofport") != ofport
        assert db.get("interface", "xenbr0", "ofport") == 65534
        # the bridge's own port is a kernel netdev with the bridge's MAC:
        # the host's address lives there, as networkd puts it
        assert "02:aa:00:00:00:01" in sh("ip link show dev xenbr0")
        sh("ip link set xenbr0 up && ip addr add 10.5.0.254/24 dev xenbr0")
        assert db.get("interface", "sl1", "link_state") == "up"
        assert db.get("interface", "xenbr0", "admin_state") == "up"
        assert int(db.get("interface", "vif1.0", "ifindex")) > 0
        assert reaches(UP, "10.5.0.2")
        assert reaches(G1, "10.5.0.254"), "the host's stack through xenbr0"
        # what sluice made of it, read-only
        pifs = d.json("pif-list")
        assert sorted(p["device"] for p in pifs) == ["sl1", "vif1.0", "xenbr0"], pifs
        st = ovsdb_status(d)
        assert st["state"] == "in control", st
        modes = {i["name"]: i["attached-with"] for i in st["interfaces"]}
        assert modes["xenbr0"] == "tap" and modes["sl1"] in ("af_xdp", "af_packet"), modes
        d.expect_error(["network-create", "name-label=x"], 1044, "DATABASE_OWNED",
                       "network-create: the Open_vSwitch database at unix:")
        d.expect_error(["pif-unplug", f"uuid={pifs[0]['uuid']}"], 1044,
                       "DATABASE_OWNED", "change them with ovs-vsctl")
        # flow rules keep working on the database's bridges (the XAPI
        # plugin's calls, through the control socket)
        d.ctl("add-rule", "bridge=xenbr0", "mac=02:00:00:00:10:02", "direction=to",
              "protocol=tcp", "port=22", "ipRange=10.5.0.0/24", "allow=false")
        assert "tp_dst=22" in d.ctl("dump-flows", "bridge=xenbr0")[1]
        # MTU as networkd sets it
        db.vsctl("set", "interface", "vif1.0", "mtu_request=9000")
        assert db.get("interface", "vif1.0", "mtu") == 9000
        # statistics come back every few seconds
        wait_for(lambda: "rx_packets" in db.vsctl("--no-wait", "get", "interface",
                                                   "sl1", "statistics"),
                 "statistics", timeout=15)
        stats = db.vsctl("--no-wait", "get", "interface", "sl1", "statistics")
        rx = int(stats.split("rx_packets=")[1].split(",")[0].rstrip("}"))
        assert rx >= 3, stats
        # an external_ids edit means nothing to the switch, but ovs-vsctl
        # still waits for cur_cfg
        db.vsctl("set", "interface", "vif1.0", "external-ids:xs-vm-uuid=x")
        # unplug: the hotplug script's del-port
        db.vsctl("--", "--with-iface", "--if-exists", "del-port", "vif1.0")
        assert " 0% packet loss" not in ping(UP, "10.5.0.2", count=2)
        assert sorted(p["device"] for p in d.json("pif-list")) == ["sl1", "xenbr0"]
        db.vsctl("--", "--if-exists", "del-br", "xenbr0")
        assert d.json("network-list") == [] and d.json("pif-list") == []
        assert "xenbr0" not in sh("ip -o link show")


def test_bad_rows_fail_alone():
    with Host("ovsdb-bad") as h:
        db = h.db
        networkd_bridge(db)
        ofport = hotplug(db, "xenbr0", "vif1.0", "02:00:00:00:10:02")
        sh("ip addr add 10.5.0.254/24 dev xenbr0")
        bad = {
            "nosuch": ([], "could not open network device nosuch"),
            "gen0": (["--", "set", "interface", "gen0", "type=geneve"],
                     "does not support interfaces of type geneve"),
            "dpdk0": (["--", "set", "interface", "dpdk0", "type=dpdk"],
                      "options:dpdk-devargs is required"),
            "big0": (["--", "set", "interface", "big0", "type=internal",
                      "mtu_request=20000"], "mtu_request 20000 is outside"),
        }
        for name, (extra, text) in bad.items():
            r = db.run("add-port", "xenbr0", name, *extra)
            # ovs-vsctl itself reports what it found in the Interface row
            assert f"Error detected while setting up '{name}'" in r.stderr, r.stderr
            assert db.get("interface", name, "ofport") == -1
            assert text in db.get("interface", name, "error"), name
        # the good ports are as they were
        assert db.get("interface", "vif1.0", "ofport") == ofport
        assert reaches(UP, "10.5.0.2")
        # a bad row made good is set up
        db.vsctl("set", "interface", "dpdk0", "type=internal")
        assert db.get("interface", "dpdk0", "ofport") >= 1
        assert db.get("interface", "dpdk0", "error") == []
        assert "dpdk0" in sh("ip -o link show")


def test_restarts():
    """sluiced restarted keeps ofports (ofport_request too); ovsdb-server
    killed under traffic: forwarding goes on, and the tables are read
    again when it is back."""
    with Host("ovsdb-restart") as h:
        db = h.db
        # the database killed and restarted under the switch
        h.allow(r"warning sluiced: database \S+: the peer closed the connection; the switch "
                r"keeps its configuration",
                r"warning sluiced: database \S+: cannot connect: No such file or directory; "
                r"the switch keeps its configuration")
        networkd_bridge(db)
        db.vsctl("add-port", "xenbr0", "vif1.0", "--", "set", "interface",
                 "vif1.0", "ofport_request=7")
        assert db.get("interface", "vif1.0", "ofport") == 7
        before = {i: db.get("interface", i, "ofport") for i in ("sl1", "vif1.0", "xenbr0")}
        assert reaches(UP, "10.5.0.2")
        # the host's address on the bridge's own port: sluiced's tap
        # outlives it, so the address stays across the restart
        sh("ip link set xenbr0 up && ip addr add 10.5.0.254/24 dev xenbr0")
        assert reaches(G1, "10.5.0.254")
        h.restart()
        d = h.d
        wait_for(lambda: ovsdb_status(d)["state"] == "in control", "control")
        after = {i: db.get("interface", i, "ofport") for i in ("sl1", "vif1.0", "xenbr0")}
        assert after == before, (before, after)
        assert reaches(UP, "10.5.0.2")
        assert "10.5.0.254/24" in sh("ip -o addr show dev xenbr0")
        assert reaches(G1, "10.5.0.254"), "the host's address after the restart"

        db.kill()
        wait_for(lambda: ovsdb_status(d)["state"] == "disconnected", "disconnect")
        assert reaches(UP, "10.5.0.2"), "forwarding stops with the database"
        db.start()
        wait_for(lambda: ovsdb_status(d)["state"] == "in control", "reconnect", 20)
        assert ovsdb_status(d)["connects"] == 2
        # re-synced: a change made now is applied, ovs-vsctl waits for it
        veth("sl3", "p3")
        db.vsctl("add-port", "xenbr0", "sl3")
        assert db.get("interface", "sl3", "ofport") >= 1
        assert reaches(UP, "10.5.0.2")


def test_second_switch_waits_for_the_lock():
    """The second sluiced reaches the database over TCP."""
    with Host("ovsdb-lock", tcp_port=16640) as h:
        db = h.db
        networkd_bridge(db)
        # the second finds the first's pid file and lock, and says so
        d2 = Daemon(None, sltest.workdir("ovsdb-lock2"), args=["--ovsdb", db.tcp],
                    allow=[*AF_XDP_FALLBACK,
                           r"warning sluiced: ovs-appctl: \S+/ovs-vswitchd.pid names a "
                           r"running process",
                           r"warning sluiced: database \S+: another switch holds the lock "
                           r"ovs_vswitchd"])
        assert d2.wait_log("another switch holds the lock ovs_vswitchd"), d2.log
        st = ovsdb_status(d2)
        assert st["state"] == "waiting for the lock ovs_vswitchd", st
        assert st["remote"] == "tcp:127.0.0.1:16640", st
        assert d2.json("pif-list") == []
        # the first goes; the waiting one takes over, and the tools keep
        # working
        code, _ = h.d.stop()
        assert code == 0, h.d.log
        h.d = d2
        assert d2.wait_log("holding the lock ovs_vswitchd"), d2.log
        wait_for(lambda: len(d2.json("pif-list")) == 2, "the ports on the second")
        db.vsctl("add-port", "xenbr0", "vif1.0")
        assert reaches(UP, "10.5.0.2")


def ofctl(*args):
    return subprocess.run(["ovs-ofctl", *args], capture_output=True, text=True,
                          timeout=30)


def flow_packets(cookie):
    """n_packets of the flow with that cookie, as ovs-ofctl dumps it."""
    out = ofctl("dump-flows", "xenbr0", f"cookie={cookie}/-1")
    assert out.returncode == 0, out.stderr
    counts = [int(n) for n in re.findall(r"n_packets=(\d+)", out.stdout)]
    assert len(counts) == 1, out.stdout
    return counts[0]


def test_takeover():
    """sluiced --ovsdb --takeover, XCP-ng's mode: the new one takes the
    ports over while the old one still holds the database's lock, then
    the lock, ovs-appctl's pidfile and the bridge's .mgmt socket once the
    old one has exited. Meanwhile the old one's state is frozen: a flow
    is refused with a sentence, and an ovs-vsctl change waits (a takeover
    that goes away unfreezes it, and it is applied). Traffic comes back,
    the flows keep their counters, and ovs-vsctl, ovs-ofctl and
    ovs-appctl all reach the new one."""
    from takeover_gap import Pinger
    from test_takeover import OLD_GONE, Holder, gen_change
    with Host("ovsdb-takeover") as h:
        db = h.db
        networkd_bridge(db)
        hotplug(db, "xenbr0", "vif1.0", "02:00:00:00:05:02")
        assert reaches(UP, "10.5.0.2")
        r = ofctl("add-flow", "xenbr0", "cookie=0x5c,priority=300,icmp,actions=NORMAL")
        assert r.returncode == 0, r.stderr
        assert reaches(UP, "10.5.0.2")
        ofports = {i: db.get("interface", i, "ofport") for i in ("sl1", "vif1.0", "xenbr0")}

        # a takeover under way freezes the old one's state
        sl1 = [p["uuid"] for p in h.d.json("pif-list") if p["device"] == "sl1"][0]
        gen, change = gen_change(h.d)
        holder = Holder(h.d, gen, change)
        h.allow(OLD_GONE)
        assert "result" in holder.release(port=sl1)
        r = ofctl("add-flow", "xenbr0", "cookie=0x5d,priority=200,arp,actions=NORMAL")
        assert r.returncode != 0 and "OFPFMFC_EPERM" in r.stderr, r.stderr
        assert h.d.wait_log("openflow: xenbr0: FLOW_MOD refused: sluiced pid"), h.d.log
        veth("sl3", "p3")
        # committed, but the switch does not acknowledge it (cur_cfg):
        # ovs-vsctl's --timeout ends it (SIGALRM)
        r = db.run("add-port", "xenbr0", "sl3", timeout=2)
        assert r.returncode != 0 and "Alarm clock" in r.stderr, (r.returncode, r.stderr)
        assert db.get("interface", "sl3", "name") == "sl3"
        assert "sl3" not in [p["device"] for p in h.d.json("pif-list")]
        holder.close()		# gone: the old one takes sl1 back and reads the tables
        assert h.d.wait_log("went away before it was done; 1 port(s) taken back"), h.d.log
        wait_for(lambda: "sl3" in [p["device"] for p in h.d.json("pif-list")], "sl3 mapped")
        assert db.get("interface", "sl3", "ofport") >= 1
        assert reaches(UP, "10.5.0.2")

        before = flow_packets("0x5c")
        assert before > 0
        p = Pinger(UP, "10.5.0.2")
        old = h.takeover(during=p)
        new = h.d
        print(f"     takeover (--ovsdb): longest gap {p.gap_ms():.0f} ms, {p.lost()} of "
              f"{p.sent()} pings lost", flush=True)
        assert p.replied_after_takeover(), p.out
        wait_for(lambda: ovsdb_status(new)["state"] == "in control", "in control")
        assert {i: db.get("interface", i, "ofport") for i in ofports} == ofports
        # ovs-ofctl reaches the new one, whose flow counts on
        assert flow_packets("0x5c") >= before
        r = ofctl("add-flow", "xenbr0", "cookie=0x5d,priority=200,arp,actions=NORMAL")
        assert r.returncode == 0, r.stderr
        # ovs-appctl finds the new one by its pidfile
        with open(os.path.join(h.dir, "ovs-vswitchd.pid")) as f:
            assert int(f.read()) == new.proc.pid != old.proc.pid
        assert "sluice" in appctl("version")
        # and the database drives it: a change is applied and acknowledged
        db.vsctl("del-port", "xenbr0", "sl3")
        assert "sl3" not in [p["device"] for p in new.json("pif-list")]
        assert reaches(UP, "10.5.0.2")


TRUNK_PEERS = ["p1", "g1", "g2"]	# uplink trunk, trunk VIF, VIF of xapi1


def test_vlans_as_ovs():
    """networkd's fake bridge and the VLAN semantics ovs-vswitchd gives
    ports (reference section 7): a port without tag is a trunk of every
    VLAN of the bridge, a fake bridge's port is an access port."""
    with Host("ovsdb-vlan", namespaces=False) as h:
        db = h.db
        veth("vif2.0", "g2")
        networkd_bridge(db)
        db.vsctl("--", "--may-exist", "add-br", "xapi1", "xenbr0", "10")
        assert db.vsctl("br-to-parent", "xapi1") == "xenbr0"
        assert db.vsctl("br-to-vlan", "xapi1") == "10"
        hotplug(db, "xenbr0", "vif1.0", "02:00:00:00:10:01")
        hotplug(db, "xapi1", "vif2.0", "02:00:00:00:10:02")
        assert db.get("port", "vif2.0", "tag") == 10
        assert db.get("interface", "xapi1", "ofport") not in (-1, 65534)
        assert "xapi1" in sh("ip -o link show")	# the fake bridge's own port
        nets = {n["bridge"] for n in h.d.json("network-list")}
        assert nets == {"xenbr0", "xapi1"}, nets
        cap = sltest.Capture(TRUNK_PEERS)
        bc = "ff:ff:ff:ff:ff:ff"
        send = lambda i, f: sendp(f, iface=i, verbose=False)
        send("p1", Ether(src="02:99:00:00:00:01", dst=bc) / Dot1Q(vlan=10) / Raw(b"t10-in"))
        got = cap.expect_once(b"t10-in", ["g1", "g2"], [])
        assert got["g1"][Dot1Q].vlan == 10, "a trunk VIF gets VLAN 10 tagged"
        assert Dot1Q not in got["g2"], "the access port gets it untagged"
        send("p1", Ether(src="02:99:00:00:00:01", dst=bc) / Raw(b"untagged-in"))
        got = cap.expect_once(b"untagged-in", ["g1"], ["g2"])
        assert Dot1Q not in got["g1"]
        send("g1", Ether(src="02:00:00:00:10:01", dst=bc) / Dot1Q(vlan=10) / Raw(b"vif-t10"))
        got = cap.expect_once(b"vif-t10", ["p1", "g2"], [])
        assert got["p1"][Dot1Q].vlan == 10 and Dot1Q not in got["g2"]
        send("g2", Ether(src="02:00:00:00:10:02", dst=bc) / Raw(b"access-out"))
        got = cap.expect_once(b"access-out", ["p1", "g1"], [])
        assert got["p1"][Dot1Q].vlan == 10 and got["g1"][Dot1Q].vlan == 10
        # learning per VLAN: the access VIF's MAC is now known in VLAN 10
        send("p1", Ether(src="02:99:00:00:00:01", dst="02:00:00:00:10:02") /
             Dot1Q(vlan=10) / Raw(b"to-g2"))
        cap.expect_once(b"to-g2", ["g2"], ["g1"])
        # a VLAN nothing names (no fake bridge, tag or trunks says 20) is
        # still switched among the trunks, as OVS does: its first frames
        # make its network; then learning is its own
        def t20(payload):
            send("p1", Ether(src="02:99:00:00:00:20", dst=bc) / Dot1Q(vlan=20) / Raw(payload))
        for i in range(40):
            t20(b"t20-probe")
            if cap.matching("g1", sltest.tagged(b"t20-probe")):
                break
            time.sleep(0.05)
        st = ovsdb_status(h.d)
        assert 20 in st["discovered-vlans"][db.get("bridge", "xenbr0", "_uuid")], st
        assert st["discovered-vlan-frames"] >= 1, st
        cap.clear()
        t20(b"t20-in")
        got = cap.expect_once(b"t20-in", ["g1"], ["g2"])
        assert got["g1"][Dot1Q].vlan == 20, "the trunk VIF gets VLAN 20 tagged"
        send("g1", Ether(src="02:00:00:00:10:01", dst=bc) / Dot1Q(vlan=20) / Raw(b"t20-out"))
        got = cap.expect_once(b"t20-out", ["p1"], ["g2"])
        assert got["p1"][Dot1Q].vlan == 20
        send("p1", Ether(src="02:99:00:00:00:20", dst="02:00:00:00:10:01") /
             Dot1Q(vlan=20) / Raw(b"t20-uni"))
        cap.expect_once(b"t20-uni", ["g1"], ["g2"])
        # trunks= limits a trunk (the hotplug script's trunks calls)
        db.vsctl("set", "Port", "vif1.0", "trunks=20")
        send("p1", Ether(src="02:99:00:00:00:01", dst=bc) / Dot1Q(vlan=10) / Raw(b"t10-b"))
        cap.expect_once(b"t10-b", ["g2"], ["g1"])
        t20(b"t20-limited")	# a trunk of 20 only (the network was made)
        cap.expect_once(b"t20-limited", ["g1"], ["g2"])
        db.vsctl("clear", "Port", "vif1.0", "trunks")
        send("p1", Ether(src="02:99:00:00:00:01", dst=bc) / Dot1Q(vlan=10) / Raw(b"t10-c"))
        cap.expect_once(b"t10-c", ["g1", "g2"], [])
        # a port tagged by ovs-vsctl set port tag= becomes an access port
        db.vsctl("set", "Port", "vif1.0", "tag=10")
        send("p1", Ether(src="02:99:00:00:00:01", dst=bc) / Dot1Q(vlan=10) / Raw(b"t10-d"))
        got = cap.expect_once(b"t10-d", ["g1", "g2"], [])
        assert Dot1Q not in got["g1"]
        db.vsctl("clear", "Port", "vif1.0", "tag")
        # the fake bridge goes with its ports
        db.vsctl("--", "--if-exists", "del-br", "xapi1")
        # (VLAN 20's network stays: it was found on the trunks)
        assert {n["bridge"] for n in h.d.json("network-list")} == {"xenbr0", "xenbr0.20"}
        send("p1", Ether(src="02:99:00:00:00:01", dst=bc) / Dot1Q(vlan=10) / Raw(b"t10-e"))
        cap.expect_once(b"t10-e", [], ["g1", "g2"])
        cap.close()


def appctl(*args):
    """ovs-appctl -t ovs-vswitchd ARGS, as networkd runs it: the pid from
    $OVS_RUNDIR/ovs-vswitchd.pid, the socket beside it."""
    r = subprocess.run(["ovs-appctl", "-t", "ovs-vswitchd", *args],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 0, (args, r.returncode, r.stderr)
    return r.stdout


def members(show):
    """networkd's reading of bond/show: {member: enabled?}, active member."""
    state, active = {}, None
    for line in show.splitlines():
        if line.startswith("member ") and ":" in line:
            name, what = line[len("member "):].split(":", 1)
            state[name] = what.strip() == "enabled"
        if line.startswith("active member mac:"):
            active = line.rsplit("(", 1)[1].rstrip(")")
    return state, active


def wait_bond(pred, what, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        show = appctl("bond/show", "bond0")
        if pred(*members(show)):
            return show
        time.sleep(0.1)
    raise AssertionError(f"bond0 never {what}:\n{show}")


def test_bonds_as_networkd_makes_them():
    """networkd's bond commands for each mode; ovs-appctl bond/show read
    as networkd reads it; failover; LACP with a partner."""
    with Host("ovsdb-bond", namespaces=False) as h:
        db = h.db
        veth("sl2", "p2")
        db.vsctl("--", "--may-exist", "add-br", "xenbr0")
        hotplug(db, "xenbr0", "vif1.0", "02:00:00:00:10:01")
        db.vsctl("--", "--may-exist", "add-bond", "xenbr0", "bond0", "sl1", "sl2",
                 "--", "set", "port", "bond0", 'MAC="02:bb:00:00:00:01"',
                 "--", "set", "port", "bond0", "bond_mode=active-backup", "lacp=off",
                 "bond_updelay=0", "bond_downdelay=0",
                 "other-config:bond-detect-mode=carrier",
                 "other-config:bond-miimon-interval=100")
        for m in ("sl1", "sl2"):
            assert db.get("interface", m, "ofport") >= 1
        listed = appctl("bond/list").splitlines()
        assert listed[0] == "bond\ttype\trecircID\tmembers", listed
        name, mode, _, ms = listed[1].split("\t")
        assert (name, mode, sorted(ms.split(", "))) == ("bond0", "active-backup", ["sl1", "sl2"])
        show = wait_bond(lambda st, act: st == {"sl1": True, "sl2": True} and act,
                         "up on both members")
        assert "bond_mode: active-backup" in show, show
        _, active = members(show)
        peer = {"sl1": "p1", "sl2": "p2"}
        cap = sltest.Capture(["p1", "p2", "g1"])
        bc = "ff:ff:ff:ff:ff:ff"
        sendp(Ether(src="02:00:00:00:10:01", dst=bc) / Raw(b"ab-1"), iface="g1", verbose=False)
        cap.expect_once(b"ab-1", [peer[active]], [p for p in ("p1", "p2") if p != peer[active]])
        # the active member's MAC, written back as ovs-vswitchd does
        wait_for(lambda: db.get("port", "bond0", "bond_active_slave") not in ([], ""),
                 "bond_active_slave", timeout=15)
        # failover: the active member's link goes down
        sh(f"ip link set {peer[active]} down")
        other = "sl2" if active == "sl1" else "sl1"
        wait_bond(lambda st, act: not st[active] and act == other, "failed over")
        sendp(Ether(src="02:00:00:00:10:01", dst=bc) / Raw(b"ab-2"), iface="g1", verbose=False)
        cap.expect_once(b"ab-2", [peer[other]], [])
        sh(f"ip link set {peer[active]} up")
        wait_bond(lambda st, act: all(st.values()), "up again")
        # balance-slb, as networkd sets it on an existing bond
        db.vsctl("set", "port", "bond0", "bond_mode=balance-slb")
        show = wait_bond(lambda st, act: all(st.values()), "up as balance-slb")
        assert "bond_mode: balance-slb" in show, show
        sendp(Ether(src="02:00:00:00:10:01", dst=bc) / Raw(b"slb"), iface="g1", verbose=False)
        got = [p for p in ("p1", "p2") if cap.wait_for(p, sltest.tagged(b"slb"), timeout=2)]
        assert len(got) == 1, got	# one member per source MAC
        # LACP, networkd's balance-tcp and balance-slb: the aggregate forms
        # with a partner
        partner = Partner(cap, ["p1", "p2"])
        try:
            for mode in ("balance-tcp", "balance-slb"):
                db.vsctl("set", "port", "bond0", "lacp=active", f"bond_mode={mode}",
                         "other-config:lacp-time=fast")
                show = wait_bond(lambda st, act: "lacp_status: negotiated" in
                                 appctl("bond/show", "bond0"), f"negotiated in {mode}")
                assert f"bond_mode: {mode}" in show, show
        finally:
            partner.stop()
        cap.close()
        # the bond goes, as networkd removes it
        db.vsctl("--", "--with-iface", "--if-exists", "del-port", "bond0")
        assert "bond0" not in appctl("bond/list")
        r = subprocess.run(["ovs-appctl", "-t", "ovs-vswitchd", "bond/show", "bond0"],
                           capture_output=True, text=True)
        assert r.returncode != 0 and "no such bond" in r.stderr, r
        assert "in the place of ovs-vswitchd" in appctl("version")


def test_vhost_user_ports_as_ovs_dpdk_makes_them():
    """The OVS-DPDK conventions, so OVS-DPDK users' configurations work:
    dpdkvhostuser (sluiced the server, its socket in $OVS_RUNDIR) and
    dpdkvhostuserclient (options:vhost-server-path); a virtio-user peer
    process plays the guest and exchanges frames with a host behind the
    uplink."""
    with Host("ovsdb-vhost", namespaces=False) as h:
        db = h.db
        # dpdkvhostuserclient: sluiced tries until the guest is there
        h.allow(r"warning VHOST_CONFIG: \(\S+\.sock\) failed to connect: "
                r"No such file or directory")
        sh("ip link del sl1", check=False)
        veth("sl1", "t1")
        db.vsctl("--", "--may-exist", "add-br", "xenbr0")
        db.vsctl("--", "--may-exist", "add-port", "xenbr0", "sl1")
        db.vsctl("add-port", "xenbr0", "vm1", "--", "set", "interface", "vm1",
                 "type=dpdkvhostuser")
        sock = os.path.join(h.dir, "vm1")	# $OVS_RUNDIR/vm1, as OVS-DPDK
        assert db.get("interface", "vm1", "ofport") >= 1
        cap = sltest.Capture(["t1"])
        trace = os.path.join(h.dir, "guest.pcap")
        guest_trace(trace, b"ovs-srv")
        guest = Guest(sock, h.dir, "a", send=trace)
        try:
            guest.wait_line("vm-peer: sent")
            exchange(guest, cap, b"ovs-srv")
        finally:
            assert guest.stop() == 0, "".join(guest.lines)
        # the guest's QEMU is the server: sluiced connects to it
        server = os.path.join(h.dir, "vm2.sock")
        guest_trace(trace, b"ovs-cli")
        guest = Guest(server, h.dir, "b", server=True, send=trace)
        try:
            db.vsctl("add-port", "xenbr0", "vm2", "--", "set", "interface", "vm2",
                     "type=dpdkvhostuserclient", f"options:vhost-server-path={server}")
            guest.wait_line("vm-peer: sent")
            exchange(guest, cap, b"ovs-cli")
        finally:
            cap.close()
            assert guest.stop() == 0, "".join(guest.lines)
        modes = {i["name"]: i["attached-with"] for i in ovsdb_status(h.d)["interfaces"]}
        assert modes["vm1"] == "vhost-user server" and modes["vm2"] == "vhost-user client", modes


if __name__ == "__main__":
    quiet_netns()
    sltest.run([test_networkd_and_hotplug, test_bad_rows_fail_alone,
                test_restarts, test_takeover, test_second_switch_waits_for_the_lock,
                test_vlans_as_ovs, test_bonds_as_networkd_makes_them,
                test_vhost_user_ports_as_ovs_dpdk_makes_them])
