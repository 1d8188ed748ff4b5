/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A bridge's active Controller targets, tcp:IP[:PORT] and ssl:IP[:PORT]
 * (default port 6653): sluice connects out, as ovs-vswitchd does, and
 * speaks on that connection as on an accepted one (a controller
 * connection: it gets FLOW_REMOVED). When it fails or closes, sluice
 * connects again after a backoff that starts at 1 s and doubles to 8 s
 * (OVS's rconn: max_backoff 8 s), back to 1 s once a connection was made.
 * ssl: shows the SSL table's certificate and wants the controller's to be
 * signed by its CA, as OVS does. The connect never blocks the loop: a
 * non-blocking connect watched for writability.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
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

#define ACTIVE_OF(w) \
	((struct sl_of_active *)((char *)(w) - offsetof(struct sl_of_active, watch)))
#define BACKOFF_MIN_MS 1000u
#define BACKOFF_MAX_MS 8000u

bool
sl_of_active_parse(const char *t, bool *tls, char *ip, size_t len,
		   unsigned int *port)
{
	const char *rest, *colon;
	unsigned long p = SL_OF_DEFAULT_PORT;
	char *end;

	if (strncmp(t, "ssl:", 4) == 0)
		*tls = true, rest = t + 4;
	else if (strncmp(t, "tcp:", 4) == 0)
		*tls = false, rest = t + 4;
	else
		return false;
	colon = strchr(rest, ':');
	if (colon) {
		p = strtoul(colon + 1, &end, 10);
		if (end == colon + 1 || *end || p == 0 || p > 65535)
			return false;
	}
	snprintf(ip, len, "%.*s", (int)(colon ? (size_t)(colon - rest) : strlen(rest)),
		 rest);
	*port = (unsigned int)p;
	return *ip != '\0';
}

static struct sl_loop *
loop_of(const struct sl_of_active *a)
{
	return a->of->rt->host.loop;
}

/* Give up the socket being connected (not a connection made). */
static void
drop_socket(struct sl_of_active *a)
{
	if (a->watch.fd < 0)
		return;
	sl_loop_del(loop_of(a), &a->watch);
	close(a->watch.fd);
	a->watch.fd = -1;
}

/* The next try after a failure: why for status, the backoff doubled. */
static void
retry_later(struct sl_of_active *a, uint64_t now_ms, const char *why)
{
	drop_socket(a);
	a->next_try_ms = now_ms + a->backoff_ms;
	snprintf(a->state, sizeof(a->state), "connecting to %s:%u again in %u s: %s",
		 a->ip, a->port, a->backoff_ms / 1000, why);
	a->backoff_ms = a->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
			a->backoff_ms * 2;
}

static void
on_connected(struct sl_watch *w, uint32_t events)
{
	struct sl_of_active *a = ACTIVE_OF(w);
	uint64_t now = sl_runtime_now_ms();
	int err = 0, fd = a->watch.fd;
	socklen_t len = sizeof(err);
	SSL *ssl = NULL;

	(void)events;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err == EINPROGRESS)
		return;
	if (err) {
		retry_later(a, now, strerror(err));
		return;
	}
	if (a->tls && (!(ssl = SSL_new(a->ctx)) || SSL_set_fd(ssl, fd) != 1)) {
		SSL_free(ssl);
		retry_later(a, now, "no TLS session");
		return;
	}
	if (ssl)
		SSL_set_connect_state(ssl);
	/* the connection owns the socket from here */
	sl_loop_del(loop_of(a), &a->watch);
	a->watch.fd = -1;
	a->client = sl_of_client_open(a->bridge, fd, ssl, true, a->probe_s);
	if (!a->client) {
		a->next_try_ms = now + a->backoff_ms;
		snprintf(a->state, sizeof(a->state), "connecting to %s:%u again in %u s: the connection failed at once (or the bridge has too many)",
			 a->ip, a->port, a->backoff_ms / 1000);
		return;
	}
	a->client->active = a;
	a->backoff_ms = BACKOFF_MIN_MS;
	snprintf(a->state, sizeof(a->state), "connected to %s:%u", a->ip, a->port);
	SL_LOG(INFO, "openflow: %s: connected to controller %s\n",
	       a->bridge->name, a->target);
}

