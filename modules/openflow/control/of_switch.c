/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The switch's side of an OpenFlow connection (struct sl_of_switch_ops):
 * a bridge's table 0 is the rules module's table, every rule of the
 * bridge and of its VLAN networks a flow of it. FLOW_MOD edits a copy
 * of the table and puts it in force whole (sl_runtime_rules_commit:
 * RCU, no packet sees half a change), then the state file is saved, as
 * after an add-rule. Flow stats list the rules in their flow form
 * (sl_rule_flow_form) with their counters.
 *
 * What sluice does not do is refused with an OpenFlow error that says
 * so: timeouts (flows stay until deleted), more than one output, outputs
 * to FLOOD, ALL, IN_PORT or CONTROLLER.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "model.h"
#include "of_flow_rel.h"
#include "openflow.h"
#include "rule_table.h"

/* FLOW_MOD_FAILED's codes differ between 1.0 and 1.1+. */
enum fm_fail {
	FM_TABLE_FULL,
	FM_OVERLAP,
	FM_EPERM,
	FM_BAD_TIMEOUT,
	FM_UNKNOWN,
};

static const uint16_t fm_codes[2][5] = {
	/* 1.0: ALL_TABLES_FULL, OVERLAP, EPERM, UNSUPPORTED, UNSUPPORTED */
	{ 0, 1, 2, 5, 5 },
	/* 1.1+: TABLE_FULL, OVERLAP, EPERM, BAD_TIMEOUT, UNKNOWN */
	{ 1, 3, 4, 5, 0 },
};

#define OFPBAC_BAD_OUT_PORT 4
#define OFPBAC_TOO_MANY 7
#define OFPPMFC_BAD_PORT 0
#define OFPPMFC_BAD_CONFIG 2	/* 1.1+ */
#define OFPPMFC_EPERM 4		/* 1.1+ */

static int __attribute__((format(printf, 4, 5)))
fail(struct sl_of_error *err, uint16_t type, uint16_t code, const char *fmt, ...)
{
	va_list ap;

	err->type = type;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->why, sizeof(err->why), fmt, ap);
	va_end(ap);
	return -1;
}

/* A change while a takeover runs (runtime.h, frozen_for): the two
 * processes must hold the same flows. Refused, and said in the log: the
 * error's text does not reach ovs-ofctl's output. */
static int
frozen(const struct sl_of_bridge *b, struct sl_of_error *err, uint16_t type,
       uint16_t code, const char *what)
{
	int pid = b->of->rt->frozen_for;

	SL_LOG(NOTICE, "openflow: %s: %s refused: sluiced pid %d is taking this switch over (an upgrade); send it again once that one answers\n",
	       b->name, what, pid);
	return fail(err, type, code,
		    "sluiced pid %d is taking this switch over (an upgrade): send it again once that one answers",
		    pid);
}

static uint16_t
fm_code(const struct sl_of_conn *c, enum fm_fail f)
{
	return fm_codes[sl_of_conn_version(c) > SL_OFP10][f];
}

static bool
on_bridge(const struct sl_model *m, const struct sl_rule *r,
	  const struct sl_network *bridge)
{
	int tag;

	return sl_rule_bridge_of(m, r->network, &tag) == bridge;
}

static bool
outputs_to(const struct sl_flow *f, uint16_t port)
{
	if (port == SL_OFPP_NONE)
		return true;
	for (unsigned int i = 0; i < f->nb_out; i++)
		if (f->out[i] == port)
			return true;
	return false;
}

/* The outputs sluice's datapath does: NORMAL alone, or one port. */
static int
check_actions(const struct sl_of_actions *a, struct sl_of_error *err)
{
	for (unsigned int i = 0; i < a->n; i++) {
		uint16_t p = a->out[i];

		if (p != SL_OFPP_NORMAL && p != SL_OFPP_LOCAL && p >= SL_OFPP_MAX)
			return fail(err, SL_OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT,
				    "sluice outputs to NORMAL, LOCAL or a port, not to reserved port 0x%x",
				    p);
	}
	if (a->n > 1)
		return fail(err, SL_OFPET_BAD_ACTION, OFPBAC_TOO_MANY,
			    "sluice does one output per flow (NORMAL, LOCAL or a port), not %u",
			    a->n);
	return 0;
}

