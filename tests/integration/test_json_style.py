"""Every key of every command's JSON answer in one style (docs/json.md).

The real daemon is given one of each object the core makes here: networks,
PIFs on net_null (plugged and not), a VIF, a VLAN, a bond of two PIFs (then
in LACP mode), a flow rule, a tunnel with a remote over a transport PIF with
an IP address, and SR-IOV (a network-sriov over a PF of a made-up sysfs, as
test_sriov.py builds it, and a VIF that is a VF). Then every command of
`list-commands` is run with --json: every reader (lists, param-lists, a
param-get of every field, status, stats with profiling on, fdb-show,
bond-show, pif-scan, help, ...) and every command that changes something,
and each answer is walked: every key must be lowercase words joined by '-',
or one of the acronyms xe writes in capitals.

Exempt, as docs/json.md says: the keys of `drops` and `stages` (identifiers
of the code's X-macro lists; their values are walked), of a trace's
`fields` (OpenFlow's field names), the keys inside the
user maps other-config and properties, and the answers of add-rule,
del-rule and dump-flows (the sdncontroller plugin's contract). The test
fails if list-commands has a command it did not run."""
import json
import os
import re
import shutil
import socket

import sltest
from sltest import Daemon, veth
from test_sriov import fake_pf

ACRONYMS = "MTU|MAC|VLAN|PIF|VIF|IP|DNS|PF|VF|PCI|ARP"
WORD = rf"(?:[a-z][a-z0-9]*|(?:{ACRONYMS})s?)"
STYLE = re.compile(rf"{WORD}(?:-{WORD})*")
# objects whose keys are identifiers or user data, not field names
# (fields, inner-fields: a trace's OpenFlow field names)
IDENTIFIER_KEYS = {"drops", "stages", "fields", "inner-fields"}	# walked into, keys not checked
USER_MAPS = {"other-config", "properties"}	# not walked
# the sdncontroller plugin's answers: an external contract, as they are
PLUGIN = {"add-rule", "del-rule", "dump-flows"}
# the state file's own format (a rule keeps the plugin's ipRange): a file
# format with its version, not an answer's style
STATE_FILE = {"state-export"}


def bad_keys(value, path="$"):
    """The keys out of style in a JSON value, with where they are."""
    bad = []
    if isinstance(value, dict):
        for k, v in value.items():
            where = f"{path}.{k}"
            if not STYLE.fullmatch(k):
                bad.append(where)
            if k in USER_MAPS:
                continue
            if k in IDENTIFIER_KEYS and isinstance(v, dict):
                for name, sub in v.items():
                    bad += bad_keys(sub, f"{where}.{name}")
                continue
            bad += bad_keys(v, where)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            bad += bad_keys(v, f"{path}[{i}]")
    return bad


def test_checker():
    """The walk itself: it finds what it must and spares the exemptions."""
    assert bad_keys({"uptime-s": 1, "PIF-uuids": [], "total-VFs": 2, "PIFs": 1,
                     "sriov-physical-PIF-of": "", "IP-configuration-mode": "",
                     "other-config": {"any_Key": "x"}, "properties": {"hashing_algorithm": 1},
                     "drops": {"eth_truncated": 0}, "stages": {"l2": {"cycles-per-packet": 1.0}}}) == []
    for key in ("rx_packets", "ipRange", "n_packets", "Uptime", "mtu_", "-a", "a--b",
                "a-", "Mtu", "PIFS", "rx packets", ""):
        assert bad_keys({key: 1}) == [f"$.{key}"], key
    assert bad_keys([{"ports": [{"rx_dropped": 0}]}]) == ["$[0].ports[0].rx_dropped"]
    assert bad_keys({"drops": {"x": {"busy_pct": 1}}}) == ["$.drops.x.busy_pct"]
    assert bad_keys({"stages": {"l2": {"cycles_per_packet": 1}}}) == ["$.stages.l2.cycles_per_packet"]


