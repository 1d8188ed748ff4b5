/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon as the fuzz targets that need it have it (fuzz_control,
 * fuzz_decap, fuzz_pipeline): an EAL without hugepages, a model and a
 * runtime with every feature, the control dispatch. Nothing leaves the
 * process: SR-IOV looks at a sysfs that does not exist, no state is saved,
 * and a target that must not open ports wraps sl_port_open.
 */
#ifndef SL_FUZZ_DAEMON_H
#define SL_FUZZ_DAEMON_H

#include <stdbool.h>
#include <stddef.h>

#include "ctl.h"

/* Lines a daemon remembers the uuids of ("$1".."$9", "$a".."$w"). */
#define FUZZ_DAEMON_LINES 32

struct fuzz_daemon {
	struct sl_model *model;
	struct sl_runtime rt;
	struct sl_ctl ctl;
	char *uuids[FUZZ_DAEMON_LINES];
	unsigned int lines;
	bool verbose;		/* SL_FUZZ_VERBOSE: print every answer */
};

/* The EAL (once, from LLVMFuzzerInitialize); aborts on failure. */
void fuzz_daemon_eal(const char *prefix);
/* A model and runtime with nothing in them; aborts on failure. */
void fuzz_daemon_start(struct fuzz_daemon *d);
void fuzz_daemon_stop(struct fuzz_daemon *d);
/* Handle one request line (len bytes, NUL bytes and all) as the control
 * socket does, "$N" first replaced by the uuid line N answered with
 * (nothing if it made none). Returns false when the line failed or was no
 * request. */
bool fuzz_daemon_line(struct fuzz_daemon *d, const char *line, size_t len);

#endif
