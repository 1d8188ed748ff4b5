# SPDX-License-Identifier: BSD-3-Clause
"""An active Controller target (tcp:IP:PORT), as ovs-vswitchd follows
it: sluiced connects out, speaks the same channel as on its sockets (a
controller's FLOW_MOD lands in the table ovs-ofctl dumps), and connects
again after the controller closed. The controller here is the test: a
plain socket speaking OpenFlow 1.0 packed by hand (struct, per the
OpenFlow 1.0 specification), never sluice's own code."""
import os
import select
import socket
import ssl
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import sltest  # noqa: E402
from test_ovsdb import Host  # noqa: E402
from test_openflow import certificates, dump, ofctl  # noqa: E402

PORT = 16653
OFPT_HELLO, OFPT_ERROR, OFPT_FEATURES_REQUEST, OFPT_FEATURES_REPLY = 0, 1, 5, 6
OFPT_FLOW_REMOVED, OFPT_PORT_STATUS, OFPT_FLOW_MOD = 11, 12, 14
OFPT_BARRIER_REQUEST, OFPT_BARRIER_REPLY = 18, 19
OFPT_ECHO_REQUEST, OFPT_ECHO_REPLY = 2, 3


def msg(type_, xid, body=b""):
    return struct.pack("!BBHI", 1, type_, 8 + len(body), xid) + body


def recv_msg(s):
    """One OpenFlow message: (version, type, xid, body)."""
    def exactly(n):
        b = b""
        while len(b) < n:
            chunk = s.recv(n - len(b))
            if not chunk:
                raise EOFError("the switch closed the connection")
            b += chunk
        return b
    version, type_, length, xid = struct.unpack("!BBHI", exactly(8))
    return version, type_, xid, exactly(length - 8)


def wait_type(s, type_):
    while True:
        m = recv_msg(s)
        assert m[1] != OFPT_ERROR, f"the switch answered an error: {m}"
        if m[1] == type_:
            return m


def flow_mod_add(cookie, priority, in_port, flags=0):
    """OpenFlow 1.0 FLOW_MOD ADD: match in_port only, actions NORMAL
    (flags 1: SEND_FLOW_REM)."""
    wildcards = 0x3fffff & ~1	# all but in_port
    match = struct.pack("!IH", wildcards, in_port) + bytes(34)
    body = match + struct.pack("!QHHHHIHH", cookie, 0, 0, 0, priority,
                               0xffffffff, 0xffff, flags)
    body += struct.pack("!HHHH", 0, 8, 0xfffa, 0)	# output:NORMAL
    return body


def listen(port):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(4)
    return listener


def accept(listener, tls=None):
    listener.settimeout(30)
    c, _ = listener.accept()
    c.settimeout(30)
    if tls:
        c = tls.wrap_socket(c, server_side=True)
    _, type_, _, _ = recv_msg(c)
    assert type_ == OFPT_HELLO
    c.sendall(msg(OFPT_HELLO, 1))	# 1.0: what both speak
    return c


def controller_state(d):
    bridges = d.json("status")["openflow"]["bridges"]
    return [c["state"] for b in bridges for c in b["controllers"]]


