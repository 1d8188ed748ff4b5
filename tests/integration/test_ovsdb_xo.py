"""Xen Orchestra's private networks, driven as its SDN controller drives
them: OVSDB transactions sent as JSON (through the real ovsdb-client) to
each host's real ovsdb-server, sluiced --ovsdb behind it. Each host is a
network namespace with its own database and sluiced; networkd's bridges
are made with the real ovs-vsctl, the management address is put on the
internal port xenbr0 with `ip addr`, as networkd puts it. Guests ping
across over VXLAN and GRE; one host's tunnel runs against the Linux
kernel's vxlan device; deleting the ports stops it."""
import contextlib
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(__file__))
import sltest  # noqa: E402
from sltest import Daemon, Ovsdb, ping, reaches, sh, wait_for, quiet_netns  # noqa: E402

NET = str(uuid.uuid4())		# the private network's uuid in XAPI
PRIVATE = "xapi5"
UNDERLAY = "slxobr"		# the switch between the hosts' uplinks
HOSTS = {"A": "10.30.0.1", "B": "10.30.0.2"}
GUESTS = {"A": "192.168.77.1", "B": "192.168.77.2"}
KERNEL_HOST, KERNEL_IP, KERNEL_GUEST = f"slxoC{os.getpid()}", "10.30.0.3", "192.168.77.3"


def nsx(ns, cmd, check=True):
    return sh(f"ip netns exec {ns} {cmd}", check=check)


class Host:
    """A host: namespace slxo<name>, its uplink on the underlay switch, its
    guest (namespace slxo<name>g behind vif1.0), its database and sluiced,
    and networkd's bridges: xenbr0 with the uplink and the management
    address on its own port, and the private network's empty bridge."""

    def __init__(self, name):
        # named netns are the whole machine's: the pid keeps runs apart
        self.name = name
        self.ns, self.guest = f"slxo{name}{os.getpid()}", f"slxo{name}g{os.getpid()}"
        for ns in (self.ns, self.guest):
            sh(f"ip netns del {ns}", check=False)
            sh(f"ip netns add {ns}")
            nsx(ns, "ip link set lo up")
            nsx(ns, "sysctl -qw net.ipv6.conf.all.disable_ipv6=1")
        sh(f"ip link add ul{name} type veth peer name up{name}")
        sh(f"ip link set ul{name} netns {self.ns}")
        sh(f"ip link set up{name} master {UNDERLAY} up")
        nsx(self.ns, f"ip link set ul{name} up")
        sh(f"ip link add vif1.0 netns {self.ns} type veth peer name g netns {self.guest}")
        nsx(self.ns, "ip link set vif1.0 up")
        nsx(self.guest, "ip link set g up")
        nsx(self.guest, f"ip addr add {GUESTS[name]}/24 dev g")
        self.dir = sltest.workdir(f"ovsdb-xo{name}")
        self.db = Ovsdb(self.dir)
        self.d = Daemon(None, self.dir, args=["--ovsdb", self.db.remote], netns=self.ns)
        mac = nsx(self.ns, f"cat /sys/class/net/ul{name}/address").strip()
        # networkd: the management bridge, its hwaddr the uplink's
        self.db.vsctl("--", "--may-exist", "add-br", "xenbr0",
                      "--", "set", "bridge", "xenbr0", f"other-config:hwaddr={mac}",
                      "--", "--may-exist", "add-port", "xenbr0", f"ul{name}")
        nsx(self.ns, f"ip addr add {HOSTS[name]}/24 dev xenbr0")
        nsx(self.ns, "ip link set xenbr0 up")
        # networkd: the private network's bridge; the hotplug script: the VIF
        self.db.vsctl("--", "--may-exist", "add-br", PRIVATE,
                      "--", "br-set-external-id", PRIVATE, "xs-network-uuids", NET)
        self.db.vsctl("add-port", PRIVATE, "vif1.0", "--", "set", "interface", "vif1.0",
                      'external-ids:"attached-mac"="02:00:00:77:00:01"')

    def transact(self, *ops):
        return self.db.transact(*ops)

    def bridge_uuid(self):
        """XO: the bridge of the private network, by xs-network-uuids."""
        res = self.transact({"op": "select", "table": "Bridge", "columns": ["_uuid", "name"],
                             "where": [["external_ids", "includes",
                                        ["map", [["xs-network-uuids", NET]]]]]})
        rows = res[0]["rows"]
        assert len(rows) == 1 and rows[0]["name"] == PRIVATE, rows
        return rows[0]["_uuid"][1]

    def add_tunnel(self, n, proto, remote, key="42"):
        """XO's createTunnel: Interface and Port inserted, Bridge mutated,
        one transaction."""
        name = f"{PRIVATE}_iface{n}"
        res = self.transact(
            {"op": "insert", "table": "Interface", "uuid-name": "newiface",
             "row": {"type": proto, "name": name,
                     "options": ["map", [["remote_ip", remote], ["key", key]]]}},
            {"op": "insert", "table": "Port", "uuid-name": "newport",
             "row": {"name": name, "interfaces": ["set", [["named-uuid", "newiface"]]],
                     "other_config": ["map", [["xo:sdn-controller:private-network-uuid", NET]]]}},
            {"op": "mutate", "table": "Bridge",
             "where": [["_uuid", "==", ["uuid", self.bridge_uuid()]]],
             "mutations": [["ports", "insert", ["set", [["named-uuid", "newport"]]]]]})
        assert all("error" not in r for r in res if r), res
        # XO does not wait: the ofport shows once the switch applied it
        try:
            wait_for(lambda: isinstance(self.db.get("interface", name, "ofport"), int) and
                     self.db.get("interface", name, "ofport") >= 1,
                     f"{name}'s ofport on host {self.name}")
        except AssertionError:
            raise AssertionError(self.db.vsctl("--no-wait", "list", "interface", name))
        return name

    def delete_tunnels(self):
        """XO's deletion: the private network's Ports selected by their
        other_config, then removed from the Bridge."""
        res = self.transact({"op": "select", "table": "Port", "columns": ["_uuid", "other_config"],
                             "where": [["other_config", "includes",
                                        ["map", [["xo:sdn-controller:private-network-uuid", NET]]]]]})
        ports = [r["_uuid"] for r in res[0]["rows"]]
        self.transact({"op": "mutate", "table": "Bridge",
                       "where": [["_uuid", "==", ["uuid", self.bridge_uuid()]]],
                       "mutations": [["ports", "delete", ["set", ports]]]})

    def close(self):
        code, final = self.d.stop()
        if sys.exc_info()[0] is not None:	# a failure: what the switch said
            print(f"---- sluiced of host {self.name}:\n{self.d.log}", file=sys.stderr)
        self.db.stop()
        for ns in (self.ns, self.guest):
            sh(f"ip netns del {ns}", check=False)
        return code, final


