/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A bridge's Controller rows, the passive ones: pssl:[PORT][:IP] (TLS,
 * OpenSSL, with the certificate, key and CA of the database's SSL table,
 * as ovs-vswitchd takes them) and ptcp:[PORT][:IP]. Xen Orchestra's SDN
 * controller inserts one Controller row pssl: on its bridges and connects
 * to port 6653 with its own certificate, which the CA must have signed
 * (the peer's certificate is required, as OVS requires it). Connections
 * there are controller connections: they get FLOW_REMOVED.
 *
 * Active targets (tcp:, ssl:) are of_active.c's; unix: is not followed
 * (status says so).
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

#define LISTENER_OF(w) \
	((struct sl_of_listener *)((char *)(w) - offsetof(struct sl_of_listener, watch)))

/* "pssl:6653:10.0.0.1" → tls, port, ip; false if not a passive target. */
static bool
parse_target(const char *t, bool *tls, unsigned int *port, char *ip, size_t len)
{
	const char *rest;
	char *end;
	unsigned long p = SL_OF_DEFAULT_PORT;

	if (strncmp(t, "pssl:", 5) == 0)
		*tls = true, rest = t + 5;
	else if (strncmp(t, "ptcp:", 5) == 0)
		*tls = false, rest = t + 5;
	else
		return false;
	snprintf(ip, len, "0.0.0.0");
	if (*rest && *rest != ':') {
		p = strtoul(rest, &end, 10);
		if (end == rest || p == 0 || p > 65535 || (*end && *end != ':'))
			return false;
		rest = end;
	}
	if (*rest == ':')
		snprintf(ip, len, "%s", rest + 1);
	*port = (unsigned int)p;
	return true;
}

static void
on_accept(struct sl_watch *w, uint32_t events)
{
	struct sl_of_listener *l = LISTENER_OF(w);
	int fd;

	(void)events;
	while ((fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		SSL *ssl = NULL;

		if (l->tls && (!(ssl = SSL_new(l->ctx)) || SSL_set_fd(ssl, fd) != 1)) {
			SL_LOG(WARNING, "openflow: %s: no TLS session for a connection\n",
			       l->target);
			SSL_free(ssl);
			close(fd);
			continue;
		}
		if (ssl)
			SSL_set_accept_state(ssl);
		sl_of_client_open(l->bridge, fd, ssl, true, l->probe_s);
	}
}

static void
close_listener(struct sl_of_listener *l)
{
	struct sl_of_bridge *b = l->bridge;

	/* its connections go with it */
	for (unsigned int i = 0; b && i < SL_OF_CLIENTS_PER_BRIDGE; i++)
		if (b->clients[i] && b->clients[i]->controller)
			sl_of_client_close(b->clients[i]);
	if (l->watch.fd >= 0) {
		sl_loop_del(l->of->rt->host.loop, &l->watch);
		close(l->watch.fd);
	}
	SSL_CTX_free(l->ctx);
	memset(l, 0, sizeof(*l));
}

/* Listen on ip:port for b: 0, or -1 with why. */
static int
open_listener(struct sl_of_listener *l, const char *ip, unsigned int port,
	      char *err, size_t len)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, fd;

	if (inet_pton(AF_INET, ip, &sa.sin_addr) != 1) {
		snprintf(err, len, "%s is not an IPv4 address", ip);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		snprintf(err, len, "cannot listen on %s:%u: %s", ip, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	l->watch.fd = fd;
	l->watch.fn = on_accept;
	if (sl_loop_add(l->of->rt->host.loop, &l->watch, EPOLLIN) < 0) {
		snprintf(err, len, "cannot watch %s:%u", ip, port);
		close(fd);
		l->watch.fd = -1;
		return -1;
	}
	return 0;
}

static struct sl_of_listener *
listener_at(struct sl_openflow *of, const char *addr)
{
	for (unsigned int i = 0; i < SL_OF_MAX_LISTENERS; i++)
		if (of->listeners[i].used && strcmp(of->listeners[i].addr, addr) == 0)
			return &of->listeners[i];
	return NULL;
}

/* The bridges in name order: the first naming an address has it. */
static int
by_name(const void *a, const void *b)
{
	const struct sl_of_bridge *x = *(struct sl_of_bridge *const *)a;
	const struct sl_of_bridge *y = *(struct sl_of_bridge *const *)b;

	return strcmp(x->name, y->name);
}

/* One target of bridge b: its state for status. */
static const char *
want_target(struct sl_openflow *of, struct sl_of_bridge *b, const char *target,
	    unsigned int probe_s, const json_t *ssl, bool *kept,
	    bool *kept_active, char *state, size_t len)
{
	char ip[64], addr[80], files[768];
	unsigned int port;
	bool tls;
	struct sl_of_listener *l;

	if (!parse_target(target, &tls, &port, ip, sizeof(ip))) {
		snprintf(state, len, "%s",
			 sl_of_active_want(of, b, target, probe_s, ssl,
					   kept_active));
		return state;
	}
	snprintf(addr, sizeof(addr), "%s:%u", ip, port);
	sl_of_ssl_files(ssl, tls, files, sizeof(files));
	l = listener_at(of, addr);
	if (l && kept[l - of->listeners]) {
		snprintf(state, len, "%s is bridge %s's (as in OVS, one bridge a port)",
			 addr, l->bridge->name);
		return state;
	}
	if (l && (l->bridge != b || l->tls != tls || strcmp(l->ssl_files, files) != 0)) {
		close_listener(l);
		l = NULL;
	}
	if (!l) {
		for (unsigned int i = 0; !l && i < SL_OF_MAX_LISTENERS; i++)
			if (!of->listeners[i].used)
				l = &of->listeners[i];
		if (!l) {
			snprintf(state, len, "not followed: more than %d listeners",
				 SL_OF_MAX_LISTENERS);
			return state;
		}
		l->of = of;
		l->watch.fd = -1;
		if (tls && !(l->ctx = sl_of_tls_ctx(ssl, true, state, len)))
			return state;
		if (open_listener(l, ip, port, state, len) < 0) {
			SSL_CTX_free(l->ctx);
			l->ctx = NULL;
			return state;
		}
		l->used = true;
		l->tls = tls;
		l->bridge = b;
		snprintf(l->target, sizeof(l->target), "%s", target);
		snprintf(l->addr, sizeof(l->addr), "%s", addr);
		snprintf(l->ssl_files, sizeof(l->ssl_files), "%s", files);
		SL_LOG(INFO, "openflow: %s: controllers connect to %s (%s)\n", b->name,
		       addr, tls ? "TLS" : "TCP");
	}
	kept[l - of->listeners] = true;
	l->probe_s = probe_s;	/* for the connections to come */
	snprintf(state, len, "listening on %s", addr);
	return state;
}

void
sl_of_controllers_sync(struct sl_openflow *of)
{
	struct sl_ovsdb *o = sl_ovsdb_of(of->rt);
	struct sl_of_bridge *order[SL_OF_MAX_BRIDGES];
	bool kept[SL_OF_MAX_LISTENERS] = { false };
	bool kept_active[SL_OF_MAX_ACTIVES] = { false };
	const json_t *ovs = NULL, *ssl = NULL, *v;
	const char *uuid;
	char ssl_uuid[SL_OVSDB_UUID_LEN + 1];
	unsigned int n = 0;

	json_object_foreach(json_object_get(o->tables, "Open_vSwitch"), uuid, v)
		ovs = v;
	if (ovs && sl_ovsdb_set_size(json_object_get(ovs, "ssl")) == 1 &&
	    sl_ovsdb_uuid(sl_ovsdb_set_get(json_object_get(ovs, "ssl"), 0), ssl_uuid))
		ssl = sl_ovsdb_row(o, "SSL", ssl_uuid);
	for (unsigned int i = 0; i < SL_OF_MAX_BRIDGES; i++)
		if (of->bridges[i].used)
			order[n++] = &of->bridges[i];
	qsort(order, n, sizeof(order[0]), by_name);
	for (unsigned int i = 0; i < n; i++) {
		struct sl_of_bridge *b = order[i];
		const json_t *row = sl_ovsdb_row(o, "Bridge", b->uuid);
		const json_t *set = json_object_get(row, "controller");

		json_decref(b->controllers);
		b->controllers = json_array();
		for (size_t k = 0; k < sl_ovsdb_set_size(set); k++) {
			char cuuid[SL_OVSDB_UUID_LEN + 1], state[256];
			const json_t *crow;
			const char *target;

			if (!sl_ovsdb_uuid(sl_ovsdb_set_get(set, k), cuuid) ||
			    !(target = json_string_value(json_object_get(
				      crow = sl_ovsdb_row(o, "Controller", cuuid),
				      "target"))))
				continue;
			want_target(of, b, target, sl_of_probe_s(crow), ssl, kept,
				    kept_active, state, sizeof(state));
			json_array_append_new(b->controllers, json_pack(
				"{s:s, s:s}", "target", target, "state", state));
		}
	}
	for (unsigned int i = 0; i < SL_OF_MAX_LISTENERS; i++)
		if (of->listeners[i].used && !kept[i])
			close_listener(&of->listeners[i]);
	sl_of_active_close_some(of, kept_active, NULL);
}

void
sl_of_controllers_fini(struct sl_openflow *of)
{
	for (unsigned int i = 0; i < SL_OF_MAX_LISTENERS; i++)
		if (of->listeners[i].used)
			close_listener(&of->listeners[i]);
	sl_of_active_close_some(of, NULL, NULL);
}

void
sl_of_controllers_drop_bridge(struct sl_openflow *of, const struct sl_of_bridge *b)
{
	for (unsigned int i = 0; i < SL_OF_MAX_LISTENERS; i++)
		if (of->listeners[i].used && of->listeners[i].bridge == b)
			close_listener(&of->listeners[i]);
	sl_of_active_close_some(of, NULL, b);
}
