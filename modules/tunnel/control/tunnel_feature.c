/* SPDX-License-Identifier: BSD-3-Clause */
/* Private networks as the core sees them (feature.h): their commands, the
 * ARP and pings the datapath hands over for the transport PIFs' addresses,
 * the neighbours' timers, and the underlay's counters in stats. */
#include <rte_ether.h>

#include "tunnel_model.h"
#include "ctl.h"
#include "feature.h"
#include "tunnel_feature.h"
#include "tunnel_runtime.h"
#include "sl_meta.h"

static bool
tunnel_punt(struct sl_runtime *rt, struct rte_mbuf *m, uint64_t now_ms,
	    bool *changed)
{
	uint16_t type = sl_meta(m)->ether_type;

	/* its endpoints' frames come untagged (ingress popped the tag); a
	 * tagged one is another feature's (a VLAN to discover) */
	if ((type != RTE_ETHER_TYPE_ARP && type != RTE_ETHER_TYPE_IPV4) ||
	    sl_meta(m)->nb_vlans)
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
			  "arp-requests-sent", (json_int_t)sl_tunnel_rt(rt)->underlay.arp_requests_sent,
			  "arp-replies-sent", (json_int_t)sl_tunnel_rt(rt)->underlay.arp_replies_sent,
			  "arp-replies-received", (json_int_t)sl_tunnel_rt(rt)->underlay.arp_replies_received,
			  "pings-answered", (json_int_t)sl_tunnel_rt(rt)->underlay.pings_answered,
			  "neighbours-lost", (json_int_t)sl_tunnel_rt(rt)->underlay.neighbours_lost,
			  "not-sent", (json_int_t)sl_tunnel_rt(rt)->underlay.not_sent,
			  "not-answered", (json_int_t)sl_tunnel_rt(rt)->underlay.not_answered,
			  "icmp-frag-needed-sent", (json_int_t)sum->icmp_frag_needed,
			  "icmp-frag-needed-limited",
			  (json_int_t)sum->icmp_frag_needed_limited,
			  "neighbours", (int)sl_tunnel_rt(rt)->nb_neighbours));
}

/* a network's static-routes (toward the remotes), a PIF's
 * static-neighbours (next hops that answer no ARP) */
static int
tunnel_check_other_config(enum sl_object_kind kind, json_t *oc,
			  struct sl_err *err)
{
	if (kind == SL_OBJ_NETWORK)
		return sl_check_static_routes(oc, err);
	if (kind == SL_OBJ_PIF)
		return sl_check_static_neighbours(oc, err);
	return 0;
}

/* A PIF's fixed neighbours changed: a tunnel's next hop may change. (A
 * network's routes are applied by network-param-set itself.) */
static bool
tunnel_other_config_changed(enum sl_object_kind kind, json_t *before,
			    json_t *after)
{
	json_t *a = json_object_get(before, "static-neighbours");
	json_t *b = json_object_get(after, "static-neighbours");

	return kind == SL_OBJ_PIF && (a || b) && !json_equal(a, b);
}

/* reset-networking: every tunnel, each with its access PIF (before the
 * transport PIFs go) */
static unsigned int
tunnel_reset_networking(struct sl_runtime *rt, json_t *result)
{
	struct sl_tunnel *t;
	unsigned int n = 0;

	while ((t = TAILQ_FIRST(sl_tunnels(rt->model)))) {
		sl_model_tunnel_remove(rt->model, t);
		n++;
	}
	if (n)
		sl_runtime_apply(rt);
	json_object_set_new(result, "tunnels-removed", json_integer(n));
	return n;
}

/* a remote host's port: its address */
static bool
tunnel_port_name(const struct sl_runtime *rt, uint16_t port, char *buf,
		 size_t len)
{
	const struct sl_vtep_rt *v;

	if (!sl_port_is_vtep(port))
		return false;
	v = &sl_tunnel_rt(rt)->vteps[port - SL_VTEP_PORT(0)];
	if (!v->used || len < SL_IPV4_STR_LEN)
		return false;
	sl_ipv4_format(buf, v->remote);
	return true;
}

const struct sl_feature sl_tunnel_feature = {
	.name = "tunnel",
	.model_part = &sl_tunnel_model_part,
	.handlers = sl_tunnel_handlers,
	.runtime_size = sizeof(struct sl_tunnel_rt),
	.pif_key = "tunnel-access-PIF-of",
	.load_pif = sl_tunnel_load_pif,
	.save_pif = sl_tunnel_save_pif,
	.pif_fields = sl_tunnel_pif_fields,
	.pif_record = sl_tunnel_pif_record,
	.refuse_pif = sl_tunnel_refuse_pif,
	.sync = sl_runtime_tunnels_sync,
	.fill_snapshot = sl_runtime_tunnels_fill,
	.published = sl_runtime_tunnels_released,
	.check_other_config = tunnel_check_other_config,
	.other_config_changed = tunnel_other_config_changed,
	.port_name = tunnel_port_name,
	.reset_networking = tunnel_reset_networking,
	.punt = tunnel_punt,
	.fast_tick = sl_underlay_tick,
	.report = tunnel_report,
};
