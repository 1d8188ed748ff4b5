"""Packet capture (sluicectl capture) through the real daemon: the pcapng
files are read by tshark, never by sluice. Frames sent by scapy through
af_packet and af_xdp PIFs are found in the right file and direction, and
nowhere else; filters are libpcap's; a vhost-user VIF's guest frames; four
captures at once; file=- streamed into tshark; capture-stop, a killed
sluicectl; bad arguments; and a full-rate pcap replay where a capture may
lose copies but the switch loses no frame."""
import os
import signal
import subprocess
import time

from scapy.all import IP, UDP, Ether, Raw, sendp, wrpcap

import sltest
from sltest import Daemon, Topology, port_stats
from test_vhost import Guest

M1, M2 = "02:00:00:00:01:01", "02:00:00:00:01:02"
VM_MAC, HOST_MAC = "02:00:00:00:0b:01", "02:00:00:00:0c:01"
SINK = "02:00:00:00:0d:01"
TRACEGEN = os.environ.get("SL_TRACEGEN", "sluice-tracegen")
IN, OUT = 1, 2	# pcapng's EPB direction flags, as tshark shows them


def frame(src, dst, payload, dport=2):
    return (Ether(src=src, dst=dst) / IP(src="10.1.0.1", dst="10.1.0.2") /
            UDP(sport=1, dport=dport) / Raw(payload))


def tshark(path, *args):
    """tshark's reading of a pcapng file: a list of (direction, payload)."""
    out = sltest.sh(f"tshark -r {path} -T fields -e frame.packet_flags_direction "
                    f"-e data.data {' '.join(args)} 2>/dev/null")
    return parse_fields(out)


def parse_fields(out):
    rows = []
    for line in out.splitlines():
        flags, _, data = line.partition("\t")
        rows.append((int(flags, 16) & 3 if flags else 0, bytes.fromhex(data)))
    return rows


