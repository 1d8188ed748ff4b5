"""OpenFlow flows as ovs-ofctl writes them, turned into the records of
sluice's state file (modules/rules: a rule with a "flow": key and mask in
the layout of modules/rules/datapath/include/sl_flow_key.h, as hex), so
that the bench loads the same flows into sluice that compare-ovs gives
Open vSwitch with ovs-ofctl. Only the fields XCP-ng's flows use."""
import ipaddress
import struct

# sl_flow_key: in_port, vlan_tci, dl_type, nw_proto, pad; dl_src, dl_dst,
# tp_src, tp_dst; nw_src, nw_dst; arp_sha, arp_tha, pad; ipv6_src,
# ipv6_dst, nd_target. Integers in host order (x86: little-endian).
LAYOUT = "<HHHBx6s6sHHII6s6s4x16s16s16s"
FIELDS = ["in_port", "vlan_tci", "dl_type", "nw_proto", "dl_src", "dl_dst",
          "tp_src", "tp_dst", "nw_src", "nw_dst", "arp_sha", "arp_tha",
          "ipv6_src", "ipv6_dst", "nd_target"]
assert struct.calcsize(LAYOUT) == 96

SHORTHANDS = {"ip": (0x0800, None), "arp": (0x0806, None), "icmp": (0x0800, 1),
              "tcp": (0x0800, 6), "udp": (0x0800, 17), "ipv6": (0x86dd, None),
              "icmp6": (0x86dd, 58), "tcp6": (0x86dd, 6), "udp6": (0x86dd, 17)}
PORTS = {"normal": 0xfffa, "local": 0xfffe}


def _mac(text):
    return bytes(int(b, 16) for b in text.split(":"))


def _int(text):
    return int(text, 0)


def parse(text):
    """"priority=..,cookie=..,<match>,actions=.." → (priority, cookie,
    key dict, mask dict, outputs)."""
    head, actions = text.replace("action=", "actions=").split("actions=")
    key = {f: 0 for f in FIELDS}
    mask = {f: 0 for f in FIELDS}
    for f in ("dl_src", "dl_dst", "arp_sha", "arp_tha"):
        key[f] = mask[f] = bytes(6)
    for f in ("ipv6_src", "ipv6_dst", "nd_target"):
        key[f] = mask[f] = bytes(16)
    priority, cookie = 32768, 0

    def exact(field, value):
        key[field] = value
        mask[field] = b"\xff" * len(value) if isinstance(value, bytes) else \
            {"in_port": 0xffff, "vlan_tci": 0x1fff, "dl_type": 0xffff, "nw_proto": 0xff,
             "tp_src": 0xffff, "tp_dst": 0xffff}[field]

    def v4(field, value):
        net = ipaddress.IPv4Network(value, strict=False)
        key[field], mask[field] = int(net.network_address), int(net.netmask)

    def v6(field, value):
        net = ipaddress.IPv6Network(value, strict=False)
        key[field], mask[field] = net.network_address.packed, net.netmask.packed

    for part in filter(None, head.strip(",").split(",")):
        name, _, value = part.partition("=")
        if name in SHORTHANDS:
            dl_type, proto = SHORTHANDS[name]
            exact("dl_type", dl_type)
            if proto is not None:
                exact("nw_proto", proto)
        elif name == "priority":
            priority = int(value)
        elif name == "cookie":
            cookie = _int(value)
        elif name in ("idle_timeout", "hard_timeout"):
            assert int(value) == 0, "sluice's flows have no timeouts"
        elif name == "in_port":
            exact("in_port", PORTS.get(value.lower(), None) or int(value))
        elif name == "dl_vlan":
            exact("vlan_tci", 0x1000 | int(value))
        elif name in ("dl_type", "nw_proto", "tp_src", "tp_dst"):
            exact(name, _int(value))
        elif name in ("icmp_type", "icmp_code"):
            exact("tp_src" if name == "icmp_type" else "tp_dst", int(value))
        elif name in ("dl_src", "dl_dst", "arp_sha", "arp_tha"):
            exact(name, _mac(value))
        elif name in ("nd_sll", "nd_tll"):
            exact("arp_sha" if name == "nd_sll" else "arp_tha", _mac(value))
        elif name in ("nw_src", "nw_dst", "arp_spa", "arp_tpa"):
            v4({"arp_spa": "nw_src", "arp_tpa": "nw_dst"}.get(name, name), value)
        elif name in ("ipv6_src", "ipv6_dst", "nd_target"):
            v6(name, value)
        else:
            raise ValueError(f"ofkey: {name} is not a field the bench's flows use")
    outputs = []
    for a in actions.split(","):
        a = a.strip().lower()
        if a == "drop":
            continue
        outputs.append(PORTS[a] if a in PORTS else int(a.split(":")[-1]))
    return priority, cookie, key, mask, outputs


def record(text, rule_id, network_uuid):
    """The state file's record of one flow (rules[] of sluice's state)."""
    priority, cookie, key, mask, outputs = parse(text)
    pack = lambda d: struct.pack(LAYOUT, *[d[f] for f in FIELDS]).hex()  # noqa: E731
    return {"id": rule_id, "network-uuid": network_uuid, "priority": priority,
            "cookie": hex(cookie),
            "flow": {"key": pack(key), "mask": pack(mask), "outputs": outputs,
                     "idle-timeout": 0, "hard-timeout": 0, "flags": 0,
                     "match": text, "actions": ""}}
