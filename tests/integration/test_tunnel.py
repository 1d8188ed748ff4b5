"""Private networks' datapath on the real daemon, with the Linux kernel and
scapy/tshark as the oracles:

- VXLAN with the kernel's own vxlan device as the remote endpoint: guests
  ping across both ways (sluice decapsulates the kernel's packets and the
  kernel sluice's), sluice answers ARP and ping for its endpoint address
  and resolves the kernel's by ARP, the outer headers are checked field by
  field with scapy; an unknown VNI and an unknown remote are dropped and
  counted.
- MTU: with a 1500-byte transport an inner 1500-byte DF packet is dropped
  and counted and the guest's own kernel takes the ICMP "fragmentation
  needed" with MTU 1450; at 1550 guests keep 1500; nothing is fragmented.
- GRE's overhead: MTU 1458 told at a 1500 transport, guests keep 1500 at
  1546.
- GRE between two sluiced hosts (each in its own namespace, underlay over a
  kernel bridge): guests ping across, the FDB learns which remote has a
  MAC, two private networks with other keys stay apart, and every GRE
  packet is checked by tshark's dissector and scapy (key, 0x6558, DF, TTL,
  checksums). The kernel here has no gre module, so no kernel peer.
- Three hosts: a VXLAN full mesh (no duplicates: split horizon), remotes
  removed and added back while traffic to another remote flows without a
  loss, and a star whose center relays only once told to.
"""
import json
import os
import signal
import subprocess
import time

from scapy.all import ARP, GRE, ICMP, IP, UDP, VXLAN, Ether, raw, sendp, wrpcap  # noqa: F401

import sltest
from sltest import Capture, Daemon, Topology, sh

PID = os.getpid()


def ns(name):
    return f"{name}{PID}"


def nsx(netns, cmd, check=True):
    return sh(f"ip netns exec {netns} {cmd}", check=check)


def ping(netns, addr, count=3, extra=""):
    r = subprocess.run(f"ip netns exec {netns} ping -c {count} -i 0.2 -W 2 {extra} {addr}",
                       shell=True, text=True, capture_output=True)
    return r.stdout + r.stderr


def ping_until(netns, addr, tries=15):
    """The first exchange waits for ARP on both layers: retry until one
    ping goes through."""
    for _ in range(tries):
        if " 0% packet loss" in ping(netns, addr, count=1):
            return True
    return False


def drops(d):
    return d.stats()["drops"]


class Host:
    """A sluiced in a namespace of its own; its transport PIF eth0 is an
    af_packet port on a veth whose other end (in this namespace) is
    `uplink`; guests are namespaces behind af_packet VIFs."""

    def __init__(self, name, ip, uplink, prefix=24, mtu=None, kind="af_packet"):
        self.name, self.ip, self.uplink = name, ip, uplink
        self.netns = ns(name)
        sh(f"ip netns add {self.netns}")
        nsx(self.netns, "ip link set lo up")
        sltest.veth(uplink, f"u{name}", netns=self.netns)
        if mtu:
            sh(f"ip link set {uplink} mtu {mtu}")
        topo = Topology()
        net = topo.network("xenbr0", mtu=mtu)
        devargs = {"af_packet": f"net_af_packet,iface=u{name}",
                   # af_xdp takes more than 1500 bytes (af_packet does not)
                   "af_xdp": f"net_af_xdp,iface=u{name},start_queue=0,queue_count=1"}
        topo.pif("eth0", devargs[kind], net)
        try:
            self.d = Daemon(topo, sltest.workdir(f"tun-{name}"), netns=self.netns)
        except Exception:
            sh(f"ip link del {uplink}", check=False)
            sh(f"ip netns del {self.netns}", check=False)
            raise
        self.eth0 = self.d.json("pif-list")[0]["uuid"]
        self.xenbr0 = net
        mask = {24: "255.255.255.0", 16: "255.255.0.0"}[prefix]
        self.d.ctl("pif-reconfigure-ip", f"uuid={self.eth0}", "mode=static",
                   f"IP={ip}", f"netmask={mask}")
        self.guests = []
        self.tunnels = {}

    def private(self, label, protocol, key, remotes):
        net = self.d.uuid("network-create", f"name-label={label}")
        t = self.d.uuid("tunnel-create", f"pif-uuid={self.eth0}", f"network-uuid={net}",
                        f"protocol={protocol}", f"key={key}")
        for r in remotes:
            self.d.ctl("tunnel-remote-add", f"uuid={t}", f"remote={r}")
        self.tunnels[label] = t
        return net

    def guest(self, label, net, mac, ip):
        g = ns(f"{self.name}{label}")
        dev = f"g{self.name}{label}"
        sh(f"ip netns add {g}")
        sltest.veth(dev, "eth0", netns=g)
        sh(f"ip link set {dev} netns {self.netns}")
        nsx(self.netns, f"ip link set {dev} up")
        nsx(g, f"ip link set eth0 address {mac}")
        nsx(g, f"ip addr add {ip}/24 dev eth0")
        vif = self.d.uuid("vif-create", f"network-uuid={net}", f"device=vif{label}",
                          f"devargs=net_af_packet,iface={dev}", f"mac={mac}")
        self.d.ctl("vif-plug", f"uuid={vif}")
        self.guests.append(g)
        return g

    def status(self, label):
        return self.d.json("tunnel-param-get", f"uuid={self.tunnels[label]}",
                           "param-name=status")

    def close(self):
        try:
            code, final = self.d.stop()
            assert code == 0, self.d.log
            assert final["mbufs"]["all-returned"], final["mbufs"]
        finally:
            # links first: a namespace's devices go some time after it
            sh(f"ip link del {self.uplink}", check=False)
            for g in self.guests:
                nsx(g, "ip link del eth0", check=False)
                sh(f"ip netns del {g}", check=False)
            sh(f"ip netns del {self.netns}", check=False)


