# SPDX-License-Identifier: BSD-3-Clause
"""A takeover upgrade (sluiced --takeover): a new sluiced starts beside the
running one, takes its ports over one at a time and then its control
socket; the old one exits 0. Two network namespaces ping each other every
10 ms through the switch (af_packet ports on veths) with 10,000 rules
loaded: the traffic comes back, the learned MACs, the rules' counters and
the state are carried over, and the gap is printed (no timing assertion).
The refusals: nothing to take over, a bad option, a state the new one
cannot load, a stale state, a second takeover at once, a change of the
state meanwhile, and a new one that goes away mid-way (the old takes its
ports back)."""
import json
import os
import re
import signal
import socket
import subprocess

import takeover_gap
import sltest
from sltest import Daemon

OLD_GONE = r"warning sluiced: takeover: sluiced pid \d+ went away before it was done"


def learned(d):
    return {(e["MAC"], e["device"]) for e in d.json("fdb-show") if not e["static"]}


def counters(d):
    return {r["id"]: (r["cookie"], r["n-packets"], r["n-bytes"])
            for r in d.json("rule-list")}


def state(d):
    return d.json("state-export")


def gen_change(d):
    """The state's generation and last change, as the refusal says them."""
    rc, _, err = d.ctl("takeover-release", "generation=999999", "change=0", check=False)
    assert rc == 1 and "TAKEOVER_STALE" in err, err
    m = re.search(r"at generation (\d+) change (\d+)", err)
    return m.group(1), m.group(2)


def test_takeover_keeps_traffic_and_state():
    takeover_keeps_traffic_and_state("af_packet", takeover_gap.topology())


def test_takeover_af_xdp():
    """eth2 an af_xdp port: handed over as a tap is, the old one closing
    its socket before it answers, the new one opening it once the kernel
    has let the interface's queue go (xsk_queue.h), not after the old
    one's exit."""
    new = takeover_keeps_traffic_and_state(
        "af_packet and af_xdp", takeover_gap.topology(takeover_gap.AF_XDP))
    assert re.search(r"takeover: PIF eth2 taken over: let go by the old", new), new


def takeover_keeps_traffic_and_state(kinds, topo):
    wd = sltest.workdir("takeover")
    d = Daemon(topo, wd)
    new = None
    try:
        takeover_gap.load_rules(d, wd)
        takeover_gap.warm_up()
        macs, before, st = learned(d), counters(d), state(d)
        assert len(before) == takeover_gap.RULES + 1, len(before)
        pings = [v for v in before.values() if v[0] == "0xc1"]
        assert len(pings) == 1 and pings[0][1] > 0, pings
        assert len(macs) == 2, macs
        with takeover_gap.Pinger() as p:
            new = Daemon(None, wd, args=["--takeover"])
            code = d.proc.wait(timeout=60)
        d.stop()
        assert code == 0, d.log
        print(f"     takeover ({kinds}): longest gap {p.gap_ms():.0f} ms, {p.lost()} of "
              f"{p.sent()} pings lost", flush=True)
        assert p.replied_after_takeover(), p.out
        assert new.wait_log("port(s) taken over from sluiced pid"), new.log
        assert d.wait_log("takeover: 3 port(s) handed over"), d.log
        # the new one answers on the same socket, with what the old had
        assert new.proc.poll() is None, (new.proc.returncode, new.log)
        assert new.json("status")["version"]
        assert learned(new) == macs, (learned(new), macs)
        after = counters(new)
        assert after.keys() == before.keys()
        for k, (cookie, pk, by) in before.items():
            assert after[k][0] == cookie and after[k][1] >= pk and after[k][2] >= by, \
                (k, before[k], after[k])
        assert state(new) == st
        assert not os.path.exists(os.path.join(wd, "state.json.warm"))
        assert not os.path.exists(os.path.join(wd, "sluiced.sock.new"))
        # and it goes on: changes are saved, a plain stop exits 0
        new.ctl("network-create", "name-label=after")
        code, _ = new.stop()
        assert code == 0, new.log
        return new.log
    finally:
        d.kill()
        if new:
            new.kill()


