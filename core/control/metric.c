/* SPDX-License-Identifier: BSD-3-Clause */
#include "metric.h"

json_t *
sl_metric_family(json_t *families, const char *name, enum sl_metric_type type,
		 const char *help)
{
	json_t *f = json_object_get(families, name);

	if (!f) {
		f = json_pack("{s:s, s:s, s:[]}", "type",
			      type == SL_METRIC_COUNTER ? "counter" : "gauge",
			      "help", help, "samples");
		if (!f || json_object_set_new(families, name, f) < 0)
			return NULL;
	}
	return json_object_get(f, "samples");
}

static void
add(json_t *samples, json_t *labels, json_t *value)
{
	json_array_append_new(samples,
		json_pack("[o, o]", labels ? labels : json_object(), value));
}

void
sl_metric_add_u64(json_t *samples, json_t *labels, uint64_t value)
{
	/* a counter past 2^63 wraps in JSON's integers: a real then */
	add(samples, labels, value > INT64_MAX ? json_real((double)value) :
			     json_integer((json_int_t)value));
}

void
sl_metric_add_real(json_t *samples, json_t *labels, double value)
{
	add(samples, labels, json_real(value));
}
