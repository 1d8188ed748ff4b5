/* SPDX-License-Identifier: BSD-3-Clause */
/* The control socket's answer line (sluice_api.h describes it), made in
 * one place for the daemon's answers and the server's own errors. */
#ifndef SL_RPC_H
#define SL_RPC_H

#include <jansson.h>

#include "sl_error_codes.h"

/* One JSON line without its newline (malloc'd; NULL when out of memory):
 * {"jsonrpc": "2.0", "id": id or null, "result": result} when result is
 * not NULL, else "error" in the one shape every error has: {"code": code,
 * "message": message, "data": {"name": NAME}}. */
char *sl_rpc_answer(json_t *id, json_t *result, enum sl_error_code code,
		    const char *message);

#endif
