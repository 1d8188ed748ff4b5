/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdbool.h>
#include <string.h>

#include "stats_mark.h"

/* Keys whose values are not counts of events since start: kept. */
static const char *const kept[] = {
	"uptime-s", "snapshot-version", "port-id", "MTU", "rx-queues",
	"tx-queues", "entries", "max-entries", "aging-time-s", "id", "lcore",
	"neighbours", "count", "max", "version", "last-update-us",
	"classifier-bytes", "size", "in-use", "tsc-hz", "pool-size",
	"available", "last-second", "last-ten-seconds", "last-minute",
	"unattached",
	/* derived: computed again below */
	"busy-pct", "sleep-pct", "mpps-busy", "cycles-per-packet",
};

static bool
is_kept(const char *key)
{
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (strcmp(key, kept[i]) == 0)
			return true;
	return false;
}

static void since(json_t *v, json_t *mark);

/* The element of mark's array that is e's: the same device and class (a
 * port row), or the same id (a worker). */
static json_t *
partner(json_t *marks, json_t *e)
{
	json_t *m;
	size_t i;

	json_array_foreach(marks, i, m) {
		if (json_object_get(e, "device")) {
			if (json_equal(json_object_get(e, "device"), json_object_get(m, "device")) &&
			    json_equal(json_object_get(e, "class"), json_object_get(m, "class")))
				return m;
		} else if (json_object_get(e, "id") &&
			   json_equal(json_object_get(e, "id"), json_object_get(m, "id"))) {
			return m;
		}
	}
	return NULL;
}

static void
since_object(json_t *o, json_t *mark)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v) {
		json_t *m = json_object_get(mark, key);

		if (!m || is_kept(key))
			continue;
		if (json_is_integer(v) && json_is_integer(m)) {
			json_int_t a = json_integer_value(v), b = json_integer_value(m);

			if (a >= b)
				json_integer_set(v, a - b);
		} else if (json_is_real(v) && json_is_real(m)) {
			double a = json_real_value(v), b = json_real_value(m);

			if (a >= b)
				json_real_set(v, a - b);
		} else {
			since(v, m);
		}
	}
}

static void
since(json_t *v, json_t *mark)
{
	json_t *e;
	size_t i;

	if (json_is_object(v) && json_is_object(mark)) {
		since_object(v, mark);
	} else if (json_is_array(v) && json_is_array(mark)) {
		json_array_foreach(v, i, e) {
			json_t *m = partner(mark, e);

			if (m)
				since(e, m);
		}
	}
}

static double
num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* the shares and rates, of the differences */
static void
derive(json_t *stats)
{
	json_t *dp = json_object_get(stats, "datapath"), *w, *stage;
	double pkts = num(dp, "packets"), hz = num(dp, "tsc-hz"), busy = 0;
	const char *name;
	size_t i;

	json_array_foreach(json_object_get(stats, "workers"), i, w) {
		double b = num(w, "busy-cycles"), slept = num(w, "sleep-cycles"),
		       all = b + num(w, "idle-cycles") + slept;

		json_object_set_new(w, "busy-pct", json_real(all > 0 ? 100 * b / all : 0));
		json_object_set_new(w, "sleep-pct", json_real(all > 0 ? 100 * slept / all : 0));
		busy += b;
	}
	json_object_set_new(dp, "mpps-busy", json_real(busy > 0 ? pkts * hz / busy / 1e6 : 0));
	json_object_set_new(dp, "cycles-per-packet", json_real(pkts > 0 ? busy / pkts : 0));
	json_object_foreach(json_object_get(stats, "stages"), name, stage)
		json_object_set_new(stage, "cycles-per-packet",
				    json_real(pkts > 0 ? num(stage, "cycles") / pkts : 0));
}

json_t *
sl_stats_since(json_t *stats, json_t *mark)
{
	if (!mark)
		return stats;
	since(stats, mark);
	derive(stats);
	json_object_set_new(stats, "since-clear-s",
			    json_real(num(stats, "uptime-s") - num(mark, "uptime-s")));
	return stats;
}
