/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The connection to the database, as ovs-vswitchd keeps it: connect (unix:
 * or tcp:), ask for the lock ovs_vswitchd and monitor the tables at once,
 * act only while holding the lock (a second switch waits for it, and says
 * so), answer echo, and when the server goes away keep the switch as it is
 * and connect again with a growing backoff; the monitor's first reply then
 * replaces the tables, and the model is made again from them. Nothing here
 * blocks: the socket is non-blocking and its events come from the control
 * loop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "ovsdb.h"

#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 8000

#define OVSDB_OF_WATCH(w) \
	((struct sl_ovsdb *)((char *)(w) - offsetof(struct sl_ovsdb, watch)))

const char *
sl_ovsdb_state_name(const struct sl_ovsdb *o)
{
	if (o->conn != SL_OVSDB_CONNECTED)
		return o->conn == SL_OVSDB_CONNECTING ? "connecting" : "disconnected";
	if (!o->locked)
		return "waiting for the lock " SL_OVSDB_LOCK;
	return o->synced ? "in control" : "reading the tables";
}

static void
disconnect(struct sl_ovsdb *o, const char *why)
{
	if (o->stream.fd >= 0) {
		sl_loop_del(o->rt->host.loop, &o->watch);
		sl_json_stream_close(&o->stream);
	}
	if (o->conn == SL_OVSDB_CONNECTED || o->conn == SL_OVSDB_CONNECTING)
		o->disconnects++;
	if (strcmp(why, o->last_error) != 0 || o->conn == SL_OVSDB_CONNECTED)
		SL_LOG(WARNING, "database %s: %s; the switch keeps its configuration, retrying in %.2f s\n",
		       o->remote, why, (double)o->backoff_ms / 1000);
	snprintf(o->last_error, sizeof(o->last_error), "%s", why);
	o->conn = SL_OVSDB_IDLE;
	o->locked = o->synced = o->lock_wait_said = false;
	o->retry_at_ms = sl_runtime_now_ms() + o->backoff_ms;
	o->backoff_ms = o->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
							       o->backoff_ms * 2;
}

static void
send_msg(struct sl_ovsdb *o, json_t *msg)
{
	char why[256];

	if (!msg) {	/* a json_pack that failed: out of memory */
		disconnect(o, "out of memory");
		return;
	}
	if (o->conn != SL_OVSDB_CONNECTED) {
		json_decref(msg);
		return;
	}
	if (sl_json_stream_send(&o->stream, msg, why, sizeof(why)) < 0) {
		json_decref(msg);
		disconnect(o, why);
		return;
	}
	json_decref(msg);
	sl_loop_mod(o->rt->host.loop, &o->watch,
		    EPOLLIN | (sl_json_stream_pending(&o->stream) ? EPOLLOUT : 0));
}

static void
request(struct sl_ovsdb *o, const char *method, json_t *params, const char *id)
{
	send_msg(o, json_pack("{s:s, s:o, s:s}", "method", method, "params",
			      params, "id", id));
}

void
sl_ovsdb_transact(struct sl_ovsdb *o, json_t *ops)
{
	char id[32];

	if (!o->locked) {
		json_decref(ops);
		return;
	}
	/* the server refuses the whole transaction if the lock was lost
	 * meanwhile: never two switches writing */
	json_array_insert_new(ops, 0, json_pack("{s:s, s:s}", "op", "assert",
						"lock", SL_OVSDB_LOCK));
	json_array_insert_new(ops, 0, json_string("Open_vSwitch"));
	snprintf(id, sizeof(id), "transact-%llu", (unsigned long long)++o->next_id);
	o->transactions++;
	request(o, "transact", ops, id);
}

static void
on_connected(struct sl_ovsdb *o)
{
	o->conn = SL_OVSDB_CONNECTED;
	o->connects++;
	SL_LOG(NOTICE, "database %s: connected; asking for the lock " SL_OVSDB_LOCK "\n",
	       o->remote);
	sl_loop_mod(o->rt->host.loop, &o->watch, EPOLLIN);
	request(o, "lock", json_pack("[s]", SL_OVSDB_LOCK), "lock");
	if (o->conn != SL_OVSDB_CONNECTED)
		return;
	request(o, "monitor", json_pack("[s, n, o]", "Open_vSwitch",
					sl_ovsdb_monitor_requests()),
		"monitor");
}

/* The lock is ours: act on what the tables say. */
static void
got_lock(struct sl_ovsdb *o)
{
	o->locked = true;
	o->dirty = true;
	SL_LOG(NOTICE, "database %s: holding the lock " SL_OVSDB_LOCK "; this sluiced is the switch\n",
	       o->remote);
}

