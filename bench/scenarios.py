"""The bench's scenarios: each a topology and a trace.

A topology is written once here and translated two ways: into a sluiced
state file (what sluice-bench loads) and into the equivalent Open vSwitch
configuration (one netdev bridge, NORMAL switching as XCP-ng's OVS does,
VLANs as access tags and trunks, bonds as OVS bonds, guests' MACs put in
the FDB as sluice holds VIF MACs). The trace enters by the `inp` port;
every other port is a sink.
"""
import random
import re
import uuid

import ofkey

GUESTS = [f"02:00:00:00:01:{i:02x}" for i in range(1, 9)]


def _uuid():
    return str(uuid.uuid4())


class Topology:
    def __init__(self, mtu=None):
        self.mtu = mtu
        self.networks = {}       # name -> {"uuid", "vlan": (pif, tag) or None}
        self.pifs = []           # (device, network)
        self.vlans = []          # (pif device, tag, network)
        self.vifs = []           # (device, mac, network)
        self.bonds = []          # (name, [member devices], network, mode)
        self.rules = []          # sdncontroller arguments (dicts), bridge = network
        self.transport = None    # (pif, ip, netmask, {neighbour ip: mac}, MAC)
        self.tunnels = []        # (pif, network, protocol, key, [remotes])
        self.flows = []          # OpenFlow flows (ovs-ofctl's text) on the first network's bridge

    def network(self, name):
        self.networks[name] = {"uuid": _uuid()}
        return name

    def pif(self, device, network):
        self.pifs.append((device, network))

    def vlan(self, pif, tag, network):
        self.vlans.append((pif, tag, network))

    def vif(self, device, mac, network):
        self.vifs.append((device, mac, network))

    def bond(self, name, members, network, mode="balance-slb"):
        self.bonds.append((name, members, network, mode))

    def transport_ip(self, pif, ip, netmask, neighbours, mac):
        """The PIF tunnels leave from: its address, its MAC and its fixed
        neighbours (a null port answers no ARP)."""
        self.transport = (pif, ip, netmask, neighbours, mac)

    def tunnel(self, pif, network, protocol, key, remotes):
        self.tunnels.append((pif, network, protocol, key, remotes))

    def rule(self, **args):
        """A flow rule as the sdncontroller plugin takes it (one direction)."""
        self.rules.append(args)

    def openflow(self, flow):
        """An OpenFlow flow as ovs-ofctl takes it, on the bridge of the
        first network; {DEVICE} stands for that port's OpenFlow number."""
        self.flows.append(flow)

    def ofports(self):
        """sluice's OpenFlow port numbers (the database's ofports on a
        host): the PIFs, then the VIFs, from 1."""
        devs = [d for d, _ in self.pifs] + [d for d, _, _ in self.vifs]
        return {d: i + 1 for i, d in enumerate(devs)}

    # ---- sluice ----------------------------------------------------------
    def sluice_state(self):
        st = {"sluice-state": 1, "networks": [], "pifs": [], "vifs": []}
        for name, n in self.networks.items():
            net = {"uuid": n["uuid"], "name-label": name, "bridge": name}
            if self.mtu:
                net["MTU"] = self.mtu
            st["networks"].append(net)
        pif_uuid = {}
        bonded = {m for _, members, _, _ in self.bonds for m in members}
        for device, network in self.pifs:
            pif_uuid[device] = _uuid()
            obj = {"uuid": pif_uuid[device], "device": device, "devargs": "net_null",
                   "network-uuid": self.networks[network]["uuid"]}
            if device in bonded:
                obj["currently-attached"] = False
            if self.transport and self.transport[0] == device:
                _, ip, mask, neighbours, mac = self.transport
                obj.update({"IP-configuration-mode": "Static", "IP": ip, "netmask": mask,
                            "MAC": mac, "other-config": {"static-neighbours": ",".join(
                                f"{a}/{m}" for a, m in neighbours.items())}})
            st["pifs"].append(obj)
        for i, (pif, network, protocol, key, remotes) in enumerate(self.tunnels):
            st["pifs"].append({"uuid": _uuid(), "device": f"tunnel{i}",
                               "network-uuid": self.networks[network]["uuid"],
                               "tunnel-access-PIF-of": _uuid(),
                               "tunnel-transport-PIF": pif_uuid[pif],
                               "tunnel-protocol": protocol, "tunnel-key": key,
                               "tunnel-remotes": remotes})
        for name, members, network, mode in self.bonds:
            pif_uuid[name] = _uuid()
            st["pifs"].append({"uuid": pif_uuid[name], "device": name,
                               "network-uuid": self.networks[network]["uuid"],
                               "bond-master-of": _uuid(),
                               "bond-slaves": [pif_uuid[m] for m in members],
                               "bond-mode": mode})
        for pif, tag, network in self.vlans:
            st["pifs"].append({"uuid": _uuid(), "device": pif,
                               "network-uuid": self.networks[network]["uuid"],
                               "VLAN": tag, "VLAN-master-of": _uuid(),
                               "tagged-PIF": pif_uuid[pif]})
        for device, mac, network in self.vifs:
            pif_uuid[device] = _uuid()
            st["vifs"].append({"uuid": pif_uuid[device], "device": device, "devargs": "net_null",
                               "MAC": mac, "network-uuid": self.networks[network]["uuid"]})
        if self.rules:
            st["rules"] = [{"id": i + 1, "network-uuid": self.networks[r["bridge"]]["uuid"],
                            "mac": r.get("mac", ""), "direction": r["direction"],
                            "protocol": r["protocol"], "ipRange": r["ipRange"],
                            "port": int(r.get("port", -1)), "allow": r["allow"] == "true",
                            "priority": int(r.get("priority", 32768)), "cookie": "0x0"}
                           for i, r in enumerate(self.rules)]
        if self.flows:
            # the flows, and the bridge's OpenFlow ports they name (the
            # state file's map: what the database numbered on a host)
            bridge = next(iter(self.networks))
            net, ports = self.networks[bridge]["uuid"], self.ofports()
            first = len(st.get("rules", [])) + 1
            st.setdefault("rules", []).extend(
                ofkey.record(_numbered(f, ports), first + i, net)
                for i, f in enumerate(self.flows))
            st["openflow"] = {net: {"name": bridge, "ports": {
                pif_uuid[d]: {"ofport": n, "name": d} for d, n in ports.items()}}}
        return st

    def plain(self):
        """Only networks, PIFs and VIFs (what sluice_ovsdb translates)."""
        return not (self.vlans or self.bonds or self.rules or self.tunnels or
                    self.transport)

    def sluice_ovsdb(self, inp, trace):
        """ovs-vsctl argument lists that make this switch in the
        Open_vSwitch database for sluiced --ovsdb, with the ports
        sluice-bench --e2e gives the daemon: the trace into inp, null
        ports elsewhere (type=dpdk, the OVS-DPDK convention); a guest's
        MAC as the hotplug scripts set it. A bridge's own port (a tap to
        the host's kernel on a host) is a null port too: its flood copies
        would otherwise be a syscall each, which the state file's switch,
        without that port, does not pay."""
        def port(device, network, extra=()):
            devargs = (f"net_pcap,rx_pcap={trace},infinite_rx=1" if device == inp
                       else "net_null,no-rx=1")
            return ["add-port", network, device, "--", "set", "interface", device,
                    "type=dpdk", f'options:dpdk-devargs="{devargs}"', *extra]
        cmds = [["add-br", name, "--", "set", "interface", name, "type=dpdk",
                 'options:dpdk-devargs="net_null,no-rx=1"'] for name in self.networks]
        cmds += [port(device, network) for device, network in self.pifs]
        cmds += [port(device, network, [f'external-ids:attached-mac="{mac}"'])
                 for device, mac, network in self.vifs]
        return cmds

    def ovs_flows(self, ports):
        """The rules as OpenFlow flows, written the way XCP-ng's plugin
        writes them: a per-VIF rule matches the MAC (dl_src for to, dl_dst
        for from); a network-wide rule becomes one flow per VIF port and one
        per uplink (dl_vlan=0xffff: untagged). OVS gives equal-priority
        overlaps no order; sluice takes the older rule, so priorities here
        are distinct where it matters (the deny rules sit on top)."""
        vif_ports = [d for d, _, _ in self.vifs]
        uplinks = [d for d, _ in self.pifs]
        flows = []
        for r in self.rules:
            to = r["direction"] == "to"
            match = [f"priority={r.get('priority', 32768)}", r["protocol"]]
            if r["protocol"] == "arp":
                match.append(("arp_tpa=" if to else "arp_spa=") + r["ipRange"])
            else:
                match.append(("nw_dst=" if to else "nw_src=") + r["ipRange"])
            if "port" in r:
                match.append(("tp_dst=" if to else "tp_src=") + r["port"])
            action = "actions=" + ("normal" if r["allow"] == "true" else "drop")
            if "mac" in r:
                flows.append(",".join(match + [("dl_src=" if to else "dl_dst=") + r["mac"]]) + "," + action)
                continue
            for dev in vif_ports:
                flows.append(",".join(match + [f"in_port={ports[dev]}"]) + "," + action)
            for dev in uplinks:
                flows.append(",".join(match + [f"in_port={ports[dev]}", "dl_vlan=0xffff"]) + "," + action)
        return flows + [_numbered(f, ports) for f in self.flows]

    # ---- Open vSwitch ----------------------------------------------------
    def _tag_of(self, network):
        """The OVS VLAN of a network: its tag if some PIF carries it tagged."""
        for _, tag, net in self.vlans:
            if net == network:
                return tag
        return 0

    def ovs_config(self, inp, trace):
        """ovs-vsctl argument lists and ovs-appctl fdb/add lines for bridge
        br0; the port named inp replays trace."""
        vsctl = [["add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev"]]
        n = 0

        def iface(device):
            nonlocal n
            n += 1
            if device == inp:
                args = f"net_pcap{n},rx_pcap={trace},infinite_rx=1"
            else:
                args = f"net_null{n},no-rx=1"
            extra = ["--", "set", "Interface", device, "type=dpdk",
                     f"options:dpdk-devargs={args}"]
            if self.mtu:
                extra += [f"mtu_request={self.mtu}"]
            return extra

        bonded = {m for _, members, _, _ in self.bonds for m in members}
        transport = self.transport[0] if self.transport else None
        trunks = {}
        for pif, tag, _ in self.vlans:
            trunks.setdefault(pif, []).append(tag)
        for name, members, network, mode in self.bonds:
            cmd = ["add-bond", "br0", name, *members, f"bond_mode={mode}", "lacp=off"]
            for m in members:
                cmd += iface(m)
            vsctl.append(cmd)
        if transport:
            # OVS's userspace tunnels leave from the address of a bridge's
            # own (internal) port: the transport PIF goes on a bridge of
            # its own, br-phy, whose MAC is the transport PIF's
            vsctl.append(["add-br", "br-phy", "--", "set", "bridge", "br-phy",
                          "datapath_type=netdev",
                          f"other-config:hwaddr={self.transport[4]}"])
            vsctl.append(["add-port", "br-phy", transport] + iface(transport))
        for i, (_, _, protocol, key, remotes) in enumerate(self.tunnels):
            for j, remote in enumerate(remotes):
                vsctl.append(["add-port", "br0", f"tun{i}.{j}", "--", "set", "Interface",
                              f"tun{i}.{j}", f"type={protocol}",
                              f"options:remote_ip={remote}", f"options:key={key}"])
        for device, network in self.pifs:
            if device in bonded or device == transport:
                continue
            cmd = ["add-port", "br0", device]
            if device in trunks:
                cmd += ["trunks=" + ",".join(["0"] + [str(t) for t in trunks[device]]),
                        "vlan_mode=native-untagged", "tag=0"]
            vsctl.append(cmd + iface(device))
        fdb = []
        for device, mac, network in self.vifs:
            tag = self._tag_of(network)
            cmd = ["add-port", "br0", device]
            if tag:
                cmd.append(f"tag={tag}")
            vsctl.append(cmd + iface(device))
            fdb.append(["fdb/add", "br0", device, str(tag), mac])
        return vsctl, fdb

    def ovs_underlay(self):
        """What OVS's tunnels need beyond the bridges: the transport address
        on br-phy's internal port (ip commands, in OVS's network namespace),
        the route to it and the fixed neighbours (ovs-appctl)."""
        if not self.transport:
            return [], []
        _, ip, mask, neighbours, _ = self.transport
        plen = sum(bin(int(b)).count("1") for b in mask.split("."))
        ip_cmds = [["addr", "add", f"{ip}/{plen}", "dev", "br-phy"],
                   ["link", "set", "br-phy", "up"]]
        appctl = [["ovs/route/add", f"{ip}/{plen}", "br-phy"]]
        appctl += [["tnl/arp/set", "br-phy", a, m] for a, m in neighbours.items()]
        return ip_cmds, appctl


