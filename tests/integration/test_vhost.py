"""A VIF as a guest sees it: a vhost-user port of sluiced with a virtio-user
peer process (tests/peers/vm_peer.c) playing the VM, exchanging frames with a
host behind an af_packet port. Both vhost-user modes: sluiced as the server,
and sluiced as the client that reconnects when the guest comes back."""
import os
import signal
import subprocess
import time

from scapy.all import IP, UDP, Ether, Raw, rdpcap, sendp, wrpcap

import sltest
from sltest import SETTLE, Capture, Daemon, Topology, port_stats, tagged

VM_PEER = os.environ.get("SL_VM_PEER", "sl-vm-peer")
VM_MAC = "02:00:00:00:0b:01"
HOST_MAC = "02:00:00:00:0c:01"
N = 20


class Guest:
    """A running sl-vm-peer."""

    def __init__(self, sock, workdir, name, server=False, send=None):
        self.recv = os.path.join(workdir, f"{name}-recv.pcap")
        vdev = f"net_virtio_user0,path={sock},mac={VM_MAC}"
        if server:
            vdev += ",server=1"
        cmd = [VM_PEER, "--vdev", vdev, "--recv", self.recv,
               "--prefix", f"vm-{name}-{os.getpid()}"]
        if send:
            cmd += ["--send", send]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines = []

    def wait_line(self, prefix, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            if line.startswith(prefix):
                return line.strip()
        raise AssertionError(f"guest never said {prefix!r}: {''.join(self.lines)}")

    def received(self, pred):
        if not os.path.exists(self.recv) or os.path.getsize(self.recv) < 24:
            return []
        return [p for p in rdpcap(self.recv) if pred(p)]

    def wait_received(self, pred, count, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = self.received(pred)
            if len(got) >= count:
                return got
            time.sleep(0.05)
        return self.received(pred)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=20)
        return self.proc.returncode


def guest_trace(path, tag):
    frames = [Ether(src=VM_MAC, dst=HOST_MAC) / IP(src="10.2.0.2", dst="10.2.0.1") /
              UDP(sport=1000 + i, dport=7) / Raw(tag + b"-%d" % i) for i in range(N)]
    frames.append(Ether(src=VM_MAC, dst="ff:ff:ff:ff:ff:ff") / Raw(tag + b"-bcast"))
    wrpcap(path, frames)


def exchange(guest, cap, tag):
    """Frames both ways between the guest and the host behind t1."""
    got = cap.wait_for("t1", tagged(tag + b"-"), count=N + 1)
    time.sleep(SETTLE)
    got = cap.matching("t1", tagged(tag + b"-"))
    assert len(got) == N + 1, f"host got {len(got)} of the guest's {N + 1} frames"
    for i in range(N):
        assert any(raw_has(f, tag + b"-%d" % i) for f in got), f"frame {i} missing"
    reply = tag + b"-reply"
    for i in range(N):
        sendp(Ether(src=HOST_MAC, dst=VM_MAC) / IP(src="10.2.0.1", dst="10.2.0.2") /
              UDP(sport=7, dport=1000 + i) / Raw(reply + b"-%d" % i),
              iface="t1", verbose=False)
    rx = guest.wait_received(lambda p: reply in bytes(p), N)
    assert len(rx) == N, f"guest got {len(rx)} of the host's {N} frames"
    assert all(p.src == HOST_MAC and p.dst == VM_MAC for p in rx)


def raw_has(frame, payload):
    return payload in bytes(frame)


def topology(sock, client):
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth1", "net_af_packet,iface=sl1", net)
    args = f"net_vhost,iface={sock}" + (",client=1" if client else "")
    topo.vif("vm1", args, VM_MAC, net)
    return topo


def test_sluiced_is_the_server():
    wd = sltest.workdir("vhost-server")
    sock = os.path.join(wd, "vm1.sock")
    d = Daemon(topology(sock, client=False), wd)
    cap = Capture(["t1"])
    trace = os.path.join(wd, "guest.pcap")
    guest_trace(trace, b"srv")
    guest = Guest(sock, wd, "a", send=trace)
    try:
        guest.wait_line("vm-peer: sent")
        exchange(guest, cap, b"srv")
        st = d.stats()
        vm = port_stats(st, "vm1")
        assert vm["kind"] == "vhost-user" and vm["link"] == "up", vm
        assert vm["rx-packets"] == N + 1 and vm["tx-packets"] == N, vm
    finally:
        cap.close()
        assert guest.stop() == 0, "".join(guest.lines)
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


def test_sluiced_client_reconnects():
    wd = sltest.workdir("vhost-client")
    sock = os.path.join(wd, "vm1.sock")
    # sluiced starts first and keeps trying; the guest's QEMU is the server
    d = Daemon(topology(sock, client=True), wd,
               # DPDK's vhost library says so at every try while the guest
               # is not there
               allow=[r"warning VHOST_CONFIG: \(\S+/vm1\.sock\) failed to connect: "
                      r"No such file or directory"])
    cap = Capture(["t1"])
    try:
        for n, tag in enumerate([b"first-boot", b"reboot"]):
            trace = os.path.join(wd, f"guest{n}.pcap")
            guest_trace(trace, tag)
            guest = Guest(sock, wd, f"g{n}", server=True, send=trace)
            try:
                guest.wait_line("vm-peer: sent")
                exchange(guest, cap, tag)
            finally:
                assert guest.stop() == 0, "".join(guest.lines)
            if n == 0:
                # the guest is gone: the port goes down, sluiced stays up
                deadline = time.time() + 10
                while port_stats(d.stats(), "vm1")["link"] != "down":
                    assert time.time() < deadline, "vhost link stayed up"
                    time.sleep(0.2)
    finally:
        cap.close()
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


if __name__ == "__main__":
    sltest.quiet_netns()
    sltest.veth("sl1", "t1")
    sltest.run([test_sluiced_is_the_server, test_sluiced_client_reconnects])
