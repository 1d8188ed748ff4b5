"""Private networks' configuration through sluicectl on the real daemon:
tunnel-create (protocols, keys chosen and given, the network's key shared
by its tunnels, keys unique per protocol), remotes added and removed without
touching the others, pif-reconfigure-ip, XCP-ng static routes (valid, each
malformed form rejecting the whole list, removal) taking effect at once on
each remote's next hop, the refusals, and persistence across a restart.

The tunnels' datapath (encapsulation, decapsulation, ARP) is
test_tunnel.py's."""
import sltest
from sltest import Daemon


def status(d, t):
    return {s["remote"]: (s["next-hop"], s["via"])
            for s in d.json("tunnel-param-get", f"uuid={t}", "param-name=status")}


def test_tunnel_config():
    wd = sltest.workdir("tunnel-config")
    d = Daemon(None, wd)
    try:
        eth1 = d.uuid("pif-introduce", "device=eth1", "devargs=net_null0")
        transport_net = d.json("pif-param-get", f"uuid={eth1}", "param-name=network-uuid")
        p1 = d.uuid("network-create", "name-label=private 1")
        p2 = d.uuid("network-create", "name-label=private 2")
        p3 = d.uuid("network-create", "name-label=private 3")

        t1 = d.uuid("tunnel-create", f"pif-uuid={eth1}", f"network-uuid={p1}")
        rec = d.json("tunnel-param-list", f"uuid={t1}")
        assert rec["protocol"] == "gre" and rec["key"] == 1, rec
        assert rec["network-uuid"] == p1 and rec["transport-PIF"] == eth1, rec
        access = rec["access-PIF"]
        assert d.json("pif-param-get", f"uuid={access}", "param-name=device") == "tunnel0"
        assert d.json("pif-param-get", f"uuid={access}", "param-name=tunnel-access-PIF-of") == t1
        assert d.json("pif-param-get", f"uuid={eth1}", "param-name=tunnel-transport-PIF-of") == [t1]
        # a free key is chosen; a given one is kept; keys are the networks'
        t2 = d.uuid("tunnel-create", f"pif-uuid={eth1}", f"network-uuid={p2}",
                    "protocol=vxlan", "key=4242")
        assert d.json("tunnel-param-get", f"uuid={t2}", "param-name=key") == 4242
        d.expect_error(["tunnel-create", f"pif-uuid={eth1}", f"network-uuid={p3}",
                        "protocol=vxlan", "key=4242"], 1039, "TUNNEL_KEY_IN_USE",
                       "4242 is network")
        d.expect_error(["tunnel-create", f"pif-uuid={eth1}", f"network-uuid={p3}",
                        "protocol=vxlan", "key=16777216"], 1000, "INVALID_VALUE",
                       "outside 0..16777215 for vxlan")
        d.expect_error(["tunnel-create", f"pif-uuid={eth1}", f"network-uuid={p3}",
                        "protocol=ipip"], 1000, "INVALID_VALUE", "'ipip' is not gre or vxlan")
        d.expect_error(["tunnel-create", f"pif-uuid={eth1}", f"network-uuid={p1}"],
                       1038, "TUNNEL_ALREADY_EXISTS", "already has tunnel")
        d.expect_error(["tunnel-create", f"pif-uuid={access}", f"network-uuid={p3}"],
                       1028, "PIF_IS_NOT_PHYSICAL", "tunnel's own")
        d.expect_error(["tunnel-create", f"pif-uuid={eth1}", f"network-uuid={transport_net}"],
                       1000, "INVALID_VALUE", "transport PIF's own network")
        # the same key 4242 for GRE is another network's own business
        t3 = d.uuid("tunnel-create", f"pif-uuid={eth1}", f"network-uuid={p3}", "key=4242")
        # a second transport for p2 takes p2's protocol and key
        eth2 = d.uuid("pif-introduce", "device=eth2", "devargs=net_null1")
        t4 = d.uuid("tunnel-create", f"pif-uuid={eth2}", f"network-uuid={p2}", "protocol=vxlan")
        assert d.json("tunnel-param-get", f"uuid={t4}", "param-name=key") == 4242
        d.expect_error(["tunnel-create", f"pif-uuid={eth2}", f"network-uuid={p1}",
                        "protocol=vxlan"], 1000, "INVALID_VALUE", "carried in gre")
        # a private network takes no PIF of its own
        d.expect_error(["pif-introduce", "device=eth9", "devargs=net_null9",
                        f"network-uuid={p1}"], 1043, "NETWORK_HAS_TUNNEL", "private network")

        # remotes come and go, the others stay as they were
        for r in ("10.88.113.20", "10.90.1.7", "172.16.0.9"):
            d.ctl("tunnel-remote-add", f"uuid={t1}", f"remote={r}")
        d.expect_error(["tunnel-remote-add", f"uuid={t1}", "remote=10.90.1.7"],
                       1040, "TUNNEL_REMOTE_EXISTS", "already a remote")
        for bad, why in (("10.1.2", "is not an IPv4 address"), ("224.0.0.5", "not a unicast"),
                         ("127.0.0.1", "not a unicast"), ("255.255.255.255", "not a unicast")):
            d.expect_error(["tunnel-remote-add", f"uuid={t1}", f"remote={bad}"],
                           1000, "INVALID_VALUE", why)
        d.ctl("tunnel-remote-remove", f"uuid={t1}", "remote=10.90.1.7")
        assert d.json("tunnel-param-get", f"uuid={t1}", "param-name=remotes") == [
            "10.88.113.20", "172.16.0.9"]
        d.expect_error(["tunnel-remote-remove", f"uuid={t1}", "remote=10.90.1.7"],
                       1041, "TUNNEL_REMOTE_UNKNOWN", "not a remote")
        d.ctl("tunnel-remote-add", f"uuid={t1}", "remote=10.90.1.7")
        d.expect_error(["tunnel-param-set", f"uuid={t1}", "remotes=1.2.3.4"],
                       1017, "FIELD_READ_ONLY", "tunnel-remote-add")

        # no address yet: nothing is reachable
        assert status(d, t1)["10.88.113.20"][0] == ""
        assert "no IP address" in status(d, t1)["10.88.113.20"][1]
        d.expect_error(["pif-reconfigure-ip", f"uuid={eth1}", "mode=dhcp"], 1000,
                       "INVALID_VALUE", "no DHCP client")
        d.expect_error(["pif-reconfigure-ip", f"uuid={eth1}", "mode=static", "IP=10.88.113.10",
                        "netmask=255.0.255.0"], 1000, "INVALID_VALUE", "is not a netmask")
        d.expect_error(["pif-reconfigure-ip", f"uuid={eth1}", "mode=static", "IP=10.88.113.10",
                        "netmask=255.255.255.0", "gateway=10.1.1.1"], 1000, "INVALID_VALUE",
                       "not on 10.88.113.10's subnet")
        d.expect_error(["pif-reconfigure-ip", f"uuid={eth1}", "mode=static",
                        "netmask=255.255.255.0"], 1001, "MISSING_PARAMETER", "IP: mode=static")
        d.ctl("pif-reconfigure-ip", f"uuid={eth1}", "mode=static", "IP=10.88.113.10",
              "netmask=255.255.255.0", "gateway=10.88.113.1")
        assert d.json("pif-param-get", f"uuid={eth1}", "param-name=IP") == "10.88.113.10"
        assert d.json("pif-param-get", f"uuid={eth1}",
                      "param-name=IP-configuration-mode") == "Static"
        d.expect_error(["tunnel-remote-add", f"uuid={t1}", "remote=10.88.113.10"],
                       1000, "INVALID_VALUE", "this host's own address")
        assert status(d, t1) == {
            "10.88.113.20": ("10.88.113.20", "connected"),
            "10.90.1.7": ("10.88.113.1", "default"),
            "172.16.0.9": ("10.88.113.1", "default"),
        }, status(d, t1)

        # a tunnel carries frames once its transport PIF is attached
        assert d.json("tunnel-param-get", f"uuid={t1}", "param-name=state") == \
            "the transport PIF is not attached"
        d.ctl("pif-plug", f"uuid={eth1}")
        assert d.json("tunnel-param-get", f"uuid={t1}", "param-name=state") == "up"
        # a fixed neighbour is resolved without ARP (eth1 is a null port:
        # nothing could answer); the others stay incomplete
        arp = {r["remote"]: (r["ARP"], r["next-hop-MAC"]) for r in
               d.json("tunnel-param-get", f"uuid={t1}", "param-name=status")}
        assert arp["10.88.113.20"] == ("incomplete", ""), arp
        for bad in ("10.88.113.20", "10.88.113.20/zz:00:00:00:00:01", "10.1/02:00:00:00:00:01",
                    "10.88.113.20/01:00:00:00:00:01"):
            d.expect_error(["pif-param-set", f"uuid={eth1}",
                            f"other-config:static-neighbours={bad}"], 1000, "INVALID_VALUE",
                           "is not IP/MAC")
        d.ctl("pif-param-set", f"uuid={eth1}",
              "other-config:static-neighbours=10.88.113.20/02:00:00:00:aa:14,10.88.113.1/02:00:00:00:aa:01")
        arp = {r["remote"]: (r["ARP"], r["next-hop-MAC"]) for r in
               d.json("tunnel-param-get", f"uuid={t1}", "param-name=status")}
        assert arp == {"10.88.113.20": ("resolved", "02:00:00:00:aa:14"),
                       "10.90.1.7": ("resolved", "02:00:00:00:aa:01"),
                       "172.16.0.9": ("resolved", "02:00:00:00:aa:01")}, arp
        d.ctl("pif-param-remove", f"uuid={eth1}", "param-name=other-config",
              "param-key=static-neighbours")
        arp = {r["remote"]: r["ARP"] for r in
               d.json("tunnel-param-get", f"uuid={t1}", "param-name=status")}
        assert set(arp.values()) == {"incomplete"}, arp

        # static routes: in force at once, longest prefix first
        d.ctl("network-param-set", f"uuid={transport_net}",
              "other-config:static-routes=10.88.0.0/14/10.88.113.193,10.90.1.0/24/10.88.113.194")
        assert status(d, t1) == {
            "10.88.113.20": ("10.88.113.20", "connected"),
            "10.90.1.7": ("10.88.113.194", "static 10.90.1.0/24"),
            "172.16.0.9": ("10.88.113.1", "default"),
        }, status(d, t1)
        # one bad entry: the whole list is refused and the old one stays
        for bad, why in (("10.0.0.0/24/10.0.0.1,10.1.0.0/33/10.0.0.1", "entry 2"),
                         ("10.0.0.0/24", "is not network/prefix-length/gateway"),
                         ("10.0.0.1/24/10.0.0.2", "has bits past /24"),
                         ("10.0.0.0/24/x", "gateway x is not an IPv4 address"),
                         ("10.0.0.0/24/10.0.0.1,", "entry 2 is empty")):
            d.expect_error(["network-param-set", f"uuid={transport_net}",
                            f"other-config:static-routes={bad}"], 1000, "INVALID_VALUE", why)
        assert status(d, t1)["10.90.1.7"] == ("10.88.113.194", "static 10.90.1.0/24")
        d.ctl("network-param-remove", f"uuid={transport_net}", "param-name=other-config",
              "param-key=static-routes")
        assert status(d, t1)["10.90.1.7"] == ("10.88.113.1", "default")
        d.ctl("network-param-set", f"uuid={transport_net}",
              "other-config:static-routes=10.90.0.0/16/10.88.113.195")
        # a change refused for its MTU changes nothing else either
        d.ctl("pif-param-set", f"uuid={eth1}", "management=true")
        d.expect_error(["network-param-set", f"uuid={transport_net}", "MTU=9000",
                        "other-config:static-routes=10.0.0.0/8/10.88.113.1"],
                       1023, "MTU_CHECK_FAILED", "management interface")
        assert status(d, t1)["10.90.1.7"] == ("10.88.113.195", "static 10.90.0.0/16")
        d.ctl("pif-param-set", f"uuid={eth1}", "management=false")

        # what a tunnel's PIFs refuse
        d.expect_error(["pif-forget", f"uuid={access}"], 1042, "PIF_IS_TUNNEL_ACCESS",
                       f"tunnel-destroy uuid={t1}")
        d.expect_error(["pif-forget", f"uuid={eth2}"], 1042, "PIF_IS_TUNNEL_ACCESS",
                       "tunnel-destroy it first")
        d.expect_error(["vlan-create", f"pif-uuid={access}", "vlan=5", f"network-uuid={p3}"],
                       1042, "PIF_IS_TUNNEL_ACCESS", "carries no VLANs")

        before = d.json("tunnel-list", "params=all")
        rc, _ = d.stop()
        assert rc == 0, d.log
        d = Daemon(None, wd)
        assert d.json("tunnel-list", "params=all") == before
        assert status(d, t1)["10.90.1.7"] == ("10.88.113.195", "static 10.90.0.0/16")

        d.ctl("tunnel-destroy", f"uuid={t4}")
        d.ctl("tunnel-destroy", f"uuid={t3}")
        assert not d.json("pif-list", "device=tunnel2")
        d.ctl("pif-forget", f"uuid={eth2}")
        rc, _ = d.stop()
        assert rc == 0, d.log
    finally:
        d.kill()