class Run:
    """sluicectl capture in the background: its summary is on stderr."""

    def __init__(self, d, *args):
        self.proc = subprocess.Popen([sltest.SLUICECTL, "--socket", d.socket, "capture", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.id = None
        line = self.proc.stderr.readline()
        assert line.startswith("capture "), line + self.proc.stderr.read()
        self.id = line.split()[1]

    def wait(self, timeout=30):
        _, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, err


def capture_of(d, cid):
    return d.json("capture-show", f"id={cid}")


def wait_state(d, cid, state, timeout=15):
    sltest.wait_for(lambda: capture_of(d, cid)["state"] == state,
                    f"capture {cid} {state}", timeout)
    return capture_of(d, cid)


def veth_topology():
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth1", "net_af_packet,iface=sl1", net)
    topo.pif("eth2", "net_af_xdp,iface=sl2,start_queue=0,queue_count=1", net)
    return topo


def test_directions_filters_four_at_once():
    """Four captures at once on an af_packet and an af_xdp PIF: each file
    holds exactly the frames that went through its port in its direction,
    and those its filter takes."""
    wd = sltest.workdir("capture")
    d = Daemon(veth_topology(), wd)
    files = {k: os.path.join(wd, f"{k}.pcapng") for k in ("in1", "out1", "xdp", "filt")}
    runs = {}
    try:
        runs["in1"] = Run(d, "port=eth1", "direction=in", f"file={files['in1']}")
        runs["out1"] = Run(d, "port=eth1", "direction=out", f"file={files['out1']}")
        runs["xdp"] = Run(d, "eth2", f"file={files['xdp']}")
        runs["filt"] = Run(d, "port=eth1", "filter=udp dst port 40007",
                           f"file={files['filt']}")
        listed = d.json("capture-list")
        assert sorted(c["state"] for c in listed) == ["running"] * 4, listed
        # t1 → eth1 in → flooded to eth2 out (M2 unknown); t2 → eth2 in →
        # eth1 out (M1 learned)
        ins = [b"t1-to-t2-%d" % i for i in range(12)]
        outs = [b"t2-to-t1-%d" % i for i in range(9)]
        for p in ins:
            sendp(frame(M1, M2, p), iface="t1", verbose=False)
        for i, p in enumerate(outs):
            sendp(frame(M2, M1, p, dport=40007 if i % 3 == 0 else 2), iface="t2", verbose=False)
        sltest.wait_for(lambda: capture_of(d, runs["in1"].id)["packets"] == len(ins) and
                        capture_of(d, runs["out1"].id)["packets"] == len(outs),
                        "the frames in the captures")
        time.sleep(sltest.SETTLE)
        for r in runs.values():
            d.ctl("capture-stop", f"id={r.id}")
        for k, r in runs.items():
            rc, err = r.wait()
            assert rc == 0, (k, err)
            assert "packets written" in err and "stopped" in err, err
    finally:
        for r in runs.values():
            if r.proc.poll() is None:
                r.proc.kill()
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]
    assert tshark(files["in1"]) == [(IN, p) for p in ins]
    assert tshark(files["out1"]) == [(OUT, p) for p in outs], tshark(files["out1"])
    xdp = tshark(files["xdp"])
    assert sorted(xdp) == sorted([(OUT, p) for p in ins] + [(IN, p) for p in outs]), xdp
    assert tshark(files["filt"]) == [(OUT, p) for i, p in enumerate(outs) if i % 3 == 0]
    # the same filter applied by tshark to the unfiltered file agrees
    assert tshark(files["out1"], "-Y", "'udp.dstport == 40007'") == tshark(files["filt"])
    # each file names the device in its section header
    info = sltest.sh(f"capinfos {files['xdp']}")
    assert "device eth2 is interface" in info, info


def test_vhost_vif():
    """A vhost-user VIF: the guest's frames as the switch received them."""
    wd = sltest.workdir("capture-vhost")
    sock = os.path.join(wd, "vm1.sock")
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth1", "net_af_packet,iface=sl1", net)
    topo.vif("vm1", f"net_vhost,iface={sock}", VM_MAC, net)
    d = Daemon(topo, wd)
    path = os.path.join(wd, "vm1.pcapng")
    trace = os.path.join(wd, "guest.pcap")
    sent = [b"guest-%d" % i for i in range(15)]
    wrpcap(trace, [frame(VM_MAC, HOST_MAC, p) for p in sent])
    run = Run(d, "port=vm1", "direction=in", f"count={len(sent)}", f"file={path}")
    guest = Guest(sock, wd, "a", send=trace)
    try:
        guest.wait_line("vm-peer: sent")
        rc, err = run.wait()
        assert rc == 0 and "count reached" in err, err
    finally:
        if run.proc.poll() is None:
            run.proc.kill()
        guest.stop()
        code, _ = d.stop()
    assert code == 0, d.log
    assert tshark(path) == [(IN, p) for p in sent]


def test_live_pipe_and_killed_client():
    """file=- into tshark -r - as it runs, past the control socket's idle
    timeout (its sluicectl asks capture-show: never idle); a killed
    sluicectl's capture ends with its connection."""
    wd = sltest.workdir("capture-pipe")
    d = Daemon(veth_topology(), wd, args=["--socket-idle-timeout", "1"])
    try:
        pipe = subprocess.Popen(
            f"{sltest.SLUICECTL} --socket {d.socket} capture port=eth1 direction=in count=5 file=- "
            f"| tshark -r - -T fields -e frame.packet_flags_direction -e data.data 2>/dev/null",
            shell=True, stdout=subprocess.PIPE, text=True)
        sltest.wait_for(lambda: any(c["state"] == "running" for c in d.json("capture-list")),
                        "the piped capture running")
        time.sleep(2.5)	# the capture outlives two idle timeouts
        for i in range(8):
            sendp(frame(M1, M2, b"piped-%d" % i), iface="t1", verbose=False)
        out, _ = pipe.communicate(timeout=30)
        assert pipe.returncode == 0
        assert parse_fields(out) == [(IN, b"piped-%d" % i) for i in range(5)], out
        assert d.json("status")["control-idle-closed"] == 0

        path = os.path.join(wd, "killed.pcapng")
        run = Run(d, "port=eth2", f"file={path}")
        assert capture_of(d, run.id)["state"] == "running"
        run.proc.send_signal(signal.SIGKILL)
        run.proc.wait()
        rec = wait_state(d, run.id, "done")
        assert rec["reason"] == "client gone", rec
        # the file is whole: its closing statistics block is there
        assert "Number of stat entries = 1" in sltest.sh(f"capinfos {path}")
    finally:
        code, _ = d.stop()
    assert code == 0, d.log


def test_bad_input():
    wd = sltest.workdir("capture-bad")
    d = Daemon(veth_topology(), wd)
    out = os.path.join(wd, "x.pcapng")
    try:
        d.expect_error(["capture", "port=eth1", "filter=udp and", f"file={out}"], 1045,
                       "CAPTURE_FILTER_INVALID", "filter: 'udp and': ")
        # libpcap's own words
        _, _, err = d.ctl("capture", "port=eth1", "filter=tcp port fifty", f"file={out}",
                          check=False)
        assert "port fifty" in err or "unknown port" in err or "syntax" in err, err
        d.expect_error(["capture", "port=nope", f"file={out}"], 1003, "HANDLE_INVALID",
                       "port: no PIF or VIF has device 'nope'")
        d.expect_error(["capture", "port=eth1", "direction=sideways", f"file={out}"], 1000,
                       "INVALID_VALUE", "direction: 'sideways' is not in, out or both")
        d.expect_error(["capture", "port=eth1", "count=0", f"file={out}"], 1000,
                       "INVALID_VALUE", "count: '0' is not a whole number")
        d.expect_error(["capture", "port=eth1", "snaplen=10", f"file={out}"], 1000,
                       "INVALID_VALUE", "snaplen: '10' is not a whole number in 64..65535")
        d.expect_error(["capture-stop", "id=99"], 1046, "CAPTURE_UNKNOWN",
                       "id: no capture has id 99")
        rc, _, err = d.ctl("capture", "port=eth1", f"file={wd}/no/such/dir/x.pcapng",
                           check=False)
        assert rc == 1 and "cannot open" in err, err
        # eight at once, the ninth refused
        runs = [Run(d, "port=eth1", "file=/dev/null") for _ in range(8)]
        d.expect_error(["capture", "port=eth2", f"file={out}"], 1009, "LIMIT_REACHED",
                       "8 captures are running already")
        for r in runs:
            r.proc.send_signal(signal.SIGINT)
        for r in runs:
            rc, err = r.wait()
            assert rc == 0 and "stopped" in err, err
        assert all(c["state"] == "done" for c in d.json("capture-list"))
    finally:
        code, _ = d.stop()
    assert code == 0, d.log


def replay(wd, trace, n, capture):
    """The trace through a pcap PIF at full rate to a null VIF; the final
    counters, and the capture's record (or None)."""
    topo = Topology()
    net = topo.network("xenbr0")
    topo.vif("sink", "net_null,no-rx=1", SINK, net)
    d = Daemon(topo, wd)
    rec = None
    try:
        path = os.path.join(wd, "sink.pcapng")
        run = Run(d, "port=sink", "direction=out", f"file={path}") if capture else None
        pif = d.uuid("pif-introduce", "device=eth0", f"network-uuid={net}",
                     f"devargs=net_pcap,rx_pcap={trace}")
        d.ctl("pif-plug", f"uuid={pif}")
        sltest.wait_for(lambda: port_stats(d.stats(), "eth0")["rx-packets"] == n,
                        "the trace replayed", 60)
        if run:
            d.ctl("capture-stop", f"id={run.id}")
            rc, err = run.wait(60)
            assert rc == 0, err
            rec = capture_of(d, run.id)
            rec["in-file"] = int(sltest.sh(f"tshark -r {path} 2>/dev/null | wc -l"))
    finally:
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]
    return final, rec


