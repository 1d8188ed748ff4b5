/* SPDX-License-Identifier: BSD-3-Clause */
/* The learning switch: learn (network, source MAC) → ingress port, then
 * forward to the port the destination was learned on, or flood. */
#include <string.h>

#include <rte_ether.h>
#include <rte_hash.h>

#include "sl_pipeline.h"

/* a burst's keys go to the FDB's bulk lookup at once, a hit bit each */
_Static_assert(SL_BURST <= RTE_HASH_LOOKUP_BULK_MAX && SL_BURST <= 64,
	       "a burst outgrew the FDB's bulk lookup");

static inline const struct rte_ether_hdr *
eth_of(struct rte_mbuf *m)
{
	/* parse has proven the first segment holds the Ethernet header */
	return rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
}

/* How long after a MAC was last seen on another port an SLB bond refuses
 * it: long enough for a flood of ours to come back in from a switch that
 * does not know the bond, short enough for a MAC that really moved. */
#define SLB_REFLECTION_S 5

/* SLB's loop guard (as OVS's): the upstream switch does not know the bond
 * and may send our own floods back in on another member. A frame from a
 * MAC we have on another port is one of those. */
static bool
reflected(const struct sl_worker *w, const struct sl_snapshot *s,
	  uint16_t in_port, union sl_fdb_entry e)
{
	if (!sl_port_is_bond(in_port) || e.port == in_port ||
	    s->bonds[in_port - SL_MAX_PORTS].mode != SL_DP_BOND_SLB)
		return false;
	return (e.flags & SL_FDB_STATIC) ||
	       w->now_s - e.seen_s < SLB_REFLECTION_S;
}

/* Remember that the FDB has key on port as of generation gen; a slot
 * already holding it keeps when this worker last learned it. */
static inline void
cache_fill(struct sl_l2_cache_slot *slot, uint64_t key, uint32_t gen,
	   uint16_t port, uint32_t learned_s)
{
	if (slot->key != key || slot->port != port)
		slot->learned_s = learned_s;
	else if (learned_s)
		slot->learned_s = learned_s;
	slot->key = key;
	slot->port = port;
	slot->generation = gen;
}

/* Learn the frames' sources; returns a bit per packet to drop as
 * reflected. A source this worker learned on the same port this second
 * (its cache says so) needs nothing: the FDB was refreshed then. */
static uint64_t
learn(struct sl_worker *w, const struct sl_snapshot *s, struct rte_mbuf **pkts,
      uint16_t n, uint32_t gen)
{
	struct sl_fdb_key keys[SL_BURST];
	union sl_fdb_entry found[SL_BURST];
	uint16_t idx[SL_BURST], nb = 0;
	uint64_t hits, drop = 0, fresh_key = 0;
	uint16_t fresh_port = SL_OUT_NONE;

	for (uint16_t i = 0; i < n; i++) {
		const struct sl_pkt_meta *md = sl_meta(pkts[i]);
		const struct rte_ether_addr *src = &eth_of(pkts[i])->src_addr;
		uint64_t ck = sl_l2_cache_key(md->network, src);
		const struct sl_l2_cache_slot *slot;

		/* a run of one sender: its slot was found fresh just before */
		if (ck == fresh_key && md->in_port == fresh_port)
			continue;
		slot = sl_l2_cache_slot(&w->l2cache, ck);
		if (likely(slot->key == ck && slot->generation == gen &&
			   slot->port == md->in_port &&
			   slot->learned_s == w->now_s)) {
			fresh_key = ck;
			fresh_port = md->in_port;
			continue;
		}
		sl_fdb_key_set(&keys[nb], md->network, src);
		idx[nb++] = i;
	}
	if (nb == 0)
		return 0;
	hits = sl_fdb_lookup_bulk(w->fdb, keys, nb, found);
	for (uint16_t k = 0; k < nb; k++) {
		uint16_t i = idx[k], in_port = sl_meta(pkts[i])->in_port;

		if (((hits >> k) & 1) &&
		    unlikely(reflected(w, s, in_port, found[k]))) {
			drop |= 1ull << i;
			continue;
		}
		/* A burst usually holds runs of one sender; learn it once. */
		if (k > 0 && keys[k].network == keys[k - 1].network &&
		    rte_is_same_ether_addr(&keys[k].mac, &keys[k - 1].mac))
			continue;
		if (unlikely(w->no_learn))	/* a trace's made-up frame */
			continue;
		if (sl_fdb_learn(w->fdb, &keys[k], (hits >> k) & 1, found[k],
				 in_port, w->now_s, &w->stats.fdb)) {
			uint64_t ck = sl_l2_cache_key(keys[k].network, &keys[k].mac);

			cache_fill(sl_l2_cache_slot(&w->l2cache, ck), ck, gen,
				   in_port, w->now_s);
		}
	}
	return drop;
}

