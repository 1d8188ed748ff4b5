"""The control plane through sluicectl on the real daemon: every command and
its errors, who may use the socket, persistence across a restart, many
clients at once, oversized and silent clients, telemetry, and traffic that
keeps flowing while other networks and VIFs come and go."""
import grp
import json
import os
import select
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from scapy.all import IP, UDP, Ether, Raw, sendp

import sltest
from sltest import Capture, Daemon, port_stats, sh

PID = os.getpid()


def start(name, **kw):
    wd = sltest.workdir(name)
    os.chmod(wd, 0o755)	# other users must reach the socket in it
    return Daemon(None, wd, **kw)


def test_commands_and_errors():
    d = start("ctl-commands")
    try:
        # networks
        net = d.uuid("network-create", "name-label=Lab network", "MTU=9000",
                      "other-config:owner=ops")
        assert len(net) == 36
        _, out, _ = d.ctl("network-list", f"uuid={net}")
        assert "name-label: Lab network" in out and "bridge: xapi0" in out, out
        assert d.json("network-param-get", f"uuid={net}", "param-name=MTU") == 9000
        d.ctl("network-param-set", f"uuid={net}", "name-description=for tests",
              "other-config:tier=gold")
        rec = d.json("network-param-list", f"uuid={net}")
        assert rec["name-description"] == "for tests"
        assert rec["other-config"] == {"owner": "ops", "tier": "gold"}
        d.ctl("network-param-remove", f"uuid={net}", "param-name=other-config",
              "param-key=owner")
        assert d.json("network-param-get", f"uuid={net}", "param-name=other-config") == {"tier": "gold"}
        d.expect_error(["network-create"], 1001, "MISSING_PARAMETER", "name-label:")
        d.expect_error(["network-create", "name-label=x", "MTU=10"], 1000,
                     "INVALID_VALUE", "MTU: '10' is not a whole number in 68..9216")
        d.expect_error(["network-param-set", f"uuid={net}", "bridge=xenbr9"], 1017,
                     "FIELD_READ_ONLY", "bridge:")
        d.expect_error(["network-destroy", "uuid=12345678-1234-4234-8234-123456789abc"],
                     1003, "HANDLE_INVALID", "no network has uuid 12345678")
        d.expect_error(["frobnicate"], -32601, "UNKNOWN_COMMAND", "unknown command 'frobnicate'")
        # PIFs
        pif = d.uuid("pif-introduce", "device=eth1", "devargs=net_tap,iface=slpif1",
                      "other-config:ethtool-tx=on")
        pifrec = d.json("pif-param-list", f"uuid={pif}")
        assert pifrec["bridge"] == "xenbr1" and not pifrec["currently-attached"]
        net1 = pifrec["network-uuid"]
        d.ctl("pif-plug", f"uuid={pif}")
        assert d.json("pif-param-get", f"uuid={pif}", "param-name=currently-attached") is True
        tap = port_stats(d.json("stats"), "eth1")
        assert tap["kind"] == "tap" and "IPV4_CKSUM" in tap["tx-offloads"], tap
        d.expect_error(["pif-introduce", "device=eth1", "devargs=net_null"], 1006,
                     "DEVICE_ALREADY_EXISTS", "a PIF with device eth1 already exists")
        d.expect_error(["pif-param-set", f"uuid={pif}", "other-config:ethtool-lro=on"],
                     1016, "OFFLOAD_NOT_SUPPORTED", "ethtool-lro=on")
        d.expect_error(["network-destroy", f"uuid={net1}"], 1011,
                     "NETWORK_CONTAINS_PIF", "still has 1 PIF(s)")
        _, out, _ = d.ctl("pif-list")
        assert "device: eth1" in out and "currently-attached: true" in out, out
        # dropping the offload key re-opens the port with the default
        d.ctl("pif-param-remove", f"uuid={pif}", "param-name=other-config",
              "param-key=ethtool-tx")
        tap = port_stats(d.json("stats"), "eth1")
        assert "IPV4_CKSUM" not in tap["tx-offloads"], tap
        d.ctl("pif-unplug", f"uuid={pif}")
        assert d.json("pif-param-get", f"uuid={pif}", "param-name=currently-attached") is False
        d.ctl("pif-plug", f"uuid={pif}")
        scan = d.json("pif-scan")
        assert any(s["device"] == "slpif1" and s["kind"] == "kernel-netdev" for s in scan), scan
        # a PIF that cannot attach says why and stays unplugged
        d.allow(r"err sluiced: PIF eth2 cannot be attached: network interface 'nosuchif'")
        bad = d.uuid("pif-introduce", "device=eth2",
                      "devargs=net_af_packet,iface=nosuchif", f"network-uuid={net}")
        d.expect_error(["pif-plug", f"uuid={bad}"], 1015, "ATTACH_FAILED",
                     "network interface 'nosuchif' does not exist")
        d.ctl("pif-forget", f"uuid={bad}")
        # VIFs
        vif = d.uuid("vif-create", f"network-uuid={net}", "mac=02:00:00:00:aa:01",
                      "device=vif5.0", "devargs=net_null,no-rx=1")
        d.ctl("vif-plug", f"uuid={vif}")
        assert d.json("vif-param-get", f"uuid={vif}", "param-name=MTU") == 9000
        d.expect_error(["vif-destroy", f"uuid={vif}"], 1014, "OPERATION_NOT_ALLOWED",
                     "vif-unplug it first")
        fdb = d.json("fdb-show", "bridge=xapi0")
        assert [(e["MAC"], e["device"], e["static"]) for e in fdb] == \
            [("02:00:00:00:aa:01", "vif5.0", True)], fdb
        _, out, _ = d.ctl("fdb-show")
        assert "02:00:00:00:aa:01" in out and "static" in out, out
        d.ctl("vif-param-set", f"uuid={vif}", "other-config:ethtool-sg=off",
              "other-config:note=x")
        assert d.json("vif-param-get", f"uuid={vif}", "param-name=other-config",
                      "param-key=note") == "x"
        d.ctl("vif-param-remove", f"uuid={vif}", "param-name=other-config",
              "param-key=ethtool-sg")
        d.expect_error(["vif-param-set", f"uuid={vif}", "devargs=net_null"], 1014,
                     "OPERATION_NOT_ALLOWED", "vif5.0 is plugged")
        d.expect_error(["vif-param-set", f"uuid={vif}", "MAC=02:00:00:00:00:09"], 1017,
                     "FIELD_READ_ONLY", "MAC:")
        d.ctl("vif-move", f"uuid={vif}", f"network-uuid={net1}")
        assert d.json("vif-param-get", f"uuid={vif}", "param-name=MTU") == 1500
        d.ctl("vif-unplug", f"uuid={vif}")
        d.ctl("vif-destroy", f"uuid={vif}")
        # host commands
        st = d.json("status")
        assert st["networks"] == 2 and st["PIFs"] == 1 and st["workers"] == 1, st
        names = d.json("list-commands")
        for c in ("network-create", "pif-introduce", "vif-create", "stats",
                  "fdb-flush", "reset-networking", "help"):
            assert c in names, c
        _, out, _ = d.ctl("help", "vif-create")
        assert "network-uuid=<network> mac=<MAC>" in out, out
        # sluicectl answers help and list-commands itself with the very JSON
        # the daemon sends
        for method, params in (("help", {"command": "vif-create"}), ("help", {}),
                               ("list-commands", {})):
            req = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method,
                              "params": params}).encode() + b"\n"
            daemon = json.loads(raw_request(d.socket, req))["result"]
            local = d.json(method, *(f"{k}={v}" for k, v in params.items()))
            assert local == daemon, (method, local, daemon)
        _, out, _ = d.ctl("stats")
        assert "eth1" in out and "drops:" in out and "worker 0" in out, out
        assert d.json("fdb-flush")["flushed"] == 0
        assert d.json("reset-networking") == {"PIFs-removed": 1, "VLANs-removed": 0,
                                              "bonds-removed": 0, "tunnels-removed": 0,
                                              "sriov-networks-removed": 0,
                                              "VF-VIFs-removed": 0}
        assert d.json("pif-list") == []
        assert len(d.json("network-list")) == 2	# networks stay
        # argument errors of the CLI itself
        rc, _, err = d.ctl("network-list", "bogus", check=False)
        assert rc == 1 and "argument 'bogus' is not KEY=VALUE" in err
        rc, _, err = d.ctl("network-list", "a=1", "a=2", check=False)
        assert rc == 1 and "a is given twice" in err
        # --json and --minimal anywhere on the line; --minimal as xe's:
        # the uuids, comma-separated, nothing else
        uuids = sorted(n["uuid"] for n in d.json("network-list"))
        _, out, _ = d.ctl("network-list", "--minimal")
        assert sorted(out.strip().split(",")) == uuids and "\n" not in out.strip(), out
        _, out, _ = d.ctl("--minimal", "network-list", "params=uuid")
        assert sorted(out.strip().split(",")) == uuids, out
        _, out, _ = d.ctl("network-list", "--json")
        assert sorted(n["uuid"] for n in json.loads(out)) == uuids, out
        _, out, _ = d.ctl("--js", "network-list")	# a prefix, as getopt's
        assert sorted(n["uuid"] for n in json.loads(out)) == uuids, out
        _, out, _ = d.ctl("pif-list", "--minimal")
        assert out == "\n", repr(out)     # no PIF left: an empty line, as xe
        rc, _, err = d.ctl("status", "--minimal", check=False)
        assert rc == 1 and "--minimal: only a *-list prints uuids" in err, err
        # the command table checks parameters before the command runs
        d.expect_error(["vif-move", "uuid=x"], 1001, "MISSING_PARAMETER",
                       "network-uuid: this parameter is required")
    finally:
        code, _ = d.stop()
    assert code == 0, d.log


