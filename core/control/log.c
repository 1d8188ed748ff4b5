/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <strings.h>

#include "log.h"

int sl_logtype = RTE_LOGTYPE_USER1;

void
sl_log_init(uint32_t level)
{
	int t = rte_log_register_type_and_pick_level("sluice", level);

	if (t >= 0)
		sl_logtype = t;
	rte_log_set_level(sl_logtype, level);
}

int
sl_log_level_parse(const char *s)
{
	static const struct {
		const char *name;
		int level;
	} names[] = {
		{ "emergency", RTE_LOG_EMERG }, { "alert", RTE_LOG_ALERT },
		{ "critical", RTE_LOG_CRIT },	{ "error", RTE_LOG_ERR },
		{ "warning", RTE_LOG_WARNING }, { "notice", RTE_LOG_NOTICE },
		{ "info", RTE_LOG_INFO },	{ "debug", RTE_LOG_DEBUG },
	};
	char *end;
	long n;

	for (size_t i = 0; i < RTE_DIM(names); i++)
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].level;
	n = strtol(s, &end, 10);
	if (*s && !*end && n >= RTE_LOG_EMERG && n <= RTE_LOG_DEBUG)
		return (int)n;
	return -1;
}
