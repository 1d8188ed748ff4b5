/* SPDX-License-Identifier: BSD-3-Clause */
/* The private-network commands, declared once (sl_command_spec.h); their
 * handlers are in ../control/tunnel_commands.c. */
#include "sl_command_spec.h"

SL_RECORD_PARAMS(tunnel, "tunnel");

static const struct sl_param_spec tunnel_create_params[] = {
	{ "pif-uuid", "<transport PIF>", SL_REQ, "the PIF the tunnel's packets leave from" },
	{ "network-uuid", "<private network>", SL_REQ, "the network the tunnel carries" },
	{ "protocol", "gre|vxlan", 0, "the encapsulation (gre)" },
	{ "key", "N", 0, "the GRE key or VNI (default: the network's, or a free one)" },
	SL_PARAM_END,
};

static const struct sl_param_spec tunnel_set_params[] = {
	SL_PARAM_UUID("tunnel"),
	{ "other-config:", "KEY=VALUE", 0, "a key of the tunnel's other-config (relay=true)" },
	SL_PARAM_READ_ONLY_FIELD("access-PIF"), SL_PARAM_READ_ONLY_FIELD("transport-PIF"),
	SL_PARAM_READ_ONLY_FIELD("network-uuid"), SL_PARAM_READ_ONLY_FIELD("protocol"), SL_PARAM_READ_ONLY_FIELD("key"),
	SL_PARAM_READ_ONLY_FIELD("remotes"), SL_PARAM_READ_ONLY_FIELD("state"), SL_PARAM_READ_ONLY_FIELD("status"),
	SL_PARAM_END,
};

static const struct sl_param_spec remote_params[] = {
	SL_PARAM_UUID("tunnel"),
	{ "remote", "<IPv4>", SL_REQ, "the peer host's transport address" },
	SL_PARAM_END,
};

static const struct sl_param_spec ip_params[] = {
	SL_PARAM_UUID("PIF"),
	{ "mode", "static|none", SL_REQ, "static: the address below; none: no address" },
	{ "IP", "<IPv4>", 0, "the PIF's address (mode=static)" },
	{ "netmask", "<IPv4 mask>", 0, "its netmask (mode=static)" },
	{ "gateway", "<IPv4>", 0, "the default gateway, on the PIF's subnet" },
	{ "DNS", "<IPv4>", 0, "accepted as xe does, not used" },
	SL_PARAM_END,
};

static const struct sl_command_spec tunnel_commands[] = {
	{ "tunnel-create",
	  "Carry a private network over a transport PIF (GRE by default); without key= the network's or a free one.",
	  tunnel_create_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "tunnel-destroy", "Stop carrying the private network over that PIF.",
	  tunnel_uuid_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "tunnel-list", "List tunnels.",
	  sl_list_params, SL_CMD_FILTERS, SL_PRINT_RECORDS, NULL },
	{ "tunnel-param-get", "Print one field of a tunnel.",
	  tunnel_get_params, 0, SL_PRINT_VALUE, NULL },
	{ "tunnel-param-list",
	  "Print every field of a tunnel, with each remote's next hop.",
	  tunnel_uuid_params, 0, SL_PRINT_VALUE, NULL },
	{ "tunnel-param-set", "Change a tunnel's other-config.",
	  tunnel_set_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "tunnel-remote-add", "Add a peer host; the other remotes are not disturbed.",
	  remote_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "tunnel-remote-remove", "Remove a peer host.",
	  remote_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "pif-reconfigure-ip",
	  "Give a transport PIF its IPv4 address (tunnels leave from it).",
	  ip_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	SL_COMMANDS_END,
};

const struct sl_command_group sl_tunnel_commands = {
	.name = "tunnel",
	.title = "Private networks (GRE and VXLAN tunnels)",
	.commands = tunnel_commands,
};
