/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flow-rule classifier: which rule, if any, judges a packet.
 *
 * The rules are those of XCP-ng's sdncontroller plugin: each matches one
 * IPv4 prefix on one side of the packet (TO: the destination address and
 * port; FROM: the source address and port), a protocol class, optionally a
 * port, and either a whole network or one MAC on that network (TO: the
 * source MAC; FROM: the destination MAC). A packet's rule is the matching
 * one of best rank (rank 0 wins; the caller ranks by priority, then age).
 *
 * Built for that shape instead of as a general packet classifier: rules
 * are grouped by scope (a network, or a network and a MAC) and side; each
 * group's prefixes are flattened into disjoint address intervals holding,
 * for every protocol class, the best rule covering them (a prefix tree
 * turned into a sorted run), searched through a tree of one cache line
 * per layer; port rules get an interval table of their own per (class,
 * port), found in a hash map, as MAC scopes are. A lookup is a few such
 * reads per group that exists for the packet, and its searches do not
 * branch on the packet's addresses: its cost depends on how the rules are
 * grouped, hardly on how many flows there are (1 or a million: see
 * bench/README.md), and building is a sort and a sweep (milliseconds for
 * 10,000 rules; rte_acl takes seconds for the same rules).
 *
 * Immutable once built: workers read it lock-free; the control thread
 * builds a new one for every change and swaps it in through RCU.
 */
#ifndef SL_CLASSIFIER_H
#define SL_CLASSIFIER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "sl_cls_rule.h"

/* What a packet offers to the rules. */
struct sl_cls_key {
	uint16_t network;
	uint8_t proto;		/* enum sl_cls_proto of the packet; SL_CLS_PROTOS: none */
	struct rte_ether_addr src_mac, dst_mac;
	uint32_t src, dst;	/* host order */
	uint16_t sport, dport;
};

struct sl_classifier;

/* Build from n rules (copied). NULL with errno set on failure (ENOMEM,
 * EINVAL for a malformed rule or more than SL_CLS_MAX_RULES). n may be
 * 0: a classifier that matches nothing. */
struct sl_classifier *sl_cls_build(const struct sl_cls_rule *rules, uint32_t n);
void sl_cls_free(struct sl_classifier *c);

/* Whether any rule concerns this network (a packet of another skips the
 * lookup). */
bool sl_cls_network_has_rules(const struct sl_classifier *c, uint16_t network);

/* The best-ranked rule matching each key, or SL_CLS_NONE. */
void sl_cls_lookup_burst(const struct sl_classifier *c,
			 const struct sl_cls_key *keys, uint32_t *ranks,
			 uint16_t n);

void sl_cls_info(const struct sl_classifier *c, struct sl_cls_info *info);

#endif
