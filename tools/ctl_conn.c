/* SPDX-License-Identifier: BSD-3-Clause */
/* sluicectl's connection to the daemon: connect, send a request line
 * (with a descriptor, for capture), read the answer line. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "sluicectl.h"

int
fail(const char *fmt, ...)
{
	va_list ap;

	fputs("sluicectl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int
ctl_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fail("socket path %s is too long", path);
		return -1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int e = errno;

		if (e == ENOENT || e == ECONNREFUSED)
			fail("cannot connect to %s: %s (is sluiced running?)",
			     path, strerror(e));
		else if (e == EACCES)
			fail("cannot connect to %s: permission denied (the socket is for root and its group)",
			     path);
		else
			fail("cannot connect to %s: %s", path, strerror(e));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int
send_all(int fd, const char *buf, size_t len, int pass_fd)
{
	while (len) {
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(int))];
		} cmsg;
		struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		/* the descriptor goes with the first bytes of the request:
		 * the daemon gives it to the request those bytes are in */
		if (pass_fd >= 0) {
			struct cmsghdr *cm;

			msg.msg_control = cmsg.buf;
			msg.msg_controllen = sizeof(cmsg.buf);
			cm = CMSG_FIRSTHDR(&msg);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
		}
		n = sendmsg(fd, &msg, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
		pass_fd = -1;
	}
	return 0;
}

/* One answer line, within timeout_ms. */
char *
ctl_read_line(int fd, int timeout_ms)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (buf) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct timespec now;
		long left;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = timeout_ms - ((now.tv_sec - start.tv_sec) * 1000 +
				     (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
			fail("no answer from sluiced within %d s", timeout_ms / 1000);
			break;
		}
		if (len + 1 >= cap) {
			char *b = realloc(buf, cap *= 2);

			if (!b)
				break;
			buf = b;
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n <= 0) {
			fail("sluiced closed the connection without an answer");
			break;
		}
		len += (size_t)n;
		buf[len] = '\0';
		if (memchr(buf, '\n', len))
			return buf;
	}
	free(buf);
	return NULL;
}


int
ctl_send(int sock, const char *line, int pass_fd)
{
	if (send_all(sock, line, strlen(line), pass_fd) < 0 ||
	    send_all(sock, "\n", 1, -1) < 0)
		return -1;
	return 0;
}
