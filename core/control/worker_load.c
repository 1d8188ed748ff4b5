/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>

#include "runtime.h"
#include "worker_load.h"

#define SAMPLES 61	/* 60 s of differences */

/* the windows, and their keys in a worker's stats */
static const struct {
	unsigned int seconds;
	const char *key;
} windows[] = {
	{ 1, "last-second" }, { 10, "last-ten-seconds" }, { 60, "last-minute" },
};

struct sample {
	uint64_t tsc, busy, idle, sleep, packets;
	uint64_t rxq_cycles[SL_MAX_PORTS];
};

struct sl_worker_load {
	uint64_t taken;			/* samples taken */
	struct sample s[];		/* [SAMPLES][nb_workers] */
};

static struct sample *
at(const struct sl_runtime *rt, uint64_t n, uint16_t w)
{
	return &rt->load->s[(n % SAMPLES) * rt->nb_workers + w];
}

int
sl_worker_load_init(struct sl_runtime *rt)
{
	rt->load = calloc(1, sizeof(*rt->load) +
			     (size_t)SAMPLES * rt->nb_workers * sizeof(struct sample));
	if (!rt->load)
		return -1;
	sl_worker_load_sample(rt);	/* the windows' start */
	return 0;
}

void
sl_worker_load_fini(struct sl_runtime *rt)
{
	free(rt->load);
	rt->load = NULL;
}

void
sl_worker_load_sample(struct sl_runtime *rt)
{
	uint64_t now = rte_get_tsc_cycles();

	if (!rt->load)
		return;
	for (uint16_t w = 0; w < rt->nb_workers; w++) {
		const struct sl_worker_stats *st = &rt->dp->workers[w].stats;
		struct sample *s = at(rt, rt->load->taken, w);

		s->tsc = now;
		s->busy = __atomic_load_n(&st->busy_cycles, __ATOMIC_RELAXED);
		s->idle = __atomic_load_n(&st->idle_cycles, __ATOMIC_RELAXED);
		s->sleep = __atomic_load_n(&st->sleep_cycles, __ATOMIC_RELAXED);
		s->packets = 0;
		for (uint16_t p = 0; p < SL_MAX_PORTS; p++) {
			s->packets += __atomic_load_n(&st->port[p].rx_packets,
						      __ATOMIC_RELAXED);
			s->rxq_cycles[p] = __atomic_load_n(&st->rxq_cycles[p],
							   __ATOMIC_RELAXED);
		}
	}
	rt->load->taken++;
}

/* The newest sample and the one len_s seconds before it (or the oldest
 * kept); false before two samples. */
static bool
window(const struct sl_runtime *rt, uint16_t w, unsigned int len_s,
       const struct sample **from, const struct sample **to)
{
	uint64_t n = rt->load ? rt->load->taken : 0, back = len_s;

	if (n < 2)
		return false;
	if (back > n - 1)
		back = n - 1;
	*to = at(rt, n - 1, w);
	*from = at(rt, n - 1 - back, w);
	return true;
}

static double
pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

void
sl_worker_load_report(const struct sl_runtime *rt, uint16_t w, json_t *o)
{
	const struct sl_snapshot *snap = sl_dp_snapshot(rt->dp);
	const struct sample *from, *to;
	json_t *queues = json_array();

	for (size_t i = 0; i < RTE_DIM(windows); i++) {
		uint64_t all;

		if (!window(rt, w, windows[i].seconds, &from, &to))
			break;
		/* the worker's whole time: busy, polling in vain, asleep */
		all = (to->busy - from->busy) + (to->idle - from->idle) +
		      (to->sleep - from->sleep);
		json_object_set_new(o, windows[i].key, json_pack("{s:f, s:f, s:f, s:I}",
			"seconds", (double)(to->tsc - from->tsc) / (double)rte_get_tsc_hz(),
			"busy-pct", pct(to->busy - from->busy, all),
			"sleep-pct", pct(to->sleep - from->sleep, all),
			"packets", (json_int_t)(to->packets - from->packets)));
	}
	/* the queues it polls now, and their share of its busy time over
	 * the last minute */
	if (snap && w < snap->nb_workers) {
		const struct sl_dp_worker_plan *plan = &snap->workers[w];
		bool have = window(rt, w, 60, &from, &to);

		for (uint16_t i = 0; i < plan->nb_rxq; i++) {
			uint16_t p = plan->rxq[i].port;
			const struct sl_endpoint *ep =
				sl_model_endpoint_by_port(rt->model, p);

			json_array_append_new(queues, json_pack("{s:s, s:i, s:i, s:f}",
				"port", ep ? ep->device : "", "port-id", p, "queue", plan->rxq[i].queue,
				"busy-pct-last-minute", have ? pct(to->rxq_cycles[p] - from->rxq_cycles[p],
							    to->busy - from->busy) : 0.0));
		}
	}
	json_object_set_new(o, "rx-queues", queues);
}