/* IEEE 802.1 link-local group addresses (STP, LACP, 802.1X, LLDP): a
 * bridge never forwards them. */
static inline bool
link_local(const struct rte_ether_addr *dst)
{
	static const uint8_t prefix[5] = { 0x01, 0x80, 0xc2, 0x00, 0x00 };

	return memcmp(dst->addr_bytes, prefix, 5) == 0 &&
	       dst->addr_bytes[5] <= 0x0f;
}

uint16_t
sl_l2_burst(struct sl_worker *w, const struct sl_snapshot *s,
	    struct rte_mbuf **pkts, uint16_t n)
{
	struct sl_fdb_key keys[SL_BURST];
	union sl_fdb_entry found[SL_BURST];
	uint16_t idx[SL_BURST], nb_uni = 0, kept = 0;
	uint64_t hits, refl, hit_key = 0;
	uint16_t hit_out = SL_OUT_FLOOD;
	uint32_t gen;
	bool to_drop;	/* some frame is reflected, link-local or hairpin */

	gen = sl_fdb_generation(w->fdb);
	refl = learn(w, s, pkts, n, gen);
	to_drop = refl != 0;

	for (uint16_t i = 0; i < n; i++) {
		struct sl_pkt_meta *md = sl_meta(pkts[i]);
		const struct rte_ether_addr *dst = &eth_of(pkts[i])->dst_addr;
		const struct sl_l2_cache_slot *slot;
		uint64_t ck;

		md->out_port = SL_OUT_FLOOD;
		if (md->flags & SL_META_DST_MCAST) {
			if (unlikely(link_local(dst))) {
				md->out_port = SL_OUT_NONE;
				to_drop = true;
			}
			continue;
		}
		ck = sl_l2_cache_key(md->network, dst);
		/* a run to one destination: as the one before it */
		if (ck == hit_key) {
			md->out_port = hit_out;
			to_drop |= hit_out == md->in_port;
			continue;
		}
		slot = sl_l2_cache_slot(&w->l2cache, ck);
		if (likely(slot->key == ck && slot->generation == gen)) {
			if (likely(sl_snapshot_member(s, md->network, slot->port)))
				md->out_port = slot->port;
			hit_key = ck;
			hit_out = md->out_port;
			to_drop |= hit_out == md->in_port;
			continue;
		}
		sl_fdb_key_set(&keys[nb_uni], md->network, dst);
		idx[nb_uni++] = i;
	}
	hits = nb_uni ? sl_fdb_lookup_bulk(w->fdb, keys, nb_uni, found) : 0;
	for (uint16_t k = 0; k < nb_uni; k++) {
		struct sl_pkt_meta *md = sl_meta(pkts[idx[k]]);
		uint16_t out = found[k].port;
		uint64_t ck;

		if (!((hits >> k) & 1))
			continue;	/* unknown: flooded */
		ck = sl_l2_cache_key(keys[k].network, &keys[k].mac);
		cache_fill(sl_l2_cache_slot(&w->l2cache, ck), ck, gen, out, 0);
		/* An entry whose port has since left the network is stale:
		 * flood rather than leak a frame into another network. */
		if (sl_snapshot_member(s, md->network, out)) {
			md->out_port = out;
			to_drop |= out == md->in_port;
		}
	}
	if (likely(!to_drop))
		return n;
	for (uint16_t i = 0; i < n; i++) {
		struct sl_pkt_meta *md = sl_meta(pkts[i]);

		if (unlikely((refl >> i) & 1))
			sl_drop_rx(&w->stats, pkts[i], SL_DROP_BOND_REFLECTED);
		else if (unlikely(md->out_port == SL_OUT_NONE))
			sl_drop_rx(&w->stats, pkts[i], SL_DROP_LINK_LOCAL);
		else if (unlikely(md->out_port == md->in_port))
			sl_drop_rx(&w->stats, pkts[i], SL_DROP_HAIRPIN);
		else
			pkts[kept++] = pkts[i];
	}
	return kept;
}
