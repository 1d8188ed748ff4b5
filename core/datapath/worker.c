/* SPDX-License-Identifier: BSD-3-Clause */
/* The poll loop of one worker lcore. */
#include <sys/prctl.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "sl_clock.h"
#include "sl_pipeline.h"

/* What an idle worker's sleep grows by after each empty loop: from the
 * first empty loop to a 500 us sleep takes 50 loops (about 13 ms), so a
 * gap between bursts costs little latency, and a long silence little CPU
 * (as OVS's pmd-sleep-max). */
#define IDLE_SLEEP_STEP_US 10

/* Sleep after a loop that moved nothing (--idle-sleep-max-us): the worker
 * holds nothing of the snapshot here (it reported its quiescent state), so
 * a grace period waits at most one sleep. Returns the TSC after it. */
static uint64_t
idle_sleep(struct sl_worker *w, uint64_t t1)
{
	uint64_t t2;

	w->idle_sleep_us = RTE_MIN(w->idle_sleep_us + IDLE_SLEEP_STEP_US,
				   w->idle_sleep_max_us);
	rte_delay_us_sleep(w->idle_sleep_us);
	t2 = rte_rdtsc();
	w->stats.sleep_cycles += t2 - t1;
	return t2;
}

int
sl_worker_main(void *arg)
{
	struct sl_worker *w = arg;
	struct sl_dp *dp = w->dp;
	struct rte_mbuf *pkts[SL_BURST];
	uint64_t t0, t1;

	/* a sleep of 10 us must not last the default 50 us of slack */
	if (w->idle_sleep_max_us)
		prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	rte_rcu_qsbr_thread_register(dp->qsv, w->id);
	rte_rcu_qsbr_thread_online(dp->qsv, w->id);
	t0 = rte_rdtsc();
	while (!__atomic_load_n(&dp->stop, __ATOMIC_ACQUIRE)) {
		const struct sl_snapshot *s = sl_dp_snapshot(dp);
		uint32_t moved = 0, nb_active = 0;
		struct {
			uint16_t port, n;
		} active[SL_MAX_PORTS];

		sl_worker_clock(w, t0);
		if (likely(s && w->id < s->nb_workers)) {
			const struct sl_dp_worker_plan *plan = &s->workers[w->id];

			for (uint16_t i = 0; i < plan->nb_rxq; i++) {
				const struct sl_dp_rxq *q = &plan->rxq[i];
				uint16_t n = sl_port_rx_burst(q->port, q->queue,
							      pkts, SL_BURST);
				if (n) {
					sl_pipeline_burst(w, s, q->port, pkts, n);
					moved += n;
					active[nb_active].port = q->port;
					active[nb_active++].n = n;
				}
			}
			if (w->id == 0) {
				moved += sl_tx_drain_handoff(w, s);
				moved += sl_tx_drain_inject(w, s);
			}
			sl_tx_flush(w, s);
		}
		/* Nothing of s is held past this point: the control thread
		 * may free it once every worker has passed here. */
		rte_rcu_qsbr_quiescent(dp->qsv, w->id);

		t1 = rte_rdtsc();
		if (moved) {
			w->stats.busy_cycles += t1 - t0;
			/* one queue gave packets (the usual case): the whole
			 * loop is its; several: shared by their packets */
			if (nb_active == 1)
				w->stats.rxq_cycles[active[0].port] += t1 - t0;
			else
				for (uint32_t k = 0; k < nb_active; k++)
					w->stats.rxq_cycles[active[k].port] +=
						(t1 - t0) * active[k].n / moved;
			w->idle_sleep_us = 0;
		} else {
			w->stats.idle_cycles += t1 - t0;
			/* off (0, the default): this one predictable branch */
			if (unlikely(w->idle_sleep_max_us))
				t1 = idle_sleep(w, t1);
		}
		w->stats.loops++;
		t0 = t1;
	}
	rte_rcu_qsbr_thread_offline(dp->qsv, w->id);
	rte_rcu_qsbr_thread_unregister(dp->qsv, w->id);
	return 0;
}