def close_hosts(hosts, bridge_name):
    """Stop every host (each checked: exit 0, every buffer back) even when
    one fails, then the underlay bridge; the first failure is raised."""
    failure = None
    for h in hosts:
        try:
            h.close()
        except Exception as e:  # noqa: BLE001 - re-raised below
            failure = failure or e
    sh(f"ip link del {bridge_name}", check=False)
    if failure:
        raise failure


def bridge(name, ports):
    sh(f"ip link add {name} type bridge")
    sh(f"ip link set {name} up")
    for p in ports:
        sh(f"ip link set {p} master {name}")


# ---- VXLAN with the kernel ------------------------------------------------

def kernel_vtep(mtu=1500):
    """The kernel as the remote host: k0 10.77.0.2, vxlan0 (VNI 100) with
    192.168.77.2 on it, in this namespace."""
    sh(f"ip link set k0 mtu {mtu}")
    sh("ip addr add 10.77.0.2/24 dev k0")
    sh("ip link add vxlan0 type vxlan id 100 remote 10.77.0.1 local 10.77.0.2 "
       "dstport 4789 dev k0")
    sh("ip link set vxlan0 address 02:00:00:00:77:02")
    sh("ip addr add 192.168.77.2/24 dev vxlan0")
    sh("ip link set vxlan0 up")


def kernel_teardown():
    sh("ip link del vxlan0", check=False)


def vxlan_host(kind="af_packet"):
    h = Host("A", "10.77.0.1", "k0", kind=kind)
    net = h.private("p", "vxlan", 100, ["10.77.0.2"])
    h.guest("1", net, "02:00:00:00:77:01", "192.168.77.1")
    return h


