#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The traffic gap of a plain restart (SIGTERM, start again: systemctl
restart) and of a takeover (sluiced --takeover), measured as
test_takeover.py does: two network namespaces ping each other every 10 ms
through sluiced (two af_packet ports on veth pairs, then one af_packet
and one af_xdp; 10,000 rules loaded), and the gap is the longest time
without a reply, from ping's own timestamps.
A table of each round and the median; no threshold. Run as root in a
network namespace of its own, with the integration tests' environment
(SLUICED, SLUICECTL; PYTHONPATH at tests/integration):

    unshare --net -- python3 bench/restart_gap.py [--rounds 3]
"""
import argparse
import statistics

import sltest
import takeover_gap
from sltest import Daemon


def restart(d, wd):
    d.stop()
    return Daemon(None, wd)


def takeover(d, wd):
    new = Daemon(None, wd, args=["--takeover"])
    d.proc.wait(timeout=60)
    return new


def measure(how, eth2, rounds):
    """The gaps (ms) of rounds changes of one daemon, and the pings lost."""
    wd = sltest.workdir("gap")
    d = Daemon(takeover_gap.topology(eth2), wd)
    gaps, lost = [], 0
    try:
        takeover_gap.load_rules(d, wd)
        takeover_gap.warm_up()
        for _ in range(rounds):
            with takeover_gap.Pinger() as p:
                d = how(d, wd)
            gaps.append(p.gap_ms())
            lost += p.lost()
        d.stop()
    finally:
        d.kill()
    return gaps, lost


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    takeover_gap.setup()
    try:
        rows = [(name, ports, *measure(how, eth2, args.rounds))
                for ports, eth2 in (("2 af_packet", "net_af_packet,iface=sl2"),
                                    ("af_packet + af_xdp", takeover_gap.AF_XDP))
                for name, how in (("restart", restart), ("takeover", takeover))]
    finally:
        takeover_gap.teardown()
    print(f"\nTraffic gap, ping every 10 ms through two ports, "
          f"{takeover_gap.RULES} rules ({args.rounds} rounds each)\n")
    print("| change | ports | gap per round, ms | median ms | pings lost |")
    print("|---|---|---|---|---|")
    for name, ports, gaps, lost in rows:
        print(f"| {name} | {ports} | {', '.join(f'{g:.0f}' for g in gaps)} | "
              f"{statistics.median(gaps):.0f} | {lost} |")


if __name__ == "__main__":
    main()
