/* SPDX-License-Identifier: BSD-3-Clause */
/* The core's counters as metric families, read from the stats object (the
 * one the control socket's stats answers, docs/json.md), so that the two
 * never disagree. Which key becomes which metric is in the tables below;
 * features add theirs through their metrics hook. */
#include <string.h>

#include "feature.h"
#include "metric.h"
#include "metrics.h"
#include "report.h"

/* A number of a stats object, and the metric it is. */
struct field {
	const char *key;
	const char *name;
	enum sl_metric_type type;
	const char *help;
};

#define C SL_METRIC_COUNTER
#define G SL_METRIC_GAUGE

/* a row of stats' ports, labelled bridge, port and kind */
static const struct field port_fields[] = {
	{ "rx-packets", "sluice_port_rx_packets_total", C, "Packets received by the port" },
	{ "rx-bytes", "sluice_port_rx_bytes_total", C, "Bytes received by the port" },
	{ "rx-dropped", "sluice_port_rx_dropped_packets_total", C,
	  "Packets received by the port and dropped by the switch (by reason: sluice_port_dropped_packets_total)" },
	{ "tx-packets", "sluice_port_tx_packets_total", C, "Packets sent by the port" },
	{ "tx-bytes", "sluice_port_tx_bytes_total", C, "Bytes sent by the port" },
	{ "tx-dropped", "sluice_port_tx_dropped_packets_total", C,
	  "Packets for the port that the switch dropped" },
	{ "rx-missed", "sluice_port_rx_missed_packets_total", C,
	  "Packets the device dropped: its receive ring was full" },
	{ "rx-errors", "sluice_port_rx_errors_total", C, "Receive errors the device counted" },
	{ "tx-errors", "sluice_port_tx_errors_total", C, "Transmit errors the device counted" },
	{ "rx-nombuf", "sluice_port_rx_nombuf_total", C,
	  "Receive buffer allocation failures the device counted" },
	{ "MTU", "sluice_port_mtu_bytes", G, "The port's MTU" },
	{ NULL, NULL, 0, NULL },
};

static const struct field fdb_fields[] = {
	{ "entries", "sluice_fdb_entries", G, "MAC addresses in the forwarding database" },
	{ "max-entries", "sluice_fdb_max_entries", G, "The forwarding database's capacity" },
	{ "aging-time-s", "sluice_fdb_aging_time_seconds", G, "How long a learned MAC stays unseen" },
	{ "learned", "sluice_fdb_learned_total", C, "(network, MAC) entries learned" },
	{ "moved", "sluice_fdb_moved_total", C, "MACs seen on another port than their entry's" },
	{ "aged", "sluice_fdb_aged_total", C, "Learned MACs forgotten after the aging time" },
	{ "full", "sluice_fdb_full_total", C, "MACs not learned: the forwarding database was full" },
	{ "static-conflict", "sluice_fdb_static_conflicts_total", C,
	  "A VIF's MAC seen on another port (not learned)" },
	{ NULL, NULL, 0, NULL },
};

static const struct field pool_fields[] = {
	{ "size", "sluice_mbuf_pool_size", G, "Packet buffers in the switch's pool" },
	{ "in-use", "sluice_mbuf_pool_in_use", G, "Packet buffers in queues, rings or in flight" },
	{ NULL, NULL, 0, NULL },
};

static const struct field worker_fields[] = {
	{ "loops", "sluice_worker_loops_total", C, "Polling loops of the worker" },
	{ NULL, NULL, 0, NULL },
};

static const struct field root_fields[] = {
	{ "uptime-s", "sluice_uptime_seconds", G, "Seconds since the datapath started" },
	{ "snapshot-version", "sluice_snapshot_version", G,
	  "Datapath configurations published since start" },
	{ "punt-unclaimed", "sluice_punt_unclaimed_total", C,
	  "Frames handed to the control thread that no feature took" },
	{ NULL, NULL, 0, NULL },
};

#undef C
#undef G

/* Each number of o that a field names, as a sample with labels (a copy
 * per sample; labels itself is the caller's). */
static void
add_fields(json_t *families, const struct field *f, json_t *o, json_t *labels)
{
	for (; f->key; f++) {
		json_t *v = json_object_get(o, f->key),
		       *s = sl_metric_family(families, f->name, f->type, f->help);

		if (!s || !json_is_number(v))
			continue;
		if (json_is_integer(v))
			sl_metric_add_u64(s, json_copy(labels),
					  (uint64_t)json_integer_value(v));
		else
			sl_metric_add_real(s, json_copy(labels), json_real_value(v));
	}
}