def test_persistence_across_restart():
    d = start("ctl-persist")
    lists = ("network-list", "pif-list", "vif-list")
    try:
        net = d.uuid("network-create", "name-label=kept", "MTU=4000",
                      "other-config:k=v")
        pif = d.uuid("pif-introduce", "device=eth0", "devargs=net_null,no-rx=1")
        d.ctl("pif-plug", f"uuid={pif}")
        pif2 = d.uuid("pif-introduce", "device=eth9", "devargs=net_null,no-rx=1",
                       f"network-uuid={net}")
        vif = d.uuid("vif-create", f"network-uuid={net}", "mac=02:00:00:00:bb:01",
                      "device=vif1.0", "devargs=net_null,no-rx=1",
                      "other-config:ethtool-sg=off")
        d.ctl("vif-plug", f"uuid={vif}")
        d.ctl("pif-param-set", f"uuid={pif}", "management=true")
        before = {c: d.json(c) for c in lists}
    finally:
        code, _ = d.stop()
    assert code == 0, d.log
    # the same state file, a new daemon
    d2 = Daemon(None, d.dir)
    try:
        after = {c: d2.json(c) for c in lists}
        assert after == before, (before, after)
        assert d2.json("pif-param-get", f"uuid={pif}", "param-name=currently-attached")
        assert not d2.json("pif-param-get", f"uuid={pif2}", "param-name=currently-attached")
    finally:
        code, _ = d2.stop()
    assert code == 0, d2.log


