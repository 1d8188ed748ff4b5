/* SPDX-License-Identifier: BSD-3-Clause */
/* What a traced packet's stages did, noted between them (sl_trace.h).
 * Only a traced burst comes here: nothing of this runs for the others. */
#include <string.h>

#include "sl_pipeline.h"
#include "sl_rules.h"
#include "sl_trace.h"

void
sl_trace_copy_frame(const struct rte_mbuf *m, struct sl_traced_frame *f)
{
	uint32_t len = rte_pktmbuf_pkt_len(m);
	uint16_t kept = (uint16_t)RTE_MIN(len, (uint32_t)SL_TRACE_FRAME_BYTES);
	const void *p = rte_pktmbuf_read(m, 0, kept, f->head);

	f->len = len;
	f->kept = kept;
	if (p != f->head)	/* in the first segment: not copied yet */
		memcpy(f->head, p, kept);
}

/* The reasons counted since the last look: the first into *first, every
 * one into rec's totals. */
static void
drops_since(struct sl_worker *w, struct sl_trace_record *rec,
	    uint16_t *first)
{
	for (unsigned int r = 0; r < SL_DROP__COUNT; r++) {
		uint64_t now = w->stats.drops[r], d = now - rec->before[r];

		if (!d)
			continue;
		if (first && *first == SL_DROP_NONE)
			*first = (uint16_t)r;
		rec->drops[r] += d;
		rec->before[r] = now;
	}
}

void
sl_trace_begin(struct sl_worker *w, const struct sl_snapshot *s,
	       struct sl_trace_record *rec, uint16_t rx_port,
	       struct rte_mbuf *m)
{
	/* what is queued already leaves now: the buffers then hold only
	 * this packet's copies when it is through */
	sl_tx_flush(w, s);
	memset(&rec->rx_port, 0, offsetof(struct sl_trace_record, before) -
				 offsetof(struct sl_trace_record, rx_port));
	rec->rx_port = rx_port;
	rec->worker = w->id;
	rec->tsc = w->now_tsc;
	rec->rule_key = SL_RULE_KEY_NONE;
	sl_trace_copy_frame(m, &rec->in);
	memcpy(rec->before, w->stats.drops, sizeof(rec->before));
	w->rule_stats->last_key = SL_RULE_KEY_NONE;
}

void
sl_trace_step(struct sl_worker *w, struct sl_trace_record *rec,
	      enum sl_trace_stage stage, struct rte_mbuf **pkts, uint16_t n)
{
	struct sl_trace_step *st = &rec->step[stage];

	st->ran = true;
	st->went_on = n > 0;
	st->drop = SL_DROP_NONE;
	drops_since(w, rec, &st->drop);
	/* after egress pkts[0] may be freed (a copy refused by its port) */
	if (n && stage != SL_TRACE_EGRESS)
		st->md = *sl_meta(pkts[0]);
	if (stage == SL_TRACE_INGRESS && n &&
	    sl_port_is_vtep(st->md.in_port)) {
		rec->decapsulated = true;
		sl_trace_copy_frame(pkts[0], &rec->inner);
	}
	if (stage == SL_TRACE_RULES)
		rec->rule_key = w->rule_stats->last_key;
}

void
sl_trace_end(struct sl_worker *w, struct sl_trace_record *rec)
{
	drops_since(w, rec, NULL);
	for (uint16_t i = 0; i < w->nb_pending; i++) {
		const struct sl_txbuf *b = &w->tx[w->pending[i]];

		for (uint16_t k = 0; k < b->n; k++) {
			uint16_t o = rec->nb_out++;

			if (o >= SL_TRACE_MAX_OUTPUTS)
				continue;	/* counted, not kept */
			rec->out[o].port = w->pending[i];
			sl_trace_copy_frame(b->pkts[k], &rec->out[o].frame);
		}
	}
}
