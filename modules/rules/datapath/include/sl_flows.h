/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow flows in the datapath: the flows of a bridge's table 0 that the
 * classifier's shape (one network, one MAC, one side's address and port)
 * cannot hold, such as XAPI's VIF locking flows (in_port, ARP sender,
 * IPv6 source, ND target).
 *
 * Every such flow in XCP-ng's use names its in_port, and most ports have
 * none, so the flows are kept in lists per in_port and per kind of frame
 * (IPv4, IPv6, ARP, other): a packet from a port without flows costs one
 * load, and one from a locked VIF is compared with the few flows of its
 * own port and kind, highest priority first, word by word on the words
 * the flow's mask covers. A flow without in_port is put on the list of
 * every port of its bridge by the control plane.
 *
 * The flowset is part of the rule-set (sl_rules.h): published with the
 * classifier through RCU, so a packet sees the whole table of one moment.
 */
#ifndef SL_FLOWS_H
#define SL_FLOWS_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "sl_flow_key.h"

struct sl_snapshot;

enum sl_flow_action {
	SL_FLOW_DROP,		/* no action */
	SL_FLOW_NORMAL,		/* switch as if no flow matched */
	SL_FLOW_OUTPUT,		/* out of one port, as is (no learning) */
};

/* A flow as the control plane hands it over: ports are datapath ids. */
struct sl_dp_flow {
	struct sl_flow_key key, mask;	/* key.in_port: ignored (the list) */
	uint16_t in_port;	/* the list it goes on */
	uint16_t priority;
	uint32_t slot;		/* counter slot (shared with the rules) */
	uint8_t action;		/* enum sl_flow_action */
	uint16_t out_port;	/* SL_FLOW_OUTPUT */
};

/* Kinds of frame, each with its own lists. */
enum sl_flow_kind {
	SL_FLOW_KIND_IPV4,
	SL_FLOW_KIND_IPV6,
	SL_FLOW_KIND_ARP,
	SL_FLOW_KIND_OTHER,
	SL_FLOW_KINDS
};

/* One flow in a list: the words its mask covers, then what it does. */
struct sl_flowset_entry {
	uint64_t key[SL_FLOW_KEY_WORDS];
	uint64_t mask[SL_FLOW_KEY_WORDS];
	uint8_t words[SL_FLOW_KEY_WORDS];	/* indices to compare */
	uint8_t nb_words;
	uint8_t action;
	uint16_t priority;
	uint16_t out_port;
	uint32_t slot;
};

struct sl_flowset {
	uint32_t nb_flows;	/* as handed over */
	uint32_t nb_entries;	/* in all the lists */
	struct sl_flowset_entry *entries;
	/* by in_port: where its lists start in entries (by kind), and one
	 * past the last; equal: no flows */
	uint32_t (*list)[SL_FLOW_KINDS + 1];	/* [SL_DP_MAX_PORTS] */
};

/* Whether in_port has flows at all. */
static inline bool
sl_flowset_port_has_flows(const struct sl_flowset *fs, uint16_t in_port)
{
	return fs->list[in_port][0] != fs->list[in_port][SL_FLOW_KINDS];
}

/* Build from n flows (copied), given in rank order (priority, highest
 * first; of equal priorities the one that wins first). NULL and errno on
 * failure. */
struct sl_flowset *sl_flowset_build(const struct sl_dp_flow *flows,
				    uint32_t n);
void sl_flowset_free(struct sl_flowset *fs);

/* The packet's key (md->in_port's list decides which flows see it). */
void sl_flow_key_of(const struct rte_mbuf *m, const struct sl_snapshot *s,
		    struct sl_flow_key *k);
enum sl_flow_kind sl_flow_kind_of(uint16_t dl_type);

/* The highest-priority flow of in_port's list for kind that k matches
 * and whose priority is above floor (-1: any); NULL if none. */
const struct sl_flowset_entry *
sl_flowset_lookup(const struct sl_flowset *fs, uint16_t in_port,
		  enum sl_flow_kind kind, const struct sl_flow_key *k,
		  int32_t floor);

#endif
