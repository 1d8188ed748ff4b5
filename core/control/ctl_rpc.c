/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JSON-RPC 2.0 over the control socket: check the envelope, find the
 * command, check its parameter names, run it, save the state after a change,
 * and answer with a result or an error that carries a code, the XAPI-style
 * name and one sentence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "ctl_server.h"
#include "log.h"
#include "sluice_api.h"
#include "state.h"

const struct sl_command *const sl_command_groups[] = {
	sl_network_commands, sl_pif_commands, sl_vif_commands,
	sl_vlan_commands, sl_bond_commands, sl_sriov_commands,
	sl_tunnel_commands, sl_rule_commands,
	sl_host_commands, NULL,
};

const struct sl_command *
sl_command_find(const char *name)
{
	for (const struct sl_command *const *g = sl_command_groups; *g; g++)
		for (const struct sl_command *c = *g; c->name; c++)
			if (strcmp(c->name, name) == 0)
				return c;
	return NULL;
}

static char *
answer(json_t *id, json_t *result, int code, const char *name,
       const char *message)
{
	json_t *a;
	char *text;

	if (result)
		a = json_pack("{s:s, s:O, s:O}", "jsonrpc", "2.0", "id",
			      id ? id : json_null(), "result", result);
	else if (name)
		a = json_pack("{s:s, s:O, s:{s:i, s:s, s:{s:s}}}", "jsonrpc",
			      "2.0", "id", id ? id : json_null(), "error",
			      "code", code, "message", message, "data", "name",
			      name);
	else
		a = json_pack("{s:s, s:O, s:{s:i, s:s}}", "jsonrpc", "2.0",
			      "id", id ? id : json_null(), "error", "code",
			      code, "message", message);
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return text;
}

static bool
param_allowed(const struct sl_command *cmd, const char *key)
{
	if (!cmd->params)
		return true;
	for (const char *const *p = cmd->params; *p; p++) {
		size_t n = strlen(*p);

		if ((*p)[n - 1] == ':' ? strncmp(key, *p, n) == 0 :
					 strcmp(key, *p) == 0)
			return true;
	}
	return false;
}

/* Params as an object of strings: numbers and booleans are taken as the
 * text a command line would have given, lists and objects as their JSON. */
static json_t *
normalise_params(const struct sl_command *cmd, json_t *params,
		 struct sl_err *err)
{
	json_t *out = json_object(), *val;
	const char *key;

	if (params && !json_is_object(params)) {
		sl_err_set(err, SL_E_INVALID_VALUE,
			   "params must be an object of key: value");
		goto fail;
	}
	json_object_foreach(params, key, val) {
		char buf[64];
		const char *s = buf;

		if (!param_allowed(cmd, key)) {
			sl_err_set(err, SL_E_UNKNOWN_PARAMETER,
				   "%s: %s takes no such parameter (see: help command=%s)",
				   key, cmd->name, cmd->name);
			goto fail;
		}
		if (json_is_string(val))
			s = json_string_value(val);
		else if (json_is_integer(val))
			snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(val));
		else if (json_is_boolean(val))
			s = json_is_true(val) ? "true" : "false";
		else if ((cmd->flags & SL_CMD_JSON_VALUES) &&
			 (json_is_array(val) || json_is_object(val))) {
			/* a batch (add-rules): its JSON text */
			char *text = json_dumps(val, JSON_COMPACT);

			json_object_set_new(out, key, json_string(text ? text : ""));
			free(text);
			continue;
		} else {
			sl_err_set(err, SL_E_INVALID_VALUE,
				   "%s: values are strings, numbers or booleans",
				   key);
			goto fail;
		}
		json_object_set_new(out, key, json_string(s));
	}
	return out;
fail:
	json_decref(out);
	return NULL;
}

static int
run(struct sl_ctl *ctl, const struct sl_command *cmd, json_t *params,
    json_t **result, struct sl_err *err)
{
	struct sl_args a = { .params = normalise_params(cmd, params, err) };
	int rc;

	if (!a.params)
		return -1;
	rc = cmd->fn(ctl, &a, result, err);
	json_decref(a.params);
	if (rc < 0 || !(cmd->flags & SL_CMD_SAVES) || !ctl->host.state_path)
		return rc;
	if (sl_state_save(ctl->model, ctl->host.state_path, err) < 0) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		err->code = SL_OK;
		SL_LOG(ERR, "%s\n", why);
		json_decref(*result);
		*result = NULL;
		return sl_err_set(err, SL_E_STATE_NOT_SAVED,
				  "%s done, but it is not saved: %s", cmd->name,
				  why);
	}
	return 0;
}

char *
sl_ctl_handle(void *arg, const char *line, size_t len,
	      const struct sl_peer *peer)
{
	struct sl_ctl *ctl = arg;
	const struct sl_command *cmd;
	json_error_t je;
	json_t *req, *id, *method, *result = NULL;
	struct sl_err err = { 0 };
	char *text, msg[512];

	(void)peer;
	ctl->requests++;
	req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (!req) {
		ctl->failures++;
		snprintf(msg, sizeof(msg), "not JSON (column %d): %s", je.column,
			 je.text);
		return answer(NULL, NULL, SLUICE_RPC_PARSE_ERROR, NULL, msg);
	}
	id = json_object_get(req, "id");
	method = json_object_get(req, "method");
	if (!json_is_object(req) ||
	    !json_is_string(json_object_get(req, "jsonrpc")) ||
	    strcmp(json_string_value(json_object_get(req, "jsonrpc")), "2.0") != 0 ||
	    !json_is_string(method) ||
	    (id && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id))) {
		ctl->failures++;
		text = answer(json_is_object(req) ? id : NULL, NULL,
			      SLUICE_RPC_INVALID_REQUEST, NULL,
			      "a request is {\"jsonrpc\": \"2.0\", \"id\": N, \"method\": \"...\", \"params\": {...}}");
		json_decref(req);
		return text;
	}
	cmd = sl_command_find(json_string_value(method));
	if (!cmd) {
		ctl->failures++;
		snprintf(msg, sizeof(msg),
			 "unknown command '%s' (see: list-commands)",
			 json_string_value(method));
		text = answer(id, NULL, SLUICE_RPC_METHOD_NOT_FOUND, NULL, msg);
		json_decref(req);
		return text;
	}
	if (run(ctl, cmd, json_object_get(req, "params"), &result, &err) < 0) {
		ctl->failures++;
		if (err.code == SL_OK)
			sl_err_set(&err, SL_E_INTERNAL_ERROR, "%s failed",
				   cmd->name);
		text = answer(id, NULL, err.code, sl_error_name(err.code),
			      err.msg);
	} else {
		text = answer(id, result ? result : json_null(), 0, NULL, NULL);
	}
	json_decref(result);
	/* a notification (no id) gets no answer */
	if (!id) {
		free(text);
		text = NULL;
	}
	json_decref(req);
	return text;
}
