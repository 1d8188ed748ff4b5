/* SPDX-License-Identifier: BSD-3-Clause */
/* The capture commands, declared once (sl_command_spec.h); their handlers
 * are in ../control/capture_commands.c. sluicectl opens capture's file=
 * itself and passes the descriptor (SL_CMD_PASSES_FD). */
#include "sl_command_spec.h"

static const struct sl_param_spec capture_params[] = {
	{ "port", "<device>", SL_REQ | SL_PARAM_POSITIONAL,
	  "the PIF's or VIF's device (vif1.0, eth0, a bond member)" },
	{ "direction", "in|out|both", 0,
	  "frames the port receives, sends, or both (both)" },
	{ "filter", "<pcap filter>", 0,
	  "a tcpdump expression (pcap-filter(7)); every frame if not given" },
	{ "count", "<N>", 0, "stop after N frames written (no limit)" },
	{ "duration", "<seconds>", 0, "stop after this many seconds (no limit)" },
	{ "snaplen", "<bytes>", 0, "bytes kept of each frame, 64..65535 (65535)" },
	{ "file", "<path>|-", 0,
	  "the pcapng file, opened by sluicectl with your permissions; - writes to stdout (-)" },
	SL_PARAM_END,
};

static const struct sl_param_spec capture_id_params[] = {
	{ "id", "<capture>", SL_REQ | SL_PARAM_POSITIONAL,
	  "the capture's id (capture-list)" },
	SL_PARAM_END,
};

static const struct sl_command_spec capture_commands[] = {
	{ "capture",
	  "Write a port's frames to a pcapng file (tshark, wireshark) until count, duration, capture-stop or Ctrl-C; the summary goes to stderr.",
	  capture_params, SL_CMD_PASSES_FD | SL_CMD_FOLLOWED, SL_PRINT_VALUE, NULL },
	{ "capture-list",
	  "List the captures: port, direction, filter, frames seen, written and dropped, state.",
	  sl_list_params, SL_CMD_FILTERS, SL_PRINT_RECORDS,
	  "id,port,direction,filter,packets,dropped,state" },
	{ "capture-show", "Print one capture's fields and counters.",
	  capture_id_params, 0, SL_PRINT_VALUE, NULL },
	{ "capture-stop",
	  "Stop a capture: its file gets the closing statistics and is closed.",
	  capture_id_params, 0, SL_PRINT_VALUE, NULL },
	SL_COMMANDS_END,
};

const struct sl_command_group sl_capture_commands = {
	.name = "capture",
	.title = "Packet capture",
	.commands = capture_commands,
};
