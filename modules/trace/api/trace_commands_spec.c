/* SPDX-License-Identifier: BSD-3-Clause */
/* The trace commands, declared once (sl_command_spec.h); their handlers
 * are in ../control/trace_commands.c, the printer in trace_text.c. */
#include "sl_command_spec.h"

/* trace_text.c: a trace's stages and outputs, for people */
void sl_trace_print(FILE *out, json_t *result);
void sl_trace_live_print(FILE *out, json_t *result);

static const struct sl_param_spec trace_params[] = {
	{ "in_port", "<device>", SL_REQ | SL_PARAM_POSITIONAL,
	  "the PIF's or VIF's device the frame comes in on (a bond's member, not the bond)" },
	{ "packet", "<hex frame>|<fields>", SL_REQ,
	  "the frame in hex, or fields to build one of: dl_src=..,dl_dst=..,tcp,nw_src=..,tp_dst=22 (ovs-ofctl's names)" },
	{ "bridge", "<bridge>", 0,
	  "checks that in_port is on a network of this bridge" },
	SL_PARAM_END,
};

static const struct sl_param_spec trace_live_params[] = {
	{ "port", "<device>", SL_REQ | SL_PARAM_POSITIONAL,
	  "the PIF's or VIF's device whose received packets are traced (a bond's member, not the bond)" },
	{ "count", "<N>", 0, "packets to trace, 1..64 (1)" },
	{ "filter", "<pcap filter>", 0,
	  "only packets this tcpdump expression (pcap-filter(7)) takes" },
	SL_PARAM_END,
};

static const struct sl_param_spec trace_id_params[] = {
	{ "id", "<trace>", SL_PARAM_POSITIONAL,
	  "the live trace's id (the last one when not given)" },
	SL_PARAM_END,
};

static const struct sl_command_spec trace_commands[] = {
	{ "trace",
	  "Run a frame through the datapath's real stages as they are now and print each stage's decision: parsed fields, network, flow rule, FDB answer, the frames each out port would send, or the drop and its reason. Nothing is learned, sent or counted.",
	  trace_params, 0, SL_PRINT_VALUE, NULL },
	{ "trace-live",
	  "Trace the next packets a port receives (that pass the filter) through the workers' stages, as they are switched; sluicectl waits until count are traced or Ctrl-C and prints each packet's trace.",
	  trace_live_params, SL_CMD_FOLLOWED, SL_PRINT_VALUE, NULL },
	{ "trace-live-show",
	  "Print the live trace's state and the packets it has traced so far.",
	  trace_id_params, 0, SL_PRINT_VALUE, NULL },
	{ "trace-live-stop",
	  "Stop the live trace; what it traced stays for trace-live-show.",
	  trace_id_params, 0, SL_PRINT_VALUE, NULL },
	SL_COMMANDS_END,
};

static const struct sl_command_printer trace_printers[] = {
	{ "trace", sl_trace_print },
	{ "trace-live", sl_trace_live_print },
	{ "trace-live-show", sl_trace_live_print },
	{ "trace-live-stop", sl_trace_live_print },
	{ NULL, NULL },
};

const struct sl_command_group sl_trace_commands = {
	.name = "trace",
	.title = "Packet trace",
	.commands = trace_commands,
	.printers = trace_printers,
};