def underlay():
    sh(f"ip link del {UNDERLAY}", check=False)
    sh(f"ip link add {UNDERLAY} type bridge")
    sh(f"ip link set {UNDERLAY} up")


def kernel_vxlan_host():
    """A host whose private network is the Linux kernel's vxlan device."""
    sh(f"ip netns del {KERNEL_HOST}", check=False)
    sh(f"ip netns add {KERNEL_HOST}")
    nsx(KERNEL_HOST, "sysctl -qw net.ipv6.conf.all.disable_ipv6=1")
    sh(f"ip link add ulC type veth peer name upC")
    sh(f"ip link set ulC netns {KERNEL_HOST}")
    sh(f"ip link set upC master {UNDERLAY} up")
    nsx(KERNEL_HOST, "ip link set lo up")
    nsx(KERNEL_HOST, "ip link set ulC up")
    nsx(KERNEL_HOST, f"ip addr add {KERNEL_IP}/24 dev ulC")
    nsx(KERNEL_HOST, f"ip link add vx42 type vxlan id 42 remote {HOSTS['A']} "
                     "dstport 4789 dev ulC")
    nsx(KERNEL_HOST, f"ip addr add {KERNEL_GUEST}/24 dev vx42")
    nsx(KERNEL_HOST, "ip link set vx42 up")