def test_vxlan_with_the_kernel():
    h = None
    try:
        h = vxlan_host()
        kernel_vtep()
        cap = Capture(["k0"])
        assert ping_until(h.guests[0], "192.168.77.2"), "no VXLAN path to the kernel"
        out = ping(h.guests[0], "192.168.77.2")
        assert " 0% packet loss" in out, out
        sh("ip neigh flush dev vxlan0")
        out = subprocess.run("ping -c 3 -i 0.2 -W 2 192.168.77.1", shell=True,
                             text=True, capture_output=True).stdout
        assert " 0% packet loss" in out, out
        # sluice is the host of its endpoint address: ARP and ping
        out = subprocess.run("ping -c 2 -i 0.2 -W 2 10.77.0.1", shell=True, text=True,
                             capture_output=True).stdout
        assert " 0% packet loss" in out, out
        # the kernel learned sluice's MAC from sluice's own request: make it
        # ask, and sluice answer
        sh("ip neigh flush dev k0")
        out = subprocess.run("ping -c 1 -W 2 10.77.0.1", shell=True, text=True,
                             capture_output=True).stdout
        assert " 0% packet loss" in out, out
        neigh = sh("ip neigh show 10.77.0.1 dev k0")
        pif_mac = h.d.json("pif-param-get", f"uuid={h.eth0}", "param-name=MAC")
        assert pif_mac in neigh, (neigh, pif_mac)

        # the outer headers, field by field (scapy's decoder, not ours)
        k0_mac = json.loads(sh("ip -j link show k0"))[0]["address"]
        frames = cap.matching("k0", lambda f: UDP in f and f[UDP].dport == 4789)
        assert len(frames) >= 6, len(frames)
        for f in frames:
            ip = f[IP]
            assert f.dst == k0_mac and f.src == pif_mac, f.summary()
            assert (ip.src, ip.dst, ip.ttl, ip.proto) == ("10.77.0.1", "10.77.0.2", 64, 17)
            assert ip.flags == "DF" and ip.frag == 0, ip.flags
            again = IP(raw(ip))
            del again.chksum
            assert IP(raw(again)).chksum == ip.chksum, "bad IPv4 checksum"
            assert 49152 <= f[UDP].sport <= 65535, f[UDP].sport
            assert f[UDP].len == ip.len - 20
            assert f[VXLAN].vni == 100 and f[VXLAN].flags & 0x08
            inner = f[VXLAN].payload
            assert inner.src in ("02:00:00:00:77:01",) or inner.dst == "02:00:00:00:77:02", inner.summary()
        cap.close()

        st = h.status("p")[0]
        assert st["ARP"] == "resolved" and st["next-hop-MAC"] == k0_mac, st
        assert st["rx-packets"] >= 3 and st["tx-packets"] >= 3, st
        fdb = h.d.json("fdb-show")
        learned = [e for e in fdb if e["MAC"] == "02:00:00:00:77:02"]
        assert learned and learned[0]["class"] == "remote" and \
            learned[0]["remote"] == "10.77.0.2", fdb
        # trace: to the remote's guest, the frame leaves encapsulated
        t = h.d.json("trace", "in_port=vif1",
                     "packet=dl_src=02:00:00:00:77:01,dl_dst=02:00:00:00:77:02,udp,"
                     "nw_src=192.168.77.1,nw_dst=192.168.77.2,tp_dst=7")
        l2 = next(s for s in t["stages"] if s["stage"] == "l2")
        assert l2["fdb"]["port"] == "10.77.0.2", t
        [out] = t["outputs"]
        assert out["port"] == "eth0" and out["tunnel"]["protocol"] == "vxlan", out
        f = Ether(bytes.fromhex(out["frame"]))
        assert f.dst == k0_mac and f[IP].dst == "10.77.0.2" and f[VXLAN].vni == 100, f.show(dump=True)
        assert f[VXLAN].payload.dst == "02:00:00:00:77:02" and f[VXLAN].payload[UDP].dport == 7
        # and from the remote: decapsulated, to the VIF
        enc = Ether(dst=pif_mac, src=k0_mac) / IP(src="10.77.0.2", dst="10.77.0.1") / \
            UDP(sport=50000, dport=4789) / VXLAN(vni=100) / \
            Ether(src="02:00:00:00:77:02", dst="02:00:00:00:77:01") / IP() / ICMP()
        t = h.d.json("trace", "in_port=eth0", f"packet={raw(enc).hex()}")
        ing = next(s for s in t["stages"] if s["stage"] == "ingress")
        assert ing["decapsulated"]["remote"] == "10.77.0.2", t
        assert [o["port"] for o in t["outputs"]] == ["vif1"], t
        assert Ether(bytes.fromhex(t["outputs"][0]["frame"])).src == "02:00:00:00:77:02"
        u = h.d.stats()["underlay"]
        assert u["arp-requests-sent"] >= 1 and u["arp-replies-sent"] >= 1, u
        assert u["pings-answered"] == 3, u

        # an unknown VNI, then the right VNI from an address that is not a
        # remote: dropped, each with its own counter
        before = drops(h.d)
        inner = Ether(src="02:00:00:00:77:09", dst="ff:ff:ff:ff:ff:ff") / IP() / ICMP()
        outer = Ether(dst=pif_mac, src=k0_mac) / IP(src="10.77.0.2", dst="10.77.0.1", flags="DF")
        sendp(outer / UDP(sport=50000, dport=4789) / VXLAN(vni=999) / inner,
              iface="k0", verbose=False)
        spoofed = Ether(dst=pif_mac, src=k0_mac) / IP(src="10.77.0.66", dst="10.77.0.1")
        sendp(spoofed / UDP(sport=50000, dport=4789) / VXLAN(vni=100) / inner,
              iface="k0", verbose=False)
        sendp(outer / UDP(sport=50000, dport=4789) / VXLAN(vni=100, flags=0) / inner,
              iface="k0", verbose=False)
        time.sleep(sltest.SETTLE)
        after = drops(h.d)
        for name in ("tunnel_unknown_key", "tunnel_unknown_remote", "tunnel_bad_header"):
            assert after[name] == before[name] + 1, (name, before[name], after[name])
        assert not [e for e in h.d.json("fdb-show") if e["MAC"] == "02:00:00:00:77:09"]

        # stats lists the remote's port, so that the ports' drops add up
        # to the switch's (only inject_stale has no port to be charged to)
        st = h.d.stats()
        rows = [p for p in st["ports"] if p["class"] == "remote"]
        assert [(p["device"], p["kind"], p["link"]) for p in rows] == \
            [("10.77.0.2", "vxlan", "up")], rows
        assert rows[0]["rx-packets"] >= 3 and rows[0]["tx-packets"] >= 3, rows
        charged = sum(sum(p["drops"].values()) for p in st["ports"])
        assert charged == sum(st["drops"].values()) - st["drops"]["inject_stale"], \
            ([(p["device"], p["drops"]) for p in st["ports"]], st["drops"])
        assert "10.77.0.2" in h.d.ctl("stats")[1]

        # an ARP request whose sender hardware address is multicast: not
        # answered, and counted as such
        before = h.d.stats()["underlay"]
        sendp(Ether(src=k0_mac, dst="ff:ff:ff:ff:ff:ff") /
              ARP(op=1, hwsrc="01:00:5e:00:00:01", psrc="10.77.0.2", pdst="10.77.0.1"),
              iface="k0", verbose=False)
        time.sleep(sltest.SETTLE)
        after = h.d.stats()["underlay"]
        assert after["not-answered"] == before["not-answered"] + 1, (before, after)
        assert after["arp-replies-sent"] == before["arp-replies-sent"], (before, after)
    finally:
        kernel_teardown()
        if h:
            h.close()


