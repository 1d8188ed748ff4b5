"""What bench/compare-ovs and the bench smoke test share: making a
scenario's trace and state file, and measuring one scenario with
dpdk-testpmd (io forwarding, the I/O ceiling), Open vSwitch's DPDK
datapath and sluice, each on the same vdevs (the trace replayed without
end by net_pcap, null ports as sinks) and one forwarding core."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OVS_VSWITCHD = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"
OVS_SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"
HUGEPAGE_KB = 2048


def sh(cmd, check=True, **kw):
    r = subprocess.run(cmd, text=True, capture_output=True, **kw)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()}")
    return r.stdout


def build_dir():
    """Where sluice-bench and sluice-tracegen were built."""
    return os.environ.get("SLUICE_BUILD", os.path.join(HERE, "..", "build"))


def tool(name):
    path = os.path.join(build_dir(), "bench", name)
    if not os.access(path, os.X_OK):
        raise SystemExit(f"{path} is missing: run make build first")
    return path


def prepare(scenario, workdir, count):
    """The scenario's trace and state file in workdir."""
    trace = os.path.join(workdir, f"{scenario.name}.pcap")
    state = os.path.join(workdir, f"{scenario.name}.json")
    count = scenario.count or count
    sh([tool("sluice-tracegen"), "--out", trace, "--count", str(count), *scenario.trace])
    with open(state, "w") as f:
        json.dump(scenario.topo.sluice_state(), f, indent=1)
    return trace, state


def sluice_in_process(scenario, trace, state, min_time, extra=()):
    out = sh([tool("sluice-bench"), "--state", state, "--trace", trace, "--in", scenario.inp,
              "--name", scenario.name, "--min-time", str(min_time), "--json", *extra])
    return json.loads(out)


# What an observability feature costs the packets it does not watch: a
# capture or a live trace running on another port (when none runs, the
# datapath pays one load and branch a burst, in every plain figure).
IDLE_HOOKS = {"plain": [], "capture elsewhere": ["--capture-idle"],
              "trace-live elsewhere": ["--trace-idle"]}


