"""MTU through the real daemon, checked with scapy: 9000-byte frames cross
the switch intact (several mbufs each), frames longer than the ingress or
the egress port's MTU are dropped and counted, never truncated, a pushed
VLAN tag gets its four extra bytes, and the management interface keeps the
standard MTU."""
import os
import signal
import subprocess
import time

from scapy.all import IP, UDP, Dot1Q, Ether, Raw, rdpcap, sendp, wrpcap

import sltest
from sltest import Daemon, Topology, port_stats, sh

EXT = "02:aa:00:00:00:01"
BCAST = "ff:ff:ff:ff:ff:ff"


def frame(l3_len, tag, src=EXT):
    """A broadcast frame whose IPv4 packet is l3_len bytes, payload tagged."""
    pad = l3_len - 20 - 8 - len(tag)
    return Ether(src=src, dst=BCAST) / IP(src="10.4.0.1", dst="10.4.0.2") / \
        UDP(sport=40000, dport=40001) / Raw(tag + bytes(i % 251 for i in range(pad)))


def in_trace(path, tag):
    if not os.path.exists(path) or os.path.getsize(path) <= 24:
        return []
    return [p for p in rdpcap(path) if tag in bytes(p)]


def test_mtu():
    wd = sltest.workdir("mtu")
    f = {name: frame(l3, name.encode()) for name, l3 in
         [("F1-9000", 9000), ("F2-9001", 9001), ("F3-1500", 1500), ("F4-1501", 1501)]}
    wrpcap(f"{wd}/eth0-in.pcap", list(f.values()))
    g = {name: frame(l3, name.encode(), src="02:00:00:00:03:01") for name, l3 in
         [("F5-1500", 1500), ("F6-1501", 1501)]}
    wrpcap(f"{wd}/v3-in.pcap", list(g.values()))

    topo = Topology()
    nj = topo.network("xenbr0", mtu=9000)
    n1 = topo.network("xenbr1")
    n10 = topo.network("vlan10")
    ntap = topo.network("xenbr5")
    topo.pif("eth0", f"net_pcap,rx_pcap={wd}/eth0-in.pcap,tx_pcap={wd}/eth0-out.pcap", nj, MTU=9000)
    eth1 = topo.pif("eth1", f"net_pcap,tx_pcap={wd}/eth1-out.pcap", n1)
    topo.state["pifs"].append({"uuid": "7e5a0000-0000-4000-8000-000000000010",
                               "device": "eth1", "network-uuid": n10, "VLAN": 10,
                               "VLAN-master-of": "7e5a0000-0000-4000-8000-000000000011",
                               "tagged-PIF": eth1})
    topo.vif("v1", f"net_pcap,tx_pcap={wd}/v1-out.pcap", "02:00:00:00:01:01", nj, MTU=9000)
    topo.vif("v2", f"net_pcap,tx_pcap={wd}/v2-out.pcap", "02:00:00:00:02:01", nj, MTU=1500)
    topo.vif("v3", f"net_pcap,rx_pcap={wd}/v3-in.pcap", "02:00:00:00:03:01", n10)
    # tap stops at MTU 1504 in DPDK 22.11: refused by name, not half-working
    topo.vif("vt", "net_tap,iface=slvt", "02:00:00:00:04:01", nj, MTU=9000)
    topo.vif("vt2", "net_tap,iface=slvt2", "02:00:00:00:04:02", ntap)
    # a guest on vhost-user, which carries jumbo frames
    topo.vif("vm", f"net_vhost,iface={wd}/vm.sock", "02:00:00:00:05:01", nj, MTU=9000)
    wrpcap(f"{wd}/guest-out.pcap", [frame(9000, b"G1-9000-guest", src="02:00:00:00:05:01")])
    wrpcap(f"{wd}/late.pcap", [frame(9000, b"H1-9000-late", src="02:00:00:00:06:01")])
    # vt's refusal is logged (an error and the count of unattached ports)
    d = Daemon(topo, wd, allow=[r"err sluiced: VIF vt cannot be attached: the net_tap PMD",
                                r"warning sluiced: 1 port\(s\) could not be attached"])
    guest = None
    try:
        st = d.json("stats")
        why = {u["device"]: u["error"] for u in st["unattached"]}
        assert "the net_tap PMD of net_tap_vif_vt carries an MTU of at most 1504, not 9000" \
            in why["vt"], why
        guest = subprocess.Popen([os.environ.get("SL_VM_PEER", "sl-vm-peer"),
                                  "--vdev", f"net_virtio_user0,path={wd}/vm.sock,mac=02:00:00:00:05:01",
                                  "--send", f"{wd}/guest-out.pcap", "--recv", f"{wd}/guest-in.pcap",
                                  "--prefix", f"vm-mtu-{os.getpid()}"],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        said = []
        for line in guest.stdout:
            said.append(line)
            if line.startswith("vm-peer: sent"):
                break
        assert said and said[-1].startswith("vm-peer: sent 1"), "".join(said)
        # a jumbo frame replayed into the network once the guest is there
        late = d.ctl("vif-create", f"network-uuid={nj}", "mac=02:00:00:00:06:01",
                     "device=late", f"devargs=net_pcap,rx_pcap={wd}/late.pcap")[1].strip()
        d.ctl("vif-plug", f"uuid={late}")
        deadline = time.time() + 15
        while time.time() < deadline:
            st = d.json("stats")
            if (port_stats(st, "eth0")["rx-packets"] == 4 and
                    port_stats(st, "v3")["rx-packets"] == 2 and
                    port_stats(st, "vm")["rx-packets"] == 1 and
                    in_trace(f"{wd}/guest-in.pcap", b"H1-9000-late")):
                break
            time.sleep(0.1)
        # a network's MTU cannot outgrow a port that carries it
        rc, _, err = d.ctl("network-param-set", f"uuid={ntap}", "MTU=9000", check=False)
        assert rc == 1 and err.startswith("Error 1023 MTU_CHECK_FAILED: ") and \
            "VIF vt2 is on a port whose PMD carries at most 1504" in err, err
        assert d.json("network-param-get", f"uuid={ntap}", "param-name=MTU") == 1500
        # the management interface keeps the standard MTU
        pifs = {p["device"] + ("." + str(p["VLAN"]) if p["VLAN"] >= 0 else ""): p["uuid"]
                for p in d.json("pif-list")}
        rc, _, err = d.ctl("pif-param-set", f"uuid={pifs['eth0']}", "management=true", check=False)
        assert rc == 1 and err.startswith("Error 1023 MTU_CHECK_FAILED: ") and "has MTU 9000" in err, err
        d.ctl("pif-param-set", f"uuid={pifs['eth1']}", "management=true")
        rc, _, err = d.ctl("network-param-set", f"uuid={n1}", "MTU=9000", check=False)
        assert rc == 1 and "MTU_CHECK_FAILED" in err and "management interface" in err, err
        assert d.json("network-param-get", f"uuid={n1}", "param-name=MTU") == 1500
    finally:
        if guest:
            guest.send_signal(signal.SIGTERM)
            guest.wait(timeout=20)
        code, final = d.stop()
    assert code == 0, d.log
    assert final["mbufs"]["all-returned"], final["mbufs"]
    drops = {k: v for k, v in final["drops"].items() if v}
    # F1, F4, G1, H1 are too long for v2; F1, F3 (sent before the guest was
    # there) may meet the guest's port without a guest: they are counted too
    assert drops["rx_oversize"] == 2, drops
    assert port_stats(final, "eth0")["rx-dropped"] == 1	# F2
    assert port_stats(final, "v3")["rx-dropped"] == 1	# F6
    assert port_stats(final, "v2")["tx-dropped"] == 4, port_stats(final, "v2")
    assert drops["mtu_exceeded"] == 4, drops
    assert set(drops) <= {"rx_oversize", "mtu_exceeded", "tx_queue_full"}, drops
    # the guest's jumbo frame reached the others whole, and the late one the guest
    for name, src in (("G1-9000-guest", None), ("H1-9000-late", None)):
        got = in_trace(f"{wd}/v1-out.pcap", name.encode())
        assert len(got) == 1 and len(got[0]) == 9014, (name, [len(x) for x in got])
    got = in_trace(f"{wd}/guest-in.pcap", b"H1-9000-late")
    assert len(got) == 1 and len(got[0]) == 9014, [len(x) for x in got]

    # what the 9000-MTU guest got: byte for byte what was sent
    for name in ("F1-9000", "F3-1500", "F4-1501"):
        got = in_trace(f"{wd}/v1-out.pcap", name.encode())
        assert len(got) == 1 and bytes(got[0]) == bytes(f[name]), name
    assert not in_trace(f"{wd}/v1-out.pcap", b"F2-9001")
    # the 1500-MTU guest: only what fits
    v2 = [bytes(p[Raw].load)[:7] for p in rdpcap(f"{wd}/v2-out.pcap")]
    assert v2 == [b"F3-1500"], v2
    # a pushed tag gets its four bytes: 1500 + 14 + 4 leaves tagged
    out = in_trace(f"{wd}/eth1-out.pcap", b"F5-1500")
    assert len(out) == 1 and len(out[0]) == 1518 and out[0][Dot1Q].vlan == 10, out
    assert bytes(out[0][IP]) == bytes(g["F5-1500"][IP])
    assert not in_trace(f"{wd}/eth1-out.pcap", b"F6-1501")


if __name__ == "__main__":
    sltest.quiet_netns()
    sltest.run([test_mtu])
