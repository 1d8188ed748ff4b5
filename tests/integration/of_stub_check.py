#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The OpenFlow engine against Open vSwitch, through the real ovs-ofctl.

Starts of_switch_stub (the engine with an in-memory table) and a private
Open vSwitch (ovsdb-server + ovs-vswitchd, userspace datapath, bridge br0
with internal ports p1..p3 as OpenFlow ports 1..3) in a temporary
directory, runs the same ovs-ofctl commands against both in each mode
(default, -O OpenFlow10, -O OpenFlow11, -O OpenFlow13) and compares what
ovs-ofctl says: exit status, errors, and dump-flows with the counters and
ages taken out. The commands are XCP-ng's VIF locking flows and the
sdncontroller plugin's, then deletes and modifies of each kind, then
mod-port no-flood.

    tests/integration/of_stub_check.py [BUILD_DIR]   (default: build)

Needs ovs-vswitchd, ovsdb-server, ovs-vsctl, ovs-ofctl (Debian's
openvswitch-switch); no kernel module. Exit status 0 when all agree.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from ovs_oracle import LOCKING, MAC, P, SDN, Ovs, normalize, port1_config, sh  # noqa: E402


class Stub:
    def __init__(self, d, build):
        self.sock = f"{d}/stub.sock"
        self.proc = subprocess.Popen(
            [os.path.join(build, "tests/peers/of_switch_stub"), self.sock],
            stdout=subprocess.DEVNULL, stderr=open(f"{d}/stub.log", "w"))
        for _ in range(100):
            if os.path.exists(self.sock):
                break
            time.sleep(0.05)
        self.env = dict(os.environ)
        self.target = f"unix:{self.sock}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait(5)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
    for tool in ("ovs-vswitchd", "ovsdb-server", "ovs-ofctl", "ovs-vsctl"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} not found")
            return 77
    d = tempfile.mkdtemp(prefix="of_stub_check.")
    ovs = stub = None
    failures = 0
    ok = False
    try:
        ovs = Ovs(d)
        stub = Stub(d, build)
        sw = [ovs, stub]

        def run(mode, *args):
            res = []
            for s in sw:
                r = sh(["ovs-ofctl", *mode, *[s.target if a == "BR" else a
                                              for a in args]],
                       s.env, check=False)
                res.append((r.returncode, normalize(r.stdout, s.target),
                            normalize(r.stderr, s.target)))
            return res

        def same(what, mode, *args):
            nonlocal failures
            (rc1, out1, err1), (rc2, out2, err2) = run(mode, *args)
            if (rc1, out1, err1) != (rc2, out2, err2):
                failures += 1
                print(f"DIFFER [{' '.join(mode) or 'default'}] {what}: "
                      f"ovs-ofctl {' '.join(args)}")
                print(f"  ovs  rc={rc1}\n    " + (out1 + "\n" + err1).strip()
                      .replace("\n", "\n    "))
                print(f"  stub rc={rc2}\n    " + (out2 + "\n" + err2).strip()
                      .replace("\n", "\n    "))
            return rc1 == rc2

        def dump(mode, what):
            same(f"dump-flows after {what}", mode, "dump-flows", "BR")

        # OVS's internal ports start down; the stub's are up
        for i in (1, 2, 3):
            sh(["ovs-ofctl", "mod-port", "br0", f"p{i}", "up"], ovs.env)

        for mode in ([], ["-O", "OpenFlow10"], ["-O", "OpenFlow11"],
                     ["-O", "OpenFlow13"]):
            name = " ".join(mode) or "default"
            same("del-flows", mode, "del-flows", "BR")
            for f in LOCKING:
                same("add-flow", mode, "add-flow", "BR", f"cookie=1,{f}")
            dump(mode, "locking flows")
            for f in SDN:
                same("add-flow", mode, "add-flow", "BR", f)
            same("add-flow --strict", mode, "--strict", "add-flow", "BR",
                 "priority=5,in_port=2,actions=output:1")
            # an add replacing a flow: the cookie rule differs per form
            same("add-flow replace", mode, "add-flow", "BR",
                 "priority=70,cookie=0x77,in_port=3,actions=local")
            dump(mode, "sdn flows")
            same("del-flows", mode, "del-flows", "BR", f"in_port={P},cookie=1/-1")
            dump(mode, "del-flows in_port,cookie")
            same("del-flows --strict", mode, "--strict", "del-flows", "BR",
                 "priority=70,in_port=3")
            same("del-flows --strict miss", mode, "--strict", "del-flows", "BR",
                 "priority=71,in_port=3")
            dump(mode, "strict delete")
            same("mod-flows", mode, "mod-flows", "BR",
                 "dl_dst=02:00:00:00:00:09,actions=output:3")
            same("mod-flows cookie", mode, "mod-flows", "BR",
                 "cookie=0x2c/-1,actions=drop")
            same("mod-flows --strict", mode, "--strict", "mod-flows", "BR",
                 f"priority=80,arp,dl_src={MAC},actions=drop")
            same("mod-flows new cookie", mode, "mod-flows", "BR",
                 "cookie=0x99,icmp,actions=output:2")
            same("mod-flows adds", mode, "mod-flows", "BR",
                 "priority=5,in_port=3,actions=output:1")
            same("mod-flows --strict adds", mode, "--strict", "mod-flows",
                 "BR", "priority=6,in_port=3,cookie=0x5,actions=output:1")
            dump(mode, "modify")
            same("del-flows out_port", mode, "del-flows", "BR", "out_port=2")
            dump(mode, "del-flows out_port")
            same("del-flows cookie", mode, "del-flows", "BR", "cookie=0x2a/-1")
            dump(mode, "del-flows cookie=0x2a/-1")
            same("dump-flows filter", mode, "dump-flows", "BR", "in_port=3")
            same("dump-flows cookie", mode, "dump-flows", "BR", "cookie=0x2b/-1")
            same("del-flows all", mode, "del-flows", "BR")
            dump(mode, "del-flows")

            # ports: no-flood exists only in OF1.0's wire format
            same("mod-port no-flood", mode, "mod-port", "BR", "p1", "no-flood")
            for cmd in (["show", "BR"], ["dump-ports-desc", "BR"]):
                outs = []
                for s in sw:
                    r = sh(["ovs-ofctl", *mode, *[s.target if a == "BR" else a
                                                  for a in cmd]], s.env,
                           check=False)
                    outs.append(port1_config(r.stdout))
                if outs[0] != outs[1]:
                    failures += 1
                    print(f"DIFFER [{name}] {cmd[0]} after no-flood: "
                          f"ovs {outs[0]} stub {outs[1]}")
            same("mod-port flood", mode, "mod-port", "BR", "p1", "flood")
            print(f"mode {name}: done")
        ok = True
    finally:
        if stub:
            stub.stop()
        if ovs:
            ovs.stop()
        if ok and failures == 0:
            shutil.rmtree(d, ignore_errors=True)
        else:
            print(f"logs kept in {d}")
    print("OK" if failures == 0 else f"{failures} difference(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
