/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control socket: a Unix stream socket, one request per line. Every
 * client is non-blocking and has its own input and output buffers, so a slow
 * or silent client costs memory (bounded) but never time of the control
 * thread. Peers are checked by their credentials (SO_PEERCRED): root, or a
 * member of the socket's group.
 *
 * A request may come with file descriptors (SCM_RIGHTS: sluicectl passes
 * the file a capture writes to, opened with the user's own permissions).
 * Each is offered to the request it came with (struct sl_peer's fd) and
 * closed after it unless the command kept it: none is left open.
 *
 * Slots are bounded (ctl_admit.h: per uid, and a few kept for root), and a
 * connection that makes no progress (no complete request, no byte of its
 * answers taken) for the idle timeout is closed, so that silent clients
 * cannot keep the others out for ever. A long command keeps its
 * connection busy: sluicectl capture asks capture-show every 200 ms.
 */
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ctl_admit.h"
#include "ctl_server.h"
#include "log.h"
#include "monotonic.h"
#include "sl_rpc.h"
#include "sluice_api.h"

/* A client that asks but does not read its answers is dropped past this. */
#define MAX_PENDING_OUTPUT (64u * 1024 * 1024)
#define READ_CHUNK 65536
/* Descriptors a client may have in flight: a request takes one. */
#define MAX_FDS 4

struct buf {
	char *data;
	size_t len, cap;
};

struct client {
	struct sl_watch watch;	/* first: the loop hands us this pointer */
	struct sl_ctl_server *server;
	struct sl_peer peer;
	struct buf in, out;
	size_t scanned;		/* bytes of in already searched for '\n' */
	/* descriptors received, each with the offset in in of a byte of the
	 * request it came with */
	int fds[MAX_FDS];
	size_t fd_at[MAX_FDS];
	unsigned int nb_fds;
	bool closing;		/* close once out is flushed */
	uint64_t active_ms;	/* its last progress: connected, a complete
				 * request, a byte of an answer taken */
	struct client *next;
};

struct sl_ctl_server {
	struct sl_watch watch;
	struct sl_loop *loop;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	/* the socket file this server made: after a takeover the path is
	 * the new sluiced's socket, which this one's close must leave */
	dev_t dev;
	ino_t ino;
	gid_t gid;
	bool has_group;
	char group[64];
	sl_rpc_handler handler;
	void (*closed)(void *arg, uint64_t conn_id);
	void *arg;
	uint64_t next_conn_id;
	struct client *clients;
	unsigned int nb_clients;
	uint64_t refused;
	struct sl_ctl_server_counts counts;
	unsigned int per_uid;
	uint64_t idle_ms;		/* 0: never idle */
	struct sl_watch sweep;		/* a timer: the idle connections */
	uint64_t logged_ms;		/* the last refusal or idle close logged */
	uint64_t unlogged;		/* since then, not logged */
};

/* A line a second at most: 256 silent clients closed at once, or a client
 * retrying in a loop, must not flood the log (status counts them all). A
 * refusal is a warning (a client was turned away); closing an idle
 * connection is routine, a notice. */
static void
log_limited(struct sl_ctl_server *s, uint32_t level, const char *what,
	    pid_t pid, const char *msg)
{
	uint64_t now = sl_monotonic_ms();

	if (s->logged_ms && now - s->logged_ms < 1000) {
		s->unlogged++;
		return;
	}
	if (s->unlogged)
		rte_log(level, sl_logtype, "sluiced: control socket: %s pid %d: %s (and %" PRIu64 " more refused or closed in the last second)\n",
			what, (int)pid, msg, s->unlogged);
	else
		rte_log(level, sl_logtype, "sluiced: control socket: %s pid %d: %s\n",
			what, (int)pid, msg);
	s->logged_ms = now;
	s->unlogged = 0;
}

static int
buf_append(struct buf *b, const char *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *d;

		while (cap < b->len + n)
			cap *= 2;
		d = realloc(b->data, cap);
		if (!d)
			return -ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

static void
buf_consume(struct buf *b, size_t n)
{
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

static void
client_free(struct client *c)
{
	struct sl_ctl_server *s = c->server;
	struct client **pp;

	for (pp = &s->clients; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	s->nb_clients--;
	sl_loop_del(s->loop, &c->watch);
	close(c->watch.fd);
	for (unsigned int i = 0; i < c->nb_fds; i++)
		close(c->fds[i]);
	if (s->closed)
		s->closed(s->arg, c->peer.conn_id);
	free(c->in.data);
	free(c->out.data);
	free(c);
}

static void
update_interest(struct client *c)
{
	uint32_t ev = c->out.len ? EPOLLOUT : 0;

	if (!c->closing)
		ev |= EPOLLIN;
	sl_loop_mod(c->server->loop, &c->watch, ev | EPOLLRDHUP);
}

/* Returns false when the client is gone (freed). */
static bool
flush_out(struct client *c)
{
	while (c->out.len) {
		ssize_t n = send(c->watch.fd, c->out.data, c->out.len,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			client_free(c);
			return false;
		}
		buf_consume(&c->out, (size_t)n);
		c->active_ms = sl_monotonic_ms();
	}
	if (c->closing && c->out.len == 0) {
		client_free(c);
		return false;
	}
	update_interest(c);
	return true;
}

static void
queue_line(struct client *c, const char *line)
{
	if (buf_append(&c->out, line, strlen(line)) < 0 ||
	    buf_append(&c->out, "\n", 1) < 0)
		c->closing = true;
	if (c->out.len > MAX_PENDING_OUTPUT) {
		SL_LOG(WARNING, "control client pid %d does not read its answers; dropped\n",
		       (int)c->peer.pid);
		c->out.len = 0;
		c->closing = true;
	}
}

/* An error answer to no particular request (id null), in the shape of
 * every error (ctl_rpc.c). */
static void
queue_error(struct client *c, enum sl_error_code code, const char *message)
{
	char *text = sl_rpc_answer(NULL, NULL, code, message);

	if (text)
		queue_line(c, text);
	free(text);
}

/* The descriptors that came with the line ending at offset len of in go
 * to its request (the first one; a request takes no more), the others
 * are closed; those of later requests move up by len + 1. */
static void
take_fds(struct client *c, size_t len)
{
	unsigned int kept = 0;

	c->peer.fd = -1;
	for (unsigned int i = 0; i < c->nb_fds; i++) {
		if (c->fd_at[i] > len) {
			c->fds[kept] = c->fds[i];
			c->fd_at[kept++] = c->fd_at[i] - (len + 1);
		} else if (c->peer.fd < 0) {
			c->peer.fd = c->fds[i];
		} else {
			close(c->fds[i]);
		}
	}
	c->nb_fds = kept;
}

static void
handle_requests(struct client *c)
{
	struct sl_ctl_server *s = c->server;

	for (;;) {
		char *nl = memchr(c->in.data + c->scanned, '\n',
				  c->in.len - c->scanned);
		size_t len;
		char *answer;

		if (!nl) {
			c->scanned = c->in.len;
			break;
		}
		len = (size_t)(nl - c->in.data);
		if (len > SLUICE_MAX_REQUEST)
			break;	/* caught below with the too-long check */
		*nl = '\0';
		take_fds(c, len);
		answer = len ? s->handler(s->arg, c->in.data, len, &c->peer) : NULL;
		if (c->peer.fd >= 0)	/* not kept by the command */
			close(c->peer.fd);
		c->peer.fd = -1;
		if (answer) {
			queue_line(c, answer);
			free(answer);
		}
		buf_consume(&c->in, len + 1);
		c->scanned = 0;
		c->active_ms = sl_monotonic_ms();
	}
	/* A request is one line; past the limit it cannot be one we serve,
	 * and the rest of the stream cannot be trusted to realign. */
	if (c->in.len > SLUICE_MAX_REQUEST) {
		char msg[128];

		snprintf(msg, sizeof(msg),
			 "request larger than %d bytes refused (the limit is on one request line, its JSON as sent); connection closed",
			 SLUICE_MAX_REQUEST);
		SL_LOG(WARNING, "control client pid %d: %s\n", (int)c->peer.pid, msg);
		queue_error(c, SLUICE_RPC_INVALID_REQUEST, msg);
		c->in.len = 0;
		c->closing = true;
	}
}

/* Keep the descriptors of a control message; at is the offset in in of
 * the last byte read with them. Linux ends a read of a stream socket with
 * the message that carried descriptors, and attaches them to the first
 * part of a sendmsg, so that byte belongs to their request. */
static void
keep_fds(struct client *c, struct msghdr *msg, size_t at)
{
	struct cmsghdr *cm;

	if (msg->msg_flags & MSG_CTRUNC)
		SL_LOG(WARNING, "control client pid %d sent more descriptors than a request takes; the rest were closed\n",
		       (int)c->peer.pid);
	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		size_t nb;
		int fds[MAX_FDS];

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		nb = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(fds, CMSG_DATA(cm), nb * sizeof(int));
		for (size_t i = 0; i < nb; i++) {
			if (c->nb_fds == MAX_FDS) {
				close(fds[i]);
				continue;
			}
			c->fds[c->nb_fds] = fds[i];
			c->fd_at[c->nb_fds++] = at;
		}
	}
}

/* recv, and the descriptors that came with the bytes */
static ssize_t
client_recv(struct client *c, char *chunk, size_t len)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(MAX_FDS * sizeof(int))];
	} cmsg;
	struct iovec iov = { .iov_base = chunk, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cmsg.buf, .msg_controllen = sizeof(cmsg.buf),
	};
	/* close-on-exec: a descriptor is never inherited by what the
	 * daemon runs */
	ssize_t n = recvmsg(c->watch.fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

	if (n > 0 && msg.msg_controllen)
		keep_fds(c, &msg, c->in.len + (size_t)n - 1);
	return n;
}

static void
on_client(struct sl_watch *w, uint32_t events)
{
	struct client *c = (struct client *)w;
	char chunk[READ_CHUNK];

	if (events & EPOLLIN) {
		for (;;) {
			ssize_t n = client_recv(c, chunk, sizeof(chunk));

			if (n > 0) {
				if (buf_append(&c->in, chunk, (size_t)n) < 0) {
					client_free(c);
					return;
				}
				handle_requests(c);
				if (c->closing)
					break;
				continue;
			}
			if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				/* the peer is gone or half-closed: answer what
				 * it asked, then close */
				c->closing = true;
			}
			break;
		}
	} else if (events & (EPOLLHUP | EPOLLERR)) {
		client_free(c);
		return;
	}
	flush_out(c);
}

static bool
peer_in_group(const struct sl_ctl_server *s, const struct sl_peer *p)
{
	struct passwd pw, *res = NULL;
	char pwbuf[4096];
	gid_t groups[256];
	int n = 256;

	if (!s->has_group)
		return false;
	if (p->gid == s->gid)
		return true;
	if (getpwuid_r(p->uid, &pw, pwbuf, sizeof(pwbuf), &res) != 0 || !res)
		return false;
	if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) < 0)
		return false;
	for (int i = 0; i < n; i++)
		if (groups[i] == s->gid)
			return true;
	return false;
}

