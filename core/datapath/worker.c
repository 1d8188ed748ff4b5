/* SPDX-License-Identifier: BSD-3-Clause */
/* The poll loop of one worker lcore. */
#include <rte_cycles.h>
#include <rte_lcore.h>

#include "sl_clock.h"
#include "sl_pipeline.h"

int
sl_worker_main(void *arg)
{
	struct sl_worker *w = arg;
	struct sl_dp *dp = w->dp;
	struct rte_mbuf *pkts[SL_BURST];
	uint64_t t0, t1;

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
		} else
			w->stats.idle_cycles += t1 - t0;
		w->stats.loops++;
		t0 = t1;
	}
	rte_rcu_qsbr_thread_offline(dp->qsv, w->id);
	rte_rcu_qsbr_thread_unregister(dp->qsv, w->id);
	return 0;
}
