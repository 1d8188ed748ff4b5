"""Harness for sluice's integration tests.

Every test runs in a network namespace of its own (meson starts it under
`unshare --net`), starts the real sluiced with a state file, sends frames with
scapy and checks what comes out with scapy's decoder, never sluice's parser.
"""
import json
import os
import pwd
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid

from scapy.all import Ether, raw  # noqa: F401  (re-exported for tests)

SLUICED = os.environ.get("SLUICED", "sluiced")
SLUICECTL = os.environ.get("SLUICECTL", "sluicectl")
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40


def sh(cmd, check=True):
    """Run a shell command; its output is returned (stdout)."""
    r = subprocess.run(cmd, shell=True, text=True, capture_output=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"{cmd!r} failed ({r.returncode}): {r.stderr.strip()}")
    return r.stdout


def quiet_netns():
    """The kernel's own IPv6 chatter (ND, MLD) would land in captures."""
    sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1")
    sh("sysctl -qw net.ipv6.conf.default.disable_ipv6=1")
    sh("ip link set lo up")


def ping(netns, addr, count=3):
    """ping from netns (None: here); its output."""
    pre = f"ip netns exec {netns} " if netns else ""
    r = subprocess.run(f"{pre}ping -c {count} -i 0.2 -W 2 {addr}",
                       shell=True, text=True, capture_output=True)
    return r.stdout + r.stderr


def reaches(netns, addr, tries=20):
    """ARP (and the switch's learning) first, then a clean run of pings."""
    for _ in range(tries):
        if " 0% packet loss" in ping(netns, addr, count=1):
            break
    return " 0% packet loss" in ping(netns, addr)


def wait_for(pred, what, timeout=10):
    """Wait until pred() holds, or fail naming what was awaited."""
    deadline = time.time() + timeout
    while not pred():
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def wait_carrier(iface, netns=None, timeout=5):
    """The kernel marks a link running up to a second after it came up
    (linkwatch): wait for it, or a bond would see it come up later and
    hold it back for updelay."""
    pre = f"ip netns exec {netns} " if netns else ""
    deadline = time.time() + timeout
    while " state UP " not in sh(f"{pre}ip -o link show dev {iface}"):
        if time.time() > deadline:
            raise AssertionError(f"{iface} has no carrier")
        time.sleep(0.02)


def veth(a, b, netns=None):
    """A veth pair a<->b, both up and running; b optionally moved into
    netns."""
    sh(f"ip link add {a} type veth peer name {b}")
    if netns:
        sh(f"ip link set {b} netns {netns}")
        sh(f"ip netns exec {netns} sysctl -qw net.ipv6.conf.all.disable_ipv6=1")
        sh(f"ip netns exec {netns} ip link set {b} up")
        sh(f"ip netns exec {netns} ip link set lo up")
    else:
        sh(f"ip link set {b} up")
    sh(f"ip link set {a} up")
    wait_carrier(a)
    wait_carrier(b, netns)


def hosts(names):
    """Network namespaces as hosts: the i-th (from 1) holds h{i} with
    10.9.0.{i}/24, the peer of veth sl{i} here (a port for sluiced)."""
    quiet_netns()
    for i, ns in enumerate(names, 1):
        sh(f"ip netns add {ns}")
        veth(f"sl{i}", f"h{i}", netns=ns)
        sh(f"ip netns exec {ns} ip addr add 10.9.0.{i}/24 dev h{i}")


def hosts_gone(names):
    for ns in names:
        sh(f"ip netns del {ns}", check=False)