static void
try_connect(struct sl_of_active *a, uint64_t now_ms)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)a->port) };
	int fd;

	if (inet_pton(AF_INET, a->ip, &sa.sin_addr) != 1) {
		retry_later(a, now_ms, "not an IPv4 address");
		return;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		retry_later(a, now_ms, strerror(errno));
		return;
	}
	a->watch.fd = fd;
	a->watch.fn = on_connected;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
	    errno != EINPROGRESS) {
		retry_later(a, now_ms, strerror(errno));
		return;
	}
	if (sl_loop_add(loop_of(a), &a->watch, EPOLLOUT) < 0) {
		retry_later(a, now_ms, "cannot watch the socket");
		return;
	}
	snprintf(a->state, sizeof(a->state), "connecting to %s:%u", a->ip, a->port);
}

void
sl_of_active_tick(struct sl_openflow *of, uint64_t now_ms)
{
	for (unsigned int i = 0; i < SL_OF_MAX_ACTIVES; i++) {
		struct sl_of_active *a = &of->actives[i];

		if (a->used && !a->client && a->watch.fd < 0 &&
		    now_ms >= a->next_try_ms)
			try_connect(a, now_ms);
	}
}

void
sl_of_active_closed(struct sl_of_active *a)
{
	a->client = NULL;
	SL_LOG(NOTICE, "openflow: %s: the connection to controller %s closed\n",
	       a->bridge->name, a->target);
	retry_later(a, sl_runtime_now_ms(), "the connection closed");
}

void
sl_of_active_close(struct sl_of_active *a)
{
	if (a->client) {
		a->client->active = NULL;	/* no reconnect */
		sl_of_client_close(a->client);
	}
	drop_socket(a);
	SSL_CTX_free(a->ctx);
	memset(a, 0, sizeof(*a));
	a->watch.fd = -1;
}

const char *
sl_of_active_want(struct sl_openflow *of, struct sl_of_bridge *b,
		  const char *target, unsigned int probe_s, const json_t *ssl,
		  bool *kept)
{
	static char state[256];
	char ip[64], files[768];
	unsigned int port;
	struct sl_of_active *a = NULL;
	bool tls;

	if (!sl_of_active_parse(target, &tls, ip, sizeof(ip), &port))
		return "not followed: not a target sluice knows (tcp:IP[:PORT], ssl:IP[:PORT], pssl:, ptcp:)";
	sl_of_ssl_files(ssl, tls, files, sizeof(files));
	for (unsigned int i = 0; !a && i < SL_OF_MAX_ACTIVES; i++) {
		struct sl_of_active *x = &of->actives[i];

		if (x->used && !kept[i] && x->bridge == b &&
		    strcmp(x->target, target) == 0 && strcmp(x->ssl_files, files) == 0)
			a = x;
	}
	for (unsigned int i = 0; !a && i < SL_OF_MAX_ACTIVES; i++)
		if (!of->actives[i].used) {
			a = &of->actives[i];
			memset(a, 0, sizeof(*a));
			a->watch.fd = -1;
			a->of = of;
			a->bridge = b;
			a->tls = tls;
			a->port = port;
			a->backoff_ms = BACKOFF_MIN_MS;
			snprintf(a->ip, sizeof(a->ip), "%s", ip);
			snprintf(a->target, sizeof(a->target), "%s", target);
			snprintf(a->ssl_files, sizeof(a->ssl_files), "%s", files);
			snprintf(a->state, sizeof(a->state), "connecting to %s:%u", ip, port);
			if (tls && !(a->ctx = sl_of_tls_ctx(ssl, false, state, sizeof(state)))) {
				memset(a, 0, sizeof(*a));
				a->watch.fd = -1;
				return state;
			}
			a->used = true;
			SL_LOG(INFO, "openflow: %s: connects to controller %s\n",
			       b->name, target);
		}
	if (!a)
		return "not followed: too many active controllers";
	kept[a - of->actives] = true;
	a->probe_s = probe_s;	/* for the connections to come */
	return a->state;
}

void
sl_of_active_close_some(struct sl_openflow *of, const bool *kept,
			const struct sl_of_bridge *b)
{
	for (unsigned int i = 0; i < SL_OF_MAX_ACTIVES; i++) {
		const struct sl_of_active *a = &of->actives[i];

		if (a->used && (kept ? !kept[i] : !b || a->bridge == b))
			sl_of_active_close(&of->actives[i]);
	}
}
