/* SPDX-License-Identifier: BSD-3-Clause */
/* sluiced's option for the Open_vSwitch database (sl_cli.h); read in
 * ../control/ovsdb_feature.c. The feature has no commands of its own:
 * status shows it, and ovs-vsctl is its command line. */
#include "sl_cli.h"
#include "sl_command_spec.h"

static const struct sl_command_spec ovsdb_commands[] = {
	SL_COMMANDS_END,
};

static const struct sl_option_spec ovsdb_options[] = {
	{ "ovsdb", "REMOTE", 0,
	  "take ovs-vswitchd's place behind the Open_vSwitch database at REMOTE (unix:PATH or tcp:IP:PORT): it owns the bridges, ports and interfaces" },
	{ NULL, NULL, 0, NULL },
};

const struct sl_command_group sl_ovsdb_commands = {
	.name = "ovsdb",
	.title = "The Open_vSwitch database",
	.commands = ovsdb_commands,
	.daemon_options = ovsdb_options,
};
