/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rules stage: each packet's rule (the classifier) or OpenFlow flow
 * (the flowset), what it does to the packet, and its counter. A rule-set
 * without flows takes a path of its own, which no flow code costs.
 */
#include <netinet/in.h>

#include <rte_byteorder.h>

#include "sl_dp.h"
#include "classifier.h"
#include "sl_flows.h"
#include "sl_pipeline.h"
#include "sl_rules.h"

/* What a parsed packet offers the classifier. Later IPv4 fragments carry
 * no ports: they match with ports 0, as OVS matches them. */
static inline void
key_of(const struct rte_mbuf *m, const struct sl_pkt_meta *md,
       struct sl_cls_key *k)
{
	const struct rte_ether_hdr *eth =
		rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	k->network = md->network;
	k->src_mac = eth->src_addr;
	k->dst_mac = eth->dst_addr;
	k->src = rte_be_to_cpu_32(md->ip_src);
	k->dst = rte_be_to_cpu_32(md->ip_dst);
	k->sport = md->l4_sport;
	k->dport = md->l4_dport;
	if (md->flags & SL_META_ARP) {
		k->proto = SL_CLS_ARP;
	} else if (md->flags & SL_META_IPV4) {
		switch (md->ip_proto) {
		case IPPROTO_TCP:
			k->proto = SL_CLS_TCP;
			break;
		case IPPROTO_UDP:
			k->proto = SL_CLS_UDP;
			break;
		case IPPROTO_ICMP:
			k->proto = SL_CLS_ICMP;
			break;
		default:
			k->proto = SL_CLS_IP;
		}
	} else {
		k->proto = SL_CLS_PROTOS;	/* no rule matches */
	}
}

/* Packets are counted on their rule's counter, or their network's NORMAL
 * one, a run at a time: a burst mostly holds one flow or one network, and
 * a counter bumped per packet makes each add wait for the store of the
 * one before. A run's key is its rule's counter slot, or the network with
 * RUN_NORMAL set. */
#define RUN_NORMAL SL_RULE_KEY_NORMAL
#define RUN_NONE SL_RULE_KEY_NONE

struct counter_run {
	uint32_t key;
	uint32_t packets;
	uint64_t bytes;
};

static inline void
run_flush(struct sl_rule_stats *st, struct counter_run *r)
{
	struct sl_rule_counter *c = NULL;

	if (r->key == RUN_NONE)
		return;
	st->last_key = r->key;	/* a store a run: what a trace reads */
	if (!(r->key & RUN_NORMAL))
		c = &st->slot[r->key];
	else if ((r->key & ~RUN_NORMAL) < SL_RULES_NETWORKS)
		c = &st->normal[r->key & ~RUN_NORMAL];
	if (c) {
		c->packets += r->packets;
		c->bytes += r->bytes;
	}
	r->packets = 0;
	r->bytes = 0;
}

static inline void
run_count(struct sl_rule_stats *st, struct counter_run *r, uint32_t key,
	  const struct rte_mbuf *m)
{
	if (key != r->key) {
		run_flush(st, r);
		r->key = key;
	}
	r->packets++;
	r->bytes += rte_pktmbuf_pkt_len(m);
}

/* The classifier's keys of the packets of networks with rules, and
 * their places in the burst; their number. Asked once per run of one
 * network: a burst is one port's and mostly one network's. */
static inline uint16_t
cls_keys(const struct sl_classifier *cls, struct rte_mbuf **pkts, uint16_t n,
	 struct sl_cls_key *keys, uint16_t *idx)
{
	uint16_t last_network = SL_NETWORK_NONE, nk = 0;
	bool has_rules = false;

	for (uint16_t i = 0; i < n; i++) {
		const struct sl_pkt_meta *md = sl_meta(pkts[i]);

		if (md->network != last_network) {
			last_network = md->network;
			has_rules = sl_cls_network_has_rules(cls, last_network);
		}
		if (has_rules) {
			key_of(pkts[i], md, &keys[nk]);
			idx[nk++] = i;
		}
	}
	return nk;
}

