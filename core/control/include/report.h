/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_REPORT_H
#define SL_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "runtime.h"

/* Every counter of the running switch as one JSON object (new reference). */
json_t *sl_report_stats(const struct sl_runtime *rt);
/* A copy of stats as DPDK telemetry has always named its keys: '_' for
 * the '-' of the control socket's keys (docs/json.md), so /sluice/... keep
 * their names. */
json_t *sl_report_telemetry_keys(json_t *stats);
/* The datapath's counters of a port (or a feature's port, a bond's) into
 * its row o of stats' ports (rx-packets, ...); returns o. */
json_t *sl_report_with_counters(json_t *o, const struct sl_port_counters *c);
/* (for people: sl_stats_print(), api/include/sl_stats_text.h) */
/* A port's drops since it was attached, by reason: {reason: count} for
 * the reasons with any (new reference). */
json_t *sl_report_port_drops(const struct sl_runtime *rt,
			     const struct sl_worker_stats *sum, uint16_t pid);

#endif
