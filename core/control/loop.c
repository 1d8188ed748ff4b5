/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "loop.h"

int
sl_loop_init(struct sl_loop *l)
{
	l->stop = false;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	return l->epfd < 0 ? -errno : 0;
}

void
sl_loop_fini(struct sl_loop *l)
{
	if (l->epfd >= 0)
		close(l->epfd);
	l->epfd = -1;
}

static int
ctl(struct sl_loop *l, int op, struct sl_watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	return epoll_ctl(l->epfd, op, w->fd, &ev) == 0 ? 0 : -errno;
}

int
sl_loop_add(struct sl_loop *l, struct sl_watch *w, uint32_t events)
{
	return ctl(l, EPOLL_CTL_ADD, w, events);
}

int
sl_loop_mod(struct sl_loop *l, struct sl_watch *w, uint32_t events)
{
	return ctl(l, EPOLL_CTL_MOD, w, events);
}

void
sl_loop_del(struct sl_loop *l, struct sl_watch *w)
{
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, w->fd, NULL);
}

int
sl_loop_run(struct sl_loop *l)
{
	while (!l->stop) {
		struct epoll_event ev[32];
		int n = epoll_wait(l->epfd, ev, 32, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		/* epoll reports a descriptor once per wait, so a handler may
		 * free its own watch; it must never free another's. */
		for (int i = 0; i < n && !l->stop; i++) {
			struct sl_watch *w = ev[i].data.ptr;

			w->fn(w, ev[i].events);
		}
	}
	return 0;
}

int
sl_unix_listen(const char *path, int backlog)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	int fd, e;

	if (strlen(path) >= sizeof(un.sun_path))
		return -ENAMETOOLONG;
	strcpy(un.sun_path, path);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&un, sizeof(un)) < 0 ||
	    listen(fd, backlog) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}
