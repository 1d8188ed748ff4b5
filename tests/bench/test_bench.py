"""sluice-bench and bench/compare-ovs, smoke: every scenario replayed
in-process sends out of each port exactly what scapy, reading the same
trace, says it should, and drops what it should, in every pass; the
--filter option keeps the frames libpcap matches; the end-to-end mode and
the OVS comparison run and move packets; the rule classifier gives
rte_acl's answer for every packet of its micro-benchmark; the rule update
round trip runs. No figure is asserted."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

from scapy.all import rdpcap  # noqa: E402

import benchlib  # noqa: E402
import scenarios as sc  # noqa: E402
import sltest  # noqa: E402

COUNT = 3000


def bench(*args, check=True):
    r = subprocess.run([benchlib.tool("sluice-bench"), *args], capture_output=True,
                       text=True, timeout=300)
    if check and r.returncode != 0:
        raise AssertionError(f"sluice-bench {args}: {r.returncode}\n{r.stderr}")
    return r


def check_counts(s, work):
    s.count = None      # the scenario's own (up to 1M frames) is for make bench
    trace, state = benchlib.prepare(s, work, COUNT)
    got = benchlib.sluice_in_process(s, trace, state, 0.05)
    want = s.expect(rdpcap(trace))
    assert got["consistent"] and got["passes"] >= 1, got
    assert got["trace"]["frames"] == COUNT, got
    assert got["drops_per_pass"] == want["drops"], (s.name, got["drops_per_pass"], want)
    if "out" in want:
        assert got["out_per_pass"] == want["out"], (s.name, got["out_per_pass"], want)
    else:
        devices, n = want["spread"]
        out = got["out_per_pass"]
        assert set(out) == set(devices) and sum(out.values()) == n, (s.name, out)
    stages = got["stages"]
    assert set(stages) >= {"parse", "ingress", "decap", "rules", "l2", "egress", "encap",
                           "tx"}, got
    # the tunnel stages count only where there is tunnel work
    assert (stages["encap"] > 0) == s.name.endswith("-encap"), (s.name, stages)
    assert (stages["decap"] > 0) == s.name.endswith("-decap"), (s.name, stages)
    return trace, state


def test_scenarios_count_right():
    work = tempfile.mkdtemp(prefix="sluice-bench-test-")
    for s in sc.scenarios():
        check_counts(s, work)


def test_filter_and_bad_input():
    work = tempfile.mkdtemp(prefix="sluice-bench-test-")
    s = sc.scenarios(["l2"])[0]
    trace, state = benchlib.prepare(s, work, COUNT)
    mine = sc.GUESTS[2]
    r = bench("--state", state, "--trace", trace, "--filter", f"ether dst {mine}",
              "--min-time", "0.05", "--json")
    got = json.loads(r.stdout)
    want = sum(1 for f in rdpcap(trace) if f.dst == mine)
    assert got["trace"]["frames"] == want and got["out_per_pass"] == {"vif3.0": want}, got
    # a capture running elsewhere: the same frames out, the set seen
    plain = json.loads(bench("--state", state, "--trace", trace, "--min-time", "0.05",
                             "--json").stdout)
    idle = json.loads(bench("--state", state, "--trace", trace, "--min-time", "0.05",
                            "--json", "--capture-idle").stdout)
    assert idle["capture_idle"] and not plain["capture_idle"], idle
    assert idle["consistent"] and idle["out_per_pass"] == plain["out_per_pass"], idle
    assert idle["drops_per_pass"] == plain["drops_per_pass"], idle
    # a live trace waiting elsewhere: the same
    idle = json.loads(bench("--state", state, "--trace", trace, "--min-time", "0.05",
                            "--json", "--trace-idle").stdout)
    assert idle["trace_idle"] and not plain["trace_idle"], idle
    assert idle["consistent"] and idle["out_per_pass"] == plain["out_per_pass"], idle
    assert idle["drops_per_pass"] == plain["drops_per_pass"], idle
    for args, code, text in [
        (["--state", state, "--trace", work + "/none.pcap"], 1, "cannot read trace"),
        (["--state", state, "--trace", trace, "--in", "eth9"], 1, "no PIF or VIF has device eth9"),
        (["--state", state, "--trace", trace, "--filter", "ether dst"], 1, "--filter 'ether dst'"),
        (["--state", state, "--trace", trace, "--min-time", "0"], 2, "--min-time: '0'"),
        (["--trace", trace], 2, "--state and --trace are required"),
    ]:
        r = bench(*args, check=False)
        assert r.returncode == code and text in r.stderr, (args, r.returncode, r.stderr)


def test_end_to_end():
    work = tempfile.mkdtemp(prefix="sluice-bench-test-")
    s = sc.scenarios(["l2"])[0]
    trace, state = benchlib.prepare(s, work, COUNT)
    got = benchlib.sluice_e2e(s, trace, state, 0.5, 1.0)
    # every frame goes out of one guest's port: what came in went out
    # (give or take the bursts in flight at either end of the window)
    assert got["packets"] > 0 and abs(got["sent"] - got["packets"]) <= 256, got


def classifier_bench(rules, flows):
    """sluice-classifier-bench's rows for these rule counts: each must
    give rte_acl's answer for every packet."""
    r = subprocess.run([benchlib.tool("sluice-classifier-bench"), "--rules", rules,
                        "--flows", str(flows), "--json"], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    rows = json.loads(r.stdout)
    assert [x["rules"] for x in rows] == [int(n) for n in rules.split(",")], rows
    for x in rows:
        assert x["mismatches"] == 0, x
    return rows


def test_classifier_agrees_with_rte_acl():
    classifier_bench("100,2000", 20000)


def test_classifier_bench_with_few_flows():
    # fewer flows than the one-flow pass's 1,024 keys: its answers once
    # overran an array sized by --flows (caught under ASan)
    classifier_bench("100", 32)


def test_ovs_upcalls_counted():
    # what compare-ovs waits on before it measures OVS: both kinds of miss
    stats = """pmd thread numa_id 0 core_id 1:
  packets received: 4617696
  emc hits: 168260
  megaflow hits: 4449436
  miss with success upcall: 12
  miss with failed upcall: 3
"""
    assert benchlib.upcalls(stats) == 15
    assert benchlib.upcalls(stats.replace(": 12", ": 0").replace(": 3\n", ": 0\n")) == 0


def test_compare_ovs_runs():
    out = os.path.join(tempfile.mkdtemp(prefix="sluice-compare-test-"), "r.json")
    r = subprocess.run([sys.executable, os.path.join(HERE, "..", "..", "bench", "compare-ovs"),
                        "--smoke", "--scenarios", "l2,vxlan-encap", "--json", out],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "| l2 |" in r.stdout and "| vxlan-encap |" in r.stdout, r.stdout
    rows = json.load(open(out))["rows"]
    assert [x["scenario"] for x in rows] == ["l2", "vxlan-encap"]
    for row in rows:
        for k in ("testpmd", "ovs", "sluice"):
            assert row[k]["packets"] > 0, row
        # OVS forwards (for the tunnel: its route, neighbour and port
        # work; without them it would send ARP requests, not frames)
        assert row["ovs"]["sent"] >= row["ovs"]["packets"] // 2, row
        # measured once its caches stopped missing
        assert row["ovs"]["warmup_s"] > 0 and "upcalls" in row["ovs"], row
    # l2 again, its switch made in the Open_vSwitch database: sluiced
    # --ovsdb forwarded (the figure beside the state file's is the bench's)
    assert rows[0]["sluice_ovsdb"]["packets"] > 0 and rows[0]["sluice_ovsdb"]["sent"] > 0, rows[0]
    # the idle observability hooks, measured on l2 (the scenario run)
    idle = json.load(open(out))["idle_hooks"]
    assert set(idle) == {"l2"} and all(v > 0 for v in idle["l2"].values()), idle
    assert "| l2 | " in r.stdout.split("costs the packets it does not watch")[1], r.stdout
    assert "sluice_ovsdb" not in rows[1], "vxlan-encap is not translated"
    assert "| l2 | " in r.stdout.split("sluice driven by the Open_vSwitch database")[1], r.stdout


def test_rule_updates_runs():
    out = os.path.join(tempfile.mkdtemp(prefix="sluice-updates-test-"), "r.json")
    build = os.path.dirname(os.path.dirname(sltest.SLUICED))
    r = subprocess.run([sys.executable, os.path.join(HERE, "..", "..", "bench", "rule_updates.py"),
                        "--build", build, "--rules", "300", "--updates", "40", "--json", out],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "round trip median ms" in r.stdout, r.stdout
    figures = json.load(open(out))
    assert figures["rules"] == 300 and figures["updates"] == 40, figures


if __name__ == "__main__":
    sltest.run([test_scenarios_count_right, test_filter_and_bad_input, test_end_to_end,
                test_classifier_agrees_with_rte_acl, test_classifier_bench_with_few_flows,
                test_ovs_upcalls_counted, test_compare_ovs_runs, test_rule_updates_runs])