def test_full_rate_replay():
    """A capture under a full-rate replay loses copies, never frames."""
    wd = sltest.workdir("capture-replay")
    n = 100000
    trace = os.path.join(wd, "trace.pcap")
    sltest.sh(f"{TRACEGEN} --out {trace} --count {n} --flows 64 --src-macs 16 "
              f"--dst-mac {SINK} --seed 7")
    os.makedirs(os.path.join(wd, "plain"))
    os.makedirs(os.path.join(wd, "captured"))
    plain, _ = replay(os.path.join(wd, "plain"), trace, n, False)
    captured, rec = replay(os.path.join(wd, "captured"), trace, n, True)
    for name in ("eth0", "sink"):
        a, b = port_stats(plain, name), port_stats(captured, name)
        for k in ("rx-packets", "tx-packets", "rx-dropped", "tx-dropped"):
            assert a[k] == b[k], (name, k, a[k], b[k])
    assert port_stats(captured, "sink")["tx-packets"] == n
    assert rec["seen"] == n, rec
    assert rec["copied"] + rec["dropped"] == rec["seen"], rec
    # every copy queued reached the file: what was lost was counted
    assert rec["in-file"] == rec["packets"] == rec["copied"], rec
    print(f"     replay: {n} frames, {rec['copied']} copied, {rec['dropped']} copies dropped")


if __name__ == "__main__":
    sltest.quiet_netns()
    sltest.veth("sl1", "t1")
    sltest.veth("sl2", "t2")
    sltest.run([test_directions_filters_four_at_once, test_vhost_vif,
                test_live_pipe_and_killed_client, test_bad_input, test_full_rate_replay])