class Topology:
    """Networks, PIFs and VIFs, written as a sluiced state file."""

    def __init__(self, **settings):
        self.state = {"sluice-state": 1, "networks": [], "pifs": [], "vifs": []}
        if settings:
            self.state["settings"] = settings

    def network(self, bridge, mtu=None):
        net = {"uuid": str(uuid.uuid4()), "name-label": bridge, "bridge": bridge}
        if mtu:
            net["MTU"] = mtu
        self.state["networks"].append(net)
        return net["uuid"]

    def pif(self, device, devargs, network, **extra):
        obj = {"uuid": str(uuid.uuid4()), "device": device, "devargs": devargs,
               "network-uuid": network}
        obj.update(extra)
        self.state["pifs"].append(obj)
        return obj["uuid"]

    def vif(self, device, devargs, mac, network, **extra):
        obj = {"uuid": str(uuid.uuid4()), "device": device, "devargs": devargs,
               "MAC": mac, "network-uuid": network}
        obj.update(extra)
        self.state["vifs"].append(obj)
        return obj["uuid"]


# Logs as a test oracle (as OVS's check_logs): a test fails when a sluiced it
# started logged a warning or worse that neither this list nor the test
# allowed. These lines come from DPDK on a machine like the test's and say
# nothing about sluice.
ALLOW_ALWAYS = [
    # EAL looks for every hugepage size; the tests run without 1 GB pages
    r" EAL: No free \d+ kB hugepages reported on node",
    # sluiced serves its own telemetry socket, not DPDK's legacy one
    r" TELEMETRY: No legacy callbacks, legacy socket not created",
    # the tap PMD without the multiq qdisc (sch_multiq not loaded): no
    # rte_flow on taps, which sluice does not use
    r" tap_nl_dump_ext_ack\(\): Specified qdisc kind is unknown",
    r" qdisc_create_multiq\(\): Could not add multiq qdisc",
    r" eth_dev_tap_create\(\): \S+: failed to create multiq qdisc",
    r" eth_dev_tap_create\(\):  Disabling rte flow support",
    # the tap PMD tells secondary processes of a start; there are none
    r" tap_mp_req_on_rxtx\(\): Failed to send start req to secondary",
    # two workers on a machine of two CPUs (CI's size): true, and not a
    # fault of the test
    r" sluiced: \d+ workers share \d+ CPUs: they will take turns",
]
ALLOW_ALWAYS_RE = [re.compile(a) for a in ALLOW_ALWAYS]
# "2026-12-07T03:28:28.269+00:00 warning sluiced: ..." (log_stream.c); with
# JOURNAL_STREAM set the line starts "<4>" instead (syslog priority).
LOG_LEVEL = re.compile(r"^(?:\S+T\S+ (emerg|alert|crit|err|warning) |<([0-4])>)")
# The daemons started by the test running now (sltest.run checks them).
_daemons = []


