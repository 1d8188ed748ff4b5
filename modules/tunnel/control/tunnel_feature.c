/* SPDX-License-Identifier: BSD-3-Clause */
/* Private networks as the core sees them (feature.h): their commands, the
 * ARP and pings the datapath hands over for the transport PIFs' addresses,
 * the neighbours' timers, and the underlay's counters in stats. */
#include <string.h>

#include <rte_ether.h>

#include "tunnel_model.h"
#include "ctl.h"
#include "feature.h"
#include "tunnel_feature.h"
#include "tunnel_runtime.h"
#include "metric.h"
#include "report.h"
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

/* The underlay's counters: stats' key, the metric, what it counts. */
static const struct {
	const char *key, *metric, *help;
} underlay_counters[] = {
	{ "arp-requests-sent", "sluice_underlay_arp_requests_sent_total",
	  "ARP requests sent for tunnels' next hops" },
	{ "arp-replies-sent", "sluice_underlay_arp_replies_sent_total",
	  "ARP replies sent for transport PIFs' addresses" },
	{ "arp-replies-received", "sluice_underlay_arp_replies_received_total",
	  "ARP replies received from next hops" },
	{ "pings-answered", "sluice_underlay_pings_answered_total",
	  "Pings to transport PIFs' addresses answered" },
	{ "neighbours-lost", "sluice_underlay_neighbours_lost_total",
	  "Next hops that stopped answering ARP" },
	{ "not-sent", "sluice_underlay_not_sent_total",
	  "ARP or ICMP frames the underlay could not send" },
	{ "not-answered", "sluice_underlay_not_answered_total",
	  "Frames handed over that were no longer a transport PIF's, or unreadable" },
	{ "icmp-frag-needed-sent", "sluice_underlay_icmp_frag_needed_sent_total",
	  "ICMP fragmentation-needed sent for frames too long to tunnel" },
	{ "icmp-frag-needed-limited", "sluice_underlay_icmp_frag_needed_limited_total",
	  "ICMP fragmentation-needed not sent: over the rate limit" },
};
#define NB_UNDERLAY_COUNTERS RTE_DIM(underlay_counters)

/* their values, in the table's order */
static void
underlay_values(const struct sl_runtime *rt, const struct sl_worker_stats *sum,
		uint64_t v[NB_UNDERLAY_COUNTERS])
{
	const struct sl_underlay_counters *u = &sl_tunnel_rt(rt)->underlay;
	const uint64_t values[] = {
		u->arp_requests_sent, u->arp_replies_sent, u->arp_replies_received,
		u->pings_answered, u->neighbours_lost, u->not_sent,
		u->not_answered, sum->icmp_frag_needed,
		sum->icmp_frag_needed_limited,
	};

	RTE_BUILD_BUG_ON(RTE_DIM(values) != NB_UNDERLAY_COUNTERS);
	memcpy(v, values, sizeof(values));
}

/* A remote's row of stats' ports: the encapsulated traffic to and from
 * one peer host, on the network of the transport PIF it leaves from. */
static json_t *
remote_row(const struct sl_runtime *rt, const struct sl_worker_stats *sum,
	   uint16_t port, const struct sl_vtep_rt *v)
{
	const struct sl_endpoint *tp = &v->transport->ep;
	struct sl_port_counters c;
	char remote[SL_IPV4_STR_LEN];
	json_t *row;

	sl_ipv4_format(remote, v->remote);
	sl_runtime_port_counters(rt, sum, port, &c);
	row = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:i}",
			"device", remote, "class", "remote", "uuid", "",
			"network", tp->network ? tp->network->bridge : "",
			"port-id", port,
			"kind", sl_tunnel_protocol_name(v->protocol),
			"link", v->hop.via != SL_VIA_NONE ? "up" : "down",
			"MTU", tp->mtu);
	json_object_set_new(row, "drops", sl_report_port_drops(rt, sum, port));
	return sl_report_with_counters(row, &c);
}

/* the tunnels' local endpoints: their ARP, pings and ICMP; each remote's
 * port among stats' ports, so that the ports' drops add up */
static void
tunnel_report(const struct sl_runtime *rt, const struct sl_worker_stats *sum,
	      json_t *stats)
{
	const struct sl_tunnel_rt *trt = sl_tunnel_rt(rt);
	uint64_t v[NB_UNDERLAY_COUNTERS];
	json_t *underlay = json_object();

	for (uint16_t i = 0; i < SL_MAX_VTEPS; i++)
		if (trt->vteps[i].used)
			json_array_append_new(json_object_get(stats, "ports"),
				remote_row(rt, sum, SL_VTEP_PORT(i), &trt->vteps[i]));
	underlay_values(rt, sum, v);
	for (size_t i = 0; i < NB_UNDERLAY_COUNTERS; i++)
		json_object_set_new(underlay, underlay_counters[i].key,
				    json_integer((json_int_t)v[i]));
	json_object_set_new(underlay, "neighbours",
			    json_integer((json_int_t)trt->nb_neighbours));
	json_object_set_new(stats, "underlay", underlay);
}

/* the same as metrics (the remotes' ports are among the ports, as in
 * stats) */
static void
tunnel_metrics(const struct sl_runtime *rt, const struct sl_worker_stats *sum,
	       json_t *families)
{
	uint64_t v[NB_UNDERLAY_COUNTERS];

	underlay_values(rt, sum, v);
	for (size_t i = 0; i < NB_UNDERLAY_COUNTERS; i++)
		sl_metric_add_u64(sl_metric_family(families,
						   underlay_counters[i].metric,
						   SL_METRIC_COUNTER,
						   underlay_counters[i].help),
				  NULL, v[i]);
	sl_metric_add_u64(sl_metric_family(families, "sluice_underlay_neighbours",
		SL_METRIC_GAUGE, "Next hops the underlay knows"),
		NULL, sl_tunnel_rt(rt)->nb_neighbours);
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
	.metrics = tunnel_metrics,
};
