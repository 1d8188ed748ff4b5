/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_LOG_H
#define SL_LOG_H

#include <jansson.h>
#include <rte_log.h>

extern int sl_logtype;

/* Register the "sluice" log type at level (an RTE_LOG_* value). */
void sl_log_init(uint32_t level);
/* Every rte_log line (sluice's and DPDK's) to stderr, once: with a syslog
 * priority prefix ("<5>") when stderr is the journal's stream
 * (JOURNAL_STREAM), else after a timestamp and the level's name. Before
 * rte_eal_init, so that the EAL's own lines go there too (it would set a
 * stream of its own that also writes to syslog). Returns 0 or -errno. */
int sl_log_open_stderr(void);
/* "debug", "info", "notice", "warning", "error" or 1..8; -1 if unknown. */
int sl_log_level_parse(const char *s);

/* The log types whose names match pattern (fnmatch; NULL: all) and
 * their levels: [{"log-type": "sluice", "level": "notice"}, ...]. */
json_t *sl_log_levels(const char *pattern);

#define SL_LOG(level, ...) \
	rte_log(RTE_LOG_##level, sl_logtype, "sluiced: " __VA_ARGS__)

#endif
