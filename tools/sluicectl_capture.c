/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluicectl capture: the client's side of a capture. sluicectl opens
 * file=PATH itself, with the user's permissions (or takes its stdout for
 * file=-), and passes the descriptor to the daemon with the request: the
 * daemon never opens a path for a client. It then asks capture-show on
 * the same connection every 200 ms until the capture is done, sends
 * capture-stop on Ctrl-C (SIGINT, SIGTERM), and prints a one-line summary
 * on stderr, since stdout may be the capture itself. Were sluicectl
 * killed, the daemon ends the capture when the connection closes.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "sluicectl.h"

#define POLL_MS 200

static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted++;
}

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

/* One request on the connection and its answer's result; NULL (said:
 * the daemon's error as show() prints it) if it failed. */
static json_t *
call(int sock, const char *method, json_t *params, int pass_fd, int timeout_s)
{
	static int next_id = 1;
	json_t *req = json_pack("{s:s, s:i, s:s, s:O}", "jsonrpc", "2.0", "id",
				next_id++, "method", method, "params", params);
	char *text = req ? json_dumps(req, JSON_COMPACT) : NULL, *line = NULL;
	json_t *ans = NULL, *result = NULL;

	if (!text)
		fail("out of memory");
	else if (ctl_send(sock, text, pass_fd) < 0)
		fail("cannot send %s: %s", method, strerror(errno));
	else
		line = ctl_read_line(sock, timeout_s * 1000);
	if (line && !(ans = json_loads(line, 0, NULL)))
		fail("sluiced answered something that is not JSON");
	if (ans && json_object_get(ans, "error"))
		show(NULL, NULL, line, false, false);	/* the error, on stderr */
	else if (ans)
		result = json_incref(json_object_get(ans, "result"));
	json_decref(ans);
	json_decref(req);
	free(text);
	free(line);
	return result;
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

/* Wait for the capture's end, stopping it on the first signal; returns
 * the exit status. */
static int
wait_for_end(int sock, json_t *id_params, int timeout_s, FILE *json_to)
{
	bool stop_sent = false;

	for (;;) {
		struct pollfd p = { .fd = sock, .events = POLLIN };
		json_t *rec;
		const char *state;

		/* the daemon says nothing unasked: readable means closed */
		if (poll(&p, 1, POLL_MS) > 0)
			return fail("sluiced closed the connection; the capture's file may be incomplete");
		if (interrupted > 1)
			return fail("interrupted again: not waiting for the capture's end (sluiced ends it)");
		if (interrupted && !stop_sent) {
			rec = call(sock, "capture-stop", id_params, -1, timeout_s);
			if (!rec)
				return 1;
			json_decref(rec);
			stop_sent = true;
		}
		rec = call(sock, "capture-show", id_params, -1, timeout_s);
		if (!rec)
			return 1;
		state = json_string_value(json_object_get(rec, "state"));
		if (state && strcmp(state, "done") == 0) {
			summary(rec, json_to);
			json_decref(rec);
			return 0;
		}
		json_decref(rec);
	}
}

int
ctl_capture(const char *path, const struct sl_command_spec *cmd,
	    json_t *params, int timeout_s, bool as_json)
{
	const char *file = json_string_value(json_object_get(params, "file"));
	struct sigaction sa = { .sa_handler = on_signal };
	json_t *result, *id_params;
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
	/* no SA_RESTART: poll returns at once on Ctrl-C */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	result = call(sock, cmd->name, params, out, timeout_s);
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
	id_params = json_pack("{s:I}", "id", num(result, "id"));
	status = wait_for_end(sock, id_params, timeout_s,
			      !as_json ? NULL : out == STDOUT_FILENO ? stderr : stdout);
	json_decref(id_params);
	json_decref(result);
	close(sock);
	return status;
}
