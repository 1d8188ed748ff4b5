/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Building the classifier: rules sorted into scopes, groups and tables,
 * each table's prefixes swept into disjoint intervals (the layout is in
 * classifier_layout.h; the lookup in classifier_lookup.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_malloc.h>

#include "classifier_layout.h"

static uint64_t
scope_key(const struct sl_cls_rule *r)
{
	return r->has_mac ? sl_cls_mac_key(r->network, &r->mac) : (uint64_t)r->network << 48;
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
	uint32_t *starts;	/* each interval's first address */
	uint64_t *port_keys;	/* each port table's sl_cls_port_key() */
	uint32_t *port_tables;	/* and the table */
	uint64_t *mac_keys;	/* each MAC scope's sl_cls_mac_key() */
	uint32_t *mac_scopes;	/* and the scope */
	uint32_t *main_tables;	/* each group's (scope * 2 + side) main table */
};

static int
emit(struct builder *b, uint64_t start, const uint32_t *best)
{
	struct sl_classifier *c = b->c;
	uint32_t (*row)[SL_CLS_PROTOS];

	/* an interval like the one before it only lengthens that one */
	if (c->nb_intervals && c->tables[c->nb_tables - 1].starts.n &&
	    memcmp(c->best[c->nb_intervals - 1], best,
		   sizeof(c->best[0])) == 0)
		return 0;
	if (c->nb_intervals == b->cap_intervals)
		return -ENOMEM;	/* sized for the worst case: cannot happen */
	b->starts[c->nb_intervals] = (uint32_t)start;
	row = &c->best[c->nb_intervals++];
	memcpy(*row, best, sizeof(*row));
	c->tables[c->nb_tables - 1].starts.n++;
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

	b->c->tables[b->c->nb_tables++] = (struct sl_cls_table){
		.first = b->c->nb_intervals,
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
	if (r->network >= SL_CLS_MAX_NETWORKS || r->side >= SL_CLS_SIDES ||
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
	void *p = rte_zmalloc("sl_cls", RTE_MAX(n, (size_t)1) * size,
			      RTE_CACHE_LINE_SIZE);

	c->bytes += RTE_MAX(n, (size_t)1) * size;
	return p;
}

/* Every table's search tree. */
static int
plant_trees(struct builder *b)
{
	struct sl_classifier *c = b->c;
	uint64_t nodes = 0;

	for (uint32_t t = 0; t < c->nb_tables; t++)
		nodes += sl_cls_tree_nodes(c->tables[t].starts.n);
	c->nodes = alloc(c, nodes, sizeof(*c->nodes));
	if (!c->nodes)
		return -ENOMEM;
	for (uint32_t t = 0; t < c->nb_tables; t++) {
		sl_cls_tree_plant(c->nodes, c->nb_nodes, &c->tables[t].starts,
				  b->starts + c->tables[t].first);
		c->nb_nodes += sl_cls_tree_nodes(c->tables[t].starts.n);
	}
	return 0;
}

/* Scopes among the sorted rules r[0..n). */
static uint32_t
count_scopes(const struct sl_cls_rule *r, uint32_t n)
{
	uint32_t scopes = 0;

	for (uint32_t i = 0; i < n; i++)
		scopes += i == 0 || scope_key(&r[i]) != scope_key(&r[i - 1]);
	return scopes;
}

/* Each group's main table, planted, into its scope's line. */
static void
place_main_tables(struct builder *b)
{
	struct sl_classifier *c = b->c;

	for (uint32_t s = 0; s < c->nb_scopes; s++)
		for (int side = 0; side < SL_CLS_SIDES; side++) {
			uint32_t t = b->main_tables[s * SL_CLS_SIDES + side];

			if (t != SL_CLS_NONE)
				c->scopes[s].side[side].main = c->tables[t];
		}
}

/* The sorted rules r[0..n) into scopes, groups and swept tables; the MAC
 * scopes' and port tables' keys into the builder's lists. */
static int
fill_tables(struct builder *b, const struct sl_cls_rule *r, uint32_t n)
{
	struct sl_classifier *c = b->c;
	uint32_t cur_scope = SL_CLS_NONE;
	int rc = 0;

	for (uint32_t i = 0, j; i < n && rc == 0; i = j) {
		bool new_scope = i == 0 || scope_key(&r[i]) != scope_key(&r[i - 1]);

		for (j = i + 1; j < n && same_table(&r[i], &r[j]); j++)
			;

		/* a group: a scope's rules on one side */
		c->nb_groups += new_scope || r[i].side != r[i - 1].side;
		if (new_scope) {
			cur_scope = c->nb_scopes++;
			b->main_tables[cur_scope * SL_CLS_SIDES + SL_CLS_TO] = SL_CLS_NONE;
			b->main_tables[cur_scope * SL_CLS_SIDES + SL_CLS_FROM] = SL_CLS_NONE;
			if (r[i].has_mac) {
				b->mac_keys[c->nb_mac_scopes] = scope_key(&r[i]);
				b->mac_scopes[c->nb_mac_scopes++] = cur_scope;
				c->net_flags[r[i].network] |= SL_CLS_MAC_SCOPES;
			} else {
				c->net_scope[r[i].network] = cur_scope;
				c->net_flags[r[i].network] |= SL_CLS_NET_SCOPE;
			}
		}
		if (r[i].port < 0) {
			b->main_tables[cur_scope * SL_CLS_SIDES + r[i].side] = c->nb_tables;
		} else {
			b->port_keys[c->nb_ports] = sl_cls_port_key(cur_scope, r[i].side,
								    r[i].proto,
								    (uint16_t)r[i].port);
			b->port_tables[c->nb_ports++] = c->nb_tables;
			c->scopes[cur_scope].side[r[i].side].port_protos |=
				(uint8_t)(1u << r[i].proto);
		}
		rc = sweep(b, &r[i], j - i);
	}
	return rc;
}

struct sl_classifier *
sl_cls_build(const struct sl_cls_rule *rules, uint32_t n)
{
	size_t rows = RTE_MAX(n, 1u);
	struct sl_classifier *c;
	struct sl_cls_rule *r;
	struct builder b;
	int rc = -ENOMEM;

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
	for (uint32_t i = 0; i < SL_CLS_MAX_NETWORKS; i++)
		c->net_scope[i] = SL_CLS_NONE;
	c->nb_rules = n;
	/* worst cases: a scope, group, table and port entry per rule, two
	 * intervals per prefix and one per table */
	b = (struct builder){
		.c = c, .cap_intervals = 3 * n + 1,
		.starts = malloc((3 * rows + 1) * sizeof(*b.starts)),
		.port_keys = malloc(rows * sizeof(*b.port_keys)),
		.port_tables = malloc(rows * sizeof(*b.port_tables)),
		.mac_keys = malloc(rows * sizeof(*b.mac_keys)),
		.mac_scopes = malloc(rows * sizeof(*b.mac_scopes)),
		.main_tables = malloc(rows * SL_CLS_SIDES * sizeof(*b.main_tables)),
	};
	r = malloc(rows * sizeof(*r));
	c->tables = alloc(c, n, sizeof(*c->tables));
	c->best = alloc(c, b.cap_intervals, sizeof(*c->best));
	if (b.starts && b.port_keys && b.port_tables && b.mac_keys && b.mac_scopes &&
	    b.main_tables && r && c->tables && c->best) {
		if (n) {	/* rules may be NULL when there are none */
			memcpy(r, rules, n * sizeof(*r));
			qsort(r, n, sizeof(*r), rule_cmp);
		}
		/* a cache line per scope: as many as there are, not a line
		 * per rule */
		c->scopes = alloc(c, count_scopes(r, n), sizeof(*c->scopes));
		rc = c->scopes ? fill_tables(&b, r, n) : -ENOMEM;
		if (rc == 0)
			rc = sl_cls_map_build(&c->mac_scopes, b.mac_keys, b.mac_scopes,
					      c->nb_mac_scopes, &c->bytes);
		if (rc == 0)
			rc = sl_cls_map_build(&c->port_tables, b.port_keys, b.port_tables,
					      c->nb_ports, &c->bytes);
		if (rc == 0)
			rc = plant_trees(&b);
		if (rc == 0)
			place_main_tables(&b);
	}
	free(b.starts);
	free(b.port_keys);
	free(b.port_tables);
	free(b.mac_keys);
	free(b.mac_scopes);
	free(b.main_tables);
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
	rte_free(c->tables);
	sl_cls_map_free(&c->mac_scopes);
	sl_cls_map_free(&c->port_tables);
	rte_free(c->nodes);
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