class Daemon:
    """A running sluiced. Its stderr is collected by a thread.

    allow: regular expressions (re.search) of warnings and errors this test
    provokes on purpose; more can be added with allow(). Any other warning
    or error fails the test when it ends (sltest.run, check_logs)."""

    def __init__(self, topo, workdir, workers=1, args=(), ready=True, netns=None,
                 allow=()):
        self.allowed = [re.compile(a) for a in allow]
        _daemons.append(self)
        self.dir = workdir
        self.state_path = os.path.join(workdir, "state.json")
        self.stats_path = os.path.join(workdir, "stats.json")
        self.socket = os.path.join(workdir, "sluiced.sock")
        if topo is not None:
            with open(self.state_path, "w") as f:
                json.dump(topo.state, f, indent=2)
        cmd = [SLUICED, "--state", self.state_path, "--socket", self.socket,
               "--stats-file", self.stats_path, "--workers", str(workers),
               *args]
        if netns:	# a host of its own (its socket is still a path here)
            cmd = ["ip", "netns", "exec", netns, *cmd]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.err_lines, self.out_lines = [], []
        self._ready = threading.Event()
        # one reader per pipe: nothing else may read them
        self._readers = [
            threading.Thread(target=self._read, args=(self.proc.stderr, self.err_lines), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stdout, self.out_lines), daemon=True),
        ]
        for t in self._readers:
            t.start()
        if ready:
            self.wait_ready()

    def _read(self, pipe, lines):
        for line in pipe:
            lines.append(line)
            if "sluiced: ready" in line:
                self._ready.set()

    @property
    def log(self):
        return "".join(self.err_lines)

    def allow(self, *patterns):
        """Warnings or errors matching these (re.search) are expected."""
        self.allowed += [re.compile(p) for p in patterns]

    def unexpected_logs(self):
        """The warnings and errors logged that nothing allows."""
        if self.proc.poll() is not None:	# gone: its last lines are read
            for t in self._readers:
                t.join(5)
        allowed = ALLOW_ALWAYS_RE + self.allowed
        return [line for line in list(self.err_lines)
                if LOG_LEVEL.match(line) and not any(a.search(line) for a in allowed)]

    @property
    def out(self):
        return "".join(self.out_lines)

    def wait_log(self, text, timeout=10):
        """Wait until the daemon has logged text (its stderr is read by a
        thread: a line it wrote may not be here yet)."""
        deadline = time.time() + timeout
        while text not in self.log:
            if time.time() > deadline:
                return False
            time.sleep(0.02)
        return True

    def wait_ready(self, timeout=60):
        deadline = time.time() + timeout
        while not self._ready.wait(0.1):
            if self.proc.poll() is not None or time.time() > deadline:
                for t in self._readers:
                    t.join(2)
                raise AssertionError(
                    f"sluiced did not become ready (exit {self.proc.poll()}):\n{self.log}")

    def stats(self, timeout=10):
        """Ask for counters (SIGUSR1) and read the stats file it writes."""
        before = os.stat(self.stats_path).st_mtime_ns if os.path.exists(self.stats_path) else 0
        self.proc.send_signal(signal.SIGUSR1)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if os.path.exists(self.stats_path) and os.stat(self.stats_path).st_mtime_ns != before:
                with open(self.stats_path) as f:
                    return json.load(f)
            time.sleep(0.02)
        raise AssertionError("sluiced wrote no stats after SIGUSR1")

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Stop it; returns (exit status, final stats)."""
        self.proc.send_signal(sig)
        self.proc.wait(timeout=timeout)
        for t in self._readers:
            t.join(5)
        final = None
        if os.path.exists(self.stats_path):
            with open(self.stats_path) as f:
                final = json.load(f)
        return self.proc.returncode, final

    def ctl(self, *args, check=True, user=None):
        """Run sluicectl; returns (exit status, stdout, stderr)."""
        cmd = [SLUICECTL, "--socket", self.socket, *args]
        if user:
            gid = pwd.getpwnam(user).pw_gid
            cmd = ["setpriv", f"--reuid={user}", f"--regid={gid}", "--init-groups", *cmd]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if check and r.returncode != 0:
            raise AssertionError(f"sluicectl {' '.join(args)} failed: {r.stderr}")
        return r.returncode, r.stdout, r.stderr

    def json(self, *args):
        """sluicectl --json COMMAND ...: the result, parsed."""
        _, out, _ = self.ctl("--json", *args)
        return json.loads(out)

    def uuid(self, *args):
        """A command that prints a uuid (a create): the uuid."""
        return self.ctl(*args)[1].strip()

    def expect_error(self, args, code, name, text):
        """The command fails with this code, error name and sentence."""
        rc, out, err = self.ctl(*args, check=False)
        assert rc == 1, (args, rc, out)
        head = f"Error {code} {name}: " if name else f"Error {code}: "
        assert err.startswith(head), (args, err)
        assert text in err, (args, text, err)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def drops_add_up(stats):
    """Each port's rx- and tx-dropped are its drops by reason, and the
    switch's drops by reason are the ports' summed (inject_stale, a frame
    whose port was gone, is the one reason with no port)."""
    by_port = {}
    for p in stats["ports"]:
        assert p["rx-dropped"] + p["tx-dropped"] == sum(p["drops"].values()), p
        for reason, n in p["drops"].items():
            by_port[reason] = by_port.get(reason, 0) + n
    drops = {r: n for r, n in stats["drops"].items() if n and r != "inject_stale"}
    assert by_port == drops, (by_port, stats["drops"])


def port_stats(stats, device):
    for p in stats["ports"]:
        if p["device"] == device:
            return p
    raise KeyError(f"no attached port {device} in {[p['device'] for p in stats['ports']]}")


class Capture:
    """What arrives on some interfaces, from raw AF_PACKET sockets.

    Frames this host sent itself (PACKET_OUTGOING) are left out, so a capture
    on the interface a test sends from shows only what the switch sent back.
    Sockets are bound before the constructor returns: nothing sent afterwards
    is missed. A VLAN tag the kernel took out of the frame (receive VLAN
    offload) is put back from PACKET_AUXDATA, as libpcap does.
    """

    def __init__(self, ifaces):
        self.frames = {i: [] for i in ifaces}
        self._socks = {}
        for i in ifaces:
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
            s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
            s.bind((i, 0))
            s.settimeout(0.05)
            self._socks[i] = s
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _with_tag(data, ancillary):
        for level, kind, aux in ancillary:
            if level != SOL_PACKET or kind != PACKET_AUXDATA or len(aux) < 20:
                continue
            status, _, _, _, _, tci, tpid = struct.unpack("IIIHHHH", aux[:20])
            if status & TP_STATUS_VLAN_VALID:
                if not status & TP_STATUS_VLAN_TPID_VALID:
                    tpid = 0x8100
                return data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
        return data

    def _run(self):
        while not self._stop.is_set():
            for i, s in self._socks.items():
                try:
                    while True:
                        data, anc, _, addr = s.recvmsg(65536, socket.CMSG_SPACE(32))
                        if addr[2] != PACKET_OUTGOING:
                            frame = Ether(self._with_tag(data, anc))
                            with self._lock:
                                self.frames[i].append(frame)
                except (socket.timeout, BlockingIOError):
                    pass
                except OSError:
                    # the interface went down (a test cuts a link): keep
                    # listening on it and on the others
                    time.sleep(0.01)

    def matching(self, iface, pred):
        with self._lock:
            return [f for f in self.frames[iface] if pred(f)]

    def wait_for(self, iface, pred, count=1, timeout=5.0):
        """Wait until count matching frames arrived on iface; returns them."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = self.matching(iface, pred)
            if len(got) >= count:
                return got
            time.sleep(0.01)
        return self.matching(iface, pred)

    def expect_once(self, payload, to, silent):
        """Frames carrying payload (bytes) arrive exactly once on each of
        to and never on silent; returns them by interface."""
        got = {}
        for iface in to:
            f = self.wait_for(iface, tagged(payload))
            assert len(f) == 1, f"{payload!r}: {len(f)} copies on {iface}, expected 1"
        time.sleep(SETTLE)
        for iface in to:
            f = self.matching(iface, tagged(payload))
            assert len(f) == 1, f"{payload!r}: {len(f)} copies on {iface} after settling"
            got[iface] = f[0]
        for iface in silent:
            f = self.matching(iface, tagged(payload))
            assert not f, f"{payload!r} leaked to {iface}: {f[0].summary()}"
        return got

    def clear(self):
        with self._lock:
            for v in self.frames.values():
                v.clear()

    def close(self):
        self._stop.set()
        self._thread.join()
        for s in self._socks.values():
            s.close()