class Scenario:
    def __init__(self, name, doc, topo, inp, trace, expect=None):
        self.name, self.doc, self.topo, self.inp = name, doc, topo, inp
        self.trace = trace          # sluice-tracegen arguments but --out/--count
        # frames (scapy) -> {"out": {device: n}} or {"spread": ([devices],
        # n)} (n over those, each some), and {"drops": {reason: n}}
        self.expect = expect
        self.count = None           # frames of its trace, if not the run's

def _numbered(flow, ports):
    """A flow with its {DEVICE}s replaced by their OpenFlow port numbers."""
    return re.sub(r"\{([^}]+)\}", lambda m: str(ports[m.group(1)]), flow)


def _by_dst(frames, mac_to_dev):
    out = {}
    for f in frames:
        dev = mac_to_dev.get(f.dst)
        if dev:
            out[dev] = out.get(dev, 0) + 1
    return out


def _uplink_and_guests(t, guests=GUESTS, network="xenbr0"):
    """xenbr0 with the uplink eth0 and a VIF per guest MAC (on network);
    returns MAC -> VIF device."""
    t.network("xenbr0")
    t.pif("eth0", "xenbr0")
    devs = {}
    for i, mac in enumerate(guests):
        devs[mac] = f"vif{i + 1}.0"
        t.vif(devs[mac], mac, network)
    return devs


