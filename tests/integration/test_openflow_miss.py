# SPDX-License-Identifier: BSD-3-Clause
"""A bridge's table miss as Debian's ovs-vswitchd has it: the priority-0
NORMAL flow can be deleted (what no flow matches is then dropped) and
added back, and a bridge made with fail_mode=secure starts without it.
The real ovs-ofctl against sluiced's <bridge>.mgmt and against the real
ovs-vswitchd (the oracle of what the table holds); scapy for what the
bridge lets through."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import sltest  # noqa: E402
from scapy.all import IP, UDP, Ether, Raw, sendp  # noqa: E402
from sltest import Capture  # noqa: E402
from test_ovsdb import Host, hotplug, networkd_bridge  # noqa: E402
from test_openflow import MAC, IP4, GW4, dump, ofctl, wait_forwarding  # noqa: E402
import ovs_oracle  # noqa: E402


def drops(d, reason="flow_table_miss"):
    """The guest's port's drops for that reason (the bridge's own port
    has traffic of its own)."""
    stats = d.json("stats")
    sltest.drops_add_up(stats)
    return sltest.port_stats(stats, "vif1.0")["drops"].get(reason, 0)


def send(mark):
    sendp(Ether(src=MAC, dst="ff:ff:ff:ff:ff:ff") / IP(src=IP4, dst=GW4) /
          UDP(sport=5000, dport=5001) / Raw(mark), iface="g1", verbose=False)


def passes(mark):
    """A broadcast from the guest reaches the uplink once."""
    cap = Capture(["p1"])
    try:
        send(mark)
        cap.expect_once(mark, ["p1"], [])
    finally:
        cap.close()


def dropped(d, mark):
    """A broadcast from the guest never reaches the uplink, counted as a
    table miss."""
    before = drops(d)
    cap = Capture(["p1"])
    try:
        send(mark)
        cap.expect_once(mark, [], ["p1"])
    finally:
        cap.close()
    sltest.wait_for(lambda: drops(d) == before + 1,
                    f"the flow_table_miss drop ({before} before, {drops(d)} now)")


def quiet():
    """Only scapy's frames: no kernel IPv6 on the guest's and the
    uplink's sides (their own multicast would be table misses too)."""
    for dev in ("g1", "p1"):
        sltest.sh(f"sysctl -qw net.ipv6.conf.{dev}.disable_ipv6=1")


def wait_mgmt(db, bridge="xenbr0"):
    sltest.wait_for(lambda: os.path.exists(os.path.join(db.dir, f"{bridge}.mgmt")),
                    f"{bridge}.mgmt")


def test_delete_normal_flow():
    """del-flows takes the NORMAL flow too: the bridge drops what no flow
    matches (after a restart as well) until it is added back."""
    with Host("openflow-miss", namespaces=False) as h:
        db = h.db
        networkd_bridge(db)
        port = hotplug(db, "xenbr0", "vif1.0", MAC)
        quiet()
        wait_mgmt(db)
        wait_forwarding()
        passes(b"m-normal")
        ofctl("del-flows", "xenbr0")
        assert dump("xenbr0") == {}
        out = h.d.json("dump-flows", "bridge=xenbr0")["stdout"]
        assert "priority=0" not in out, out
        dropped(h.d, b"m-miss")
        # a flow still decides what it matches
        ofctl("add-flow", "xenbr0", f"priority=10,in_port={port},actions=NORMAL")
        passes(b"m-flow")
        ofctl("--strict", "del-flows", "xenbr0", f"priority=10,in_port={port}")
        dropped(h.d, b"m-miss2")
        # the table, NORMAL flow missing, outlives a restart
        h.restart()
        ofctl("add-flow", "xenbr0", f"priority=10,in_port={port},actions=NORMAL")
        wait_forwarding()
        ofctl("--strict", "del-flows", "xenbr0", f"priority=10,in_port={port}")
        assert dump("xenbr0") == {}
        dropped(h.d, b"m-restarted")
        # added back: switched again, counted on it from zero
        ofctl("add-flow", "xenbr0", "priority=0,actions=NORMAL")
        passes(b"m-back")
        flows = dump("xenbr0")
        assert list(flows) == ["priority=0"] and flows["priority=0"][0] == "0x0", flows
        assert 1 <= flows["priority=0"][1], flows
        # another action in its place: a flow like the others
        ofctl("add-flow", "xenbr0", "priority=0,actions=drop")
        before = drops(h.d, "rule_deny")
        cap = Capture(["p1"])
        try:
            send(b"m-drop")
            cap.expect_once(b"m-drop", [], ["p1"])
        finally:
            cap.close()
        sltest.wait_for(lambda: drops(h.d, "rule_deny") == before + 1, "rule_deny")
        assert dump("xenbr0")["priority=0"][2] == "drop"
        ofctl("mod-flows", "xenbr0", "actions=NORMAL")
        passes(b"m-modified")


