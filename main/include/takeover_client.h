/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The new process's side of a takeover upgrade (sluiced --takeover;
 * core/control/include/takeover.h): a client of the running sluiced's
 * control socket that takes its ports over one at a time.
 */
#ifndef SL_TAKEOVER_CLIENT_H
#define SL_TAKEOVER_CLIENT_H

#include <stddef.h>

#include "persist.h"
#include "runtime.h"

/* At start-up, before anything is built: whether a sluiced answers on
 * path (0), or -1 with the reason in err. */
int sl_takeover_probe(const char *path, char *err, size_t errlen);

/*
 * With the workers running and every device endpoint handed over (none
 * attached): ask the old sluiced on path for each port in turn and
 * attach it here, then for the rest, after which the old one saves the
 * carry-over and exits. Returns 1 when the old one answered the end and
 * has exited (its carry-over is there to load, what it listened on is
 * free), 0 when it went away mid-way (the ports it held are taken as they
 * are), -1 when it refused before any port was handed over, or stopped
 * answering and still runs (this process should exit: the old one takes
 * back what it handed over once this process's connection closes, at its
 * exit, after its ports are closed).
 * before_the_end(arg) is called before the last request, the one after
 * which the old one exits: a service manager must be told the new main
 * pid while the old one still runs, or it takes the old one's exit for
 * the service's end.
 */
struct sl_takeover_conf {
	const char *path;		/* the control socket */
	unsigned int answer_timeout_ms;	/* for each answer */
	void (*before_the_end)(void *arg);
	void *arg;
};

int sl_takeover_ports(struct sl_runtime *rt, const struct sl_persist *p,
		      const struct sl_takeover_conf *conf);

#endif
