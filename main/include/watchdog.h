/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * systemd's watchdog (WatchdogSec=), fed from the control loop only while
 * every worker moves: a hung worker forwards nothing while the control
 * thread would go on answering, so the control thread's liveness alone
 * proves little.
 */
#ifndef SL_WATCHDOG_H
#define SL_WATCHDOG_H

#include <stdint.h>

#include "loop.h"
#include "runtime.h"

struct sl_watchdog {
	struct sl_watch timer;	/* fd -1: systemd asked for no watchdog */
	const struct sl_runtime *rt;
	uint64_t seen[SL_MAX_WORKERS];	/* each worker's loops at the last check */
	int stalled;		/* the worker reported stalled, -1: none */
};

/* Arms a timer at half the interval systemd asked for (WATCHDOG_USEC, for
 * this pid: WATCHDOG_PID). Returns 1 when armed, 0 when systemd asked for
 * no watchdog, or -errno. */
int sl_watchdog_start(struct sl_watchdog *wd, struct sl_loop *loop,
		      const struct sl_runtime *rt);
void sl_watchdog_stop(struct sl_watchdog *wd, struct sl_loop *loop);

#endif
