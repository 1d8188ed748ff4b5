/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK telemetry commands /sluice/ports, /sluice/port,<device>, /sluice/drops
 * and /sluice/stats, for dpdk-telemetry.py -f <file prefix>. They run on
 * DPDK's telemetry thread, so they never touch the model: they read the
 * latest stats the control thread published with sl_telemetry_update.
 */
#ifndef SL_TELEMETRY_H
#define SL_TELEMETRY_H

#include <jansson.h>

/* Register the commands; returns 0 or -errno. */
int sl_telemetry_init(void);
/* Publish stats (an sl_report_stats object, never modified afterwards). */
void sl_telemetry_update(json_t *stats);
void sl_telemetry_fini(void);

#endif