static struct sl_flow *
flow_of(const struct sl_of_flow_mod *fm)
{
	struct sl_flow *f = sl_flow_new();

	if (!f)
		return NULL;
	f->key = fm->key;
	f->mask = fm->mask;
	f->nb_out = fm->actions.n;
	memcpy(f->out, fm->actions.out, fm->actions.n * sizeof(f->out[0]));
	f->flags = fm->flags;
	return f;
}

/* A rule's flow form and whether fm selects it. */
static bool
selects(const struct sl_model *m, const struct sl_rule *r,
	const struct sl_of_flow_mod *fm, bool strict, struct sl_flow *form)
{
	sl_rule_flow_form(m, r, form);
	if (!sl_flow_cookie_matches(r->cookie, fm->cookie, fm->cookie_mask) ||
	    !outputs_to(form, fm->out_port))
		return false;
	if (strict)
		return r->priority == fm->priority &&
		       sl_flow_match_equal(&fm->key, &fm->mask, &form->key,
					   &form->mask);
	return sl_flow_match_covers(&fm->key, &fm->mask, &form->key, &form->mask);
}

/* Whether a packet could match both (every bit both masks cover agrees). */
static bool
overlaps(const struct sl_flow *a, const struct sl_flow *b)
{
	const sl_flow_word *ka = (const sl_flow_word *)&a->key;
	const sl_flow_word *ma = (const sl_flow_word *)&a->mask;
	const sl_flow_word *kb = (const sl_flow_word *)&b->key;
	const sl_flow_word *mb = (const sl_flow_word *)&b->mask;

	for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++)
		if ((ka[w] ^ kb[w]) & ma[w] & mb[w])
			return false;
	return true;
}

/* Replace r's flow (the table's reference) with f (a new reference). */
static void
set_flow(struct sl_rule *r, struct sl_flow *f)
{
	sl_flow_unref(r->flow);
	r->flow = sl_flow_ref(f);
	r->allow = sl_flow_is_normal(f);
}

struct edit {
	struct sl_of_bridge *b;
	struct sl_of_conn *c;
	const struct sl_of_flow_mod *fm;
	struct sl_rule_table next;
	/* flows deleted that asked for FLOW_REMOVED */
	struct sl_of_flow_stats *removed;
	size_t nb_removed;
	bool changed;
	/* the bridge's NORMAL flow before the edit (put back if the new
	 * table cannot be put in force) */
	bool had_no_normal;
	uint64_t had_cookie;
};

/* Add fm's flow with that cookie (or replace the flow of the same match
 * and priority). */
static int
add_flow(struct edit *e, uint64_t cookie, struct sl_of_error *err)
{
	const struct sl_model *m = e->b->of->rt->model;
	const struct sl_of_flow_mod *fm = e->fm;
	struct sl_flow *f = flow_of(fm), form;
	struct sl_err se = { 0 };
	int rc = 0;

	if (!f)
		return fail(err, SL_OFPET_FLOW_MOD_FAILED, fm_code(e->c, FM_UNKNOWN),
			    "out of memory");
	for (uint32_t i = 0; i < e->next.n; i++) {
		struct sl_rule *r = &e->next.v[i];

		if (!on_bridge(m, r, e->b->network) || r->priority != fm->priority)
			continue;
		sl_rule_flow_form(m, r, &form);
		if (sl_flow_match_equal(&f->key, &f->mask, &form.key, &form.mask)) {
			/* the same match and priority: replaced */
			set_flow(r, f);
			r->cookie = cookie;
			r->network = e->b->network;
			if (fm->flags & SL_OFPFF_RESET_COUNTS)
				r->slot = SL_RULE_NO_SLOT;
			e->changed = true;
			goto out;
		}
		if ((fm->flags & SL_OFPFF_CHECK_OVERLAP) && overlaps(f, &form)) {
			rc = fail(err, SL_OFPET_FLOW_MOD_FAILED,
				  fm_code(e->c, FM_OVERLAP),
				  "a flow of priority %u overlaps", fm->priority);
			goto out;
		}
	}
	{
		struct sl_rule r = {
			.cookie = cookie, .network = e->b->network,
			.slot = SL_RULE_NO_SLOT, .priority = fm->priority,
			.allow = sl_flow_is_normal(f), .port = -1, .flow = f,
		};

		if (sl_rule_table_add(&e->next, &r, SL_E_RULE_REFUSED,
				      "openflow", &se) < 0)
			rc = fail(err, SL_OFPET_FLOW_MOD_FAILED,
				  fm_code(e->c, FM_TABLE_FULL), "%s", se.msg);
		else
			e->changed = true;
	}
out:
	sl_flow_unref(f);
	return rc;
}

