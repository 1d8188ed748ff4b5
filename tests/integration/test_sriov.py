"""SR-IOV through sluicectl on the real daemon.

This machine has no SR-IOV NIC, so two things are stand-ins, and only
these: the PFs' sysfs (a tree built here, as the kernel lays it out:
sriov_totalvfs, sriov_numvfs, virtfnN links to the VFs' PCI devices, the
driver link; sluiced reads it from --sysfs-root), and the VF programming,
which sluiced records as JSON lines (--sriov-dry-run) instead of sending to
a NIC. The rtnetlink path itself is run for real once, against a veth (no
VFs): the kernel refuses and the operator gets a clear error. Real VF
programming needs an SR-IOV NIC.

Checked: discovery and the sriov_numvfs write, assignment (MAC, VLAN of a
VLAN network on the SR-IOV network, spoof checking, VF index and PCI
address), no VF handed out twice, exhaustion, release (MAC cleared) and
reuse, refusal to move or plug a VF's VIF and to destroy a network-sriov
with VFs assigned, modprobe-mode drivers (requires-reboot and what to do),
PIFs without SR-IOV, re-application after a restart, and the PF's own port
switching traffic throughout."""
import json
import os
import shutil
import time

from scapy.all import UDP, IP, Ether, Raw, sendp

import sltest
from sltest import Capture, Daemon, sh, veth

A, B, C, D, E = ("02:00:00:00:5a:01", "02:00:00:00:5a:02", "02:00:00:00:5a:03",
                 "02:00:00:00:5a:04", "02:00:00:00:5a:05")
GUEST, OUTSIDE = "02:00:00:00:5b:01", "02:00:00:00:5b:02"
PF_PCI = "0000:03:00.0"
VF_PCI = ["0000:03:10.0", "0000:03:10.2", "0000:03:10.4"]


def fake_pf(root, netdev, pci, vfs, driver="ixgbe", numvfs_writable=True):
    """A PF as sysfs shows it: class/net/<netdev>/device -> its PCI device,
    with the VFs' virtfn links already there (the kernel makes them when
    sriov_numvfs is written; this tree cannot)."""
    dev = os.path.join(root, "devices/pci0000:00", pci)
    os.makedirs(dev)
    drv = os.path.join(root, "bus/pci/drivers", driver)
    os.makedirs(drv, exist_ok=True)
    os.symlink(drv, os.path.join(dev, "driver"))
    with open(os.path.join(dev, "sriov_totalvfs"), "w") as f:
        f.write(f"{len(vfs) or 4}\n")
    if numvfs_writable:
        with open(os.path.join(dev, "sriov_numvfs"), "w") as f:
            f.write("0\n")
    else:
        # a driver without sriov_configure: the kernel refuses the write
        os.symlink("/dev/full", os.path.join(dev, "sriov_numvfs"))
    for i, vf in enumerate(vfs):
        os.makedirs(os.path.join(root, "devices/pci0000:00", vf))
        os.symlink(f"../{vf}", os.path.join(dev, f"virtfn{i}"))
    os.makedirs(os.path.join(root, "class/net", netdev))
    os.symlink(dev, os.path.join(root, "class/net", netdev, "device"))
    return dev


def numvfs(dev):
    with open(os.path.join(dev, "sriov_numvfs")) as f:
        return f.read().strip()


