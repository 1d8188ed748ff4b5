/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The workers' load over the last 1, 10 and 60 seconds (not only since
 * start): busy share, packets, and each rx queue's share of the worker's
 * busy time (as OVS's pmd-rxq-show). The control thread samples the
 * workers' counters every second into a ring of 61 samples; a window is
 * the difference between the newest sample and the one its length ago
 * (or the oldest there is, in the first minute).
 */
#ifndef SL_WORKER_LOAD_H
#define SL_WORKER_LOAD_H

#include <jansson.h>

struct sl_runtime;

/* 0, or -1 when out of memory (the windows are then left out of stats). */
int sl_worker_load_init(struct sl_runtime *rt);
void sl_worker_load_fini(struct sl_runtime *rt);
/* Once a second. */
void sl_worker_load_sample(struct sl_runtime *rt);
/* Worker w's windows into its stats record o: last-second,
 * last-ten-seconds, last-minute, and rx-queues. */
void sl_worker_load_report(const struct sl_runtime *rt, uint16_t w, json_t *o);

#endif
