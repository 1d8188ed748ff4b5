"""A restart of sluiced keeps what guests and operators notice: the MACs
the FDB learned (so the first frames after it are not flooded to every
port) and the flows' counters (dump-flows goes on counting). A clean exit
saves them beside the state file (state.json.warm), the next start takes
them back once and removes the file. Frames are sent and checked with
scapy on af_packet ports."""
import json
import os
import re
import time

from scapy.all import IP, TCP, UDP, Ether, Raw, sendp

import sltest
from sltest import Capture, Daemon, Topology, tagged

M1, M2 = "02:00:00:00:01:01", "02:00:00:00:01:02"
V1 = "02:00:00:00:0a:01"


def topology():
    topo = Topology()
    a = topo.network("xenbr0")
    topo.pif("eth1", "net_af_packet,iface=sl1", a)
    topo.pif("eth2", "net_af_packet,iface=sl2", a)
    topo.pif("eth3", "net_af_packet,iface=sl3", a)
    topo.vif("vif1.0", "net_null,no-rx=1", V1, a)
    return topo


def udp(src, dst, payload, dport=80):
    return Ether(src=src, dst=dst) / IP(src="10.1.0.1", dst="10.1.0.2") / \
        UDP(sport=1000, dport=dport) / Raw(payload)


def learned(d):
    return {(e["MAC"], e["device"]) for e in d.json("fdb-show") if not e["static"]}


def counters(d):
    return {(r["cookie"], r["priority"]): (r["n-packets"], r["n-bytes"])
            for r in d.json("rule-list")}


def without_durations(flows):
    """dump-flows' text but the flows' ages (the restart reset those)."""
    return re.sub(r"duration=[0-9.]+s, ", "", flows)


def stop(d):
    code, _ = d.stop()
    assert code == 0, d.log


def test_fdb_and_counters_kept():
    wd = sltest.workdir("restart")
    d = Daemon(topology(), wd)
    cap = Capture(["t1", "t2", "t3"])
    try:
        d.ctl("add-rule", "bridge=xenbr0", "direction=to", "protocol=tcp", "port=22",
              "ipRange=10.9.0.0/16", "allow=false", "cookie=0x1f", "priority=300")
        # M1 behind eth1, M2 behind eth2; three frames meet the rule
        sendp(udp(M1, "ff:ff:ff:ff:ff:ff", b"hello-1"), iface="t1", verbose=False)
        sendp(udp(M2, M1, b"hello-2"), iface="t2", verbose=False)
        cap.wait_for("t1", tagged(b"hello-2"))
        denied = Ether(src=M1, dst=M2) / IP(src="10.1.0.1", dst="10.9.0.9") / TCP(dport=22)
        sendp([denied] * 3, iface="t1", verbose=False)
        sltest.wait_for(lambda: counters(d)[("0x1f", 300)][0] == 3, "the rule's counter")
        macs, rules = learned(d), counters(d)
        assert macs == {(M1, "eth1"), (M2, "eth2")}, macs
        flows = d.ctl("dump-flows", "bridge=xenbr0")[1]
        stop(d)
        assert os.path.exists(os.path.join(wd, "state.json.warm")), d.log

        d = Daemon(None, wd)
        assert d.wait_log("warm restart: 2 of 2 learned MACs carried over"), d.log
        assert not os.path.exists(os.path.join(wd, "state.json.warm"))
        assert learned(d) == macs and counters(d) == rules, (learned(d), counters(d))
        assert without_durations(d.ctl("dump-flows", "bridge=xenbr0")[1]) == \
            without_durations(flows)
        # the first frame to M2 after the restart goes to eth2 alone
        cap.clear()
        sendp(udp(M1, M2, b"after-restart"), iface="t1", verbose=False)
        cap.wait_for("t2", tagged(b"after-restart"))
        time.sleep(sltest.SETTLE)
        assert not cap.matching("t3", tagged(b"after-restart")), "flooded after the restart"
        # and counting goes on from there
        sendp(denied, iface="t1", verbose=False)
        sltest.wait_for(lambda: counters(d)[("0x1f", 300)][0] == 4, "the rule's counter")
        stop(d)

        # a MAC whose port is gone by the next start is not carried over
        d = Daemon(None, wd)
        stop(d)
        state = os.path.join(wd, "state.json")
        with open(state) as f:
            st = json.load(f)
        st["pifs"] = [p for p in st["pifs"] if p["device"] != "eth2"]
        with open(state, "w") as f:
            json.dump(st, f)
        d = Daemon(None, wd)
        assert learned(d) == {(M1, "eth1")}, learned(d)
        assert d.wait_log("warm restart: 1 of 2 learned MACs carried over"), d.log
        stop(d)

        # a carry-over that is not one: said, and the start goes on cold
        with open(os.path.join(wd, "state.json.warm"), "w") as f:
            f.write("{not json")
        d = Daemon(None, wd, allow=[r"warning sluiced: warm restart: \S+ is not readable "
                                    r"JSON .*: starting cold"])
        assert d.wait_log("starting cold"), d.log
        assert not learned(d)
        assert not os.path.exists(os.path.join(wd, "state.json.warm"))
    finally:
        cap.close()
        d.kill()


RCU_EXPEDITED = "/sys/kernel/rcu_expedited"


def rcu_expedited():
    with open(RCU_EXPEDITED) as f:
        return f.read().strip()


def set_rcu_expedited(v):
    with open(RCU_EXPEDITED, "w") as f:
        f.write(v)


def test_rcu_expedited_for_ports_only():
    """Ports open and close with the kernel's RCU grace periods expedited
    (most of a restart's gap otherwise, rcu_expedite.h), and the setting
    is put back: 0 once they are open and once they are closed; a setting
    of 1 that sluiced did not make is left alone; one left by a killed
    sluiced (its marker beside the state) is put back at the next start;
    --no-rcu-expedite never touches it."""
    wd = sltest.workdir("rcu")
    marker = os.path.join(wd, "state.json.rcu-expedited")
    was = rcu_expedited()
    d = None
    try:
        set_rcu_expedited("0")
        d = Daemon(topology(), wd, args=["--log-level", "debug"])
        assert d.wait_log("RCU grace periods were expedited while ports opened"), d.log
        assert rcu_expedited() == "0" and not os.path.exists(marker)
        stop(d)
        assert d.log.count("RCU grace periods were expedited") == 2, d.log
        assert rcu_expedited() == "0" and not os.path.exists(marker)
        # the operator's 1 stays 1
        set_rcu_expedited("1")
        d = Daemon(None, wd, args=["--log-level", "debug"])
        stop(d)
        assert "RCU grace periods were expedited" not in d.log, d.log
        assert rcu_expedited() == "1"
        # a killed sluiced's 1 is put back
        open(marker, "w").close()
        d = Daemon(None, wd)
        assert d.wait_log(r"rcu_expedited set back to 0: the last sluiced was stopped"), d.log
        assert rcu_expedited() == "0" and not os.path.exists(marker)
        stop(d)
        # asked not to
        d = Daemon(None, wd, args=["--no-rcu-expedite", "--log-level", "debug"])
        stop(d)
        assert "RCU grace periods were expedited" not in d.log, d.log
    finally:
        if d:
            d.kill()
        set_rcu_expedited(was)


if __name__ == "__main__":
    sltest.quiet_netns()
    for i in (1, 2, 3):
        sltest.veth(f"sl{i}", f"t{i}")
    sltest.run([test_fdb_and_counters_kept, test_rcu_expedited_for_ports_only])
