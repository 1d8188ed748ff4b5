/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The datapath as the control plane sees it: the published snapshot, the
 * FDB, the RCU variable the workers report quiescent states to, and one
 * context per worker lcore.
 */
#ifndef SL_DP_H
#define SL_DP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "fdb.h"
#include "l2cache.h"
#include "sl_capture.h"
#include "sl_rules.h"
#include "sl_snapshot.h"
#include "sl_stats.h"

/* Packets a worker takes from a queue at once. 64 rather than the usual
 * 32: every stage's fixed cost per burst (the loop's clock and RCU, a call
 * and a loop per stage, one tx_burst per port) is shared by twice as many
 * packets, about 5 % at one flow and 10-15 % with rules (bench/README.md).
 * A queue with fewer waiting is taken at once as before, so a lightly
 * loaded port waits no longer. The FDB's bulk lookup takes up to 64 keys,
 * one bit each in a uint64_t. */
#define SL_BURST 64
/* A flood of one burst can queue up to SL_BURST packets on one port; twice
 * that leaves room before a mid-burst flush is needed. */
#define SL_TXBUF_SIZE (2 * SL_BURST)

struct sl_txbuf {
	uint16_t n;
	bool listed;		/* in the worker's pending list */
	struct rte_mbuf *pkts[SL_TXBUF_SIZE];
};

struct sl_dp;

struct sl_worker {
	struct sl_worker_stats stats;	/* written by this worker only */
	struct sl_dp *dp;
	struct sl_fdb *fdb;
	struct rte_mempool *pool;	/* flood copies */
	uint16_t id;			/* 0..nb_workers-1, also RCU thread id */
	bool profile;			/* count cycles per stage (two rdtsc a stage) */
	uint64_t profile_parts;		/* sl_profile.h: parts' cycles in the open stage */
	uint64_t profile_overhead;	/* sl_profile.h: what timing a part costs */
	uint32_t now_s;			/* sl_clock_s() at the top of the loop */
	uint64_t now_tsc;		/* rte_rdtsc() at the top of the loop */
	uint64_t next_s_tsc;		/* the TSC at which now_s moves on */
	uint32_t icmp_second;		/* the second icmp_sent counts in */
	uint32_t icmp_sent;		/* ICMP errors sent in that second */
	uint32_t discover_second;	/* the second discover_sent counts in */
	uint32_t discover_sent;		/* unclaimed VLANs' frames handed over */
	uint32_t idle_sleep_max_us;	/* 0: poll without sleeping */
	uint32_t idle_sleep_us;		/* the next sleep's length, less a step */
	uint16_t nb_pending;		/* ports with packets in tx[] */
	uint16_t pending[SL_MAX_PORTS];
	struct sl_txbuf tx[SL_MAX_PORTS];
	struct sl_l2_cache l2cache;
	struct sl_rule_stats *rule_stats;	/* written by this worker only */
	/* a trace's private worker (the control thread's): it looks the
	 * FDB up but learns nothing */
	bool no_learn;
} __rte_cache_aligned;

struct sl_dp {
	struct sl_snapshot *snap;	/* __atomic load/store only */
	struct sl_ruleset *rules;	/* __atomic load/store only; NULL: none */
	/* the running captures; __atomic load/store only; NULL: none */
	struct sl_capture_set *capture;
	/* the live trace (trace-live); __atomic load/store only; NULL: none */
	struct sl_trace_live *trace;
	struct sl_fdb *fdb;
	struct rte_rcu_qsbr *qsv;
	struct rte_mempool *pool;
	uint16_t nb_workers;
	bool stop;			/* __atomic */
	struct sl_worker *workers;	/* [nb_workers] */
	/* Frames the control thread sends (RARP announcements, LACPDUs, ARP
	 * and ping replies of tunnel endpoints), their out port in the
	 * metadata: sent by worker 0, so no tx queue is ever written by two
	 * threads. */
	struct rte_ring *inject;
	/* For the control thread: LACP frames from bond members, ARP and
	 * pings for tunnel endpoints, frames of VLANs to discover. */
	struct rte_ring *punt;
};

