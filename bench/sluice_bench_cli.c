/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-bench's command line, declared once (sl_cli.h): --help, getopt
 * and sluice-bench(1) come from this table. */
#include "sl_cli.h"

static const struct sl_option_spec options[] = {
	{ "state", "FILE", 's', "the state file that makes the switch (required)" },
	{ "trace", "FILE", 't', "the pcap trace to replay (required)" },
	{ "in", "DEVICE", 'i', "the port the trace enters by (default: the first physical PIF)" },
	{ "filter", "EXPR", 'f', "replay only the frames this pcap filter takes" },
	{ "name", "NAME", 'n', "the scenario's name in the results (default: the state file)" },
	{ "min-time", "S", 'm', "replay for at least S seconds (in-process; default 2)" },
	{ "json", NULL, 'j', "print the results as JSON" },
	{ "capture-idle", NULL, 'c', "in-process: with a capture running on a port the trace never crosses (what a capture elsewhere costs the datapath)" },
	{ "trace-idle", NULL, 'T', "in-process: with a live trace (trace-live) waiting on a port the trace never crosses (what a live trace elsewhere costs the datapath)" },
	{ "e2e", NULL, 'e', "run the real sluiced on net_pcap and net_null instead of in-process" },
	{ "warmup", "S", 'w', "--e2e: seconds before measuring (default 2)" },
	{ "window", "S", 'W', "--e2e: seconds measured (default 5)" },
	{ "sluiced", "PATH", 'd', "--e2e: the sluiced to run (default: the one built beside)" },
	{ "ovsdb", "REMOTE", 'o', "--e2e: sluiced --ovsdb REMOTE, its switch made from that Open_vSwitch database (filled by the caller) instead of the state file" },
	{ "help", NULL, 'h', "print this and exit" },
	{ NULL, NULL, 0, NULL },
};

const struct sl_program_spec sl_bench_program = {
	.name = "sluice-bench",
	.section = 1,
	.summary = "replay a pcap trace through sluice's datapath and measure it",
	.synopsis = "--state FILE --trace FILE [options]",
	.description =
		"sluice-bench builds the switch a state file describes and replays a "
		"trace through it: in-process, through the real datapath functions on "
		"one lcore, or with --e2e through a real sluiced reading the trace from "
		"net_pcap and sending into net_null. It prints packets per second and "
		"cycles per packet, and the drops by reason.\n\n"
		"bench/compare-ovs runs it beside Open vSwitch's DPDK datapath and "
		"dpdk-testpmd on the standard scenarios (make bench); bench/README.md "
		"has the figures.",
	.options = options,
};
