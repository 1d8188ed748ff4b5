/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The core's commands, declared once (sl_command_spec.h): networks, PIFs,
 * VIFs, VLANs and the host. The daemon's handlers are in core/control.
 */
#include "sl_command_spec.h"

const struct sl_param_spec sl_list_params[] = {
	{ "params", "FIELD,...|all", 0, "the fields to show (all: every field)" },
	{ "FIELD", "VALUE", SL_PARAM_PLACEHOLDER,
	  "only records whose FIELD is VALUE (any field)" },
	SL_PARAM_END,
};

/* ---- networks ------------------------------------------------------------ */

SL_RECORD_PARAMS(network, "network");

static const struct sl_param_spec network_create_params[] = {
	{ "name-label", "<name>", SL_REQ, "the network's name" },
	{ "name-description", "<text>", 0, "a description" },
	{ "MTU", "68..9216", 0, "the MTU of every port of the network (1500)" },
	{ "bridge", "<name>", 0, "the bridge name (default xapiN)" },
	SL_PARAM_OTHER_CONFIG("network"),
	SL_PARAM_END,
};

static const struct sl_param_spec network_set_params[] = {
	SL_PARAM_UUID("network"),
	{ "name-label", "<name>", 0, "a new name" },
	{ "name-description", "<text>", 0, "a new description" },
	{ "MTU", "68..9216", 0, "a new MTU, for all of its ports at once" },
	SL_PARAM_READ_ONLY_FIELD("bridge"),
	SL_PARAM_OTHER_CONFIG("network"),
	SL_PARAM_END,
};