/* Best effort: one line, and the connection is closed. */
static void
refuse(int fd, enum sl_error_code code, const char *msg)
{
	char *text = sl_rpc_answer(NULL, NULL, code, msg);

	if (text) {
		send(fd, text, strlen(text), MSG_NOSIGNAL | MSG_DONTWAIT);
		send(fd, "\n", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	free(text);
	close(fd);
}

static unsigned int
clients_of(const struct sl_ctl_server *s, uid_t uid)
{
	unsigned int n = 0;

	for (const struct client *c = s->clients; c; c = c->next)
		n += c->peer.uid == uid;
	return n;
}

/* Every second: a connection idle for the timeout is told why and closed;
 * one that was told a timeout ago and still has not taken that answer
 * (it reads nothing) is shut down. Never freed here: the loop may hold an
 * event of this very batch for it (loop.c), so its own handler frees it,
 * once its answer is flushed or at the hang-up the shutdown causes. */
static void
on_sweep(struct sl_watch *w, uint32_t events)
{
	struct sl_ctl_server *s = (struct sl_ctl_server *)
		((char *)w - offsetof(struct sl_ctl_server, sweep));
	uint64_t expirations, now = sl_monotonic_ms();
	char msg[160];

	(void)events;
	if (read(w->fd, &expirations, sizeof(expirations)) < 0)
		return;
	for (struct client *c = s->clients; c; c = c->next) {
		if (now - c->active_ms < s->idle_ms)
			continue;
		if (c->closing) {
			shutdown(c->watch.fd, SHUT_RDWR);
			continue;
		}
		snprintf(msg, sizeof(msg),
			 "no complete request for %" PRIu64 " s (sluiced --socket-idle-timeout); connection closed",
			 s->idle_ms / 1000);
		s->counts.idle_closed++;
		log_limited(s, RTE_LOG_NOTICE, "closed idle", c->peer.pid, msg);
		c->in.len = 0;
		c->scanned = 0;
		queue_error(c, SLUICE_RPC_IDLE_TIMEOUT, msg);
		c->closing = true;
		c->active_ms = now;
		update_interest(c);	/* on_client sends it, then frees */
	}
}

static int
start_sweep(struct sl_ctl_server *s)
{
	struct itimerspec every_second = {
		.it_interval = { .tv_sec = 1 }, .it_value = { .tv_sec = 1 },
	};

	s->sweep.fn = on_sweep;
	s->sweep.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (s->sweep.fd < 0 ||
	    timerfd_settime(s->sweep.fd, 0, &every_second, NULL) < 0 ||
	    sl_loop_add(s->loop, &s->sweep, EPOLLIN) < 0)
		return -1;
	return 0;
}

static void
on_accept(struct sl_watch *w, uint32_t events)
{
	struct sl_ctl_server *s = (struct sl_ctl_server *)w;
	int fd;

	(void)events;
	while ((fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct ucred cred;
		socklen_t len = sizeof(cred);
		struct client *c;
		char msg[256];

		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
			close(fd);
			continue;
		}
		if (cred.uid != 0 &&
		    !peer_in_group(s, &(struct sl_peer){ cred.pid, cred.uid, cred.gid, 0, -1 })) {
			s->refused++;
			snprintf(msg, sizeof(msg),
				 "permission denied: uid %u is not root%s%s",
				 (unsigned int)cred.uid,
				 s->has_group ? " and not in group " : "",
				 s->has_group ? s->group : "");
			SL_LOG(WARNING, "control socket: refused pid %d: %s\n",
			       (int)cred.pid, msg);
			refuse(fd, SLUICE_RPC_PERMISSION_DENIED, msg);
			continue;
		}
		switch (sl_ctl_admit(cred.uid, s->nb_clients,
				     clients_of(s, cred.uid), s->per_uid, msg,
				     sizeof(msg))) {
		case SL_CTL_ADMIT:
			break;
		case SL_CTL_REFUSE_FULL:
			s->counts.refused_full++;
			goto refused;
		case SL_CTL_REFUSE_UID:
			s->counts.refused_per_uid++;
refused:
			log_limited(s, RTE_LOG_WARNING, "refused", cred.pid, msg);
			refuse(fd, SLUICE_RPC_TOO_MANY_CLIENTS, msg);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->watch.fd = fd;
		c->watch.fn = on_client;
		c->server = s;
		c->peer = (struct sl_peer){ cred.pid, cred.uid, cred.gid,
					    ++s->next_conn_id, -1 };
		c->active_ms = sl_monotonic_ms();
		if (sl_loop_add(s->loop, &c->watch, EPOLLIN | EPOLLRDHUP) < 0) {
			close(fd);
			free(c);
			continue;
		}
		c->next = s->clients;
		s->clients = c;
		s->nb_clients++;
	}
}

/* Another daemon listening there is an error; a socket file nobody listens
 * on is what a crash leaves behind. */
static int
claim_path(const char *path, struct sl_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) != 0)
		return 0;
	if (!S_ISSOCK(st.st_mode))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "--socket: %s exists and is not a socket", path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (rc == 0)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "another sluiced is already listening on %s",
				  path);
	if (unlink(path) != 0)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "cannot remove stale socket %s: %s", path,
				  strerror(errno));
	return 0;
}