static void
on_reply(struct sl_ovsdb *o, const char *id, json_t *result, json_t *error)
{
	if (strcmp(id, "lock") == 0) {
		if (json_is_true(json_object_get(result, "locked")))
			got_lock(o);
		else if (!o->lock_wait_said) {
			o->lock_wait_said = true;
			SL_LOG(WARNING, "database %s: another switch holds the lock " SL_OVSDB_LOCK " (is ovs-vswitchd running?); waiting for it\n",
			       o->remote);
		}
	} else if (strcmp(id, "monitor") == 0) {
		if (!json_is_null(error) && error) {
			char *text = json_dumps(error, JSON_COMPACT);

			SL_LOG(ERR, "database %s: monitor refused: %s\n", o->remote,
			       text ? text : "?");
			free(text);
			return;
		}
		json_object_clear(o->tables);
		sl_ovsdb_replica_apply(o, result);
		o->synced = true;
		o->dirty = true;
		o->backoff_ms = BACKOFF_MIN_MS;
		o->last_error[0] = '\0';
	} else if (strncmp(id, "transact-", 9) == 0) {
		json_t *op;
		size_t i;

		/* a failed operation shows as an error member in its result */
		json_array_foreach(result, i, op) {
			json_t *e = json_object_get(op, "error");

			if (!json_is_string(e))
				continue;
			o->failed_transactions++;
			SL_LOG(WARNING, "database %s: status write refused: %s: %s\n",
			       o->remote, json_string_value(e),
			       json_string_value(json_object_get(op, "details")) ?: "");
			break;
		}
	}
}

static void
on_message(void *arg, json_t *msg)
{
	struct sl_ovsdb *o = arg;
	const char *method = json_string_value(json_object_get(msg, "method"));
	json_t *params = json_object_get(msg, "params");
	json_t *id = json_object_get(msg, "id");

	if (!method) {
		if (json_is_string(id))
			on_reply(o, json_string_value(id),
				 json_object_get(msg, "result"),
				 json_object_get(msg, "error"));
		return;
	}
	if (strcmp(method, "echo") == 0 && id) {
		send_msg(o, json_pack("{s:O, s:n, s:O}", "result",
				      params ? params : json_array(), "error", "id", id));
	} else if (strcmp(method, "update") == 0) {
		if (o->synced)
			sl_ovsdb_replica_apply(o, json_array_get(params, 1));
		o->dirty = true;
	} else if (strcmp(method, "locked") == 0) {
		got_lock(o);
	} else if (strcmp(method, "stolen") == 0) {
		o->locked = false;
		SL_LOG(WARNING, "database %s: the lock " SL_OVSDB_LOCK " was taken by another client; no more changes are applied until it is back\n",
		       o->remote);
	} else if (id && !json_is_null(id)) {
		send_msg(o, json_pack("{s:n, s:s, s:O}", "result", "error",
				      "unknown method", "id", id));
	}
}