def test_mtu_overhead():
    h = None
    try:
        h = vxlan_host(kind="af_xdp")
        kernel_vtep()
        g = h.guests[0]
        assert ping_until(g, "192.168.77.2")
        cap = Capture(["k0"])
        # 1500 bytes of IPv4 with DF need 1550 on the transport: refused,
        # and the guest's kernel is told the MTU that fits
        before = drops(h.d)
        out = ping(g, "192.168.77.2", count=2, extra="-M do -s 1472")
        assert "100% packet loss" in out or "errors" in out, out
        assert "mtu = 1450" in out or "mtu=1450" in out, out
        after = drops(h.d)
        assert after["tunnel_mtu_exceeded"] > before["tunnel_mtu_exceeded"], after
        underlay = h.d.stats()["underlay"]
        assert underlay["icmp-frag-needed-sent"] >= 1, underlay
        # two pings are far below the rate limit (1,000 a second)
        assert underlay["icmp-frag-needed-limited"] == 0, underlay
        # what fits still goes
        nsx(g, "ip route flush cache")
        out = ping(g, "192.168.77.2", count=2, extra="-M do -s 1422")
        assert " 0% packet loss" in out, out

        # a transport of 1550: guests keep a full 1500
        h.d.ctl("network-param-set", f"uuid={h.xenbr0}", "MTU=1550")
        sh("ip link set k0 mtu 1550")
        sh("ip link set vxlan0 mtu 1500")
        nsx(g, "ip route flush cache")
        out = ping(g, "192.168.77.2", count=3, extra="-M do -s 1472")
        assert " 0% packet loss" in out, out
        time.sleep(0.2)
        big = cap.matching("k0", lambda f: UDP in f and f[UDP].dport == 4789 and f[IP].len == 1550)
        assert len(big) >= 3, len(big)
        # never fragmented: every outer packet is whole, with DF
        for f in cap.matching("k0", lambda f: IP in f and f[IP].src == "10.77.0.1"):
            assert f[IP].flags == "DF" and f[IP].frag == 0, f.summary()
        cap.close()
    finally:
        kernel_teardown()
        if h:
            h.close()


