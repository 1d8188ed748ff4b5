/* SPDX-License-Identifier: BSD-3-Clause */
/* Private networks as the core sees them (feature.h): their commands, the
 * ARP and pings the datapath hands over for the transport PIFs' addresses,
 * the neighbours' timers, and the underlay's counters in stats. */
#include <rte_ether.h>

#include "ctl.h"
#include "feature.h"
#include "tunnel_feature.h"
#include "runtime.h"
#include "sl_meta.h"

static bool
tunnel_punt(struct sl_runtime *rt, struct rte_mbuf *m, uint64_t now_ms,
	    bool *changed)
{
	uint16_t type = sl_meta(m)->ether_type;

	if (type != RTE_ETHER_TYPE_ARP && type != RTE_ETHER_TYPE_IPV4)
		return false;
	*changed |= sl_underlay_punt(rt, m, now_ms);
	return true;
}

/* the tunnels' local endpoints: their ARP, pings and ICMP */
static void
tunnel_report(const struct sl_runtime *rt, const struct sl_worker_stats *sum,
	      json_t *stats)
{
	json_object_set_new(stats, "underlay",
		json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i}",
			  "arp-requests-sent", (json_int_t)rt->underlay.arp_requests_sent,
			  "arp-replies-sent", (json_int_t)rt->underlay.arp_replies_sent,
			  "arp-replies-received", (json_int_t)rt->underlay.arp_replies_received,
			  "pings-answered", (json_int_t)rt->underlay.pings_answered,
			  "neighbours-lost", (json_int_t)rt->underlay.neighbours_lost,
			  "not-sent", (json_int_t)rt->underlay.not_sent,
			  "not-answered", (json_int_t)rt->underlay.not_answered,
			  "icmp-frag-needed-sent", (json_int_t)sum->icmp_frag_needed,
			  "icmp-frag-needed-limited",
			  (json_int_t)sum->icmp_frag_needed_limited,
			  "neighbours", (int)rt->nb_neighbours));
}

const struct sl_feature sl_tunnel_feature = {
	.name = "tunnel",
	.handlers = sl_tunnel_handlers,
	.pif_key = "tunnel-access-PIF-of",
	.load_pif = sl_tunnel_load_pif,
	.save_pif = sl_tunnel_save_pif,
	.sync = sl_runtime_tunnels_sync,
	.fill_snapshot = sl_runtime_tunnels_fill,
	.published = sl_runtime_tunnels_released,
	.punt = tunnel_punt,
	.fast_tick = sl_underlay_tick,
	.report = tunnel_report,
};
