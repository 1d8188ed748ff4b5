/* SPDX-License-Identifier: BSD-3-Clause */
/* The HTTP side: libmicrohttpd without a thread of its own. Its epoll
 * descriptor is watched by the control loop, and a request is answered in
 * the control thread, which is where the counters may be read (the model
 * and the runtime are the control thread's). */
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "log.h"
#include "metrics.h"

#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define MAX_CONNECTIONS 16	/* Prometheus keeps one; people curl */
#define IDLE_TIMEOUT_S 10

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned int status, const char *type,
      char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result rc;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
reply_static(struct MHD_Connection *c, unsigned int status, const char *text)
{
	return reply(c, status, "text/plain; charset=utf-8", (char *)text,
		     strlen(text), MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *c, const char *url,
       const char *method, const char *version, const char *upload_data,
       size_t *upload_data_size, void **req_cls)
{
	struct sl_metrics *m = cls;
	json_t *families;
	size_t len;
	char *text;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)req_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		m->refused++;
		return reply_static(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				    "only GET and HEAD are served here\n");
	}
	if (strcmp(url, "/") == 0)
		return reply_static(c, MHD_HTTP_OK,
				    "sluiced: Prometheus metrics at /metrics\n");
	if (strcmp(url, "/metrics") != 0) {
		m->refused++;
		return reply_static(c, MHD_HTTP_NOT_FOUND,
				    "not found: the metrics are at /metrics\n");
	}
	families = sl_metrics_collect(m->rt);
	text = sl_metrics_text(families, &len);
	json_decref(families);
	if (!text)
		return reply_static(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				    "out of memory\n");
	m->scrapes++;
	return reply(c, MHD_HTTP_OK, CONTENT_TYPE, text, len,
		     MHD_RESPMEM_MUST_FREE);
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	SL_LOG(WARNING, "metrics: %s%s", msg,
	       msg[0] && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
}

/* The work libmicrohttpd has now: its sockets, and what it keeps in its
 * own lists (MHD_get_timeout says 0 then). */
static void
run(struct sl_metrics *m)
{
	MHD_UNSIGNED_LONG_LONG ms;

	for (int i = 0; i < 8; i++) {
		MHD_run(m->mhd);
		if (MHD_get_timeout(m->mhd, &ms) != MHD_YES || ms > 0)
			break;
	}
}

static void
on_events(struct sl_watch *w, uint32_t events)
{
	struct sl_metrics *m = (struct sl_metrics *)
		((char *)w - offsetof(struct sl_metrics, watch));

	(void)events;
	run(m);
}

void
sl_metrics_http_tick(struct sl_metrics *m, uint64_t now_ms)
{
	if (!m->mhd || now_ms < m->next_run_ms)
		return;
	m->next_run_ms = now_ms + 1000;	/* idle connections: seconds */
	run(m);
}

/* A listening TCP socket at "ADDR:PORT" or "[IPv6]:PORT": its fd, or -1
 * with err (the address said as given). */
static int
listen_at(const char *listen_on, struct sl_err *err)
{
	char host[64];
	const char *port = strrchr(listen_on, ':');
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE };
	struct addrinfo *ai;
	size_t hl;
	int fd, rc, one = 1;

	if (!port || port == listen_on || !port[1])
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "--metrics-listen %s: expected ADDR:PORT, such as 127.0.0.1:9497 or [::1]:9497",
				  listen_on);
	hl = (size_t)(port - listen_on);
	if (listen_on[0] == '[' && port[-1] == ']') {	/* [IPv6]:PORT */
		listen_on++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "--metrics-listen: the address is too long");
	memcpy(host, listen_on, hl);
	host[hl] = '\0';
	rc = getaddrinfo(host, port + 1, &hints, &ai);
	if (rc != 0)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "--metrics-listen %s:%s: %s (a numeric address and port)",
				  host, port + 1, gai_strerror(rc));
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 16) < 0) {
		sl_err_set(err, SL_E_INVALID_VALUE, "--metrics-listen %s:%s: %s",
			   host, port + 1, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

int
sl_metrics_http_start(struct sl_metrics *m, struct sl_loop *loop,
		      struct sl_err *err)
{
	const union MHD_DaemonInfo *info;
	int fd = listen_at(m->listen, err), rc;

	if (fd < 0)
		return -1;
	/* the logger first: libmicrohttpd warns (through its own logger,
	 * on stderr) about any option before it */
	m->mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
				  answer, m,
				  MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				  MHD_OPTION_LISTEN_SOCKET, fd,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAX_CONNECTIONS,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)IDLE_TIMEOUT_S,
				  MHD_OPTION_END);
	if (!m->mhd) {
		close(fd);
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "--metrics-listen %s: libmicrohttpd did not start",
				  m->listen);
	}
	info = MHD_get_daemon_info(m->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	m->watch.fd = info ? info->epoll_fd : -1;
	m->watch.fn = on_events;
	rc = m->watch.fd >= 0 ? sl_loop_add(loop, &m->watch, EPOLLIN) : -EINVAL;
	if (rc < 0) {
		MHD_stop_daemon(m->mhd);
		m->mhd = NULL;
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "--metrics-listen: cannot watch libmicrohttpd: %s",
				  strerror(-rc));
	}
	SL_LOG(NOTICE, "metrics: serving Prometheus metrics at http://%s/metrics\n",
	       m->listen);
	return 0;
}

void
sl_metrics_http_stop(struct sl_metrics *m, struct sl_loop *loop)
{
	if (!m->mhd)
		return;
	sl_loop_del(loop, &m->watch);
	MHD_stop_daemon(m->mhd);	/* closes the listening socket too */
	m->mhd = NULL;
}