def test_who_may_connect():
    group, member, outsider = f"slg{PID}", f"sli{PID}", f"slo{PID}"
    sh(f"groupadd {group}")
    sh(f"useradd -M -N -s /usr/sbin/nologin -G {group} {member}")
    sh(f"useradd -M -N -s /usr/sbin/nologin {outsider}")
    try:
        d = start("ctl-perm", args=["--socket-group", group])
        try:
            st = os.stat(d.socket)
            assert oct(st.st_mode & 0o777) == "0o660", oct(st.st_mode)
            d.ctl("status", user=member)
            # the socket's mode keeps the outsider out...
            rc, _, err = d.ctl("status", user=outsider, check=False)
            assert rc == 1 and "permission denied" in err, err
            # ...and so does sluiced itself when the mode is too loose,
            # and logs it
            d.allow(r"warning sluiced: control socket: refused pid \d+: permission denied")
            os.chmod(d.socket, 0o666)
            rc, _, err = d.ctl("status", user=outsider, check=False)
            assert rc == 1, err
            assert "Error -32001 PERMISSION_DENIED: permission denied: uid" in err, err
            assert f"not in group {group}" in err, err
            d.ctl("status", user=member)
            assert d.wait_log("control socket: refused pid"), d.log
            assert d.json("status")["refused-peers"] == 1
        finally:
            code, _ = d.stop()
        assert code == 0, d.log
    finally:
        sh(f"userdel {member}", check=False)
        sh(f"userdel {outsider}", check=False)
        sh(f"groupdel {group}", check=False)