def test_active_controller():
    with Host("openflow-active") as h:
        db, d = h.db, h.d
        sltest.sh("ip link set lo up")
        listener = listen(PORT)
        try:
            db.vsctl("add-br", "br0", "--", "add-port", "br0", "p1", "--", "set",
                     "interface", "p1", "type=internal", "ofport_request=1")
            db.vsctl("set-controller", "br0", f"tcp:127.0.0.1:{PORT}")
            c = accept(listener)
            c.sendall(msg(OFPT_FEATURES_REQUEST, 2))
            _, _, xid, body = wait_type(c, OFPT_FEATURES_REPLY)
            assert xid == 2 and struct.unpack("!Q", body[:8])[0] != 0, body
            c.sendall(msg(OFPT_FLOW_MOD, 3, flow_mod_add(0x77, 123, 1)))
            c.sendall(msg(OFPT_BARRIER_REQUEST, 4))
            assert wait_type(c, OFPT_BARRIER_REPLY)[2] == 4
            mgmt = "unix:" + os.path.join(db.dir, "br0.mgmt")
            flows = dump(mgmt)
            assert flows["priority=123,in_port=1"][0] == "0x77", flows
            sltest.wait_for(lambda: controller_state(d) == [f"connected to 127.0.0.1:{PORT}"],
                            "the connected state")
            # ovs-ofctl takes a port down: the controller hears of it
            # (OFPPR_MODIFY, ofp_phy_port's config with PORT_DOWN)
            for what, down in (("down", 1), ("up", 0)):
                ofctl("mod-port", mgmt, "p1", what)
                _, _, _, body = wait_type(c, OFPT_PORT_STATUS)
                port_no, config = struct.unpack("!H", body[8:10])[0], \
                    struct.unpack("!I", body[32:36])[0]
                assert (body[0], port_no, config & 1) == (2, 1, down), body
            # with an active controller a change of fail_mode leaves the
            # table to it (OVS: no flush)
            db.vsctl("set-fail-mode", "br0", "secure")
            c.sendall(msg(OFPT_BARRIER_REQUEST, 6))
            wait_type(c, OFPT_BARRIER_REPLY)
            assert "priority=123,in_port=1" in dump(mgmt), dump(mgmt)
            # the controller goes: sluice connects again (backoff 1 s)
            h.allow(r"connection to controller .* closed")
            c.close()
            c = accept(listener)
            c.sendall(msg(OFPT_BARRIER_REQUEST, 5))
            assert wait_type(c, OFPT_BARRIER_REPLY)[2] == 5
            # the row goes: the connection too
            db.vsctl("del-controller", "br0")
            sltest.wait_for(lambda: controller_state(d) == [], "the controller's removal")
            try:
                while recv_msg(c):
                    pass
            except EOFError:
                pass
            c.close()
        finally:
            listener.close()


def test_flush_sends_flow_removed():
    """A passive (ptcp:) controller's flow that asked for FLOW_REMOVED:
    the flush of a fail_mode change (no active controller) sends it, as
    OVS's flush (reason DELETE)."""
    with Host("openflow-flush") as h:
        db = h.db
        sltest.sh("ip link set lo up")
        db.vsctl("add-br", "br0", "--", "add-port", "br0", "p1", "--", "set",
                 "interface", "p1", "type=internal", "ofport_request=1")
        db.vsctl("set-controller", "br0", f"ptcp:{PORT + 2}:127.0.0.1")
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sltest.wait_for(lambda: c.connect_ex(("127.0.0.1", PORT + 2)) == 0,
                        "the ptcp: listener")
        c.settimeout(30)
        try:
            assert recv_msg(c)[1] == OFPT_HELLO
            c.sendall(msg(OFPT_HELLO, 1))
            c.sendall(msg(OFPT_FLOW_MOD, 2, flow_mod_add(0x99, 50, 1, flags=1)))
            c.sendall(msg(OFPT_BARRIER_REQUEST, 3))
            wait_type(c, OFPT_BARRIER_REPLY)
            db.vsctl("set-fail-mode", "br0", "secure")
            _, _, _, body = wait_type(c, OFPT_FLOW_REMOVED)
            cookie, priority = struct.unpack("!QH", body[40:50])
            assert (cookie, priority, body[50]) == (0x99, 50, 2), body
            assert dump("unix:" + os.path.join(db.dir, "br0.mgmt")) == {}
        finally:
            c.close()


