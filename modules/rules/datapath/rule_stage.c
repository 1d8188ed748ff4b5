/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_malloc.h>

#include "sl_dp.h"
#include "classifier.h"
#include "sl_flows.h"
#include "sl_pipeline.h"
#include "sl_rules.h"

struct sl_ruleset *
sl_ruleset_build(const struct sl_cls_rule *rules,
		 const struct sl_rule_verdict *verdicts, uint32_t n,
		 struct sl_flowset *flows)
{
	struct sl_ruleset *rs;

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
	if (!rs->verdicts || !rs->cls) {
		int e = rs->cls ? ENOMEM : errno;

		sl_ruleset_free(rs);
		errno = e;
		return NULL;
	}
	if (n)
		memcpy(rs->verdicts, verdicts, n * sizeof(*verdicts));
	return rs;
}

void
sl_ruleset_free(struct sl_ruleset *rs)
{
	if (!rs)
		return;
	sl_cls_free(rs->cls);
	sl_flowset_free(rs->flows);
	rte_free(rs->verdicts);
	rte_free(rs);
}

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

/* The OpenFlow flow each packet from a port with flows takes, into fe[]
 * (NULL: none, or the classifier's rule ranks above every flow that
 * matches); false if no packet of the burst comes from such a port. A
 * pass of its own over the burst, the key built and searched inline. */
static bool
flows_burst(const struct sl_ruleset *rs, const struct sl_snapshot *s,
	    struct rte_mbuf **pkts, uint16_t n, const uint16_t *idx,
	    const uint32_t *ranks, uint16_t nk,
	    const struct sl_flowset_entry **fe)
{
	const struct sl_flowset *fs = rs->flows;
	uint16_t last_network = SL_NETWORK_NONE, last_port = 0, tag = 0;
	bool any = false;

	for (uint16_t i = 0, k = 0; i < n; i++) {
		const struct sl_pkt_meta *md = sl_meta(pkts[i]);
		uint32_t rank = SL_CLS_NONE;
		struct sl_flow_key key;

		if (k < nk && idx[k] == i)
			rank = ranks[k++];
		fe[i] = NULL;
		if (!sl_flowset_port_has_flows(fs, md->in_port))
			continue;
		any = true;
		/* a burst is one port's and mostly one network's */
		if (md->network != last_network || md->in_port != last_port) {
			last_network = md->network;
			last_port = md->in_port;
			tag = s->networks[last_network].tag[last_port];
		}
		sl_flow_key_of(pkts[i], tag, &key);
		fe[i] = sl_flowset_lookup(fs, md->in_port,
					  sl_flow_kind_of(md->ether_type), &key,
					  rank == SL_CLS_NONE ? -1 :
					  rs->verdicts[rank].priority);
	}
	return any;
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

uint16_t
sl_rules_burst(struct sl_worker *w, const struct sl_ruleset *rs,
	       const struct sl_snapshot *s, struct rte_mbuf **pkts, uint16_t n)
{
	struct sl_rule_stats *st = w->rule_stats;
	struct counter_run run = { .key = RUN_NONE };
	struct sl_cls_key keys[SL_BURST];
	uint32_t ranks[SL_BURST];
	uint16_t idx[SL_BURST], nk = 0, out = 0, k = 0;
	uint16_t last_network = SL_NETWORK_NONE;
	bool last_has_rules = false, any_flows = false;
	/* read once a burst: the normal case (every bridge has its NORMAL
	 * flow) tests a register per unmatched packet, nothing more */
	const bool miss_drops = rs && rs->miss_drops;
	const struct sl_flowset_entry *fe[SL_BURST];

	for (uint16_t i = 0; rs && i < n; i++) {
		const struct sl_pkt_meta *md = sl_meta(pkts[i]);

		/* asked once per run of one network */
		if (md->network != last_network) {
			last_network = md->network;
			last_has_rules = sl_cls_network_has_rules(rs->cls,
								  last_network);
		}
		if (last_has_rules) {
			key_of(pkts[i], md, &keys[nk]);
			idx[nk++] = i;
		}
	}
	if (nk)
		sl_cls_lookup_burst(rs->cls, keys, ranks, nk);
	if (unlikely(rs && rs->flows))
		any_flows = flows_burst(rs, s, pkts, n, idx, ranks, nk, fe);
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t rank = SL_CLS_NONE;

		if (k < nk && idx[k] == i)
			rank = ranks[k++];
		if (unlikely(any_flows) && fe[i]) {
			const struct sl_flowset_entry *e = fe[i];

			run_count(st, &run, e->slot, m);
			if (e->action == SL_FLOW_NORMAL)
				pkts[out++] = m;
			else if (e->action == SL_FLOW_OUTPUT)
				flow_output(w, s, e, m);
			else
				sl_drop_rx(&w->stats, m, SL_DROP_RULE_DENY);
			continue;
		}
		if (rank == SL_CLS_NONE) {
			if (unlikely(miss_drops) &&
			    sl_ruleset_miss_drops(rs, sl_meta(m)->network)) {
				sl_drop_rx(&w->stats, m, SL_DROP_FLOW_TABLE_MISS);
				continue;
			}
			run_count(st, &run, RUN_NORMAL | sl_meta(m)->network, m);
			pkts[out++] = m;
			continue;
		}
		run_count(st, &run, rs->verdicts[rank].slot, m);
		if (rs->verdicts[rank].allow)
			pkts[out++] = m;
		else
			sl_drop_rx(&w->stats, m, SL_DROP_RULE_DENY);
	}
	run_flush(st, &run);
	return out;
}

void
sl_ruleset_info(const struct sl_ruleset *rs, struct sl_cls_info *info)
{
	sl_cls_info(rs->cls, info);
}