# ---- GRE between two sluiced hosts -----------------------------------------

def test_gre_two_hosts():
    hosts = []
    cap = None
    try:
        a = Host("A", "10.88.0.1", "xa")
        b = Host("B", "10.88.0.2", "xb")
        hosts += [a, b]
        bridge("ubr", ["xa", "xb"])
        a1 = a.guest("1", a.private("p1", "gre", 1, ["10.88.0.2"]), "02:00:00:0a:01:01", "192.168.5.1")
        b1 = b.guest("1", b.private("p1", "gre", 1, ["10.88.0.1"]), "02:00:00:0b:01:01", "192.168.5.2")
        a2 = a.guest("2", a.private("p2", "gre", 2, ["10.88.0.2"]), "02:00:00:0a:02:01", "192.168.5.3")
        b.guest("2", b.private("p2", "gre", 2, ["10.88.0.1"]), "02:00:00:0b:02:01", "192.168.5.4")
        cap = Capture(["xa", "xb"])
        assert ping_until(a1, "192.168.5.2"), "no GRE path A1 -> B1"
        out = ping(a1, "192.168.5.2")
        assert " 0% packet loss" in out and "DUP" not in out, out
        assert ping_until(a2, "192.168.5.4"), "no GRE path A2 -> B2"
        # isolation: p1 and p2 share the underlay and the subnet, not frames
        out = ping(a1, "192.168.5.4", count=2)
        assert "100% packet loss" in out, out
        out = ping(a2, "192.168.5.2", count=2)
        assert "100% packet loss" in out, out

        # B learned A1's MAC behind remote 10.88.0.1
        fdb = b.d.json("fdb-show")
        e = [x for x in fdb if x["MAC"] == "02:00:00:0a:01:01"]
        assert e and e[0]["class"] == "remote" and e[0]["remote"] == "10.88.0.1", fdb
        st = a.status("p1")[0]
        assert st["tx-packets"] >= 3 and st["rx-packets"] >= 3, st

        # GRE with a checksum and a sequence number (RFC 2890), as another
        # GRE speaker may send: the key is read past the checksum word and
        # the inner frame past the sequence number, so B learns its source
        # in p1 behind A
        b_mac = b.d.json("pif-param-get", f"uuid={b.eth0}", "param-name=MAC")
        a_mac = a.d.json("pif-param-get", f"uuid={a.eth0}", "param-name=MAC")
        inner = Ether(src="02:00:00:0a:01:77", dst="ff:ff:ff:ff:ff:ff") / IP() / ICMP()
        rfc2890 = Ether(src=a_mac, dst=b_mac) / IP(src="10.88.0.1", dst="10.88.0.2") / \
            GRE(chksum_present=1, key_present=1, seqnum_present=1, key=1, sequence_number=7,
                proto=0x6558) / inner
        # traced first (nothing learned): decapsulated from A, into p1
        t = b.d.json("trace", "in_port=eth0", f"packet={raw(rfc2890).hex()}")
        ing = next(s for s in t["stages"] if s["stage"] == "ingress")
        assert ing["decapsulated"]["remote"] == "10.88.0.1", t
        assert ing["decapsulated"]["inner-fields"]["dl_src"] == "02:00:00:0a:01:77", t
        assert "vif1" in [o["port"] for o in t["outputs"]], t
        assert not [x for x in b.d.json("fdb-show") if x["MAC"] == "02:00:00:0a:01:77"]
        sendp(rfc2890, iface="xb", verbose=False)
        time.sleep(sltest.SETTLE)
        e = [x for x in b.d.json("fdb-show") if x["MAC"] == "02:00:00:0a:01:77"]
        assert e and e[0]["class"] == "remote" and e[0]["remote"] == "10.88.0.1", e

        # every GRE packet A sent, through scapy and tshark
        time.sleep(0.2)
        # (frames A sent come into this namespace's bridge by xa)
        gre = cap.matching("xa", lambda f: GRE in f and f[IP].src == "10.88.0.1")
        assert len(gre) >= 6, len(gre)
        keys = set()
        for f in gre:
            assert f[IP].ttl == 64 and f[IP].flags == "DF" and f[IP].proto == 47
            assert f[GRE].key_present == 1 and f[GRE].proto == 0x6558, f[GRE].show(dump=True)
            assert f[GRE].chksum_present == 0 and f[GRE].seqnum_present == 0
            keys.add(f[GRE].key)
            inner = Ether(raw(f[GRE].payload))
            if IP in inner and inner[IP].dst in ("192.168.5.2", "192.168.5.4"):
                want = 1 if inner[IP].dst == "192.168.5.2" else 2
                assert f[GRE].key == want, (f[GRE].key, inner.summary())
        assert keys == {1, 2}, keys
        # trace: A1's frame to B1 leaves A as the GRE packets above do
        t = a.d.json("trace", "in_port=vif1",
                     "packet=dl_src=02:00:00:0a:01:01,dl_dst=02:00:00:0b:01:01,icmp,"
                     "nw_src=192.168.5.1,nw_dst=192.168.5.2,icmp_type=8")
        [out] = t["outputs"]
        assert out["tunnel"] == {"protocol": "gre", "outer-src": "10.88.0.1",
                                 "outer-dst": "10.88.0.2"}, out
        f = Ether(bytes.fromhex(out["frame"]))
        real = gre[0]
        assert (f.src, f.dst, f[IP].ttl, f[IP].flags, f[GRE].key, f[GRE].proto) == \
            (real.src, real.dst, real[IP].ttl, real[IP].flags, 1, 0x6558), f.show(dump=True)
        assert Ether(raw(f[GRE].payload))[IP].dst == "192.168.5.2"
        path = os.path.join(a.d.dir, "gre.pcap")
        wrpcap(path, gre)
        fields = sh(f"tshark -r {path} -o ip.check_checksum:TRUE -T fields -E separator=, -E occurrence=f "
                    "-e ip.ttl -e ip.flags.df -e ip.checksum.status -e gre.key "
                    "-e gre.proto -e eth.type").split("\n")
        rows = [r.split(",") for r in fields if r]
        assert len(rows) == len(gre), (len(rows), len(gre))
        for r in rows:
            ttl, df, status, key, proto = r[:5]
            # checksum status 1: verified good
            assert ttl == "64" and df in ("1", "True") and status == "1", r
            assert key in ("0x00000001", "0x00000002", "1", "2"), r
            assert proto == "0x6558", r
    finally:
        if cap:
            cap.close()
        close_hosts(hosts, "ubr")


