/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-worker transmit buffers: packets for a port are batched and sent with
 * one tx_burst at the end of the loop. A worker that owns no tx queue of a
 * port (the device has fewer queues than there are workers) hands its batch
 * to worker 0 through the port's lock-free ring instead.
 */
#include <rte_cycles.h>
#include <rte_ring.h>

#include "sl_pipeline.h"

/* Count what went and free what the PMD (or the ring) refused. */
static void
account(struct sl_worker *w, uint16_t port, struct rte_mbuf **pkts,
	uint16_t n, uint16_t sent, uint64_t bytes)
{
	struct sl_port_counters *pc = &w->stats.port[port];

	for (uint16_t i = sent; i < n; i++) {
		bytes -= rte_pktmbuf_pkt_len(pkts[i]);
		sl_drop_tx(&w->stats, pkts[i], port, SL_DROP_TX_QUEUE_FULL);
	}
	pc->tx_packets += sent;
	pc->tx_bytes += bytes;
}

void
sl_tx_flush_port(struct sl_worker *w, const struct sl_snapshot *s,
		 uint16_t port)
{
	struct sl_txbuf *b = &w->tx[port];
	const struct sl_dp_port *p = &s->ports[port];
	uint16_t n = b->n, sent = 0;
	uint64_t bytes = 0;

	if (n == 0)
		return;
	b->n = 0;
	if (likely(w->id < p->nb_txq)) {
		const struct sl_capture_set *cs = sl_dp_capture(w->dp);

		/* what is offered to the port, the handed-over packets too
		 * (worker 0 sends them here): after tx_burst the PMD owns
		 * them */
		if (unlikely(cs != NULL) && cs->tx[port])
			sl_capture_burst(cs, cs->tx[port], w->id, port, w->id,
					 RTE_PCAPNG_DIRECTION_OUT, b->pkts, n);
		/* lengths first: the PMD owns (and may free) what it sent */
		for (uint16_t i = 0; i < n; i++)
			bytes += rte_pktmbuf_pkt_len(b->pkts[i]);
		sent = sl_port_tx_burst(port, w->id, b->pkts, n);
		account(w, port, b->pkts, n, sent, bytes);
		return;
	}
	if (p->tx_handoff)
		sent = rte_ring_mp_enqueue_burst(p->tx_handoff,
						 (void **)b->pkts, n, NULL);
	/* handed over: worker 0 counts them when it sends them */
	for (uint16_t i = sent; i < n; i++)
		sl_drop_tx(&w->stats, b->pkts[i], port, SL_DROP_TX_QUEUE_FULL);
}

void
sl_tx_flush(struct sl_worker *w, const struct sl_snapshot *s)
{
	uint64_t t = w->profile && w->nb_pending ? rte_rdtsc() : 0;

	for (uint16_t i = 0; i < w->nb_pending; i++) {
		sl_tx_flush_port(w, s, w->pending[i]);
		w->tx[w->pending[i]].listed = false;
	}
	if (t)
		w->stats.stage_cycles[SL_STAGE_TX] += rte_rdtsc() - t;
	w->nb_pending = 0;
}

uint16_t
sl_tx_drain_inject(struct sl_worker *w, const struct sl_snapshot *s)
{
	struct rte_mbuf *pkts[SL_BURST];
	unsigned int n = rte_ring_sc_dequeue_burst(w->dp->inject, (void **)pkts,
						   SL_BURST, NULL);

	for (unsigned int i = 0; i < n; i++) {
		const struct sl_pkt_meta *md = sl_meta(pkts[i]);
		uint16_t port = md->out_port;
		bool in_network = md->network != SL_NETWORK_NONE;

		/* the port (or its network) may have gone since the control
		 * thread queued it */
		if (in_network ? !sl_snapshot_member(s, md->network, port) :
				 port >= SL_MAX_PORTS || !s->ports[port].nb_txq) {
			w->stats.drops[SL_DROP_INJECT_STALE]++;
			rte_pktmbuf_free(pkts[i]);
		} else if (in_network) {
			sl_egress_emit(w, s, port, pkts[i]);
		} else {
			sl_tx_enqueue(w, s, port, pkts[i]);
		}
	}
	return (uint16_t)n;
}

uint16_t
sl_tx_drain_handoff(struct sl_worker *w, const struct sl_snapshot *s)
{
	struct rte_mbuf *pkts[SL_BURST];
	uint16_t moved = 0;

	for (uint16_t k = 0; k < s->nb_handoff; k++) {
		uint16_t port = s->handoff_ports[k];
		unsigned int n = rte_ring_sc_dequeue_burst(s->ports[port].tx_handoff,
							   (void **)pkts,
							   SL_BURST, NULL);
		struct sl_tx_run run;

		if (n == 0)
			continue;	/* opening a run lists the port to flush */
		run = sl_tx_run_open(w, port);
		for (unsigned int i = 0; i < n; i++)
			sl_tx_run_add(w, s, &run, pkts[i]);
		sl_tx_run_close(&run);
		moved += n;
	}
	return moved;
}
