/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluiced --metrics-listen ADDR:PORT: Prometheus metrics over HTTP.
 *
 *   metrics_core.c     the core's counters (stats) as metric families
 *   metrics_text.c     families in Prometheus's text exposition format
 *   metrics_http.c     the HTTP listener (libmicrohttpd) in the loop
 *   metrics_feature.c  the feature as the core sees it (feature.h)
 */
#ifndef SL_METRICS_H
#define SL_METRICS_H

#include <stdint.h>

#include <jansson.h>

#include "loop.h"
#include "runtime.h"
#include "sl_error.h"

struct MHD_Daemon;

struct sl_metrics {
	const struct sl_runtime *rt;
	struct MHD_Daemon *mhd;
	struct sl_watch watch;		/* libmicrohttpd's epoll descriptor */
	char listen[64];		/* as given */
	uint64_t next_run_ms;		/* its timeouts, checked on the tick */
	uint64_t scrapes, refused;	/* GET /metrics; other requests */
};

/* Every metric family of the switch now (new reference): the core's,
 * then each feature's. */
json_t *sl_metrics_collect(const struct sl_runtime *rt);
/* The core's part from stats (sl_report_stats()) into families. */
void sl_metrics_from_stats(json_t *stats, json_t *families);

/* families (metric.h) in Prometheus's text format 0.0.4: a malloc'd
 * string, or NULL when out of memory. */
char *sl_metrics_text(json_t *families, size_t *len);

/* Listen at m->listen; 0, or -1 with err. */
int sl_metrics_http_start(struct sl_metrics *m, struct sl_loop *loop,
			  struct sl_err *err);
void sl_metrics_http_stop(struct sl_metrics *m, struct sl_loop *loop);
/* libmicrohttpd's timers (idle connections) when they are due. */
void sl_metrics_http_tick(struct sl_metrics *m, uint64_t now_ms);

#endif
