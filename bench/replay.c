/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>

#include "replay.h"
#include "sl_clock.h"
#include "sl_pipeline.h"

/* What one pass counted: drops by reason and packets sent per port. */
struct tally {
	uint64_t drops[SL_DROP__COUNT];
	uint64_t tx[SL_DP_MAX_PORTS];
};

static void
tally_now(const struct sl_dp *dp, struct tally *out)
{
	static struct sl_worker_stats sum;	/* large: not on the stack */

	sl_dp_stats_sum(dp, &sum);
	memcpy(out->drops, sum.drops, sizeof(out->drops));
	for (int p = 0; p < SL_DP_MAX_PORTS; p++)
		out->tx[p] = sum.port[p].tx_packets;
}

static void
tally_delta(const struct tally *before, const struct tally *after,
	    struct tally *out)
{
	for (int i = 0; i < SL_DROP__COUNT; i++)
		out->drops[i] = after->drops[i] - before->drops[i];
	for (int p = 0; p < SL_DP_MAX_PORTS; p++)
		out->tx[p] = after->tx[p] - before->tx[p];
}

/* One pass over the trace; returns the datapath's cycles, or 0 with err
 * set when the pool ran dry. */
static uint64_t
pass(struct sl_worker *w, const struct sl_snapshot *s, uint16_t in_port,
     const struct sl_trace *t, struct rte_mempool *pool, char *err,
     size_t errlen)
{
	struct rte_mbuf *pkts[SL_BURST];
	uint64_t cycles = 0;

	for (size_t i = 0; i < t->nb_frames; i += SL_BURST) {
		uint16_t n = (uint16_t)RTE_MIN((size_t)SL_BURST, t->nb_frames - i);
		uint64_t t0;

		for (uint16_t k = 0; k < n; k++) {
			pkts[k] = sl_trace_mbuf(t, i + k, pool);
			if (!pkts[k]) {
				rte_pktmbuf_free_bulk(pkts, k);
				snprintf(err, errlen,
					 "the packet pool ran dry (a leak, or --mbufs too small)");
				return 0;
			}
		}
		/* as the worker loop does before polling its queues */
		sl_worker_clock(w, rte_rdtsc());
		t0 = rte_rdtsc_precise();
		sl_pipeline_burst(w, s, in_port, pkts, n);
		sl_tx_flush(w, s);
		cycles += rte_rdtsc_precise() - t0;
	}
	return cycles ? cycles : 1;
}

int
sl_replay_run(struct sl_runtime *rt, uint16_t in_port,
	      const struct sl_trace *t, double min_s,
	      struct sl_replay_result *r, char *err, size_t errlen)
{
	struct sl_worker *w = &rt->dp->workers[0];
	const struct sl_snapshot *s = sl_dp_snapshot(rt->dp);
	struct tally before, after, first, d;
	static struct sl_worker_stats sum0, sum1;
	uint64_t want, c;

	memset(r, 0, sizeof(*r));
	r->hz = rte_get_tsc_hz();
	r->consistent = true;
	want = (uint64_t)(min_s * (double)r->hz);
	if (!pass(w, s, in_port, t, rt->pool, err, errlen))	/* warm-up */
		return -1;
	do {
		tally_now(rt->dp, &before);
		c = pass(w, s, in_port, t, rt->pool, err, errlen);
		if (!c)
			return -1;
		tally_now(rt->dp, &after);
		tally_delta(&before, &after, &d);
		if (r->passes == 0)
			first = d;
		else if (memcmp(&first, &d, sizeof(d)) != 0)
			r->consistent = false;
		r->cycles += c;
		r->passes++;
	} while (r->cycles < want);
	r->packets = r->passes * t->nb_frames;
	r->bytes = r->passes * t->bytes;
	memcpy(r->drops, first.drops, sizeof(r->drops));
	memcpy(r->tx, first.tx, sizeof(r->tx));
	/* the breakdown costs two rdtsc a stage: measured apart */
	sl_dp_profile(rt->dp, true);
	sl_dp_stats_sum(rt->dp, &sum0);
	c = 0;
	do {
		uint64_t p = pass(w, s, in_port, t, rt->pool, err, errlen);

		if (!p) {
			sl_dp_profile(rt->dp, false);
			return -1;
		}
		c += p;
		r->profiled_packets += t->nb_frames;
	} while (c < want);
	sl_dp_stats_sum(rt->dp, &sum1);
	sl_dp_profile(rt->dp, false);
	for (int st = 0; st < SL_STAGE__COUNT; st++)
		r->stage_cycles[st] = sum1.stage_cycles[st] - sum0.stage_cycles[st];
	return 0;
}
