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

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "sl_flow_key.h"
#include "sl_meta.h"
#include "sl_snapshot.h"

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

/* One flow in a list: its key and mask on the words its list compares
 * (in the list's order, see struct sl_flowset_words), then what it does. */
struct sl_flowset_entry {
	uint64_t key[SL_FLOW_KEY_WORDS];
	uint64_t mask[SL_FLOW_KEY_WORDS];
	uint8_t action;
	uint16_t priority;
	uint16_t out_port;
	uint32_t slot;
};

/* The words any flow of a list looks at: every entry is compared on these
 * alone, all of them, without a branch per word (a flow whose mask leaves
 * one of them out has a zero mask there). */
struct sl_flowset_words {
	uint8_t n;
	uint8_t w[SL_FLOW_KEY_WORDS];
};

struct sl_flowset {
	uint32_t nb_flows;	/* as handed over */
	uint32_t nb_entries;	/* in all the lists */
	struct sl_flowset_entry *entries;
	/* by in_port: where its lists start in entries (by kind), and one
	 * past the last; equal: no flows */
	uint32_t (*list)[SL_FLOW_KINDS + 1];	/* [SL_DP_MAX_PORTS] */
	struct sl_flowset_words (*words)[SL_FLOW_KINDS];	/* the same */
	/* by in_port: a priority every packet of the port finds a flow at
	 * or above (its lists each end in a catch-all, as a locked VIF's
	 * do); -1: none */
	int32_t *covered;
	/* by in_port: 1 when the rule-set's second classifier, of only the
	 * rules ranking at or above the flows' catch-alls, judges the port's
	 * packets (set by the rule-set, ruleset.c) */
	uint8_t *decides;
};

/* Whether in_port has flows at all. */
static inline bool
sl_flowset_port_has_flows(const struct sl_flowset *fs, uint16_t in_port)
{
	return fs->list[in_port][0] != fs->list[in_port][SL_FLOW_KINDS];
}

/* The top priority of in_port's list for kind; -1 if the list is
 * empty. */
static inline int32_t
sl_flowset_top(const struct sl_flowset *fs, uint16_t in_port,
	       enum sl_flow_kind kind)
{
	uint32_t at = fs->list[in_port][kind];

	return at == fs->list[in_port][kind + 1] ? -1 :
	       (int32_t)fs->entries[at].priority;
}

/* Build from n flows (copied), given in rank order (priority, highest
 * first; of equal priorities the one that wins first). NULL and errno on
 * failure. */
struct sl_flowset *sl_flowset_build(const struct sl_dp_flow *flows,
				    uint32_t n);
void sl_flowset_free(struct sl_flowset *fs);

/* The ARP and IPv6 fields of a key (flow_key.c): read from the frame. */
void sl_flow_key_arp(const struct rte_mbuf *m, const struct sl_pkt_meta *md,
		     struct sl_flow_key *k);
void sl_flow_key_ipv6(const struct rte_mbuf *m, const struct sl_pkt_meta *md,
		      struct sl_flow_key *k);

static_assert(RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN,
	      "the flow key's words are put together little-endian");

/* 48 bits of a MAC in the order the key's bytes hold them: two loads
 * from the frame, not a 6-byte copy through the stack. */
static inline uint64_t
sl_flow_mac48(const uint8_t *b)
{
	uint32_t lo;
	uint16_t hi;

	memcpy(&lo, b, sizeof(lo));
	memcpy(&hi, b + 4, sizeof(hi));
	return lo | (uint64_t)hi << 32;
}

/* The packet's key (md->in_port's list decides which flows see it). The
 * key is read a 64-bit word at a time, so its words are put together in
 * registers and stored whole: a word read back from narrower stores waits
 * for them to drain (~12 cycles a word). The parser's metadata gives
 * Ethernet, IPv4 and the ports; ARP and IPv6 are read from the frame.
 * tag: how in_port carries the packet's network (SL_TAG_*, or a VLAN). */
static inline void
sl_flow_key_of(const struct rte_mbuf *m, uint16_t tag, struct sl_flow_key *k)
{
	const struct sl_pkt_meta *md = sl_meta((struct rte_mbuf *)(uintptr_t)m);
	const struct rte_ether_hdr *eth =
		rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	sl_flow_word *kw = (sl_flow_word *)k;
	uint64_t src = sl_flow_mac48(eth->src_addr.addr_bytes);
	uint64_t dst = sl_flow_mac48(eth->dst_addr.addr_bytes);
	uint64_t vlan = 0, proto = 0, ports = 0, addrs = 0;

	/* ingress took the network's tag off: the frame came with it when
	 * the port carries the network tagged */
	if (tag != SL_TAG_UNTAGGED && tag != SL_TAG_NONE)
		vlan = (uint16_t)(md->pcp << 13 | SL_FLOW_VLAN_PRESENT | tag);
	if (md->flags & SL_META_IPV4) {
		proto = md->ip_proto;
		addrs = rte_be_to_cpu_32(md->ip_src) |
			(uint64_t)rte_be_to_cpu_32(md->ip_dst) << 32;
		if (md->flags & SL_META_L4)
			ports = md->l4_sport | (uint32_t)md->l4_dport << 16;
	}
	kw[0] = md->in_port | vlan << 16 | (uint64_t)md->ether_type << 32 |
		proto << 48;
	kw[1] = src | dst << 48;
	kw[2] = dst >> 16 | ports << 32;
	kw[3] = addrs;
	for (unsigned int w = 4; w < SL_FLOW_KEY_WORDS; w++)
		kw[w] = 0;
	if (unlikely(md->flags & SL_META_ARP))
		sl_flow_key_arp(m, md, k);
	else if (unlikely(md->ether_type == RTE_ETHER_TYPE_IPV6))
		sl_flow_key_ipv6(m, md, k);
}

static inline enum sl_flow_kind
sl_flow_kind_of(uint16_t dl_type)
{
	switch (dl_type) {
	case 0x0800:
		return SL_FLOW_KIND_IPV4;
	case 0x86dd:
		return SL_FLOW_KIND_IPV6;
	case 0x0806:
		return SL_FLOW_KIND_ARP;
	default:
		return SL_FLOW_KIND_OTHER;
	}
}

/* The highest-priority flow of in_port's list for kind that k matches
 * and whose priority is above floor (-1: any); NULL if none. */
static inline const struct sl_flowset_entry *
sl_flowset_lookup(const struct sl_flowset *fs, uint16_t in_port,
		  enum sl_flow_kind kind, const struct sl_flow_key *k,
		  int32_t floor)
{
	const struct sl_flowset_words *u = &fs->words[in_port][kind];
	const sl_flow_word *kw = (const sl_flow_word *)k;
	uint32_t end = fs->list[in_port][kind + 1];

	for (uint32_t i = fs->list[in_port][kind]; i < end; i++) {
		const struct sl_flowset_entry *e = &fs->entries[i];
		uint64_t diff = 0;

		if ((int32_t)e->priority <= floor)
			return NULL;	/* the rest rank lower still */
		for (unsigned int w = 0; w < u->n; w++)
			diff |= (kw[u->w[w]] & e->mask[w]) ^ e->key[w];
		if (!diff)
			return e;
	}
	return NULL;
}

#endif
