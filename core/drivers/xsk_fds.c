/* SPDX-License-Identifier: BSD-3-Clause */
/* The AF_XDP sockets an af_xdp port's close leaves open (xsk_fds.h). */
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xsk_fds.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif

/* fd's inode if it is an AF_XDP socket, else 0. */
static ino_t
xsk_ino(int fd)
{
	struct stat st;
	int domain = 0;
	socklen_t len = sizeof(domain);

	if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode) ||
	    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0 ||
	    domain != AF_XDP)
		return 0;
	return st.st_ino;
}

void
sl_xsk_fds_scan(struct sl_xsk_fds *out)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	out->n = 0;
	if (!d)
		return;
	while ((e = readdir(d)) != NULL && out->n < SL_XSK_FDS_MAX) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		ino_t ino;

		if (*end || end == e->d_name || fd == dirfd(d))
			continue;
		ino = xsk_ino((int)fd);
		if (ino) {
			out->fd[out->n] = (int)fd;
			out->ino[out->n++] = ino;
		}
	}
	closedir(d);
}

static bool
holds(const struct sl_xsk_fds *s, int fd, ino_t ino)
{
	for (unsigned int i = 0; i < s->n; i++)
		if (s->fd[i] == fd && s->ino[i] == ino)
			return true;
	return false;
}

void
sl_xsk_fds_new(const struct sl_xsk_fds *before, const struct sl_xsk_fds *after,
	       struct sl_xsk_fds *out)
{
	out->n = 0;
	for (unsigned int i = 0; i < after->n; i++)
		if (!holds(before, after->fd[i], after->ino[i])) {
			out->fd[out->n] = after->fd[i];
			out->ino[out->n++] = after->ino[i];
		}
}

unsigned int
sl_xsk_fds_close(const struct sl_xsk_fds *fds)
{
	unsigned int closed = 0;

	for (unsigned int i = 0; i < fds->n; i++)
		if (xsk_ino(fds->fd[i]) == fds->ino[i] && close(fds->fd[i]) == 0)
			closed++;
	return closed;
}
