/* SPDX-License-Identifier: BSD-3-Clause */
/* sluicectl's parts: the connection to the daemon (ctl_conn.c), the
 * capture client (sluicectl_capture.c), the answer shown (sluicectl.c). */
#ifndef SLUICECTL_H
#define SLUICECTL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "sl_command_spec.h"

/* "sluicectl: " and the sentence on stderr; returns 1 (the exit status). */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A connection to the control socket at path, or -1 (said). */
int ctl_connect(const char *path);
/* Send one request line; pass_fd >= 0 goes with it (SCM_RIGHTS). 0, or
 * -1 with errno. */
int ctl_send(int sock, const char *line, int pass_fd);
/* One answer line, within timeout_ms; NULL (said) if none. */
char *ctl_read_line(int sock, int timeout_ms);

/* Print an answer line; returns the exit status. */
int show(const struct sl_command_spec *cmd, json_t *params, const char *line,
	 bool as_json, bool minimal);

/* capture: open file=, pass it, wait for the end (or Ctrl-C), print the
 * summary on stderr (as_json: the final record, on stdout unless stdout
 * is the capture); returns the exit status. */
int ctl_capture(const char *path, const struct sl_command_spec *cmd,
		json_t *params, int timeout_s, bool as_json);

#endif
