/* SPDX-License-Identifier: BSD-3-Clause */
/* The flow-rule commands, declared once (sl_command_spec.h); their handlers
 * are in ../control/rules_commands.c. add-rule, del-rule and dump-flows take
 * the arguments of XCP-ng's sdncontroller plugin and answer with its codes
 * (the plugin's contract: reference/sdncontroller-rules.md of the shared
 * folder beside the repository). */
#include "sl_command_spec.h"

#define BRIDGE { "bridge", "<bridge>", SL_REQ, "the network's bridge" }
#define MAC { "mac", "<VIF MAC>", 0, "only this VIF's traffic (default: the whole network)" }
#define DIRECTION { "direction", "to|from|from/to", SL_REQ, \
		    "to: traffic to ipRange; from: traffic from it" }
#define PROTOCOL { "protocol", "tcp|udp|icmp|ip|arp", SL_REQ, "what the rule matches" }
#define IP_RANGE { "ipRange", "<a.b.c.d[/n]>", SL_REQ, "the remote address or prefix" }
#define PORT { "port", "N", 0, "a TCP/UDP port (an ICMP type or code)" }
#define COOKIE { "cookie", "0x...", 0, "the rule's cookie (del-rule: delete by cookie)" }

static const struct sl_param_spec add_rule_params[] = {
	BRIDGE, MAC, DIRECTION, PROTOCOL, IP_RANGE, PORT,
	{ "allow", "true|false", SL_REQ, "let the traffic through or drop it" },
	{ "priority", "0..65535", 0, "higher wins (default 32768)" },
	COOKIE,
	SL_PARAM_END,
};

static const struct sl_param_spec del_rule_params[] = {
	BRIDGE, MAC, DIRECTION, PROTOCOL, IP_RANGE, PORT, COOKIE,
	SL_PARAM_END,
};

static const struct sl_param_spec dump_flows_params[] = {
	BRIDGE,
	SL_PARAM_END,
};

static const struct sl_param_spec add_rules_params[] = {
	{ "rules", "<JSON list>|@FILE", SL_REQ,
	  "a JSON list of add-rule argument objects (@FILE: read from FILE)" },
	SL_PARAM_END,
};

static const struct sl_command_spec rules_commands[] = {
	{ "add-rule",
	  "Add a flow rule, as XCP-ng's sdncontroller plugin does (same arguments, errors and codes); kept across restarts.",
	  add_rule_params, SL_CMD_SAVES | SL_CMD_PLUGIN, SL_PRINT_VALUE, NULL },
	{ "del-rule",
	  "Delete rules: those with the cookie, or without one the cookie-0 rules the arguments cover.",
	  del_rule_params, SL_CMD_SAVES | SL_CMD_PLUGIN, SL_PRINT_VALUE, NULL },
	{ "dump-flows",
	  "The bridge's flows with live counters, as the plugin returns them (ovs-ofctl style text in stdout).",
	  dump_flows_params, SL_CMD_PLUGIN, SL_PRINT_STDOUT, NULL },
	{ "add-rules", "Add a batch of rules: all of them, or none if one fails.",
	  add_rules_params, SL_CMD_SAVES | SL_CMD_JSON_VALUES, SL_PRINT_VALUE, NULL },
	{ "rule-list",
	  "List flow rules in the order they are matched, with packet and byte counters.",
	  sl_list_params, SL_CMD_FILTERS, SL_PRINT_RECORDS, NULL },
	SL_COMMANDS_END,
};

const struct sl_command_group sl_rules_commands = {
	.name = "rules",
	.title = "Flow rules",
	.commands = rules_commands,
};
