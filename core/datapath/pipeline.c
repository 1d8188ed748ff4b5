/* SPDX-License-Identifier: BSD-3-Clause */
#include "parse.h"
#include "sl_pipeline.h"
#include "sl_profile.h"

void
sl_pipeline_burst(struct sl_worker *w, const struct sl_snapshot *s,
		  uint16_t rx_port, struct rte_mbuf **pkts, uint16_t n)
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
	w->profile_parts = 0;	/* any counted outside a burst's stages */
	n = sl_parse_burst(&w->stats, pc, in_port, pkts, n);
	if (n && bond != SL_BOND_NONE)
		n = sl_bond_rx_burst(w, s, rx_port, pkts, n);
	t = sl_profile_lap(w, SL_STAGE_PARSE, t);
	if (n)
		n = sl_ingress_burst(w, s, in_port, pkts, n);
	t = sl_profile_lap(w, SL_STAGE_INGRESS, t);
	if (n)
		n = sl_rules_burst(w, sl_dp_rules(w->dp), s, pkts, n);
	t = sl_profile_lap(w, SL_STAGE_RULES, t);
	if (n)
		n = sl_l2_burst(w, s, pkts, n);
	t = sl_profile_lap(w, SL_STAGE_L2, t);
	if (n)
		sl_egress_burst(w, s, pkts, n);
	sl_profile_lap(w, SL_STAGE_EGRESS, t);
}
