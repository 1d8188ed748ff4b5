/* SPDX-License-Identifier: BSD-3-Clause */
/* The bond commands, declared once (sl_command_spec.h); their handlers are
 * in ../control/bond_commands.c. */
#include "sl_command_spec.h"

#define MODES "balance-slb|active-backup|balance-tcp|lacp|broadcast"
#define PROPERTIES \
	{ "properties:", "KEY=VALUE", 0, \
	  "hashing_algorithm, lacp-time, lacp-fallback-ab, rebalance-interval, miimon, updelay, downdelay" }

SL_RECORD_PARAMS(bond, "bond");

static const struct sl_param_spec bond_create_params[] = {
	{ "network-uuid", "<network>", SL_REQ, "the network the bond is a port of" },
	{ "pif-uuids", "<PIF>,<PIF>[,...]", SL_REQ, "its 2 to 8 members, plugged PIFs" },
	{ "mode", MODES, 0, "how frames are spread over the members (balance-slb)" },
	PROPERTIES,
	SL_PARAM_END,
};

static const struct sl_param_spec bond_set_params[] = {
	SL_PARAM_UUID("bond"),
	{ "mode", MODES, 0, "a new mode, live" },
	PROPERTIES,
	SL_PARAM_END,
};

static const struct sl_command_spec bond_commands[] = {
	{ "bond-create",
	  "Bond 2 to 8 PIFs into one port of a network; prints the bond's uuid.",
	  bond_create_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "bond-destroy",
	  "Remove a bond; its members are PIFs of their own networks again.",
	  bond_uuid_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "bond-list", "List bonds: members, mode, properties, links up.",
	  sl_list_params, SL_CMD_FILTERS, SL_PRINT_RECORDS, NULL },
	{ "bond-param-get", "Print one field of a bond.",
	  bond_get_params, 0, SL_PRINT_VALUE, NULL },
	{ "bond-param-list", "Print every field of a bond.",
	  bond_uuid_params, 0, SL_PRINT_VALUE, NULL },
	{ "bond-param-set", "Change a bond's mode or properties, live.",
	  bond_set_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "bond-show",
	  "Members and their links, the active one, which member carries each source, LACP partners.",
	  bond_uuid_params, 0, SL_PRINT_VALUE, NULL },
	SL_COMMANDS_END,
};

const struct sl_command_group sl_bond_commands = {
	.name = "bond",
	.title = "Bonds",
	.commands = bond_commands,
};
