/* SPDX-License-Identifier: BSD-3-Clause */
/* The trace commands' handlers (declared in ../api). */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "ctl_server.h"
#include "trace_ctl.h"

/* Whether a PIF or VIF of device is on bridge (a PIF: or a VLAN on it). */
static bool
device_on_bridge(const struct sl_model *m, const char *device,
		 const char *bridge)
{
	const struct sl_pif *p;
	const struct sl_vif *v;

	TAILQ_FOREACH(v, &m->vifs, next)
		if (!strcmp(v->ep.device, device) && v->ep.network &&
		    !strcmp(v->ep.network->bridge, bridge))
			return true;
	TAILQ_FOREACH(p, &m->pifs, next)
		if (!strcmp(p->ep.device, device) && p->ep.network &&
		    !strcmp(p->ep.network->bridge, bridge))
			return true;
	return false;
}

static int
trace(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
      struct sl_err *err)
{
	const char *device, *packet, *bridge = sl_arg(a, "bridge");
	/* 9 kB: the control thread's one, not its stack's */
	static uint8_t frame[SL_TRACE_FRAME_MAX];
	struct sl_trace_result *r;
	size_t len;
	int port;

	if (sl_arg_required(a, "in_port", &device, err) < 0 ||
	    sl_arg_required(a, "packet", &packet, err) < 0)
		return -1;
	port = sl_runtime_device_port(ctl->rt, "in_port", device,
				      SL_E_PORT_NOT_TRACEABLE, err);
	if (port < 0)
		return -1;
	if (bridge && !device_on_bridge(ctl->model, device, bridge))
		return sl_err_set(err, SL_E_HANDLE_INVALID,
				  "bridge: %s is not on a network of bridge %s",
				  device, bridge);
	if (sl_trace_packet_parse(packet, frame, sizeof(frame), &len, err) < 0)
		return -1;
	r = malloc(sizeof(*r));	/* a few kB: not on the stack */
	if (!r)
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	if (sl_trace_run(ctl->rt, (uint16_t)port, frame, len, r, err) < 0) {
		free(r);
		return -1;
	}
	*result = sl_trace_report(ctl->rt, &r->rec);
	if (r->punted)
		json_object_set_new(*result, "handed-to-control-thread",
				    json_integer(r->punted));
	free(r);
	return 0;
}

static int
trace_live(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	   struct sl_err *err)
{
	const char *device, *count = sl_arg(a, "count"), *filter = sl_arg(a, "filter");
	long n = 1;
	int id;

	if (sl_arg_required(a, "port", &device, err) < 0 ||
	    (count && sl_parse_long("count", count, 1, SL_TRACE_LIVE_MAX, &n,
				    err) < 0))
		return -1;
	if (filter && strlen(filter) >= sizeof(((struct sl_trace_session *)0)->filter))
		return sl_err_set(err, SL_E_CAPTURE_FILTER_INVALID,
				  "filter: longer than %zu characters",
				  sizeof(((struct sl_trace_session *)0)->filter) - 1);
	id = sl_trace_live_start(ctl->rt, device, (uint32_t)n,
				 filter && *filter ? filter : NULL,
				 a->peer ? a->peer->conn_id : 0, err);
	if (id < 0)
		return -1;
	*result = sl_trace_live_record(ctl->rt, sl_trace_live_find(ctl->rt, (uint32_t)id));
	return 0;
}

/* id= (the last live trace when not given) */
static struct sl_trace_session *
session_arg(struct sl_ctl *ctl, const struct sl_args *a, struct sl_err *err)
{
	struct sl_trace_session *t = sl_trace_rt(ctl->rt)->session;
	const char *s = sl_arg(a, "id");
	long id;

	if (s) {
		if (sl_parse_long("id", s, 1, UINT32_MAX, &id, err) < 0)
			return NULL;
		t = sl_trace_live_find(ctl->rt, (uint32_t)id);
	}
	if (!t && s)
		sl_err_set(err, SL_E_TRACE_UNKNOWN,
			   "id: no live trace has id %s (only the last is kept)", s);
	else if (!t)
		sl_err_set(err, SL_E_TRACE_UNKNOWN, "trace-live: none has run yet");
	return t;
}

static int
trace_live_show(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		struct sl_err *err)
{
	struct sl_trace_session *t = session_arg(ctl, a, err);

	if (!t)
		return -1;
	sl_trace_live_tick(ctl->rt);	/* done now rather than at the tick */
	*result = sl_trace_live_record(ctl->rt, t);
	return 0;
}

static int
trace_live_stop(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		struct sl_err *err)
{
	struct sl_trace_session *t = session_arg(ctl, a, err);

	if (!t)
		return -1;
	sl_trace_live_stop(ctl->rt, t, "stopped (trace-live-stop)");
	*result = sl_trace_live_record(ctl->rt, t);
	return 0;
}

const struct sl_command sl_trace_handlers[] = {
	{ "trace", trace },
	{ "trace-live", trace_live },
	{ "trace-live-show", trace_live_show },
	{ "trace-live-stop", trace_live_stop },
	{ NULL, NULL },
};
