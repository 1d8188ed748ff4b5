/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluiced --takeover: take the running sluiced's ports over
 * (takeover_client.h). One blocking JSON-RPC exchange per port: the
 * control loop does not run yet (this process binds the control socket
 * only at the end), and the workers forward on the ports taken so far.
 *
 * af_packet ports are opened here before the old process is asked for
 * any (runtime.h, enum sl_standby): two packet sockets may share an
 * interface, and what this one received before the old let go is
 * dropped, as the old one forwarded it. Every other kind (an af_xdp
 * queue, a vhost-user socket, a tap) allows one user: the old one closes
 * it before it answers, and this one opens it then (an af_xdp queue a
 * few milliseconds later, when the kernel lets it go: port.c waits).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <jansson.h>

#include "log.h"
#include "monotonic.h"
#include "sl_ctl_client.h"
#include "takeover.h"
#include "takeover_client.h"

/* The old one's exit once it has answered the last request: its workers
 * stop, its ports close, its EAL goes. */
#define EXIT_TIMEOUT_MS 10000

enum call_rc { CALL_OK, CALL_REFUSED, CALL_LOST };

struct client {
	int fd;
	unsigned int answer_timeout_ms;
	int old_pid;
	unsigned int id;
	uint64_t generation, change;
	char msg[512];		/* the last refusal or loss, said */
};

static int
dial(const char *path, char *err, size_t errlen)
{
	char why[384];
	int fd = sl_ctl_client_connect(path, why, sizeof(why));

	if (fd < 0)
		snprintf(err, errlen,
			 "--takeover: no sluiced answers: %s; there is nothing to take over: start it without --takeover",
			 why);
	return fd;
}