/* What a flow that outputs to a port does: the frame leaves there as it
 * is, without learning or a look in the FDB, as OVS's output action. */
static void
flow_output(struct sl_worker *w, const struct sl_snapshot *s,
	    const struct sl_flowset_entry *e, struct rte_mbuf *m)
{
	struct sl_pkt_meta *md = sl_meta(m);

	if (!sl_snapshot_member(s, md->network, e->out_port)) {
		sl_drop_rx(&w->stats, m, SL_DROP_FLOW_OUTPUT_OFF_NETWORK);
		return;
	}
	md->out_port = e->out_port;
	sl_egress_emit(w, s, e->out_port, m);
}

/* What a packet's flow (e), or else its rule (rank), does with it, on
 * its counter: true if it goes on to L2. miss_drops: rs->miss_drops, read
 * once a burst (the normal case, every bridge with its NORMAL flow, then
 * tests a register per unmatched packet, nothing more). */
static __rte_always_inline bool
judge(struct sl_worker *w, const struct sl_ruleset *rs,
      const struct sl_snapshot *s, struct counter_run *run,
      struct rte_mbuf *m, uint32_t rank, const struct sl_flowset_entry *e,
      bool miss_drops)
{
	struct sl_rule_stats *st = w->rule_stats;

	if (e) {
		run_count(st, run, e->slot, m);
		if (e->action == SL_FLOW_NORMAL)
			return true;
		if (e->action == SL_FLOW_OUTPUT)
			flow_output(w, s, e, m);
		else
			sl_drop_rx(&w->stats, m, SL_DROP_RULE_DENY);
		return false;
	}
	if (rank == SL_CLS_NONE) {
		if (unlikely(miss_drops) &&
		    sl_ruleset_miss_drops(rs, sl_meta(m)->network)) {
			sl_drop_rx(&w->stats, m, SL_DROP_FLOW_TABLE_MISS);
			return false;
		}
		run_count(st, run, RUN_NORMAL | sl_meta(m)->network, m);
		return true;
	}
	run_count(st, run, rs->verdicts[rank].slot, m);
	if (rs->verdicts[rank].allow)
		return true;
	sl_drop_rx(&w->stats, m, SL_DROP_RULE_DENY);
	return false;
}

/* Each packet's rank, by its place in the burst, with flows: a port whose
 * flows decide below their catch-all asks the rule-set's classifier of
 * the rules above it (ruleset.c), any other the whole classifier. */
static void
ranks_with_flows(const struct sl_ruleset *rs, struct rte_mbuf **pkts,
		 uint16_t n, uint32_t *rank)
{
	struct sl_cls_key keys[SL_BURST], keys_above[SL_BURST];
	uint32_t ranks[SL_BURST], ranks_above[SL_BURST];
	uint16_t idx[SL_BURST], idx_above[SL_BURST], nk = 0, na = 0;
	uint16_t last_network = SL_NETWORK_NONE, last_port = 0;
	const struct sl_classifier *cls = NULL;

	for (uint16_t i = 0; i < n; i++) {
		const struct sl_pkt_meta *md = sl_meta(pkts[i]);

		rank[i] = SL_CLS_NONE;
		if (md->network != last_network || md->in_port != last_port) {
			last_network = md->network;
			last_port = md->in_port;
			cls = rs->flows->decides[last_port] ? rs->cls_above : rs->cls;
			if (!sl_cls_network_has_rules(cls, last_network))
				cls = NULL;
		}
		if (cls == rs->cls && cls) {
			key_of(pkts[i], md, &keys[nk]);
			idx[nk++] = i;
		} else if (cls) {
			key_of(pkts[i], md, &keys_above[na]);
			idx_above[na++] = i;
		}
	}
	if (nk)
		sl_cls_lookup_burst(rs->cls, keys, ranks, nk);
	if (na)
		sl_cls_lookup_burst(rs->cls_above, keys_above, ranks_above, na);
	for (uint16_t k = 0; k < nk; k++)
		rank[idx[k]] = ranks[k];
	for (uint16_t k = 0; k < na; k++)
		if (ranks_above[k] != SL_CLS_NONE)
			rank[idx_above[k]] = rs->above_rank[ranks_above[k]];
}

