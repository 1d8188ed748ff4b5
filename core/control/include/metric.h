/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Metrics as a JSON object of families, for the Prometheus exporter
 * (modules/metrics) to print: each feature adds its own through its
 * metrics hook (feature.h) without knowing the text format.
 *
 *   { "sluice_port_rx_packets_total": { "type": "counter",
 *        "help": "...", "samples": [ [ {"port": "eth0"}, 42 ], ... ] } }
 *
 * Names follow Prometheus's conventions: sluice_ first, the unit in the
 * name (_bytes, _seconds), _total for counters.
 */
#ifndef SL_METRIC_H
#define SL_METRIC_H

#include <stdint.h>

#include <jansson.h>

enum sl_metric_type { SL_METRIC_COUNTER, SL_METRIC_GAUGE };

/* The samples of family name in families, made with its type and help
 * if it is not there yet (borrowed reference, NULL when out of memory). */
json_t *sl_metric_family(json_t *families, const char *name,
			 enum sl_metric_type type, const char *help);
/* A sample of labels (stolen; NULL: none) and an integer or a real. */
void sl_metric_add_u64(json_t *samples, json_t *labels, uint64_t value);
void sl_metric_add_real(json_t *samples, json_t *labels, double value);

#endif
