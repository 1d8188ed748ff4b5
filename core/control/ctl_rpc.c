/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JSON-RPC 2.0 over the control socket: check the envelope, find the
 * command, check its parameters against its declaration (none unknown,
 * none required missing), run it, save the state after a change,
 * and answer with a result or an error that carries a code, the XAPI-style
 * name and one sentence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "sl_rpc.h"
#include "ctl_server.h"
#include "feature.h"
#include "log.h"
#include "sluice_api.h"
#include "runtime.h"

/* The core's handlers; a feature's come with it. */
static const struct sl_command *const core_handlers[] = {
	sl_network_handlers, sl_pif_handlers, sl_vif_handlers,
	sl_vlan_handlers, sl_host_handlers, sl_takeover_handlers, NULL,
};

static sl_cmd_fn
handler_in(const struct sl_command *table, const char *name)
{
	for (const struct sl_command *c = table; c && c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c->fn;
	return NULL;
}

bool
sl_command_find(const struct sl_feature *const *features, const char *name,
		struct sl_command_ref *out)
{
	const struct sl_command_spec *spec = sl_command_spec_find(name);
	sl_cmd_fn fn = NULL;

	if (!spec)
		return false;
	/* a local command has its answer in the tables, no handler */
	if (spec->flags & SL_CMD_LOCAL) {
		*out = (struct sl_command_ref){ spec, NULL };
		return true;
	}
	for (const struct sl_command *const *t = core_handlers; *t && !fn; t++)
		fn = handler_in(*t, name);
	if (features)
		SL_FEATURE_FOREACH(f, features)
			if (!fn)
				fn = handler_in((*f)->handlers, name);
	if (!fn)
		return false;
	*out = (struct sl_command_ref){ spec, fn };
	return true;
}

static bool
param_allowed(const struct sl_command_spec *cmd, const char *key)
{
	return (cmd->flags & (SL_CMD_FILTERS | SL_CMD_PLUGIN)) ||
	       sl_param_spec_find(cmd, key);
}

/* Params as an object of strings: numbers and booleans are taken as the
 * text a command line would have given, lists and objects as their JSON. */
static json_t *
normalise_params(const struct sl_command_spec *cmd, json_t *params,
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
	/* the plugin's calls tell a missing argument in the plugin's words */
	if (cmd->flags & SL_CMD_PLUGIN)
		return out;
	for (const struct sl_param_spec *p = cmd->params; p->name; p++)
		if ((p->flags & SL_PARAM_REQUIRED) && !json_object_get(out, p->name)) {
			sl_err_set(err, SL_E_MISSING_PARAMETER,
				   "%s: this parameter is required (see: help command=%s)",
				   p->name, cmd->name);
			goto fail;
		}
	return out;
fail:
	json_decref(out);
	return NULL;
}

static int
run(struct sl_ctl *ctl, const struct sl_command_ref *cmd, json_t *params,
    struct sl_peer *peer, json_t **result, struct sl_err *err)
{
	struct sl_args a = { .params = normalise_params(cmd->spec, params, err),
			     .peer = peer };
	int rc;

	if (!a.params)
		return -1;
	if (sl_takeover_refuse(ctl, cmd->spec, err) < 0) {
		json_decref(a.params);
		return -1;
	}
	SL_FEATURE_FOREACH(f, ctl->rt->features)
		if ((*f)->refuse_command &&
		    (*f)->refuse_command(ctl->rt, cmd->spec, err) < 0) {
			json_decref(a.params);
			return -1;
		}
	if (cmd->spec->flags & SL_CMD_LOCAL) {
		/* answered from the tables, as sluicectl answers it */
		enum sl_error_code code;

		*result = sl_local_answer(cmd->spec, a.params, &code, err->msg,
					  sizeof(err->msg));
		err->code = code;
		rc = *result ? 0 : -1;
	} else {
		rc = cmd->fn(ctl, &a, result, err);
	}
	json_decref(a.params);
	if (rc < 0 || !(cmd->spec->flags & SL_CMD_SAVES))
		return rc;
	/* the answer waits for the change to be on disk (persist.h) */
	if (sl_runtime_save_state(ctl->rt, err) < 0) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		err->code = SL_OK;
		SL_LOG(ERR, "%s\n", why);
		json_decref(*result);
		*result = NULL;
		return sl_err_set(err, SL_E_STATE_NOT_SAVED,
				  "%s done, but it is not saved: %s", cmd->spec->name,
				  why);
	}
	return 0;
}

char *
sl_ctl_handle(void *arg, const char *line, size_t len, struct sl_peer *peer)
{
	struct sl_ctl *ctl = arg;
	struct sl_command_ref cmd;
	json_error_t je;
	json_t *req, *id, *method, *result = NULL;
	struct sl_err err = { 0 };
	char *text, msg[512];

	ctl->requests++;
	req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (!req) {
		ctl->failures++;
		snprintf(msg, sizeof(msg), "not JSON (column %d): %s", je.column,
			 je.text);
		return sl_rpc_answer(NULL, NULL, SL_E_PARSE_ERROR, msg);
	}
	id = json_object_get(req, "id");
	method = json_object_get(req, "method");
	if (!json_is_object(req) ||
	    !json_is_string(json_object_get(req, "jsonrpc")) ||
	    strcmp(json_string_value(json_object_get(req, "jsonrpc")), "2.0") != 0 ||
	    !json_is_string(method) ||
	    (id && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id))) {
		ctl->failures++;
		text = sl_rpc_answer(json_is_object(req) ? id : NULL, NULL,
			      SL_E_INVALID_REQUEST,
			      "a request is {\"jsonrpc\": \"2.0\", \"id\": N, \"method\": \"...\", \"params\": {...}}");
		json_decref(req);
		return text;
	}
	if (!sl_command_find(ctl->rt->features, json_string_value(method), &cmd)) {
		ctl->failures++;
		snprintf(msg, sizeof(msg),
			 "unknown command '%s' (see: list-commands)",
			 json_string_value(method));
		text = sl_rpc_answer(id, NULL, SL_E_UNKNOWN_COMMAND, msg);
		json_decref(req);
		return text;
	}
	if (run(ctl, &cmd, json_object_get(req, "params"), peer, &result,
		&err) < 0) {
		ctl->failures++;
		if (err.code == SL_OK)
			sl_err_set(&err, SL_E_INTERNAL_ERROR, "%s failed",
				   cmd.spec->name);
		text = sl_rpc_answer(id, NULL, err.code, err.msg);
	} else {
		text = sl_rpc_answer(id, result ? result : json_null(), SL_OK, NULL);
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

void
sl_ctl_peer_gone(void *arg, uint64_t conn_id)
{
	struct sl_ctl *ctl = arg;

	SL_FEATURE_FOREACH(f, ctl->rt->features)
		if ((*f)->peer_gone)
			(*f)->peer_gone(ctl->rt, conn_id);
	sl_takeover_peer_gone(ctl, conn_id);
}
