/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_malloc.h>

#include "classifier.h"
#include "l2cache.h"
#include "sl_meta.h"

#define MAX_NETWORKS 4096
#define NET_SCOPE 1u	/* net_flags: rules for the whole network */
#define MAC_SCOPES 2u	/* net_flags: rules for MACs on the network */

/* One interval array: entries [first, first + n) of starts[] and best[]. */
struct table {
	uint32_t first, n;
};

/* A port table of a group, found by (proto, port). */
struct port_ref {
	uint32_t key;		/* proto << 16 | port */
	uint32_t table;
};

/* The rules of one scope (a network, or a MAC on it) on one side. */
struct group {
	uint32_t table;		/* rules without a port; SL_CLS_NONE if none */
	uint32_t ports_first, ports_n;	/* into ports[], sorted by key */
	uint8_t port_protos;	/* classes with port rules */
};

struct scope {
	uint32_t group[SL_CLS_SIDES];	/* SL_CLS_NONE: no rule on that side */
};

struct sl_classifier {
	uint32_t nb_rules, nb_scopes, nb_groups, nb_tables, nb_ports;
	uint32_t nb_intervals, nb_mac_scopes;
	uint8_t net_flags[MAX_NETWORKS];
	uint32_t net_scope[MAX_NETWORKS];
	uint64_t *mac_keys;	/* sorted; mac_scope[i] is the scope of mac_keys[i] */
	uint32_t *mac_scope;
	struct scope *scopes;
	struct group *groups;
	struct table *tables;
	struct port_ref *ports;
	uint32_t *starts;	/* interval starts, host order, ascending per table */
	uint32_t (*best)[SL_CLS_PROTOS];	/* best rank per class per interval */
	uint64_t bytes;
};

/* ---- lookup ----------------------------------------------------------------- */

/* (network, MAC) as one integer: the L2 cache's key serves here too. */
static inline uint64_t
mac_key(uint16_t network, const struct rte_ether_addr *mac)
{
	return sl_l2_cache_key(network, mac);
}

/* Index of the last start <= x (starts[0] is 0, so there is one). */
static inline uint32_t
interval_of(const uint32_t *starts, uint32_t n, uint32_t x)
{
	const uint32_t *base = starts;

	while (n > 1) {
		uint32_t half = n / 2;

		base = base[half] <= x ? base + half : base;
		n -= half;
	}
	return (uint32_t)(base - starts);
}

static inline uint32_t
mac_scope_of(const struct sl_classifier *c, uint64_t key)
{
	uint32_t lo = 0, hi = c->nb_mac_scopes;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (c->mac_keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nb_mac_scopes && c->mac_keys[lo] == key ?
		       c->mac_scope[lo] : SL_CLS_NONE;
}

static inline uint32_t
table_best(const struct sl_classifier *c, uint32_t t, uint32_t addr,
	   uint8_t proto)
{
	const struct table *tb = &c->tables[t];

	return c->best[tb->first + interval_of(c->starts + tb->first, tb->n,
					       addr)][proto];
}

static inline uint32_t
group_best(const struct sl_classifier *c, uint32_t g, const struct sl_cls_key *k,
	   enum sl_cls_side side)
{
	const struct group *gr = &c->groups[g];
	uint32_t addr = side == SL_CLS_TO ? k->dst : k->src;
	uint32_t best = SL_CLS_NONE;

	if (gr->table != SL_CLS_NONE)
		best = table_best(c, gr->table, addr, k->proto);
	if (gr->port_protos & (1u << k->proto)) {
		uint32_t key = (uint32_t)k->proto << 16 |
			       (side == SL_CLS_TO ? k->dport : k->sport);
		uint32_t lo = gr->ports_first, hi = lo + gr->ports_n;

		while (lo < hi) {
			uint32_t mid = (lo + hi) / 2;

			if (c->ports[mid].key < key)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < gr->ports_first + gr->ports_n && c->ports[lo].key == key)
			best = RTE_MIN(best, table_best(c, c->ports[lo].table,
							addr, k->proto));
	}
	return best;
}

static inline uint32_t
scope_best(const struct sl_classifier *c, uint32_t s, const struct sl_cls_key *k,
	   enum sl_cls_side side)
{
	uint32_t g = c->scopes[s].group[side];

	return g == SL_CLS_NONE ? SL_CLS_NONE : group_best(c, g, k, side);
}

bool
sl_cls_network_has_rules(const struct sl_classifier *c, uint16_t network)
{
	return network < MAX_NETWORKS && c->net_flags[network];
}

void
sl_cls_lookup_burst(const struct sl_classifier *c,
		    const struct sl_cls_key *keys, uint32_t *ranks, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		const struct sl_cls_key *k = &keys[i];
		uint32_t best = SL_CLS_NONE, s;
		uint8_t flags;

		ranks[i] = SL_CLS_NONE;
		if (k->proto >= SL_CLS_PROTOS || k->network >= MAX_NETWORKS)
			continue;
		flags = c->net_flags[k->network];
		if (flags & NET_SCOPE) {
			s = c->net_scope[k->network];
			best = RTE_MIN(scope_best(c, s, k, SL_CLS_TO),
				       scope_best(c, s, k, SL_CLS_FROM));
		}
		if (flags & MAC_SCOPES) {
			s = mac_scope_of(c, mac_key(k->network, &k->src_mac));
			if (s != SL_CLS_NONE)
				best = RTE_MIN(best, scope_best(c, s, k, SL_CLS_TO));
			s = mac_scope_of(c, mac_key(k->network, &k->dst_mac));
			if (s != SL_CLS_NONE)
				best = RTE_MIN(best, scope_best(c, s, k, SL_CLS_FROM));
		}
		ranks[i] = best;
	}
}