class Walker:
    """Runs commands with --json and checks their answers."""

    def __init__(self, d):
        self.d = d
        self.ran = set()
        self.bad = []
        self.answers = 0

    def __call__(self, command, *args):
        _, out, _ = self.d.ctl("--json", command, *args)
        result = json.loads(out)
        self.ran.add(command)
        self.answers += 1
        # a param-get of a user map answers the map: its keys are data
        user_map = any(a == f"param-name={m}" for a in args for m in USER_MAPS)
        if command not in PLUGIN | STATE_FILE and not user_map:
            self.bad += [f"{command} {' '.join(args)}: {k}" for k in bad_keys(result)]
        return result

    def uuid(self, command, *args):
        u = self(command, *args)
        assert isinstance(u, str) and len(u) == 36, (command, u)
        return u


def build(j, wd):
    """One of each object; returns them by name."""
    o = {"wd": wd}
    o["net"] = j.uuid("network-create", "name-label=json", "MTU=1500",
                      "other-config:owner_team=ops")
    # PIFs on net_null: a plugged one with a VIF behind it (fdb-show has
    # its MAC), one left unplugged (stats' unattached)
    o["eth0"] = j.uuid("pif-introduce", "device=eth0", "devargs=net_null0",
                       "other-config:site_name=lab")
    j("pif-plug", f"uuid={o['eth0']}")
    o["net0"] = j("pif-param-get", f"uuid={o['eth0']}", "param-name=network-uuid")
    o["bridge0"] = j("network-param-get", f"uuid={o['net0']}", "param-name=bridge")
    o["vif"] = j.uuid("vif-create", f"network-uuid={o['net0']}", "mac=02:00:00:00:1a:01",
                      "device=vif1.0", "devargs=net_null1", "other-config:vm_name=guest")
    j("vif-plug", f"uuid={o['vif']}")
    o["eth5"] = j.uuid("pif-introduce", "device=eth5", "devargs=net_null9")
    # a VLAN on eth0
    o["net42"] = j.uuid("network-create", "name-label=VLAN 42")
    o["vlan"] = j.uuid("vlan-create", f"pif-uuid={o['eth0']}", "vlan=42",
                       f"network-uuid={o['net42']}")
    # a bond of two PIFs
    members = [j.uuid("pif-introduce", f"device=eth{i}", f"devargs=net_null{i}")
               for i in (2, 3)]
    o["netb"] = j.uuid("network-create", "name-label=bonded")
    o["bond"] = j.uuid("bond-create", f"network-uuid={o['netb']}",
                       f"pif-uuids={','.join(members)}", "properties:hashing_algorithm=src_mac")
    # a flow rule, one by the plugin's command and a batch
    j("add-rule", f"bridge={o['bridge0']}", "direction=to", "protocol=tcp",
      "ipRange=10.0.0.0/8", "port=22", "allow=false", "cookie=0x1f")
    assert j("add-rules", "rules=" + json.dumps([
        {"bridge": o["bridge0"], "direction": "from", "protocol": "udp",
         "ipRange": "10.1.0.0/16", "port": "53", "allow": "true", "priority": "10"}])) == 1
    # a tunnel with a remote over a transport PIF with an address
    o["eth4"] = j.uuid("pif-introduce", "device=eth4", "devargs=net_null4")
    j("pif-plug", f"uuid={o['eth4']}")
    j("pif-reconfigure-ip", f"uuid={o['eth4']}", "mode=static", "IP=192.0.2.1",
      "netmask=255.255.255.0", "gateway=192.0.2.254")
    o["private"] = j.uuid("network-create", "name-label=private")
    o["tunnel"] = j.uuid("tunnel-create", f"pif-uuid={o['eth4']}",
                         f"network-uuid={o['private']}", "protocol=vxlan")
    j("tunnel-remote-add", f"uuid={o['tunnel']}", "remote=192.0.2.2")
    j("tunnel-remote-add", f"uuid={o['tunnel']}", "remote=198.51.100.7")
    # SR-IOV: a PF of a made-up sysfs, a VIF that is one of its VFs
    o["pf"] = j.uuid("pif-introduce", "device=eth6", "devargs=net_af_packet,iface=pfv0")
    j("pif-plug", f"uuid={o['pf']}")
    o["netv"] = j.uuid("network-create", "name-label=SRIOV")
    o["sriov"] = j.uuid("network-sriov-create", f"network-uuid={o['netv']}",
                        f"pif-uuid={o['pf']}")
    o["vf"] = j.uuid("vif-create", f"network-uuid={o['netv']}", "mac=02:00:00:00:1a:02")
    return o


