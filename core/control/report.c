/* SPDX-License-Identifier: BSD-3-Clause */
/* Counters as one JSON object (for the stats file, later the socket and
 * telemetry) and the same object printed for people. */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include <rte_cycles.h>

#include "report.h"
#include "worker_load.h"

json_t *
sl_report_with_counters(json_t *o, const struct sl_port_counters *c)
{
	json_object_update_new(o, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}",
		"rx-packets", (json_int_t)c->rx_packets,
		"rx-bytes", (json_int_t)c->rx_bytes,
		"rx-dropped", (json_int_t)c->rx_dropped,
		"tx-packets", (json_int_t)c->tx_packets,
		"tx-bytes", (json_int_t)c->tx_bytes,
		"tx-dropped", (json_int_t)c->tx_dropped));
	return o;
}

json_t *
sl_report_port_drops(const struct sl_runtime *rt,
		     const struct sl_worker_stats *sum, uint16_t pid)
{
	json_t *o = json_object();

	for (int r = 0; r < SL_DROP__COUNT; r++) {
		uint64_t n = sl_runtime_port_drops(rt, sum, pid, r);

		if (n)
			json_object_set_new(o, sl_drop_name(r),
					    json_integer((json_int_t)n));
	}
	return o;
}

static json_t *
port_json(const struct sl_runtime *rt, const struct sl_worker_stats *sum,
	  const struct sl_endpoint *ep)
{
	const struct sl_port *port = &rt->ports[ep->port_id];
	struct sl_port_counters c;
	struct sl_port_hw_stats hw;
	char mac[SL_MAC_STR_LEN], rx_off[256], tx_off[256];
	json_t *o;

	sl_runtime_port_counters(rt, sum, ep->port_id, &c);
	sl_port_offload_names(port->rx_offloads, true, rx_off, sizeof(rx_off));
	sl_port_offload_names(port->tx_offloads, false, tx_off, sizeof(tx_off));
	sl_port_hw_stats_get(port, &hw);
	sl_mac_format(mac, &ep->mac);
	o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:i, s:i, s:i,"
			 " s:I, s:I, s:I, s:I}",
			 "device", ep->device, "class", ep->is_vif ? "VIF" : "PIF",
			 "uuid", ep->uuid, "network", ep->network->bridge,
			 "port-id", ep->port_id,
			 "kind", sl_port_kind_name(port->kind),
			 "MAC", mac,
			 "link", sl_port_link_up(port) ? "up" : "down",
			 "MTU", ep->mtu,
			 "rx-queues", port->nb_rxq, "tx-queues", port->nb_txq,
			 "rx-missed", (json_int_t)hw.imissed,
			 "rx-errors", (json_int_t)hw.ierrors,
			 "tx-errors", (json_int_t)hw.oerrors,
			 "rx-nombuf", (json_int_t)hw.rx_nombuf);
	json_object_set_new(o, "rx-offloads", json_string(rx_off));
	json_object_set_new(o, "tx-offloads", json_string(tx_off));
	return sl_report_with_counters(o, &c);
}

static json_t *
unattached_json(const struct sl_endpoint *ep)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "device", ep->device,
			 "class", ep->is_vif ? "VIF" : "PIF", "uuid", ep->uuid,
			 "network", ep->network ? ep->network->bridge : "",
			 "error", ep->error[0] ? ep->error : "unplugged");
}

static void
add_endpoint(json_t *ports, json_t *down, const struct sl_runtime *rt,
	     const struct sl_worker_stats *sum, const struct sl_endpoint *ep)
{
	const struct sl_pif *p = ep->is_vif ? NULL : SL_PIF_OF(ep);
	json_t *row = NULL;

	/* a feature's PIF (a bond's) has a row of the feature's making */
	if (p && ep->port_id != SL_PORT_NONE)
		SL_FEATURE_FOREACH(f, rt->features)
			if ((*f)->port_row && (row = (*f)->port_row(rt, sum, ep)))
				break;
	if (!row && ep->port_id != SL_PORT_NONE)
		row = port_json(rt, sum, ep);
	if (row) {
		json_object_set_new(row, "drops",
				    sl_report_port_drops(rt, sum, ep->port_id));
		json_array_append_new(ports, row);
	} else {
		json_array_append_new(down, unattached_json(ep));
	}
}

