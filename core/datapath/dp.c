/* SPDX-License-Identifier: BSD-3-Clause */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "sl_dp.h"

static_assert(sizeof(struct sl_worker_stats) % sizeof(uint64_t) == 0,
	      "worker stats are summed as an array of 64-bit counters");

static void
free_rule_stats(struct sl_dp *dp)
{
	for (uint16_t i = 0; dp->workers && i < dp->nb_workers; i++)
		rte_free(dp->workers[i].rule_stats);
}

struct sl_dp *
sl_dp_create(uint16_t nb_workers, struct rte_mempool *pool,
	     const struct sl_fdb_conf *fdb_conf)
{
	struct sl_dp *dp;
	size_t qs_size;
	int err = ENOMEM;

	if (nb_workers == 0 || nb_workers > SL_MAX_WORKERS || !pool) {
		errno = EINVAL;
		return NULL;
	}
	dp = rte_zmalloc("sl_dp", sizeof(*dp), RTE_CACHE_LINE_SIZE);
	if (!dp)
		goto fail;
	dp->nb_workers = nb_workers;
	dp->pool = pool;
	qs_size = rte_rcu_qsbr_get_memsize(nb_workers);
	dp->qsv = rte_zmalloc("sl_rcu", qs_size, RTE_CACHE_LINE_SIZE);
	if (!dp->qsv || rte_rcu_qsbr_init(dp->qsv, nb_workers) != 0)
		goto fail;
	dp->workers = rte_zmalloc("sl_workers",
				  nb_workers * sizeof(struct sl_worker),
				  RTE_CACHE_LINE_SIZE);
	if (!dp->workers)
		goto fail;
	dp->fdb = sl_fdb_create("sl_fdb", fdb_conf, dp->qsv);
	if (!dp->fdb) {
		err = errno;
		goto fail;
	}
	dp->inject = rte_ring_create("sl_inject", 1024, (int)rte_socket_id(),
				     RING_F_SP_ENQ | RING_F_SC_DEQ);
	dp->punt = rte_ring_create("sl_punt", 1024, (int)rte_socket_id(),
				   RING_F_SC_DEQ);
	if (!dp->inject || !dp->punt)
		goto fail;
	for (uint16_t i = 0; i < nb_workers; i++) {
		struct sl_worker *w = &dp->workers[i];

		w->dp = dp;
		w->id = i;
		w->fdb = dp->fdb;
		w->pool = pool;
		w->rule_stats = rte_zmalloc("sl_rule_stats",
					    sizeof(*w->rule_stats),
					    RTE_CACHE_LINE_SIZE);
		if (!w->rule_stats)
			goto fail;
	}
	return dp;
fail:
	if (dp) {
		rte_ring_free(dp->inject);
		rte_ring_free(dp->punt);
		sl_fdb_free(dp->fdb);
		free_rule_stats(dp);
		rte_free(dp->workers);
		rte_free(dp->qsv);
		rte_free(dp);
	}
	errno = err;
	return NULL;
}

/* Packets still queued between the threads go back to their pool. */
static void
ring_free_all(struct rte_ring *r)
{
	void *m;

	if (!r)
		return;
	while (rte_ring_dequeue(r, &m) == 0)
		rte_pktmbuf_free(m);
	rte_ring_free(r);
}

void
sl_dp_free(struct sl_dp *dp)
{
	if (!dp)
		return;
	sl_snapshot_free(dp->snap);
	sl_ruleset_free(dp->rules);
	free_rule_stats(dp);
	sl_fdb_free(dp->fdb);
	ring_free_all(dp->inject);
	ring_free_all(dp->punt);
	rte_free(dp->workers);
	rte_free(dp->qsv);
	rte_free(dp);
}

struct sl_snapshot *
sl_dp_publish(struct sl_dp *dp, struct sl_snapshot *next)
{
	struct sl_snapshot *old;

	/* The control thread is the only writer of dp->snap. */
	old = dp->snap;
	next->version = old ? old->version + 1 : 1;
	__atomic_store_n(&dp->snap, next, __ATOMIC_RELEASE);
	/* Waits only for workers that are online; before they start or after
	 * they stop this returns at once. */
	rte_rcu_qsbr_synchronize(dp->qsv, RTE_QSBR_THRID_INVALID);
	return old;
}

