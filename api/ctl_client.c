/* SPDX-License-Identifier: BSD-3-Clause */
/* A client of the control socket (sl_ctl_client.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "sl_ctl_client.h"

int
sl_ctl_client_connect(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, e;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path %s is too long", path);
		return -1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	e = errno;
	if (e == ENOENT || e == ECONNREFUSED)
		snprintf(err, errlen, "cannot connect to %s: %s (is sluiced running?)",
			 path, strerror(e));
	else if (e == EACCES)
		snprintf(err, errlen, "cannot connect to %s: permission denied (the socket is for root and its group)",
			 path);
	else
		snprintf(err, errlen, "cannot connect to %s: %s", path,
			 strerror(e));
	if (fd >= 0)
		close(fd);
	return -1;
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

int
sl_ctl_client_send(int fd, const char *line, int pass_fd)
{
	if (send_all(fd, line, strlen(line), pass_fd) < 0 ||
	    send_all(fd, "\n", 1, -1) < 0)
		return -1;
	return 0;
}

static long
ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	       (now.tv_nsec - start->tv_nsec) / 1000000;
}

char *
sl_ctl_client_read_line(int fd, int timeout_ms, char *err, size_t errlen)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (buf) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left = timeout_ms - ms_since(&start);
		ssize_t n;
		int rc;

		rc = left > 0 ? poll(&p, 1, (int)left) : 0;
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0) {
			snprintf(err, errlen, "no answer from sluiced within %d s",
				 timeout_ms / 1000);
			break;
		}
		if (len + 1 >= cap) {
			char *b = realloc(buf, cap *= 2);

			if (!b) {
				snprintf(err, errlen, "out of memory");
				break;
			}
			buf = b;
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "sluiced closed the connection without an answer");
			break;
		}
		len += (size_t)n;
		buf[len] = '\0';
		if (memchr(buf, '\n', len))
			return buf;
	}
	if (!buf)	/* the first malloc */
		snprintf(err, errlen, "out of memory");
	free(buf);
	return NULL;
}