json_t *
sl_report_stats(const struct sl_runtime *rt)
{
	/* none yet when start-up failed before the first apply */
	const struct sl_snapshot *snap = sl_dp_snapshot(rt->dp);
	struct sl_worker_stats sum;
	json_t *root, *ports = json_array(), *down = json_array(),
	       *drops = json_object(), *workers = json_array();
	const struct sl_pif *pif;
	const struct sl_vif *vif;
	uint64_t hz = rte_get_tsc_hz(), busy = 0, pkts = 0;

	sl_dp_stats_sum(rt->dp, &sum);
	/* a VLAN's PIF rides on another port: its traffic is in that row */
	TAILQ_FOREACH(pif, &rt->model->pifs, next)
		if (!sl_endpoint_has_no_port(&pif->ep) &&
		    (sl_pif_owns_port(pif) || pif->ep.port_id == SL_PORT_NONE))
			add_endpoint(ports, down, rt, &sum, &pif->ep);
	/* a VF's traffic never enters sluice: it has no row */
	TAILQ_FOREACH(vif, &rt->model->vifs, next)
		if (!sl_endpoint_has_no_port(&vif->ep))
			add_endpoint(ports, down, rt, &sum, &vif->ep);
	for (int r = 0; r < SL_DROP__COUNT; r++)
		json_object_set_new(drops, sl_drop_name(r),
				    json_integer((json_int_t)sum.drops[r]));
	for (uint16_t i = 0; i < rt->nb_workers; i++) {
		const struct sl_worker_stats *w = &rt->dp->workers[i].stats;
		uint64_t b = w->busy_cycles, idle = w->idle_cycles,
			 slept = w->sleep_cycles, all = b + idle + slept;
		uint64_t packets = 0;
		json_t *o;

		for (uint16_t p = 0; p < SL_MAX_PORTS; p++)
			packets += w->port[p].rx_packets;
		/* sleeping is neither busy nor polling: its own share */
		o = json_pack("{s:i, s:i, s:I, s:I, s:I, s:f, s:I, s:f, s:f, s:I}",
			      "id", i, "lcore", rt->worker_lcore[i],
			      "busy-cycles", (json_int_t)b,
			      "idle-cycles", (json_int_t)idle,
			      "sleep-cycles", (json_int_t)slept,
			      "slept-s", (double)slept / (double)hz,
			      "loops", (json_int_t)w->loops,
			      "busy-pct", all ? 100.0 * (double)b / (double)all : 0.0,
			      "sleep-pct", all ? 100.0 * (double)slept / (double)all : 0.0,
			      "packets", (json_int_t)packets);
		sl_worker_load_report(rt, i, o);
		json_array_append_new(workers, o);
		busy += b;
	}
	/* the wire's packets: a decapsulated frame is counted again on its
	 * remote's port */
	for (uint16_t p = 0; p < SL_MAX_PORTS; p++)
		pkts += sum.port[p].rx_packets;
	root = json_pack("{s:f, s:I, s:o, s:o, s:o, s:o, s:o}",
			 "uptime-s",
			 (double)(rte_get_tsc_cycles() - rt->start_tsc) / (double)hz,
			 "snapshot-version",
			 (json_int_t)(snap ? snap->version : 0),
			 "ports", ports, "unattached", down, "drops", drops,
			 "fdb",
			 json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
				   "entries", (json_int_t)sl_fdb_count(rt->dp->fdb),
				   "max-entries", (json_int_t)rt->dp->fdb->max_entries,
				   "aging-time-s", (json_int_t)rt->dp->fdb->aging_s,
				   "learned", (json_int_t)sum.fdb.learned,
				   "moved", (json_int_t)sum.fdb.moved,
				   "full", (json_int_t)sum.fdb.full,
				   "static-conflict", (json_int_t)sum.fdb.static_conflict,
				   "aged", (json_int_t)rt->fdb_aged),
			 "workers", workers);
	/* where the busy time goes, when the workers are profiling */
	if (rt->dp->workers[0].profile) {
		json_t *stages = json_object();

		for (int st = 0; st < SL_STAGE__COUNT; st++)
			json_object_set_new(stages, sl_stage_name(st),
				json_pack("{s:I, s:f}", "cycles",
					  (json_int_t)sum.stage_cycles[st],
					  "cycles-per-packet",
					  pkts ? (double)sum.stage_cycles[st] / (double)pkts : 0.0));
		json_object_set_new(root, "stages", stages);
	}
	/* each feature's part (the tunnels' underlay, the rules, ...) */
	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->report)
			(*f)->report(rt, &sum, root);
	json_object_set_new(root, "punt-unclaimed",
			    json_integer((json_int_t)rt->punt_unclaimed));
	/* buffers in flight: in queues, in PMD rings, or leaking */
	json_object_set_new(root, "pool",
		json_pack("{s:I, s:I}", "size", (json_int_t)rt->pool->size,
			  "in-use", (json_int_t)rte_mempool_in_use_count(rt->pool)));
	/* Packets per second of busy worker time: the datapath's own rate,
	 * not diluted by idle time between bursts of a trace. */
	json_object_set_new(root, "datapath",
		json_pack("{s:I, s:f, s:f, s:f, s:I}", "packets", (json_int_t)pkts,
			  "busy-s", (double)busy / (double)hz,
			  "mpps-busy", busy ? (double)pkts * (double)hz / (double)busy / 1e6 : 0.0,
			  "cycles-per-packet", pkts ? (double)busy / (double)pkts : 0.0,
			  "tsc-hz", (json_int_t)hz));
	return root;
}

json_t *
sl_report_telemetry_keys(json_t *v)
{
	json_t *out, *x;
	const char *key;
	size_t i;

	if (json_is_array(v)) {
		out = json_array();
		json_array_foreach(v, i, x)
			json_array_append_new(out, sl_report_telemetry_keys(x));
		return out;
	}
	if (!json_is_object(v))
		return json_incref(v);
	out = json_object();
	json_object_foreach(v, key, x) {
		char name[128];

		snprintf(name, sizeof(name), "%s", key);
		for (char *c = name; *c; c++)
			if (*c == '-')
				*c = '_';
		json_object_set_new(out, name, sl_report_telemetry_keys(x));
	}
	return out;
}