def records(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def field(d, kind, uuid, name):
    return d.json(f"{kind}-param-get", f"uuid={uuid}", f"param-name={name}")


def pf_traffic_flows(cap, tag):
    """A frame from the wire behind the PF reaches the guest VIF on the
    PF's own network: sluice still switches the PF's port."""
    sendp(Ether(src=OUTSIDE, dst=GUEST) / IP(src="10.5.0.2", dst="10.5.0.1") / UDP() / Raw(tag),
          iface="pfv1", verbose=False)
    assert cap.wait_for("slguest", lambda f: tag in bytes(f)), tag


def build(d):
    eth1 = d.uuid("pif-introduce", "device=eth1", "devargs=net_af_packet,iface=pfv0")
    d.ctl("pif-plug", f"uuid={eth1}")
    native = field(d, "pif", eth1, "network-uuid")
    guest = d.uuid("vif-create", f"network-uuid={native}", f"mac={GUEST}",
                   "device=guest", "devargs=net_tap,iface=slguest")
    d.ctl("vif-plug", f"uuid={guest}")
    sh("ip link set slguest up")
    return eth1


def test_sriov():
    wd = sltest.workdir("sriov")
    root = os.path.join(wd, "sys")
    shutil.rmtree(root, ignore_errors=True)
    pf_dev = fake_pf(root, "pfv0", PF_PCI, VF_PCI)
    fake_pf(root, "pfmod0", "0000:04:00.0", [], driver="igb", numvfs_writable=False)
    log = os.path.join(wd, "vf-settings.jsonl")
    if os.path.exists(log):
        os.unlink(log)
    veth("pfv0", "pfv1")
    veth("pfmod0", "pfmod1")
    args = ["--sysfs-root", root, "--sriov-dry-run", log]
    d = Daemon(None, wd, args=args)
    try:
        eth1 = build(d)
        cap = Capture(["slguest"])
        pf_traffic_flows(cap, b"pf-before")

        net = d.uuid("network-create", "name-label=SRIOV")
        s = d.uuid("network-sriov-create", f"network-uuid={net}", f"pif-uuid={eth1}")
        assert numvfs(pf_dev) == "3"
        rec = d.json("network-sriov-param-list", f"uuid={s}")
        assert rec["configuration-mode"] == "sysfs" and rec["requires-reboot"] is False, rec
        assert rec["total-VFs"] == 3 and rec["remaining-capacity"] == 3, rec
        assert rec["physical-PIF"] == eth1, rec
        logical = rec["logical-PIF"]
        assert field(d, "pif", logical, "sriov-logical-PIF-of") == s
        assert field(d, "pif", eth1, "sriov-physical-PIF-of") == s
        # one network-sriov per PF; a non-empty network is refused
        other = d.uuid("network-create", "name-label=other")
        d.expect_error(["network-sriov-create", f"network-uuid={other}", f"pif-uuid={eth1}"],
                       1030, "NETWORK_SRIOV_ALREADY_ENABLED", "already enabled on eth1")
        d.expect_error(["network-sriov-create", f"network-uuid={net}", f"pif-uuid={logical}"],
                       1028, "PIF_IS_NOT_PHYSICAL", "physical PIF")

        # a VF per VIF: MAC, no VLAN, spoof checking; index and PCI address
        va = d.uuid("vif-create", f"network-uuid={net}", f"mac={A}")
        assert field(d, "vif", va, "VF") == 0
        assert field(d, "vif", va, "VF-PCI") == VF_PCI[0]
        assert field(d, "vif", va, "live-migratable") is False
        assert field(d, "vif", va, "device") == "eth1vf0"
        assert records(log)[-1] == {"action": "assign", "PF": "pfv0", "VF": 0, "PCI": VF_PCI[0],
                                    "MAC": A, "VLAN": 0, "spoofchk": True}, records(log)
        # a VLAN of the SR-IOV network: its VFs are tagged
        n42 = d.uuid("network-create", "name-label=SRIOV VLAN 42")
        vl42 = d.uuid("vlan-create", f"pif-uuid={logical}", "vlan=42", f"network-uuid={n42}")
        vb = d.uuid("vif-create", f"network-uuid={n42}", f"mac={B}", "device=vm2-eth0")
        assert field(d, "vif", vb, "VF") == 1
        assert records(log)[-1] == {"action": "assign", "PF": "pfv0", "VF": 1, "PCI": VF_PCI[1],
                                    "MAC": B, "VLAN": 42, "spoofchk": True}, records(log)
        vc = d.uuid("vif-create", f"network-uuid={net}", f"mac={C}")
        assert field(d, "vif", vc, "VF") == 2
        assert d.json("network-sriov-param-get", f"uuid={s}",
                      "param-name=remaining-capacity") == 0
        # exhausted: a clear error, and nothing half made
        d.expect_error(["vif-create", f"network-uuid={net}", f"mac={D}"],
                       1034, "NETWORK_SRIOV_INSUFFICIENT_CAPACITY", "every VF of eth1 is assigned")
        assert len(d.json("vif-list", f"network-uuid={net}")) == 2
        assert len(records(log)) == 3

        # what a VF's VIF cannot do
        d.expect_error(["vif-create", f"network-uuid={net}", f"mac={D}", "device=x",
                        "devargs=net_tap,iface=slx"],
                       1031, "NETWORK_INCOMPATIBLE_WITH_SRIOV", "give no devargs")
        d.expect_error(["vif-move", f"uuid={va}", f"network-uuid={other}"],
                       1036, "VM_HAS_SRIOV_VIF", "not live-migratable")
        d.expect_error(["vif-plug", f"uuid={va}"], 1014, "OPERATION_NOT_ALLOWED",
                       "not through sluice")
        guest = d.json("vif-list", f"MAC={GUEST}")[0]["uuid"]
        d.expect_error(["vif-move", f"uuid={guest}", f"network-uuid={net}"],
                       1031, "NETWORK_INCOMPATIBLE_WITH_SRIOV", "SR-IOV network")
        d.expect_error(["network-sriov-destroy", f"uuid={s}"], 1033, "NETWORK_SRIOV_IN_USE",
                       "vif-destroy them first")
        d.expect_error(["pif-forget", f"uuid={eth1}"], 1037, "PIF_IS_SRIOV",
                       "network-sriov-destroy")
        d.expect_error(["pif-forget", f"uuid={logical}"], 1037, "PIF_IS_SRIOV",
                       "network-sriov-destroy")
        d.expect_error(["network-destroy", f"uuid={net}"], 1012, "NETWORK_CONTAINS_VIF",
                       f"then network-sriov-destroy uuid={s}")

        # release clears the MAC; the VF is handed out again, never twice
        d.ctl("vif-destroy", f"uuid={vc}")
        assert records(log)[-1] == {"action": "release", "PF": "pfv0", "VF": 2, "PCI": VF_PCI[2],
                                    "MAC": "00:00:00:00:00:00", "VLAN": 0, "spoofchk": True}
        assert d.json("network-sriov-param-get", f"uuid={s}",
                      "param-name=remaining-capacity") == 1
        vd = d.uuid("vif-create", f"network-uuid={net}", f"mac={D}")
        vfs = [v["VF"] for v in d.json("vif-list", "params=VF") if v["VF"] != ""]
        assert sorted(vfs) == [0, 1, 2], vfs
        assert field(d, "vif", vd, "VF") == 2

        # stats have no row for VFs or SR-IOV PIFs: their traffic is the NIC's
        devices = [p["device"] for p in d.stats()["ports"]]
        assert "eth1vf0" not in devices and devices.count("eth1") == 1, devices

        # modprobe-mode driver: enabled, but a reboot is needed first (and
        # the refused sriov_numvfs write is logged with what to do)
        d.allow(r"warning sluiced: SR-IOV on pfmod0: writing 4 to \S+/sriov_numvfs failed: "
                r"No space left on device: the igb driver takes its VF count as a module")
        eth2 = d.uuid("pif-introduce", "device=eth2", "devargs=net_af_packet,iface=pfmod0")
        nmod = d.uuid("network-create", "name-label=SRIOV igb")
        smod = d.uuid("network-sriov-create", f"network-uuid={nmod}", f"pif-uuid={eth2}")
        rec = d.json("network-sriov-param-list", f"uuid={smod}")
        assert rec["configuration-mode"] == "modprobe" and rec["requires-reboot"] is True, rec
        assert "options igb max_vfs=4" in rec["message"] and "reboot" in rec["message"], rec
        d.expect_error(["vif-create", f"network-uuid={nmod}", f"mac={E}"],
                       1032, "NETWORK_SRIOV_ENABLE_FAILED", "requires a reboot")
        d.ctl("network-sriov-destroy", f"uuid={smod}")
        # a PIF whose NIC has no SR-IOV
        eth3 = d.uuid("pif-introduce", "device=eth3", "devargs=net_tap,iface=slnosriov")
        nno = d.uuid("network-create", "name-label=no SR-IOV")
        d.expect_error(["network-sriov-create", f"network-uuid={nno}", f"pif-uuid={eth3}"],
                       1029, "PIF_IS_NOT_SRIOV_CAPABLE", "has no PCI device")
        assert d.json("network-sriov-list") and len(d.json("network-sriov-list")) == 1
        pf_traffic_flows(cap, b"pf-during")
        cap.close()
        rc, _ = d.stop()
        assert rc == 0, d.log

        # a host reboot resets the NIC: sluiced enables it and programs
        # every VF again from its state
        with open(os.path.join(pf_dev, "sriov_numvfs"), "w") as f:
            f.write("0\n")
        before = len(records(log))
        d = Daemon(None, wd, args=args)
        assert numvfs(pf_dev) == "3"
        again = records(log)[before:]
        assert sorted((r["action"], r["VF"], r["MAC"], r["VLAN"]) for r in again) == [
            ("restore", 0, A, 0), ("restore", 1, B, 42), ("restore", 2, D, 0)], again
        assert field(d, "vif", va, "VF-PCI") == VF_PCI[0]
        assert d.json("network-sriov-param-get", f"uuid={s}",
                      "param-name=remaining-capacity") == 0
        cap = Capture(["slguest"])
        sh("ip link set slguest up")
        pf_traffic_flows(cap, b"pf-after-restart")
        cap.close()

        # taking it all down: SR-IOV off again
        for v in (va, vb, vd):
            d.ctl("vif-destroy", f"uuid={v}")
        d.expect_error(["network-sriov-destroy", f"uuid={s}"], 1022, "PIF_VLAN_STILL_EXISTS",
                       "vlan-destroy it first")
        d.ctl("vlan-destroy", f"uuid={vl42}")
        d.ctl("network-sriov-destroy", f"uuid={s}")
        assert numvfs(pf_dev) == "0"
        assert not d.json("pif-list", f"uuid={logical}")
        d.ctl("network-destroy", f"uuid={net}")
        rc, _ = d.stop()
        assert rc == 0, d.log
    finally:
        d.kill()
        sh("ip link del pfv0", check=False)
        sh("ip link del pfmod0", check=False)


def test_netlink_error_path():
    """Without --sriov-dry-run sluiced sends the rtnetlink request. pfv0 is
    a veth: it has no VFs, the kernel refuses, the operator reads why and
    the VF stays free."""
    wd = sltest.workdir("sriov-netlink")
    root = os.path.join(wd, "sys")
    shutil.rmtree(root, ignore_errors=True)
    fake_pf(root, "pfv0", PF_PCI, VF_PCI)
    veth("pfv0", "pfv1")
    d = Daemon(None, wd, args=["--sysfs-root", root])
    try:
        eth1 = d.uuid("pif-introduce", "device=eth1", "devargs=net_af_packet,iface=pfv0")
        net = d.uuid("network-create", "name-label=SRIOV")
        s = d.uuid("network-sriov-create", f"network-uuid={net}", f"pif-uuid={eth1}")
        d.expect_error(["vif-create", f"network-uuid={net}", f"mac={A}"],
                       1035, "NETWORK_SRIOV_VF_CONFIG_FAILED",
                       "cannot program VF 0 of eth1: the kernel cannot set VF 0 of pfv0: "
                       "pfv0 has no SR-IOV VF configuration (Operation not supported)")
        assert d.json("vif-list", f"network-uuid={net}") == []
        assert d.json("network-sriov-param-get", f"uuid={s}",
                      "param-name=remaining-capacity") == 3
        rc, _ = d.stop()
        assert rc == 0, d.log
    finally:
        d.kill()
        sh("ip link del pfv0", check=False)



def test_sriov_pifs_and_reset():
    """A PF is bonded with nothing, a VLAN of an SR-IOV network carries no
    tunnel, and reset-networking takes the SR-IOV network down whole: its
    VFs cleared (release recorded), their VIFs, the VLAN on its PIF, its
    PIF, SR-IOV off; the daemon keeps running and restarts from what it
    saved."""
    wd = sltest.workdir("sriov-reset")
    root = os.path.join(wd, "sys")
    shutil.rmtree(root, ignore_errors=True)
    pf_dev = fake_pf(root, "pfv0", PF_PCI, VF_PCI)
    log = os.path.join(wd, "vf-settings.jsonl")
    if os.path.exists(log):
        os.unlink(log)
    veth("pfv0", "pfv1")
    args = ["--sysfs-root", root, "--sriov-dry-run", log]
    d = Daemon(None, wd, args=args)
    try:
        eth1 = d.uuid("pif-introduce", "device=eth1", "devargs=net_af_packet,iface=pfv0")
        eth2 = d.uuid("pif-introduce", "device=eth2", "devargs=net_null0")
        net = d.uuid("network-create", "name-label=SRIOV")
        vnet = d.uuid("network-create", "name-label=SRIOV 42")
        pnet = d.uuid("network-create", "name-label=private")
        s = d.uuid("network-sriov-create", f"network-uuid={net}", f"pif-uuid={eth1}")
        logical = d.json("network-sriov-param-get", f"uuid={s}", "param-name=logical-PIF")
        vl = d.uuid("vlan-create", f"pif-uuid={logical}", "vlan=42", f"network-uuid={vnet}")
        vl_pif = d.json("vlan-param-get", f"uuid={vl}", "param-name=untagged-PIF")
        d.uuid("vif-create", f"network-uuid={net}", f"mac={A}")
        d.uuid("vif-create", f"network-uuid={vnet}", f"mac={B}")
        kept = d.uuid("vif-create", f"network-uuid={pnet}", f"mac={C}", "device=kept",
                      "devargs=net_null9")

        d.expect_error(["bond-create", f"network-uuid={pnet}", f"pif-uuids={eth1},{eth2}"],
                       1037, "PIF_IS_SRIOV", f"network-sriov {s}")
        d.expect_error(["tunnel-create", f"pif-uuid={vl_pif}", f"network-uuid={pnet}"],
                       1028, "PIF_IS_NOT_PHYSICAL", "SR-IOV network's own PIF")

        removed = d.json("reset-networking")
        assert removed == {"sriov-networks-removed": 1, "VF-VIFs-removed": 2,
                           "tunnels-removed": 0, "bonds-removed": 0,
                           "PIFs-removed": 4, "VLANs-removed": 1}, removed
        assert sorted((r["action"], r["VF"], r["MAC"]) for r in records(log)
                      if r["action"] == "release") == [
            ("release", 0, "00:00:00:00:00:00"), ("release", 1, "00:00:00:00:00:00")]
        assert numvfs(pf_dev) == "0"
        assert d.json("network-sriov-list") == [] and d.json("pif-list") == []
        assert [v["uuid"] for v in d.json("vif-list")] == [kept]
        rc, _ = d.stop()
        assert rc == 0, d.log
        d = Daemon(None, wd, args=args)
        assert [v["uuid"] for v in d.json("vif-list")] == [kept]
        rc, _ = d.stop()
        assert rc == 0, d.log
    finally:
        d.kill()
        sh("ip link del pfv0", check=False)


if __name__ == "__main__":
    sltest.run([test_sriov, test_netlink_error_path, test_sriov_pifs_and_reset])
