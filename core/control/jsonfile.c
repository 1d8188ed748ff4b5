/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsonfile.h"

static int
fsync_dir_of(const char *path)
{
	char *copy = strdup(path);
	int fd, rc;

	if (!copy)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	free(copy);
	if (fd < 0)
		return -errno;
	rc = fsync(fd) == 0 ? 0 : -errno;
	close(fd);
	return rc;
}

/* The file's directory, made if missing (one level: /var/lib/sluice). */
static int
make_dir_of(const char *path)
{
	char *copy = strdup(path);
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	if (mkdir(dirname(copy), 0755) != 0 && errno != EEXIST)
		rc = -errno;
	free(copy);
	return rc;
}

/* The temporary file of path's atomic writes. */
static int
tmp_of(const char *path, char *tmp, size_t len)
{
	return snprintf(tmp, len, "%s.tmp", path) >= (int)len ? -ENAMETOOLONG : 0;
}

bool
sl_json_remove_stale_tmp(const char *path)
{
	char tmp[4096];

	return tmp_of(path, tmp, sizeof(tmp)) == 0 && unlink(tmp) == 0;
}

int
sl_json_write_atomic(const char *path, json_t *root)
{
	return sl_json_write_atomic_flags(path, root,
					  JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

/* Write root to path through path.tmp and a rename (a reader sees the old
 * file or the new one, never part of one); durable: both synced, so that
 * the new one is there after a power loss too. */
static int
write_replace(const char *path, json_t *root, size_t flags, bool durable)
{
	char tmp[4096];
	FILE *f;
	int rc = tmp_of(path, tmp, sizeof(tmp));

	if (rc < 0)
		return rc;
	rc = make_dir_of(path);
	if (rc < 0)
		return rc;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	errno = 0;
	if (json_dumpf(root, f, flags) != 0 ||
	    fputc('\n', f) == EOF || fflush(f) != 0 ||
	    (durable && fsync(fileno(f)) != 0))
		rc = errno ? -errno : -EIO;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc == 0 && durable)
		rc = fsync_dir_of(path);
	if (rc < 0)
		unlink(tmp);
	return rc;
}

int
sl_json_write_atomic_flags(const char *path, json_t *root, size_t flags)
{
	return write_replace(path, root, flags, true);
}

int
sl_json_write_replace(const char *path, json_t *root)
{
	return write_replace(path, root, JSON_COMPACT | JSON_PRESERVE_ORDER,
			     false);
}

/* The whole of path's file (NUL-terminated; *len without it), or NULL:
 * errno ENOENT when there is none. */
char *
sl_file_read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			char *more = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!more) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = more;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);

		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}
