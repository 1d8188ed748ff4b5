/* SPDX-License-Identifier: BSD-3-Clause */
/* The Prometheus exporter as the core sees it (feature.h): started by
 * --metrics-listen, its timers on the tick, itself in status. */
#include <stdio.h>
#include <string.h>

#include "feature.h"
#include "log.h"
#include "metrics.h"

extern const struct sl_feature sl_metrics_feature;

static struct sl_metrics *
metrics_of(const struct sl_runtime *rt)
{
	return sl_feature_runtime(rt, &sl_metrics_feature);
}

static int
metrics_start(struct sl_runtime *rt, struct sl_err *err)
{
	struct sl_metrics *m = metrics_of(rt);
	const char *listen_on = sl_runtime_option(rt, "metrics-listen");

	m->rt = rt;
	if (!listen_on)
		return 0;
	if (!rt->host.loop)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "--metrics-listen needs the daemon's control loop");
	if (strlen(listen_on) >= sizeof(m->listen))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "--metrics-listen: longer than %zu characters",
				  sizeof(m->listen) - 1);
	snprintf(m->listen, sizeof(m->listen), "%s", listen_on);
	if (rt->host.takeover)
		return 0;	/* the old sluiced's until it exits */
	return sl_metrics_http_start(m, rt->host.loop, err);
}

/* After a takeover: the old sluiced has exited, its port is free. */
static void
metrics_ports_ready(struct sl_runtime *rt)
{
	struct sl_metrics *m = metrics_of(rt);
	struct sl_err err = { 0 };

	if (m->listen[0] && !m->mhd &&
	    sl_metrics_http_start(m, rt->host.loop, &err) < 0)
		SL_LOG(ERR, "%s; no metrics are served\n", err.msg);
}

static void
metrics_stop(struct sl_runtime *rt)
{
	struct sl_metrics *m = metrics_of(rt);

	if (m)
		sl_metrics_http_stop(m, rt->host.loop);
}

static bool
metrics_fast_tick(struct sl_runtime *rt, uint64_t now_ms)
{
	struct sl_metrics *m = metrics_of(rt);

	if (m)
		sl_metrics_http_tick(m, now_ms);
	return false;
}

static void
metrics_status(const struct sl_runtime *rt, json_t *status)
{
	const struct sl_metrics *m = metrics_of(rt);

	if (!m || !m->mhd)
		return;
	json_object_set_new(status, "metrics",
		json_pack("{s:s, s:I, s:I}", "listen", m->listen,
			  "scrapes", (json_int_t)m->scrapes,
			  "refused", (json_int_t)m->refused));
}

const struct sl_feature sl_metrics_feature = {
	.name = "metrics",
	.runtime_size = sizeof(struct sl_metrics),
	.start = metrics_start,
	.stop = metrics_stop,
	.ports_ready = metrics_ports_ready,
	.fast_tick = metrics_fast_tick,
	.status = metrics_status,
};
