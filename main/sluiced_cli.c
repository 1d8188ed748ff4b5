/* SPDX-License-Identifier: BSD-3-Clause */
/* sluiced's command line, declared once (sl_cli.h): --help, getopt and
 * sluiced(8) come from this table and the features' daemon options
 * (declared with their commands). */
#include "options.h"
#include "sl_cli.h"

static const struct sl_option_spec options[] = {
	{ "socket", "PATH", 's', "control socket (default " SL_DEFAULT_SOCKET ")" },
	{ "socket-group", "GROUP", 'g',
	  "may use the socket besides root (default " SL_DEFAULT_SOCKET_GROUP " if it exists)" },
	{ "socket-idle-timeout", "S", 't',
	  "close a control connection with no complete request for S seconds; 0: never (default "
	  SL_STR(SL_DEFAULT_SOCKET_IDLE_TIMEOUT_S) ")" },
	{ "socket-clients-per-uid", "N", 'u',
	  "control connections one uid but root may hold at once (default "
	  SL_STR(SL_DEFAULT_SOCKET_PER_UID) "; 256 in all, the last 4 kept for root)" },
	{ "state", "PATH", 'S', "state file (default " SL_DEFAULT_STATE ")" },
	{ "workers", "N", 'w', "worker lcores (default: one per core but one)" },
	{ "eal", "\"ARGS\"", 'e', "extra DPDK EAL arguments" },
	{ "log-level", "L", 'l', "error|warning|notice|info|debug (default notice)" },
	{ "duration", "SECONDS", 'd', "stop by itself after this long" },
	{ "stats-file", "PATH", 'f', "write JSON stats there on SIGUSR1 and at exit" },
	{ "stats-interval", "S", 'i', "log a stats line every S seconds" },
	{ "mbufs", "N", 'm', "packet buffers in the pool (default " SL_STR(SL_DEFAULT_MBUFS) ")" },
	{ "idle-sleep-max-us", "N", 'I',
	  "a worker whose queues are empty sleeps, a little longer each empty pass, up to N microseconds (0..10000; default 0: it polls)" },
	{ "no-rcu-expedite", NULL, 'R',
	  "never set /sys/kernel/rcu_expedited (default: 1 while ports open and close, then back to 0: an af_packet port's open and close wait for five kernel RCU grace periods, most of a restart's traffic gap)" },
	{ "profile", NULL, 'p', "count cycles per datapath stage (in stats)" },
	{ "takeover", NULL, 'T',
	  "upgrade in place: start beside the sluiced running on --socket, take its ports over one at a time, then its socket (give the same options)" },
	{ "takeover-answer-timeout", "S", 'A',
	  "with --takeover: how long to wait for each answer of the running sluiced (1..3600; default "
	  SL_STR(SL_DEFAULT_TAKEOVER_ANSWER_S) "); if it still runs then, this one gives its ports back and exits 1" },
	{ "help", NULL, 'h', "print this and exit" },
	{ "version", NULL, 'V', "print the version and exit" },
	{ NULL, NULL, 0, NULL },
};

const struct sl_program_spec sl_sluiced_program = {
	.name = "sluiced",
	.section = 8,
	.summary = "the sluice virtual switch daemon",
	.synopsis = "[options]",
	.description =
		"sluiced is a kernel-bypass virtual switch on DPDK for virtualisation "
		"hosts: L2 learning, VLANs, MTU, bonds with LACP, flow rules, GRE and "
		"VXLAN private networks and SR-IOV, configured as XCP-ng's xe "
		"configures a host (networks, PIFs, VIFs).\n\n"
		"It keeps its configuration in the state file and applies it at start; "
		"sluicectl(8) changes it through the control socket, and every change "
		"is saved. Worker lcores forward packets; the main thread runs the "
		"control socket, the bonds' LACP and link monitoring, and publishes "
		"each change to the workers as a new snapshot (SIGNALS below say "
		"what it does on a signal).",
	.options = options,
	.feature_options = true,
};
