/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace-live in the control plane: one live trace at a time. It is made
 * (records, filter compiled by libpcap and rte_bpf as a capture's) and
 * published to the workers; it ends when its records are all filled
 * (seen on the fast tick), on trace-live-stop, when the client that
 * started it goes, or when its port is detached, and is then withdrawn
 * (RCU). Its records stay for trace-live-show until the next one starts.
 */
#include <string.h>

#include <rte_malloc.h>

#include "capture.h"
#include "log.h"
#include "trace_ctl.h"

static const char *const state_names[] = {
	[SL_TRACE_LIVE_WAITING] = "waiting",
	[SL_TRACE_LIVE_DONE] = "done",
};

static void
session_free(struct sl_trace_session *t)
{
	if (!t)
		return;
	sl_capture_filter_free(&t->compiled);
	rte_free(t->live.recs);
	free(t);
}

/* Withdraw the session from the workers: its records are theirs no more. */
static void
session_end(struct sl_runtime *rt, struct sl_trace_session *t,
	    const char *reason)
{
	if (t->state != SL_TRACE_LIVE_WAITING)
		return;
	sl_dp_publish_trace(rt->dp, NULL);
	t->state = SL_TRACE_LIVE_DONE;
	snprintf(t->reason, sizeof(t->reason), "%s", reason);
	SL_LOG(INFO, "trace-live %u on %s ended: %s\n", t->id, t->device,
	       reason);
}

int
sl_trace_live_start(struct sl_runtime *rt, const char *device, uint32_t count,
		    const char *filter, uint64_t conn_id, struct sl_err *err)
{
	struct sl_trace_rt *trt = sl_trace_rt(rt);
	struct sl_trace_session *t;
	int port;

	if (trt->session && trt->session->state == SL_TRACE_LIVE_WAITING)
		return sl_err_set(err, SL_E_TRACE_LIVE_BUSY,
				  "trace-live: trace %u on %s is still waiting (trace-live-stop ends it)",
				  trt->session->id, trt->session->device);
	port = sl_runtime_device_port(rt, "port", device,
				      SL_E_PORT_NOT_TRACEABLE, err);
	if (port < 0)
		return -1;
	t = calloc(1, sizeof(*t));
	if (!t)
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	if (filter && sl_capture_filter_compile(filter, UINT16_MAX,
						&t->compiled, err) < 0) {
		session_free(t);
		return -1;
	}
	t->live.recs = rte_zmalloc("sl_trace_live",
				   count * sizeof(*t->live.recs), 0);
	if (!t->live.recs) {
		session_free(t);
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "trace-live: no memory for %u records", count);
	}
	t->id = ++trt->next_id;
	t->conn_id = conn_id;
	t->state = SL_TRACE_LIVE_WAITING;
	snprintf(t->device, sizeof(t->device), "%s", device);
	snprintf(t->filter, sizeof(t->filter), "%s", filter ? filter : "");
	t->live.port = (uint16_t)port;
	t->live.bpf = t->compiled.bpf;
	t->live.jit = t->compiled.jit;
	t->live.want = count;
	session_free(trt->session);	/* the last one's records go */
	trt->session = t;
	sl_dp_publish_trace(rt->dp, &t->live);
	SL_LOG(INFO, "trace-live %u on %s (DPDK port %d): the next %u packets%s%s\n",
	       t->id, device, port, count, filter ? " matching " : "",
	       filter ? filter : "");
	return (int)t->id;
}

static uint32_t
recorded(const struct sl_trace_session *t)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < t->live.want; i++)
		n += __atomic_load_n(&t->live.recs[i].complete, __ATOMIC_ACQUIRE);
	return n;
}

json_t *
sl_trace_live_record(const struct sl_runtime *rt,
		     const struct sl_trace_session *t)
{
	json_t *packets = json_array();
	uint32_t n = 0;

	for (uint32_t i = 0; i < t->live.want; i++) {
		const struct sl_trace_record *rec = &t->live.recs[i];

		if (!__atomic_load_n(&rec->complete, __ATOMIC_ACQUIRE))
			continue;
		n++;
		json_array_append_new(packets, sl_trace_report(rt, rec));
	}
	return json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:o}",
			 "id", (json_int_t)t->id, "port", t->device,
			 "filter", t->filter, "count", (json_int_t)t->live.want,
			 "recorded", (json_int_t)n, "filtered",
			 (json_int_t)__atomic_load_n(&t->live.filtered,
						     __ATOMIC_RELAXED),
			 "state", state_names[t->state], "reason", t->reason,
			 "packets", packets);
}

struct sl_trace_session *
sl_trace_live_find(const struct sl_runtime *rt, uint32_t id)
{
	struct sl_trace_session *t = sl_trace_rt(rt)->session;

	return t && t->id == id ? t : NULL;
}

void
sl_trace_live_stop(struct sl_runtime *rt, struct sl_trace_session *t,
		   const char *reason)
{
	session_end(rt, t, reason);
}

void
sl_trace_live_tick(struct sl_runtime *rt)
{
	struct sl_trace_session *t = sl_trace_rt(rt)->session;

	if (t && t->state == SL_TRACE_LIVE_WAITING &&
	    recorded(t) == t->live.want)
		session_end(rt, t, "every packet recorded");
}

void
sl_trace_live_peer_gone(struct sl_runtime *rt, uint64_t conn_id)
{
	struct sl_trace_session *t = sl_trace_rt(rt)->session;

	if (t && t->conn_id == conn_id)
		session_end(rt, t, "client gone");
}

void
sl_trace_live_port_check(struct sl_runtime *rt)
{
	struct sl_trace_session *t = sl_trace_rt(rt)->session;
	const struct sl_endpoint *ep;

	if (!t || t->state != SL_TRACE_LIVE_WAITING)
		return;
	ep = sl_model_endpoint_by_device(rt->model, t->device);
	/* its port id may be another device's from now on */
	if (!ep || ep->port_id != t->live.port)
		session_end(rt, t, "port detached");
}

void
sl_trace_live_fini(struct sl_runtime *rt)
{
	struct sl_trace_rt *trt = sl_trace_rt(rt);

	if (trt->session)
		session_end(rt, trt->session, "sluiced stopping");
	session_free(trt->session);
	trt->session = NULL;
}
