/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_cycles.h>

#include "parse.h"
#include "sl_pipeline.h"

/* Charge the time since t0 to a stage; returns now. Free when not
 * profiling: one predictable branch. */
static inline uint64_t
lap(struct sl_worker *w, enum sl_stage stage, uint64_t t0)
{
	uint64_t t;

	if (likely(!w->profile))
		return 0;
	t = rte_rdtsc();
	w->stats.stage_cycles[stage] += t - t0;
	return t;
}

void
sl_pipeline_burst(struct sl_worker *w, const struct sl_snapshot *s,
		  uint16_t rx_port, struct rte_mbuf **pkts, uint16_t n)
{
	struct sl_port_counters *pc = &w->stats.port[rx_port];
	uint16_t bond = s->ports[rx_port].bond;
	uint16_t in_port = bond == SL_BOND_NONE ? rx_port : SL_BOND_PORT(bond);
	uint64_t bytes = 0, t = w->profile ? rte_rdtsc() : 0;

	for (uint16_t i = 0; i < n; i++) {
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
		sl_meta(pkts[i])->in_port = in_port;
	}
	pc->rx_packets += n;
	pc->rx_bytes += bytes;

	n = sl_parse_burst(&w->stats, pkts, n);
	if (n && bond != SL_BOND_NONE)
		n = sl_bond_rx_burst(w, s, rx_port, pkts, n);
	t = lap(w, SL_STAGE_PARSE, t);
	if (n)
		n = sl_ingress_burst(w, s, in_port, pkts, n);
	t = lap(w, SL_STAGE_INGRESS, t);
	if (n)
		n = sl_rules_burst(w, sl_dp_rules(w->dp), pkts, n);
	t = lap(w, SL_STAGE_RULES, t);
	if (n)
		n = sl_l2_burst(w, s, pkts, n);
	t = lap(w, SL_STAGE_L2, t);
	if (n)
		sl_egress_burst(w, s, pkts, n);
	lap(w, SL_STAGE_EGRESS, t);
}