int
sl_takeover_probe(const char *path, char *err, size_t errlen)
{
	int fd = dial(path, err, errlen);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* sub-millisecond, for the log's figures */
static double
now_ms(void)
{
	return (double)sl_monotonic_us() / 1e3;
}

/* takeover-release [port=]: its result (a new reference) or why not. */
static enum call_rc
call(struct client *c, const char *uuid, json_t **result)
{
	char gen[24], change[24], why[256];
	char *line;
	json_t *req, *ans, *e;
	char *text;
	int rc;

	snprintf(gen, sizeof(gen), "%" PRIu64, c->generation);
	snprintf(change, sizeof(change), "%" PRIu64, c->change);
	req = json_pack("{s:s, s:I, s:s, s:{s:s, s:s}}", "jsonrpc", "2.0",
			"id", (json_int_t)++c->id, "method", "takeover-release",
			"params", "generation", gen, "change", change);
	if (req && uuid)
		json_object_set_new(json_object_get(req, "params"), "port",
				    json_string(uuid));
	text = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (!text) {
		snprintf(c->msg, sizeof(c->msg), "out of memory");
		return CALL_LOST;
	}
	rc = sl_ctl_client_send(c->fd, text, -1);
	free(text);
	if (rc < 0) {
		snprintf(c->msg, sizeof(c->msg),
			 "the old sluiced (pid %d) did not answer: %s", c->old_pid,
			 strerror(errno));
		return CALL_LOST;
	}
	line = sl_ctl_client_read_line(c->fd, (int)c->answer_timeout_ms, why,
				       sizeof(why));
	if (!line) {
		snprintf(c->msg, sizeof(c->msg),
			 "the old sluiced (pid %d) did not answer: %s",
			 c->old_pid, why);
		return CALL_LOST;
	}
	line[strcspn(line, "\n")] = '\0';
	ans = json_loads(line, 0, NULL);
	free(line);
	if ((e = json_object_get(ans, "error"))) {
		snprintf(c->msg, sizeof(c->msg), "%s: %s",
			 json_string_value(json_object_get(
				 json_object_get(e, "data"), "name")),
			 json_string_value(json_object_get(e, "message")));
		json_decref(ans);
		return CALL_REFUSED;
	}
	*result = json_incref(json_object_get(ans, "result"));
	json_decref(ans);
	if (!*result) {
		snprintf(c->msg, sizeof(c->msg),
			 "the old sluiced's answer is not JSON-RPC");
		return CALL_LOST;
	}
	return CALL_OK;
}

/* Hand one endpoint over: CALL_OK once it is attached here (or failed
 * to, said as at start-up). */
static enum call_rc
take(struct client *c, struct sl_runtime *rt, struct sl_endpoint *ep)
{
	double t0, t1;
	json_t *res = NULL;
	enum call_rc rc;
	unsigned int dropped = 0;

	t0 = now_ms();
	rc = call(c, ep->uuid, &res);
	if (rc != CALL_OK)
		return rc;
	t1 = now_ms();
	dropped = sl_runtime_standby_take(rt, ep);
	ep->handed_over = false;
	sl_runtime_apply(rt);
	if (ep->port_id != SL_PORT_NONE)
		SL_LOG(NOTICE, "takeover: %s %s taken over: let go by the old sluiced in %.1f ms, forwarding here %.1f ms later (%u frame(s) the old one had too, dropped)\n",
		       ep->is_vif ? "VIF" : "PIF", ep->device, t1 - t0,
		       now_ms() - t1, dropped);
	json_decref(res);
	return CALL_OK;
}

/* The ports both processes may hold (af_packet), opened before the old
 * one is asked for any: a port's gap is then two snapshot changes, no
 * open nor close, and traffic between two ports is cut only while one
 * is here and the other there, a few milliseconds. A port that fails
 * here gets a plain attach when its turn comes. */
static void
open_shareable(struct sl_runtime *rt)
{
	struct sl_pif *p;
	struct sl_vif *v;

	TAILQ_FOREACH(p, &rt->model->pifs, next)
		if (p->ep.handed_over && p->ep.plugged &&
		    sl_runtime_port_shareable(&p->ep))
			sl_runtime_standby_open(rt, &p->ep);
	TAILQ_FOREACH(v, &rt->model->vifs, next)
		if (v->ep.handed_over && v->ep.plugged &&
		    sl_runtime_port_shareable(&v->ep))
			sl_runtime_standby_open(rt, &v->ep);
}

/* Every device endpoint in the model's order; stops at the first call
 * that is not answered. */
static enum call_rc
take_each(struct client *c, struct sl_runtime *rt, unsigned int *taken)
{
	struct sl_pif *p;
	struct sl_vif *v;
	enum call_rc rc;

	open_shareable(rt);
	TAILQ_FOREACH(p, &rt->model->pifs, next)
		if (p->ep.handed_over) {
			if ((rc = take(c, rt, &p->ep)) != CALL_OK)
				return rc;
			++*taken;
		}
	TAILQ_FOREACH(v, &rt->model->vifs, next)
		if (v->ep.handed_over) {
			if ((rc = take(c, rt, &v->ep)) != CALL_OK)
				return rc;
			++*taken;
		}
	return CALL_OK;
}

/* Until the old process has exited, at most EXIT_TIMEOUT_MS: what it
 * listens on outside sluice (the metrics' port) is free then. pidfd: it
 * is not our child. */
static void
wait_exit(int pid)
{
	int fd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	double t0 = now_ms();
	int rc;

	if (fd < 0)
		return;		/* gone already (ESRCH) */
	do	/* a signal (a tap's SIGIO) is not the exit */
		rc = poll(&pfd, 1, (int)(t0 + EXIT_TIMEOUT_MS - now_ms()) + 1);
	while (rc < 0 && errno == EINTR && now_ms() < t0 + EXIT_TIMEOUT_MS);
	if (rc <= 0)
		SL_LOG(WARNING, "takeover: the old sluiced (pid %d) has not exited %d ms after its last answer; going on\n",
		       pid, EXIT_TIMEOUT_MS);
	else
		SL_LOG(NOTICE, "takeover: the old sluiced (pid %d) exited %.0f ms after its last answer\n",
		       pid, now_ms() - t0);
	close(fd);
}

/* Whether pid still runs: not gone, not exited (a zombie its parent has
 * not reaped yet has exited). */
static bool
still_runs(int pid)
{
	int fd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	bool runs;

	if (fd < 0)
		return false;		/* gone (ESRCH) */
	runs = poll(&pfd, 1, 0) == 0;	/* readable once it has exited */
	close(fd);
	return runs;
}

int
sl_takeover_ports(struct sl_runtime *rt, const struct sl_persist *p,
		  const struct sl_takeover_conf *conf)
{
	struct client c = { .generation = p ? p->generation : 0,
			    .change = p ? p->last_change : 0,
			    .answer_timeout_ms = conf->answer_timeout_ms };
	const char *path = conf->path;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	unsigned int taken = 0;
	double t0 = now_ms();
	json_t *res = NULL;
	enum call_rc rc;
	int done = 0;

	c.fd = dial(path, c.msg, sizeof(c.msg));
	if (c.fd < 0) {
		SL_LOG(ERR, "%s\n", c.msg);
		return -1;
	}
	if (getsockopt(c.fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
		c.old_pid = (int)cred.pid;
	rc = take_each(&c, rt, &taken);
	if (rc == CALL_REFUSED && taken == 0) {
		SL_LOG(ERR, "takeover refused by the running sluiced (pid %d), which goes on unchanged: %s\n",
		       c.old_pid, c.msg);
		close(c.fd);
		return -1;
	}
	if (rc == CALL_OK) {
		conf->before_the_end(conf->arg);
		rc = call(&c, NULL, &res);
	}
	if (rc == CALL_OK) {
		SL_LOG(NOTICE, "takeover: %u port(s) taken over from sluiced pid %d in %.0f ms; it saved the carry-over in %s and exits\n",
		       taken, c.old_pid, now_ms() - t0,
		       json_string_value(json_object_get(res, "carry-over")));
		done = 1;
		sl_takeover_take_all(rt);	/* what is left: none */
		wait_exit(c.old_pid);
	} else if (still_runs(c.old_pid)) {
		/* both would forward on the ports it still holds: give up.
		 * The connection stays open until this process exits, its
		 * ports closed: the old one takes them back then. */
		SL_LOG(ERR, "takeover: %s, and it still runs: this sluiced closes the %u port(s) it took and exits; the old one takes them back\n",
		       c.msg, taken);
		json_decref(res);
		return -1;
	} else {
		/* the old one died or failed mid-way: what it held is free,
		 * or its attach fails here with the reason, as at a start */
		SL_LOG(WARNING, "takeover: %s; taking the rest of the ports as they are\n",
		       c.msg);
		sl_takeover_take_all(rt);
	}
	json_decref(res);
	close(c.fd);
	return done;
}