/* ---- build ------------------------------------------------------------------ */

static uint64_t
scope_key(const struct sl_cls_rule *r)
{
	return r->has_mac ? mac_key(r->network, &r->mac) : (uint64_t)r->network << 48;
}

static uint32_t
rule_start(const struct sl_cls_rule *r)
{
	return r->plen == 0 ? 0 : r->addr & ~(uint32_t)0 << (32 - r->plen);
}

/* What sorts rules into tables: scope, side, then the main table (no
 * port) before port tables by (class, port), then prefixes by start and
 * widest first, the order the sweep needs. */
static int
rule_cmp(const void *pa, const void *pb)
{
	const struct sl_cls_rule *a = pa, *b = pb;
	uint64_t sa = scope_key(a), sb = scope_key(b);
	int64_t ta = a->port < 0 ? -1 : (int64_t)a->proto << 16 | a->port;
	int64_t tb = b->port < 0 ? -1 : (int64_t)b->proto << 16 | b->port;
	uint32_t xa = rule_start(a), xb = rule_start(b);

	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (a->side != b->side)
		return a->side < b->side ? -1 : 1;
	if (ta != tb)
		return ta < tb ? -1 : 1;
	if (xa != xb)
		return xa < xb ? -1 : 1;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static bool
same_table(const struct sl_cls_rule *a, const struct sl_cls_rule *b)
{
	return scope_key(a) == scope_key(b) && a->side == b->side &&
	       a->port == b->port && (a->port < 0 || a->proto == b->proto);
}

/* Which packet classes a rule's class covers: IP covers every IPv4 one. */
static uint32_t
covers(uint8_t proto)
{
	if (proto == SL_CLS_IP)
		return 1u << SL_CLS_IP | 1u << SL_CLS_TCP | 1u << SL_CLS_UDP |
		       1u << SL_CLS_ICMP;
	return 1u << proto;
}

struct builder {
	struct sl_classifier *c;
	uint32_t cap_intervals;
};

static int
emit(struct builder *b, uint64_t start, const uint32_t *best)
{
	struct sl_classifier *c = b->c;
	uint32_t (*row)[SL_CLS_PROTOS];

	/* an interval like the one before it only lengthens that one */
	if (c->nb_intervals && c->tables[c->nb_tables - 1].n &&
	    memcmp(c->best[c->nb_intervals - 1], best,
		   sizeof(c->best[0])) == 0)
		return 0;
	if (c->nb_intervals == b->cap_intervals)
		return -ENOMEM;	/* sized for the worst case: cannot happen */
	c->starts[c->nb_intervals] = (uint32_t)start;
	row = &c->best[c->nb_intervals++];
	memcpy(*row, best, sizeof(*row));
	c->tables[c->nb_tables - 1].n++;
	return 0;
}

/* Flatten the prefixes rules[0..n) (one table, sorted by rule_cmp) into
 * intervals. Prefixes are nested or disjoint, so a stack of the open ones
 * holds, at its top, the best rank per class over every prefix containing
 * the addresses from cur on. An interval is written when what follows it
 * is known: a prefix closing, or a narrower one opening. */
static int
sweep(struct builder *b, const struct sl_cls_rule *rules, uint32_t n)
{
	static const uint32_t none[SL_CLS_PROTOS] = {
		SL_CLS_NONE, SL_CLS_NONE, SL_CLS_NONE, SL_CLS_NONE, SL_CLS_NONE
	};
	struct {
		uint64_t start, end;
		uint32_t best[SL_CLS_PROTOS];
	} stack[33];
	int top = -1, rc = 0;
	uint64_t cur = 0;

	b->c->tables[b->c->nb_tables++] = (struct table){
		.first = b->c->nb_intervals, .n = 0,
	};
	for (uint32_t i = 0; i < n && rc == 0; i++) {
		uint64_t start = rule_start(&rules[i]);
		uint64_t end = start + ((uint64_t)1 << (32 - rules[i].plen)) - 1;
		uint32_t cov = covers(rules[i].proto);

		while (rc == 0 && top >= 0 && stack[top].end < start) {
			if (cur <= stack[top].end) {
				rc = emit(b, cur, stack[top].best);
				cur = stack[top].end + 1;
			}
			top--;
		}
		if (rc == 0 && cur < start) {
			rc = emit(b, cur, top >= 0 ? stack[top].best : none);
			cur = start;
		}
		if (top < 0 || stack[top].start != start || stack[top].end != end) {
			top++;	/* a narrower prefix: at most 33 deep */
			stack[top].start = start;
			stack[top].end = end;
			memcpy(stack[top].best, top > 0 ? stack[top - 1].best : none,
			       sizeof(stack[top].best));
		}
		for (int p = 0; p < SL_CLS_PROTOS; p++)
			if (cov & (1u << p))
				stack[top].best[p] = RTE_MIN(stack[top].best[p],
							     rules[i].rank);
	}
	while (rc == 0 && top >= 0) {
		if (cur <= stack[top].end) {
			rc = emit(b, cur, stack[top].best);
			cur = stack[top].end + 1;
		}
		top--;
	}
	if (rc == 0 && cur <= UINT32_MAX)
		rc = emit(b, cur, none);
	return rc;
}

static bool
rule_ok(const struct sl_cls_rule *r)
{
	if (r->network >= MAX_NETWORKS || r->side >= SL_CLS_SIDES ||
	    r->proto >= SL_CLS_PROTOS || r->plen > 32 || r->rank == SL_CLS_NONE)
		return false;
	if (r->port >= 0)
		return r->port <= 65535 && (r->proto == SL_CLS_TCP ||
					    r->proto == SL_CLS_UDP ||
					    r->proto == SL_CLS_ICMP);
	return r->port == -1;
}

static void *
alloc(struct sl_classifier *c, size_t n, size_t size)
{
	void *p = rte_zmalloc("sl_cls", RTE_MAX(n, (size_t)1) * size, 0);

	c->bytes += RTE_MAX(n, (size_t)1) * size;
	return p;
}

struct sl_classifier *
sl_cls_build(const struct sl_cls_rule *rules, uint32_t n)
{
	struct sl_classifier *c;
	struct sl_cls_rule *r = NULL;
	struct builder b;
	uint32_t cur_scope = SL_CLS_NONE, cur_group = SL_CLS_NONE;
	int rc = 0;

	if (n > SL_CLS_MAX_RULES) {
		errno = EINVAL;
		return NULL;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (!rule_ok(&rules[i])) {
			errno = EINVAL;
			return NULL;
		}
	}
	c = rte_zmalloc("sl_cls", sizeof(*c), RTE_CACHE_LINE_SIZE);
	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	c->bytes = sizeof(*c);
	for (uint32_t i = 0; i < MAX_NETWORKS; i++)
		c->net_scope[i] = SL_CLS_NONE;
	c->nb_rules = n;
	/* worst cases: a scope, group, table and port entry per rule, two
	 * intervals per prefix and one per table */
	b = (struct builder){ .c = c, .cap_intervals = 3 * n + 1 };
	r = malloc(RTE_MAX(n, 1u) * sizeof(*r));
	c->scopes = alloc(c, n, sizeof(*c->scopes));
	c->groups = alloc(c, n, sizeof(*c->groups));
	c->tables = alloc(c, n, sizeof(*c->tables));
	c->ports = alloc(c, n, sizeof(*c->ports));
	c->mac_keys = alloc(c, n, sizeof(*c->mac_keys));
	c->mac_scope = alloc(c, n, sizeof(*c->mac_scope));
	c->starts = alloc(c, b.cap_intervals, sizeof(*c->starts));
	c->best = alloc(c, b.cap_intervals, sizeof(*c->best));
	if (!r || !c->scopes || !c->groups || !c->tables || !c->ports ||
	    !c->mac_keys || !c->mac_scope || !c->starts || !c->best) {
		free(r);
		sl_cls_free(c);
		errno = ENOMEM;
		return NULL;
	}
	if (n) {	/* rules may be NULL when there are none */
		memcpy(r, rules, n * sizeof(*r));
		qsort(r, n, sizeof(*r), rule_cmp);
	}
	for (uint32_t i = 0, j; i < n && rc == 0; i = j) {
		struct group *g;

		for (j = i + 1; j < n && same_table(&r[i], &r[j]); j++)
			;
		if (i == 0 || scope_key(&r[i]) != scope_key(&r[i - 1])) {
			cur_scope = c->nb_scopes++;
			c->scopes[cur_scope].group[SL_CLS_TO] = SL_CLS_NONE;
			c->scopes[cur_scope].group[SL_CLS_FROM] = SL_CLS_NONE;
			if (r[i].has_mac) {
				c->mac_keys[c->nb_mac_scopes] = scope_key(&r[i]);
				c->mac_scope[c->nb_mac_scopes++] = cur_scope;
				c->net_flags[r[i].network] |= MAC_SCOPES;
			} else {
				c->net_scope[r[i].network] = cur_scope;
				c->net_flags[r[i].network] |= NET_SCOPE;
			}
			cur_group = SL_CLS_NONE;
		}
		if (cur_group == SL_CLS_NONE || r[i].side != r[i - 1].side) {
			cur_group = c->nb_groups++;
			c->groups[cur_group] = (struct group){
				.table = SL_CLS_NONE, .ports_first = c->nb_ports,
			};
			c->scopes[cur_scope].group[r[i].side] = cur_group;
		}
		g = &c->groups[cur_group];
		if (r[i].port < 0) {
			g->table = c->nb_tables;
		} else {
			c->ports[c->nb_ports++] = (struct port_ref){
				.key = (uint32_t)r[i].proto << 16 | (uint32_t)r[i].port,
				.table = c->nb_tables,
			};
			g->ports_n++;
			g->port_protos |= (uint8_t)(1u << r[i].proto);
		}
		rc = sweep(&b, &r[i], j - i);
	}
	free(r);
	if (rc < 0) {
		sl_cls_free(c);
		errno = -rc;
		return NULL;
	}
	return c;
}

void
sl_cls_free(struct sl_classifier *c)
{
	if (!c)
		return;
	rte_free(c->scopes);
	rte_free(c->groups);
	rte_free(c->tables);
	rte_free(c->ports);
	rte_free(c->mac_keys);
	rte_free(c->mac_scope);
	rte_free(c->starts);
	rte_free(c->best);
	rte_free(c);
}

void
sl_cls_info(const struct sl_classifier *c, struct sl_cls_info *info)
{
	*info = (struct sl_cls_info){
		.rules = c->nb_rules, .groups = c->nb_groups,
		.intervals = c->nb_intervals, .bytes = c->bytes,
	};
}
