/* SPDX-License-Identifier: BSD-3-Clause */
/* One printer of stats for sluicectl and sluiced: the columns and lines
 * are named as the keys of the JSON (docs/json.md). */
#include <inttypes.h>
#include <stdbool.h>

#include "sl_stats_text.h"

uint64_t
sl_rec_u64(json_t *o, const char *key)
{
	return (uint64_t)json_integer_value(json_object_get(o, key));
}

const char *
sl_rec_str(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}


/* short names: the printers below read many fields */
static uint64_t
u(json_t *o, const char *key)
{
	return sl_rec_u64(o, key);
}

static const char *
s(json_t *o, const char *key)
{
	return sl_rec_str(o, key);
}

static double
r(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* " name=N" for each non-zero count of o; false if none */
static bool
print_counts(FILE *f, json_t *o)
{
	const char *key;
	json_t *v;
	bool any = false;

	json_object_foreach(o, key, v) {
		if (!json_integer_value(v))
			continue;
		fprintf(f, " %s=%" JSON_INTEGER_FORMAT, key, json_integer_value(v));
		any = true;
	}
	return any;
}

static void
print_ports(FILE *f, json_t *st)
{
	json_t *p;
	size_t i;

	fprintf(f, "%-12s %-6s %-8s %-10s %-4s %5s %12s %14s %10s %12s %14s %10s\n",
		"device", "", "network", "kind", "link", "MTU", "rx-packets",
		"rx-bytes", "rx-dropped", "tx-packets", "tx-bytes", "tx-dropped");
	json_array_foreach(json_object_get(st, "ports"), i, p)
		fprintf(f, "%-12s %-6s %-8s %-10s %-4s %5" PRIu64 " %12" PRIu64
			" %14" PRIu64 " %10" PRIu64 " %12" PRIu64 " %14" PRIu64
			" %10" PRIu64 "\n",
			s(p, "device"), s(p, "class"), s(p, "network"), s(p, "kind"),
			s(p, "link"), u(p, "MTU"), u(p, "rx-packets"), u(p, "rx-bytes"),
			u(p, "rx-dropped"), u(p, "tx-packets"), u(p, "tx-bytes"),
			u(p, "tx-dropped"));
	json_array_foreach(json_object_get(st, "unattached"), i, p)
		fprintf(f, "%-12s %-6s %-8s not attached: %s\n", s(p, "device"),
			s(p, "class"), s(p, "network"), s(p, "error"));
}

static void
print_drops(FILE *f, json_t *st)
{
	json_t *p;
	size_t i;

	fprintf(f, "\ndrops:");
	if (!print_counts(f, json_object_get(st, "drops")))
		fprintf(f, " none");
	fprintf(f, "\n");
	/* where: a line per port that has any */
	json_array_foreach(json_object_get(st, "ports"), i, p) {
		if (!json_object_size(json_object_get(p, "drops")))
			continue;
		fprintf(f, "  %s:", s(p, "device"));
		print_counts(f, json_object_get(p, "drops"));
		fprintf(f, "\n");
	}
}

/* a worker, its last 1/10/60 s, and the queues it polls with their share
 * of its busy time (as OVS's pmd-rxq-show) */
static void
print_worker(FILE *f, json_t *w)
{
	static const char *const windows[] = { "last-second", "last-ten-seconds",
					       "last-minute" };
	json_t *q;
	size_t i;

	fprintf(f, "worker %" PRIu64 " (lcore %" PRIu64 "): busy %.1f%%, %" PRIu64
		" packets since start", u(w, "id"), u(w, "lcore"), r(w, "busy-pct"),
		u(w, "packets"));
	if (r(w, "slept-s") > 0)
		fprintf(f, ", asleep %.1f%% (%.1f s)", r(w, "sleep-pct"),
			r(w, "slept-s"));
	for (i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
		json_t *x = json_object_get(w, windows[i]);

		if (x)
			fprintf(f, "; %s busy %.1f%%, %" PRIu64 " packets",
				windows[i], r(x, "busy-pct"), u(x, "packets"));
	}
	fprintf(f, "\n");
	json_array_foreach(json_object_get(w, "rx-queues"), i, q)
		fprintf(f, "  rx %s queue %" PRIu64 ": %.1f%% of its busy time (last minute)\n",
			s(q, "port"), u(q, "queue"), r(q, "busy-pct-last-minute"));
}

void
sl_stats_print(FILE *f, json_t *st)
{
	json_t *fdb = json_object_get(st, "fdb"), *dp = json_object_get(st, "datapath"),
	       *rules = json_object_get(st, "rules"), *mb = json_object_get(st, "mbufs"),
	       *stages = json_object_get(st, "stages"), *p;
	const char *name;
	size_t i;

	print_ports(f, st);
	print_drops(f, st);
	fprintf(f, "fdb: %" PRIu64 "/%" PRIu64 " entries, aging %" PRIu64
		" s; learned %" PRIu64 ", moved %" PRIu64 ", aged %" PRIu64
		", full %" PRIu64 ", static conflicts %" PRIu64 "\n",
		u(fdb, "entries"), u(fdb, "max-entries"), u(fdb, "aging-time-s"),
		u(fdb, "learned"), u(fdb, "moved"), u(fdb, "aged"), u(fdb, "full"),
		u(fdb, "static-conflict"));
	if (rules)
		fprintf(f, "rules: %" PRIu64 "/%" PRIu64 ", rule-set version %" PRIu64
			", last update %" PRIu64 " us\n", u(rules, "count"),
			u(rules, "max"), u(rules, "version"), u(rules, "last-update-us"));
	json_array_foreach(json_object_get(st, "workers"), i, p)
		print_worker(f, p);
	fprintf(f, "datapath: %" PRIu64 " packets in %.3f s of busy worker time:"
		" %.2f Mpps, %.0f cycles/packet\n", u(dp, "packets"), r(dp, "busy-s"),
		r(dp, "mpps-busy"), r(dp, "cycles-per-packet"));
	if (stages) {
		fprintf(f, "cycles/packet by stage:");
		json_object_foreach(stages, name, p)
			fprintf(f, " %s %.1f", name, r(p, "cycles-per-packet"));
		fprintf(f, "\n");
	}
	/* all-returned: at exit, once every port is closed */
	if (mb)
		fprintf(f, "mbufs: %" PRIu64 " of %" PRIu64 " in the pool%s\n",
			u(mb, "available"), u(mb, "pool-size"),
			json_is_false(json_object_get(mb, "all-returned")) ? " -- LEAK" : "");
}
