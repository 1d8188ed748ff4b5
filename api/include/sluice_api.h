/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control socket's wire protocol: what a client (sluicectl, the XAPI
 * plugin, a script) needs to know, and nothing of the daemon's insides.
 *
 * A Unix stream socket carrying newline-delimited JSON-RPC 2.0. Each request
 * is one line:
 *
 *   {"jsonrpc": "2.0", "id": 1, "method": "network-create",
 *    "params": {"name-label": "lab", "MTU": "9000"}}
 *
 * Methods are the sluicectl commands; params are their key=value arguments
 * (strings; numbers and booleans are accepted and read as their text; a
 * command that says so takes a list, as add-rules does). The
 * answer is one line with "result" or "error":
 *
 *   {"jsonrpc": "2.0", "id": 1, "result": "6f1c...-uuid"}
 *   {"jsonrpc": "2.0", "id": 1, "error": {"code": 1003,
 *    "message": "uuid: no network has uuid ...",
 *    "data": {"name": "HANDLE_INVALID"}}}
 *
 * Every error has a code and a name in data.name: the list and what each
 * means is sl_error_codes.h (docs/reference/error-codes.md).
 */
#ifndef SLUICE_API_H
#define SLUICE_API_H

#define SLUICE_DEFAULT_SOCKET "/run/sluice/sluiced.sock"
/* How long sluicectl waits for an answer unless told (--timeout). */
#define SLUICE_DEFAULT_TIMEOUT_S 60

/* A request line longer than this is refused and the connection closed. */
#define SLUICE_MAX_REQUEST (1024 * 1024)

#define SLUICE_RPC_PARSE_ERROR -32700
#define SLUICE_RPC_INVALID_REQUEST -32600
#define SLUICE_RPC_METHOD_NOT_FOUND -32601
#define SLUICE_RPC_INVALID_PARAMS -32602
#define SLUICE_RPC_INTERNAL_ERROR -32603
/* The peer is neither root nor in the socket's group. */
#define SLUICE_RPC_PERMISSION_DENIED -32001
/* The daemon has as many clients as it serves at once (all of them, or
 * all that one uid may have). */
#define SLUICE_RPC_TOO_MANY_CLIENTS -32002
/* The connection sent no complete request for the idle timeout: closed. */
#define SLUICE_RPC_IDLE_TIMEOUT -32003

#endif