def l2():
    t = Topology()
    devs = _uplink_and_guests(t)
    return Scenario(
        "l2", "uplink to 8 guests by learned MAC; 64 B, 1k flows, 64 sources",
        t, "eth0",
        ["--flows", "1000", "--size", "64", "--src-macs", "64", "--dst-mac", ",".join(GUESTS)],
        lambda frames: {"out": _by_dst(frames, devs), "drops": {}})


def l2_one_flow():
    t = Topology()
    _uplink_and_guests(t)
    return Scenario(
        "l2-1flow", "as l2 with one flow from one source to one guest (every cache hits)",
        t, "eth0",
        ["--flows", "1", "--size", "64", "--src-macs", "1", "--dst-mac", GUESTS[0]],
        lambda frames: {"out": {"vif1.0": len(frames)}, "drops": {}})


def vlan_pop():
    t = Topology()
    t.network("vlan10")
    devs = _uplink_and_guests(t, network="vlan10")
    t.vlan("eth0", 10, "vlan10")
    return Scenario(
        "vlan-pop", "802.1Q trunk to 8 guests on VLAN 10 (tag popped); 64 B, 1k flows",
        t, "eth0",
        ["--flows", "1000", "--size", "64", "--src-macs", "64", "--vlan", "10",
         "--dst-mac", ",".join(GUESTS)],
        lambda frames: {"out": _by_dst(frames, devs), "drops": {}})


