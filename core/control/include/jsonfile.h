/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_JSONFILE_H
#define SL_JSONFILE_H

#include <stdbool.h>

#include <jansson.h>

/* Write root to path atomically (temporary file, fsync, rename, fsync of
 * the directory): a reader sees the old or the new file, never a mix.
 * Returns 0 or -errno. */
int sl_json_write_atomic(const char *path, json_t *root);
/* The same, dumped with jansson's flags (JSON_COMPACT: one line). */
int sl_json_write_atomic_flags(const char *path, json_t *root, size_t flags);
/* Remove the temporary file a write of path left (a crash between its
 * creation and the rename: path itself is whole); true if there was one. */
bool sl_json_remove_stale_tmp(const char *path);

/* As sl_json_write_atomic (the old file or the new one, never part of
 * one), compact and not synced: for a file a crash may lose, written
 * where time counts (the restart carry-over, in a restart's gap). */
int sl_json_write_replace(const char *path, json_t *root);

/* A whole file, NUL-terminated (len: without the NUL); NULL with errno
 * (ENOENT: there is none; EIO: it cannot be read, a directory among
 * others). The caller frees it. */
char *sl_file_read_all(const char *path, size_t *len);

#endif
