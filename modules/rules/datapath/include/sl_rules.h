/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flow rules as the datapath holds them: one immutable rule-set (the
 * classifier and, for each rule rank, what to do and where to count),
 * published through RCU like the snapshot, and the rules stage that judges
 * each packet of a burst by it.
 *
 * Rules outlive rule-sets: a rule keeps its counter slot from the day it
 * is added to the day it is deleted, so its counters carry over every
 * rebuild. Each worker counts into its own array of slots.
 */
#ifndef SL_RULES_H
#define SL_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "sl_cls_rule.h"

struct sl_classifier;

/* Rules per host: the issue asks for 100,000. */
#define SL_RULES_MAX 131072u
/* Networks whose unmatched (NORMAL) packets are counted. */
#define SL_RULES_NETWORKS 4096u

struct sl_rule_verdict {
	uint32_t slot;		/* counter slot, < SL_RULES_MAX */
	uint16_t priority;	/* weighed against the OpenFlow flows' */
	uint8_t allow;		/* 1: switch normally; 0: drop */
};

struct sl_flowset;

struct sl_ruleset {
	uint64_t version;
	uint32_t nb_rules;
	struct sl_classifier *cls;
	struct sl_rule_verdict *verdicts;	/* [nb_rules], by rank */
	/* OpenFlow flows the classifier's shape cannot hold (sl_flows.h);
	 * NULL: none */
	struct sl_flowset *flows;
	/* The rules ranking at or above every flows' catch-all, for the
	 * packets of the ports whose flows decide below it (flows->decides;
	 * ruleset.c says why); NULL: none such */
	struct sl_classifier *cls_above;
	uint32_t *above_rank;	/* its ranks: their ranks in cls */
	/* Networks whose bridge has no priority-0 NORMAL flow (deleted, or
	 * fail_mode=secure): what no rule or flow matches is dropped
	 * (flow_table_miss), as OVS's table miss without that flow. Set
	 * before publishing; miss_drops says whether any bit is, so the
	 * stage looks at the bits only then. */
	bool miss_drops;
	uint64_t miss_drop[SL_RULES_NETWORKS / 64];
};

/* Whether network's unmatched packets are dropped (rs->miss_drops set). */
static inline bool
sl_ruleset_miss_drops(const struct sl_ruleset *rs, uint16_t network)
{
	return network < SL_RULES_NETWORKS &&
	       (rs->miss_drop[network / 64] >> (network % 64) & 1);
}

/* Mark network's unmatched packets as dropped (before publishing). */
static inline void
sl_ruleset_set_miss_drop(struct sl_ruleset *rs, uint16_t network)
{
	if (network >= SL_RULES_NETWORKS)
		return;
	rs->miss_drop[network / 64] |= 1ull << (network % 64);
	rs->miss_drops = true;
}

struct sl_rule_counter {
	uint64_t packets, bytes;
};

/* A counter of a worker's rule counters: a rule's slot, or a network's
 * NORMAL counter (the network's id with SL_RULE_KEY_NORMAL set). */
#define SL_RULE_KEY_NORMAL (1u << 31)
#define SL_RULE_KEY_NONE UINT32_MAX

/* A worker's rule counters. */
struct sl_rule_stats {
	struct sl_rule_counter slot[SL_RULES_MAX];
	struct sl_rule_counter normal[SL_RULES_NETWORKS];	/* no rule matched */
	/* the key of the counter bumped last: what a traced packet (a
	 * burst of one) matched (sl_trace.h) */
	uint32_t last_key;
};

/* rules[i] has rank i; verdicts[i] is its verdict. Copies both, and
 * takes flows (NULL: none). NULL and errno on failure (flows freed). */
struct sl_ruleset *sl_ruleset_build(const struct sl_cls_rule *rules,
				    const struct sl_rule_verdict *verdicts,
				    uint32_t n, struct sl_flowset *flows);
void sl_ruleset_free(struct sl_ruleset *rs);
/* The size of its classifier (for stats). */
void sl_ruleset_info(const struct sl_ruleset *rs, struct sl_cls_info *info);

struct sl_worker;

struct sl_snapshot;
/* The rules stage: counts every packet on its rule or flow (or its
 * network's NORMAL counter), drops those a deny rule or a flow without
 * actions matches (rule_deny) and those nothing matches on a bridge
 * without its NORMAL flow (flow_table_miss), sends those a flow outputs
 * to a port there and then. Returns how many go on to normal switching, compacted to the
 * front. rs may be NULL (no rules). */
uint16_t sl_rules_burst(struct sl_worker *w, const struct sl_ruleset *rs,
			const struct sl_snapshot *s, struct rte_mbuf **pkts,
			uint16_t n);

#endif