struct sl_ruleset *
sl_dp_publish_rules(struct sl_dp *dp, struct sl_ruleset *next)
{
	struct sl_ruleset *old = dp->rules;

	if (next)
		next->version = old ? old->version + 1 : 1;
	__atomic_store_n(&dp->rules, next, __ATOMIC_RELEASE);
	rte_rcu_qsbr_synchronize(dp->qsv, RTE_QSBR_THRID_INVALID);
	return old;
}

struct sl_capture_set *
sl_dp_publish_capture(struct sl_dp *dp, struct sl_capture_set *next)
{
	struct sl_capture_set *old = dp->capture;

	__atomic_store_n(&dp->capture, next, __ATOMIC_RELEASE);
	rte_rcu_qsbr_synchronize(dp->qsv, RTE_QSBR_THRID_INVALID);
	return old;
}

struct sl_trace_live *
sl_dp_publish_trace(struct sl_dp *dp, struct sl_trace_live *next)
{
	struct sl_trace_live *old = dp->trace;

	__atomic_store_n(&dp->trace, next, __ATOMIC_RELEASE);
	rte_rcu_qsbr_synchronize(dp->qsv, RTE_QSBR_THRID_INVALID);
	return old;
}

static void
sum_counter(const struct sl_dp *dp, size_t offset, struct sl_rule_counter *out)
{
	*out = (struct sl_rule_counter){ 0, 0 };
	for (uint16_t i = 0; i < dp->nb_workers; i++) {
		const struct sl_rule_counter *c = (const void *)
			((const char *)dp->workers[i].rule_stats + offset);

		out->packets += __atomic_load_n(&c->packets, __ATOMIC_RELAXED);
		out->bytes += __atomic_load_n(&c->bytes, __ATOMIC_RELAXED);
	}
}

void
sl_dp_rule_counter(const struct sl_dp *dp, uint32_t slot,
		   struct sl_rule_counter *out)
{
	sum_counter(dp, offsetof(struct sl_rule_stats, slot) +
			slot * sizeof(struct sl_rule_counter), out);
}

void
sl_dp_normal_counter(const struct sl_dp *dp, uint16_t network,
		     struct sl_rule_counter *out)
{
	sum_counter(dp, offsetof(struct sl_rule_stats, normal) +
			network * sizeof(struct sl_rule_counter), out);
}

int
sl_dp_inject(struct sl_dp *dp, struct rte_mbuf *m, uint16_t port)
{
	return sl_dp_inject_network(dp, m, port, SL_NETWORK_NONE);
}

int
sl_dp_inject_network(struct sl_dp *dp, struct rte_mbuf *m, uint16_t port,
		     uint16_t network)
{
	struct sl_pkt_meta *md = sl_meta(m);

	memset(md, 0, sizeof(*md));
	md->out_port = port;
	md->network = network;
	md->in_port = SL_PORT_NONE;
	if (rte_ring_sp_enqueue(dp->inject, m) != 0) {
		rte_pktmbuf_free(m);
		return -ENOBUFS;
	}
	return 0;
}

void
sl_dp_stop(struct sl_dp *dp)
{
	__atomic_store_n(&dp->stop, true, __ATOMIC_RELEASE);
}

void
sl_dp_idle_sleep(struct sl_dp *dp, uint32_t max_us)
{
	for (uint16_t i = 0; i < dp->nb_workers; i++)
		dp->workers[i].idle_sleep_max_us = max_us;
}

void
sl_dp_profile(struct sl_dp *dp, bool on)
{
	uint64_t overhead = UINT64_MAX;

	/* what timing nothing takes: taken off every part (sl_profile.h) */
	for (int i = 0; i < 64; i++) {
		uint64_t t0 = rte_rdtsc();

		overhead = RTE_MIN(overhead, rte_rdtsc() - t0);
	}
	for (uint16_t i = 0; i < dp->nb_workers; i++) {
		__atomic_store_n(&dp->workers[i].profile_overhead, overhead,
				 __ATOMIC_RELAXED);
		__atomic_store_n(&dp->workers[i].profile, on, __ATOMIC_RELAXED);
	}
}

void
sl_dp_stats_sum(const struct sl_dp *dp, struct sl_worker_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (uint16_t i = 0; i < dp->nb_workers; i++) {
		const uint64_t *src = (const uint64_t *)&dp->workers[i].stats;
		uint64_t *dst = (uint64_t *)out;

		/* the block is nothing but 64-bit counters */
		for (size_t k = 0; k < sizeof(*out) / sizeof(uint64_t); k++)
			dst[k] += __atomic_load_n(&src[k], __ATOMIC_RELAXED);
	}
}