static const struct sl_flow_key match_all;

static bool
catch_all(const struct sl_of_flow_mod *fm)
{
	return fm->priority == 0 &&
	       !memcmp(&fm->mask, &match_all, sizeof(match_all));
}

static bool
only_normal(const struct sl_of_actions *a)
{
	return a->n == 1 && a->out[0] == SL_OFPP_NORMAL;
}

/* Whether fm (a modify or delete) selects the bridge's NORMAL flow. */
static bool
selects_normal(const struct edit *e, bool strict)
{
	const struct sl_of_flow_mod *fm = e->fm;

	if (e->b->no_normal_flow ||
	    !sl_flow_cookie_matches(e->b->normal_cookie, fm->cookie, fm->cookie_mask) ||
	    (fm->out_port != SL_OFPP_NONE && fm->out_port != SL_OFPP_NORMAL))
		return false;
	if (strict)
		return catch_all(fm);
	return sl_flow_match_covers(&fm->key, &fm->mask, &match_all, &match_all);
}

static bool
is_catch_all_rule(const struct sl_rule *r, const void *ctx)
{
	const struct edit *e = ctx;
	const struct sl_model *m = e->b->of->rt->model;
	struct sl_flow form;

	if (!on_bridge(m, r, e->b->network) || r->priority != 0)
		return false;
	sl_rule_flow_form(m, r, &form);
	return !memcmp(&form.mask, &match_all, sizeof(match_all));
}

/*
 * An add of priority 0 matching everything replaces the bridge's NORMAL
 * flow, as in OVS. With NORMAL as its only action (and no FLOW_REMOVED
 * asked) it is the NORMAL flow again, with that cookie: unmatched
 * packets are switched, at no cost per packet. With other actions it is
 * a flow like the others (on every port's list) and the NORMAL flow is
 * gone.
 */
static int
add_any(struct edit *e, uint64_t cookie, struct sl_of_error *err)
{
	const struct sl_of_flow_mod *fm = e->fm;
	struct sl_of_bridge *b = e->b;

	if (!catch_all(fm))
		return add_flow(e, cookie, err);
	if (only_normal(&fm->actions) && !(fm->flags & SL_OFPFF_SEND_FLOW_REM)) {
		e->changed |= sl_rule_table_remove_if(&e->next, is_catch_all_rule, e) > 0;
		e->changed |= b->no_normal_flow || b->normal_cookie != cookie;
		b->no_normal_flow = false;
		b->normal_cookie = cookie;
		return 0;
	}
	e->changed |= !b->no_normal_flow;
	b->no_normal_flow = true;
	return add_flow(e, cookie, err);
}

/* A modify that selects the bridge's NORMAL flow: a new cookie stays on
 * it; other actions make it a flow of the table (it is no longer the
 * NORMAL flow, as OVS shows). */
