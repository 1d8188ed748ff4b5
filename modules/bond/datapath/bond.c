/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bonds in the datapath. A bond is one logical port of its networks; its
 * members are ethdev ports. What the member choice and the receive rules
 * are, per mode, is decided by the control thread (link monitoring, LACP,
 * SLB rebalancing) and published in the snapshot; here they are applied
 * per packet:
 *  - receive: the member's policy (backups and non-collecting members take
 *    nothing, only one member takes floods), LACP frames to the control
 *    thread, duplicates discarded and frames repeated between members on
 *    broadcast bonds;
 *  - transmit: every member (broadcast), the active one (active-backup,
 *    LACP fallback), the member of the source MAC's bucket (SLB), or a hash
 *    of the flow (balance-tcp; LACP by source MAC or TCP/UDP ports).
 */
#include <rte_ether.h>
#include <rte_ring.h>

#include "dedup.h"
#include "sl_flow_hash.h"
#include "sl_pipeline.h"

uint8_t
sl_bond_bucket(const struct rte_ether_addr *src)
{
	return (uint8_t)(sl_mac_hash(src) & (SL_SLB_BUCKETS - 1));
}

static void
relay(struct sl_worker *w, const struct sl_snapshot *s,
      const struct sl_dp_bond *b, uint16_t member, struct rte_mbuf *m)
{
	for (uint8_t i = 0; i < b->nb_tx; i++) {
		struct rte_mbuf *c;

		if (b->tx[i] == member)
			continue;
		c = rte_pktmbuf_copy(m, w->pool, 0, UINT32_MAX);
		if (unlikely(!c)) {
			sl_count_drop(&w->stats, b->tx[i], SL_DROP_MBUF_EXHAUSTED);
			w->stats.port[b->tx[i]].tx_dropped++;
			continue;
		}
		sl_tx_enqueue(w, s, b->tx[i], c);
	}
}

static enum sl_drop
admit(struct sl_worker *w, const struct sl_snapshot *s,
      const struct sl_dp_port *port, const struct sl_dp_bond *b,
      uint16_t member, struct rte_mbuf *m)
{
	struct sl_pkt_meta *md = sl_meta(m);

	if (unlikely(md->ether_type == SL_ETHER_TYPE_SLOW && md->nb_vlans == 0)) {
		if (b->mode != SL_DP_BOND_LACP)
			return SL_DROP_SLOW_PROTOCOL;
		/* the control thread runs LACP: hand the frame over as is */
		md->in_port = member;
		if (rte_ring_mp_enqueue(w->dp->punt, m) != 0)
			return SL_DROP_PUNT_FULL;
		return SL_DROP_TAKEN;
	}
	if (port->bond_rx == SL_BOND_RX_NONE)
		return SL_DROP_BOND_INACTIVE_MEMBER;
	if (port->bond_rx == SL_BOND_RX_UNICAST && (md->flags & SL_META_DST_MCAST))
		return SL_DROP_BOND_FLOOD_MEMBER;
	if (b->dedup) {
		if (sl_dedup_check(b->dedup, m, w->now_tsc))
			return SL_DROP_BOND_DUPLICATE;
		if (b->relay)
			relay(w, s, b, member, m);
	}
	return SL_DROP_NONE;
}

uint16_t
sl_bond_rx_burst(struct sl_worker *w, const struct sl_snapshot *s,
		 uint16_t member, struct rte_mbuf **pkts, uint16_t n)
{
	const struct sl_dp_port *port = &s->ports[member];
	const struct sl_dp_bond *b = &s->bonds[port->bond];
	uint16_t kept = 0;

	for (uint16_t i = 0; i < n; i++) {
		enum sl_drop why = admit(w, s, port, b, member, pkts[i]);

		if (likely(why == SL_DROP_NONE))
			pkts[kept++] = pkts[i];
		else if (why != SL_DROP_TAKEN)
			sl_drop_rx(&w->stats, pkts[i], why);
	}
	return kept;
}

void
sl_bond_tx(struct sl_worker *w, const struct sl_snapshot *s, uint16_t bond,
	   struct rte_mbuf *m)
{
	const struct sl_dp_bond *b = &s->bonds[bond];
	uint16_t port;

	if (unlikely(b->nb_tx == 0)) {
		sl_drop_tx(&w->stats, m, SL_BOND_PORT(bond), SL_DROP_BOND_NO_MEMBER);
		return;
	}
	switch (b->mode) {
	case SL_DP_BOND_BROADCAST:
		for (uint8_t i = 0; i + 1 < b->nb_tx; i++) {
			struct rte_mbuf *c = rte_pktmbuf_copy(m, w->pool, 0, UINT32_MAX);

			if (unlikely(!c)) {
				sl_count_drop(&w->stats, b->tx[i], SL_DROP_MBUF_EXHAUSTED);
				w->stats.port[b->tx[i]].tx_dropped++;
				continue;
			}
			sl_tx_enqueue(w, s, b->tx[i], c);
		}
		port = b->tx[b->nb_tx - 1];
		break;
	case SL_DP_BOND_SLB: {
		uint8_t bucket = sl_bond_bucket(
			&rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->src_addr);

		port = b->slb_port[bucket];
		w->stats.slb_bytes[bond][bucket] += rte_pktmbuf_pkt_len(m);
		break;
	}
	case SL_DP_BOND_TCP:
		port = b->tx[sl_flow_hash(m) % b->nb_tx];
		break;
	case SL_DP_BOND_LACP:
		if (b->active != SL_PORT_NONE) {	/* falling back */
			port = b->active;
			break;
		}
		/* by bucket, as SLB: bond-show can tell which member */
		port = b->tx[(b->hash_l4 ? sl_flow_hash(m) :
			      sl_bond_bucket(&rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->src_addr)) %
			     b->nb_tx];
		break;
	default:	/* active-backup */
		port = b->active;
		break;
	}
	sl_tx_enqueue(w, s, port, m);
}
