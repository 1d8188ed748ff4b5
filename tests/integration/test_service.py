# SPDX-License-Identifier: BSD-3-Clause
"""sluiced under systemd, with this test in systemd's place.

The notify protocol (sd_notify(3)) on a NOTIFY_SOCKET datagram socket of the
test's: READY=1 only once every port is attached or has failed with its
reason logged, STATUS= with the counts (and again when they change),
WATCHDOG=1 while the workers loop, and none while one is held still (the
test stops that thread alone with ptrace), STOPPING=1 at SIGTERM. And the
log's two forms: a priority prefix per line for the journal when stderr is
the stream JOURNAL_STREAM names, a timestamp and the level elsewhere; each
line once, DPDK's own included.
"""
import ctypes
import json
import os
import re
import signal
import socket
import subprocess
import time

import sltest
from sltest import SLUICED, SLUICECTL, Topology

TAP = "sltap0"
# Linux ptrace requests: stop one thread of the daemon, not all of them
# (SIGSTOP would stop the whole process, the control thread too)
PTRACE_DETACH, PTRACE_SEIZE, PTRACE_INTERRUPT = 17, 0x4206, 0x4207
WALL = 0x40000000
TIMESTAMPED = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d "
    r"(emerg|alert|crit|err|warning|notice|info|debug) \S")
PRIORITY = re.compile(r"^<([0-7])>\S")


