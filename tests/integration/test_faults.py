"""Faults around the state's persistence: sluiced killed (-9) at random
moments while a client changes rules and networks, N rounds: after each
restart every acknowledged change is there and nothing acknowledged as
deleted comes back; the state directory full (ENOSPC, a tiny tmpfs in the
test's own mount namespace): the change answers STATE_NOT_SAVED, stays in
force, and is saved by the next change once there is room; a clean stop
compacts the journal, and state-export gives the same state."""
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time

import sltest
from sltest import Daemon, Topology

ROUNDS = 20
MAC = "02:00:00:00:00:01"
NOT_SAVED = 1018


def private_mounts():
    """Run this file in a mount namespace of its own: the tmpfs it mounts
    goes with it, whatever happens."""
    if os.environ.get("SL_FAULTS_MOUNT_NS") != "1":
        os.environ["SL_FAULTS_MOUNT_NS"] = "1"
        os.execvp("unshare", ["unshare", "--mount", "--propagation", "private",
                              sys.executable, *sys.argv])


def topology():
    topo = Topology()
    net = topo.network("xenbr0")
    topo.vif("vif1", "net_null,no-rx=1", MAC, net)
    return topo


def rule_args(port):
    return {"bridge": "xenbr0", "mac": MAC, "direction": "to", "protocol": "tcp",
            "ipRange": "10.0.0.0/8", "port": str(port), "allow": "false"}


