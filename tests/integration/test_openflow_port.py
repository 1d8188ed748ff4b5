# SPDX-License-Identifier: BSD-3-Clause
"""PORT_MOD down and up (ovs-ofctl mod-port PORT down|up) as Debian's
ovs-vswitchd does them: a port taken down neither receives nor sends,
and show says PORT_DOWN and LINK_DOWN; a bit sluice does not do gets the
error its protocol version has. scapy checks what passes; the real
ovs-vswitchd is the oracle of what ovs-ofctl prints."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import sltest  # noqa: E402
from scapy.all import Ether, Raw, sendp  # noqa: E402
from sltest import Capture  # noqa: E402
from test_ovsdb import Host, hotplug, networkd_bridge  # noqa: E402
from test_openflow import MAC, ofctl, wait_forwarding  # noqa: E402
import ovs_oracle  # noqa: E402

MAC2 = "02:00:00:00:10:03"


def config(bridge, port):
    """The config and state lines of port in ovs-ofctl show."""
    show = ofctl("show", bridge).stdout
    m = re.search(r"\(%s\):.*\n\s+config:\s+(.*)\n\s+state:\s+(.*)" % re.escape(port), show)
    assert m, show
    return m.groups()


def port_drops(d, device, reason):
    stats = d.json("stats")
    sltest.drops_add_up(stats)
    return sltest.port_stats(stats, device)["drops"].get(reason, 0)


def test_port_down():
    with Host("openflow-down", namespaces=False) as h:
        db, d = h.db, h.d
        sltest.veth("vif2.0", "g2")
        networkd_bridge(db)
        hotplug(db, "xenbr0", "vif1.0", MAC)
        hotplug(db, "xenbr0", "vif2.0", MAC2)
        for dev in ("g1", "g2", "p1"):
            sltest.sh(f"sysctl -qw net.ipv6.conf.{dev}.disable_ipv6=1")
        sltest.wait_for(lambda: os.path.exists(os.path.join(db.dir, "xenbr0.mgmt")),
                        "xenbr0.mgmt")
        wait_forwarding()
        bc = Ether(src=MAC, dst="ff:ff:ff:ff:ff:ff")
        cap = Capture(["p1", "g1", "g2"])
        try:
            # the FDB learns vif2.0's MAC
            sendp(Ether(src=MAC2, dst="ff:ff:ff:ff:ff:ff") / Raw(b"pd-learn"),
                  iface="g2", verbose=False)
            cap.expect_once(b"pd-learn", ["p1", "g1"], [])
            ofctl("mod-port", "xenbr0", "vif2.0", "down")
            assert config("xenbr0", "vif2.0") == ("PORT_DOWN", "LINK_DOWN")
            ports = d.json("status")["openflow"]["bridges"][0]["ports"]
            assert [p["down"] for p in ports if p["name"] == "vif2.0"] == [True], ports
            # nothing is sent to it: flooded or addressed to its MAC
            sendp(bc / Raw(b"pd-bcast"), iface="g1", verbose=False)
            cap.expect_once(b"pd-bcast", ["p1"], ["g2"])
            sendp(Ether(src=MAC, dst=MAC2) / Raw(b"pd-unicast"), iface="g1", verbose=False)
            cap.expect_once(b"pd-unicast", ["p1"], ["g2"])
            # nothing it receives goes on, counted
            before = port_drops(d, "vif2.0", "port_down")
            sendp(Ether(src=MAC2, dst="ff:ff:ff:ff:ff:ff") / Raw(b"pd-from"),
                  iface="g2", verbose=False)
            cap.expect_once(b"pd-from", [], ["p1", "g1"])
            sltest.wait_for(lambda: port_drops(d, "vif2.0", "port_down") == before + 1,
                            "the port_down drop")
            # up again: both ways
            ofctl("mod-port", "xenbr0", "vif2.0", "up")
            assert config("xenbr0", "vif2.0")[0] == "0"
            sendp(bc / Raw(b"pd-up"), iface="g1", verbose=False)
            cap.expect_once(b"pd-up", ["p1", "g2"], [])
            sendp(Ether(src=MAC2, dst="ff:ff:ff:ff:ff:ff") / Raw(b"pd-from-up"),
                  iface="g2", verbose=False)
            cap.expect_once(b"pd-from-up", ["p1", "g1"], [])
        finally:
            cap.close()
        # a bit sluice does not do: the error of each version
        r = ofctl("mod-port", "xenbr0", "vif1.0", "no-receive", check=False)
        assert r.returncode != 0 and "NXBRC_UNENCODABLE_ERROR" in r.stderr, r
        r = ofctl("-O", "OpenFlow13", "mod-port", "xenbr0", "vif1.0", "no-receive",
                  check=False)
        assert r.returncode != 0 and "OFPPMFC_BAD_CONFIG" in r.stderr, r


def test_port_down_as_ovs():
    """show and dump-ports-desc after mod-port down and up: the port's
    config (and state when down) as the real ovs-vswitchd gives them."""
    with Host("openflow-down-ovs") as h:
        db = h.db
        ovs_oracle.sluice_br0(db)
        ovs = ovs_oracle.Ovs(sltest.workdir("openflow-down-oracle"))
        here = f"unix:{db.dir}/br0.mgmt"
        sltest.wait_for(lambda: os.path.exists(here[5:]), "br0.mgmt")
        try:
            for mode in ([], ["-O", "OpenFlow11"], ["-O", "OpenFlow13"]):
                for what in ("down", "up"):
                    outs = []
                    for target, env in (("br0", ovs.env), (here, os.environ)):
                        r = ovs_oracle.sh(["ovs-ofctl", *mode, "mod-port", target, "p1",
                                           what], env, check=False)
                        assert r.returncode == 0, (target, mode, what, r.stderr)
                        for cmd in ("show", "dump-ports-desc"):
                            r = ovs_oracle.sh(["ovs-ofctl", *mode, cmd, target], env)
                            got = ovs_oracle.port1_config(r.stdout)
                            outs.append(got if what == "down" else got[0])
                    assert outs[:2] == outs[2:], (mode, what, outs)
        finally:
            ovs.stop()


if __name__ == "__main__":
    sltest.run([test_port_down, test_port_down_as_ovs])
