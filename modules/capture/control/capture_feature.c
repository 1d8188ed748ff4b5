/* SPDX-License-Identifier: BSD-3-Clause */
/* Packet capture as the core sees it (feature.h): its commands, the
 * writers reaped on the fast tick, a capture ended with the connection
 * that started it or with its port, all of them ended at exit. */
#include "capture.h"

extern const struct sl_command sl_capture_handlers[];

static int
capture_start(struct sl_runtime *rt, struct sl_err *err)
{
	(void)err;
	sl_captures(rt)->rt = rt;
	return 0;
}

static bool
capture_fast_tick(struct sl_runtime *rt, uint64_t now_ms)
{
	(void)now_ms;
	sl_capture_reap(rt);
	return false;
}

/* a sluicectl killed, or gone without capture-stop: its captures end */
static void
capture_peer_gone(struct sl_runtime *rt, uint64_t conn_id)
{
	struct sl_captures *cs = sl_captures(rt);

	for (unsigned int i = 0; cs && i < cs->n; i++)
		if (cs->v[i]->conn_id == conn_id)
			sl_capture_request_stop(cs->v[i], "client gone");
}

const struct sl_feature sl_capture_feature = {
	.name = "capture",
	.runtime_size = sizeof(struct sl_captures),
	.handlers = sl_capture_handlers,
	.start = capture_start,
	.stop = sl_capture_stop_all,
	.sync = sl_capture_port_check,
	.fast_tick = capture_fast_tick,
	.peer_gone = capture_peer_gone,
};