def test_secure_bridge():
    """A bridge made with fail_mode=secure (networkd's) has an empty
    table: nothing passes until networkd's management flows are added;
    the status no longer calls fail_mode unsupported."""
    with Host("openflow-secure", namespaces=False) as h:
        db, d = h.db, h.d
        db.vsctl("--", "--may-exist", "add-br", "xenbr0",
                 "--", "set", "bridge", "xenbr0", "other-config:hwaddr=02:aa:00:00:00:01",
                 "--", "set", "bridge", "xenbr0", "fail_mode=secure")
        db.vsctl("--", "--may-exist", "add-port", "xenbr0", "sl1")
        port = hotplug(db, "xenbr0", "vif1.0", MAC)
        quiet()
        wait_mgmt(db)
        assert dump("xenbr0") == {}
        status = d.json("status")["ovsdb"]
        assert not any("fail_mode" in u for u in status.get("unsupported", [])), status
        # networkd's default flow for a port of a secure bridge
        ofctl("add-flow", "xenbr0", f"idle_timeout=0,priority=0,in_port={port},actions=NORMAL")
        wait_forwarding()
        ofctl("--strict", "del-flows", "xenbr0", f"priority=0,in_port={port}")
        dropped(d, b"s-miss")
        # standalone: flushed, the NORMAL flow back (as OVS)
        ofctl("add-flow", "xenbr0", f"priority=5,in_port={port},actions=drop")
        db.vsctl("set-fail-mode", "xenbr0", "standalone")
        sltest.wait_for(lambda: list(dump("xenbr0")) == ["priority=0"], "the flush")
        passes(b"s-standalone")


def test_table_miss_as_ovs():
    """The same ovs-ofctl and ovs-vsctl commands against sluiced and the
    real ovs-vswitchd: the same tables."""
    with Host("openflow-miss-ovs") as h:
        db = h.db
        ovs_oracle.sluice_br0(db)
        ovs = ovs_oracle.Ovs(sltest.workdir("openflow-miss-oracle"))
        wait_mgmt(db, "br0")
        try:
            def run(bridge, env, mode, args):
                target = bridge if env is ovs.env else f"unix:{db.dir}/{bridge}.mgmt"
                return ovs_oracle.run_ofctl(target, env, mode, args)

            def same(mode, *args, bridge="br0"):
                theirs = run(bridge, ovs.env, mode, args)
                ours = run(bridge, os.environ, mode, args)
                assert ours == theirs, (mode, args, "sluice:", ours, "ovs:", theirs)
                return ours[1]

            def vsctl(*args):
                db.vsctl(*args)
                ovs_oracle.sh(["ovs-vsctl", f"--db=unix:{ovs.d}/db.sock", *args], ovs.env)

            for mode in ([], ["-O", "OpenFlow10"], ["-O", "OpenFlow11"], ["-O", "OpenFlow13"]):
                same(mode, "add-flow", "BR", "priority=5,in_port=2,actions=drop")
                same(mode, "del-flows", "BR")
                assert "priority" not in same(mode, "dump-flows", "BR")
                same(mode, "add-flow", "BR", "priority=0,actions=drop")
                same(mode, "dump-flows", "BR")
                same(mode, "mod-flows", "BR", "actions=NORMAL")
                same(mode, "dump-flows", "BR")
                same(mode, "--strict", "del-flows", "BR", "priority=0")
                same(mode, "dump-flows", "BR")
                same(mode, "add-flow", "BR", "cookie=5,priority=0,actions=NORMAL")
                same(mode, "add-flow", "BR", "priority=7,in_port=1,actions=drop")
                same(mode, "dump-flows", "BR")
                same(mode, "mod-flows", "BR", "cookie=7,actions=NORMAL")
                same(mode, "dump-flows", "BR")
                same(mode, "--strict", "del-flows", "BR", "priority=5,in_port=1")
                same(mode, "del-flows", "BR", "in_port=1")
                same(mode, "dump-flows", "BR")
                same(mode, "del-flows", "BR", "cookie=0x7/-1")
                same(mode, "add-flow", "BR", "priority=0,actions=NORMAL")
                assert "priority=0 actions=NORMAL" in same(mode, "dump-flows", "BR")
            # fail_mode: a secure bridge starts empty; a change flushes
            vsctl("add-br", "br1", "--", "set", "bridge", "br1", "fail_mode=secure",
                  "--", "set", "bridge", "br1", "datapath_type=netdev")
            wait_mgmt(db, "br1")
            sltest.wait_for(lambda: os.path.exists(f"{ovs.d}/br1.mgmt"), "ovs br1.mgmt")
            assert "priority" not in same([], "dump-flows", "BR", bridge="br1")
            same([], "add-flow", "BR", "priority=3,in_port=LOCAL,actions=NORMAL", bridge="br1")
            vsctl("set-fail-mode", "br1", "standalone")
            sltest.wait_for(lambda: "priority=3" not in run("br1", os.environ, [],
                                                             ["dump-flows", "BR"])[1],
                            "the flush")
            assert "priority=0 actions=NORMAL" in same([], "dump-flows", "BR", bridge="br1")
            same([], "add-flow", "BR", "priority=3,actions=drop")
            vsctl("set-fail-mode", "br0", "secure")
            sltest.wait_for(lambda: "priority" not in run("br0", os.environ, [],
                                                           ["dump-flows", "BR"])[1],
                            "the flush")
            same([], "dump-flows", "BR")
        finally:
            ovs.stop()


if __name__ == "__main__":
    sltest.run([test_delete_normal_flow, test_secure_bridge, test_table_miss_as_ovs])