def read_everything(j, o):
    """Every command that only reads, on every object."""
    kinds = {"network": "network", "pif": "PIF", "vif": "VIF", "vlan": "VLAN",
             "bond": "bond", "network-sriov": "network-sriov", "tunnel": "tunnel"}
    for kind in kinds:
        records = j(f"{kind}-list")
        assert records, f"{kind}-list is empty: the test made none"
        j(f"{kind}-list", "params=all")
        j(f"{kind}-list", "params=uuid")
        for rec in records:
            full = j(f"{kind}-param-list", f"uuid={rec['uuid']}")
            for field, value in full.items():
                j(f"{kind}-param-get", f"uuid={rec['uuid']}", f"param-name={field}")
                if field == "other-config" and value:
                    j(f"{kind}-param-get", f"uuid={rec['uuid']}", f"param-name={field}",
                      f"param-key={next(iter(value))}")
        if kind == "bond":
            for rec in records:
                j("bond-show", f"uuid={rec['uuid']}")
    # a capture of three of the null port's frames, to a file sluicectl opens
    done = j("capture", "port=eth0", "direction=in", "count=3",
             f"file={o['wd']}/json.pcapng")
    assert done["state"] == "done" and done["packets"] == 3, done
    j("capture-list")
    j("capture-list", "params=all")
    j("capture-show", f"id={done['id']}")
    j("capture-stop", f"id={done['id']}")
    # a frame through the stages: the parse, the rule it meets, the output
    t = j("trace", "in_port=eth0", "packet=tcp,tp_dst=22,nw_dst=10.0.0.1")
    assert t["stages"] and "fields" in t["stages"][0], t
    # the null port's next frame, traced as the worker switches it
    live = j("trace-live", "port=eth0", "count=1")
    assert live["state"] == "done" and len(live["packets"]) == 1, live
    j("trace-live-show")
    j("trace-live-stop", f"id={live['id']}")
    rules = j("rule-list")
    assert len(rules) == 2, rules
    j("rule-list", "params=all")
    j("rule-list", "cookie=0x1f")
    tunnel = j("tunnel-param-get", f"uuid={o['tunnel']}", "param-name=status")
    assert len(tunnel) == 2, tunnel	# a status row per remote
    status = j("status")
    assert status["PIFs"] >= 5 and status["VIFs"] == 2, status
    stats = j("stats")
    assert stats["ports"] and stats["unattached"] and stats["drops"], stats
    assert "stages" in stats and stats["workers"], stats	# --profile
    fdb = j("fdb-show")
    assert fdb, "the FDB is empty: the VIF's MAC should be in it"
    j("fdb-show", f"bridge={o['bridge0']}")
    scan = j("pif-scan")
    assert any(p["kind"] == "kernel-netdev" for p in scan), scan
    j("list-commands")
    j("help")
    j("help", "command=status")
    flows = j("dump-flows", f"bridge={o['bridge0']}")
    assert "cookie=0x1f" in flows["stdout"], flows
    state = j("state-export")
    assert state["sluice-state"] == 1 and state["rules"], state