def vlan_push():
    t = Topology()
    t.network("xenbr0")
    t.network("vlan10")
    t.pif("eth0", "xenbr0")
    t.vlan("eth0", 10, "vlan10")
    t.vif("vif1.0", GUESTS[0], "vlan10")
    return Scenario(
        "vlan-push", "a guest on VLAN 10 to the trunk (tag pushed); 64 B, 1k flows",
        t, "vif1.0",
        ["--flows", "1000", "--size", "64", "--src-mac", GUESTS[0],
         "--dst-mac", "02:aa:00:00:00:01"],
        lambda frames: {"out": {"eth0": len(frames)}, "drops": {}})


def bond_balance():
    t = Topology()
    t.network("xenbr0")
    t.pif("eth1", "xenbr0")
    t.pif("eth2", "xenbr0")
    t.bond("bond0", ["eth1", "eth2"], "xenbr0", "balance-slb")
    t.vif("vif1.0", GUESTS[0], "xenbr0")
    return Scenario(
        "bond-balance", "a guest's 256 sources over a 2-member balance-slb bond; 64 B",
        t, "vif1.0",
        ["--flows", "1000", "--size", "64", "--src-macs", "256", "--src-mac", "02:00:00:02:00:00",
         "--dst-mac", "02:aa:00:00:00:01"],
        lambda frames: {"spread": (["eth1", "eth2"], len(frames)), "drops": {}})


