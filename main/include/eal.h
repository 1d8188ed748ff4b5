/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EAL command line sluiced builds for itself, so the same binary starts on
 * a laptop with no NIC and no hugepages and on a host with both.
 */
#ifndef SL_EAL_H
#define SL_EAL_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "options.h"

#define SL_EAL_MAX_ARGS 256

struct sl_eal_plan {
	int argc;
	/* handed to rte_eal_init, which rewrites it (argv[0] lands in a second
	 * slot): strings are freed through owned[] only */
	char *argv[SL_EAL_MAX_ARGS];
	char *owned[SL_EAL_MAX_ARGS];
	char file_prefix[64];
	bool hugepages;		/* --in-memory on hugepages, else --no-huge */
	bool pci;		/* PCI devices to probe: no --no-pci */
	unsigned int nb_workers;
	unsigned int memory_mb;	/* --no-huge only */
};

/* The EAL's arguments for o and the PCI PIFs of m (NULL: a state known to
 * have none). Returns 0 or -1 with a sentence in err. */
int sl_eal_plan_build(const struct sl_options *o, const struct sl_model *m,
		      struct sl_eal_plan *plan, char *err, size_t errlen);
void sl_eal_plan_free(struct sl_eal_plan *plan);

/* "sluice" for the default socket, else "sluice-<hash of the socket path>":
 * stable across restarts (dpdk-telemetry.py -f <prefix> keeps working) and
 * distinct for every daemon on the machine. */
void sl_eal_file_prefix(const char *socket_path, char *out, size_t outlen);

/* DPDK's runtime directory of a file prefix, as the EAL names it
 * (eal_rundir.c). */
void sl_eal_runtime_dir(const char *prefix, char *out, size_t len);
/* Remove it if no process answers on a socket in it (a crashed daemon's):
 * true if it was there and is gone. */
bool sl_eal_runtime_dir_remove_stale(const char *dir);
/* Remove it and what it holds: at a clean exit, after rte_eal_cleanup(). */
void sl_eal_runtime_dir_remove(const char *dir);
/* The runtime directories of takeovers of the sluiced whose file prefix
 * is base_prefix (sl_eal_file_prefix(); theirs add "-takeover-PID") that
 * a crashed or killed daemon left: removed when no process answers in
 * them. How many. */
unsigned int sl_eal_takeover_dirs_remove_stale(const char *base_prefix);

#endif
