# SPDX-License-Identifier: BSD-3-Clause
"""Debian's real Open vSwitch as the oracle of what ovs-ofctl says: a
private ovsdb-server and ovs-vswitchd (userspace datapath) in a temporary
directory, bridge br0 with internal ports p1..p3 as OpenFlow ports 1..3;
the flows XCP-ng sends; and ovs-ofctl's output made comparable between
two switches (counters and ages taken out)."""
import os
import re
import signal
import subprocess
import time

P, MAC, IPV4, IPV6 = 1, "02:00:00:00:00:01", "10.0.0.5", "fd00::5"

# XCP-ng's VIF locking script (interface-reconfigure's vif locking), P = the
# VIF's ofport
LOCKING = [
    f"in_port={P},priority=8000,dl_type=0x0800,nw_proto=0x11,tp_dst=67,dl_src={MAC},idle_timeout=0,action=normal",
    f"in_port={P},priority=7000,dl_type=0x0806,dl_src={MAC},arp_sha={MAC},nw_src=0.0.0.0,idle_timeout=0,action=normal",
    f"in_port={P},priority=7000,dl_type=0x0806,dl_src={MAC},arp_sha={MAC},nw_src={IPV4},idle_timeout=0,action=normal",
    f"in_port={P},priority=6000,dl_type=0x0800,nw_src={IPV4},dl_src={MAC},idle_timeout=0,action=normal",
    f"in_port={P},priority=8000,dl_src={MAC},icmp6,ipv6_src={IPV6},icmp_type=135,nd_sll={MAC},idle_timeout=0,action=normal",
    f"in_port={P},priority=8000,dl_src={MAC},icmp6,ipv6_src={IPV6},icmp_type=136,nd_target={IPV6},idle_timeout=0,action=normal",
    f"in_port={P},priority=5000,dl_src={MAC},ipv6_src={IPV6},icmp6,action=normal",
    f"in_port={P},priority=5000,dl_src={MAC},ipv6_src={IPV6},tcp6,action=normal",
    f"in_port={P},priority=5000,dl_src={MAC},ipv6_src={IPV6},udp6,action=normal",
    f"in_port={P},priority=7000,icmp6,icmp_type=135,action=drop",
    f"in_port={P},priority=7000,icmp6,icmp_type=136,action=drop",
] + [f"in_port={P},priority=6000,icmp6,icmp_type={t},action=drop"
     for t in (134, 137, 146, 147, 151, 152, 153)] + [
    f"in_port={P},priority=4000,idle_timeout=0,action=drop",
]

# The sdncontroller plugin's kind of flows, and a few more forms
SDN = [
    f"priority=100,tcp,cookie=0x2a,dl_src={MAC},nw_dst=10.1.0.0/16,tp_dst=22,actions=drop",
    "priority=100,udp,cookie=0x2a,dl_vlan=10,in_port=2,nw_src=10.2.0.0/24,tp_src=53,actions=normal",
    "priority=90,cookie=0x2a,nw_src=10.2.0.0/24,ip,actions=normal",
    f"priority=80,arp,cookie=0x2a,dl_src={MAC},actions=normal",
    "priority=81,arp,cookie=0x2a,arp_op=1,arp_tpa=10.0.0.0/8,actions=normal",
    "priority=70,cookie=0x2b,in_port=3,actions=local",
    "priority=60,cookie=0x2b,dl_dst=02:00:00:00:00:09,actions=output:2",
    "priority=61,cookie=0x2b,dl_dst=02:00:00:00:00:0a/ff:ff:ff:00:00:00,actions=output:2,output:3",
    "priority=62,cookie=0x2b,icmp,icmp_type=8,icmp_code=0,actions=flood",
    "priority=63,cookie=0x2b,vlan_tci=0x0000,actions=all",
    "priority=64,cookie=0x2b,dl_vlan=0xffff,dl_type=0x0800,actions=in_port",
    "priority=65,cookie=0x2b,ipv6,ipv6_dst=fd00::/64,actions=controller",
    "priority=66,cookie=0x2b,tcp6,tp_dst=80,in_port=LOCAL,actions=normal",
    "priority=67,cookie=0x2c,dl_vlan=5,dl_vlan_pcp=3,actions=normal",
    "cookie=0x2c,tcp,tp_src=0x1000/0xf000,actions=normal",
]