def raw_request(path, payload, read=True):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.settimeout(20)
    try:
        s.sendall(payload)
    except (BrokenPipeError, ConnectionResetError):
        pass	# refused mid-request: the answer is still there to read
    if not read:
        return s
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data


def test_many_and_misbehaving_clients():
    # silent clients stay for this test: no idle timeout in its way
    d = start("ctl-clients", args=["--socket-idle-timeout", "0"])
    # the greedy client and the 2 MiB request are logged as they go
    d.allow(r"warning sluiced: control client pid \d+ does not read its answers; dropped",
            r"warning sluiced: control client pid \d+: request larger than \d+ bytes refused")
    try:
        # a silent client and one that sends half a request, kept open
        silent = socket.socket(socket.AF_UNIX)
        silent.connect(d.socket)
        half = raw_request(d.socket, b'{"jsonrpc": "2.0", "id": 1, "meth', read=False)
        # one that asks a lot and never reads an answer
        greedy = raw_request(d.socket, b'{"jsonrpc":"2.0","id":1,"method":"help"}\n' * 2000,
                             read=False)
        # a 2 MiB request is refused and its connection closed
        big = b'{"jsonrpc":"2.0","id":9,"method":"network-create","params":{"name-label":"' + \
            b"x" * (2 * 1024 * 1024) + b'"}}\n'
        ans = json.loads(raw_request(d.socket, big))
        assert ans["error"]["code"] == -32600, ans
        assert "larger than 1048576 bytes" in ans["error"]["message"], ans
        # not JSON, wrong envelope
        assert json.loads(raw_request(d.socket, b"hello\n"))["error"]["code"] == -32700
        assert json.loads(raw_request(d.socket, b'{"id":1}\n'))["error"]["code"] == -32600
        # 50 clients at once, each making a network
        with ThreadPoolExecutor(max_workers=50) as pool:
            results = list(pool.map(
                lambda i: d.ctl("network-create", f"name-label=net{i}", check=False),
                range(50)))
        assert all(r[0] == 0 for r in results), [r[2] for r in results if r[0]]
        uuids = {r[1].strip() for r in results}
        assert len(uuids) == 50
        assert {n["uuid"] for n in d.json("network-list")} == uuids
        # the silent, the half-sent and the greedy never held anyone up
        assert d.json("status")["control-clients"] >= 3
        for c in (silent, half, greedy):
            c.close()
        assert d.json("status")["networks"] == 50
    finally:
        code, _ = d.stop()
    assert code == 0, d.log


