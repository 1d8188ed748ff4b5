"""The bench's scenarios: each a topology and a trace.

A topology is written once here and translated two ways: into a sluiced
state file (what sluice-bench loads) and into the equivalent Open vSwitch
configuration (one netdev bridge, NORMAL switching as XCP-ng's OVS does,
VLANs as access tags and trunks, bonds as OVS bonds, guests' MACs put in
the FDB as sluice holds VIF MACs). The trace enters by the `inp` port;
every other port is a sink.
"""
import uuid

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
            st["pifs"].append(obj)
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
            st["vifs"].append({"uuid": _uuid(), "device": device, "devargs": "net_null",
                               "MAC": mac, "network-uuid": self.networks[network]["uuid"]})
        return st

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
        trunks = {}
        for pif, tag, _ in self.vlans:
            trunks.setdefault(pif, []).append(tag)
        for name, members, network, mode in self.bonds:
            cmd = ["add-bond", "br0", name, *members, f"bond_mode={mode}", "lacp=off"]
            for m in members:
                cmd += iface(m)
            vsctl.append(cmd)
        for device, network in self.pifs:
            if device in bonded:
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


class Scenario:
    def __init__(self, name, doc, topo, inp, trace, expect=None):
        self.name, self.doc, self.topo, self.inp = name, doc, topo, inp
        self.trace = trace          # sluice-tracegen arguments but --out/--count
        # frames (scapy) -> {"out": {device: n}} or {"spread": ([devices],
        # n)} (n over those, each some), and {"drops": {reason: n}}
        self.expect = expect


def _by_dst(frames, mac_to_dev):
    out = {}
    for f in frames:
        dev = mac_to_dev.get(f.dst)
        if dev:
            out[dev] = out.get(dev, 0) + 1
    return out


def l2():
    t = Topology()
    t.network("xenbr0")
    t.pif("eth0", "xenbr0")
    for i, mac in enumerate(GUESTS):
        t.vif(f"vif{i + 1}.0", mac, "xenbr0")
    devs = {mac: f"vif{i + 1}.0" for i, mac in enumerate(GUESTS)}
    return Scenario(
        "l2", "uplink to 8 guests by learned MAC; 64 B, 1k flows, 64 sources",
        t, "eth0",
        ["--flows", "1000", "--size", "64", "--src-macs", "64", "--dst-mac", ",".join(GUESTS)],
        lambda frames: {"out": _by_dst(frames, devs), "drops": {}})


def l2_one_flow():
    t = Topology()
    t.network("xenbr0")
    t.pif("eth0", "xenbr0")
    for i, mac in enumerate(GUESTS):
        t.vif(f"vif{i + 1}.0", mac, "xenbr0")
    return Scenario(
        "l2-1flow", "as l2 with one flow from one source to one guest (every cache hits)",
        t, "eth0",
        ["--flows", "1", "--size", "64", "--src-macs", "1", "--dst-mac", GUESTS[0]],
        lambda frames: {"out": {"vif1.0": len(frames)}, "drops": {}})


def vlan_pop():
    t = Topology()
    t.network("xenbr0")
    t.network("vlan10")
    t.pif("eth0", "xenbr0")
    t.vlan("eth0", 10, "vlan10")
    for i, mac in enumerate(GUESTS):
        t.vif(f"vif{i + 1}.0", mac, "vlan10")
    devs = {mac: f"vif{i + 1}.0" for i, mac in enumerate(GUESTS)}
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
    t.network("xenbr0")
    t.pif("eth0", "xenbr0")
    for i, mac in enumerate(GUESTS[:4]):
        t.vif(f"vif{i + 1}.0", mac, "xenbr0")
    devs = {mac: f"vif{i + 1}.0" for i, mac in enumerate(GUESTS[:4])}

    def expect(frames):
        ok = [f for f in frames if len(f) - 14 <= 1000]
        return {"out": _by_dst(ok, devs), "drops": {"rx_oversize": len(frames) - len(ok)}}
    return Scenario(
        "mtu-drops", "IMIX into a network of MTU 1000: the 1514-byte frames dropped, counted",
        t, "eth0",
        ["--flows", "1000", "--size", "imix", "--src-macs", "64", "--dst-mac",
         ",".join(GUESTS[:4])],
        expect)


ALL = [l2, l2_one_flow, vlan_pop, vlan_push, bond_balance, mtu_drops]


def scenarios(names=None):
    found = [make() for make in ALL]
    if names:
        unknown = set(names) - {s.name for s in found}
        if unknown:
            raise SystemExit(f"unknown scenario(s): {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(s.name for s in found)}")
        found = [s for s in found if s.name in names]
    return found