def change_everything(j, o):
    """Every command that changes something; their answers too."""
    j("network-param-set", f"uuid={o['net']}", "name-description=walked",
      "other-config:tier=gold")
    j("network-param-remove", f"uuid={o['net']}", "param-name=other-config",
      "param-key=tier")
    j("pif-param-set", f"uuid={o['eth5']}", "other-config:note=spare")
    j("pif-param-remove", f"uuid={o['eth5']}", "param-name=other-config", "param-key=note")
    j("vif-param-set", f"uuid={o['vif']}", "other-config:k=v")
    j("vif-param-remove", f"uuid={o['vif']}", "param-name=other-config", "param-key=k")
    j("tunnel-param-set", f"uuid={o['tunnel']}", "other-config:static-routes=")
    # LACP members' state in bond-show
    j("bond-param-set", f"uuid={o['bond']}", "mode=lacp", "properties:lacp-time=fast")
    show = j("bond-show", f"uuid={o['bond']}")
    assert all("lacp" in m for m in show["members"]), show
    j("vif-unplug", f"uuid={o['vif']}")
    j("vif-move", f"uuid={o['vif']}", f"network-uuid={o['net42']}")
    j("vif-plug", f"uuid={o['vif']}")
    j("pif-unplug", f"uuid={o['eth0']}")
    j("pif-plug", f"uuid={o['eth0']}")
    j("fdb-flush")
    j("fdb-flush", f"bridge={o['bridge0']}")
    j("tunnel-remote-remove", f"uuid={o['tunnel']}", "remote=198.51.100.7")
    j("del-rule", f"bridge={o['bridge0']}", "direction=to", "protocol=tcp",
      "ipRange=10.0.0.0/8", "port=22", "cookie=0x1f")
    j("stats-clear")
    j("log-level")
    j("log-level", "set=info", "module=sluice")
    j("stats")	# after the changes: moved VIF, LACP bond; since the clear
    j("vif-destroy", f"uuid={o['vf']}")
    j("network-sriov-destroy", f"uuid={o['sriov']}")
    j("tunnel-destroy", f"uuid={o['tunnel']}")
    j("vlan-destroy", f"uuid={o['vlan']}")
    j("bond-destroy", f"uuid={o['bond']}")
    j("pif-forget", f"uuid={o['eth5']}")
    j("network-destroy", f"uuid={o['netv']}")
    removed = j("reset-networking")
    assert removed["PIFs-removed"] >= 3, removed


def take_a_port_over(d, j, o):
    """takeover-release (sluiced --takeover's) as a takeover's first step:
    the sluicectl that asked goes away, the daemon takes its port back."""
    _, _, err = d.ctl("takeover-release", "generation=999999", "change=0", check=False)
    gen, change = re.search(r"at generation (\d+) change (\d+)", err).groups()
    d.allow(r"takeover: sluiced pid \d+ went away before it was done")
    j("takeover-release", f"generation={gen}", f"change={change}", f"port={o['vif']}")
    assert d.wait_log("went away before it was done; 1 port(s) taken back"), d.log


def error_answer(path):
    """An error as the socket sends it, whole."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    s.sendall(json.dumps({"jsonrpc": "2.0", "id": 7, "method": "network-destroy",
                          "params": {"uuid": "12345678-1234-4234-8234-123456789abc"}})
              .encode() + b"\n")
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(65536)
        assert chunk, data
        data += chunk
    s.close()
    return json.loads(data)


def test_every_answer_in_style():
    wd = sltest.workdir("json-style")
    root = os.path.join(wd, "sys")
    shutil.rmtree(root, ignore_errors=True)
    fake_pf(root, "pfv0", "0000:03:00.0", ["0000:03:10.0", "0000:03:10.2"])
    veth("pfv0", "pfv1")	# pfv1: a kernel netdev for pif-scan
    args = ["--sysfs-root", root, "--sriov-dry-run", os.path.join(wd, "vf.jsonl"),
            "--profile"]
    d = Daemon(None, wd, args=args)
    try:
        j = Walker(d)
        o = build(j, wd)
        read_everything(j, o)
        change_everything(j, o)
        take_a_port_over(d, j, o)
        commands = set(j("list-commands"))
        assert not commands - j.ran, f"not walked: {sorted(commands - j.ran)}"
        err = error_answer(d.socket)
        assert set(err["error"]) == {"code", "message", "data"}, err
        assert err["error"]["code"] == 1003 and err["error"]["data"] == {"name": "HANDLE_INVALID"}, err
        j.bad += [f"error answer: {k}" for k in bad_keys(err)]
        assert not j.bad, "keys out of style:\n  " + "\n  ".join(j.bad)
        print(f"     {len(j.ran)} commands, {j.answers} answers walked", flush=True)
    finally:
        code, final = d.stop()
    assert code == 0, d.log
    # the stats file is the stats command's object
    assert not bad_keys(final), bad_keys(final)
    assert final["mbufs"]["all-returned"], final["mbufs"]


if __name__ == "__main__":
    sltest.quiet_netns()
    sltest.run([test_checker, test_every_answer_in_style])