static int
modify_normal(struct edit *e, struct sl_of_error *err)
{
	const struct sl_of_flow_mod *fm = e->fm;
	struct sl_of_bridge *b = e->b;
	uint64_t cookie = fm->modify_cookie ? fm->new_cookie : b->normal_cookie;
	struct sl_of_flow_mod add = *fm;
	int rc;

	if (only_normal(&fm->actions)) {
		e->changed |= cookie != b->normal_cookie;
		b->normal_cookie = cookie;
		return 0;
	}
	b->no_normal_flow = true;
	e->changed = true;
	add.priority = 0;
	add.key = match_all;
	add.mask = match_all;
	add.flags = 0;
	e->fm = &add;
	rc = add_flow(e, cookie, err);
	e->fm = fm;
	return rc;
}

static int
modify_flows(struct edit *e, bool strict, struct sl_of_error *err)
{
	const struct sl_model *m = e->b->of->rt->model;
	const struct sl_of_flow_mod *fm = e->fm;
	struct sl_flow form;
	unsigned int n = 0;

	for (uint32_t i = 0; i < e->next.n; i++) {
		struct sl_rule *r = &e->next.v[i];
		struct sl_flow *f;

		if (!on_bridge(m, r, e->b->network) || !selects(m, r, fm, strict, &form))
			continue;
		f = sl_flow_new();
		if (!f)
			return fail(err, SL_OFPET_FLOW_MOD_FAILED,
				    fm_code(e->c, FM_UNKNOWN), "out of memory");
		f->key = form.key;
		f->mask = form.mask;
		f->flags = r->flow ? r->flow->flags : 0;
		f->nb_out = fm->actions.n;
		memcpy(f->out, fm->actions.out, fm->actions.n * sizeof(f->out[0]));
		/* a plugin's rule given other actions becomes a flow of its
		 * bridge's (the same match) */
		r->network = e->b->network;
		set_flow(r, f);
		sl_flow_unref(f);
		if (fm->modify_cookie)
			r->cookie = fm->new_cookie;
		if (fm->flags & SL_OFPFF_RESET_COUNTS)
			r->slot = SL_RULE_NO_SLOT;
		n++;
	}
	e->changed |= n > 0;
	if (selects_normal(e, strict))
		return modify_normal(e, err);
	/* OpenFlow 1.0 and 1.1: a modify that finds nothing adds */
	if (!n && fm->modify_may_add)
		return add_any(e, fm->new_cookie, err);
	return 0;
}

/* The FLOW_REMOVED of a rule being deleted (its counters read now). */
static void
note_removed(struct edit *e, const struct sl_rule *r, const struct sl_flow *form)
{
	const struct sl_runtime *rt = e->b->of->rt;
	struct sl_of_flow_stats *fs, *v;
	struct sl_rule_counter cnt;
	uint64_t age = sl_runtime_now_ms() - r->added_ms;

	if (!r->flow || !(r->flow->flags & SL_OFPFF_SEND_FLOW_REM))
		return;
	v = realloc(e->removed, (e->nb_removed + 1) * sizeof(*v));
	if (!v)
		return;
	e->removed = v;
	fs = &v[e->nb_removed++];
	memset(fs, 0, sizeof(*fs));
	sl_runtime_rule_counter(rt, r, &cnt);
	fs->cookie = r->cookie;
	fs->priority = r->priority;
	fs->flags = r->flow->flags;
	fs->duration_sec = (uint32_t)(age / 1000);
	fs->duration_nsec = (uint32_t)(age % 1000 * 1000000);
	fs->packets = cnt.packets;
	fs->bytes = cnt.bytes;
	fs->key = form->key;
	fs->mask = form->mask;
	fs->actions.n = form->nb_out;
	memcpy(fs->actions.out, form->out, sizeof(fs->actions.out));
}

struct del_ctx {
	struct edit *e;
	bool strict;
};