def mtu_drops():
    t = Topology(mtu=1000)
    devs = _uplink_and_guests(t, GUESTS[:4])

    def expect(frames):
        ok = [f for f in frames if len(f) - 14 <= 1000]
        return {"out": _by_dst(ok, devs), "drops": {"rx_oversize": len(frames) - len(ok)}}
    return Scenario(
        "mtu-drops", "IMIX into a network of MTU 1000: the 1514-byte frames dropped, counted",
        t, "eth0",
        ["--flows", "1000", "--size", "imix", "--src-macs", "64", "--dst-mac",
         ",".join(GUESTS[:4])],
        expect)


def _rules_scenario(name, nrules, flows, count):
    """Uplink to 8 guests through nrules mixed rules: per-VIF and
    network-wide, to and from, ip/tcp/udp, prefixes /8../32 over the
    trace's addresses, with and without ports. All allow but one deny on
    top (UDP source port 1025, which 1 flow in 50,000 has), so what passes
    is known without evaluating the rules."""
    t = Topology()
    devs = _uplink_and_guests(t)
    _mixed_rules(t, nrules)
    s = Scenario(
        name, f"uplink to 8 guests through {nrules:,} mixed-mask rules; 64 B, {flows:,} flows",
        t, "eth0",
        ["--flows", str(flows), "--size", "64", "--src-macs", "64",
         "--dst-mac", ",".join(GUESTS)],
        lambda frames: _rule_verdicts(frames, devs))
    s.count = count
    return s


def _rule_verdicts(frames, devs):
    """What the mixed rules do: the deny on top drops UDP from port 1025."""
    denied = [f for f in frames if f.haslayer("UDP") and f["UDP"].sport == 1025]
    rest = [f for f in frames if not (f.haslayer("UDP") and f["UDP"].sport == 1025)]
    return {"out": _by_dst(rest, devs),
            "drops": {"rule_deny": len(denied)} if denied else {}}


def _mixed_rules(t, nrules, top=60000):
    """nrules mixed rules, priorities 1..top (the deny above them all)."""
    rng = random.Random(nrules)
    t.rule(bridge="xenbr0", direction="from", protocol="udp", port="1025",
           ipRange="10.0.0.0/8", allow="false", priority="65535")
    for i in range(nrules - 1):
        to = rng.random() < 0.5
        plen = rng.randint(8, 32)
        # the trace's sources are 10.x.y.z, its destinations 172.16.x.1
        base = (172 << 24 | 16 << 16 | rng.randrange(4) << 8 | 1) if to else \
            (10 << 24 | rng.getrandbits(24))
        addr = base & ~((1 << (32 - plen)) - 1) & 0xffffffff
        r = {"bridge": "xenbr0", "direction": "to" if to else "from",
             "ipRange": ".".join(str(addr >> s & 255) for s in (24, 16, 8, 0)) + f"/{plen}",
             "allow": "true", "priority": str(rng.randint(1, top))}
        kind = rng.random()
        if kind < 0.4:
            r["protocol"] = "ip"
        else:
            r["protocol"] = "udp" if kind < 0.8 else "tcp"
            r["port"] = str(5001 if to else 1024 + rng.randrange(50000))
        if rng.random() < 0.5:
            r["mac"] = rng.choice(GUESTS)
            r["direction"] = "from"   # a guest's MAC is the destination here
            if to:
                r["ipRange"] = f"10.{rng.randrange(256)}.0.0/16"
                if "port" in r:
                    r["port"] = str(1024 + rng.randrange(50000))
        t.rule(**r)


