/* SPDX-License-Identifier: BSD-3-Clause */
/* The answers of help and list-commands, from the table: the daemon sends
 * them and sluicectl prints them without a daemon, one JSON for both. */
#include <stdio.h>
#include <string.h>

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
			json_pack("{s:s, s:s, s:b, s:b, s:s}", "name", p->name,
				  "value", p->value, "required",
				  (p->flags & SL_PARAM_REQUIRED) != 0, "read-only",
				  (p->flags & SL_PARAM_READ_ONLY) != 0, "help",
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

/* help: every command's, or one's */
static json_t *
help_answer(json_t *params, enum sl_error_code *code, char *msg, size_t len)
{
	const char *name = json_string_value(json_object_get(params, "command"));
	const struct sl_command_spec *c;

	if (!name)
		return sl_command_help_all_json();
	c = sl_command_spec_find(name);
	if (!c) {
		*code = SL_E_INVALID_VALUE;
		snprintf(msg, len, "command: there is no command '%s' (see: list-commands)",
			 name);
		return NULL;
	}
	return sl_command_help_json(c);
}

static json_t *
names_answer(json_t *params, enum sl_error_code *code, char *msg, size_t len)
{
	(void)params;
	(void)code;
	(void)msg;
	(void)len;
	return sl_command_names_json();
}

/* The SL_CMD_LOCAL commands' answers, declared in core_commands.c. */
static const struct {
	const char *name;
	json_t *(*answer)(json_t *params, enum sl_error_code *code, char *msg,
			  size_t len);
} local_answers[] = {
	{ "help", help_answer },
	{ "list-commands", names_answer },
};

json_t *
sl_local_answer(const struct sl_command_spec *cmd, json_t *params,
		enum sl_error_code *code, char *msg, size_t len)
{
	const char *key;
	json_t *v;

	*code = SL_OK;
	json_object_foreach(params, key, v)
		if (!sl_param_spec_find(cmd, key)) {
			*code = SL_E_UNKNOWN_PARAMETER;
			snprintf(msg, len, "%s: %s takes no such parameter (see: help command=%s)",
				 key, cmd->name, cmd->name);
			return NULL;
		}
	for (size_t i = 0; i < sizeof(local_answers) / sizeof(local_answers[0]); i++)
		if (strcmp(local_answers[i].name, cmd->name) == 0)
			return local_answers[i].answer(params, code, msg, len);
	*code = SL_E_INTERNAL_ERROR;
	snprintf(msg, len, "%s is declared local but has no answer", cmd->name);
	return NULL;
}