static const struct sl_command_spec network_commands[] = {
	{ "network-create",
	  "Create a network; prints its uuid. The bridge is named xapiN unless given.",
	  network_create_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "network-destroy", "Destroy a network that has no PIF and no VIF left.",
	  network_uuid_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "network-list", "List networks, optionally only those whose fields match.",
	  sl_list_params, SL_CMD_FILTERS, SL_PRINT_RECORDS,
	  "uuid,name-label,name-description,bridge" },
	{ "network-param-get",
	  "Print one field of a network (or one key of a map field).",
	  network_get_params, 0, SL_PRINT_VALUE, NULL },
	{ "network-param-list", "Print every field of a network.",
	  network_uuid_params, 0, SL_PRINT_VALUE, NULL },
	{ "network-param-set",
	  "Change fields of a network; a new MTU goes to all of its ports at once.",
	  network_set_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "network-param-remove", "Remove a key from a network's other-config.",
	  network_remove_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	SL_COMMANDS_END,
};

const struct sl_command_group sl_network_commands = {
	.name = "network",
	.title = "Networks",
	.commands = network_commands,
};

/* ---- PIFs ---------------------------------------------------------------- */

SL_RECORD_PARAMS(pif, "PIF");

static const struct sl_param_spec pif_introduce_params[] = {
	{ "device", "<name>", SL_REQ, "the PIF's device name (eth0, the netdev, or any name)" },
	{ "devargs", "<DPDK devargs>", SL_REQ, "the DPDK device (net_af_xdp0,iface=eth0; 0000:03:00.0)" },
	{ "mac", "<MAC>", 0, "the MAC the port reports (default: the device's)" },
	{ "network-uuid", "<network>", 0, "its network (default: a new network xenbrN)" },
	SL_PARAM_OTHER_CONFIG("PIF"),
	SL_PARAM_END,
};

static const struct sl_param_spec pif_set_params[] = {
	SL_PARAM_UUID("PIF"),
	{ "devargs", "<DPDK devargs>", 0, "another DPDK device (re-opens a plugged port)" },
	{ "management", "true|false", 0, "whether the PIF carries the host's own traffic" },
	SL_PARAM_OTHER_CONFIG("PIF"),
	SL_PARAM_READ_ONLY_FIELD("device"), SL_PARAM_READ_ONLY_FIELD("MAC"), SL_PARAM_READ_ONLY_FIELD("network-uuid"),
	SL_PARAM_READ_ONLY_FIELD("bridge"), SL_PARAM_READ_ONLY_FIELD("MTU"), SL_PARAM_READ_ONLY_FIELD("VLAN"),
	SL_PARAM_READ_ONLY_FIELD("currently-attached"),
	SL_PARAM_END,
};

static const struct sl_param_spec no_params[] = { SL_PARAM_END };

static const struct sl_command_spec pif_commands[] = {
	{ "pif-introduce",
	  "Make a PIF of a device (unplugged); without network-uuid a network xenbrN is made for it.",
	  pif_introduce_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "pif-plug", "Attach the PIF's port to its network.",
	  pif_uuid_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "pif-unplug", "Detach the PIF's port; the PIF stays.",
	  pif_uuid_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "pif-forget", "Unplug the PIF and forget it.",
	  pif_uuid_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "pif-list", "List PIFs, optionally only those whose fields match.",
	  sl_list_params, SL_CMD_FILTERS, SL_PRINT_RECORDS,
	  "uuid,device,currently-attached,VLAN,network-uuid" },
	{ "pif-param-get", "Print one field of a PIF.",
	  pif_get_params, 0, SL_PRINT_VALUE, NULL },
	{ "pif-param-list", "Print every field of a PIF.",
	  pif_uuid_params, 0, SL_PRINT_VALUE, NULL },
	{ "pif-param-set",
	  "Change a PIF; other-config:ethtool-{rx,tx,sg,tso}=on|off re-opens a plugged port.",
	  pif_set_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "pif-param-remove", "Remove a key from a PIF's other-config.",
	  pif_remove_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "pif-scan",
	  "List the devices sluice could attach: DPDK ports and kernel netdevs.",
	  no_params, 0, SL_PRINT_VALUE, NULL },
	SL_COMMANDS_END,
};

const struct sl_command_group sl_pif_commands = {
	.name = "pif",
	.title = "PIFs (the host's physical ports)",
	.commands = pif_commands,
};

/* ---- VIFs ---------------------------------------------------------------- */

SL_RECORD_PARAMS(vif, "VIF");

static const struct sl_param_spec vif_create_params[] = {
	{ "network-uuid", "<network>", SL_REQ, "the network the VIF joins" },
	{ "mac", "<MAC>", SL_REQ, "the guest's MAC" },
	{ "device", "<name>", 0, "the VIF's device name (vif3.0); not on an SR-IOV network" },
	{ "devargs", "<DPDK devargs>", 0, "the port (net_vhost0,iface=...); not on an SR-IOV network" },
	SL_PARAM_OTHER_CONFIG("VIF"),
	SL_PARAM_END,
};

static const struct sl_param_spec vif_set_params[] = {
	SL_PARAM_UUID("VIF"),
	{ "devargs", "<DPDK devargs>", 0, "another port (re-opens a plugged port)" },
	SL_PARAM_OTHER_CONFIG("VIF"),
	SL_PARAM_READ_ONLY_FIELD("device"), SL_PARAM_READ_ONLY_FIELD("MAC"), SL_PARAM_READ_ONLY_FIELD("network-uuid"),
	SL_PARAM_READ_ONLY_FIELD("bridge"), SL_PARAM_READ_ONLY_FIELD("MTU"), SL_PARAM_READ_ONLY_FIELD("currently-attached"),
	SL_PARAM_END,
};

static const struct sl_param_spec vif_move_params[] = {
	SL_PARAM_UUID("VIF"),
	{ "network-uuid", "<network>", SL_REQ, "the network to move it to" },
	SL_PARAM_END,
};

static const struct sl_command_spec vif_commands[] = {
	{ "vif-create",
	  "Make a VIF (unplugged) of a guest's virtual NIC, or on an SR-IOV network a VF (no devargs); prints its uuid.",
	  vif_create_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "vif-destroy", "Forget an unplugged VIF.",
	  vif_uuid_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "vif-plug", "Attach the VIF's port to its network.",
	  vif_uuid_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "vif-unplug", "Detach the VIF's port.",
	  vif_uuid_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "vif-move", "Move a VIF to another network, plugged or not.",
	  vif_move_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "vif-list", "List VIFs, optionally only those whose fields match.",
	  sl_list_params, SL_CMD_FILTERS, SL_PRINT_RECORDS,
	  "uuid,device,MAC,currently-attached,network-uuid" },
	{ "vif-param-get", "Print one field of a VIF.",
	  vif_get_params, 0, SL_PRINT_VALUE, NULL },
	{ "vif-param-list", "Print every field of a VIF.",
	  vif_uuid_params, 0, SL_PRINT_VALUE, NULL },
	{ "vif-param-set", "Change a VIF; ethtool offloads re-open a plugged port.",
	  vif_set_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "vif-param-remove", "Remove a key from a VIF's other-config.",
	  vif_remove_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	SL_COMMANDS_END,
};

const struct sl_command_group sl_vif_commands = {
	.name = "vif",
	.title = "VIFs (guests' virtual NICs)",
	.commands = vif_commands,
};

/* ---- VLANs --------------------------------------------------------------- */

SL_RECORD_PARAMS(vlan, "VLAN");

static const struct sl_param_spec vlan_create_params[] = {
	{ "pif-uuid", "<PIF>", SL_REQ, "the PIF that carries the tagged traffic" },
	{ "vlan", "0..4094", SL_REQ, "the 802.1Q tag (0: the PIF's untagged traffic)" },
	{ "network-uuid", "<network>", SL_REQ, "the network carried with that tag" },
	SL_PARAM_END,
};

static const struct sl_command_spec vlan_commands[] = {
	{ "vlan-create",
	  "Carry a network on a PIF with an 802.1Q tag (0: the PIF's untagged traffic); prints the VLAN's uuid.",
	  vlan_create_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "vlan-destroy", "Remove a VLAN and its PIF.",
	  vlan_uuid_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "vlan-list", "List VLANs: tag, the PIF carrying it, the VLAN's own PIF.",
	  sl_list_params, SL_CMD_FILTERS, SL_PRINT_RECORDS, NULL },
	{ "vlan-param-get", "Print one field of a VLAN.",
	  vlan_get_params, 0, SL_PRINT_VALUE, NULL },
	{ "vlan-param-list", "Print every field of a VLAN.",
	  vlan_uuid_params, 0, SL_PRINT_VALUE, NULL },
	SL_COMMANDS_END,
};

const struct sl_command_group sl_vlan_commands = {
	.name = "vlan",
	.title = "VLANs",
	.commands = vlan_commands,
};

/* ---- the host ------------------------------------------------------------ */

static const struct sl_param_spec fdb_params[] = {
	{ "bridge", "<bridge>", 0, "only this network's entries (by bridge name)" },
	{ "network-uuid", "<network>", 0, "only this network's entries" },
	SL_PARAM_END,
};

static const struct sl_param_spec log_level_params[] = {
	{ "set", "<level>", 0,
	  "emergency, alert, critical, error, warning, notice, info or debug (default: only show the levels)" },
	{ "module", "<pattern>", 0,
	  "sluice (sluiced's own messages, the default for set), dpdk (DPDK's libraries and drivers), or a DPDK log type or glob such as pmd.net.af_xdp or lib.*" },
	SL_PARAM_END,
};

static const struct sl_param_spec state_export_params[] = {
	{ "file", "<path>", 0,
	  "write it to this file, as sluicectl's user (default: print it)" },
	SL_PARAM_END,
};

static const struct sl_param_spec takeover_params[] = {
	{ "generation", "<N>", SL_REQ,
	  "the state file's generation the new sluiced loaded" },
	{ "change", "<N>", SL_REQ,
	  "the number of the journal's last change the new sluiced loaded" },
	{ "port", "<PIF or VIF uuid>", 0,
	  "the PIF's or VIF's port to hand over (default: all that are left, then save the carry-over and exit)" },
	SL_PARAM_END,
};

static const struct sl_param_spec help_params[] = {
	{ "command", "<command>", SL_PARAM_POSITIONAL,
	  "the command to explain (default: list them all)" },
	SL_PARAM_END,
};

static const struct sl_command_spec host_commands[] = {
	{ "status", "Version, uptime, workers, memory and object counts.",
	  no_params, 0, SL_PRINT_VALUE, NULL },
	{ "stats",
	  "Counters: per port, per drop reason, FDB, workers' busy and idle time.",
	  no_params, 0, SL_PRINT_STATS, NULL },
	{ "log-level",
	  "Show the log levels, or set one at run time (lost at restart: use --log-level for good).",
	  log_level_params, 0, SL_PRINT_VALUE, NULL },
	{ "stats-clear",
	  "Count stats from now on (ports, drops, FDB changes, workers); metrics, dump-flows and the stats file count since start.",
	  no_params, 0, SL_PRINT_VALUE, NULL },
	{ "fdb-show", "The forwarding database: MAC, port, static or learned, age.",
	  fdb_params, 0, SL_PRINT_FDB, NULL },
	{ "fdb-flush", "Forget learned MACs (of one network, or all); VIF MACs stay.",
	  fdb_params, 0, SL_PRINT_VALUE, NULL },
	{ "reset-networking",
	  "Forget every PIF (and its VLANs, bonds, tunnels, SR-IOV networks); keep networks and VIFs but VFs'.",
	  no_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "state-export",
	  "The whole state, as one state file (what the state file and its journal hold, compacted): readable JSON, a valid --state.",
	  state_export_params, 0, SL_PRINT_JSON, NULL },
	{ "takeover-release",
	  "A takeover upgrade (sluiced --takeover sends it): close one port for the new sluiced, or, without port=, the rest; then save the carry-over and exit.",
	  takeover_params, 0, SL_PRINT_VALUE, NULL },
	{ "list-commands", "The names of all commands.",
	  no_params, SL_CMD_LOCAL, SL_PRINT_LINES, NULL },
	{ "help", "Usage of one command or of all.",
	  help_params, SL_CMD_LOCAL, SL_PRINT_HELP, NULL },
	SL_COMMANDS_END,
};

const struct sl_command_group sl_host_commands = {
	.name = "host",
	.title = "The host",
	.commands = host_commands,
};