def rules_1k():
    return _rules_scenario("rules-1k", 1000, 100000, 100000)


def rules_10k():
    return _rules_scenario("rules-10k", 10000, 1000000, 1000000)


def rules_10k_200k():
    # the most flows an end-to-end run can take (compare-ovs's
    # PCAP_FRAMES_MAX): rules-10k against OVS-DPDK with many flows
    s = _rules_scenario("rules-10k-200k", 10000, 200000, 200000)
    s.doc = "as rules-10k with 200,000 flows: the most OVS-DPDK's net_pcap port can hold"
    return s


def rules_10k_one_flow():
    s = _rules_scenario("rules-10k-1flow", 10000, 1, 100000)
    s.doc = "as rules-10k with one flow: the classifier's best case"
    return s


def xapi_vif_locking(port, mac, ipv4s, ipv6s):
    """The flows xen-api's setup-vif-rules (create_vswitch_rules) adds for
    a locked VIF, in its order and words, each with cookie=1."""
    flows = [f"in_port={port},priority=8000,dl_type=0x0800,nw_proto=0x11,tp_dst=67,"
             f"dl_src={mac},idle_timeout=0,action=normal",
             f"in_port={port},priority=7000,dl_type=0x0806,dl_src={mac},arp_sha={mac},"
             f"nw_src=0.0.0.0,idle_timeout=0,action=normal"]
    for ip in ipv4s:
        flows += [f"in_port={port},priority=7000,dl_type=0x0806,dl_src={mac},arp_sha={mac},"
                  f"nw_src={ip},idle_timeout=0,action=normal",
                  f"in_port={port},priority=6000,dl_type=0x0800,nw_src={ip},"
                  f"dl_src={mac},idle_timeout=0,action=normal"]
    for ip in ipv6s:
        flows += [f"in_port={port},priority=8000,dl_src={mac},icmp6,ipv6_src={ip},"
                  f"icmp_type=135,nd_sll={mac},idle_timeout=0,action=normal",
                  f"in_port={port},priority=8000,dl_src={mac},icmp6,ipv6_src={ip},"
                  f"icmp_type=136,nd_target={ip},idle_timeout=0,action=normal"]
        flows += [f"in_port={port},priority=5000,dl_src={mac},ipv6_src={ip},{p},action=normal"
                  for p in ("icmp6", "tcp6", "udp6")]
    flows += [f"in_port={port},priority=7000,icmp6,icmp_type={t},action=drop" for t in (135, 136)]
    flows += [f"in_port={port},priority=6000,icmp6,icmp_type={t},action=drop"
              for t in (134, 137, 146, 147, 151, 152, 153)]
    flows.append(f"in_port={port},priority=4000,idle_timeout=0,action=drop")
    return ["cookie=1," + f for f in flows]


# 100 locked VIFs, 20 of them with ports here: Debian's DPDK has 32
# ethdev ports (RTE_MAX_ETHPORTS) for the uplink, the 8 guests and these.
# The others' flows are in the table all the same, on port numbers nothing
# has (OVS takes those too): a port's flows are on its own list, which no
# other port's packet reads.
LOCKED, LOCKED_ATTACHED = 100, 20