def hold_connections(path, uid, gid, count):
    """A child process of uid (in group gid, the socket's) opens count
    connections to path and sends nothing. Returns (pid, reader, writer):
    the child writes a JSON line [connections held, the first refusal's
    error], then, once the parent writes a byte, [how many of those sluiced
    closed, the error codes it closed them with]."""
    parent_r, child_w = os.pipe()
    child_r, parent_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([gid])
            os.setgid(gid)
            os.setuid(uid)
            socks = []
            for _ in range(count):
                s = socket.socket(socket.AF_UNIX)
                s.connect(path)
                socks.append(s)
            # sluiced takes them in order: once the last is answered,
            # every earlier one was taken or refused
            select.select([socks[-1]], [], [], 30)
            held, refusal = [], None
            for s in socks:
                s.setblocking(False)
                try:
                    line = s.recv(4096)
                except BlockingIOError:
                    line = b""
                err = json.loads(line)["error"] if line else None
                if err and err["code"] == -32002:
                    refusal = refusal or err
                    s.close()
                else:	# held (perhaps closed idle already: seen below)
                    held.append((s, err))
            os.write(child_w, (json.dumps([len(held), refusal]) + "\n").encode())
            os.read(child_r, 1)
            closed, why = 0, set()
            deadline = time.time() + 60
            for s, err in held:
                if not err:
                    s.setblocking(True)
                    s.settimeout(max(0.1, deadline - time.time()))
                    try:
                        line = s.recv(4096)
                    except (socket.timeout, ConnectionResetError):
                        continue
                    err = json.loads(line)["error"] if line else {"code": 0}
                why.add(err["code"])
                closed += 1
            os.write(child_w, (json.dumps([closed, sorted(why)]) + "\n").encode())
        finally:
            os._exit(0)
    os.close(child_w)
    os.close(child_r)
    return pid, os.fdopen(parent_r), parent_w


def test_idle_clients_lock_nobody_out():
    group = f"slg{PID}"
    sh(f"groupadd {group}")
    gid = grp.getgrnam(group).gr_gid
    children = []
    try:
        d = start("ctl-limits", args=["--socket-group", group,
                                      "--socket-clients-per-uid", "100",
                                      "--socket-idle-timeout", "8"])
        # the refusals this test provokes are logged (a line a second)
        d.allow(r"warning sluiced: control socket: refused pid \d+: too many control connections")
        try:
            # one uid: 100 connections, the 101st refused by the per-uid cap
            # (uids with no account: the group is what the socket checks)
            for uid, want in ((61001, 100), (61002, 100), (61003, 52)):
                pid, r, w = hold_connections(d.socket, uid, gid, want + 1)
                children.append((pid, r, w))
                held, err = json.loads(r.readline())
                assert held == want, (uid, held, err)
                assert err["code"] == -32002, err
                assert err["data"]["name"] == "TOO_MANY_CLIENTS", err
                if uid != 61003:
                    assert f"too many control connections for uid {uid}" in err["message"], err
                else:	# 252 in all: the last 4 slots are root's
                    assert "the last 4 kept for root" in err["message"], err
            # root is still served, and sees the refusals counted
            st = d.json("status")
            assert st["control-refused-per-uid"] == 2, st
            assert st["control-refused-full"] == 1, st
            d.json("network-list")
            # root's own client that asks much and never reads its answers
            # is closed too (told why, then shut down: it reads nothing);
            # small answers, so that it stays under the pending output's
            # cap (past that it is dropped at once, not for being idle)
            greedy = raw_request(d.socket, b'{"jsonrpc":"2.0","id":1,"method":"status"}\n' * 2000,
                                 read=False)
            # every silent one is closed by the idle timeout, and told why
            for _, r, w in children:
                os.write(w, b"x")
            for uid, (_, r, _) in zip((61001, 61002, 61003), children):
                closed, why = json.loads(r.readline())
                assert closed == (52 if uid == 61003 else 100), (uid, closed)
                assert why == [-32003], why
            sltest.wait_for(lambda: d.json("status")["control-clients"] == 1,
                            "idle connections closed", timeout=30)
            st = d.json("status")
            assert st["control-idle-closed"] == 253, st
            greedy.close()
            assert d.wait_log("control socket: closed idle pid"), d.log
            assert d.wait_log("control socket: refused pid"), d.log
        finally:
            for pid, r, w in children:
                r.close()
                os.close(w)
                os.waitpid(pid, 0)
            code, _ = d.stop()
        assert code == 0, d.log
    finally:
        sh(f"groupdel {group}", check=False)


