/* SPDX-License-Identifier: BSD-3-Clause */
/* stats (docs/json.md) printed for people: by sluicectl stats, and by
 * sluiced on SIGUSR1, every --stats-interval and at exit. */
#ifndef SL_STATS_TEXT_H
#define SL_STATS_TEXT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

void sl_stats_print(FILE *f, json_t *stats);

/* A record's field for a printer: an integer (0 if absent), a string ("" if
 * absent). */
uint64_t sl_rec_u64(json_t *o, const char *key);
const char *sl_rec_str(json_t *o, const char *key);

#endif