def test_private_network_over_vxlan_and_gre():
    underlay()
    hosts = {}
    try:
        for name in ("A", "B"):
            hosts[name] = Host(name)
        a, b = hosts["A"], hosts["B"]
        assert reaches(a.ns, HOSTS["B"]), "the management network"
        ia = a.add_tunnel(1, "vxlan", HOSTS["B"])
        b.add_tunnel(1, "vxlan", HOSTS["A"])
        st = a.d.json("status")["ovsdb"]
        assert {i["name"]: i["attached-with"] for i in st["interfaces"]}[ia] == "vxlan"
        assert reaches(a.guest, GUESTS["B"]), "guests over VXLAN"
        tunnels = a.d.json("tunnel-list")
        assert len(tunnels) == 1 and tunnels[0]["protocol"] == "vxlan", tunnels
        # the tunnel's packets leave by the uplink, as the kernel routes them
        up = sltest.port_stats(a.d.stats(), f"ulA")
        assert up["tx-packets"] > 0, up
        # XO deletes the ports: the guests are cut off
        for h in (a, b):
            h.delete_tunnels()
        wait_for(lambda: a.d.json("tunnel-list") == [], "the tunnel to go")
        assert " 0% packet loss" not in ping(a.guest, GUESTS["B"], count=2)
        # GRE, as XO makes it for a network of that encapsulation
        a.add_tunnel(2, "gre", HOSTS["B"])
        b.add_tunnel(2, "gre", HOSTS["A"])
        assert reaches(a.guest, GUESTS["B"]), "guests over GRE"
        # options:local_ip overrides the source: host A's second address,
        # the only one host B's tunnel now takes packets from
        nsx(a.ns, "ip addr add 10.30.0.11/24 dev xenbr0")
        a.db.vsctl("set", "interface", f"{PRIVATE}_iface2", "options:local_ip=10.30.0.11")
        b.db.vsctl("set", "interface", f"{PRIVATE}_iface2", "options:remote_ip=10.30.0.11")
        assert reaches(a.guest, GUESTS["B"]), "guests over GRE from local_ip"
        a.db.vsctl("set", "interface", f"{PRIVATE}_iface2", "options:local_ip=10.30.0.99")
        assert "options:local_ip" in a.db.get("interface", f"{PRIVATE}_iface2", "error")
        a.db.vsctl("set", "interface", f"{PRIVATE}_iface2", "options:local_ip=10.30.0.11")
        # an encrypted network is refused, not sent in clear
        res = a.transact({"op": "insert", "table": "Interface", "uuid-name": "i",
                          "row": {"type": "gre", "name": "xapi5_psk",
                                  "options": ["map", [["remote_ip", "10.30.0.9"],
                                                      ["key", "42"], ["psk", "secret"]]]}},
                         {"op": "insert", "table": "Port", "uuid-name": "p",
                          "row": {"name": "xapi5_psk", "interfaces": ["named-uuid", "i"]}},
                         {"op": "mutate", "table": "Bridge",
                          "where": [["_uuid", "==", ["uuid", a.bridge_uuid()]]],
                          "mutations": [["ports", "insert", ["set", [["named-uuid", "p"]]]]]})
        wait_for(lambda: a.db.get("interface", "xapi5_psk", "ofport") == -1, "psk refused")
        assert "IPsec" in a.db.get("interface", "xapi5_psk", "error")
        assert reaches(a.guest, GUESTS["B"]), "the other tunnels keep working"
    finally:
        codes = {n: h.close() for n, h in hosts.items()}
        sh(f"ip link del {UNDERLAY}", check=False)
    for n, (code, final) in codes.items():
        assert code == 0, (n, hosts[n].d.log)
        assert final["mbufs"]["all-returned"], final["mbufs"]


@contextlib.contextmanager
def host_and_kernel():
    """Host A and the kernel's vxlan host on the underlay, gone after;
    sluiced must have exited cleanly."""
    underlay()
    kernel_vxlan_host()
    a = None
    try:
        a = Host("A")
        yield a
    finally:
        code, final = a.close() if a else (0, None)
        sh(f"ip netns del {KERNEL_HOST}", check=False)
        sh(f"ip link del {UNDERLAY}", check=False)
    assert code == 0, a.d.log


def test_against_the_kernels_vxlan():
    with host_and_kernel() as a:
        a.add_tunnel(1, "vxlan", KERNEL_IP)
        assert reaches(a.guest, KERNEL_GUEST), "sluice's VXLAN to the kernel's"
        assert reaches(KERNEL_HOST, GUESTS["A"]), "the kernel's VXLAN to sluice's"


if __name__ == "__main__":
    quiet_netns()
    sltest.run([test_private_network_over_vxlan_and_gre, test_against_the_kernels_vxlan])
