/* SPDX-License-Identifier: BSD-3-Clause */
/* A capture as capture-list and capture-show print it. */
#include "capture.h"

const char *const sl_capture_fields[] = {
	"id", "port", "direction", "filter", "count", "duration", "snaplen",
	"seen", "filtered", "copied", "packets", "dropped", "state", "reason",
	"age-s", NULL,
};

static const char *const state_names[] = {
	[SL_CAPTURE_RUNNING] = "running",
	[SL_CAPTURE_STOPPING] = "stopping",
	[SL_CAPTURE_DONE] = "done",
};

json_t *
sl_capture_record(const struct sl_capture *c)
{
	struct sl_capture_counters sum;

	sl_capture_sum(c, &sum);
	/* packets: frames in the file; dropped: copies lost (the traffic
	 * never is) */
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:s, s:I}",
		"id", (json_int_t)c->id, "port", c->device,
		"direction", c->rx && c->tx ? "both" : c->rx ? "in" : "out",
		"filter", c->filter, "count", (json_int_t)c->count,
		"duration", (json_int_t)c->duration_s,
		"snaplen", (json_int_t)c->snaplen,
		"seen", (json_int_t)sum.seen, "filtered", (json_int_t)sum.filtered,
		"copied", (json_int_t)sum.copied,
		"packets", (json_int_t)__atomic_load_n(&c->written, __ATOMIC_RELAXED),
		"dropped", (json_int_t)sum.dropped,
		"state", state_names[c->state],
		"reason", c->state == SL_CAPTURE_DONE ? c->reason : "",
		"age-s", (json_int_t)((sl_runtime_now_ms() - c->start_ms) / 1000));
}
