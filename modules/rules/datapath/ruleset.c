/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A rule-set (sl_rules.h) built off the fast path: the classifier of the
 * rules, their verdicts by rank, the OpenFlow flows' lists, and for the
 * ports whose flows cover every packet (XAPI's locked VIFs, whose flows
 * end in a catch-all drop) a second classifier of only the rules that
 * rank at or above those catch-alls.
 *
 * Why the second classifier: a packet of such a port always finds a flow
 * at the catch-all's priority or above, so a rule below it can never
 * decide its fate. Its packets are judged by the few rules above (the
 * plugin's default priority is above XAPI's, or none are) and their
 * port's flows, not by all the rules and the flows: the locking flows
 * then cost less than the classifier lookup they spare.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_malloc.h>

#include "sl_dp.h"
#include "classifier.h"
#include "sl_flows.h"
#include "sl_rules.h"

/* Past this share of all the rules (and this many), the rules above the
 * catch-alls are not worth a classifier of their own (memory, build
 * time): no port's flows decide then, and its packets ask the whole
 * classifier. */
#define ABOVE_MAX_SHARE 4
#define ABOVE_ALWAYS 64

/* The lowest priority every packet of a port with flows finds a flow at
 * (its catch-alls'); -1 if no port's flows cover every packet. */
static int32_t
catch_all_floor(const struct sl_flowset *fs)
{
	int32_t floor = INT32_MAX;

	for (uint16_t p = 0; p < SL_DP_MAX_PORTS; p++)
		if (fs->covered[p] >= 0)
			floor = RTE_MIN(floor, fs->covered[p]);
	return floor == INT32_MAX ? -1 : floor;
}

/* rs->cls_above and rs->above_rank: the rules of priority floor and
 * above, ranked among themselves, and their ranks in the whole set. A
 * rule of the floor's own priority is among them: a rule wins over a
 * flow of its priority (sl_flowset_lookup's floor). 0, or -1 and errno. */
static int
build_above(struct sl_ruleset *rs, const struct sl_cls_rule *rules,
	    const struct sl_rule_verdict *verdicts, uint32_t n, int32_t floor)
{
	struct sl_cls_rule *above;
	uint32_t na = 0;

	for (uint32_t i = 0; i < n; i++)
		na += verdicts[i].priority >= floor;
	if (na > ABOVE_ALWAYS && na > n / ABOVE_MAX_SHARE)
		return 0;	/* the whole classifier, as for any port */
	above = malloc(RTE_MAX(na, 1u) * sizeof(*above));
	rs->above_rank = rte_malloc("sl_above_rank",
				    RTE_MAX(na, 1u) * sizeof(*rs->above_rank), 0);
	if (!above || !rs->above_rank) {
		free(above);
		errno = ENOMEM;
		return -1;
	}
	na = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (verdicts[i].priority < floor)
			continue;
		above[na] = rules[i];
		above[na].rank = na;
		rs->above_rank[na++] = i;
	}
	rs->cls_above = sl_cls_build(above, na);
	free(above);
	if (!rs->cls_above)
		return -1;
	for (uint16_t p = 0; p < SL_DP_MAX_PORTS; p++)
		rs->flows->decides[p] = rs->flows->covered[p] >= 0;
	return 0;
}

struct sl_ruleset *
sl_ruleset_build(const struct sl_cls_rule *rules,
		 const struct sl_rule_verdict *verdicts, uint32_t n,
		 struct sl_flowset *flows)
{
	struct sl_ruleset *rs;
	int32_t floor;

	if (n > SL_RULES_MAX) {
		sl_flowset_free(flows);
		errno = ENOSPC;
		return NULL;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (verdicts[i].slot >= SL_RULES_MAX || rules[i].rank != i) {
			sl_flowset_free(flows);
			errno = EINVAL;
			return NULL;
		}
	}
	rs = rte_zmalloc("sl_ruleset", sizeof(*rs), 0);
	if (!rs) {
		sl_flowset_free(flows);
		errno = ENOMEM;
		return NULL;
	}
	rs->flows = flows;
	rs->nb_rules = n;
	rs->verdicts = rte_malloc("sl_verdicts",
				  RTE_MAX(n, 1u) * sizeof(*verdicts), 0);
	rs->cls = sl_cls_build(rules, n);
	if (!rs->verdicts || !rs->cls)
		goto fail;
	if (n)
		memcpy(rs->verdicts, verdicts, n * sizeof(*verdicts));
	if (flows && (floor = catch_all_floor(flows)) >= 0 &&
	    build_above(rs, rules, verdicts, n, floor) < 0)
		goto fail;
	return rs;
fail:
	{
		int e = errno ? errno : ENOMEM;

		sl_ruleset_free(rs);
		errno = e;
		return NULL;
	}
}

void
sl_ruleset_free(struct sl_ruleset *rs)
{
	if (!rs)
		return;
	sl_cls_free(rs->cls);
	sl_cls_free(rs->cls_above);
	rte_free(rs->above_rank);
	sl_flowset_free(rs->flows);
	rte_free(rs->verdicts);
	rte_free(rs);
}

void
sl_ruleset_info(const struct sl_ruleset *rs, struct sl_cls_info *info)
{
	sl_cls_info(rs->cls, info);
}
