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

/* sluicectl_follow.c: a command that runs on after its answer
 * (SL_CMD_FOLLOWED). SIGINT and SIGTERM ask it to stop. */
void ctl_follow_signals(void);
/* One request on sock and its result; NULL (the error said) if it
 * failed. pass_fd >= 0 goes with it. */
json_t *ctl_call(int sock, const char *method, json_t *params, int pass_fd,
		 int timeout_s);
/* Ask name-show about id until its state is done (name-stop on the first
 * signal); *last is the last name-show. Returns the exit status. */
int ctl_follow(int sock, const char *name, json_int_t id, int timeout_s,
	       json_t **last);
/* Start cmd, follow it, print its last name-show as cmd's result. */
int ctl_followed(const char *path, const struct sl_command_spec *cmd,
		 json_t *params, int timeout_s, bool as_json);
/* Print a result of cmd (as_json: the JSON); returns the exit status. */
int print_result_of(const struct sl_command_spec *cmd, json_t *result,
		    bool as_json);

/* capture: open file=, pass it, wait for the end (or Ctrl-C), print the
 * summary on stderr (as_json: the final record, on stdout unless stdout
 * is the capture); returns the exit status. */
int ctl_capture(const char *path, const struct sl_command_spec *cmd,
		json_t *params, int timeout_s, bool as_json);

#endif
