/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Egress: each packet leaves through sl_egress_emit(), once per out port:
 * the MTU check, then a remote's encapsulation (which emits the outer
 * packet on the transport PIF's port), or the port's tag for the network
 * and a bond member or the transmit buffer. A flood goes to every other
 * port of the network; in a private network that does not relay, a frame
 * from a remote goes to no other remote (split horizon: every host floods
 * to all of a full mesh itself).
 */
#include <rte_ether.h>

#include "sl_pipeline.h"
#include "sl_profile.h"
#include "sl_tunnel.h"

/* What is not a plain port in the network untagged: a remote, a tag to
 * push, a bond. Out of line, so that the plain case needs few
 * registers. */
static __rte_noinline void
emit_special(struct sl_worker *w, const struct sl_snapshot *s, uint16_t out,
	     struct rte_mbuf *m, uint16_t tag)
{
	const struct sl_pkt_meta *md = sl_meta(m);

	if (sl_port_is_vtep(out)) {
		uint64_t t0 = sl_profile_now(w);

		if (unlikely(sl_port_is_vtep(md->in_port) &&
			     !s->networks[md->network].tunnel_relay))
			sl_drop_tx(&w->stats, m, out, SL_DROP_TUNNEL_SPLIT_HORIZON);
		else
			sl_tunnel_encap(w, s, out, m);
		sl_profile_part(w, SL_STAGE_ENCAP, t0);
		return;
	}
	if (tag != SL_TAG_UNTAGGED) {
		m->vlan_tci = (uint16_t)((uint16_t)md->pcp << 13 | tag);
		if (unlikely(rte_vlan_insert(&m) != 0)) {
			sl_drop_tx(&w->stats, m, out, SL_DROP_NO_HEADROOM);
			return;
		}
	}
	if (sl_port_is_bond(out))
		sl_bond_tx(w, s, out - SL_MAX_PORTS, m);
	else
		sl_tx_enqueue(w, s, out, m);
}

/* Send m out of port out, which takes its network with tag, up to mtu. */
static inline void
emit_as(struct sl_worker *w, const struct sl_snapshot *s, uint16_t out,
	struct rte_mbuf *m, uint32_t mtu, uint16_t tag)
{
	if (unlikely(sl_too_long(m, mtu)))
		sl_drop_tx(&w->stats, m, out, SL_DROP_MTU_EXCEEDED);
	else if (likely(out < SL_MAX_PORTS && tag == SL_TAG_UNTAGGED))
		sl_tx_enqueue(w, s, out, m);
	else
		emit_special(w, s, out, m, tag);
}

void
sl_egress_emit(struct sl_worker *w, const struct sl_snapshot *s, uint16_t out,
	       struct rte_mbuf *m)
{
	const struct sl_dp_network *net = &s->networks[sl_meta(m)->network];

	emit_as(w, s, out, m, net->mtu[out], net->tag[out]);
}

/* Each target but the last gets a copy, the last the original. A copy (not
 * a reference-counted clone) because egress rewrites headers per port. */
static uint16_t
flood(struct sl_worker *w, const struct sl_snapshot *s, struct rte_mbuf *m)
{
	const struct sl_pkt_meta *md = sl_meta(m);
	const struct sl_dp_network *net = &s->networks[md->network];
	uint16_t targets[SL_DP_MAX_PORTS], nt = 0;
	bool from_remote = sl_port_is_vtep(md->in_port) && !net->tunnel_relay;

	for (uint16_t i = 0; i < net->nb_ports; i++)
		if (net->ports[i] != md->in_port &&
		    !(from_remote && sl_port_is_vtep(net->ports[i])))
			targets[nt++] = net->ports[i];
	if (nt == 0) {
		sl_drop_rx(&w->stats, m, SL_DROP_FLOOD_EMPTY);
		return 0;
	}
	for (uint16_t k = 0; k + 1 < nt; k++) {
		struct rte_mbuf *c = rte_pktmbuf_copy(m, w->pool, 0, UINT32_MAX);

		if (unlikely(!c)) {
			sl_count_drop(&w->stats, targets[k], SL_DROP_MBUF_EXHAUSTED);
			w->stats.port[targets[k]].tx_dropped++;
			continue;
		}
		*sl_meta(c) = *md;
		sl_egress_emit(w, s, targets[k], c);
	}
	sl_egress_emit(w, s, targets[nt - 1], m);
	return nt;
}

/* Frames of one network to one port in a row (what a burst mostly is) are
 * a run; they ask once how the port carries the network. */
static inline uint32_t
run_key(const struct sl_pkt_meta *md)
{
	return (uint32_t)md->network << 16 | md->out_port;
}

/* A run of floods, or to a port that is not plain (tagged, a bond, a
 * remote), at the head of pkts: frame by frame. Out of line, so that the
 * loop of plain runs keeps its registers. Sets *len to the run's length;
 * returns how many packets it queued. */
static __rte_noinline uint16_t
special_run(struct sl_worker *w, const struct sl_snapshot *s,
	    struct rte_mbuf **pkts, uint16_t n, uint16_t *len)
{
	const struct sl_pkt_meta *md = sl_meta(pkts[0]);
	const struct sl_dp_network *net = &s->networks[md->network];
	uint32_t key = run_key(md);
	uint16_t out = md->out_port, i = 0, queued = 0;

	if (out == SL_OUT_FLOOD) {
		do
			queued += flood(w, s, pkts[i]);
		while (++i < n && run_key(sl_meta(pkts[i])) == key);
		*len = i;
		return queued;
	}
	do
		emit_as(w, s, out, pkts[i], net->mtu[out], net->tag[out]);
	while (++i < n && run_key(sl_meta(pkts[i])) == key);
	*len = i;
	return i;
}

/* To a plain port (an ethdev port that takes the network untagged) a run
 * goes straight into the port's buffer, a tx run open while it lasts. */
uint16_t
sl_egress_burst(struct sl_worker *w, const struct sl_snapshot *s,
		struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t queued = 0;
	uint32_t last = UINT32_MAX, mtu = 0;	/* the open plain run's key */
	struct sl_tx_run tx;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct sl_pkt_meta *md = sl_meta(m);
		uint16_t out = md->out_port;
		uint32_t key = run_key(md);

		if (key != last) {
			const struct sl_dp_network *net;

			if (last != UINT32_MAX)
				sl_tx_run_close(&tx);
			last = UINT32_MAX;
			net = &s->networks[md->network];
			if (out >= SL_MAX_PORTS ||
			    net->tag[out] != SL_TAG_UNTAGGED) {
				uint16_t len;

				queued += special_run(w, s, pkts + i, n - i,
						      &len);
				i += len - 1;
				continue;
			}
			last = key;
			mtu = net->mtu[out];
			tx = sl_tx_run_open(w, out);
		}
		queued++;
		if (likely(!sl_too_long(m, mtu)))
			sl_tx_run_add(w, s, &tx, m);
		else	/* nothing queues on the open run's port */
			sl_drop_tx(&w->stats, m, out, SL_DROP_MTU_EXCEEDED);
	}
	if (last != UINT32_MAX)
		sl_tx_run_close(&tx);
	return queued;
}