def test_gre_mtu():
    """GRE's 42 bytes: at 1500 on the transport a 1500-byte DF packet is
    refused with MTU 1458; at 1546 guests keep 1500 (af_xdp transports:
    af_packet stops at 1500)."""
    hosts = []
    try:
        a = Host("A", "10.88.0.1", "xa", kind="af_xdp")
        b = Host("B", "10.88.0.2", "xb", kind="af_xdp")
        hosts += [a, b]
        bridge("ubr", ["xa", "xb"])
        a1 = a.guest("1", a.private("p1", "gre", 9, ["10.88.0.2"]), "02:00:00:0a:01:01", "192.168.6.1")
        b.guest("1", b.private("p1", "gre", 9, ["10.88.0.1"]), "02:00:00:0b:01:01", "192.168.6.2")
        assert ping_until(a1, "192.168.6.2")
        out = ping(a1, "192.168.6.2", count=2, extra="-M do -s 1472")
        assert "mtu = 1458" in out or "mtu=1458" in out, out
        assert drops(a.d)["tunnel_mtu_exceeded"] >= 1
        for dev in ("ubr", "xa", "xb"):
            sh(f"ip link set {dev} mtu 1546")
        for h in hosts:
            h.d.ctl("network-param-set", f"uuid={h.xenbr0}", "MTU=1546")
        nsx(a1, "ip route flush cache")
        out = ping(a1, "192.168.6.2", count=3, extra="-M do -s 1472")
        assert " 0% packet loss" in out, out
    finally:
        close_hosts(hosts, "ubr")


# ---- three hosts: a mesh, remotes changing under traffic, a star ------------

def three_hosts():
    hosts = [Host(n, f"10.89.0.{i}", f"x{n.lower()}") for i, n in ((1, "A"), (2, "B"), (3, "C"))]
    bridge("ubr3", [h.uplink for h in hosts])
    return hosts


