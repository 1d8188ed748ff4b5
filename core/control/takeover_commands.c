/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The old process's side of a takeover upgrade (takeover.h): the
 * takeover-release command, and what happens when the new process goes
 * away before it is done.
 *
 * The first release checks that the new process loaded the state this
 * one has (the state file's generation and the journal's last change),
 * and from then on this process refuses every change of the state
 * (TAKEOVER_IN_PROGRESS): the two processes hold the same model until
 * the end, so the new one never misses a change and the state files are
 * written by one process at a time. Only the new process's connection is
 * served (TAKEOVER_BUSY for a second one).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "ctl_server.h"
#include "log.h"
#include "loop.h"
#include "persist.h"
#include "takeover.h"
#include "warm.h"

/* The new process loaded what this one has, or STALE. */
static int
check_state(struct sl_ctl *ctl, struct sl_args *a, struct sl_err *err)
{
	const struct sl_persist *p = ctl->rt->host.persist;
	long gen, change;

	if (sl_parse_long("generation", sl_arg(a, "generation"), 0, LONG_MAX,
			  &gen, err) < 0 ||
	    sl_parse_long("change", sl_arg(a, "change"), 0, LONG_MAX, &change,
			  err) < 0)
		return -1;
	if (p && ((uint64_t)gen != p->generation ||
		  (uint64_t)change != p->last_change))
		return sl_err_set(err, SL_E_TAKEOVER_STALE,
				  "generation=%ld change=%ld: this sluiced's state is at generation %llu change %llu; start the new sluiced again so that it reads it",
				  gen, change, (unsigned long long)p->generation,
				  (unsigned long long)p->last_change);
	return 0;
}

static int
begin(struct sl_ctl *ctl, struct sl_args *a, struct sl_err *err)
{
	struct sl_takeover *t = &ctl->takeover;

	if (check_state(ctl, a, err) < 0)
		return -1;
	t->fdb = sl_warm_fdb(ctl->rt);
	if (!t->fdb)
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	t->active = true;
	t->conn_id = a->peer ? a->peer->conn_id : 0;
	t->pid = a->peer ? (int)a->peer->pid : 0;
	ctl->rt->frozen_for = t->pid ? t->pid : -1;
	SL_LOG(NOTICE, "takeover: sluiced pid %d takes the ports over; the state is frozen until it is done\n",
	       t->pid);
	return 0;
}

/* The endpoint port= names, checked before a takeover begins: a bad
 * request changes nothing. */
static struct sl_endpoint *
port_arg(struct sl_ctl *ctl, const char *uuid, struct sl_err *err)
{
	struct sl_endpoint *ep;

	if (sl_check_uuid("port", uuid, err) < 0)
		return NULL;
	ep = sl_model_endpoint_find(ctl->model, uuid, false);
	if (!ep)
		ep = sl_model_endpoint_find(ctl->model, uuid, true);
	if (!ep)
		sl_err_set(err, SL_E_HANDLE_INVALID,
			   "port: no PIF or VIF has uuid %s", uuid);
	else if (!sl_takeover_has_device(ep))
		sl_err_set(err, SL_E_INVALID_VALUE,
			   "port: %s %s has no device of its own to hand over (a bond's, a VLAN's, or one without a port)",
			   ep->is_vif ? "VIF" : "PIF", ep->device);
	else
		return ep;
	return NULL;
}

static int
release_one(struct sl_ctl *ctl, struct sl_endpoint *ep, json_t **result,
	    struct sl_err *err)
{
	bool again = ep->handed_over;
	bool was_open = !again && ep->port_id != SL_PORT_NONE;

	ep->handed_over = true;
	/* a snapshot without it and a grace period; then the close, after
	 * the answer for a port both may hold (af_packet) */
	if (was_open && sl_runtime_port_shareable(ep))
		sl_runtime_standby_release(ctl->rt, ep);
	if (was_open)
		sl_runtime_apply(ctl->rt);
	ctl->takeover.released += was_open;
	SL_LOG(NOTICE, "takeover: %s %s handed over%s\n",
	       ep->is_vif ? "VIF" : "PIF", ep->device,
	       again ? " already" : was_open ? "" : " (it had no port here)");
	*result = json_pack("{s:s, s:s, s:b}", "uuid", ep->uuid, "device",
			    ep->device, "was-attached", was_open);
	return *result ? 0 : sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
}

/* The rest of the ports, the carry-over, and the way out. */
static int
release_rest(struct sl_ctl *ctl, json_t **result, struct sl_err *err)
{
	struct sl_takeover *t = &ctl->takeover;
	char warm[PATH_MAX] = "";

	t->released += sl_takeover_hand_all(ctl->rt);
	/* nothing is counted any more: the counters are final */
	if (ctl->host.state_path) {
		sl_warm_path(ctl->host.state_path, warm, sizeof(warm));
		sl_warm_save(ctl->rt, warm, t->fdb);
	}
	t->done = true;
	if (ctl->rt->host.loop)
		ctl->rt->host.loop->stop = true;	/* once this answer is sent */
	SL_LOG(NOTICE, "takeover: %u port(s) handed over to sluiced pid %d; exiting\n",
	       t->released, t->pid);
	*result = json_pack("{s:I, s:s}", "ports-released",
			    (json_int_t)t->released, "carry-over", warm);
	return *result ? 0 : sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
}

static int
takeover_release(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		 struct sl_err *err)
{
	struct sl_takeover *t = &ctl->takeover;
	const char *port = sl_arg(a, "port");
	struct sl_endpoint *ep = NULL;

	if (t->active && (!a->peer || a->peer->conn_id != t->conn_id))
		return sl_err_set(err, SL_E_TAKEOVER_BUSY,
				  "sluiced pid %d is taking the ports over already; one takeover at a time",
				  t->pid);
	if (port && !(ep = port_arg(ctl, port, err)))
		return -1;
	if (!t->active && begin(ctl, a, err) < 0)
		return -1;
	return ep ? release_one(ctl, ep, result, err) :
		    release_rest(ctl, result, err);
}

int
sl_takeover_refuse(const struct sl_ctl *ctl, const struct sl_command_spec *c,
		   struct sl_err *err)
{
	/* the freeze the database and OpenFlow honour too (runtime.h) */
	if (!ctl->rt->frozen_for || !(c->flags & SL_CMD_SAVES))
		return 0;
	return sl_err_set(err, SL_E_TAKEOVER_IN_PROGRESS,
			  "%s: sluiced pid %d is taking this one's ports over; change the state once it answers on the socket",
			  c->name, ctl->rt->frozen_for);
}

void
sl_takeover_peer_gone(struct sl_ctl *ctl, uint64_t conn_id)
{
	struct sl_takeover *t = &ctl->takeover;
	int failed;

	if (!t->active || t->done || conn_id != t->conn_id)
		return;
	/* it failed, or was stopped: this process goes on as before */
	ctl->rt->frozen_for = 0;
	failed = sl_takeover_take_all(ctl->rt);
	SL_LOG(WARNING, "takeover: sluiced pid %d went away before it was done; %u port(s) taken back%s\n",
	       t->pid, t->released, failed ? ", some failed to attach (see above)" : "");
	json_decref(t->fdb);
	*t = (struct sl_takeover){ 0 };
}

void
sl_takeover_fini(struct sl_ctl *ctl)
{
	json_decref(ctl->takeover.fdb);
	ctl->takeover.fdb = NULL;
}

const struct sl_command sl_takeover_handlers[] = {
	{ "takeover-release", takeover_release },
	{ NULL, NULL },
};
