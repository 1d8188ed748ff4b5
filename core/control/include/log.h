/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_LOG_H
#define SL_LOG_H

#include <jansson.h>
#include <rte_log.h>

extern int sl_logtype;

/* Register the "sluice" log type at level (an RTE_LOG_* value). */
void sl_log_init(uint32_t level);
/* "debug", "info", "notice", "warning", "error" or 1..8; -1 if unknown. */
int sl_log_level_parse(const char *s);

/* The log types whose names match pattern (fnmatch; NULL: all) and
 * their levels: [{"log-type": "sluice", "level": "notice"}, ...]. */
json_t *sl_log_levels(const char *pattern);

#define SL_LOG(level, ...) \
	rte_log(RTE_LOG_##level, sl_logtype, "sluiced: " __VA_ARGS__)

#endif