static bool
deleted(const struct sl_rule *r, const void *ctx)
{
	const struct del_ctx *d = ctx;
	const struct sl_model *m = d->e->b->of->rt->model;
	struct sl_flow form;

	if (!on_bridge(m, r, d->e->b->network) ||
	    !selects(m, r, d->e->fm, d->strict, &form))
		return false;
	note_removed(d->e, r, &form);
	return true;
}

static void
send_removed(struct edit *e)
{
	struct sl_of_bridge *b = e->b;

	for (size_t i = 0; i < e->nb_removed; i++)
		for (unsigned int k = 0; k < SL_OF_CLIENTS_PER_BRIDGE; k++)
			if (b->clients[k] && b->clients[k]->controller)
				sl_of_conn_flow_removed(b->clients[k]->conn,
							&e->removed[i],
							SL_OFPRR_DELETE);
	/* the connection being answered sends after its request; the
	 * others now (sending may close them: never the one in use) */
	for (unsigned int k = 0; e->nb_removed && k < SL_OF_CLIENTS_PER_BRIDGE; k++)
		if (b->clients[k] && b->clients[k]->conn != e->c)
			sl_of_client_flush(b->clients[k]);
}

static int
sw_flow_mod(void *ctx, struct sl_of_conn *c, const struct sl_of_flow_mod *fm,
	    struct sl_of_error *err)
{
	struct edit e = { .b = ctx, .c = c, .fm = fm };
	struct sl_runtime *rt = e.b->of->rt;
	struct sl_err se = { 0 };
	int rc = 0;

	e.had_no_normal = e.b->no_normal_flow;
	e.had_cookie = e.b->normal_cookie;

	if (rt->frozen_for)
		return frozen(e.b, err, SL_OFPET_FLOW_MOD_FAILED,
			      fm_code(c, FM_EPERM), "FLOW_MOD");
	if (!e.b->network)
		return fail(err, SL_OFPET_FLOW_MOD_FAILED, fm_code(c, FM_EPERM),
			    "bridge %s is not set up yet", e.b->name);
	if (fm->command <= SL_OFPFC_MODIFY_STRICT &&
	    (fm->idle_timeout || fm->hard_timeout))
		return fail(err, SL_OFPET_FLOW_MOD_FAILED,
			    fm_code(c, FM_BAD_TIMEOUT),
			    "sluice keeps flows until they are deleted: idle_timeout and hard_timeout must be 0");
	if (fm->command <= SL_OFPFC_MODIFY_STRICT &&
	    check_actions(&fm->actions, err) < 0)
		return -1;
	if (sl_rule_table_copy(&e.next, sl_model_rules(rt->model), &se) < 0)
		return fail(err, SL_OFPET_FLOW_MOD_FAILED, fm_code(c, FM_UNKNOWN),
			    "%s", se.msg);
	switch (fm->command) {
	case SL_OFPFC_ADD:
		rc = add_any(&e, fm->cookie, err);
		break;
	case SL_OFPFC_MODIFY:
	case SL_OFPFC_MODIFY_STRICT:
		rc = modify_flows(&e, fm->command == SL_OFPFC_MODIFY_STRICT, err);
		break;
	default: {
		struct del_ctx d = { &e, fm->command == SL_OFPFC_DELETE_STRICT };

		e.changed = sl_rule_table_remove_if(&e.next, deleted, &d) > 0;
		/* the bridge's NORMAL flow goes too, as in OVS: what no flow
		 * matches is then dropped */
		if (selects_normal(&e, d.strict)) {
			e.b->no_normal_flow = true;
			e.changed = true;
		}
		break;
	}
	}
	if (rc == 0 && e.changed &&
	    sl_runtime_rules_commit(rt, &e.next, &se) < 0)
		rc = fail(err, SL_OFPET_FLOW_MOD_FAILED, fm_code(c, FM_UNKNOWN),
			  "%s", se.msg);
	sl_rule_table_fini(&e.next);
	if (rc < 0 || !e.changed) {
		e.b->no_normal_flow = e.had_no_normal;
		e.b->normal_cookie = e.had_cookie;
	} else if (e.b->no_normal_flow != e.had_no_normal ||
		   e.b->normal_cookie != e.had_cookie) {
		if (e.had_no_normal && !e.b->no_normal_flow)	/* a new flow */
			sl_runtime_normal_counter_reset(rt, e.b->network);
		SL_LOG(INFO, "openflow: %s: the priority-0 NORMAL flow is %s\n",
		       e.b->name, e.b->no_normal_flow ?
		       "gone: what no flow matches is dropped" : "there");
		sl_of_map_refresh(e.b->of);
	}
	if (rc == 0 && e.changed) {
		if (sl_runtime_save_state(rt, &se) < 0)
			SL_LOG(ERR, "openflow: %s: the state file is not saved: %s\n",
			       e.b->name, se.msg);
		send_removed(&e);
	}
	free(e.removed);
	return rc;
}