def test_mesh_and_remote_changes():
    hosts = []
    try:
        hosts = three_hosts()
        a, b, c = hosts
        addrs = {"A": "10.89.0.1", "B": "10.89.0.2", "C": "10.89.0.3"}
        g = {}
        for i, h in enumerate(hosts, 1):
            net = h.private("p", "vxlan", 5000, [ip for n, ip in addrs.items() if n != h.name])
            g[h.name] = h.guest("1", net, f"02:00:00:0c:00:0{i}", f"192.168.9.{i}")
        for src, dst in (("A", "192.168.9.2"), ("A", "192.168.9.3"), ("B", "192.168.9.3")):
            assert ping_until(g[src], dst), (src, dst)
        # a broadcast reaches every other host once: no duplicate, no loop
        out = ping(g["B"], "192.168.9.255", count=3, extra="-b")
        assert "DUP" not in out, out
        for h in hosts:
            nsx(g[h.name], "ip neigh flush all")
        out = ping(g["C"], "192.168.9.1")
        assert " 0% packet loss" in out and "DUP" not in out, out
        # a mesh never needs a remote-to-remote frame
        assert all(drops(h.d)["tunnel_split_horizon"] == 0 for h in hosts)

        # C leaves A's remotes and comes back while A talks to B
        bg = subprocess.Popen(f"ip netns exec {g['A']} ping -c 80 -i 0.05 -W 1 192.168.9.2",
                              shell=True, text=True, stdout=subprocess.PIPE)
        time.sleep(0.5)
        a.d.ctl("tunnel-remote-remove", f"uuid={a.tunnels['p']}", "remote=10.89.0.3")
        nsx(g["A"], "ip neigh flush 192.168.9.3", check=False)
        out = ping(g["A"], "192.168.9.3", count=2)
        assert "100% packet loss" in out, out
        a.d.ctl("tunnel-remote-add", f"uuid={a.tunnels['p']}", "remote=10.89.0.3")
        assert ping_until(g["A"], "192.168.9.3")
        out, _ = bg.communicate(timeout=60)
        assert " 0% packet loss" in out, out
    finally:
        close_hosts(hosts, "ubr3")


def test_star_relays_when_told():
    hosts = []
    try:
        hosts = three_hosts()
        a, b, c = hosts
        netA = a.private("p", "gre", 77, ["10.89.0.2", "10.89.0.3"])
        netB = b.private("p", "gre", 77, ["10.89.0.1"])
        netC = c.private("p", "gre", 77, ["10.89.0.1"])
        ga = a.guest("1", netA, "02:00:00:0d:00:01", "192.168.8.1")
        gb = b.guest("1", netB, "02:00:00:0d:00:02", "192.168.8.2")
        c.guest("1", netC, "02:00:00:0d:00:03", "192.168.8.3")
        assert ping_until(ga, "192.168.8.2") and ping_until(ga, "192.168.8.3")
        # the center does not relay between its remotes by default (a full
        # mesh would loop): B cannot reach C through A, neither by a flood
        # (ARP) nor by unicast to a MAC A has learned behind C
        out = ping(gb, "192.168.8.3", count=2)
        assert "100% packet loss" in out, out
        nsx(gb, "ip neigh replace 192.168.8.3 lladdr 02:00:00:0d:00:03 dev eth0")
        out = ping(gb, "192.168.8.3", count=2)
        assert "100% packet loss" in out, out
        assert drops(a.d)["tunnel_split_horizon"] >= 2
        nsx(gb, "ip neigh flush all")
        a.d.ctl("tunnel-param-set", f"uuid={a.tunnels['p']}", "other-config:relay=true")
        assert ping_until(gb, "192.168.8.3"), "the center does not relay"
        out = ping(gb, "192.168.8.3")
        assert " 0% packet loss" in out and "DUP" not in out, out
        a.d.expect_error(["tunnel-param-set", f"uuid={a.tunnels['p']}", "other-config:relay=yes"],
                         1000, "INVALID_VALUE", "'yes' is not true or false")
    finally:
        close_hosts(hosts, "ubr3")


if __name__ == "__main__":
    sltest.quiet_netns()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    import sys
    tests = [test_vxlan_with_the_kernel, test_mtu_overhead, test_gre_two_hosts,
             test_gre_mtu, test_mesh_and_remote_changes, test_star_relays_when_told]
    sltest.run([t for t in tests if len(sys.argv) < 2 or t.__name__ in sys.argv[1:]])
