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
table_best(const struct sl_classifier *c, const struct sl_cls_table *tb,
	   uint32_t addr, uint8_t proto)
{
	return c->best[tb->first + sl_cls_tree_floor(c->nodes, &tb->starts, addr)][proto];
}

/* The best rank of scope s's rules on one side for key k; s may be
 * SL_CLS_NONE (which is SL_CLS_MAP_NONE: a MAC without rules). */
static __rte_always_inline uint32_t
scope_best(const struct sl_classifier *c, uint32_t s, const struct sl_cls_key *k,
	   enum sl_cls_side side)
{
	const struct sl_cls_group *gr;
	uint32_t addr = side == SL_CLS_TO ? k->dst : k->src;
	uint16_t port = side == SL_CLS_TO ? k->dport : k->sport;
	uint64_t key = sl_cls_port_key(s, side, k->proto, port);
	uint32_t best = SL_CLS_NONE;
	bool maybe;

	if (s == SL_CLS_NONE)
		return SL_CLS_NONE;
	gr = &c->scopes[s].side[side];
	if (gr->main.starts.n)
		best = table_best(c, &gr->main, addr, k->proto);
	/* most packets' class and port have no table: the group's classes
	 * and the map's filter (in cache) say so, and are tested together
	 * so that the one branch is seldom taken */
	maybe = ((gr->port_protos >> k->proto) & 1) &
		sl_cls_map_may_hold(&c->port_tables, key);
	if (maybe) {
		uint32_t t = sl_cls_map_find(&c->port_tables, key);

		if (t != SL_CLS_MAP_NONE)
			best = RTE_MIN(best, table_best(c, &c->tables[t], addr, k->proto));
	}
	return best;
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

/* Lookups go in two passes over up to this many keys: first every key's
 * scopes, then every key's searches. */
#define SCOPES_AHEAD 64u

/* The first pass reads the keys. Where they come from memory (the
 * classifier bench's million), a read this far ahead keeps enough of them
 * in flight; the pipeline's were just written and are in cache. */
#define KEYS_AHEAD 16

/* A key's scopes: its network's, its source MAC's, its destination
 * MAC's (each SL_CLS_NONE if it has none). */
struct key_scopes {
	uint32_t net, src_mac, dst_mac;
};

static __rte_always_inline struct key_scopes
scopes_of(const struct sl_classifier *c, const struct sl_cls_key *k)
{
	struct key_scopes ks = { SL_CLS_NONE, SL_CLS_NONE, SL_CLS_NONE };
	uint8_t flags;

	if (!key_ok(k))
		return ks;
	flags = c->net_flags[k->network];
	if (flags & SL_CLS_NET_SCOPE)
		ks.net = c->net_scope[k->network];
	if (flags & SL_CLS_MAC_SCOPES) {
		ks.src_mac = sl_cls_map_find(&c->mac_scopes,
					     sl_cls_mac_key(k->network, &k->src_mac));
		ks.dst_mac = sl_cls_map_find(&c->mac_scopes,
					     sl_cls_mac_key(k->network, &k->dst_mac));
	}
	return ks;
}

/* Finding a MAC's scope is a chain of dependent steps (hash, bucket,
 * compare, value) and a search another (the scope's line, a tree layer or
 * two, the best row): one key's two chains in a row leave the CPU waiting
 * on each step. Done as two passes over many keys, each pass's steps are
 * independent from key to key, and the CPU overlaps them. */
void
sl_cls_lookup_burst(const struct sl_classifier *c,
		    const struct sl_cls_key *keys, uint32_t *ranks, uint16_t n)
{
	struct key_scopes ks[SCOPES_AHEAD];

	for (uint32_t base = 0; base < n; base += SCOPES_AHEAD) {
		uint32_t m = RTE_MIN(n - base, SCOPES_AHEAD);

		for (uint32_t i = 0; i < m; i++) {
			if (base + i + KEYS_AHEAD < n)
				rte_prefetch0(&keys[base + i + KEYS_AHEAD]);
			ks[i] = scopes_of(c, &keys[base + i]);
		}
		for (uint32_t i = 0; i < m; i++) {
			const struct sl_cls_key *k = &keys[base + i];
			uint32_t net = RTE_MIN(scope_best(c, ks[i].net, k, SL_CLS_TO),
					       scope_best(c, ks[i].net, k, SL_CLS_FROM));
			/* TO rules of a MAC judge what it sends, FROM what it gets */
			uint32_t mac = RTE_MIN(scope_best(c, ks[i].src_mac, k, SL_CLS_TO),
					       scope_best(c, ks[i].dst_mac, k, SL_CLS_FROM));

			ranks[base + i] = RTE_MIN(net, mac);
		}
	}
}
