"""The daemon's life: clean stops under load (SIGINT, SIGTERM, --duration)
with every packet buffer back in its pool; a broken state file stops
start-up with a clear message and is left untouched; bad options; a port
that cannot attach does not take the others down."""
import json
import os
import socket
import signal
import subprocess
import time

from scapy.all import IP, UDP, Ether, Raw, wrpcap

import sltest
from sltest import SLUICED, Daemon, Topology, port_stats

NET = "11111111-1111-4111-8111-111111111111"


def loaded_topology(wd):
    """One port replaying a trace forever into two sinks: always busy."""
    frames = [Ether(src="02:aa:00:00:00:01", dst="ff:ff:ff:ff:ff:ff") / IP() /
              UDP() / Raw(b"x" * 64) for _ in range(64)]
    wrpcap(f"{wd}/loop.pcap", frames)
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth0", f"net_pcap,rx_pcap={wd}/loop.pcap,infinite_rx=1", net)
    topo.vif("sink1", "net_null,no-rx=1", "02:00:00:00:00:01", net)
    topo.vif("sink2", "net_null,no-rx=1", "02:00:00:00:00:02", net)
    return topo


def stop_under_load(sig, workers=1):
    wd = sltest.workdir("stop")
    d = Daemon(loaded_topology(wd), wd, workers=workers)
    deadline = time.time() + 10
    while port_stats(d.stats(), "eth0")["rx-packets"] < 10000:
        assert time.time() < deadline, "no traffic"
        time.sleep(0.1)
    code, final = d.stop(sig)
    assert code == 0, d.log
    mb = final["mbufs"]
    assert mb["all-returned"] and mb["available"] == mb["pool-size"], mb
    assert "sluiced final counters:" in d.out
    # flooded to both sinks: what came in went out twice
    rx = port_stats(final, "eth0")["rx-packets"]
    tx = port_stats(final, "sink1")["tx-packets"] + port_stats(final, "sink2")["tx-packets"]
    assert tx == 2 * rx, (rx, tx)


def test_sigterm_under_load():
    stop_under_load(signal.SIGTERM)


def test_sigint_under_load_two_workers():
    stop_under_load(signal.SIGINT, workers=2)


def test_duration_stops_by_itself():
    wd = sltest.workdir("duration")
    d = Daemon(loaded_topology(wd), wd, args=["--duration", "1"])
    d.proc.wait(timeout=30)
    assert d.proc.returncode == 0, d.log
    assert d.wait_log("ran for 1 s as asked"), d.log


