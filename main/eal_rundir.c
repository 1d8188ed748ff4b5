/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK's runtime directory of our file prefix (/var/run/dpdk/sluice-...).
 * The EAL makes it and never removes it: a test machine had 150 of them
 * after a day. sluiced removes its own at a clean exit, and at start one a
 * crashed daemon left, once no process answers on a socket in it (the
 * telemetry socket of a running daemon does). A takeover's new daemon
 * runs with a prefix of its own ("-takeover-PID", eal.c) that the next
 * start cannot name: those are found by their base prefix.
 */
#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "eal.h"

void
sl_eal_runtime_dir(const char *prefix, char *out, size_t len)
{
	/* as the EAL chooses it (eal_create_runtime_dir) */
	const char *base = "/var/run";

	if (getuid() != 0)
		base = getenv("XDG_RUNTIME_DIR") ? getenv("XDG_RUNTIME_DIR") : "/tmp";
	snprintf(out, len, "%s/dpdk/%s", base, prefix);
}

/* Whether a process answers on the Unix socket at path. */
static bool
answers(const char *path)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	bool live;

	if (fd < 0 || strlen(path) >= sizeof(un.sun_path)) {
		if (fd >= 0)
			close(fd);
		return true;	/* cannot tell: keep it */
	}
	memcpy(un.sun_path, path, strlen(path) + 1);
	live = connect(fd, (struct sockaddr *)&un, sizeof(un)) == 0 ||
	       (errno != ECONNREFUSED && errno != ENOENT);
	close(fd);
	return live;
}

/* Remove dir's entries (live ones kept when only_dead) and dir itself:
 * true if dir is gone. */
static bool
remove_dir(const char *dir, bool only_dead)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX];

	if (!d)
		return false;
	while ((e = readdir(d))) {
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) < 0 || S_ISDIR(st.st_mode))
			continue;
		if (only_dead && S_ISSOCK(st.st_mode) && answers(path)) {
			closedir(d);
			return false;	/* a running process's */
		}
		unlink(path);
	}
	closedir(d);
	return rmdir(dir) == 0;
}

bool
sl_eal_runtime_dir_remove_stale(const char *dir)
{
	return remove_dir(dir, true);
}

void
sl_eal_runtime_dir_remove(const char *dir)
{
	remove_dir(dir, false);
}

unsigned int
sl_eal_takeover_dirs_remove_stale(const char *base_prefix)
{
	char prefix[96], dir[PATH_MAX], path[PATH_MAX];
	unsigned int removed = 0;
	struct dirent *e;
	size_t n;
	DIR *d;

	n = (size_t)snprintf(prefix, sizeof(prefix), "%s-takeover-", base_prefix);
	/* the directories' parent: the runtime directory of any prefix */
	sl_eal_runtime_dir("", dir, sizeof(dir));
	d = opendir(dir);
	if (!d || n >= sizeof(prefix)) {
		if (d)
			closedir(d);
		return 0;
	}
	while ((e = readdir(d)))
		if (strncmp(e->d_name, prefix, n) == 0 &&
		    (size_t)snprintf(path, sizeof(path), "%s%s", dir,
				     e->d_name) < sizeof(path))
			removed += remove_dir(path, true);
	closedir(d);
	return removed;
}
