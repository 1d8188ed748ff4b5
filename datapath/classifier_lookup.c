/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The classifier's lookup.
 *
 * A packet's answer is found in a few reads whose number does not depend
 * on the traffic: its network's scope directly, its MACs' scopes in a hash
 * map, then, in each group of rules that concerns it, its port's table in
 * a hash map and its address in the interval tables' search trees (a
 * cache line per layer), then each interval's best rank.
 *
 * The searches do not branch on a packet's addresses or ports (the trees
 * count, the maps compare a whole bucket at once). A binary search's
 * branches follow the address: the CPU learns them for one flow and
 * guesses half of them wrong with many, and every wrong guess throws away
 * the work in flight, other searches' cache misses included. Without
 * them the CPU keeps several searches in flight and their misses overlap:
 * the cost per packet grows little from one flow to a million
 * (bench/README.md).
 */
#include <rte_common.h>
#include <rte_prefetch.h>

#include "classifier_layout.h"

static __rte_always_inline uint32_t
table_best(const struct sl_classifier *c, uint32_t t, uint32_t addr,
	   uint8_t proto)
{
	const struct sl_cls_table *tb = &c->tables[t];

	return c->best[tb->first + sl_cls_tree_floor(c->nodes, &tb->starts, addr)][proto];
}

/* The best rank of group g's rules for key k on that side. */
static __rte_always_inline uint32_t
group_best(const struct sl_classifier *c, uint32_t g, const struct sl_cls_key *k,
	   enum sl_cls_side side)
{
	const struct sl_cls_group *gr = &c->groups[g];
	uint32_t addr = side == SL_CLS_TO ? k->dst : k->src;
	uint32_t best = SL_CLS_NONE;

	if (gr->table != SL_CLS_NONE)
		best = table_best(c, gr->table, addr, k->proto);
	{
		uint16_t port = side == SL_CLS_TO ? k->dport : k->sport;
		uint64_t key = sl_cls_port_key(g, k->proto, port);
		/* most packets' class and port have no table: the group's
		 * classes and the map's filter (in cache) say so, and are
		 * tested together so that the one branch is seldom taken */
		bool maybe = ((gr->port_protos >> k->proto) & 1) &
			     sl_cls_map_may_hold(&c->port_tables, key);

		if (maybe) {
			uint32_t t = sl_cls_map_find(&c->port_tables, key);

			if (t != SL_CLS_MAP_NONE)
				best = RTE_MIN(best, table_best(c, t, addr, k->proto));
		}
	}
	return best;
}

/* s: a scope, or SL_CLS_NONE (which is SL_CLS_MAP_NONE: a MAC without). */
static __rte_always_inline uint32_t
scope_best(const struct sl_classifier *c, uint32_t s, const struct sl_cls_key *k,
	   enum sl_cls_side side)
{
	uint32_t g = s == SL_CLS_NONE ? SL_CLS_NONE : c->scopes[s].group[side];

	return g == SL_CLS_NONE ? SL_CLS_NONE : group_best(c, g, k, side);
}

static inline bool
key_ok(const struct sl_cls_key *k)
{
	return k->proto < SL_CLS_PROTOS && k->network < SL_CLS_MAX_NETWORKS;
}

bool
sl_cls_network_has_rules(const struct sl_classifier *c, uint16_t network)
{
	return network < SL_CLS_MAX_NETWORKS && c->net_flags[network];
}

void
sl_cls_lookup_burst(const struct sl_classifier *c,
		    const struct sl_cls_key *keys, uint32_t *ranks, uint16_t n)
{
	/* the MAC buckets first, for the whole burst: the first read of a
	 * packet that has MAC scopes is then under way for all of them */
	for (uint16_t i = 0; i < n; i++) {
		const struct sl_cls_key *k = &keys[i];

		if (key_ok(k) && (c->net_flags[k->network] & SL_CLS_MAC_SCOPES)) {
			const struct sl_cls_map *m = &c->mac_scopes;

			rte_prefetch0(&m->buckets[sl_cls_map_bucket(
				m, sl_cls_mac_key(k->network, &k->src_mac))]);
			rte_prefetch0(&m->buckets[sl_cls_map_bucket(
				m, sl_cls_mac_key(k->network, &k->dst_mac))]);
		}
	}
	for (uint16_t i = 0; i < n; i++) {
		const struct sl_cls_key *k = &keys[i];
		uint32_t best = SL_CLS_NONE, s;
		uint8_t flags;

		ranks[i] = SL_CLS_NONE;
		if (!key_ok(k))
			continue;
		flags = c->net_flags[k->network];
		if (flags & SL_CLS_NET_SCOPE) {
			s = c->net_scope[k->network];
			best = RTE_MIN(scope_best(c, s, k, SL_CLS_TO),
				       scope_best(c, s, k, SL_CLS_FROM));
		}
		if (flags & SL_CLS_MAC_SCOPES) {
			/* TO rules of a MAC judge what it sends, FROM what it gets */
			s = sl_cls_map_find(&c->mac_scopes,
					    sl_cls_mac_key(k->network, &k->src_mac));
			best = RTE_MIN(best, scope_best(c, s, k, SL_CLS_TO));
			s = sl_cls_map_find(&c->mac_scopes,
					    sl_cls_mac_key(k->network, &k->dst_mac));
			best = RTE_MIN(best, scope_best(c, s, k, SL_CLS_FROM));
		}
		ranks[i] = best;
	}
}