def test_ssl_controller():
    """ssl: the switch shows the SSL table's certificate (the controller
    checks it against the CA, Python's ssl module doing TLS) and takes
    the controller's; a controller whose certificate another CA signed is
    refused, and retried."""
    with Host("openflow-active-ssl") as h:
        db, d = h.db, h.d
        sltest.sh("ip link set lo up")
        files = certificates(db.dir)
        db.vsctl("set-ssl", files["switch.key"], files["switch.pem"], files["ca.pem"])
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(files["xo.pem"], files["xo.key"])
        tls.load_verify_locations(files["ca.pem"])
        tls.verify_mode = ssl.CERT_REQUIRED
        listener = listen(PORT + 1)
        try:
            db.vsctl("add-br", "br0", "--", "set-controller", "br0",
                     f"ssl:127.0.0.1:{PORT + 1}")
            c = accept(listener, tls)
            subject = dict(x[0] for x in c.getpeercert()["subject"])
            assert subject["commonName"] == "switch", subject
            c.sendall(msg(OFPT_FEATURES_REQUEST, 2))
            assert wait_type(c, OFPT_FEATURES_REPLY)[2] == 2
            h.allow(r"connection to controller .* closed")
            c.close()
            # another CA's controller: the switch refuses it, then tries again
            other = certificates(sltest.workdir("openflow-active-other-ca"))
            bad = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            bad.load_cert_chain(other["xo.pem"], other["xo.key"])
            listener.settimeout(30)
            raw, _ = listener.accept()
            raw.settimeout(30)
            try:
                bad.wrap_socket(raw, server_side=True).recv(8)
                raise AssertionError("the switch took another CA's controller")
            except (ssl.SSLError, ConnectionError, EOFError):
                pass
            raw.close()
            sltest.wait_for(lambda: "again in" in controller_state(d)[0],
                            "the retry after the refused certificate")
            c = accept(listener, tls)
            c.sendall(msg(OFPT_BARRIER_REQUEST, 3))
            assert wait_type(c, OFPT_BARRIER_REPLY)[2] == 3
            c.close()
        finally:
            listener.close()


def test_inactivity_probe():
    """As OVS's rconn does with a controller's connection: after the
    Controller row's inactivity_probe (5 s when empty, at least 5 s) with
    nothing received, an ECHO_REQUEST; no answer within as long again,
    and the connection is closed (an active target is then connected to
    again). The test's two controllers: an active target that never
    answers, a passive one (ptcp:) that answers every probe and stays."""
    with Host("openflow-probe") as h:
        db, d = h.db, h.d
        sltest.sh("ip link set lo up")
        listener = listen(PORT)
        try:
            db.vsctl("add-br", "br0", "--", "set-controller", "br0",
                     f"tcp:127.0.0.1:{PORT}", f"ptcp:{PORT + 1}:127.0.0.1")
            silent = accept(listener)
            sltest.wait_for(lambda: any(s.startswith("listening on")
                                        for s in controller_state(d)), "ptcp:")
            answering = socket.create_connection(("127.0.0.1", PORT + 1), timeout=30)
            assert recv_msg(answering)[1] == OFPT_HELLO
            answering.sendall(msg(OFPT_HELLO, 1))
            probes = {"silent": 0, "answering": 0}
            deadline = time.time() + 30
            closed = False
            while not closed and time.time() < deadline:
                ready, _, _ = select.select([silent, answering], [], [], 1)
                for sock in ready:
                    try:
                        _, type_, xid, body = recv_msg(sock)
                    except EOFError:
                        assert sock is silent, "the answering controller was closed"
                        closed = True
                        break
                    if type_ != OFPT_ECHO_REQUEST:
                        continue
                    if sock is silent:
                        probes["silent"] += 1
                    else:
                        probes["answering"] += 1
                        sock.sendall(msg(OFPT_ECHO_REPLY, xid, body))
            assert closed, ("the silent controller was not disconnected", probes)
            assert probes["silent"] == 1 and probes["answering"] >= 1, probes
            assert d.wait_log("openflow: br0: no response to inactivity probe after "
                              "5 seconds, disconnecting"), d.log
            # the one that answers is still there: it answers a barrier
            answering.sendall(msg(OFPT_BARRIER_REQUEST, 9))
            while True:
                _, type_, xid, body = recv_msg(answering)
                if type_ == OFPT_ECHO_REQUEST:
                    answering.sendall(msg(OFPT_ECHO_REPLY, xid, body))
                elif type_ == OFPT_BARRIER_REPLY:
                    assert xid == 9
                    break
            # and the active target is connected to again
            h.allow(r"connection to controller .* closed")
            accept(listener).close()
            silent.close()
            answering.close()
        finally:
            listener.close()


if __name__ == "__main__":
    sltest.run([test_active_controller, test_flush_sends_flow_removed,
                test_ssl_controller, test_inactivity_probe])