static int
make_parent_dir(const char *path, struct sl_err *err)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "cannot create %s for the control socket: %s",
				  dir, strerror(errno));
	return 0;
}

struct sl_ctl_server *
sl_ctl_server_open(struct sl_loop *loop, const struct sl_ctl_server_conf *conf,
		   struct sl_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct sl_ctl_server *s;
	struct group *gr;

	if (strlen(conf->path) >= sizeof(sa.sun_path)) {
		sl_err_set(err, SL_E_INVALID_VALUE,
			   "--socket: path longer than %zu characters",
			   sizeof(sa.sun_path) - 1);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
		return NULL;
	}
	s->loop = loop;
	s->handler = conf->handler;
	s->closed = conf->closed;
	s->arg = conf->arg;
	s->watch.fd = -1;
	s->watch.fn = on_accept;
	s->sweep.fd = -1;
	s->per_uid = conf->per_uid ? conf->per_uid : SL_CTL_MAX_CLIENTS;
	s->idle_ms = (uint64_t)conf->idle_timeout_s * 1000;
	snprintf(s->path, sizeof(s->path), "%s", conf->path);
	if (conf->group) {
		gr = getgrnam(conf->group);
		if (!gr) {
			sl_err_set(err, SL_E_INVALID_VALUE,
				   "--socket-group: no group named '%s'", conf->group);
			goto fail;
		}
		s->gid = gr->gr_gid;
		s->has_group = true;
		snprintf(s->group, sizeof(s->group), "%s", conf->group);
	}
	if (make_parent_dir(conf->path, err) < 0 ||
	    (!conf->take_path && claim_path(conf->path, err) < 0))
		goto fail;
	/* A takeover binds beside the old sluiced's socket and renames over
	 * it: a client connects to one or the other, never to nothing. */
	if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s%s", conf->path,
		     conf->take_path ? ".new" : "") >= (int)sizeof(sa.sun_path)) {
		sl_err_set(err, SL_E_INVALID_VALUE,
			   "--socket: path too long for its temporary name");
		goto fail;
	}
	if (conf->take_path)
		unlink(sa.sun_path);	/* a failed takeover's */
	s->watch.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/* bind under a tight umask: the socket never exists with looser
	 * permissions than 0660, not even for a moment */
	mode_t old = umask(0117);
	int rc = s->watch.fd < 0 ? -1 : bind(s->watch.fd, (struct sockaddr *)&sa, sizeof(sa));
	struct stat st;

	umask(old);
	if (rc != 0 || listen(s->watch.fd, 128) != 0 ||
	    chmod(sa.sun_path, 0660) != 0 ||
	    (s->has_group && chown(sa.sun_path, 0, s->gid) != 0) ||
	    stat(sa.sun_path, &st) != 0 ||
	    (conf->take_path && rename(sa.sun_path, conf->path) != 0) ||
	    sl_loop_add(loop, &s->watch, EPOLLIN) < 0) {
		sl_err_set(err, SL_E_INTERNAL_ERROR,
			   "cannot listen on %s: %s", conf->path, strerror(errno));
		if (conf->take_path)
			unlink(sa.sun_path);
		goto fail;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	if (s->idle_ms && start_sweep(s) < 0) {
		sl_err_set(err, SL_E_INTERNAL_ERROR,
			   "--socket-idle-timeout: cannot start its timer: %s",
			   strerror(errno));
		sl_loop_del(loop, &s->watch);
		unlink(conf->path);
		goto fail;
	}
	return s;
fail:
	if (s->watch.fd >= 0)
		close(s->watch.fd);
	if (s->sweep.fd >= 0)
		close(s->sweep.fd);
	free(s);
	return NULL;
}

/* Whether the socket file at the path is still the one this server
 * bound (a takeover renamed the new sluiced's over it). */
static bool
owns_path(const struct sl_ctl_server *s)
{
	struct stat st;

	return lstat(s->path, &st) == 0 && st.st_dev == s->dev &&
	       st.st_ino == s->ino;
}

void
sl_ctl_server_close(struct sl_ctl_server *s)
{
	if (!s)
		return;
	while (s->clients)
		client_free(s->clients);
	if (s->sweep.fd >= 0) {
		sl_loop_del(s->loop, &s->sweep);
		close(s->sweep.fd);
	}
	sl_loop_del(s->loop, &s->watch);
	close(s->watch.fd);
	if (owns_path(s))
		unlink(s->path);
	free(s);
}

unsigned int
sl_ctl_server_clients(const struct sl_ctl_server *s)
{
	return s->nb_clients;
}

uint64_t
sl_ctl_server_refused(const struct sl_ctl_server *s)
{
	return s->refused;
}

struct sl_ctl_server_counts
sl_ctl_server_counts(const struct sl_ctl_server *s)
{
	return s->counts;
}