def start_fails(state_text, *expect):
    """sluiced must refuse this state file, say why, and leave it alone."""
    wd = sltest.workdir("badstate")
    path = os.path.join(wd, "state.json")
    with open(path, "w") as f:
        f.write(state_text)
    before = os.stat(path)
    r = subprocess.run([SLUICED, "--state", path, "--socket", f"{wd}/s.sock"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1, (r.returncode, r.stderr)
    for e in expect:
        assert e in r.stderr, (e, r.stderr)
    after = os.stat(path)
    assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)
    with open(path) as f:
        assert f.read() == state_text


def state(**parts):
    base = {"sluice-state": 1,
            "networks": [{"uuid": NET, "bridge": "xenbr0"}]}
    base.update(parts)
    return json.dumps(base)


def test_broken_state_files():
    start_fails('{"sluice-state": 1, "networks": [', "is not valid JSON (line 1")
    start_fails(json.dumps({"sluice-state": 2}), "format version 2 is not 1")
    start_fails(json.dumps({"networks": []}), "sluice-state")
    start_fails(state(pifs=[{"uuid": "22222222-2222-4222-8222-222222222222",
                             "device": "eth0", "devargs": "net_null",
                             "network-uuid": "33333333-3333-4333-8333-333333333333"}]),
                "pifs[0]", "no network has uuid 33333333")
    start_fails(state(vifs=[{"uuid": "22222222-2222-4222-8222-222222222222",
                             "device": "vif1", "devargs": "net_null",
                             "network-uuid": NET, "MAC": "02:00:00:00:00"}]),
                "vifs[0]", "'02:00:00:00:00' is not a MAC address")
    start_fails(state(pifs=[{"uuid": "22222222-2222-4222-8222-222222222222",
                             "device": "eth0", "devargs": "net_null",
                             "network-uuid": NET, "colour": "blue"}]),
                "pifs[0]", "colour")
    start_fails(state(pifs=[{"uuid": "22222222-2222-4222-8222-22222222222%d" % i,
                             "device": "eth0", "devargs": "net_null",
                             "network-uuid": NET} for i in range(2)]),
                "pifs[1]", "device eth0 already exists")
    start_fails(state(networks=[{"uuid": NET, "bridge": "xenbr0", "MTU": 20000}]),
                "networks[0]", "MTU: 20000 is outside 68..9216")
    start_fails(state(settings={"fdb-aging-time": 0}), "fdb-aging-time 0")


def test_bad_options():
    for args, text in [(["--workers", "0"], "--workers: '0'"),
                       (["--workers", "many"], "--workers: 'many'"),
                       (["--log-level", "loud"], "--log-level: 'loud'"),
                       (["--duration", "-1"], "--duration"),
                       (["--frobnicate"], "unknown or incomplete option"),
                       (["stray"], "unexpected argument 'stray'")]:
        r = subprocess.run([SLUICED, *args], capture_output=True, text=True, timeout=30)
        assert r.returncode == 2, (args, r.returncode, r.stderr)
        assert text in r.stderr, (args, r.stderr)
    r = subprocess.run([SLUICED, "--help"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and "--state PATH" in r.stdout


def test_missing_state_file_starts_empty():
    wd = sltest.workdir("nostate")
    d = Daemon(None, wd)
    try:
        assert d.wait_log("no state file"), d.log
        assert d.stats()["ports"] == []
    finally:
        code, _ = d.stop()
    assert code == 0, d.log


def test_failed_port_does_not_stop_the_others():
    wd = sltest.workdir("badport")
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth0", "net_af_packet,iface=does-not-exist", net)
    topo.pif("eth1", f"net_pcap,rx_pcap={wd}/missing.pcap", net)
    topo.vif("ok", "net_null,no-rx=1", "02:00:00:00:00:01", net)
    # the two bad ports are logged as errors, and their count as a warning
    d = Daemon(topo, wd, allow=[r"err sluiced: PIF eth[01] cannot be attached: ",
                                r"warning sluiced: 2 port\(s\) could not be attached"])
    try:
        st = d.stats()
        assert [p["device"] for p in st["ports"]] == ["ok"]
        why = {u["device"]: u["error"] for u in st["unattached"]}
        assert "network interface 'does-not-exist' does not exist" in why["eth0"], why
        assert "cannot read rx_pcap file" in why["eth1"], why
        assert d.wait_log("PIF eth0 cannot be attached"), d.log
    finally:
        code, _ = d.stop()
    assert code == 0, d.log


def test_stale_state_tmp_removed():
    """A state.json.tmp left by a crash mid-save, and a
    state.json.journal.tmp left by a crash while the journal restarted, are
    removed at start, with a log line each; the state file itself is what
    is loaded."""
    wd = sltest.workdir("staletmp")
    topo = Topology()
    topo.network("xenbr0")
    with open(os.path.join(wd, "state.json.tmp"), "w") as f:
        f.write('{"sluice-state": 1, "networks": [')	# cut short
    with open(os.path.join(wd, "state.json.journal.tmp"), "w") as f:
        f.write('{"sluice-journal": 1, "gen')	# cut short
    d = Daemon(topo, wd)
    try:
        for tmp in ("state.json.tmp", "state.json.journal.tmp"):
            assert d.wait_log("removed " + os.path.join(wd, tmp)), d.log
            assert not os.path.exists(os.path.join(wd, tmp))
        assert [n["bridge"] for n in d.json("network-list")] == ["xenbr0"]
    finally:
        code, _ = d.stop()
    assert code == 0, d.log


def test_second_daemon_on_a_socket_in_use():
    """A second sluiced on the socket of a running one says so and exits
    with an error status (it crashed once, exit 139, in its shut-down
    before anything had started); the first one goes on answering."""
    wd = sltest.workdir("twice")
    first = Daemon(None, wd)
    try:
        other = sltest.workdir("twice-other")
        r = subprocess.run([sltest.SLUICED, "--state", os.path.join(other, "state.json"),
                            "--socket", first.socket, "--workers", "1"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 1, (r.returncode, r.stderr)
        assert f"another sluiced is already listening on {first.socket}" in r.stderr, r.stderr
        assert first.stats()["ports"] == []
        assert os.path.exists(first.socket)
        # and the EAL runtime directory they share is still the first's
        prefix = first.json("status")["eal-file-prefix"]
        assert os.path.isdir(f"/var/run/dpdk/{prefix}"), prefix
    finally:
        code, _ = first.stop()
    assert code == 0, first.log


def test_eal_runtime_dir_removed():
    """The EAL's runtime directory goes at a clean exit (they piled up,
    one a run), and one a crashed daemon left goes at the next start, a
    crashed takeover's too."""
    wd = sltest.workdir("rundir")
    d = Daemon(None, wd)
    try:
        rundir = "/var/run/dpdk/" + d.json("status")["eal-file-prefix"]
        assert os.path.isdir(rundir), rundir
    finally:
        code, _ = d.stop()
    assert code == 0, d.log
    assert not os.path.exists(rundir), os.listdir(rundir)
    # as kill -9 leaves it: the directory and a socket nobody answers on;
    # and the same of a sluiced --takeover (a prefix of its own)
    took = rundir + "-takeover-99999"
    for path in (rundir, took):
        os.makedirs(path)
        dead = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        dead.bind(os.path.join(path, "dpdk_telemetry.v2"))
        dead.close()
    d = Daemon(None, wd)
    try:
        assert d.wait_log(f"removed {rundir}, left by a sluiced that did not exit cleanly"), d.log
        assert d.wait_log("removed 1 EAL runtime directory of sluiced --takeover"), d.log
        assert not os.path.exists(took)
        assert os.path.isdir(rundir)	# the EAL's own, made again
    finally:
        code, _ = d.stop()
    assert code == 0, d.log
    assert not os.path.exists(rundir)


if __name__ == "__main__":
    sltest.run([test_sigterm_under_load, test_sigint_under_load_two_workers,
                test_duration_stops_by_itself, test_broken_state_files,
                test_bad_options, test_missing_state_file_starts_empty,
                test_failed_port_does_not_stop_the_others,
                test_stale_state_tmp_removed, test_second_daemon_on_a_socket_in_use,
                test_eal_runtime_dir_removed])
