"""Faults, each with the real daemon and a bounded time.

Around the state's persistence: sluiced killed (-9) at random moments while
a client changes rules and networks, N rounds: after each restart every
acknowledged change is there and nothing acknowledged as deleted comes
back; the state directory full (ENOSPC, a tiny tmpfs in the test's own
mount namespace): the change answers STATE_NOT_SAVED, stays in force, and
is saved by the next change once there is room; a clean stop compacts the
journal, and state-export gives the same state.

In the datapath: a MAC flood against a small FDB (bounded, static VIF MACs
still delivered exactly once, RSS flat); malformed frames mixed with good
ones, on the wire and in VXLAN (every frame in is dropped under a reason or
delivered, and the reasons add up to the ports' drops); 1,000 rule updates
under traffic (a flow a rule that never changes denies is never delivered,
an allowed one never lost); the packet pool exhausted by floods (counted,
recovered, every buffer back at exit); a vhost-user guest that stops
reading (its drops counted, the other ports unaffected)."""
import json
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

from scapy.all import IP, UDP, Dot1Q, Ether, Raw, sendp, wrpcap

import sltest
import test_pcap
import test_tunnel
from sltest import SETTLE, Capture, Daemon, Topology, port_stats, tagged

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


# The datapath's faults. Ports on veth pairs: sluiced's end slN, the
# test's tN.
TRACEGEN = os.environ.get("SL_TRACEGEN", "sluice-tracegen")
EXT = "02:aa:00:00:00:01"
V1, V2 = "02:00:00:00:00:11", "02:00:00:00:00:12"
BCAST = "ff:ff:ff:ff:ff:ff"


def tracegen(path, *args):
    subprocess.run([TRACEGEN, "--out", path, *args], check=True)


def udp(src, dst, tag, sip="10.0.0.9", dip="10.0.0.1", sport=40000, dport=40001):
    return bytes(Ether(src=src, dst=dst) / IP(src=sip, dst=dip) /
                 UDP(sport=sport, dport=dport) / Raw(tag))


