/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The classifier's built form, shared by its builder (classifier.c) and
 * its lookup (classifier_lookup.c); nothing else reads it.
 *
 * Rules are grouped by scope (a whole network, or one MAC on it) and
 * side; a group has a main table (rules without a port) and a table per
 * (class, port). A table is a run of disjoint address intervals: their
 * starts (ascending, the first 0) in a search tree (classifier_tree.h),
 * and, at the found interval's index, best[first + index]: per packet
 * class, the best rank covering the interval. MAC scopes and port tables
 * are found in hash maps.
 *
 * A scope holds its two groups, and a group its main table, in one cache
 * line: from a scope, a lookup's next read is already the tree's root.
 * (Scopes, groups and tables in arrays of their own, linked by index,
 * made every search wait for two more dependent reads.)
 */
#ifndef SL_CLASSIFIER_LAYOUT_H
#define SL_CLASSIFIER_LAYOUT_H

#include <stdint.h>

#include <rte_common.h>

#include "classifier.h"
#include "classifier_map.h"
#include "classifier_tree.h"
#include "l2cache.h"

/* a map's "no such key" and the classifier's "none" are one value */
_Static_assert(SL_CLS_MAP_NONE == SL_CLS_NONE, "SL_CLS_MAP_NONE");

#define SL_CLS_MAX_NETWORKS 4096
#define SL_CLS_NET_SCOPE 1u	/* net_flags: rules for the whole network */
#define SL_CLS_MAC_SCOPES 2u	/* net_flags: rules for MACs on the network */

/* One interval table: rows [first, first + starts.n) of best[]. */
struct sl_cls_table {
	struct sl_cls_tree starts;
	uint32_t first;
};

/* The rules of one scope on one side (none: no main table and no
 * port_protos). */
struct sl_cls_group {
	struct sl_cls_table main;	/* rules without a port; main.starts.n 0: none */
	uint8_t port_protos;	/* classes with port tables (in port_tables) */
};

struct sl_cls_scope {
	struct sl_cls_group side[SL_CLS_SIDES];
} __rte_cache_aligned;
_Static_assert(sizeof(struct sl_cls_scope) == RTE_CACHE_LINE_SIZE,
	       "a scope outgrew its cache line");

struct sl_classifier {
	uint32_t nb_rules, nb_scopes, nb_groups, nb_tables, nb_ports;
	uint32_t nb_intervals, nb_mac_scopes, nb_nodes;
	uint8_t net_flags[SL_CLS_MAX_NETWORKS];
	uint32_t net_scope[SL_CLS_MAX_NETWORKS];
	struct sl_cls_map mac_scopes;	/* sl_cls_mac_key() -> scope */
	struct sl_cls_map port_tables;	/* sl_cls_port_key() -> table */
	struct sl_cls_scope *scopes;
	struct sl_cls_table *tables;	/* every table, main ones included */
	struct sl_cls_node *nodes;	/* every table's search tree */
	uint32_t (*best)[SL_CLS_PROTOS];	/* best rank per class per interval */
	uint64_t bytes;
};

/* (network, MAC) as one integer: the L2 cache's key serves here too. */
static inline uint64_t
sl_cls_mac_key(uint16_t network, const struct rte_ether_addr *mac)
{
	return sl_l2_cache_key(network, mac);
}

/* A port table's key: its group (scope and side), class and port. The
 * scope's index is enough to compute it: the port table's hash map is
 * read without waiting for the scope's line. */
static inline uint64_t
sl_cls_port_key(uint32_t scope, enum sl_cls_side side, uint8_t proto, uint16_t port)
{
	return 1ull << 63 | (uint64_t)scope << 25 | (uint64_t)side << 24 |
	       (uint32_t)proto << 16 | port;
}

#endif
