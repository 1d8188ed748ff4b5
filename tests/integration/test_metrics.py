"""Prometheus metrics: sluiced --metrics-listen serves /metrics. The real
promtool checks the text, Prometheus's own Python parser reads the values
(held against the frames scapy sent), and a real Prometheus server scrapes
sluiced and answers a PromQL rate of a port's packets."""
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from prometheus_client.parser import text_string_to_metric_families
from scapy.all import IP, UDP, Ether, Raw, sendp

import sltest
from sltest import Daemon, Topology, port_stats

DASHBOARD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                         "docs", "grafana", "sluice-dashboard.json")
LISTEN = "127.0.0.1:9497"
PROMETHEUS = "127.0.0.1:9090"
A, B = "02:00:00:00:0a:01", "02:00:00:00:0a:02"


def setup():
    sltest.quiet_netns()
    sltest.veth("sl1", "t1")
    sltest.veth("sl2", "t2")


def topology():
    topo = Topology()
    net = topo.network("xenbr0")
    topo.pif("eth1", "net_af_packet,iface=sl1", net)
    topo.pif("eth2", "net_af_packet,iface=sl2", net)
    topo.vif("vif1.0", "net_null,no-rx=1", "02:00:00:00:0a:10", net)
    return topo


def http(method, path, address=LISTEN):
    """(status, headers, body) of one request."""
    req = urllib.request.Request(f"http://{address}{path}", method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def samples(text):
    """{(sample name, frozenset of labels): value}, by Prometheus's parser."""
    out = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(parsed, name, **labels):
    return parsed[(name, frozenset(labels.items()))]


def udp(src, dst, dport, payload):
    return (Ether(src=src, dst=dst) / IP(src="10.5.0.1", dst="10.5.0.2") /
            UDP(sport=1000, dport=dport) / Raw(payload))


def test_metrics_text():
    d = Daemon(topology(), sltest.workdir("metrics"), args=["--metrics-listen", LISTEN])
    try:
        d.ctl("add-rule", "bridge=xenbr0", "direction=to", "protocol=udp", "port=53",
              "ipRange=10.5.0.0/16", "allow=false", "cookie=0x2a", "priority=200")
        frames = [udp(A, B, 53, b"denied-%d" % i) for i in range(4)] + \
                 [udp(A, B, 80, b"allowed-%d" % i) for i in range(6)]
        sendp(frames + [bad_ihl_frame()] * 3, iface="t1", verbose=False)
        time.sleep(sltest.SETTLE)

        status, headers, text = http("GET", "/metrics")
        assert status == 200, (status, text)
        assert headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8", headers
        # the real promtool: valid text, and no lint finding (names, units)
        check = subprocess.run(["promtool", "check", "metrics"], input=text,
                               capture_output=True, text=True, timeout=60)
        assert check.returncode == 0 and not check.stdout.strip() and \
            not check.stderr.strip(), (check.stdout, check.stderr)

        m = samples(text)
        eth1 = {"bridge": "xenbr0", "port": "eth1", "kind": "af_packet"}
        assert value(m, "sluice_port_rx_packets_total", **eth1) == 13, m
        assert value(m, "sluice_port_rx_dropped_packets_total", **eth1) == 7
        assert value(m, "sluice_port_up", **eth1) == 1
        assert value(m, "sluice_port_mtu_bytes", **eth1) == 1500
        # drops by port and reason, and by reason
        assert value(m, "sluice_port_dropped_packets_total", reason="ipv4_bad_ihl", **eth1) == 3
        assert value(m, "sluice_port_dropped_packets_total", reason="rule_deny", **eth1) == 4
        assert value(m, "sluice_dropped_packets_total", reason="rule_deny") == 4
        assert value(m, "sluice_dropped_packets_total", reason="hairpin") == 0
        # the allowed frames flooded to eth2 (vif1.0 is a null port)
        assert value(m, "sluice_port_tx_packets_total", bridge="xenbr0", port="eth2",
                     kind="af_packet") == 6
        assert ("sluice_port_up", frozenset({"bridge": "xenbr0", "port": "vif1.0",
                                             "kind": "null"}.items())) in m
        # the rule as dump-flows shows it, and the bridge's NORMAL flow
        rule = {"bridge": "xenbr0", "cookie": "0x2a", "priority": "200",
                "match": "udp,nw_dst=10.5.0.0/16,tp_dst=53", "actions": "drop"}
        assert value(m, "sluice_flow_packets_total", **rule) == 4, \
            [k for k in m if k[0] == "sluice_flow_packets_total"]
        normal = {"bridge": "xenbr0", "cookie": "0x0", "priority": "0", "match": "",
                  "actions": "NORMAL"}
        assert value(m, "sluice_flow_packets_total", **normal) == 6
        assert value(m, "sluice_rules") == 1
        assert value(m, "sluice_fdb_learned_total") >= 1
        assert value(m, "sluice_worker_busy_seconds_total", worker="0", lcore="1") > 0
        # it polls: no --idle-sleep-max-us
        assert value(m, "sluice_worker_sleep_seconds_total", worker="0", lcore="1") == 0
        assert value(m, "sluice_build_info", version=d.json("status")["version"]) == 1
        # the same numbers as stats
        st = d.stats()
        for p in st["ports"]:
            labels = {"bridge": p["network"], "port": p["device"], "kind": p["kind"]}
            for key in ("rx-packets", "rx-bytes", "tx-packets", "tx-bytes"):
                name = "sluice_port_" + key.replace("-", "_") + "_total"
                assert value(m, name, **labels) == p[key], (name, labels)

        # what is not a scrape: refused with a status, counted
        status, headers, _ = http("POST", "/metrics")
        assert status == 405 and headers["Allow"] == "GET, HEAD", (status, headers)
        assert http("GET", "/nothing")[0] == 404
        status, _, body = http("HEAD", "/metrics")
        assert status == 200 and body == ""
        st = d.json("status")["metrics"]	# GET and HEAD were scrapes
        assert st["listen"] == LISTEN and st["scrapes"] == 2 and st["refused"] == 2, st
    finally:
        code, _ = d.stop()
    assert code == 0, d.log


def bad_ihl_frame():
    bad = bytearray(bytes(udp(A, B, 80, b"bad-ihl")))
    bad[14] = 0x44	# IHL 4: malformed
    return Ether(bytes(bad))


def sender(stop):
    """Frames from t1 every 10 ms until stop is set, one malformed first."""
    sendp(bad_ihl_frame(), iface="t1", verbose=False)
    frame = udp(A, B, 80, b"steady")
    while not stop.is_set():
        sendp(frame, iface="t1", verbose=False)
        time.sleep(0.01)


def promql(query):
    status, _, body = http("GET", "/api/v1/query?" + urllib.parse.urlencode({"query": query}),
                           address=PROMETHEUS)
    assert status == 200, (status, body)
    return json.loads(body)["data"]["result"]


def test_prometheus_scrapes():
    wd = sltest.workdir("metrics-prom")
    d = Daemon(topology(), wd, args=["--metrics-listen", LISTEN])
    with open(os.path.join(wd, "prometheus.yml"), "w") as f:
        f.write("global:\n  scrape_interval: 1s\n"
                "scrape_configs:\n  - job_name: sluice\n"
                f"    static_configs:\n      - targets: ['{LISTEN}']\n")
    prom = subprocess.Popen(["prometheus", f"--config.file={wd}/prometheus.yml",
                             f"--storage.tsdb.path={wd}/tsdb",
                             f"--web.listen-address={PROMETHEUS}"],
                            stdout=subprocess.DEVNULL, stderr=open(f"{wd}/prometheus.log", "w"))
    stop = threading.Event()
    traffic = threading.Thread(target=sender, args=(stop,), daemon=True)
    traffic.start()
    try:
        rate = up = None
        deadline = time.time() + 90
        while time.time() < deadline and not rate:
            time.sleep(1)
            try:
                up = promql('up{job="sluice"}')
                rate = [r for r in promql(
                    'rate(sluice_port_rx_packets_total{port="eth1"}[5s])')
                    if float(r["value"][1]) > 0]
            except (urllib.error.URLError, ConnectionError):
                continue	# Prometheus is still starting
        with open(f"{wd}/prometheus.log") as f:
            log = f.read()[-2000:]
        assert rate, f"no rate from Prometheus; up={up}\n{log}"
        assert up and up[0]["value"][1] == "1", up
        assert rate[0]["metric"]["bridge"] == "xenbr0", rate
        assert d.json("status")["metrics"]["scrapes"] >= 2
        # every query of the Grafana dashboard is PromQL Prometheus takes
        # (a bad one is a 400), on metrics sluiced serves
        with open(DASHBOARD) as f:
            dashboard = json.load(f)
        served = {s.name for fam in text_string_to_metric_families(http("GET", "/metrics")[2])
                  for s in fam.samples}
        for panel in dashboard["panels"]:
            for target in panel["targets"]:
                expr = target["expr"].replace("$__rate_interval", "5s").replace("$bridge", ".*")
                promql(expr)
                for name in re.findall(r"\bsluice_[a-z_]+", expr):
                    # bonds are not in this topology
                    assert name in served or name.startswith("sluice_bond_"), (name, expr)
        assert promql('rate(sluice_port_rx_packets_total{bridge=~".*"}[5s]) > 0')
    finally:
        stop.set()
        traffic.join(5)
        prom.terminate()
        prom.wait(30)
        code, _ = d.stop()
        shutil.rmtree(f"{wd}/tsdb", ignore_errors=True)
    assert code == 0, d.log


def test_metrics_after_a_takeover():
    """sluiced --takeover --metrics-listen: the old one serves until it
    exits, the new one from then on, on the same address, counting the
    flows from what the old one had counted."""
    wd = sltest.workdir("metrics-takeover")
    d = Daemon(topology(), wd, args=["--metrics-listen", LISTEN])
    new = None
    try:
        status, _, body = http("GET", "/metrics")
        assert status == 200 and "sluice_" in body, (status, body)
        new = Daemon(None, wd, args=["--metrics-listen", LISTEN, "--takeover"])
        assert d.proc.wait(timeout=60) == 0, d.log
        assert new.wait_log("takeover: the old sluiced (pid"), new.log
        status, _, body = http("GET", "/metrics")
        assert status == 200 and "sluice_" in body, (status, body)
        assert new.json("status")["metrics"]["scrapes"] == 1
        assert new.stop()[0] == 0, new.log
    finally:
        d.kill()
        if new:
            new.kill()


def test_bad_listen_address():
    taken = socket.socket()
    taken.bind(("127.0.0.1", 9498))
    taken.listen()
    try:
        for arg, text in [("nonsense", "expected ADDR:PORT"),
                          ("127.0.0.1:http", "a numeric address and port"),
                          ("example.org:9497", "a numeric address and port"),
                          ("127.0.0.1:9498", "Address already in use")]:
            wd = sltest.workdir("metrics-bad")
            d = Daemon(None, wd, args=["--metrics-listen", arg], ready=False,
                       allow=[r"err sluiced: --metrics-listen "])	# the refusal
            code = d.proc.wait(60)
            for t in d._readers:
                t.join(5)
            assert code != 0 and "--metrics-listen" in d.log and text in d.log, \
                (arg, code, d.log)
    finally:
        taken.close()


if __name__ == "__main__":
    setup()
    sltest.run([test_metrics_text, test_prometheus_scrapes, test_metrics_after_a_takeover,
                test_bad_listen_address])
