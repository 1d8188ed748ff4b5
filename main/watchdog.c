/* SPDX-License-Identifier: BSD-3-Clause */
/* systemd's watchdog, fed while the workers move (watchdog.h). */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "watchdog.h"

/* The first of n workers whose loop count is what seen has, or -1 if
 * every one moved; seen takes the new counts. */
static int
stalled_worker(uint64_t *seen, const uint64_t *now, unsigned int n)
{
	int stalled = -1;

	for (unsigned int i = 0; i < n; i++) {
		if (now[i] == seen[i] && stalled < 0)
			stalled = (int)i;
		seen[i] = now[i];
	}
	return stalled;
}

static void
on_timer(struct sl_watch *w, uint32_t events)
{
	struct sl_watchdog *wd = (struct sl_watchdog *)
		((char *)w - offsetof(struct sl_watchdog, timer));
	uint64_t expirations, now[SL_MAX_WORKERS];
	uint16_t n = wd->rt->nb_workers;
	int stalled;

	(void)events;
	if (read(w->fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return;
	/* a plain load of a counter only its worker writes: a value one
	 * loop old at worst */
	for (uint16_t i = 0; i < n; i++)
		now[i] = __atomic_load_n(&wd->rt->dp->workers[i].stats.loops,
					 __ATOMIC_RELAXED);
	stalled = stalled_worker(wd->seen, now, n);
	if (stalled >= 0 && wd->stalled < 0)
		SL_LOG(ERR, "worker %d (lcore %u) has not looped for half the watchdog interval: not telling systemd we are alive\n",
		       stalled, wd->rt->worker_lcore[stalled]);
	else if (stalled < 0 && wd->stalled >= 0)
		SL_LOG(NOTICE, "worker %d loops again\n", wd->stalled);
	wd->stalled = stalled;
	if (stalled < 0)
		sd_notify(0, "WATCHDOG=1");
}

int
sl_watchdog_start(struct sl_watchdog *wd, struct sl_loop *loop,
		  const struct sl_runtime *rt)
{
	struct itimerspec its = { 0 };
	uint64_t usec = 0;
	int rc;

	memset(wd, 0, sizeof(*wd));
	wd->timer.fd = -1;
	wd->stalled = -1;
	wd->rt = rt;
	/* The variables stay: unsetting them races with the EAL's threads'
	 * getenv, and a child that inherits them sees another pid in
	 * WATCHDOG_PID and ignores them. */
	rc = sd_watchdog_enabled(0, &usec);
	if (rc <= 0)
		return rc;
	/* half the interval, as sd_watchdog_enabled(3) advises: one check
	 * may come late without systemd killing a healthy daemon */
	usec /= 2;
	its.it_interval.tv_sec = (time_t)(usec / 1000000);
	its.it_interval.tv_nsec = (long)(usec % 1000000) * 1000;
	its.it_value = its.it_interval;
	wd->timer.fn = on_timer;
	wd->timer.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (wd->timer.fd < 0 || timerfd_settime(wd->timer.fd, 0, &its, NULL) < 0 ||
	    sl_loop_add(loop, &wd->timer, EPOLLIN) < 0) {
		rc = -errno;
		sl_watchdog_stop(wd, loop);
		return rc;
	}
	SL_LOG(INFO, "systemd watchdog: checking the workers every %lu ms\n",
	       (unsigned long)(usec / 1000));
	return 1;
}

void
sl_watchdog_stop(struct sl_watchdog *wd, struct sl_loop *loop)
{
	if (wd->timer.fd < 0)
		return;
	sl_loop_del(loop, &wd->timer);
	close(wd->timer.fd);
	wd->timer.fd = -1;
}