def _locking_scenario(name, locked):
    """rules-1k's uplink, 8 guests and 1,000 rules, plus LOCKED_ATTACHED
    more guests; the trace is the first of those guests' own traffic (its
    MAC and address) to the 8. locked: LOCKED VIFs are locked as XAPI
    locks one (19 flows each, one IPv4 and one IPv6 address). The rules
    rank below the locking flows (priorities under 4,000: a rule above
    them decides first, in OVS as in sluice, and the flows are not looked
    at), so every packet is judged by its port's flows and the rules: the
    flows' worst case."""
    t = Topology()
    devs = _uplink_and_guests(t)
    _mixed_rules(t, 1000, top=3999)
    for i in range(LOCKED):
        dev, mac = f"vif{100 + i}.0", f"02:00:00:03:00:{i + 1:02x}"
        if i < LOCKED_ATTACHED:
            t.vif(dev, mac, "xenbr0")
        if locked:
            port = "{%s}" % dev if i < LOCKED_ATTACHED else str(200 + i)
            for f in xapi_vif_locking(port, mac, [f"10.3.0.{i + 1}"],
                                      [f"fd00::3:{i + 1:x}"]):
                t.openflow(f)
    s = Scenario(
        name, ("a locked guest (one of 100 locked with XAPI's 19 flows each) to 8 guests "
               if locked else "as vif-locking with no VIF locked: ") +
        "through 1,000 rules; 64 B, 1k flows",
        t, "vif100.0",
        ["--flows", "1000", "--size", "64", "--src-mac", "02:00:00:03:00:01",
         "--src-ip", "10.3.0.1", "--dst-mac", ",".join(GUESTS)],
        lambda frames: _rule_verdicts(frames, devs))
    return s


def vif_locking():
    return _locking_scenario("vif-locking", True)


def vif_unlocked():
    return _locking_scenario("vif-unlocked", False)


LOCAL_IP, REMOTE_IP = "10.0.0.1", "10.0.0.2"
LOCAL_MAC, REMOTE_MAC = "02:0e:00:00:00:01", "02:0e:00:00:00:02"


def _private(protocol):
    """A private network over eth0 to one remote host, a guest on it."""
    t = Topology()
    t.network("xenbr0")
    t.network("priv")
    t.pif("eth0", "xenbr0")
    t.transport_ip("eth0", LOCAL_IP, "255.255.255.0", {REMOTE_IP: REMOTE_MAC}, LOCAL_MAC)
    t.tunnel("eth0", "priv", protocol, 5000, [REMOTE_IP])
    t.vif("vif1.0", GUESTS[0], "priv")
    return t


def _encap(protocol):
    return Scenario(
        f"{protocol}-encap",
        f"a guest's traffic to the remote host of its private network ({protocol.upper()}); "
        "64 B inner, 1k flows",
        _private(protocol), "vif1.0",
        ["--flows", "1000", "--size", "64", "--src-mac", GUESTS[0],
         "--dst-mac", "02:aa:00:00:00:01"],
        lambda frames: {"out": {"eth0": len(frames)}, "drops": {}})


def vxlan_encap():
    return _encap("vxlan")


def gre_encap():
    return _encap("gre")


def vxlan_decap():
    t = _private("vxlan")
    for i, mac in enumerate(GUESTS[1:4], 2):
        t.vif(f"vif{i}.0", mac, "priv")
    devs = {mac: f"vif{i}.0" for i, mac in enumerate(GUESTS[:4], 1)}
    return Scenario(
        "vxlan-decap", "VXLAN from the remote host to 4 guests of the private network; "
        "64 B inner, 1k flows",
        t, "eth0",
        ["--flows", "1000", "--size", "64", "--src-macs", "64",
         "--dst-mac", ",".join(GUESTS[:4]), "--encap", "vxlan", "--key", "5000",
         "--outer", f"{REMOTE_IP},{LOCAL_IP},{LOCAL_MAC}"],
        lambda frames: {"out": _by_dst([_inner(f) for f in frames], devs), "drops": {}})


def _inner(frame):
    from scapy.all import VXLAN
    return frame[VXLAN].payload


ALL = [l2, l2_one_flow, vlan_pop, vlan_push, bond_balance, mtu_drops,
       rules_1k, rules_10k, rules_10k_200k, rules_10k_one_flow, vif_unlocked, vif_locking,
       vxlan_encap, vxlan_decap, gre_encap]


def scenarios(names=None):
    found = [make() for make in ALL]
    if names:
        unknown = set(names) - {s.name for s in found}
        if unknown:
            raise SystemExit(f"unknown scenario(s): {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(s.name for s in found)}")
        found = [s for s in found if s.name in names]
    return found
