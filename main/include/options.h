/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_OPTIONS_H
#define SL_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "sl_cli.h"
#include "sluice_api.h"

#define SL_DEFAULT_SOCKET SLUICE_DEFAULT_SOCKET
/* The socket's group when --socket-group is not given and it exists. */
#define SL_DEFAULT_SOCKET_GROUP "sluice"
#define SL_DEFAULT_STATE "/var/lib/sluice/state.json"
#define SL_DEFAULT_MBUFS 65535
/* The control socket's limits (ctl_server.h) */
#define SL_DEFAULT_SOCKET_IDLE_TIMEOUT_S 10
#define SL_DEFAULT_SOCKET_PER_UID 64
/* An answer to a takeover takes the old sluiced a snapshot, a grace
 * period and a close; the last one the carry-over of 10,000 rules'
 * counters as well. */
#define SL_DEFAULT_TAKEOVER_ANSWER_S 30

struct sl_options {
	const char *socket_path;
	const char *socket_group;	/* NULL: root only */
	const char *state_path;
	int workers;			/* 0: one per core but the main one */
	const char *eal_extra;		/* appended to the EAL arguments */
	int log_level;			/* RTE_LOG_* */
	double duration_s;		/* 0: until SIGINT/SIGTERM */
	const char *stats_file;		/* JSON stats on SIGUSR1 and at exit */
	unsigned int stats_interval_s;	/* 0: no periodic stats line */
	unsigned int mbufs;
	bool profile;			/* cycles per datapath stage */
	bool no_rcu_expedite;		/* rcu_expedite.h */
	bool takeover;			/* take over the running sluiced */
	unsigned int takeover_answer_s;	/* wait for each of its answers */
	/* the control socket's limits (ctl_server.h) */
	unsigned int socket_idle_timeout_s;	/* 0: never */
	unsigned int socket_per_uid;
	/* a worker with nothing to do sleeps up to this long; 0: polls */
	unsigned int idle_sleep_max_us;
	/* the values of the features' daemon options, by their index
	 * (sl_cli.h); NULL: not given, "": given, takes no value */
	const char *feature_values[SL_MAX_FEATURE_OPTIONS];
};

/* Returns 0 to run, 1 when --help/--version was printed (exit 0), -1 on a
 * bad argument (message on err, exit 2). */
int sl_options_parse(int argc, char **argv, struct sl_options *o, FILE *err);

#endif
