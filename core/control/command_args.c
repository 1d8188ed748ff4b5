/* SPDX-License-Identifier: BSD-3-Clause */
/* Reading command arguments: every failure names the argument. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctl.h"

const char *
sl_arg(const struct sl_args *a, const char *key)
{
	return json_string_value(json_object_get(a->params, key));
}

int
sl_arg_required(const struct sl_args *a, const char *key, const char **out,
		struct sl_err *err)
{
	*out = sl_arg(a, key);
	if (!*out)
		return sl_err_set(err, SL_E_MISSING_PARAMETER,
				  "%s: this parameter is required", key);
	return 0;
}

int
sl_parse_bool(const char *what, const char *s, bool *out, struct sl_err *err)
{
	if (strcasecmp(s, "true") == 0) {
		*out = true;
		return 0;
	}
	if (strcasecmp(s, "false") == 0) {
		*out = false;
		return 0;
	}
	return sl_err_set(err, SL_E_INVALID_VALUE,
			  "%s: '%s' is not true or false", what, s);
}

int
sl_parse_long(const char *what, const char *s, long min, long max, long *out,
	      struct sl_err *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < min || v > max)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "%s: '%s' is not a whole number in %ld..%ld",
				  what, s, min, max);
	*out = v;
	return 0;
}

static const char *
uuid_arg(const struct sl_args *a, const char *key, struct sl_err *err)
{
	const char *uuid;

	if (sl_arg_required(a, key, &uuid, err) < 0 ||
	    sl_check_uuid(key, uuid, err) < 0)
		return NULL;
	return uuid;
}

struct sl_network *
sl_arg_network(struct sl_ctl *ctl, const struct sl_args *a, const char *key,
	       struct sl_err *err)
{
	const char *uuid = uuid_arg(a, key, err);
	struct sl_network *n;

	if (!uuid)
		return NULL;
	n = sl_model_network_find(ctl->model, uuid);
	if (!n)
		sl_err_set(err, SL_E_HANDLE_INVALID, "%s: no network has uuid %s",
			   key, uuid);
	return n;
}

static struct sl_endpoint *
endpoint_arg(struct sl_ctl *ctl, const struct sl_args *a, const char *key,
	     bool is_vif, struct sl_err *err)
{
	const char *uuid = uuid_arg(a, key, err);
	struct sl_endpoint *ep;

	if (!uuid)
		return NULL;
	ep = sl_model_endpoint_find(ctl->model, uuid, is_vif);
	if (!ep)
		sl_err_set(err, SL_E_HANDLE_INVALID, "%s: no %s has uuid %s",
			   key, is_vif ? "VIF" : "PIF", uuid);
	return ep;
}

struct sl_pif *
sl_arg_pif(struct sl_ctl *ctl, const struct sl_args *a, struct sl_err *err)
{
	return sl_arg_pif_named(ctl, a, "uuid", err);
}

struct sl_pif *
sl_arg_pif_named(struct sl_ctl *ctl, const struct sl_args *a, const char *key,
		 struct sl_err *err)
{
	struct sl_endpoint *ep = endpoint_arg(ctl, a, key, false, err);

	return ep ? SL_PIF_OF(ep) : NULL;
}

struct sl_vif *
sl_arg_vif(struct sl_ctl *ctl, const struct sl_args *a, struct sl_err *err)
{
	struct sl_endpoint *ep = endpoint_arg(ctl, a, "uuid", true, err);

	return ep ? SL_VIF_OF(ep) : NULL;
}
