/* SPDX-License-Identifier: BSD-3-Clause */
#include "parse.h"
#include "sl_pipeline.h"
#include "sl_profile.h"
#include "sl_trace.h"

/* The stages of one burst. rec is NULL but for a traced burst (one
 * packet): inlined with a NULL constant, the untraced path has none of
 * the trace's calls; a traced one runs the very same stage functions. */
static __rte_always_inline void
run_stages(struct sl_worker *w, const struct sl_snapshot *s, uint16_t rx_port,
	   struct rte_mbuf **pkts, uint16_t n, struct sl_trace_record *rec)
{
	struct sl_port_counters *pc = &w->stats.port[rx_port];
	uint16_t bond = s->ports[rx_port].bond;
	uint16_t in_port = bond == SL_BOND_NONE ? rx_port : SL_BOND_PORT(bond);
	uint64_t t = sl_profile_now(w);
	const struct sl_capture_set *cs = sl_dp_capture(w->dp);

	/* as the port gave them, before anything may drop them; a bond
	 * member's under the member's port (sluice polls one queue a port) */
	if (unlikely(cs != NULL) && cs->rx[rx_port])
		sl_capture_burst(cs, cs->rx[rx_port], w->id, rx_port, 0,
				 RTE_PCAPNG_DIRECTION_IN, pkts, n);
	if (rec)
		sl_trace_begin(w, s, rec, rx_port, pkts[0]);
	w->profile_parts = 0;	/* any counted outside a burst's stages */
	n = sl_parse_burst(&w->stats, pc, in_port, pkts, n);
	if (rec)
		sl_trace_step(w, rec, SL_TRACE_PARSE, pkts, n);
	if (n && bond != SL_BOND_NONE) {
		n = sl_bond_rx_burst(w, s, rx_port, pkts, n);
		if (rec)
			sl_trace_step(w, rec, SL_TRACE_BOND, pkts, n);
	}
	t = sl_profile_lap(w, SL_STAGE_PARSE, t);
	if (n) {
		n = sl_ingress_burst(w, s, in_port, pkts, n);
		if (rec)
			sl_trace_step(w, rec, SL_TRACE_INGRESS, pkts, n);
	}
	t = sl_profile_lap(w, SL_STAGE_INGRESS, t);
	if (n) {
		n = sl_rules_burst(w, sl_dp_rules(w->dp), s, pkts, n);
		if (rec)
			sl_trace_step(w, rec, SL_TRACE_RULES, pkts, n);
	}
	t = sl_profile_lap(w, SL_STAGE_RULES, t);
	if (n) {
		n = sl_l2_burst(w, s, pkts, n);
		if (rec)
			sl_trace_step(w, rec, SL_TRACE_L2, pkts, n);
	}
	t = sl_profile_lap(w, SL_STAGE_L2, t);
	if (n) {
		n = sl_egress_burst(w, s, pkts, n);
		if (rec)
			sl_trace_step(w, rec, SL_TRACE_EGRESS, pkts, n);
	}
	sl_profile_lap(w, SL_STAGE_EGRESS, t);
	if (rec)
		sl_trace_end(w, rec);
}

void
sl_pipeline_traced(struct sl_worker *w, const struct sl_snapshot *s,
		   uint16_t rx_port, struct rte_mbuf *m,
		   struct sl_trace_record *rec)
{
	run_stages(w, s, rx_port, &m, 1, rec);
}

void
sl_pipeline_untraced(struct sl_worker *w, const struct sl_snapshot *s,
		     uint16_t rx_port, struct rte_mbuf **pkts, uint16_t n)
{
	run_stages(w, s, rx_port, pkts, n, NULL);
}

void
sl_pipeline_burst(struct sl_worker *w, const struct sl_snapshot *s,
		  uint16_t rx_port, struct rte_mbuf **pkts, uint16_t n)
{
	struct sl_trace_live *tl = sl_dp_trace(w->dp);

	/* a live trace watches the port: it takes the burst apart */
	if (unlikely(tl != NULL) && tl->port == rx_port)
		sl_trace_live_burst(w, s, tl, pkts, n);
	else
		run_stages(w, s, rx_port, pkts, n, NULL);
}