static void
on_event(struct sl_watch *w, uint32_t events)
{
	struct sl_ovsdb *o = OVSDB_OF_WATCH(w);
	char why[256];

	if (o->conn == SL_OVSDB_CONNECTING) {
		int soerr = 0;
		socklen_t len = sizeof(soerr);

		if (getsockopt(w->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
			soerr = errno;
		if (soerr) {
			disconnect(o, strerror(soerr));
			return;
		}
		on_connected(o);
		return;
	}
	if ((events & EPOLLOUT) &&
	    sl_json_stream_flush(&o->stream, why, sizeof(why)) < 0) {
		disconnect(o, why);
		return;
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		if (sl_json_stream_read(&o->stream, on_message, o, why,
					sizeof(why)) < 0) {
			disconnect(o, why);
			return;
		}
	}
	if (o->conn != SL_OVSDB_CONNECTED)
		return;
	sl_loop_mod(o->rt->host.loop, &o->watch,
		    EPOLLIN | (sl_json_stream_pending(&o->stream) ? EPOLLOUT : 0));
	/* after the whole read: one model change for a burst of updates */
	if (o->dirty && o->locked && o->synced && !o->rt->frozen_for) {
		o->dirty = false;
		sl_ovsdb_map(o);
		sl_ovsdb_write_status(o, false);
	}
}

/* unix:PATH or tcp:IP:PORT into a socket address; -1 with why. */
static int
parse_remote(const char *remote, struct sockaddr_storage *sa, socklen_t *len,
	     char *why, size_t wlen)
{
	memset(sa, 0, sizeof(*sa));
	if (strncmp(remote, "unix:", 5) == 0) {
		struct sockaddr_un *un = (struct sockaddr_un *)sa;

		if (!remote[5] || strlen(remote + 5) >= sizeof(un->sun_path)) {
			snprintf(why, wlen, "--ovsdb %s: the socket path must be 1..%zu characters",
				 remote, sizeof(un->sun_path) - 1);
			return -1;
		}
		un->sun_family = AF_UNIX;
		strcpy(un->sun_path, remote + 5);
		*len = sizeof(*un);
		return 0;
	}
	if (strncmp(remote, "tcp:", 4) == 0) {
		struct sockaddr_in *in = (struct sockaddr_in *)sa;
		const char *colon = strrchr(remote + 4, ':');
		char host[64];
		char *end;
		long port;

		if (!colon || (size_t)(colon - remote - 4) >= sizeof(host))
			goto bad_tcp;
		memcpy(host, remote + 4, (size_t)(colon - remote - 4));
		host[colon - remote - 4] = '\0';
		port = strtol(colon + 1, &end, 10);
		if (*end || port < 1 || port > 65535 ||
		    inet_pton(AF_INET, host, &in->sin_addr) != 1)
			goto bad_tcp;
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*len = sizeof(*in);
		return 0;
bad_tcp:
		snprintf(why, wlen, "--ovsdb %s: expected tcp:IPv4:PORT", remote);
		return -1;
	}
	snprintf(why, wlen, "--ovsdb %s: the remote must be unix:PATH or tcp:IP:PORT (ssl: is not supported: run sluiced on the host with the database's unix socket)",
		 remote);
	return -1;
}

static void
connect_now(struct sl_ovsdb *o)
{
	struct sockaddr_storage sa;
	socklen_t len;
	char why[320];
	int fd;

	if (parse_remote(o->remote, &sa, &len, why, sizeof(why)) < 0) {
		disconnect(o, why);
		return;
	}
	fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		disconnect(o, strerror(errno));
		return;
	}
	sl_json_stream_init(&o->stream, fd);
	o->watch.fd = fd;
	o->watch.fn = on_event;
	if (connect(fd, (struct sockaddr *)&sa, len) == 0) {
		o->conn = SL_OVSDB_CONNECTING;	/* counted by on_connected */
		if (sl_loop_add(o->rt->host.loop, &o->watch, EPOLLIN) < 0) {
			disconnect(o, "cannot watch the socket");
			return;
		}
		on_connected(o);
		return;
	}
	if (errno != EINPROGRESS && errno != EAGAIN) {
		snprintf(why, sizeof(why), "cannot connect: %s", strerror(errno));
		o->conn = SL_OVSDB_IDLE;
		sl_json_stream_close(&o->stream);
		disconnect(o, why);
		return;
	}
	o->conn = SL_OVSDB_CONNECTING;
	if (sl_loop_add(o->rt->host.loop, &o->watch, EPOLLOUT) < 0)
		disconnect(o, "cannot watch the socket");
}

int
sl_ovsdb_session_start(struct sl_ovsdb *o, struct sl_err *err)
{
	struct sockaddr_storage sa;
	socklen_t len;
	char why[320];

	if (parse_remote(o->remote, &sa, &len, why, sizeof(why)) < 0)
		return sl_err_set(err, SL_E_INVALID_VALUE, "%s", why);
	o->tables = json_object();
	o->ifaces = json_object();
	o->unsupported = json_array();
	o->discovering = json_object();
	o->discovered = json_object();
	if (!o->tables || !o->ifaces || !o->unsupported || !o->discovering ||
	    !o->discovered)
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	sl_json_stream_init(&o->stream, -1);
	o->backoff_ms = BACKOFF_MIN_MS;
	SL_LOG(NOTICE, "database %s: the Open_vSwitch database owns the bridges, ports and interfaces%s\n",
	       o->remote, o->connect_later ?
	       " (connecting once the old sluiced has exited)" : "");
	if (o->connect_later)
		o->retry_at_ms = UINT64_MAX;	/* sl_ovsdb_session_connect */
	else
		connect_now(o);
	return 0;
}

void
sl_ovsdb_session_connect(struct sl_ovsdb *o)
{
	if (o->conn == SL_OVSDB_IDLE)
		connect_now(o);
}

void
sl_ovsdb_session_stop(struct sl_ovsdb *o)
{
	if (o->stream.fd >= 0) {
		sl_loop_del(o->rt->host.loop, &o->watch);
		sl_json_stream_close(&o->stream);
	}
	json_decref(o->tables);
	json_decref(o->ifaces);
	json_decref(o->unsupported);
	json_decref(o->discovering);
	json_decref(o->discovered);
	o->tables = o->ifaces = o->unsupported = NULL;
	o->discovering = o->discovered = NULL;
}

#define STATS_INTERVAL_MS 5000
#define ROUTES_INTERVAL_MS 2000

void
sl_ovsdb_session_tick(struct sl_ovsdb *o, uint64_t now_ms)
{
	if (o->conn == SL_OVSDB_IDLE && now_ms >= o->retry_at_ms) {
		connect_now(o);
		return;
	}
	if (o->conn != SL_OVSDB_CONNECTED || !o->locked || !o->synced)
		return;
	/* a takeover: the new sluiced reads the tables once it has the lock */
	if (o->rt->frozen_for)
		return;
	if (o->dirty) {
		o->dirty = false;
		sl_ovsdb_map(o);
		sl_ovsdb_write_status(o, false);
	}
	if (o->has_tunnels && now_ms >= o->routes_at_ms) {
		o->routes_at_ms = now_ms + ROUTES_INTERVAL_MS;
		o->dirty = true;
	}
	if (now_ms >= o->stats_at_ms) {
		o->stats_at_ms = now_ms + STATS_INTERVAL_MS;
		sl_ovsdb_write_status(o, true);
	}
}
