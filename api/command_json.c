/* SPDX-License-Identifier: BSD-3-Clause */
/* The answers of help and list-commands, from the table: the daemon sends
 * them and sluicectl prints them without a daemon, one JSON for both. */
#include "sl_command_spec.h"

json_t *
sl_command_names_json(void)
{
	json_t *out = json_array();

	for (const struct sl_command_group *const *g = sl_command_groups; *g; g++)
		for (const struct sl_command_spec *c = (*g)->commands; c->name; c++)
			json_array_append_new(out, json_string(c->name));
	return out;
}

json_t *
sl_command_help_json(const struct sl_command_spec *c)
{
	json_t *params = json_array();
	char usage[1024];

	for (const struct sl_param_spec *p = c->params; p->name; p++)
		json_array_append_new(params,
			json_pack("{s:s, s:s, s:b, s:s}", "name", p->name,
				  "value", p->value, "required",
				  (p->flags & SL_PARAM_REQUIRED) != 0, "help",
				  p->help));
	sl_command_usage(c, usage, sizeof(usage));
	return json_pack("{s:s, s:s, s:s, s:o}", "command", c->name, "usage",
			 usage, "help", c->help, "params", params);
}

json_t *
sl_command_help_all_json(void)
{
	json_t *out = json_array();

	for (const struct sl_command_group *const *g = sl_command_groups; *g; g++)
		for (const struct sl_command_spec *c = (*g)->commands; c->name; c++)
			json_array_append_new(out, sl_command_help_json(c));
	return out;
}