/* Every flow of the bridge goes, each that asked for it noted for its
 * FLOW_REMOVED (OFPRR_DELETE, as OVS's flush sends). */
static bool
flushed(const struct sl_rule *r, const void *ctx)
{
	const struct del_ctx *d = ctx;
	const struct sl_model *m = d->e->b->of->rt->model;
	struct sl_flow form;

	if (!on_bridge(m, r, d->e->b->network))
		return false;
	sl_rule_flow_form(m, r, &form);
	note_removed(d->e, r, &form);
	return true;
}

void
sl_of_bridge_flush(struct sl_of_bridge *b)
{
	struct sl_runtime *rt = b->of->rt;
	bool had_no_normal = b->no_normal_flow;
	uint64_t had_cookie = b->normal_cookie;
	struct edit e = { .b = b };
	struct del_ctx d = { &e, false };
	struct sl_rule_table next;
	struct sl_err se = { 0 };

	b->no_normal_flow = b->fail_secure;
	b->normal_cookie = 0;
	if (!b->network)
		return;	/* no rules yet: the resolve publishes the flag */
	if (sl_rule_table_copy(&next, sl_model_rules(rt->model), &se) < 0 ||
	    (sl_rule_table_remove_if(&next, flushed, &d),
	     sl_runtime_rules_commit(rt, &next, &se) < 0)) {
		SL_LOG(ERR, "openflow: %s: the flows are not flushed: %s\n",
		       b->name, se.msg);
		if (next.v)
			sl_rule_table_fini(&next);
		b->no_normal_flow = had_no_normal;
		b->normal_cookie = had_cookie;
		free(e.removed);
		return;
	}
	send_removed(&e);
	free(e.removed);
	if (!b->no_normal_flow)
		sl_runtime_normal_counter_reset(rt, b->network);
	sl_of_map_refresh(b->of);
	if (sl_runtime_save_state(rt, &se) < 0)
		SL_LOG(ERR, "openflow: %s: the state file is not saved: %s\n",
		       b->name, se.msg);
}

/* ---- flow stats ---- */

static void
normal_flow(struct sl_of_bridge *b, struct sl_of_flow_stats *fs)
{
	const struct sl_runtime *rt = b->of->rt;
	const struct sl_network *n;
	uint64_t age = sl_runtime_now_ms() - rt->start_ms;
	int tag;

	memset(fs, 0, sizeof(*fs));
	fs->cookie = b->normal_cookie;
	fs->duration_sec = (uint32_t)(age / 1000);
	fs->duration_nsec = (uint32_t)(age % 1000 * 1000000);
	fs->actions.n = 1;
	fs->actions.out[0] = SL_OFPP_NORMAL;
	TAILQ_FOREACH(n, &rt->model->networks, next) {
		struct sl_rule_counter cnt;

		if (sl_rule_bridge_of(rt->model, n, &tag) != b->network)
			continue;
		sl_runtime_normal_counter(rt, n->dp_id, &cnt);
		fs->packets += cnt.packets;
		fs->bytes += cnt.bytes;
	}
}

