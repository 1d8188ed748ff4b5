/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A command that runs on after its answer (SL_CMD_FOLLOWED: a capture, a
 * live trace): sluicectl asks NAME-show on the same connection every
 * 200 ms until its state is done, sends NAME-stop on Ctrl-C (SIGINT,
 * SIGTERM) and keeps the last NAME-show. Were sluicectl killed, the
 * daemon ends it when the connection closes.
 */
#include <errno.h>
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

void
ctl_follow_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* no SA_RESTART: poll returns at once on Ctrl-C */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

json_t *
ctl_call(int sock, const char *method, json_t *params, int pass_fd,
	 int timeout_s)
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

int
ctl_follow(int sock, const char *name, json_int_t id, int timeout_s,
	   json_t **last)
{
	json_t *id_params = json_pack("{s:I}", "id", id);
	char show_cmd[64], stop_cmd[64];
	bool stop_sent = false;
	int status = -1;

	snprintf(show_cmd, sizeof(show_cmd), "%s-show", name);
	snprintf(stop_cmd, sizeof(stop_cmd), "%s-stop", name);
	*last = NULL;
	while (status < 0) {
		struct pollfd p = { .fd = sock, .events = POLLIN };
		json_t *rec;
		const char *state;

		/* the daemon says nothing unasked: readable means closed */
		if (poll(&p, 1, POLL_MS) > 0) {
			status = fail("sluiced closed the connection before %s %" JSON_INTEGER_FORMAT " ended",
				      name, id);
			break;
		}
		if (interrupted > 1) {
			status = fail("interrupted again: not waiting for %s's end (sluiced ends it)",
				      name);
			break;
		}
		if (interrupted && !stop_sent) {
			rec = ctl_call(sock, stop_cmd, id_params, -1, timeout_s);
			if (!rec) {
				status = 1;
				break;
			}
			json_decref(rec);
			stop_sent = true;
		}
		rec = ctl_call(sock, show_cmd, id_params, -1, timeout_s);
		if (!rec) {
			status = 1;
			break;
		}
		state = json_string_value(json_object_get(rec, "state"));
		if (state && strcmp(state, "done") == 0) {
			*last = rec;
			status = 0;
		} else {
			json_decref(rec);
		}
	}
	json_decref(id_params);
	return status;
}

int
ctl_followed(const char *path, const struct sl_command_spec *cmd,
	     json_t *params, int timeout_s, bool as_json)
{
	json_t *result, *last = NULL;
	int sock = ctl_connect(path), status;

	if (sock < 0)
		return 1;
	ctl_follow_signals();
	result = ctl_call(sock, cmd->name, params, -1, timeout_s);
	if (!result) {
		close(sock);
		return 1;
	}
	if (!as_json)
		fprintf(stderr, "%s %" JSON_INTEGER_FORMAT " started; Ctrl-C stops it\n",
			cmd->name, json_integer_value(json_object_get(result, "id")));
	status = ctl_follow(sock, cmd->name,
			    json_integer_value(json_object_get(result, "id")),
			    timeout_s, &last);
	if (status == 0)
		status = print_result_of(cmd, last, as_json);
	json_decref(last);
	json_decref(result);
	close(sock);
	return status;
}