static void
add_ports(json_t *families, json_t *ports, json_t *unattached)
{
	json_t *p, *n, *up = sl_metric_family(families, "sluice_port_up",
		SL_METRIC_GAUGE, "1 if the port's link is up, else 0");
	json_t *dropped = sl_metric_family(families,
		"sluice_port_dropped_packets_total", SL_METRIC_COUNTER,
		"Packets the switch dropped, by the port they were charged to and reason (reasons with none are left out)");
	const char *reason;
	size_t i;

	json_array_foreach(ports, i, p) {
		json_t *labels = json_pack("{s:O?, s:O?, s:O?}",
			"bridge", json_object_get(p, "network"),
			"port", json_object_get(p, "device"),
			"kind", json_object_get(p, "kind"));

		add_fields(families, port_fields, p, labels);
		sl_metric_add_u64(up, json_copy(labels),
			strcmp(json_string_value(json_object_get(p, "link")) ?: "", "up") == 0);
		json_object_foreach(json_object_get(p, "drops"), reason, n) {
			json_t *l = json_copy(labels);

			json_object_set_new(l, "reason", json_string(reason));
			sl_metric_add_u64(dropped, l, (uint64_t)json_integer_value(n));
		}
		json_decref(labels);
	}
	sl_metric_add_u64(sl_metric_family(families, "sluice_ports_unattached",
		SL_METRIC_GAUGE, "PIFs and VIFs that should have a port and have none (stats' unattached)"),
		NULL, json_array_size(unattached));
}

static void
add_workers(json_t *families, json_t *workers, double hz)
{
	json_t *busy = sl_metric_family(families, "sluice_worker_busy_seconds_total",
		SL_METRIC_COUNTER, "Time the worker spent in loops that moved packets");
	json_t *idle = sl_metric_family(families, "sluice_worker_idle_seconds_total",
		SL_METRIC_COUNTER, "Time the worker spent polling empty queues");
	json_t *sleep = sl_metric_family(families, "sluice_worker_sleep_seconds_total",
		SL_METRIC_COUNTER, "Time the worker slept after finding its queues empty (--idle-sleep-max-us)");
	json_t *w;
	size_t i;

	json_array_foreach(workers, i, w) {
		json_t *labels = json_pack("{s:o, s:o}",
			"worker", json_sprintf("%" JSON_INTEGER_FORMAT,
				json_integer_value(json_object_get(w, "id"))),
			"lcore", json_sprintf("%" JSON_INTEGER_FORMAT,
				json_integer_value(json_object_get(w, "lcore"))));
		add_fields(families, worker_fields, w, labels);
		sl_metric_add_real(busy, json_copy(labels),
			(double)json_integer_value(json_object_get(w, "busy-cycles")) / hz);
		sl_metric_add_real(idle, json_copy(labels),
			(double)json_integer_value(json_object_get(w, "idle-cycles")) / hz);
		sl_metric_add_real(sleep, json_copy(labels),
			(double)json_integer_value(json_object_get(w, "sleep-cycles")) / hz);
		json_decref(labels);
	}
}

void
sl_metrics_from_stats(json_t *stats, json_t *families)
{
	json_t *dp = json_object_get(stats, "datapath"), *n, *dropped;
	double hz = (double)json_integer_value(json_object_get(dp, "tsc-hz"));
	const char *reason;

	sl_metric_add_u64(sl_metric_family(families, "sluice_build_info",
		SL_METRIC_GAUGE, "1, labelled with the version of sluiced"),
		json_pack("{s:s}", "version", SLUICE_VERSION), 1);
	add_fields(families, root_fields, stats, NULL);
	add_ports(families, json_object_get(stats, "ports"),
		  json_object_get(stats, "unattached"));
	dropped = sl_metric_family(families, "sluice_dropped_packets_total",
		SL_METRIC_COUNTER, "Packets the switch dropped, by reason (docs/reference/drop-reasons.md)");
	json_object_foreach(json_object_get(stats, "drops"), reason, n)
		sl_metric_add_u64(dropped, json_pack("{s:s}", "reason", reason),
				  (uint64_t)json_integer_value(n));
	add_fields(families, fdb_fields, json_object_get(stats, "fdb"), NULL);
	add_workers(families, json_object_get(stats, "workers"), hz > 0 ? hz : 1);
	add_fields(families, pool_fields, json_object_get(stats, "pool"), NULL);
}

json_t *
sl_metrics_collect(const struct sl_runtime *rt)
{
	json_t *families = json_object(), *stats = sl_report_stats(rt);
	static struct sl_worker_stats sum;	/* large: not on the stack */

	sl_metrics_from_stats(stats, families);
	json_decref(stats);
	sl_dp_stats_sum(rt->dp, &sum);
	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->metrics)
			(*f)->metrics(rt, &sum, families);
	return families;
}