# How long a frame that should NOT come out is given to come out anyway. The
# switch forwards in well under a millisecond; this is for slow CI machines.
SETTLE = 0.5


def tagged(payload):
    """A predicate matching frames carrying payload (bytes) anywhere."""
    return lambda f: payload in raw(f)


def check_logs():
    """Fail when a daemon the test started logged a warning or an error
    that nothing allowed; forget those daemons (the next test's are its
    own)."""
    bad = []
    for d in _daemons:
        bad += d.unexpected_logs()
    _daemons.clear()
    if bad:
        raise AssertionError("sluiced logged unexpected warnings or errors "
                             "(allow them in the test if it provokes them):\n" +
                             "".join(bad))


def run(tests):
    """Run test functions in order; print a line per test; exit 1 on failure.
    A test also fails when its daemons logged a warning or an error it did
    not allow (check_logs). SL_TESTS=name,name runs only those (while
    working on one)."""
    failed = 0
    only = os.environ.get("SL_TESTS")
    if only:
        tests = [t for t in tests if t.__name__ in only.split(",")]
    for t in tests:
        start = time.time()
        try:
            try:
                t()
            except Exception:
                _daemons.clear()	# the first failure is the one to see
                raise
            check_logs()
            print(f"ok   {t.__name__} ({time.time() - start:.1f} s)", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {t.__name__}", flush=True)
            traceback.print_exc()
    sys.exit(1 if failed else 0)


def workdir(name):
    return tempfile.mkdtemp(prefix=f"sluice-{name}-")


class Ovsdb:
    """Debian's real ovsdb-server on a fresh Open_vSwitch database in
    workdir, and the real ovs-vsctl against it. OVS_RUNDIR points at
    workdir, as the OVS tools (and sluiced) read it."""

    SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"

    def __init__(self, workdir, tcp_port=None):
        self.dir = workdir
        self.db = os.path.join(workdir, "conf.db")
        self.sock = os.path.join(workdir, "db.sock")
        self.remote = "unix:" + self.sock
        # a TCP remote as well (loopback of the test's namespace)
        self.tcp_port = tcp_port
        self.tcp = f"tcp:127.0.0.1:{tcp_port}" if tcp_port else None
        os.environ["OVS_RUNDIR"] = workdir
        os.environ["OVS_DBDIR"] = workdir
        os.environ["OVS_LOGDIR"] = workdir
        sh(f"ovsdb-tool create {self.db} {self.SCHEMA}")
        self.proc = None
        self.start()
        self.vsctl("--no-wait", "init")

    def start(self):
        extra = [f"--remote=ptcp:{self.tcp_port}:127.0.0.1"] if self.tcp else []
        self.proc = subprocess.Popen(
            ["ovsdb-server", self.db, f"--remote=punix:{self.sock}", *extra,
             f"--unixctl={os.path.join(self.dir, 'ovsdb-server.ctl')}",
             f"--log-file={os.path.join(self.dir, 'ovsdb-server.log')}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while not os.path.exists(self.sock):
            if time.time() > deadline:
                raise AssertionError("ovsdb-server did not create its socket")
            time.sleep(0.02)

    def kill(self):
        """Kill it as a crash would (the database file stays)."""
        self.proc.kill()
        self.proc.wait()
        if os.path.exists(self.sock):
            os.unlink(self.sock)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()

    def run(self, *args, timeout=20):
        """ovs-vsctl --timeout=N ARGS (waiting for the switch, as networkd
        does); returns the CompletedProcess."""
        return subprocess.run(["ovs-vsctl", f"--db={self.remote}",
                               f"--timeout={timeout}", *args],
                              capture_output=True, text=True, timeout=timeout + 10)

    def vsctl(self, *args, timeout=20):
        """ovs-vsctl that must succeed, with nothing on stderr; stdout."""
        r = self.run(*args, timeout=timeout)
        assert r.returncode == 0, (args, r.returncode, r.stderr)
        assert not r.stderr, (args, r.stderr)
        return r.stdout.strip()

    def get(self, table, record, column):
        """A column's value, JSON-decoded where it is a number."""
        v = self.vsctl("--no-wait", "get", table, record, column)
        try:
            return json.loads(v)
        except ValueError:
            return v

    def transact(self, *ops):
        """An RFC 7047 transaction sent as JSON (as Xen Orchestra sends
        them), through the real ovsdb-client; the result list."""
        out = sh("ovsdb-client transact " + self.remote + " '" +
                 json.dumps(["Open_vSwitch", *ops]) + "'")
        return json.loads(out)