class Manager:
    """systemd's end of the notify protocol: a datagram socket; each
    datagram is newline-separated VAR=value assignments."""

    def __init__(self, wd):
        self.path = os.path.join(wd, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.got = []

    def receive(self, timeout):
        """The next datagram as a dict, or None if none came."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(4096).decode()
        except (socket.timeout, BlockingIOError):
            return None
        msg = dict(line.split("=", 1) for line in data.split("\n") if line)
        self.got.append(msg)
        return msg

    def wait_for(self, key, timeout=60):
        """Datagrams until one with key; that one."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = self.receive(0.2)
            if msg and key in msg:
                return msg
        raise AssertionError(f"no {key} from sluiced in {timeout} s; got {self.got}")

    def drain(self):
        """Every datagram already queued."""
        out = []
        while (msg := self.receive(0)) is not None:
            out.append(msg)
        return out


class Service:
    """sluiced started as systemd starts a Type=notify unit: NOTIFY_SOCKET,
    and WATCHDOG_USEC with WATCHDOG_PID set to the daemon's own pid (a
    shell that execs it knows the pid before it runs). stderr to a file,
    whose device and inode JOURNAL_STREAM may name."""

    def __init__(self, topo, wd, watchdog_usec=None, journal=False,
                 args=(), manager=True, tag=""):
        """topo None: the state file there already; manager: True for a
        new one, or another Service's (a takeover); tag: beside another
        Service's output files."""
        self.dir = wd
        self.socket = os.path.join(wd, "sluiced.sock")
        self.err_path = os.path.join(wd, "stderr" + tag)
        self.out_path = os.path.join(wd, "stdout" + tag)
        state = os.path.join(wd, "state.json")
        if topo is not None:
            with open(state, "w") as f:
                json.dump(topo.state, f)
        self.manager = Manager(wd) if manager is True else manager or None
        env = {k: v for k, v in os.environ.items()
               if k not in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
                            "JOURNAL_STREAM")}
        if self.manager:
            env["NOTIFY_SOCKET"] = self.manager.path
        if watchdog_usec:
            env["WATCHDOG_USEC"] = str(watchdog_usec)
        err = open(self.err_path, "w")
        if journal:
            st = os.fstat(err.fileno())
            env["JOURNAL_STREAM"] = f"{st.st_dev}:{st.st_ino}"
        cmd = [SLUICED, "--state", state, "--socket", self.socket,
               "--workers", "1", *args]
        self.proc = subprocess.Popen(
            ["sh", "-c", 'WATCHDOG_PID=$$; export WATCHDOG_PID; exec "$@"',
             "sh", *cmd],
            stdout=open(self.out_path, "w"), stderr=err, env=env)
        err.close()

    @property
    def log(self):
        with open(self.err_path) as f:
            return f.read()

    @property
    def out(self):
        with open(self.out_path) as f:
            return f.read()

    def ctl(self, *args):
        r = subprocess.run([SLUICECTL, "--socket", self.socket, *args],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, (args, r.stderr)
        return r.stdout

    def wait_log(self, text, timeout=20):
        sltest.wait_for(lambda: text in self.log, repr(text), timeout)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def worker_tid(self):
        task = f"/proc/{self.proc.pid}/task"
        for t in os.listdir(task):
            with open(f"{task}/{t}/comm") as f:
                if f.read().startswith("rte-worker"):
                    return int(t)
        raise AssertionError("no worker thread")


def topology(wd):
    """Two ports that attach (a tap, which the kernel shows once DPDK made
    it, and a pcap file, created when its port opens) and one that
    cannot (no such interface)."""
    topo = Topology()
    net = topo.network("xenbr0")
    topo.vif("vif1.0", f"net_tap,iface={TAP}", "02:00:00:00:00:01", net)
    topo.pif("eth0", f"net_pcap,tx_pcap={wd}/eth0-out.pcap", net)
    topo.vif("vif2.0", "net_af_packet,iface=nosuch0", "02:00:00:00:00:02", net)
    return topo


def test_ready_after_the_ports():
    """READY=1 comes once the ports are up and the failed one has been
    logged with its reason: at that moment (before anything else is
    asked of the daemon) the tap exists, the pcap file exists and the log
    says why vif2.0 failed. Its STATUS= counts what stats says."""
    wd = sltest.workdir("notify")
    s = Service(topology(wd), wd)
    try:
        first = s.manager.receive(60)
        assert first is not None, s.log
        assert first.get("READY") == "1", s.manager.got
        # the moment READY arrived: nothing asked yet
        assert f"{TAP}:" in sltest.sh(f"ip -o link show dev {TAP}", check=False), s.log
        assert os.path.exists(f"{wd}/eth0-out.pcap"), s.log
        assert "VIF vif2.0 cannot be attached" in s.log, s.log
        assert first["STATUS"] == \
            "1 network, 2 ports attached, 1 not attached, 1 worker", first
        stats = json.loads(s.ctl("--json", "stats"))
        assert sorted(p["device"] for p in stats["ports"]) == ["eth0", "vif1.0"], stats
        assert [p["device"] for p in stats["unattached"]] == ["vif2.0"], stats

        # the status follows what the operator does
        vif = next(v["uuid"] for v in json.loads(s.ctl("--json", "vif-list"))
                   if v["device"] == "vif1.0")
        s.ctl("vif-unplug", f"uuid={vif}")
        msg = s.manager.wait_for("STATUS", timeout=30)
        assert msg["STATUS"] == \
            "1 network, 1 port attached, 1 not attached, 1 worker", msg

        assert s.stop() == 0, s.log
        stopping = s.manager.wait_for("STOPPING", timeout=5)
        assert stopping["STOPPING"] == "1", stopping
        assert "sluiced final counters:" in s.out
    finally:
        s.kill()


def test_takeover_hands_the_service_over():
    """sluiced --takeover under systemd: the new one tells MAINPID= (its
    own pid) and READY=1 once it holds the ports and the socket; the old
    one exits 0 without STOPPING=1, for the service goes on. The tap is
    closed by the old one before the new one makes it again."""
    wd = sltest.workdir("notify-takeover")
    topo = Topology()
    topo.vif("vif1.0", f"net_tap,iface={TAP}", "02:00:00:00:00:01",
             topo.network("xenbr0"))
    old, new = Service(topo, wd), None
    try:
        assert old.manager.wait_for("READY")["READY"] == "1", old.log
        new = Service(None, wd, args=["--takeover"], manager=old.manager, tag=".new")
        assert old.manager.wait_for("MAINPID")["MAINPID"] == str(new.proc.pid), new.log
        assert old.manager.wait_for("READY")["READY"] == "1", new.log
        assert old.proc.wait(timeout=60) == 0, old.log
        assert not [m for m in old.manager.got if "STOPPING" in m], old.manager.got
        assert "takeover: 1 port(s) handed over" in old.log, old.log
        assert "takeover: VIF vif1.0 taken over" in new.log, new.log
        assert f"{TAP}:" in sltest.sh(f"ip -o link show dev {TAP}", check=False)
        assert json.loads(new.ctl("--json", "status"))["VIFs"] == 1
        assert new.stop() == 0, new.log
        assert new.manager.wait_for("STOPPING", timeout=5)["STOPPING"] == "1"
    finally:
        old.kill()
        if new:
            new.kill()


def test_watchdog_only_while_the_workers_loop():
    """WATCHDOG=1 keeps coming while the worker loops; with the worker
    thread alone held still (ptrace), the daemon says which worker and
    sends none, though its control thread still runs; once it is let go
    they come again."""
    wd = sltest.workdir("watchdog")
    s = Service(topology(wd), wd, watchdog_usec=1000000)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p,
                            ctypes.c_void_p]
    try:
        s.manager.wait_for("READY")
        for _ in range(3):
            assert s.manager.wait_for("WATCHDOG", timeout=30)["WATCHDOG"] == "1"

        tid = s.worker_tid()
        assert libc.ptrace(PTRACE_SEIZE, tid, None, None) == 0, ctypes.get_errno()
        try:
            assert libc.ptrace(PTRACE_INTERRUPT, tid, None, None) == 0, ctypes.get_errno()
            os.waitpid(tid, WALL)
            s.wait_log("worker 0 (lcore 1) has not looped")
            # what was sent before the check that saw it stalled; after
            # it, a WATCHDOG=1 would be a lie
            s.manager.drain()
            # the control thread answers meanwhile: only the worker is held
            s.ctl("status")
            time.sleep(1.5)
            late = [m for m in s.manager.drain() if "WATCHDOG" in m]
            assert not late, late
        finally:
            libc.ptrace(PTRACE_DETACH, tid, None, None)
        s.manager.wait_for("WATCHDOG", timeout=30)
        s.wait_log("worker 0 loops again")
        assert s.stop() == 0, s.log
    finally:
        s.kill()


