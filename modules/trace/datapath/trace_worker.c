/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A trace of the control thread's: a made-up frame through the real
 * stages on a worker of its own. It sees the snapshot, the rule-set and
 * the FDB the workers see (the control thread publishes them: nothing it
 * reads can be freed meanwhile) and has its own counters, transmit
 * buffers and hand-over ring, so nothing it does reaches the switch: it
 * learns nothing (no_learn), and what it would send or hand over is
 * looked at and freed.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "sl_pipeline.h"
#include "sl_rules.h"
#include "sl_trace.h"

static struct sl_worker *
private_worker(struct sl_dp *dp, struct rte_mempool *pool,
	       struct rte_ring *punt, struct sl_dp *view)
{
	struct sl_worker *w = rte_zmalloc("sl_trace_worker", sizeof(*w),
					  RTE_CACHE_LINE_SIZE);

	if (!w)
		return NULL;
	w->rule_stats = rte_zmalloc("sl_trace_rule_stats",
				    sizeof(*w->rule_stats), RTE_CACHE_LINE_SIZE);
	if (!w->rule_stats) {
		rte_free(w);
		return NULL;
	}
	/* the switch's datapath, but for the hand-over ring and the
	 * captures (a made-up frame is nobody's traffic) */
	*view = *dp;
	view->punt = punt;
	view->capture = NULL;
	w->dp = view;
	w->fdb = dp->fdb;
	w->pool = pool;
	w->no_learn = true;
	sl_worker_clock(w, rte_rdtsc());
	return w;
}

/* What the stages left: copies queued for sending (the record has them),
 * frames handed over (counted). Freed. */
static void
collect(struct sl_worker *w, struct sl_trace_result *out)
{
	struct rte_mbuf *m;

	for (uint16_t i = 0; i < w->nb_pending; i++) {
		struct sl_txbuf *b = &w->tx[w->pending[i]];

		rte_pktmbuf_free_bulk(b->pkts, b->n);
		b->n = 0;
	}
	while (rte_ring_dequeue(w->dp->punt, (void **)&m) == 0) {
		out->punted++;
		rte_pktmbuf_free(m);
	}
}

int
sl_trace_private(struct sl_dp *dp, const struct sl_snapshot *s,
		 struct rte_mempool *pool, struct rte_ring *punt,
		 uint16_t rx_port, struct rte_mbuf *m,
		 struct sl_trace_result *out)
{
	struct sl_dp view;
	struct sl_worker *w = private_worker(dp, pool, punt, &view);

	memset(out, 0, sizeof(*out));
	if (!w) {
		rte_pktmbuf_free(m);
		errno = ENOMEM;
		return -1;
	}
	m->port = rx_port;
	sl_pipeline_traced(w, s, rx_port, m, &out->rec);
	collect(w, out);
	rte_free(w->rule_stats);
	rte_free(w);
	return 0;
}