static int
sw_flow_stats(void *ctx, const struct sl_of_flow_filter *f,
	      struct sl_of_flow_stats **out, size_t *n, struct sl_of_error *err)
{
	struct sl_of_bridge *b = ctx;
	const struct sl_runtime *rt = b->of->rt;
	const struct sl_rule_table *t = sl_model_rules(rt->model);
	static const struct sl_flow_key none;
	struct sl_of_flow_stats *v;
	uint64_t now = sl_runtime_now_ms();
	size_t k = 0;

	*out = NULL;
	*n = 0;
	if (!b->network || (f->table_id != 0 && f->table_id != 0xff))
		return 0;
	v = calloc(t->n + 1, sizeof(*v));
	if (!v)
		return fail(err, SL_OFPET_BAD_REQUEST, 0, "out of memory");
	for (uint32_t i = 0; i < t->n; i++) {
		const struct sl_rule *r = &t->v[i];
		struct sl_of_flow_stats *fs = &v[k];
		struct sl_rule_counter cnt;
		struct sl_flow form;
		uint64_t age = now - r->added_ms;

		if (!on_bridge(rt->model, r, b->network))
			continue;
		sl_rule_flow_form(rt->model, r, &form);
		if (!sl_flow_cookie_matches(r->cookie, f->cookie, f->cookie_mask) ||
		    !outputs_to(&form, f->out_port) ||
		    !sl_flow_match_covers(&f->key, &f->mask, &form.key, &form.mask))
			continue;
		sl_runtime_rule_counter(rt, r, &cnt);
		fs->cookie = r->cookie;
		fs->priority = r->priority;
		fs->flags = r->flow ? r->flow->flags : 0;
		fs->duration_sec = (uint32_t)(age / 1000);
		fs->duration_nsec = (uint32_t)(age % 1000 * 1000000);
		fs->packets = cnt.packets;
		fs->bytes = cnt.bytes;
		fs->key = form.key;
		fs->mask = form.mask;
		fs->actions.n = form.nb_out;
		memcpy(fs->actions.out, form.out, sizeof(fs->actions.out));
		k++;
	}
	if (!b->no_normal_flow &&
	    sl_flow_cookie_matches(b->normal_cookie, f->cookie, f->cookie_mask) &&
	    (f->out_port == SL_OFPP_NONE || f->out_port == SL_OFPP_NORMAL) &&
	    sl_flow_match_covers(&f->key, &f->mask, &none, &none))
		normal_flow(b, &v[k++]);
	*out = v;
	*n = k;
	return 0;
}

/* ---- ports ---- */

static uint64_t
sw_datapath_id(void *ctx)
{
	return ((const struct sl_of_bridge *)ctx)->dpid;
}

static int
sw_ports(void *ctx, struct sl_of_port **out, size_t *n)
{
	struct sl_of_bridge *b = ctx;
	const struct sl_runtime *rt = b->of->rt;
	struct sl_of_port *v = calloc(b->nb_ports + 1, sizeof(*v));

	*out = v;
	*n = 0;
	if (!v)
		return -1;
	for (unsigned int i = 0; i < b->nb_ports; i++) {
		const struct sl_of_port_entry *e = &b->ports[i];
		const struct sl_endpoint *ep = sl_of_endpoint(rt, e->iface_uuid);
		struct sl_of_port *p = &v[(*n)++];

		p->port_no = e->ofport;
		snprintf(p->name, sizeof(p->name), "%s", e->name);
		if (ep)
			memcpy(p->hw_addr, ep->mac.addr_bytes, 6);
		p->config = e->no_flood ? SL_OFPPC_NO_FLOOD : 0;
		if (e->down || e->dp_port < 0 || !ep || ep->port_id == SL_PORT_NONE) {
			p->config |= SL_OFPPC_PORT_DOWN;
			p->state = SL_OFPPS_LINK_DOWN;
		} else if (!sl_port_link_up(&rt->ports[ep->port_id])) {
			p->state = SL_OFPPS_LINK_DOWN;
		}
		p->curr_speed_kbps = 10000000;
	}
	return 0;
}

