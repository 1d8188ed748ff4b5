/* SPDX-License-Identifier: BSD-3-Clause */
/* sluiced's option for the Prometheus exporter (sl_cli.h); read in
 * ../control/metrics_feature.c. It has no commands: status shows it. */
#include "sl_cli.h"
#include "sl_command_spec.h"

static const struct sl_command_spec metrics_commands[] = {
	SL_COMMANDS_END,
};

static const struct sl_option_spec metrics_options[] = {
	{ "metrics-listen", "ADDR:PORT", 0,
	  "serve Prometheus metrics over HTTP at http://ADDR:PORT/metrics (IPv4, or [IPv6]; off by default; 127.0.0.1:9497 is the usual choice)" },
	{ NULL, NULL, 0, NULL },
};

const struct sl_command_group sl_metrics_commands = {
	.name = "metrics",
	.title = "Prometheus metrics",
	.commands = metrics_commands,
	.daemon_options = metrics_options,
};
