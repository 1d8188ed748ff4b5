"""A VIF as a guest sees it: a vhost-user port of sluiced with a virtio-user
peer process (tests/peers/vm_peer.c) playing the VM, exchanging frames with a
host behind an af_packet port. Both vhost-user modes: sluiced as the server,
and sluiced as the client that reconnects when the guest comes back."""
import os
import signal
import subprocess
import threading
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

    def __init__(self, sock, workdir, name, server=False, send=None,
                 until_link_down=False):
        self.recv = os.path.join(workdir, f"{name}-recv.pcap")
        vdev = f"net_virtio_user0,path={sock},mac={VM_MAC}"
        if server:
            vdev += ",server=1"
        cmd = [VM_PEER, "--vdev", vdev, "--recv", self.recv,
               "--prefix", f"vm-{name}-{os.getpid()}"]
        if send:
            cmd += ["--send", send]
        if until_link_down:
            cmd += ["--until-link-down"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.seen = 0		# lines wait_line has gone past
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def wait_line(self, prefix, timeout=30):
        """The next line (after those already waited for) that starts with
        prefix."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            while self.seen < len(self.lines):
                line = self.lines[self.seen]
                self.seen += 1
                if line.startswith(prefix):
                    return line.strip()
            if self.proc.poll() is not None and self.seen == len(self.lines):
                break
            time.sleep(0.02)
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


def exchange(guest, cap, tag, reply=None):
    """Frames both ways between the guest and the host behind t1: the
    guest's trace (tag) on t1 since cap began, the host's (reply) in the
    guest."""
    got = cap.wait_for("t1", tagged(tag + b"-"), count=N + 1)
    time.sleep(SETTLE)
    got = cap.matching("t1", tagged(tag + b"-"))
    assert len(got) == N + 1, f"host got {len(got)} of the guest's {N + 1} frames"
    for i in range(N):
        assert any(raw_has(f, tag + b"-%d" % i) for f in got), f"frame {i} missing"
    reply = reply or tag + b"-reply"
    for i in range(N):
        sendp(Ether(src=HOST_MAC, dst=VM_MAC) / IP(src="10.2.0.1", dst="10.2.0.2") /
              UDP(sport=7, dport=1000 + i) / Raw(reply + b"-%d" % i),
              iface="t1", verbose=False)
    rx = guest.wait_received(lambda p: reply in bytes(p), N)
    assert len(rx) == N, f"guest got {len(rx)} of the host's {N} frames"
    assert all(p.src == HOST_MAC and p.dst == VM_MAC for p in rx)


def stop_all(cap, guest, d):
    """The capture, the guest (which must exit 0) and sluiced: its exit
    code and final counters."""
    cap.close()
    assert guest.stop() == 0, "".join(guest.lines)
    return d.stop()


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
        code, final = stop_all(cap, guest, d)
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


def test_guest_reconnects_across_restart_and_takeover():
    """vhost-user client mode (ovs-vswitchd's dpdkvhostuserclient, QEMU
    the server): after a restart of sluiced, and after a takeover, the
    sluiced now running connects to the guest's socket and traffic flows
    both ways again. The guest's side is started again on the same socket
    path each time the switch goes (vm_peer.c says why: DPDK 22.11's
    virtio-user cannot take a switch back twice); QEMU keeps its socket."""
    wd = sltest.workdir("vhost-keep")
    sock = os.path.join(wd, "vm1.sock")
    trace = os.path.join(wd, "guest.pcap")
    guest_trace(trace, b"keep")
    # the guest's socket is not there at every try (or a guest going
    # away takes the connection first): the vhost library tries again
    retry = [r"warning VHOST_CONFIG: \(\S+/vm1\.sock\) failed to connect: "
             r"(No such file or directory|Connection refused)",
             r"err VHOST_CONFIG: \(\S+/vm1\.sock\) recvmsg failed on fd \d+ "
             r"\(Connection reset by peer\)",
             r"err VHOST_CONFIG: \(\S+/vm1\.sock\) vhost read message failed"]

    def boot(n):
        if os.path.exists(sock):	# the last one's, left by its _exit
            os.unlink(sock)
        return Guest(sock, wd, f"keep{n}", server=True, send=trace,
                     until_link_down=True)

    guest = boot(0)
    cap = Capture(["t1"])
    d = Daemon(topology(sock, client=True), wd, allow=retry)
    try:
        guest.wait_line("vm-peer: sent")
        exchange(guest, cap, b"keep", b"first-reply")
        cap.close()
        for n, phase in enumerate(("restart", "takeover"), 1):
            cap = Capture(["t1"])
            if phase == "restart":
                code, _ = d.stop()
                assert code == 0, d.log
            else:
                new = Daemon(None, wd, args=["--takeover"], allow=retry)
                assert d.proc.wait(timeout=60) == 0, d.log
                d.stop()
                d = new
            # the switch went: the guest heard it
            guest.wait_line("vm-peer: link down")
            assert guest.stop() == 0, "".join(guest.lines)
            guest = boot(n)
            if phase == "restart":
                d = Daemon(None, wd, allow=retry)
            guest.wait_line("vm-peer: sent")
            exchange(guest, cap, b"keep", phase.encode() + b"-reply")
            cap.close()
            vm = port_stats(d.stats(), "vm1")
            assert vm["kind"] == "vhost-user" and vm["link"] == "up", vm
    finally:
        code, final = stop_all(cap, guest, d)
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]


if __name__ == "__main__":
    sltest.quiet_netns()
    sltest.veth("sl1", "t1")
    sltest.run([test_sluiced_is_the_server, test_sluiced_client_reconnects,
                test_guest_reconnects_across_restart_and_takeover])
