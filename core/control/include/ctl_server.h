/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_CTL_SERVER_H
#define SL_CTL_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "loop.h"
#include "sl_error.h"

struct sl_peer {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	/* the connection, for as long as the daemon runs: closed() names
	 * it when the client goes (a capture stops with the sluicectl that
	 * started it) */
	uint64_t conn_id;
	/* A file descriptor that came with the request (SCM_RIGHTS), or -1.
	 * A handler that keeps it sets this to -1; otherwise the server
	 * closes it once the request is answered. */
	int fd;
};

/* Handle one request line; returns the answer line (malloc'd, no newline)
 * or NULL for none (a JSON-RPC notification). */
typedef char *(*sl_rpc_handler)(void *arg, const char *line, size_t len,
				struct sl_peer *peer);

struct sl_ctl_server_conf {
	const char *path;
	const char *group;	/* may connect besides root; NULL: root only */
	sl_rpc_handler handler;
	/* a client's connection is gone (NULL: not told) */
	void (*closed)(void *arg, uint64_t conn_id);
	void *arg;
	/* a connection with no complete request (nor any byte of its answers
	 * taken) for this long is closed; 0: never */
	unsigned int idle_timeout_s;
	/* connections one uid but root may hold at once; 0: no cap but
	 * the slots' */
	unsigned int per_uid;
	/* a takeover (takeover.h): the path is the old sluiced's live
	 * socket; bind beside it and rename over it */
	bool take_path;
};

/* Connections at once, every uid together; of those, the slots only root
 * may take (ctl_admit.h). */
#define SL_CTL_MAX_CLIENTS 256
#define SL_CTL_ROOT_SLOTS 4

/* What the limits did since start (status shows them). */
struct sl_ctl_server_counts {
	uint64_t refused_full;		/* every slot the peer may use taken */
	uint64_t refused_per_uid;	/* its uid had as many as it may */
	uint64_t idle_closed;		/* closed by the idle timeout */
};

struct sl_ctl_server;

/* Listen on conf->path (mode 0660, owned by root and the group). A stale
 * socket file is replaced; a live one (another daemon) is an error. */
struct sl_ctl_server *sl_ctl_server_open(struct sl_loop *loop,
					 const struct sl_ctl_server_conf *conf,
					 struct sl_err *err);
void sl_ctl_server_close(struct sl_ctl_server *s);
unsigned int sl_ctl_server_clients(const struct sl_ctl_server *s);
uint64_t sl_ctl_server_refused(const struct sl_ctl_server *s);
struct sl_ctl_server_counts sl_ctl_server_counts(const struct sl_ctl_server *s);

#endif