/* Returns NULL and sets errno. */
struct sl_dp *sl_dp_create(uint16_t nb_workers, struct rte_mempool *pool,
			   const struct sl_fdb_conf *fdb_conf);
/* Frees the datapath and its current snapshot; workers must have stopped. */
void sl_dp_free(struct sl_dp *dp);

/*
 * Make next the configuration every worker uses. Returns the previous
 * snapshot once no worker can still be using it (after an RCU grace
 * period), for the caller to free and to release what only it referenced.
 */
struct sl_snapshot *sl_dp_publish(struct sl_dp *dp, struct sl_snapshot *next);

/* Make next the rule-set every worker judges packets by (NULL: none);
 * returns the previous one once no worker can still be using it. */
struct sl_ruleset *sl_dp_publish_rules(struct sl_dp *dp,
				       struct sl_ruleset *next);

static inline const struct sl_ruleset *
sl_dp_rules(const struct sl_dp *dp)
{
	return __atomic_load_n(&dp->rules, __ATOMIC_ACQUIRE);
}

/* Make next the set of running captures (NULL: none); returns the
 * previous one once no worker can still be using it. */
struct sl_capture_set *sl_dp_publish_capture(struct sl_dp *dp,
					     struct sl_capture_set *next);

/* Loaded once per burst: NULL (no capture) is the predictable case. */
static inline const struct sl_capture_set *
sl_dp_capture(const struct sl_dp *dp)
{
	return __atomic_load_n(&dp->capture, __ATOMIC_ACQUIRE);
}

/* Make next the live trace (NULL: none); returns the previous one once
 * no worker can still be using it. */
struct sl_trace_live *sl_dp_publish_trace(struct sl_dp *dp,
					  struct sl_trace_live *next);

/* Loaded once per burst: NULL (no live trace) is the predictable case. */
static inline struct sl_trace_live *
sl_dp_trace(const struct sl_dp *dp)
{
	return __atomic_load_n(&dp->trace, __ATOMIC_ACQUIRE);
}

/* Sum every worker's counters of one rule slot, or of a network's
 * unmatched packets (network < SL_RULES_NETWORKS). */
void sl_dp_rule_counter(const struct sl_dp *dp, uint32_t slot,
			struct sl_rule_counter *out);
void sl_dp_normal_counter(const struct sl_dp *dp, uint16_t network,
			  struct sl_rule_counter *out);

static inline const struct sl_snapshot *
sl_dp_snapshot(const struct sl_dp *dp)
{
	return __atomic_load_n(&dp->snap, __ATOMIC_ACQUIRE);
}

/* Queue a frame for worker 0 to send as it is on port (an ethdev port).
 * Control thread only. Returns 0 or -ENOBUFS (the frame is freed). */
int sl_dp_inject(struct sl_dp *dp, struct rte_mbuf *m, uint16_t port);
/* The same for an untagged frame of network, sent on port (any datapath
 * port of the network) as the network's own: tagged, through a bond. */
int sl_dp_inject_network(struct sl_dp *dp, struct rte_mbuf *m, uint16_t port,
			 uint16_t network);

/* lcore entry point; arg is a struct sl_worker. */
int sl_worker_main(void *arg);
void sl_dp_stop(struct sl_dp *dp);

/* Count cycles per stage on every worker from now on, or stop. */
void sl_dp_profile(struct sl_dp *dp, bool on);

/* Let workers whose queues were all empty sleep, a step longer after each
 * empty loop, up to max_us (0: they poll, as by default). Before the
 * workers start. */
void sl_dp_idle_sleep(struct sl_dp *dp, uint32_t max_us);

/* Sum every worker's counters into out. */
void sl_dp_stats_sum(const struct sl_dp *dp, struct sl_worker_stats *out);

#endif