class Client:
    """One connection, JSON-RPC a line at a time."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(30)
        self.s.connect(path)
        self.buf = b""
        self.id = 0

    def call(self, method, params):
        """The answer, or None when the connection broke first."""
        self.id += 1
        try:
            self.s.sendall(json.dumps({"jsonrpc": "2.0", "id": self.id,
                                       "method": method, "params": params}).encode() + b"\n")
            while b"\n" not in self.buf:
                chunk = self.s.recv(65536)
                if not chunk:
                    return None
                self.buf += chunk
        except OSError:
            return None
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def close(self):
        self.s.close()


class Ledger:
    """What the daemon acknowledged: rules (by port) and networks."""

    def __init__(self):
        self.present, self.absent, self.unsure = set(), set(), set()
        self.networks, self.next_port = set(), 1000

    def drive(self, path, stop):
        c = Client(path)
        while not stop.is_set():
            if self.present and random.random() < 0.35:
                port = random.choice(sorted(self.present))
                op, params = "del-rule", rule_args(port)
            elif random.random() < 0.1:
                port, op = None, "network-create"
                params = {"name-label": f"n{self.next_port}"}
                self.next_port += 1
            else:
                port, op = self.next_port, "add-rule"
                params = rule_args(port)
                self.next_port += 1
            if port is not None:	# unknown until the answer says
                self.present.discard(port)
                self.absent.discard(port)
                self.unsure.add(port)
            answer = c.call(op, params)
            if answer is None:
                break	# killed: this change may or may not be there
            assert "error" not in answer, (op, params, answer)
            if op == "network-create":
                self.networks.add(answer["result"])
                continue
            self.unsure.discard(port)
            (self.present if op == "add-rule" else self.absent).add(port)
            (self.absent if op == "add-rule" else self.present).discard(port)
        c.close()

    def check(self, d):
        ports = {r["port"] for r in d.json("rule-list")}
        assert self.present <= ports, f"acknowledged, lost: {sorted(self.present - ports)}"
        back = self.absent & ports
        assert not back, f"deleted, came back: {sorted(back)}"
        # what was in flight is what the restart says
        for p in self.unsure:
            (self.present if p in ports else self.absent).add(p)
            (self.absent if p in ports else self.present).discard(p)
        self.unsure.clear()
        nets = {n["uuid"] for n in d.json("network-list")}
        assert self.networks <= nets, f"networks lost: {self.networks - nets}"


def test_kill_9_during_changes():
    wd = sltest.workdir("faults-kill")
    d = Daemon(topology(), wd)
    ledger = Ledger()
    try:
        for _ in range(ROUNDS):
            stop = threading.Event()
            t = threading.Thread(target=ledger.drive, args=(d.socket, stop))
            t.start()
            time.sleep(random.uniform(0.02, 0.4))
            d.proc.send_signal(signal.SIGKILL)
            d.proc.wait()
            stop.set()
            t.join(30)
            assert not t.is_alive()
            d = Daemon(None, wd)
            ledger.check(d)
        assert len(ledger.present) + len(ledger.absent) > ROUNDS, "too few changes made"
        print(f"     {ROUNDS} kills, {len(ledger.present)} rules kept, "
              f"{len(ledger.absent)} deleted, {len(ledger.networks)} networks", flush=True)
    finally:
        d.kill()


def fill(path):
    """Write zeros to path until the file system is full."""
    with open(path, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    try:
        with open(path, "ab") as f:	# the last bytes of a page
            while True:
                f.write(b"\0")
                f.flush()
    except OSError:
        pass


def test_state_directory_full():
    wd = sltest.workdir("faults-enospc")
    state_dir = os.path.join(wd, "state")
    os.mkdir(state_dir)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", state_dir],
                   check=True)
    d = None
    try:
        topo = topology()
        path = os.path.join(state_dir, "state.json")
        with open(path, "w") as f:
            json.dump(topo.state, f)
        # the journal's failed write is an error in the log, as it should
        d = Daemon(None, wd, args=["--state", path],
                   allow=[r"err sluiced: cannot append to the journal \S+: "
                          r"No space left on device"])
        d.ctl("add-rule", *(f"{k}={v}" for k, v in rule_args(1).items()))
        filler = os.path.join(state_dir, "filler")
        fill(filler)
        c = Client(d.socket)
        failed = None
        for port in range(2, 200):
            answer = c.call("add-rule", rule_args(port))
            if "error" in answer:
                failed = (port, answer["error"])
                break
        assert failed, "the full file system took every change"
        port, err = failed
        assert err["code"] == NOT_SAVED and err["data"]["name"] == "STATE_NOT_SAVED", err
        assert "No space left on device" in err["message"], err
        # not saved, yet in force
        ports = {r["port"] for r in d.json("rule-list", "bridge=xenbr0")}
        assert port in ports, (port, ports)
        os.unlink(filler)
        answer = c.call("add-rule", rule_args(500))
        assert "error" not in answer, answer
        c.close()
        d.proc.send_signal(signal.SIGKILL)
        d.proc.wait()
        d = Daemon(None, wd, args=["--state", path])
        ports = {r["port"] for r in d.json("rule-list")}
        assert {1, port, 500} <= ports, ports
    finally:
        if d:
            d.kill()
        subprocess.run(["umount", state_dir], check=False)


def test_clean_stop_compacts_and_export():
    wd = sltest.workdir("faults-export")
    d = Daemon(topology(), wd)
    for port in (7, 8, 9):
        d.ctl("add-rule", *(f"{k}={v}" for k, v in rule_args(port).items()))
    d.ctl("del-rule", *(f"{k}={v}" for k, v in rule_args(8).items()))
    exported = os.path.join(wd, "exported.json")
    d.ctl("state-export", f"file={exported}")
    with open(exported) as f:
        state = json.load(f)
    assert sorted(r["port"] for r in state["rules"]) == [7, 9], state["rules"]
    journal = d.state_path + ".journal"
    with open(journal) as f:
        lines = f.readlines()
    # the first change wrote the state file whole (it had no journal yet),
    # the next three are the journal's lines after its first
    status = d.json("status")
    assert status["journal-changes"] == 3 == len(lines) - 1, (status, lines)
    assert status["journal-bytes"] == sum(len(x) for x in lines), status
    code, _ = d.stop()
    assert code == 0, d.log
    with open(journal) as f:
        assert len(f.readlines()) == 1, "not compacted at exit"
    with open(d.state_path) as f:
        saved = json.load(f)
    assert saved["rules"] == state["rules"], (saved["rules"], state["rules"])
    # the export is a state file sluiced starts from
    os.replace(exported, d.state_path)
    os.unlink(journal)
    d = Daemon(None, wd)
    try:
        assert sorted(r["port"] for r in d.json("rule-list")) == [7, 9]
    finally:
        d.kill()


if __name__ == "__main__":
    private_mounts()
    sltest.run([test_kill_9_during_changes, test_state_directory_full,
                test_clean_stop_compacts_and_export])
