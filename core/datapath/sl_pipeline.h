/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packet path of one burst, run to completion on one worker:
 *   parse → ingress (port → network) → rules (flow rules: count, deny) →
 *   l2 (learn, forward/flood) → egress
 *   (per-port tx buffers, flood copies) → tx flush
 * Each stage frees and counts what it drops and returns how many packets go
 * on, compacted to the front of pkts.
 */
#ifndef SL_PIPELINE_H
#define SL_PIPELINE_H

#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "sl_bond.h"
#include "sl_clock.h"
#include "sl_dp.h"

/* All packets come from rx_port (an ethdev port; a bond member's packets
 * are switched as the bond's). */
void sl_pipeline_burst(struct sl_worker *w, const struct sl_snapshot *s,
		       uint16_t rx_port, struct rte_mbuf **pkts, uint16_t n);
/* One packet through the same stages, each stage's outcome noted in rec
 * (sl_trace.h): what it was sent to stays in w's transmit buffers, for
 * the caller to send (a worker's loop) or to look at and free (a trace
 * of the control thread's). */
struct sl_trace_record;
void sl_pipeline_traced(struct sl_worker *w, const struct sl_snapshot *s,
			uint16_t rx_port, struct rte_mbuf *m,
			struct sl_trace_record *rec);
/* sl_pipeline_burst without a look at the live trace: the packets a
 * live trace does not take, between those it does. */
void sl_pipeline_untraced(struct sl_worker *w, const struct sl_snapshot *s,
			  uint16_t rx_port, struct rte_mbuf **pkts, uint16_t n);

uint16_t sl_ingress_burst(struct sl_worker *w, const struct sl_snapshot *s,
			  uint16_t in_port, struct rte_mbuf **pkts, uint16_t n);
uint16_t sl_l2_burst(struct sl_worker *w, const struct sl_snapshot *s,
		     struct rte_mbuf **pkts, uint16_t n);
/* Queues each packet on its out port (copies for floods); returns how
 * many packets were queued. */
uint16_t sl_egress_burst(struct sl_worker *w, const struct sl_snapshot *s,
			 struct rte_mbuf **pkts, uint16_t n);

/* Send one packet of md->network out of port out (MTU, encapsulation or
 * tag, bond member); the packet is queued or dropped and counted. */
void sl_egress_emit(struct sl_worker *w, const struct sl_snapshot *s,
		    uint16_t out, struct rte_mbuf *m);

/* bond.c */
uint16_t sl_bond_rx_burst(struct sl_worker *w, const struct sl_snapshot *s,
			  uint16_t member, struct rte_mbuf **pkts, uint16_t n);
void sl_bond_tx(struct sl_worker *w, const struct sl_snapshot *s,
		uint16_t bond, struct rte_mbuf *m);

/* Whether m is too long for a port that takes mtu L3 bytes in its
 * network: the L2 header (and a tag egress may push) does not count. The
 * check of both ingress and egress. */
static inline bool
sl_too_long(const struct rte_mbuf *m, uint32_t mtu)
{
	return rte_pktmbuf_pkt_len(m) - RTE_ETHER_HDR_LEN > mtu;
}

/* Set the worker's clock for a loop from a TSC reading (the worker loop
 * passes the one it took at the end of the last loop): no rdtsc of its
 * own, and the division into seconds (tens of cycles, and a call into the
 * EAL for the TSC's rate) only once a second. */
static inline void
sl_worker_clock(struct sl_worker *w, uint64_t tsc)
{
	w->now_tsc = tsc;
	if (unlikely(tsc >= w->next_s_tsc)) {
		w->now_s = sl_clock_s_at(tsc);
		w->next_s_tsc = (uint64_t)(w->now_s + 1) * rte_get_tsc_hz();
	}
}

/* tx.c: per-port transmit buffers of a worker. */
/* Send (or hand over) what port's buffer holds; it stays listed. */
void sl_tx_flush_port(struct sl_worker *w, const struct sl_snapshot *s,
		      uint16_t port);

/* A run of packets queued on one port's buffer. Its count stays in a
 * register while the run lasts: bumped in memory per packet, each packet
 * waits for the store of the one before it (store forwarding, ~5 cycles).
 * Between sl_tx_run_open and sl_tx_run_close nothing else may queue on
 * the port. */
struct sl_tx_run {
	struct sl_txbuf *b;
	uint16_t port;
	uint16_t n;
};

static inline struct sl_tx_run
sl_tx_run_open(struct sl_worker *w, uint16_t port)
{
	struct sl_txbuf *b = &w->tx[port];

	if (!b->listed) {
		b->listed = true;
		w->pending[w->nb_pending++] = port;
	}
	return (struct sl_tx_run){ .b = b, .port = port, .n = b->n };
}

/* Queue m, sent by the loop's sl_tx_flush or as soon as the buffer is
 * full. */
static inline void
sl_tx_run_add(struct sl_worker *w, const struct sl_snapshot *s,
	      struct sl_tx_run *r, struct rte_mbuf *m)
{
	r->b->pkts[r->n++] = m;
	if (unlikely(r->n == SL_TXBUF_SIZE)) {
		r->b->n = r->n;
		sl_tx_flush_port(w, s, r->port);
		r->n = 0;
	}
}

static inline void
sl_tx_run_close(struct sl_tx_run *r)
{
	r->b->n = r->n;
}

/* Queue m on port's buffer: a run of one. Inline: every packet that is
 * not part of a run passes here. */
static inline void
sl_tx_enqueue(struct sl_worker *w, const struct sl_snapshot *s, uint16_t port,
	      struct rte_mbuf *m)
{
	struct sl_tx_run r = sl_tx_run_open(w, port);

	sl_tx_run_add(w, s, &r, m);
	sl_tx_run_close(&r);
}

void sl_tx_flush(struct sl_worker *w, const struct sl_snapshot *s);
/* Worker 0 only: send what other workers handed over for ports with too
 * few tx queues. Returns packets moved. */
uint16_t sl_tx_drain_handoff(struct sl_worker *w, const struct sl_snapshot *s);
/* Worker 0 only: send what the control thread injected. */
uint16_t sl_tx_drain_inject(struct sl_worker *w, const struct sl_snapshot *s);

#endif