/* The OpenFlow flow each packet from a port with flows takes, into fe[]
 * (NULL: none, or its rule ranks above every flow that matches). */
static void
flows_burst(const struct sl_ruleset *rs, const struct sl_snapshot *s,
	    struct rte_mbuf **pkts, uint16_t n, const uint32_t *rank,
	    const struct sl_flowset_entry **fe)
{
	const struct sl_flowset *fs = rs->flows;
	uint16_t last_network = SL_NETWORK_NONE, last_port = 0, tag = 0;

	for (uint16_t i = 0; i < n; i++) {
		const struct sl_pkt_meta *md = sl_meta(pkts[i]);
		enum sl_flow_kind kind;
		struct sl_flow_key key;
		int32_t floor;

		fe[i] = NULL;
		if (!sl_flowset_port_has_flows(fs, md->in_port))
			continue;
		/* a burst is one port's and mostly one network's */
		if (md->network != last_network || md->in_port != last_port) {
			last_network = md->network;
			last_port = md->in_port;
			tag = s->networks[last_network].tag[last_port];
		}
		kind = sl_flow_kind_of(md->ether_type);
		floor = rank[i] == SL_CLS_NONE ? -1 :
			rs->verdicts[rank[i]].priority;
		/* a rule above every flow of the list: no key to build */
		if (sl_flowset_top(fs, md->in_port, kind) <= floor)
			continue;
		sl_flow_key_of(pkts[i], tag, &key);
		fe[i] = sl_flowset_lookup(fs, md->in_port, kind, &key, floor);
	}
}

/* The rules stage of a rule-set with flows. */
static uint16_t
rules_burst_flows(struct sl_worker *w, const struct sl_ruleset *rs,
		  const struct sl_snapshot *s, struct rte_mbuf **pkts,
		  uint16_t n)
{
	struct counter_run run = { .key = RUN_NONE };
	const struct sl_flowset_entry *fe[SL_BURST];
	uint32_t rank[SL_BURST];
	uint16_t out = 0;

	ranks_with_flows(rs, pkts, n, rank);
	flows_burst(rs, s, pkts, n, rank, fe);
	for (uint16_t i = 0; i < n; i++)
		if (judge(w, rs, s, &run, pkts[i], rank[i], fe[i],
			  rs->miss_drops))
			pkts[out++] = pkts[i];
	run_flush(w->rule_stats, &run);
	return out;
}

uint16_t
sl_rules_burst(struct sl_worker *w, const struct sl_ruleset *rs,
	       const struct sl_snapshot *s, struct rte_mbuf **pkts, uint16_t n)
{
	struct counter_run run = { .key = RUN_NONE };
	struct sl_cls_key keys[SL_BURST];
	uint32_t ranks[SL_BURST];
	uint16_t idx[SL_BURST], nk = 0, out = 0, k = 0;
	const bool miss_drops = rs && rs->miss_drops;

	if (unlikely(rs && rs->flows))
		return rules_burst_flows(w, rs, s, pkts, n);
	if (rs && (nk = cls_keys(rs->cls, pkts, n, keys, idx)))
		sl_cls_lookup_burst(rs->cls, keys, ranks, nk);
	for (uint16_t i = 0; i < n; i++) {
		uint32_t rank = SL_CLS_NONE;

		if (k < nk && idx[k] == i)
			rank = ranks[k++];
		if (judge(w, rs, s, &run, pkts[i], rank, NULL, miss_drops))
			pkts[out++] = pkts[i];
	}
	run_flush(w->rule_stats, &run);
	return out;
}