def test_telemetry():
    d = start("ctl-telemetry")
    try:
        pif = d.uuid("pif-introduce", "device=eth0", "devargs=net_null,no-rx=1")
        d.ctl("pif-plug", f"uuid={pif}")
        net = d.json("pif-param-get", f"uuid={pif}", "param-name=network-uuid")
        # a device name with '.' (every XCP-ng VIF's) is no telemetry key
        vif = d.uuid("vif-create", f"network-uuid={net}", "device=vif1.0",
                     "mac=02:00:00:00:00:10", "devargs=net_null,no-rx=1")
        d.ctl("vif-plug", f"uuid={vif}")
        prefix = d.json("status")["eal-file-prefix"]
        time.sleep(1.5)	# the telemetry copy is refreshed every second

        def query(cmd):
            r = subprocess.run(["dpdk-telemetry.py", "-f", prefix], input=cmd + "\n",
                               capture_output=True, text=True, timeout=30)
            for line in r.stdout.splitlines():
                line = line.lstrip("-> ").strip()
                if line.startswith("{") and cmd.split(",")[0] in line:
                    return json.loads(line)
            raise AssertionError(f"{cmd}: {r.stdout} {r.stderr}")

        listed = query("/sluice/ports")["/sluice/ports"]
        assert sorted(listed) == ["eth0", "vif1_0"], listed
        ports = {p["device"]: p for p in listed.values()}
        assert sorted(ports) == ["eth0", "vif1.0"], listed
        assert ports["eth0"]["kind"] == "null" and "tx_packets" in ports["eth0"], ports
        one = query("/sluice/port,vif1.0")["/sluice/port"]
        assert one["port_id"] == ports["vif1.0"]["port_id"]
        drops = query("/sluice/drops")["/sluice/drops"]
        assert "ipv4_bad_ihl" in drops and drops["hairpin"] == 0, drops
        stats = query("/sluice/stats")["/sluice/stats"]
        assert "entries" in stats["fdb"] and "worker0" in stats, stats
        # reals in the unit of their name (they were multiplied by 100)
        up = d.json("stats")["uptime-s"]
        assert isinstance(stats["uptime_s"], int) and stats["uptime_s"] <= up + 1, stats
        assert 0 <= stats["worker0"]["busy_pct"] <= 100, stats
    finally:
        code, _ = d.stop()
    assert code == 0, d.log


def test_log_level():
    """Log levels are shown and set at run time; debug messages explain
    what the switch did (a rule-set built and in force, a snapshot)."""
    d = start("ctl-log-level")
    try:
        def levels(*args):
            return {r["log-type"]: r["level"] for r in d.json("log-level", *args)}

        every = levels()
        assert every["sluice"] == "notice" and "lib.eal" in every, every
        assert levels("module=sluice") == {"sluice": "notice"}
        assert levels("set=debug") == {"sluice": "debug"}
        net = d.uuid("network-create", "name-label=logged", "bridge=xenbr5")
        vif = d.uuid("vif-create", f"network-uuid={net}", "device=vif5.0",
                     "mac=02:00:00:00:05:01", "devargs=net_null,no-rx=1")
        d.ctl("vif-plug", f"uuid={vif}")	# a rule is built for a plugged VIF
        d.ctl("add-rule", "bridge=xenbr5", "direction=to", "protocol=tcp",
              "port=22", "ipRange=10.0.0.0/8", "allow=false")
        assert d.wait_log("rule-set 1: 1 rules in the classifier"), d.log
        assert d.wait_log("snapshot "), d.log
        dpdk = levels("set=info", "module=dpdk")
        assert dpdk and set(dpdk.values()) == {"info"}, dpdk
        assert all(k.startswith(("lib.", "pmd.")) for k in dpdk), dpdk
        assert levels("module=sluice") == {"sluice": "debug"}
        d.expect_error(["log-level", "set=loud"], 1000, "INVALID_VALUE", "'loud' is not a level")
        d.expect_error(["log-level", "module=no.such.type"], 1003, "HANDLE_INVALID",
                       "no log type is named 'no.such.type'")
        d.json("log-level", "set=notice")
        d.ctl("del-rule", "bridge=xenbr5", "direction=to", "protocol=tcp",
              "port=22", "ipRange=10.0.0.0/8")
        time.sleep(sltest.SETTLE)
        assert "rule-set 2:" not in d.log, d.log
    finally:
        code, _ = d.stop()
    assert code == 0, d.log


