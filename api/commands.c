/* SPDX-License-Identifier: BSD-3-Clause */
/* Finding commands and parameters in the tables, and their usage lines. */
#include <stdio.h>
#include <string.h>

#include "sl_command_spec.h"

const struct sl_command_spec *
sl_command_spec_find(const char *name)
{
	for (const struct sl_command_group *const *g = sl_command_groups; *g; g++)
		for (const struct sl_command_spec *c = (*g)->commands; c->name; c++)
			if (strcmp(c->name, name) == 0)
				return c;
	return NULL;
}

const struct sl_param_spec *
sl_param_spec_find(const struct sl_command_spec *cmd, const char *key)
{
	for (const struct sl_param_spec *p = cmd->params; p->name; p++) {
		size_t n = strlen(p->name);

		if (p->name[n - 1] == ':' ? strncmp(key, p->name, n) == 0 :
					     strcmp(key, p->name) == 0)
			return p;
	}
	return NULL;
}

void
sl_command_usage(const struct sl_command_spec *cmd, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const struct sl_param_spec *p = cmd->params; p->name && used < len; p++) {
		bool req = p->flags & SL_PARAM_REQUIRED;
		bool prefix = p->name[strlen(p->name) - 1] == ':';
		int n;

		/* read-only fields are listed for their error, not offered */
		if (!*p->value)
			continue;
		n = snprintf(buf + used, len - used, "%s%s%s%s%s%s",
			     used ? " " : "", req ? "" : "[", p->name,
			     prefix ? "" : "=", p->value, req ? "" : "]");
		if (n < 0)
			break;
		used += (size_t)n;
	}
}