def wire(iface):
    """A raw socket on iface: scapy's sendp per frame is too slow for a
    flood."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    return s


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def wait_rx(d, device, n, timeout=60):
    """Wait until the port has taken n frames (the kernel's own drops on
    the way, rx-missed, count as taken: they never reach the switch)."""
    def taken():
        p = port_stats(d.stats(), device)
        return p["rx-packets"] + p["rx-missed"]
    sltest.wait_for(lambda: taken() >= n, f"{device} to take {n} frames", timeout)


def pcap_count(path):
    """Frames in a pcap file, read from its record headers (not sluice's
    reader, not scapy's: they are too slow for 100,000 frames)."""
    n = 0
    with open(path, "rb") as f:
        f.read(24)
        while True:
            h = f.read(16)
            if len(h) < 16:
                return n
            f.seek(struct.unpack("<IIII", h)[2], 1)
            n += 1


FDB_MAX = 1024
WARMUP, FLOOD = 20000, 100000


def test_mac_flood():
    """100,000 frames from as many random source MACs against an FDB of
    1,024 entries, replayed at full rate by a pcap port (veths would lose
    frames in the kernel's backlog before the switch saw them). Half go to
    a VIF writing a pcap file, half to a null VIF: both static entries, so
    nothing is flooded. The FDB stays at its bound, every frame to the VIF
    arrives once, and the daemon's memory does not grow with the flood: it
    is measured after a warm-up of 20,000 frames (the FDB full, the worker
    busy) on one port and again after the flood on a port plugged then."""
    wd = sltest.workdir("faults-flood")
    tracegen(f"{wd}/warmup.pcap", "--count", str(WARMUP), "--src-macs", str(WARMUP),
             "--src-mac", "02:5a:00:00:00:00", "--dst-mac", f"{V1},{V2}", "--seed", "1")
    tracegen(f"{wd}/flood.pcap", "--count", str(FLOOD), "--src-macs", str(FLOOD),
             "--src-mac", "02:5b:00:00:00:00", "--dst-mac", f"{V1},{V2}", "--seed", "2")
    topo = Topology(**{"fdb-max-entries": FDB_MAX})
    net = topo.network("xenbr0")
    topo.pif("eth0", f"net_pcap,rx_pcap={wd}/warmup.pcap", net)
    topo.vif("vif1", f"net_pcap,tx_pcap={wd}/v1.pcap", V1, net)
    topo.vif("sink", "net_null,no-rx=1", V2, net)
    d = Daemon(topo, wd)
    try:
        wait_rx(d, "eth0", WARMUP)
        st = d.stats()
        full0, rss0 = st["fdb"]["full"], rss_kib(d.proc.pid)
        assert st["fdb"]["entries"] <= FDB_MAX and full0 > 0, st["fdb"]
        eth1 = d.uuid("pif-introduce", "device=eth1",
                      f"devargs=net_pcap,rx_pcap={wd}/flood.pcap", f"network-uuid={net}")
        d.ctl("pif-plug", f"uuid={eth1}")
        wait_rx(d, "eth1", FLOOD)
        sltest.wait_for(lambda: port_stats(d.stats(), "vif1")["tx-packets"] >=
                        (WARMUP + FLOOD) // 2, "the frames to vif1")
        st = d.stats()
        rss1 = rss_kib(d.proc.pid)
        fdb = st["fdb"]
        entries = d.json("fdb-show")
        assert len(entries) <= FDB_MAX and fdb["entries"] <= FDB_MAX, (len(entries), fdb)
        assert fdb["full"] > full0 + FLOOD // 2, fdb
        # 100,000 entries' worth of memory would be several MiB; a bounded
        # FDB adds none (8 MiB of slack for the allocator's own moods)
        assert rss1 - rss0 < 8192, (rss0, rss1)
        print(f"     fdb {fdb}, RSS {rss0} -> {rss1} KiB", flush=True)
    finally:
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]
    # every other frame of both traces was for vif1: each there once,
    # nothing else there, nothing flooded anywhere
    assert pcap_count(f"{wd}/v1.pcap") == (WARMUP + FLOOD) // 2
    for dev in ("vif1", "sink"):
        p = port_stats(final, dev)
        assert p["tx-packets"] == (WARMUP + FLOOD) // 2 and p["tx-dropped"] == 0, p
    assert sum(final["drops"].values()) == 0, final["drops"]


def bad_frames():
    """(reason, frame) for malformed L2 and IPv4 on an untagged port: the
    parse drops test_pcap checks one by one, and VLAN stacks."""
    good = udp(EXT, V1, b"vlan")
    stacks = [
        ("vlan_truncated", bytes(Ether(src=EXT, dst=V1, type=0x8100)) + b"\x00"),
        ("vlan_too_deep", bytes(Ether(src=EXT, dst=V1) / Dot1Q(vlan=1) / Dot1Q(vlan=2) /
                                Dot1Q(vlan=3) / IP())),
        ("vlan_service_tag", bytes(Ether(src=EXT, dst=V1, type=0x88a8) / Dot1Q(vlan=7) /
                                   IP())),
        ("vlan_unclaimed", good[:12] + b"\x81\x00\x00\x05" + good[12:]),
    ]
    return test_pcap.malformed() + stacks


def test_malformed_accounting():
    """100,000 frames from sluice-tracegen, a third malformed, on one port,
    and every malformation by name mixed with good frames on another. Good
    frames go to VIF MACs (one copy each). Every frame in is dropped under
    a reason or delivered (nothing here is punted: no tunnel endpoint, no
    LACP); the reasons add up to the ports' drops; the delivered frames
    are in the output pcaps."""
    wd = sltest.workdir("faults-malformed")
    up = os.path.join(wd, "up.pcap")
    tracegen(up, "--count", "100000", "--malformed", "33", "--dst-mac", f"{V1},{V2}",
             "--src-macs", "64", "--seed", "21")
    bad = bad_frames()
    mixed, want = [], {}
    for i in range(200):
        for reason, f in bad:
            mixed.append(f)
            want[reason] = want.get(reason, 0) + 1
        mixed.append(udp(EXT, V2, b"good-%d" % i))
    wrpcap(os.path.join(wd, "mixed.pcap"), [Raw(f) for f in mixed], linktype=1)
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth0", f"net_pcap,rx_pcap={up}", net)
    topo.pif("eth1", f"net_pcap,rx_pcap={wd}/mixed.pcap", net)
    topo.vif("vif1", f"net_pcap,tx_pcap={wd}/v1.pcap", V1, net)
    topo.vif("vif2", f"net_pcap,tx_pcap={wd}/v2.pcap", V2, net)
    n_in = pcap_count(up) + len(mixed)
    d = Daemon(topo, wd)
    try:
        def taken():
            st = d.stats()
            return sum(p["rx-packets"] for p in st["ports"]) >= n_in
        sltest.wait_for(taken, f"{n_in} frames taken", timeout=60)
        time.sleep(SETTLE)	# the last burst out
    finally:
        code, st = d.stop()
    assert code == 0, d.log
    assert st["mbufs"]["all-returned"], st["mbufs"]
    ports = st["ports"]
    rx = sum(p["rx-packets"] for p in ports)
    rx_dropped = sum(p["rx-dropped"] for p in ports)
    delivered = sum(p["tx-packets"] for p in ports)
    assert rx == n_in, (rx, n_in)
    assert rx == rx_dropped + delivered, (rx, rx_dropped, delivered)
    assert all(p["tx-dropped"] == 0 for p in ports), ports
    # the reasons add up to the ports' drops, reason by reason
    sltest.drops_add_up(st)
    # the hand-made port: each malformation under its own name
    assert port_stats(st, "eth1")["drops"] == want, (port_stats(st, "eth1")["drops"], want)
    # what was delivered is in the output files (counted by their headers)
    for dev, path in (("vif1", "v1.pcap"), ("vif2", "v2.pcap")):
        assert pcap_count(os.path.join(wd, path)) == port_stats(st, dev)["tx-packets"], dev
    assert port_stats(st, "eth0")["rx-dropped"] > 30000, port_stats(st, "eth0")


def test_rule_churn_under_traffic():
    """Two flows from the wire to a VIF, one denied by a rule that never
    changes, while 1,000 updates (add and delete) of other rules go on:
    the denied flow never arrives, the allowed one always does, at the
    VIF's capture. (test_rules' test_updates_under_traffic churns the rule
    that judges its flow; here the judging rules stay and the rest moves.)"""
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth1", "net_af_packet,iface=sl1", net)
    topo.vif("vif1", "net_af_packet,iface=sl2", V1, net)
    d = Daemon(topo, sltest.workdir("faults-churn"))
    cap = Capture(["t2"])
    for s in cap._socks.values():
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
    out = wire("t1")
    c = Client(d.socket)
    try:
        bridge = d.json("network-list")[0]["bridge"]
        deny = {"bridge": bridge, "mac": V1, "direction": "from", "protocol": "udp",
                "ipRange": "10.0.0.10", "port": "40000", "allow": "false"}
        assert "error" not in c.call("add-rule", deny)
        flows = {"allowed": "10.0.0.9", "denied": "10.0.0.10"}
        frame = lambda name, i: udp(EXT, V1, b"%s-%06d" % (name.encode(), i), sip=flows[name])
        going = threading.Event()
        going.set()
        sent = [0]

        def send():
            while going.is_set():
                out.send(frame("allowed", sent[0]))
                out.send(frame("denied", sent[0]))
                sent[0] += 1
                time.sleep(0.001)

        t = threading.Thread(target=send)
        t.start()
        try:
            # rules of every kind around the two flows, none matching them:
            # other addresses, other ports, the other direction, allow and
            # deny, higher and lower priorities
            for i in range(500):
                other = {"bridge": bridge, "mac": V1,
                         "direction": ("from", "to", "from/to")[i % 3],
                         "protocol": ("udp", "tcp")[i % 2],
                         "ipRange": f"172.16.{i % 256}.0/24", "port": str(1000 + i),
                         "allow": ("true", "false")[i % 2],
                         "priority": str(10 + i % 2000)}
                a = c.call("add-rule", other)
                assert a and "error" not in a, a
                a = c.call("del-rule", other)
                assert a and "error" not in a, a
        finally:
            going.clear()
            t.join()
        n = sent[0]
        name = lambda f: bytes(f[Raw].load).split(b"-")[0] if f.haslayer(Raw) else b""
        sltest.wait_for(lambda: len(cap.matching("t2", lambda f: name(f) == b"allowed")) >= n,
                        f"{n} allowed frames", timeout=30)
        time.sleep(SETTLE)
        allowed = {bytes(f[Raw].load) for f in cap.matching("t2", lambda f: name(f) == b"allowed")}
        denied = cap.matching("t2", lambda f: name(f) == b"denied")
        assert len(allowed) == n, f"allowed flow lost {n - len(allowed)} of {n}"
        assert not denied, f"denied flow delivered {len(denied)} times"
        st = d.json("stats")
        assert st["drops"]["rule_deny"] == n, (st["drops"], n)
        assert st["rules"]["updates"] >= 1000, st["rules"]
        assert n > 100, f"only {n} frames of each flow sent during the updates"
        print(f"     {n} frames of each flow through {st['rules']['updates']} updates",
              flush=True)
    finally:
        c.close()
        out.close()
        cap.close()
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


SINKS = 24	# with the three other ports, under the 32 DPDK takes


def test_pool_exhausted():
    """Broadcasts replayed at full rate into a network of 24 null ports
    with the smallest pool sluiced takes (--mbufs 1024): the copies run
    out, are counted as mbuf_exhausted, and once the burst is over a frame
    is delivered again, flooded or not; at exit every buffer is back."""
    wd = sltest.workdir("faults-pool")
    burst = os.path.join(wd, "bcast.pcap")
    tracegen(burst, "--count", "20000", "--broadcast", "100", "--seed", "4")
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth0", f"net_pcap,rx_pcap={burst}", net)
    topo.pif("eth1", "net_af_packet,iface=sl1", net)
    topo.vif("vif1", "net_af_packet,iface=sl2", V1, net)
    for i in range(SINKS):
        topo.vif(f"sink{i}", "net_null,no-rx=1", f"02:00:00:00:01:{i:02x}", net)
    d = Daemon(topo, wd, args=["--mbufs", "1024"])
    cap = Capture(["t2"])
    try:
        wait_rx(d, "eth0", 20000)
        st = d.stats()
        short = st["drops"].get("mbuf_exhausted", 0)
        assert short > 0, st["drops"]
        # charged to the ports that missed their copy, as tx drops
        assert sum(p["drops"].get("mbuf_exhausted", 0) for p in st["ports"]) == short
        pool = lambda: d.stats()["pool"]
        sltest.wait_for(lambda: pool()["in-use"] < pool()["size"], "buffers back")
        sendp(Ether(udp(EXT, V1, b"late-unicast")), iface="t1", verbose=False)
        sendp(Ether(udp(EXT, BCAST, b"late-bcast")), iface="t1", verbose=False)
        cap.expect_once(b"late-unicast", ["t2"], [])
        cap.expect_once(b"late-bcast", ["t2"], [])
        after = d.stats()
        assert after["drops"]["mbuf_exhausted"] == short, after["drops"]
        assert all(port_stats(after, f"sink{i}")["tx-packets"] > 0 for i in range(SINKS))
    finally:
        cap.close()
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


def test_guest_stops_reading():
    """A vhost-user guest frozen (SIGSTOP: its virtio rx ring is never
    drained) while frames for it and between two other ports flow: the
    others get every frame, the guest's port counts what it could not
    take as tx_queue_full, and the daemon keeps answering."""
    from test_vhost import VM_MAC, Guest
    wd = sltest.workdir("faults-stall")
    sock = os.path.join(wd, "vm1.sock")
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth1", "net_af_packet,iface=sl1", net)
    topo.vif("vif1", "net_af_packet,iface=sl2", V1, net)
    topo.vif("vm1", f"net_vhost,iface={sock}", VM_MAC, net)
    d = Daemon(topo, wd)
    cap = Capture(["t2"])
    for s in cap._socks.values():
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
    guest = Guest(sock, wd, "stalled")
    out = wire("t1")
    n = 2000	# many times the guest's ring of 256
    try:
        guest.wait_line("vm-peer: sent")
        sltest.wait_for(lambda: port_stats(d.stats(), "vm1")["link"] == "up", "vm1 up")
        guest.proc.send_signal(signal.SIGSTOP)
        for i in range(n):
            out.send(udp(EXT, VM_MAC, b"to-vm-%d" % i))
            out.send(udp(EXT, V1, b"to-v1-%d" % i))
            if i % 100 == 0:
                d.ctl("status")	# the control thread is not held up
                time.sleep(0.01)	# under the kernel's backlog of 1,000
        wait_rx(d, "eth1", 2 * n)
        sltest.wait_for(lambda: len(cap.matching("t2", tagged(b"to-v1-"))) >= n,
                        f"{n} frames on t2", timeout=30)
        time.sleep(SETTLE)
        got = {bytes(f[Raw].load) for f in cap.matching("t2", tagged(b"to-v1-"))}
        assert len(got) == n == len(cap.matching("t2", tagged(b"to-v1-"))), \
            (len(got), port_stats(d.stats(), "eth1"))
        st = d.stats()
        vm = port_stats(st, "vm1")
        full = vm["drops"].get("tx_queue_full", 0)
        assert full > 0, vm
        # what it could not take is all that is missing
        assert vm["tx-packets"] + full == n, vm
        assert port_stats(st, "eth1")["rx-dropped"] == 0, port_stats(st, "eth1")
    finally:
        out.close()
        cap.close()
        guest.proc.send_signal(signal.SIGCONT)
        assert guest.stop() == 0, "".join(guest.lines)
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


def test_malformed_tunnel_accounting():
    """VXLAN packets to a host's endpoint, good and malformed (the VXLAN
    header cut short, no I flag, the inner frame cut short, an unknown VNI,
    an unknown remote), sent from the remote's side of the transport link
    to test_tunnel's Host (sluiced in a namespace of its own): each
    malformed one dropped under its reason on the transport port, every
    good one decapsulated (counted again on the remote's port) and
    delivered to the guest once, and the reasons adding up to the ports'
    drops, the remote's port included."""
    guest = "02:00:00:00:78:01"
    h = test_tunnel.Host("F", "10.78.0.1", "k9")
    out = None
    try:
        net = h.private("p", "vxlan", 100, ["10.78.0.2"])
        h.guest("1", net, guest, "192.168.78.1")
        mac = port_stats(h.d.stats(), "eth0")["MAC"]
        inner = bytes(Ether(src="02:00:00:00:78:02", dst=guest) /
                      IP(src="192.168.78.2", dst="192.168.78.1") / UDP(sport=1, dport=2) /
                      Raw(b"inner"))

        def vxlan(payload, src="10.78.0.2", flags=0x08, vni=100, cut=8):
            head = struct.pack("!B3xI", flags, vni << 8)[:cut]
            return bytes(Ether(src="02:00:00:00:78:f2", dst=mac) /
                         IP(src=src, dst="10.78.0.1") /
                         UDP(sport=49152, dport=4789) / Raw(head + payload))
        bad = [
            ("tunnel_bad_header", vxlan(b"", cut=4)),
            ("tunnel_bad_header", vxlan(inner, flags=0)),
            ("tunnel_bad_header", vxlan(inner[:10])),
            ("tunnel_unknown_key", vxlan(inner, vni=999)),
            ("tunnel_unknown_remote", vxlan(inner, src="10.78.0.9")),
        ]
        out = wire("k9")
        want, good = {}, 0
        for _ in range(200):
            for reason, f in bad:
                out.send(f)
                want[reason] = want.get(reason, 0) + 1
            out.send(vxlan(inner))
            good += 1
            time.sleep(0.001)	# under the kernel's backlog
        wait_rx(h.d, "eth0", good + sum(want.values()))
        sltest.wait_for(lambda: port_stats(h.d.stats(), "vif1")["tx-packets"] >= good,
                        "the good packets to the guest")
        time.sleep(SETTLE)
        st = h.d.stats()
        eth0, vif1 = port_stats(st, "eth0"), port_stats(st, "vif1")
        remote = port_stats(st, "10.78.0.2")
        assert eth0["rx-missed"] == 0, eth0
        assert eth0["drops"] == want, (eth0["drops"], want)
        # in = dropped + decapsulated (nothing punted: no ARP, no ping)
        assert eth0["rx-packets"] == eth0["rx-dropped"] + remote["rx-packets"], (eth0, remote)
        assert remote["rx-packets"] == good == vif1["tx-packets"], (remote, vif1)
        sltest.drops_add_up(st)
    finally:
        if out:
            out.close()
        h.close()


if __name__ == "__main__":
    private_mounts()
    sltest.quiet_netns()
    for i in range(1, 4):
        sltest.veth(f"sl{i}", f"t{i}")
    sltest.run([test_kill_9_during_changes, test_state_directory_full,
                test_clean_stop_compacts_and_export, test_mac_flood,
                test_malformed_accounting, test_rule_churn_under_traffic,
                test_pool_exhausted, test_guest_stops_reading,
                test_malformed_tunnel_accounting])
