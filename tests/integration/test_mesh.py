"""The full-mesh set-up of the XCP-ng docs on three sluiced hosts.

Each host is a network namespace with its own sluiced; every pair of hosts
is joined by a veth pair. On each host the two links are a broadcast bond
on the mesh network, and a tap port gives the host's kernel an address on
it (192.168.10.1, .2, .3). Every host pings every other; then the link
between hosts 1 and 3 is cut, and every ping still works: their frames go
round through host 2, which repeats what it gets on one member on the other
(relay), while each host takes one copy of what reaches it twice."""
import os
import subprocess
import time

import sltest
from sltest import Daemon, sh

HOSTS = (1, 2, 3)
NS = {h: f"slmesh{h}-{os.getpid()}" for h in HOSTS}
LINKS = [(1, 2), (1, 3), (2, 3)]


def link_name(me, peer):
    return f"m{me}{peer}"	# host me's end of the link to peer


def setup():
    sltest.quiet_netns()
    for h in HOSTS:
        ns = NS[h]
        sh(f"ip netns add {ns}")
        sh(f"ip netns exec {ns} sysctl -qw net.ipv6.conf.all.disable_ipv6=1")
        sh(f"ip netns exec {ns} sysctl -qw net.ipv6.conf.default.disable_ipv6=1")
        sh(f"ip netns exec {ns} ip link set lo up")
    for a, b in LINKS:
        sh(f"ip link add {link_name(a, b)} netns {NS[a]} type veth "
           f"peer name {link_name(b, a)} netns {NS[b]}")
        for me, peer in ((a, b), (b, a)):
            ns, ifc = NS[me], link_name(me, peer)
            sh(f"ip netns exec {ns} ip link set {ifc} up")
            # af_packet leaves the kernel's stack on the link too: it
            # must not answer ARP for the host's mesh address
            sh(f"ip netns exec {ns} sysctl -qw net.ipv4.conf.{ifc}.arp_ignore=8")
    for a, b in LINKS:
        sltest.wait_carrier(link_name(a, b), NS[a])
        sltest.wait_carrier(link_name(b, a), NS[b])


def teardown():
    for ns in NS.values():
        sh(f"ip netns del {ns}", check=False)


def start_host(h):
    d = Daemon(None, sltest.workdir(f"mesh{h}"), netns=NS[h])
    peers = [p for p in HOSTS if p != h]
    pifs = [d.uuid("pif-introduce", f"device=eth{i}",
                   f"devargs=net_af_packet,iface={link_name(h, p)}")
            for i, p in enumerate(peers, 1)]
    net = d.uuid("network-create", "name-label=mesh")
    d.bond = d.uuid("bond-create", f"network-uuid={net}", f"pif-uuids={','.join(pifs)}",
                    "mode=broadcast")
    v = d.uuid("vif-create", f"network-uuid={net}", f"mac=02:00:00:00:10:0{h}",
               "device=mesh0", "devargs=net_tap,iface=mesh0")
    d.ctl("vif-plug", f"uuid={v}")
    sh(f"ip netns exec {NS[h]} ip addr add 192.168.10.{h}/24 dev mesh0")
    sh(f"ip netns exec {NS[h]} ip link set mesh0 up")
    return d


def ping(src, dst, count=4):
    r = subprocess.run(f"ip netns exec {NS[src]} ping -c {count} -i 0.2 -W 2 192.168.10.{dst}",
                       shell=True, text=True, capture_output=True)
    return r.stdout + r.stderr


def ping_all():
    for src in HOSTS:
        for dst in HOSTS:
            if src != dst:
                out = ping(src, dst)
                assert " 0% packet loss" in out and "DUP" not in out, (src, dst, out)


def test_full_mesh():
    hosts = {}
    try:
        for h in HOSTS:
            hosts[h] = start_host(h)
        ping_all()
        # host 2 saw the 1<->3 traffic come in twice (directly, and from
        # the other host) and took one copy
        drops = hosts[2].json("stats")["drops"]
        assert drops["bond_duplicate"] > 0, drops
        # cut the link between hosts 1 and 3
        sh(f"ip netns exec {NS[1]} ip link set {link_name(1, 3)} down")
        for h in (1, 3):
            show = hosts[h].json("bond-show", f"uuid={hosts[h].bond}")
            deadline = time.time() + 10
            while sum(m["state"] == "enabled" for m in show["members"]) != 1:
                assert time.time() < deadline, show
                show = hosts[h].json("bond-show", f"uuid={hosts[h].bond}")
        ping_all()
        # the 1<->3 frames do go round through host 2: without its relay
        # they are lost
        hosts[2].ctl("bond-param-set", f"uuid={hosts[2].bond}", "properties:relay=false")
        out = ping(1, 3, count=2)
        assert " 100% packet loss" in out, out
        hosts[2].ctl("bond-param-set", f"uuid={hosts[2].bond}", "properties:relay=true")
        assert " 0% packet loss" in ping(1, 3)
    finally:
        ends = {h: d.stop() for h, d in hosts.items()}
        for h, (code, final) in ends.items():
            assert code == 0, hosts[h].log
            assert final["mbufs"]["all-returned"], final["mbufs"]


if __name__ == "__main__":
    setup()
    try:
        sltest.run([test_full_mesh])
    finally:
        teardown()