def idle_hooks(scenario, trace, state, min_time, rounds=3):
    """In-process cycles per packet of each IDLE_HOOKS variant, run in
    turns (rounds of each, the median kept) so that drift on a shared
    machine falls on all alike."""
    got = {k: [] for k in IDLE_HOOKS}
    for _ in range(rounds):
        for k, extra in IDLE_HOOKS.items():
            got[k].append(sluice_in_process(scenario, trace, state, min_time,
                                            extra)["cycles_per_packet"])
    return {k: sorted(v)[len(v) // 2] for k, v in got.items()}


def sluice_e2e(scenario, trace, state, warmup, window):
    out = sh([tool("sluice-bench"), "--state", state, "--trace", trace, "--in", scenario.inp,
              "--name", scenario.name, "--e2e", "--warmup", str(warmup),
              "--window", str(window), "--json"])
    r = json.loads(out)
    return {"mpps": r["rx_mpps"], "cycles_per_packet": r["cycles_per_packet"],
            "packets": r["rx_packets"], "sent": r["tx_packets"]}


def sluice_e2e_ovsdb(scenario, trace, state, warmup, window):
    """sluice_e2e with the switch made in Debian's ovsdb-server by ovs-vsctl
    and run by sluiced --ovsdb: the same ports, so beside sluice_e2e's it
    shows what driving sluice from the database costs per packet."""
    run = tempfile.mkdtemp(prefix="sluice-ovsdb-bench-")
    env = dict(os.environ, OVS_RUNDIR=run, OVS_LOGDIR=run, OVS_DBDIR=run)
    db = f"unix:{run}/db.sock"
    sh(["ovsdb-tool", "create", f"{run}/conf.db", OVS_SCHEMA], env=env)
    sh(["ovsdb-server", f"{run}/conf.db", f"--remote=punix:{run}/db.sock",
        f"--pidfile={run}/ovsdb.pid", "--detach", f"--log-file={run}/ovsdb.log",
        f"--unixctl={run}/ovsdb.ctl"], env=env)
    try:
        # sluiced is not running yet: it reads all of it when it connects
        for cmd in [["init"]] + scenario.topo.sluice_ovsdb(scenario.inp, os.path.abspath(trace)):
            sh(["ovs-vsctl", f"--db={db}", "--no-wait", *cmd], env=env)
        out = sh([tool("sluice-bench"), "--state", state, "--trace", trace,
                  "--in", scenario.inp, "--name", scenario.name, "--e2e",
                  "--ovsdb", db, "--warmup", str(warmup), "--window", str(window),
                  "--json"], env=env)
    finally:
        subprocess.run(["ovs-appctl", "-t", f"{run}/ovsdb.ctl", "exit"],
                       capture_output=True, env=env, timeout=60)
    r = json.loads(out)
    return {"mpps": r["rx_mpps"], "cycles_per_packet": r["cycles_per_packet"],
            "packets": r["rx_packets"], "sent": r["tx_packets"]}


# ---- hugepages -------------------------------------------------------------

def meminfo(key):
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


class Hugepages:
    """At least mb of free 2 MB hugepages while in use; the previous count
    is put back afterwards."""

    def __init__(self, mb):
        self.want = mb * 1024 // HUGEPAGE_KB
        self.before = None

    def __enter__(self):
        free = meminfo("HugePages_Free")
        if free < self.want:
            self.before = meminfo("HugePages_Total")
            with open("/proc/sys/vm/nr_hugepages", "w") as f:
                f.write(str(self.before + self.want - free))
            if meminfo("HugePages_Free") < self.want:
                raise SystemExit(f"could not reserve {self.want} hugepages of 2 MB")
        return self

    def __exit__(self, *exc):
        if self.before is not None:
            with open("/proc/sys/vm/nr_hugepages", "w") as f:
                f.write(str(self.before))


# ---- dpdk-testpmd ----------------------------------------------------------

def testpmd(trace, warmup, window, mbufs):
    """io forwarding from the trace to a null port: the I/O ceiling."""
    cmd = ["dpdk-testpmd", "-l", "0,1", "--in-memory", "--no-pci", "--no-telemetry",
           "--file-prefix", f"sluice-testpmd-{os.getpid()}",
           "--vdev", f"net_pcap0,rx_pcap={trace},infinite_rx=1",
           "--vdev", "net_null0,no-rx=1", "--",
           "-i", "--forward-mode=io", "--nb-cores=1", f"--total-num-mbufs={mbufs}",
           "--record-core-cycles"]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)

    def say(line):
        p.stdin.write(line + "\n")
        p.stdin.flush()

    say("start")
    time.sleep(warmup)
    say("show port stats 0")
    t0 = time.time()
    time.sleep(window)
    say("show port stats 0")
    t1 = time.time()
    say("stop")
    say("quit")
    out, _ = p.communicate(timeout=60)
    tx = [int(x) for x in re.findall(r"RX-packets:\s+(\d+)", out)]
    cpp = re.search(r"CPU cycles/packet=([\d.]+)", out)
    if p.returncode != 0 or len(tx) < 2 or not cpp:
        raise RuntimeError(f"dpdk-testpmd did not report its counters:\n{out[-2000:]}")
    # the two "show port stats" come first; "stop" prints more after them
    return {"mpps": (tx[1] - tx[0]) / (t1 - t0) / 1e6,
            "cycles_per_packet": float(cpp.group(1)), "packets": tx[1] - tx[0]}


# ---- Open vSwitch -------------------------------------------------------------

def ovs_install():
    """Debian's OVS with DPDK, installed if absent."""
    if os.access(OVS_VSWITCHD, os.X_OK):
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    sh(["apt-get", "update", "-qq"], env=env)
    sh(["apt-get", "install", "-y", "-qq", "openvswitch-switch-dpdk"], env=env)


class OVS:
    """ovsdb-server and ovs-vswitchd-dpdk in a runtime directory of their
    own, ovs-vswitchd in a network namespace of its own (its bridges'
    internal ports, addresses and routes stay there): nothing of a system
    OVS or of the host's network is touched, and all stop afterwards."""

    def __init__(self, socket_mem_mb):
        self.netns = f"sluice-ovs-{os.getpid()}"
        self.run = tempfile.mkdtemp(prefix="sluice-ovs-")
        self.db = f"unix:{self.run}/db.sock"
        self.env = dict(os.environ, OVS_RUNDIR=self.run, OVS_LOGDIR=self.run,
                        OVS_DBDIR=self.run)
        sh(["ip", "netns", "add", self.netns])
        try:
            self._start(socket_mem_mb)
        except BaseException:
            self.stop()
            raise

    def _start(self, socket_mem_mb):
        sh(["ovsdb-tool", "create", f"{self.run}/conf.db", OVS_SCHEMA], env=self.env)
        sh(["ovsdb-server", f"{self.run}/conf.db", f"--remote=punix:{self.run}/db.sock",
            f"--pidfile={self.run}/ovsdb.pid", "--detach", f"--log-file={self.run}/ovsdb.log",
            f"--unixctl={self.run}/ovsdb.ctl"], env=self.env)
        self.vsctl("--no-wait", "init")
        self.vsctl("--no-wait", "set", "Open_vSwitch", ".",
                   "other_config:dpdk-init=true",
                   f"other_config:dpdk-extra=--no-pci --no-telemetry --file-prefix=sluice-ovs-{os.getpid()}",
                   f"other_config:dpdk-socket-mem={socket_mem_mb}",
                   "other_config:dpdk-lcore-mask=0x1", "other_config:pmd-cpu-mask=0x2")
        sh(["ip", "netns", "exec", self.netns,
            OVS_VSWITCHD, self.db, f"--pidfile={self.run}/vswitchd.pid", "--detach",
            f"--log-file={self.run}/vswitchd.log", f"--unixctl={self.run}/vswitchd.ctl"],
           env=self.env)

    def vsctl(self, *args):
        return sh(["ovs-vsctl", f"--db={self.db}", "--timeout=60", *args], env=self.env)

    def appctl(self, *args):
        return sh(["ovs-appctl", "-t", f"{self.run}/vswitchd.ctl", *args], env=self.env)

    def ip(self, *args):
        return sh(["ip", "-n", self.netns, *args])

    def tx_packets(self):
        """Packets sent by every port of the datapath, live (the database's
        statistics column lags by seconds)."""
        out = self.appctl("dpctl/show", "-s")
        return sum(int(n) for n in re.findall(r"TX packets:(\d+)", out))

    def stop(self):
        for ctl in ("vswitchd.ctl", "ovsdb.ctl"):
            subprocess.run(["ovs-appctl", "-t", f"{self.run}/{ctl}", "exit"],
                           capture_output=True, env=self.env, timeout=60)
        subprocess.run(["ip", "netns", "del", self.netns], capture_output=True, timeout=60)
        shutil.rmtree(self.run, ignore_errors=True)


def upcalls(pmd_stats):
    """Packets that missed OVS's datapath caches (`pmd-stats-show`)."""
    return sum(int(n) for n in re.findall(r"miss with (?:success|failed) upcall: (\d+)",
                                          pmd_stats))


# With many flows OVS spends its first seconds installing megaflows (a
# miss goes up to ofproto, a thousand times slower than a hit): measured
# then, it would look slower than it is. Wait (a second at a time, up to
# this long) until a second passes without a miss.
OVS_SETTLE_MAX_S = 40


def ovs_settle(ovs):
    """Seconds waited for OVS's caches to stop missing."""
    waited = 0
    while waited < OVS_SETTLE_MAX_S:
        ovs.appctl("dpif-netdev/pmd-stats-clear")
        time.sleep(1)
        waited += 1
        if upcalls(ovs.appctl("dpif-netdev/pmd-stats-show")) == 0:
            break
    return waited


def ovs_measure(scenario, trace, warmup, window, socket_mem_mb=1024):
    ovs = OVS(socket_mem_mb)
    try:
        vsctl, fdb = scenario.topo.ovs_config(scenario.inp, trace)
        ip_cmds, underlay = scenario.topo.ovs_underlay()
        for cmd in vsctl:
            ovs.vsctl(*cmd)
        for cmd in ip_cmds:
            ovs.ip(*cmd)
        for cmd in fdb + underlay:
            ovs.appctl(*cmd)
        if scenario.topo.rules or scenario.topo.flows:
            ports = {d: ovs.vsctl("get", "Interface", d, "ofport").strip()
                     for d in [p for p, _ in scenario.topo.pifs] +
                              [v for v, _, _ in scenario.topo.vifs]}
            flows = os.path.join(ovs.run, "flows.txt")
            with open(flows, "w") as f:
                f.write("\n".join(scenario.topo.ovs_flows(ports)) + "\n")
            # ovs-ofctl's default protocol, as XAPI's VIF locking sends
            # its flows (OpenFlow 1.0 with NXM: ARP and ND fields)
            sh(["ovs-ofctl", "add-flows", f"unix:{ovs.run}/br0.mgmt", flows], env=ovs.env)
        time.sleep(warmup)
        warmed = warmup + ovs_settle(ovs)
        ovs.appctl("dpif-netdev/pmd-stats-clear")
        a, t0 = ovs.tx_packets(), time.time()
        time.sleep(window)
        perf = ovs.appctl("dpif-netdev/pmd-stats-show")
        b, t1 = ovs.tx_packets(), time.time()
        rx = re.search(r"packets received: (\d+)", perf)
        cpp = re.search(r"avg processing cycles per packet: ([\d.]+)", perf)
        if not rx:
            raise RuntimeError(f"ovs-appctl dpif-netdev/pmd-stats-show: {perf}")
        return {"mpps": int(rx.group(1)) / (t1 - t0) / 1e6,
                "cycles_per_packet": float(cpp.group(1)) if cpp else None,
                "packets": int(rx.group(1)), "sent": b - a, "warmup_s": warmed,
                "upcalls": upcalls(perf)}
    finally:
        ovs.stop()
