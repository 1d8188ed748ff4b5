/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluicectl capture: the client's side of a capture. sluicectl opens
 * file=PATH itself, with the user's permissions (or takes its stdout for
 * file=-), and passes the descriptor to the daemon with the request: the
 * daemon never opens a path for a client. It then follows the capture to
 * its end (sluicectl_follow.c) and prints a one-line summary on stderr,
 * since stdout may be the capture itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "sluicectl.h"

/* The descriptor the capture writes to, or -1 (said). */
static int
open_output(const char *file)
{
	int fd;

	if (strcmp(file, "-") == 0) {
		if (isatty(STDOUT_FILENO)) {
			fail("file=-: stdout is a terminal; give file=PATH, or pipe it (| tshark -r -)");
			return -1;
		}
		return STDOUT_FILENO;
	}
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		fail("file: cannot open %s: %s", file, strerror(errno));
	return fd;
}

static json_int_t
num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static void
summary(json_t *rec, FILE *json_to)
{
	if (json_to) {
		char *text = json_dumps(rec, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		fprintf(json_to, "%s\n", text ? text : "null");
		free(text);
		return;
	}
	fprintf(stderr,
		"capture %" JSON_INTEGER_FORMAT " on %s: %" JSON_INTEGER_FORMAT
		" packets written, %" JSON_INTEGER_FORMAT " copies dropped, %"
		JSON_INTEGER_FORMAT " filtered out (%s)\n",
		num(rec, "id"), json_string_value(json_object_get(rec, "port")),
		num(rec, "packets"), num(rec, "dropped"), num(rec, "filtered"),
		json_string_value(json_object_get(rec, "reason")));
}

int
ctl_capture(const char *path, const struct sl_command_spec *cmd,
	    json_t *params, int timeout_s, bool as_json)
{
	const char *file = json_string_value(json_object_get(params, "file"));
	json_t *result, *last = NULL;
	int out, sock, status;

	out = open_output(file ? file : "-");
	if (out < 0)
		return 1;
	/* the daemon never sees a path: it writes to what we pass */
	json_object_del(params, "file");
	sock = ctl_connect(path);
	if (sock < 0) {
		if (out != STDOUT_FILENO)
			close(out);
		return 1;
	}
	ctl_follow_signals();
	result = ctl_call(sock, cmd->name, params, out, timeout_s);
	/* the daemon has its own copy: ours would keep a reader of the pipe
	 * waiting for an end of file after the daemon closes it */
	if (out == STDOUT_FILENO) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			close(null);
		}
	} else {
		close(out);
	}
	if (!result) {
		close(sock);
		return 1;
	}
	fprintf(stderr, "capture %" JSON_INTEGER_FORMAT " started on %s; Ctrl-C stops it\n",
		num(result, "id"),
		json_string_value(json_object_get(params, "port")));
	status = ctl_follow(sock, cmd->name, num(result, "id"), timeout_s, &last);
	if (status == 0)
		summary(last, !as_json ? NULL :
			      out == STDOUT_FILENO ? stderr : stdout);
	json_decref(last);
	json_decref(result);
	close(sock);
	return status;
}