def expect_refused(wd, args, status, text):
    """sluiced --takeover that must fail: its status and its sentence."""
    r = subprocess.run([sltest.SLUICED, "--state", os.path.join(wd, "state.json"),
                        "--socket", os.path.join(wd, "sluiced.sock"), "--workers", "1",
                        "--takeover", *args],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == status, (r.returncode, r.stderr)
    assert text in r.stderr, (text, r.stderr)
    return r.stderr


def goes_on_as_before(d):
    """The old sluiced, left by a takeover that did not happen: it
    forwards, takes changes (nothing is frozen) and stops cleanly."""
    takeover_gap.check_ping()
    d.ctl("network-create", "name-label=after")
    code, _ = d.stop()
    assert code == 0, d.log


class Holder:
    """A client that began a takeover and holds its connection."""

    def __init__(self, d, gen, change):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(d.socket)
        self.f = self.s.makefile("r")
        self.gen, self.change = gen, change

    def release(self, **params):
        req = {"jsonrpc": "2.0", "id": 1, "method": "takeover-release",
               "params": dict(generation=self.gen, change=self.change, **params)}
        self.s.sendall(json.dumps(req).encode() + b"\n")
        return json.loads(self.f.readline())

    def close(self):
        self.f.close()
        self.s.close()


def test_failed_takeovers_leave_the_old_one():
    wd = sltest.workdir("takeover-fail")
    d = Daemon(takeover_gap.topology(), wd)
    try:
        takeover_gap.warm_up()
        uuid1 = d.json("pif-list", "device=eth1")[0]["uuid"]
        # nothing to take over
        expect_refused(sltest.workdir("none"), [], 1,
                       "--takeover: no sluiced answers: cannot connect to")
        # a bad option is refused before anything starts
        expect_refused(wd, ["--bogus"], 2, "unknown or incomplete option")
        # a state the new one cannot load: the old one is untouched
        path = os.path.join(wd, "state.json")
        with open(path) as f:
            good = f.read()
        with open(path, "w") as f:
            f.write("{broken")
        expect_refused(wd, [], 1, "state.json")
        with open(path, "w") as f:
            f.write(good)
        takeover_gap.check_ping()
        # a stale state: refused with its code and sentence
        d.expect_error(["takeover-release", "generation=7", "change=7"], 1065,
                       "TAKEOVER_STALE", "start the new sluiced again")
        d.expect_error(["takeover-release", "generation=x", "change=7"], 1000,
                       "INVALID_VALUE", "generation: 'x' is not a whole number")
        gen, change = gen_change(d)
        # a takeover under way: a second one and a change are refused ...
        h = Holder(d, gen, change)
        d.allow(OLD_GONE)
        ans = h.release(port=uuid1)
        assert ans["result"] == {"uuid": uuid1, "device": "eth1", "was-attached": True}, ans
        assert h.release(port="nope")["error"]["data"]["name"] == "INVALID_VALUE"
        assert h.release(port="00000000-0000-4000-8000-000000000000")["error"]["data"]["name"] \
            == "HANDLE_INVALID"
        d.expect_error(["takeover-release", f"generation={gen}", f"change={change}"],
                       1064, "TAKEOVER_BUSY", "one takeover at a time")
        d.expect_error(["network-create", "name-label=x"], 1066, "TAKEOVER_IN_PROGRESS",
                       "network-create: sluiced pid")
        # a new sluiced refused once it has started (EAL, workers, its
        # af_packet ports opened beside the old one's): exits 1
        expect_refused(wd, [], 1, "which goes on unchanged: TAKEOVER_BUSY")
        # ... and when it goes away, the old one takes its port back
        h.close()
        assert d.wait_log("went away before it was done; 1 port(s) taken back"), d.log
        goes_on_as_before(d)
    finally:
        d.kill()


def test_takeover_gives_up_on_an_old_one_that_stopped_answering():
    """The running sluiced is stopped (SIGSTOP) before it answers: the new
    one waits --takeover-answer-timeout, sees that it still runs, and
    exits 1 instead of forwarding beside it; running again, the old one
    serves its ports and takes changes as before."""
    wd = sltest.workdir("takeover-silent")
    d = Daemon(takeover_gap.topology(), wd)
    try:
        takeover_gap.warm_up()
        # it may read the request of the new one, gone by then
        d.allow(OLD_GONE)
        os.kill(d.proc.pid, signal.SIGSTOP)
        try:
            err = expect_refused(wd, ["--takeover-answer-timeout", "2"], 1,
                                 "did not answer: no answer from sluiced within 2 s, "
                                 "and it still runs: this sluiced closes the 0 port(s)")
        finally:
            os.kill(d.proc.pid, signal.SIGCONT)
        assert "taking the rest of the ports" not in err, err
        goes_on_as_before(d)
    finally:
        d.kill()


if __name__ == "__main__":
    takeover_gap.setup()
    try:
        sltest.run([test_takeover_keeps_traffic_and_state, test_takeover_af_xdp,
                    test_failed_takeovers_leave_the_old_one,
                    test_takeover_gives_up_on_an_old_one_that_stopped_answering])
    finally:
        takeover_gap.teardown()
