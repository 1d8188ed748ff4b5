/* SPDX-License-Identifier: BSD-3-Clause */
/* The control socket's answer line (sl_rpc.h). */
#include "sl_rpc.h"

char *
sl_rpc_answer(json_t *id, json_t *result, enum sl_error_code code,
	      const char *message)
{
	json_t *a;
	char *text;

	if (result)
		a = json_pack("{s:s, s:O, s:O}", "jsonrpc", "2.0", "id",
			      id ? id : json_null(), "result", result);
	else
		a = json_pack("{s:s, s:O, s:{s:i, s:s, s:{s:s}}}", "jsonrpc",
			      "2.0", "id", id ? id : json_null(), "error",
			      "code", code, "message", message, "data", "name",
			      sl_error_name(code));
	if (!a)
		return NULL;
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return text;
}