def sh(cmd, env=None, check=True):
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if check and r.returncode:
        raise RuntimeError(f"{' '.join(cmd)}: {r.stderr.strip()}")
    return r


class Ovs:
    """A private Open vSwitch in dir, bridge br0, ports p1..p3 = 1..3."""

    def __init__(self, d):
        self.d = d
        self.env = dict(os.environ, OVS_RUNDIR=d, OVS_DBDIR=d, OVS_LOGDIR=d)
        db = f"unix:{d}/db.sock"
        sh(["ovsdb-tool", "create", f"{d}/conf.db",
            "/usr/share/openvswitch/vswitch.ovsschema"], self.env)
        sh(["ovsdb-server", f"{d}/conf.db", f"--remote=punix:{d}/db.sock",
            f"--pidfile={d}/ovsdb-server.pid", f"--unixctl={d}/ovsdb-server.ctl",
            "--detach", f"--log-file={d}/ovsdb.log"], self.env)
        # its own network namespace when root: the userspace datapath's
        # tap devices (br0, p1..) then neither clash with another
        # ovs-vswitchd's nor outlive it
        netns = ["unshare", "--net"] if os.geteuid() == 0 else []
        sh(netns + ["ovs-vswitchd", db, f"--pidfile={d}/ovs-vswitchd.pid", "--detach",
            f"--log-file={d}/vswitchd.log"], self.env)
        cmd = ["ovs-vsctl", f"--db={db}", "add-br", "br0", "--", "set",
               "bridge", "br0", "datapath_type=netdev"]
        for i in (1, 2, 3):
            cmd += ["--", "add-port", "br0", f"p{i}", "--", "set", "interface",
                    f"p{i}", "type=internal", f"ofport_request={i}"]
        sh(cmd, self.env)
        for _ in range(100):
            if os.path.exists(f"{d}/br0.mgmt"):
                break
            time.sleep(0.05)
        self.target = "br0"

    def stop(self):
        for name in ("ovs-vswitchd", "ovsdb-server"):
            try:
                with open(f"{self.d}/{name}.pid") as f:
                    os.kill(int(f.read().strip()), signal.SIGTERM)
            except (OSError, ValueError):
                pass


def normalize(text, target):
    """ovs-ofctl's output, comparable across the two switches."""
    text = text.replace(target, "BRIDGE")
    text = re.sub(r"\(xid=0x[0-9a-f]+\)", "", text)
    text = re.sub(r"^ovs-ofctl: ", "", text, flags=re.M)
    out = []
    for line in text.splitlines():
        line = re.sub(r"duration=[0-9.]+s, ", "", line)
        line = re.sub(r"(n_packets|n_bytes|idle_age|hard_age)=\d+, ", "", line)
        out.append(line.rstrip())
    head = [l for l in out if not l.startswith(" cookie=")]
    flows = sorted(l for l in out if l.startswith(" cookie="))
    return "\n".join(head + flows)


def sluice_br0(db):
    """The oracle's br0 (ports p1..p3 = 1..3) in sluiced's database db."""
    cmd = ["add-br", "br0"]
    for i in (1, 2, 3):
        cmd += ["--", "add-port", "br0", f"p{i}", "--", "set", "interface",
                f"p{i}", "type=internal", f"ofport_request={i}"]
    db.vsctl(*cmd)


def run_ofctl(target, env, mode, args):
    """ovs-ofctl [mode] args, "BR" standing for target: its return code
    and its output made comparable (normalize)."""
    r = sh(["ovs-ofctl", *mode, *[target if a == "BR" else a for a in args]],
           env, check=False)
    return (r.returncode, normalize(r.stdout, target), normalize(r.stderr, target))


def port1_config(text):
    """The config and state lines of port 1 in show / dump-ports-desc."""
    m = re.search(r"^ 1\(p1\):.*\n\s+config:\s+(.*)\n\s+state:\s+(.*)$",
                  text, re.M)
    return m.groups() if m else None