def test_traffic_survives_churn():
    """A network carries a numbered stream while other networks, PIFs and
    VIFs are created, plugged, unplugged and destroyed; every frame of the
    stream arrives once."""
    vif_mac = "02:00:00:00:cc:01"
    d = start("ctl-churn")
    try:
        net = d.uuid("network-create", "name-label=busy")
        pif = d.uuid("pif-introduce", "device=eth1", "devargs=net_af_packet,iface=sl1",
                      f"network-uuid={net}")
        d.ctl("pif-plug", f"uuid={pif}")
        vif = d.uuid("vif-create", f"network-uuid={net}", f"mac={vif_mac}",
                      "device=vifA", "devargs=net_tap,iface=slvifA")
        d.ctl("vif-plug", f"uuid={vif}")
        sh("ip link set slvifA up")
        cap = Capture(["slvifA"])
        done = threading.Event()
        churned = []

        def churn():
            for i in range(15):
                n = d.uuid("network-create", f"name-label=churn{i}")
                v = d.uuid("vif-create", f"network-uuid={n}", "mac=02:00:00:00:dd:01",
                            f"device=c{i}", "devargs=net_null,no-rx=1")
                d.ctl("vif-plug", f"uuid={v}")
                p = d.uuid("pif-introduce", f"device=ceth{i}",
                            f"devargs=net_tap,iface=slc{i}", f"network-uuid={n}")
                d.ctl("pif-plug", f"uuid={p}")
                d.ctl("vif-unplug", f"uuid={v}")
                d.ctl("vif-destroy", f"uuid={v}")
                d.ctl("pif-forget", f"uuid={p}")
                d.ctl("network-destroy", f"uuid={n}")
                churned.append(i)
            done.set()

        t = threading.Thread(target=churn)
        t.start()
        seq = 0
        while not done.is_set() or seq < 500:
            batch = [Ether(src="02:00:00:00:ee:01", dst=vif_mac) / IP() /
                     UDP(sport=40000, dport=40001) /
                     Raw(b"seq-%08d" % (seq + k)) for k in range(50)]
            sendp(batch, iface="t1", verbose=False)
            seq += 50
        t.join()
        got = cap.wait_for("slvifA", lambda f: b"seq-" in bytes(f), count=seq, timeout=20)
        cap.close()
        nums = sorted(int(bytes(f[Raw].load)[4:12]) for f in got)
        assert len(churned) == 15
        assert nums == list(range(seq)), (len(nums), seq, sorted(set(range(seq)) - set(nums))[:10])
        st = d.json("stats")
        assert port_stats(st, "eth1")["rx-packets"] == seq
        assert port_stats(st, "vifA")["tx-packets"] == seq
        assert port_stats(st, "vifA")["tx-dropped"] == 0
        assert sum(st["drops"].values()) == 0, st["drops"]
    finally:
        code, _ = d.stop()
    assert code == 0, d.log


if __name__ == "__main__":
    sltest.quiet_netns()
    sltest.veth("sl1", "t1")
    sltest.run([test_commands_and_errors, test_persistence_across_restart,
                test_who_may_connect, test_many_and_misbehaving_clients,
                test_idle_clients_lock_nobody_out,
                test_telemetry, test_log_level, test_traffic_survives_churn])
