#!/usr/bin/env python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: BSD-3-Clause
"""XAPI plugin for hosts that switch with sluice instead of Open vSwitch.

Install as /etc/xapi.d/plugins/sdncontroller.py in place of XCP-ng's own.
It has the same three functions (add_rule, del_rule, dump_flows), takes the
same arguments and answers as the original does, so `xe host-call-plugin
... plugin=sdncontroller.py` and Xen Orchestra keep working: the arguments
go unchanged to sluiced's control socket, which parses them exactly as the
original plugin does and holds the rules.

Success: add_rule and del_rule return "true" (JSON), dump_flows the JSON of
{"returncode": 0, "command": [...], "stderr": "", "stdout": "<flows>"}.
Failure: XenAPIPlugin.Failure(code, [message, "", ""]) with the original's
codes: 1 a parameter, 2 tcp/udp without a port, 3 the switch refused (or
cannot be reached), 4 nothing to build.

Runs under Python 2 (XCP-ng 8.2) and Python 3 (8.3).
"""
import json
import os
import socket

import XenAPIPlugin

SOCKET_PATH = os.environ.get("SLUICE_SOCKET", "/run/sluice/sluiced.sock")
TIMEOUT_S = 30
E_OVSCALL = 3   # the switch refused or could not be reached

METHODS = {"add_rule": "add-rule", "del_rule": "del-rule",
           "dump_flows": "dump-flows"}


def _fail(code, message):
    raise XenAPIPlugin.Failure(str(code), [message, "", ""])


def _call(function, args):
    """One JSON-RPC request to sluiced; its result, or Failure."""
    request = {"jsonrpc": "2.0", "id": 1, "method": METHODS[function],
               "params": dict((str(k), str(v)) for k, v in args.items())}
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(TIMEOUT_S)
    try:
        try:
            sock.connect(SOCKET_PATH)
            sock.sendall((json.dumps(request) + "\n").encode("utf-8"))
            data = b""
            while not data.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except (socket.error, OSError) as e:
            _fail(E_OVSCALL, "%s: cannot reach sluiced at %s: %s"
                  % (function, SOCKET_PATH, e))
    finally:
        sock.close()
    try:
        answer = json.loads(data.decode("utf-8"))
    except ValueError:
        _fail(E_OVSCALL, "%s: sluiced gave no answer" % function)
    error = answer.get("error")
    if error is not None:
        code = error.get("code")
        # codes 1..4 are the plugin's own; anything else is the switch's
        _fail(code if code in (1, 2, 3, 4) else E_OVSCALL,
              error.get("message", "sluiced refused the request"))
    return answer.get("result")


def add_rule(_session, args):
    return json.dumps(_call("add_rule", args))


def del_rule(_session, args):
    return json.dumps(_call("del_rule", args))


def dump_flows(_session, args):
    return json.dumps(_call("dump_flows", args))


if __name__ == "__main__":
    XenAPIPlugin.dispatch({"add_rule": add_rule, "del_rule": del_rule,
                           "dump_flows": dump_flows})
