/* SPDX-License-Identifier: BSD-3-Clause */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static const char *const level_names[] = {
	[RTE_LOG_EMERG] = "emergency", [RTE_LOG_ALERT] = "alert",
	[RTE_LOG_CRIT] = "critical",   [RTE_LOG_ERR] = "error",
	[RTE_LOG_WARNING] = "warning", [RTE_LOG_NOTICE] = "notice",
	[RTE_LOG_INFO] = "info",       [RTE_LOG_DEBUG] = "debug",
};

json_t *
sl_log_levels(const char *pattern)
{
	json_t *out = json_array();
	char *text = NULL, *line, *save = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return out;
	/* DPDK 22.11 has no way to walk its log types but this dump:
	 * "id 3: lib.eal, level is INFO" per line */
	rte_log_dump(f);
	fclose(f);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[128];
		int type;

		if (sscanf(line, "id %d: %127[^,],", &type, name) != 2 ||
		    (pattern && fnmatch(pattern, name, 0) != 0))
			continue;
		int level = rte_log_get_level((uint32_t)type);

		if (level >= (int)RTE_LOG_EMERG && level <= (int)RTE_LOG_DEBUG)
			json_array_append_new(out, json_pack("{s:s, s:s}", "log-type", name,
							     "level", level_names[level]));
	}
	free(text);
	return out;
}