def test_tunnel_over_feature_pifs():
    """A tunnel over a VLAN's PIF and over a bond's PIF: those PIFs stay
    while it does (vlan-destroy, bond-destroy), the transport cannot be
    bonded, and reset-networking takes the tunnels first (the daemon keeps
    running and restarts from what it saved)."""
    wd = sltest.workdir("tunnel-over")
    d = Daemon(None, wd)
    try:
        eth1 = d.uuid("pif-introduce", "device=eth1", "devargs=net_null0")
        eth2 = d.uuid("pif-introduce", "device=eth2", "devargs=net_null1")
        eth3 = d.uuid("pif-introduce", "device=eth3", "devargs=net_null2")
        eth4 = d.uuid("pif-introduce", "device=eth4", "devargs=net_null3")
        # the features' keys of other-config are checked at creation too
        d.expect_error(["pif-introduce", "device=eth5", "devargs=net_null4",
                        "other-config:static-neighbours=10.88.113.20"], 1000,
                       "INVALID_VALUE", "is not IP/MAC")
        d.expect_error(["network-create", "name-label=bad routes",
                        "other-config:static-routes=10.0.0.0/24/x"], 1000,
                       "INVALID_VALUE", "gateway x is not an IPv4 address")
        vnet = d.uuid("network-create", "name-label=vlan 10")
        bnet = d.uuid("network-create", "name-label=bond")
        p1 = d.uuid("network-create", "name-label=private 1")
        p2 = d.uuid("network-create", "name-label=private 2")
        vlan = d.uuid("vlan-create", f"pif-uuid={eth1}", "vlan=10", f"network-uuid={vnet}")
        vlan_pif = d.json("vlan-param-get", f"uuid={vlan}", "param-name=untagged-PIF")
        bond = d.uuid("bond-create", f"network-uuid={bnet}", f"pif-uuids={eth2},{eth3}")
        bond_pif = d.json("bond-param-get", f"uuid={bond}", "param-name=master")
        t1 = d.uuid("tunnel-create", f"pif-uuid={vlan_pif}", f"network-uuid={p1}")
        t2 = d.uuid("tunnel-create", f"pif-uuid={bond_pif}", f"network-uuid={p2}")
        t3 = d.uuid("tunnel-create", f"pif-uuid={eth4}", f"network-uuid={p2}")

        # the PIFs under a tunnel stay while it does
        d.expect_error(["vlan-destroy", f"uuid={vlan}"], 1042, "PIF_IS_TUNNEL_ACCESS",
                       f"carries tunnel {t1}")
        d.expect_error(["bond-destroy", f"uuid={bond}"], 1042, "PIF_IS_TUNNEL_ACCESS",
                       f"carries tunnel {t2}")
        # a transport keeps its port: it is bonded with nothing
        d.expect_error(["bond-create", f"network-uuid={bnet}", f"pif-uuids={eth4},{eth1}"],
                       1042, "PIF_IS_TUNNEL_ACCESS", f"carries tunnel {t3}")
        assert d.json("tunnel-param-get", f"uuid={t1}", "param-name=transport-PIF") == vlan_pif

        removed = d.json("reset-networking")
        assert removed == {"tunnels-removed": 3, "bonds-removed": 1,
                           "sriov-networks-removed": 0, "VF-VIFs-removed": 0,
                           "PIFs-removed": 9, "VLANs-removed": 1}, removed
        assert d.json("tunnel-list") == [] and d.json("pif-list") == []
        assert d.json("bond-list") == [] and d.json("vlan-list") == []
        rc, _ = d.stop()
        assert rc == 0, d.log
        d = Daemon(None, wd)
        assert d.json("pif-list") == [] and d.json("tunnel-list") == []
        assert len(d.json("network-list")) == 8
        rc, _ = d.stop()
        assert rc == 0, d.log
    finally:
        d.kill()


if __name__ == "__main__":
    sltest.run([test_tunnel_config, test_tunnel_over_feature_pifs])
