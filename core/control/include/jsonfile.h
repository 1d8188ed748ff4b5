/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_JSONFILE_H
#define SL_JSONFILE_H

#include <jansson.h>

/* Write root to path atomically (temporary file, fsync, rename, fsync of
 * the directory): a reader sees the old or the new file, never a mix.
 * Returns 0 or -errno. */
int sl_json_write_atomic(const char *path, json_t *root);

#endif