/* The controllers hear of a port's new config (OFPPR_MODIFY), as OVS
 * tells them after a PORT_MOD. */
static void
port_status(struct sl_of_bridge *b, uint16_t port_no)
{
	struct sl_of_port *ports;
	size_t n;

	if (sw_ports(b, &ports, &n) < 0) {
		free(ports);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (ports[i].port_no == port_no)
			for (unsigned int k = 0; k < SL_OF_CLIENTS_PER_BRIDGE; k++)
				if (b->clients[k])
					sl_of_conn_port_status(b->clients[k]->conn,
							       &ports[i], 2);
	free(ports);
	sl_of_bridge_flush_others(b);
}

/* What cannot be taken down alone: a tunnel's remote (no port of its
 * own) and a bond member (its packets are its bond's port's). */
static int
down_refused(const struct sl_of_bridge *b, const struct sl_of_port_entry *e,
	     struct sl_of_error *err)
{
	const struct sl_endpoint *ep = sl_of_endpoint(b->of->rt, e->iface_uuid);
	int dp = sl_of_dp_port_of(b->of->rt, e->iface_uuid);

	if (e->tunnel)
		return fail(err, SL_OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_CONFIG,
			    "port %s is a tunnel: sluice takes down ports with a device of their own",
			    e->name);
	if (ep && dp >= 0 && dp != ep->port_id)
		return fail(err, SL_OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_CONFIG,
			    "port %s is a bond member: sluice takes down the bond's members with the bond's settings, not alone",
			    e->name);
	return 0;
}

static int
sw_port_mod(void *ctx, uint16_t port_no, const uint8_t hw_addr[6],
	    uint32_t config, uint32_t mask, struct sl_of_error *err)
{
	struct sl_of_bridge *b = ctx;
	struct sl_of_port_entry *e = NULL;
	bool want_down, changed = false;

	(void)hw_addr;
	if (b->of->rt->frozen_for)
		return frozen(b, err, SL_OFPET_PORT_MOD_FAILED, OFPPMFC_EPERM,
			      "PORT_MOD");
	for (unsigned int i = 0; i < b->nb_ports; i++)
		if (b->ports[i].ofport == port_no)
			e = &b->ports[i];
	if (!e)
		return fail(err, SL_OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_PORT,
			    "bridge %s has no port %u", b->name, port_no);
	if (mask & ~(uint32_t)(SL_OFPPC_NO_FLOOD | SL_OFPPC_PORT_DOWN))
		return fail(err, SL_OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_CONFIG,
			    "sluice changes a port's no-flood and down only (config mask 0x%x)",
			    mask);
	want_down = !!(config & SL_OFPPC_PORT_DOWN);
	if ((mask & SL_OFPPC_PORT_DOWN) && want_down != e->down &&
	    down_refused(b, e, err) < 0)
		return -1;
	if (mask & SL_OFPPC_NO_FLOOD &&
	    e->no_flood != !!(config & SL_OFPPC_NO_FLOOD)) {
		e->no_flood = !!(config & SL_OFPPC_NO_FLOOD);
		SL_LOG(INFO, "openflow: %s: port %s %s\n", b->name, e->name,
		       e->no_flood ? "no-flood" : "flood");
		changed = true;
	}
	if (mask & SL_OFPPC_PORT_DOWN && e->down != want_down) {
		e->down = want_down;
		SL_LOG(INFO, "openflow: %s: port %s %s\n", b->name, e->name,
		       e->down ? "down: it neither receives nor sends" : "up");
		changed = true;
	}
	if (changed) {
		sl_runtime_apply(b->of->rt);
		port_status(b, port_no);
	}
	return 0;
}

const struct sl_of_switch_ops sl_of_switch_ops = {
	.datapath_id = sw_datapath_id,
	.ports = sw_ports,
	.flow_mod = sw_flow_mod,
	.flow_stats = sw_flow_stats,
	.port_mod = sw_port_mod,
};
