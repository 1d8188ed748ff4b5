/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow's sockets: a bridge's <bridge>.mgmt, where ovs-ofctl connects
 * (a service connection: no asynchronous messages), and the connections,
 * each an engine (of_proto.h) fed from the control loop. A connection
 * never blocks the loop: what the peer does not read stays queued (up to
 * the engine's limit, past which the connection is closed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "log.h"
#include "openflow.h"

#define CLIENT_OF(w) \
	((struct sl_of_client *)((char *)(w) - offsetof(struct sl_of_client, watch)))
#define BRIDGE_OF(w) \
	((struct sl_of_bridge *)((char *)(w) - offsetof(struct sl_of_bridge, listen)))

/* The connection whose input is being handled: what a callback queues
 * for it goes after its request's answer, never sent from inside it. */
static struct sl_of_client *in_use;

static struct sl_loop *
loop_of(const struct sl_of_bridge *b)
{
	return b->of->rt->host.loop;
}

/* A connection's counters go to the feature's when it closes. */
static void
fold_stats(struct sl_openflow *of, const struct sl_of_conn *conn)
{
	const struct sl_of_conn_stats *st = sl_of_conn_stats(conn);

	of->flow_mods += st->flow_mods;
	of->errors_sent += st->errors_sent;
	of->malformed += st->malformed;
	of->unsupported += st->unsupported;
}

void
sl_of_client_close(struct sl_of_client *c)
{
	struct sl_of_bridge *b = c->bridge;

	if (c->active)	/* connected out: again after the backoff */
		sl_of_active_closed(c->active);
	for (unsigned int i = 0; i < SL_OF_CLIENTS_PER_BRIDGE; i++)
		if (b->clients[i] == c)
			b->clients[i] = NULL;
	sl_loop_del(loop_of(b), &c->watch);
	if (c->ssl) {
		SSL_shutdown(c->ssl);	/* one try, never waiting */
		SSL_free(c->ssl);
	}
	close(c->watch.fd);
	fold_stats(b->of, c->conn);
	sl_of_conn_free(c->conn);
	free(c);
}

/* A TLS call that did not complete: EAGAIN when it waits for the socket
 * (*want_write: for it to take more), else the error, remembered. */
static ssize_t
tls_result(struct sl_of_client *c, int r, bool *want_write)
{
	int e = SSL_get_error(c->ssl, r);
	char why[160];

	switch (e) {
	case SSL_ERROR_WANT_WRITE:
		*want_write = true;
		/* fall through */
	case SSL_ERROR_WANT_READ:
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;	/* the peer closed the session */
	default:
		ERR_error_string_n(ERR_get_error(), why, sizeof(why));
		snprintf(c->bridge->of->last_error, sizeof(c->bridge->of->last_error),
			 "%s: TLS: %s", c->bridge->name, e == SSL_ERROR_SSL ? why :
			 e == SSL_ERROR_SYSCALL ? "the connection failed" : "error");
		errno = EPROTO;
		return -1;
	}
}

static ssize_t
conn_recv(struct sl_of_client *c, void *buf, size_t len, bool *want_write)
{
	int r;

	if (!c->ssl)
		return recv(c->watch.fd, buf, len, MSG_DONTWAIT);
	ERR_clear_error();
	r = SSL_read(c->ssl, buf, (int)(len > INT32_MAX ? INT32_MAX : len));
	return r > 0 ? r : tls_result(c, r, want_write);
}

static ssize_t
conn_send(struct sl_of_client *c, const void *buf, size_t len, bool *want_write)
{
	int r;

	if (!c->ssl) {
		ssize_t n = send(c->watch.fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);

		*want_write = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
		return n;
	}
	ERR_clear_error();
	r = SSL_write(c->ssl, buf, (int)(len > INT32_MAX ? INT32_MAX : len));
	return r > 0 ? r : tls_result(c, r, want_write);
}

/* Watch for writability exactly when the socket must take more. */
static void
watch_out(struct sl_of_client *c, bool want)
{
	if (want == c->want_out)
		return;
	c->want_out = want;
	sl_loop_mod(loop_of(c->bridge), &c->watch, EPOLLIN | (want ? EPOLLOUT : 0));
}

/* Send what is queued; false if the connection failed (it is closed). */
static bool
client_send(struct sl_of_client *c)
{
	bool want_write = false;
	size_t len;
	const void *p;

	while ((p = sl_of_conn_output(c->conn, &len)) && len) {
		ssize_t n = conn_send(c, p, len, &want_write);

		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			sl_of_client_close(c);
			return false;
		}
		sl_of_conn_consumed(c->conn, (size_t)n);
	}
	watch_out(c, want_write || c->read_wants_write);
	return true;
}

