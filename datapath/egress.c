/* SPDX-License-Identifier: BSD-3-Clause */
/* Egress: put each packet on its out port's transmit buffer; a flood goes to
 * every other port of the network. VLAN push/pop, tunnel encapsulation, bond
 * member choice and the MTU check slot in here, per out port. */
#include "sl_pipeline.h"

/* Each target but the last gets a copy, the last the original. A copy (not
 * a reference-counted clone) because egress rewrites headers per port. */
static uint16_t
flood(struct sl_worker *w, const struct sl_snapshot *s, struct rte_mbuf *m)
{
	const struct sl_pkt_meta *md = sl_meta(m);
	const struct sl_dp_network *net = &s->networks[md->network];
	uint16_t targets[SL_MAX_PORTS], nt = 0, queued = 0;

	for (uint16_t i = 0; i < net->nb_ports; i++)
		if (net->ports[i] != md->in_port)
			targets[nt++] = net->ports[i];
	if (nt == 0) {
		sl_drop_rx(&w->stats, m, SL_DROP_FLOOD_EMPTY);
		return 0;
	}
	for (uint16_t k = 0; k + 1 < nt; k++) {
		struct rte_mbuf *c = rte_pktmbuf_copy(m, w->pool, 0, UINT32_MAX);

		if (unlikely(!c)) {
			w->stats.drops[SL_DROP_MBUF_EXHAUSTED]++;
			w->stats.port[targets[k]].tx_dropped++;
			continue;
		}
		*sl_meta(c) = *md;
		sl_tx_enqueue(w, s, targets[k], c);
		queued++;
	}
	sl_tx_enqueue(w, s, targets[nt - 1], m);
	return queued + 1;
}

uint16_t
sl_egress_burst(struct sl_worker *w, const struct sl_snapshot *s,
		struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t queued = 0;

	for (uint16_t i = 0; i < n; i++) {
		uint16_t out = sl_meta(pkts[i])->out_port;

		if (out == SL_OUT_FLOOD) {
			queued += flood(w, s, pkts[i]);
		} else {
			sl_tx_enqueue(w, s, out, pkts[i]);
			queued++;
		}
	}
	return queued;
}
