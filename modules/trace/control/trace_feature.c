/* SPDX-License-Identifier: BSD-3-Clause */
/* Packet trace as the core sees it (feature.h): its commands, and the
 * ring a trace's private worker hands frames over on (it must not reach
 * the control thread's real one: a made-up LACPDU would move a bond). */
#include <rte_ring.h>

#include "ctl.h"
#include "trace_ctl.h"

extern const struct sl_command sl_trace_handlers[];

/* more than a frame's stages can hand over */
#define TRACE_PUNT_RING 64

static int
trace_start(struct sl_runtime *rt, struct sl_err *err)
{
	struct sl_trace_rt *t = sl_trace_rt(rt);

	t->punt = rte_ring_create("sl_trace_punt", TRACE_PUNT_RING,
				  SOCKET_ID_ANY, 0);
	if (!t->punt)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "trace: cannot make its ring: %s",
				  rte_strerror(rte_errno));
	return 0;
}

static void
trace_stop(struct sl_runtime *rt)
{
	struct sl_trace_rt *t = sl_trace_rt(rt);

	if (!t)
		return;
	sl_trace_live_fini(rt);
	rte_ring_free(t->punt);
}

static bool
trace_fast_tick(struct sl_runtime *rt, uint64_t now_ms)
{
	(void)now_ms;
	sl_trace_live_tick(rt);
	return false;
}

const struct sl_feature sl_trace_feature = {
	.name = "trace",
	.runtime_size = sizeof(struct sl_trace_rt),
	.handlers = sl_trace_handlers,
	.start = trace_start,
	.stop = trace_stop,
	.sync = sl_trace_live_port_check,
	.fast_tick = trace_fast_tick,
	.peer_gone = sl_trace_live_peer_gone,
};
