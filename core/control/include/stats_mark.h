/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stats-clear: the control socket's stats counts from a mark. The mark is
 * the stats object as it was at the clear; a later stats is the difference,
 * field by field. Counters only: gauges (MTU, FDB entries, the rule count)
 * keep their value, rates and shares are computed again from the
 * differences, and the workers' last-1s/10s/60s windows are recent already.
 * A counter smaller than its mark started again (its port was attached
 * anew): it counts from zero, so it is kept as it is.
 *
 * Only the socket's stats is marked: SIGUSR1, --stats-file, the Prometheus
 * metrics (monotonic counters, as Prometheus wants), the database's
 * Interface statistics and dump-flows count since start.
 */
#ifndef SL_STATS_MARK_H
#define SL_STATS_MARK_H

#include <jansson.h>

/* stats (changed in place and returned) as counted since mark. */
json_t *sl_stats_since(json_t *stats, json_t *mark);

#endif
