/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-classifier-bench's command line, declared once (sl_cli.h):
 * --help, getopt and sluice-classifier-bench(1) come from this table. */
#include "sl_cli.h"

static const struct sl_option_spec options[] = {
	{ "rules", "N[,N...]", 'r', "rule-set sizes to measure (100,1000,10000)" },
	{ "flows", "N", 'f', "distinct 5-tuples looked up (1000000)" },
	{ "json", NULL, 'j', "print the results as JSON" },
	{ "help", NULL, 'h', "print this and exit" },
	{ NULL, NULL, 0, NULL },
};

const struct sl_program_spec sl_classifier_bench_program = {
	.name = "sluice-classifier-bench",
	.section = 1,
	.summary = "measure sluice's rule classifier beside DPDK's rte_acl",
	.synopsis = "[options]",
	.description =
		"sluice-classifier-bench builds the same rule-sets in sluice's "
		"classifier and in DPDK's rte_acl, looks the same keys up in both "
		"(one flow, a set of 5-tuples, random keys), and prints the build "
		"times, the cycles per lookup, and how many answers differ (any "
		"difference fails it).",
	.options = options,
};
