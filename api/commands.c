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

const struct sl_command_printer *
sl_command_printer_find(const char *name)
{
	for (const struct sl_command_group *const *g = sl_command_groups; *g; g++)
		for (const struct sl_command_printer *p = (*g)->printers;
		     p && p->command; p++)
			if (strcmp(p->command, name) == 0)
				return p;
	return NULL;
}

bool
sl_param_is_prefix(const struct sl_param_spec *p)
{
	size_t n = strlen(p->name);

	return n && p->name[n - 1] == ':';
}

bool
sl_param_offered(const struct sl_param_spec *p)
{
	return !(p->flags & SL_PARAM_READ_ONLY);
}

const struct sl_param_spec *
sl_param_spec_find(const struct sl_command_spec *cmd, const char *key)
{
	for (const struct sl_param_spec *p = cmd->params; p->name; p++)
		if (sl_param_is_prefix(p) ?
		    strncmp(key, p->name, strlen(p->name)) == 0 :
		    strcmp(key, p->name) == 0)
			return p;
	return NULL;
}

void
sl_param_synopsis(const struct sl_param_spec *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", p->name, sl_param_is_prefix(p) ? "" : "=",
		 sl_param_offered(p) ? p->value : "...");
}

size_t
sl_command_usage(const struct sl_command_spec *cmd, char *buf, size_t len)
{
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (const struct sl_param_spec *p = cmd->params; p->name; p++) {
		bool req = p->flags & SL_PARAM_REQUIRED;
		char one[256];
		int n;

		if (!sl_param_offered(p))
			continue;
		sl_param_synopsis(p, one, sizeof(one));
		n = snprintf(used < len ? buf + used : NULL,
			     used < len ? len - used : 0, "%s%s%s%s",
			     used ? " " : "", req ? "" : "[", one, req ? "" : "]");
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return used;
}