void
sl_of_client_flush(struct sl_of_client *c)
{
	client_send(c);
}

void
sl_of_bridge_flush_others(struct sl_of_bridge *b)
{
	/* sending may close a connection: the one in use never */
	for (unsigned int k = 0; k < SL_OF_CLIENTS_PER_BRIDGE; k++)
		if (b->clients[k] && b->clients[k] != in_use)
			client_send(b->clients[k]);
}

static void
on_client(struct sl_watch *w, uint32_t events)
{
	struct sl_of_client *c = CLIENT_OF(w);
	uint8_t buf[65536];

	if (events & EPOLLOUT && !client_send(c))
		return;
	/* TLS reads on writability too: the session may have been waiting
	 * to write (a handshake) */
	if (!c->ssl && !(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	for (;;) {
		bool want_write = false;
		ssize_t n = conn_recv(c, buf, sizeof(buf), &want_write);

		if (n < 0 && errno == EAGAIN) {
			c->read_wants_write = want_write;
			/* a handshake just done lets our HELLO go */
			if (c->ssl && !client_send(c))
				return;
			watch_out(c, c->want_out || want_write);
			break;
		}
		if (n <= 0) {	/* the peer closed, or failed */
			sl_of_client_close(c);
			return;
		}
		c->last_rx_ms = sl_runtime_now_ms();	/* alive */
		c->probe_sent_ms = 0;
		in_use = c;
		n = sl_of_conn_input(c->conn, buf, (size_t)n);
		in_use = NULL;
		if (n < 0) {
			const char *why = sl_of_conn_last_error(c->conn);

			snprintf(c->bridge->of->last_error,
				 sizeof(c->bridge->of->last_error), "%s: %s",
				 c->bridge->name, why);
			SL_LOG(NOTICE, "openflow: %s: connection closed: %s\n",
			       c->bridge->name, why);
			/* the error the engine queued, as far as it goes */
			if (client_send(c))
				sl_of_client_close(c);
			return;
		}
		if (!client_send(c))
			return;
	}
}

unsigned int
sl_of_probe_s(const json_t *controller_row)
{
	const json_t *v = json_object_get(controller_row, "inactivity_probe");
	json_int_t ms;

	if (sl_ovsdb_set_size(v) != 1)
		return 5;	/* the column is empty: OVS's default */
	ms = json_integer_value(sl_ovsdb_set_get(v, 0));
	if (ms <= 0)
		return 0;	/* 0: no probe */
	return ms / 1000 > 5 ? (unsigned int)(ms / 1000) : 5;
}

/* One connection's probe; false if it was closed. */
static bool
probe(struct sl_of_client *c, uint64_t now_ms)
{
	uint64_t interval = (uint64_t)c->probe_s * 1000;

	if (!c->probe_sent_ms) {
		if (now_ms - c->last_rx_ms < interval ||
		    !sl_of_conn_echo_request(c->conn))
			return true;
		c->probe_sent_ms = now_ms;
		return client_send(c);
	}
	if (now_ms - c->probe_sent_ms < interval)
		return true;
	snprintf(c->bridge->of->last_error, sizeof(c->bridge->of->last_error),
		 "%s: no response to inactivity probe after %u seconds",
		 c->bridge->name, c->probe_s);
	SL_LOG(NOTICE, "openflow: %s: no response to inactivity probe after %u seconds, disconnecting\n",
	       c->bridge->name, c->probe_s);
	sl_of_client_close(c);
	return false;
}

void
sl_of_clients_probe(struct sl_openflow *of, uint64_t now_ms)
{
	for (unsigned int i = 0; i < SL_OF_MAX_BRIDGES; i++) {
		struct sl_of_bridge *b = &of->bridges[i];

		for (unsigned int k = 0; b->used && k < SL_OF_CLIENTS_PER_BRIDGE; k++)
			if (b->clients[k] && b->clients[k]->probe_s)
				probe(b->clients[k], now_ms);
	}
}

struct sl_of_client *
sl_of_client_open(struct sl_of_bridge *b, int fd, SSL *ssl, bool controller,
		  unsigned int probe_s)
{
	struct sl_of_client *c;
	unsigned int slot;

	for (slot = 0; slot < SL_OF_CLIENTS_PER_BRIDGE; slot++)
		if (!b->clients[slot])
			break;
	c = slot < SL_OF_CLIENTS_PER_BRIDGE ? calloc(1, sizeof(*c)) : NULL;
	if (c)
		c->conn = sl_of_conn_new(&sl_of_switch_ops, b, controller);
	if (!c || !c->conn) {
		b->of->refused_connections++;
		SL_LOG(WARNING, "openflow: %s: connection refused (%s)\n",
		       b->name, c ? "out of memory" : "too many connections");
		free(c);
		SSL_free(ssl);
		close(fd);
		return NULL;
	}
	if (b->versions)
		sl_of_conn_set_versions(c->conn, b->versions);
	c->ssl = ssl;
	c->watch.fd = fd;
	c->watch.fn = on_client;
	c->bridge = b;
	c->controller = controller;
	c->probe_s = probe_s;
	c->last_rx_ms = sl_runtime_now_ms();
	if (sl_loop_add(loop_of(b), &c->watch, EPOLLIN) < 0) {
		sl_of_conn_free(c->conn);
		free(c);
		SSL_free(ssl);
		close(fd);
		return NULL;
	}
	b->clients[slot] = c;
	b->of->connections++;
	client_send(c);	/* our HELLO (a failure closes c: NULL then) */
	return b->clients[slot];
}

static void
on_accept(struct sl_watch *w, uint32_t events)
{
	struct sl_of_bridge *b = BRIDGE_OF(w);
	int fd;

	(void)events;
	while ((fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
		sl_of_client_open(b, fd, NULL, false, 0);
}

int
sl_of_listen(struct sl_of_bridge *b, struct sl_err *err)
{
	int fd;

	b->listen.fd = -1;
	snprintf(b->path, sizeof(b->path), "%s/%s.mgmt", sl_ovsdb_rundir(), b->name);
	fd = sl_unix_listen(b->path, 16);
	if (fd < 0) {
		b->path[0] = '\0';
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "cannot listen on %s/%s.mgmt: %s",
				  sl_ovsdb_rundir(), b->name, strerror(-fd));
	}
	b->listen.fd = fd;
	b->listen.fn = on_accept;
	if (sl_loop_add(loop_of(b), &b->listen, EPOLLIN) < 0) {
		close(fd);
		unlink(b->path);
		b->listen.fd = -1;
		b->path[0] = '\0';
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "cannot watch %s", b->path);
	}
	SL_LOG(INFO, "openflow: %s: ovs-ofctl answered on %s\n", b->name, b->path);
	return 0;
}

void
sl_of_unlisten(struct sl_of_bridge *b)
{
	for (unsigned int i = 0; i < SL_OF_CLIENTS_PER_BRIDGE; i++)
		if (b->clients[i])
			sl_of_client_close(b->clients[i]);
	if (b->listen.fd >= 0 && b->path[0]) {
		sl_loop_del(loop_of(b), &b->listen);
		close(b->listen.fd);
		unlink(b->path);
	}
	b->listen.fd = -1;
	b->path[0] = '\0';
}