def log_lines(journal):
    """A run of sluiced with --log-level info (DPDK's EAL lines too) that
    stops by itself; its stderr and stdout lines."""
    wd = sltest.workdir("log")
    s = Service(topology(wd), wd, journal=journal, manager=False,
                args=["--duration", "1", "--log-level", "info"])
    try:
        assert s.proc.wait(timeout=60) == 0, s.log
        return s.log.splitlines(), s.out.splitlines()
    finally:
        s.kill()


def once_each(lines, strip):
    """Each message once: DPDK's own stream wrote every line to stderr
    and syslog; ours writes it once."""
    for text in ("EAL: Detected CPU lcores", "sluiced: ready",
                 "VIF vif2.0 cannot be attached", "ran for 1 s as asked"):
        found = [strip(line) for line in lines if text in line]
        assert len(found) == 1, (text, found)


def test_log_timestamped_without_journal():
    """Every line on stderr, DPDK's EAL lines included, starts with an
    ISO 8601 time to the millisecond and the level; the failed port is an
    error, the ready line a notice; nothing of the log on stdout."""
    err, out = log_lines(journal=False)
    assert err and all(TIMESTAMPED.match(line) for line in err), err
    assert any(" info EAL: Detected CPU lcores" in line for line in err), err
    assert any(" err sluiced: VIF vif2.0 cannot be attached" in line for line in err), err
    assert any(" notice sluiced: ready" in line for line in err), err
    once_each(err, lambda line: line)
    assert out[0] == "sluiced final counters:", out
    assert not any("EAL:" in line or "sluiced: " in line for line in out), out


def test_log_priorities_to_the_journal():
    """With stderr the stream JOURNAL_STREAM names, every line starts with
    its syslog priority (<3> error, <5> notice, <6> info) and no time:
    journald reads the prefix and keeps its own time."""
    err, _ = log_lines(journal=True)
    assert err and all(PRIORITY.match(line) for line in err), err
    assert "<6>EAL: Detected CPU lcores: " in "\n".join(err), err
    assert any(line.startswith("<3>sluiced: VIF vif2.0 cannot be attached") for line in err), err
    assert any(line.startswith("<5>sluiced: ready") for line in err), err
    assert not any(TIMESTAMPED.match(line[3:]) for line in err), err
    once_each(err, lambda line: line)


def test_journal_stream_of_another_file():
    """JOURNAL_STREAM naming some other file (stderr redirected after
    systemd connected it) is not the journal: timestamped lines."""
    wd = sltest.workdir("log-other")
    other = os.path.join(wd, "other")
    open(other, "w").close()
    st = os.stat(other)
    env = dict(os.environ, JOURNAL_STREAM=f"{st.st_dev}:{st.st_ino}")
    r = subprocess.run([SLUICED, "--state", f"{wd}/state.json", "--socket",
                        f"{wd}/s.sock", "--workers", "1", "--duration", "1"],
                       capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert lines and all(TIMESTAMPED.match(line) for line in lines), lines


def test_ready_waits_for_the_database():
    """sluiced --ovsdb: the switch is the database's bridges, so READY=1
    waits for their first contents (not for the state file alone). With
    ovsdb-server down nothing is ready; once it answers, READY=1 comes
    with the database's bridge counted in STATUS."""
    wd = sltest.workdir("notify-ovsdb")
    db = sltest.Ovsdb(wd)
    s = None
    try:
        db.vsctl("--no-wait", "add-br", "xenbr0")
        db.stop()
        s = Service(Topology(), wd, args=["--ovsdb", db.remote])
        s.wait_log("sluiced: ready")
        got = []
        deadline = time.time() + 2
        while time.time() < deadline:
            msg = s.manager.receive(0.2)
            if msg:
                got.append(msg)
        assert not any("READY" in m for m in got), got
        db.start()
        ready = s.manager.wait_for("READY", timeout=30)
        assert ready["STATUS"].startswith("1 network, "), ready
        assert s.stop() == 0, s.log
    finally:
        if s:
            s.kill()
        db.stop()


if __name__ == "__main__":
    sltest.quiet_netns()
    sltest.run([test_ready_after_the_ports, test_takeover_hands_the_service_over,
                test_ready_waits_for_the_database,
                test_watchdog_only_while_the_workers_loop,
                test_log_timestamped_without_journal,
                test_log_priorities_to_the_journal,
                test_journal_stream_of_another_file])
