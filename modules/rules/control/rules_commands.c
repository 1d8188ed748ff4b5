/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flow-rule commands. add-rule, del-rule and dump-flows take the
 * sdncontroller plugin's arguments and answer as it does (tools/xapi/
 * sdncontroller.py forwards the plugin's calls here); rule-list and
 * add-rules are sluice's own.
 *
 * A rule judges the traffic of the network whose bridge it names. A VLAN
 * network's rules live on its parent bridge, as the plugin installs them:
 * a cookie replaces or deletes rules across the parent bridge, and
 * dump-flows of the parent lists them, with the VLAN's tag.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "rules_runtime.h"
#include "rules_feature.h"
#include "log.h"
#include "sdn_args.h"

static const char *
arg_get(const void *ctx, const char *key)
{
	return sl_arg(ctx, key);
}

static struct sl_network *
network_by_bridge(const struct sl_model *m, const char *bridge)
{
	struct sl_network *n;

	TAILQ_FOREACH(n, &m->networks, next)
		if (strcmp(n->bridge, bridge) == 0)
			return n;
	return NULL;
}

static const struct sl_network *
parent_of(const struct sl_model *m, const struct sl_network *n, int *tag)
{
	return sl_rule_bridge_of(m, n, tag);
}

static bool
has_plugged_vif(const struct sl_model *m, const struct sl_network *n)
{
	const struct sl_vif *v;

	TAILQ_FOREACH(v, &m->vifs, next)
		if (v->ep.network == n && v->ep.plugged)
			return true;
	return false;
}

/* The parsed arguments and the network their bridge names. */
struct rule_call {
	enum sl_sdn_fn fn;
	struct sl_sdn_args a;
	struct sl_network *network;
};

static int
read_call(struct sl_ctl *ctl, enum sl_sdn_fn fn, const struct sl_args *args,
	  struct rule_call *c, struct sl_err *err)
{
	c->fn = fn;
	if (sl_sdn_parse(fn, arg_get, args, &c->a, err) < 0)
		return -1;
	c->network = network_by_bridge(ctl->model, c->a.bridge);
	if (!c->network)
		return sl_err_set(err, SL_E_RULE_REFUSED,
				  "%s: no bridge named '%s' on this host",
				  sl_sdn_fn_name(fn), c->a.bridge);
	return 0;
}

/* The rule of one side of a call. */
static struct sl_rule
rule_of(const struct rule_call *c, enum sl_cls_side side)
{
	return sl_rule_make(&c->a, c->network, side);
}

struct cookie_scope {
	const struct sl_model *m;
	const struct sl_network *parent;
	uint64_t cookie;
};

static bool
cookie_matches(const struct sl_rule *r, const void *ctx)
{
	const struct cookie_scope *cs = ctx;
	int tag;

	return r->cookie == cs->cookie &&
	       parent_of(cs->m, r->network, &tag) == cs->parent;
}

static uint32_t
remove_cookie(const struct sl_model *m, struct sl_rule_table *t,
	      const struct sl_network *n, uint64_t cookie)
{
	int tag;
	struct cookie_scope cs = {
		.m = m, .parent = parent_of(m, n, &tag), .cookie = cookie,
	};

	return sl_rule_table_remove_if(t, cookie_matches, &cs);
}

static bool
covered(const struct sl_rule *r, const void *del)
{
	return sl_rule_covers(del, r);
}

/* Apply one add_rule call to a table being edited. */
static int
add_call(struct sl_ctl *ctl, struct sl_rule_table *t, const struct rule_call *c,
	 struct sl_err *err)
{
	if (!c->a.has_mac && !has_plugged_vif(ctl->model, c->network))
		return sl_err_set(err, SL_E_RULE_NOTHING_TO_BUILD,
				  "add_rule: No rules were build");
	if (c->a.cookie)
		remove_cookie(ctl->model, t, c->network, c->a.cookie);
	for (int side = 0; side < SL_CLS_SIDES; side++) {
		struct sl_rule r = rule_of(c, (enum sl_cls_side)side);

		if (!(side == SL_CLS_TO ? c->a.to : c->a.from))
			continue;
		if (sl_rule_table_add(t, &r, SL_E_RULE_REFUSED, "add_rule",
				      err) < 0)
			return -1;
	}
	return 0;
}

/* Copy the rules, let edit change the copy, put the copy in force. */
static int
edit_rules(struct sl_ctl *ctl,
	   int (*edit)(struct sl_ctl *, struct sl_rule_table *, const void *,
		       struct sl_err *),
	   const void *ctx, struct sl_err *err)
{
	struct sl_rule_table next;

	if (sl_rule_table_copy(&next, sl_model_rules(ctl->model), err) < 0)
		return -1;
	if (edit(ctl, &next, ctx, err) < 0 ||
	    sl_runtime_rules_commit(ctl->rt, &next, err) < 0) {
		sl_rule_table_fini(&next);
		return -1;
	}
	return 0;
}

static int
edit_add(struct sl_ctl *ctl, struct sl_rule_table *t, const void *ctx,
	 struct sl_err *err)
{
	return add_call(ctl, t, ctx, err);
}

static int
add_rule(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	 struct sl_err *err)
{
	struct rule_call c;

	if (read_call(ctl, SL_SDN_ADD_RULE, a, &c, err) < 0 ||
	    edit_rules(ctl, edit_add, &c, err) < 0)
		return -1;
	*result = json_true();
	return 0;
}

static int
edit_del(struct sl_ctl *ctl, struct sl_rule_table *t, const void *ctx,
	 struct sl_err *err)
{
	const struct rule_call *c = ctx;

	RTE_SET_USED(err);
	if (c->a.cookie) {
		remove_cookie(ctl->model, t, c->network, c->a.cookie);
		return 0;
	}
	for (int side = 0; side < SL_CLS_SIDES; side++) {
		struct sl_rule del = rule_of(c, (enum sl_cls_side)side);

		if (side == SL_CLS_TO ? c->a.to : c->a.from)
			sl_rule_table_remove_if(t, covered, &del);
	}
	return 0;
}

static int
del_rule(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	 struct sl_err *err)
{
	struct rule_call c;

	if (read_call(ctl, SL_SDN_DEL_RULE, a, &c, err) < 0 ||
	    edit_rules(ctl, edit_del, &c, err) < 0)
		return -1;
	*result = json_true();
	return 0;
}

/* add-rules: every rule of the batch or none. */
struct batch {
	struct rule_call *calls;
	size_t n;
};

/* Say which entry of a batch failed, and that the batch was not added. */
static int
name_batch_entry(struct sl_err *err, size_t i)
{
	char why[sizeof(err->msg)];

	memcpy(why, err->msg, sizeof(why));
	snprintf(err->msg, sizeof(err->msg),
		 "rules[%zu]: %.400s (no rule of the batch was added)", i, why);
	return -1;
}

static int
edit_batch(struct sl_ctl *ctl, struct sl_rule_table *t, const void *ctx,
	   struct sl_err *err)
{
	const struct batch *b = ctx;

	for (size_t i = 0; i < b->n; i++) {
		if (add_call(ctl, t, &b->calls[i], err) < 0)
			return name_batch_entry(err, i);
	}
	return 0;
}

static int
add_rules(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	  struct sl_err *err)
{
	const char *text;
	json_error_t je;
	json_t *list, *o;
	struct batch b = { 0 };
	size_t i;
	int rc = -1;

	if (sl_arg_required(a, "rules", &text, err) < 0)
		return -1;
	list = json_loads(text, 0, &je);
	if (!json_is_array(list)) {
		json_decref(list);
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "rules: a JSON list of add-rule arguments is wanted (%s)",
				  list ? "not a list" : je.text);
	}
	b.calls = calloc(json_array_size(list) + 1, sizeof(*b.calls));
	if (!b.calls) {
		json_decref(list);
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	}
	json_array_foreach(list, i, o) {
		struct sl_args one = { .params = o };
		const char *key;
		json_t *v;

		json_object_foreach(o, key, v) {
			if (!json_is_string(v)) {
				sl_err_set(err, SL_E_RULE_PARAMETER_INVALID,
					   "rules[%zu]: %s: every value is a string, as the plugin takes them",
					   i, key);
				goto out;
			}
		}
		if (!json_is_object(o)) {
			sl_err_set(err, SL_E_RULE_PARAMETER_INVALID,
				   "rules[%zu]: an object of add-rule arguments is wanted",
				   i);
			goto out;
		}
		if (read_call(ctl, SL_SDN_ADD_RULE, &one, &b.calls[i], err) < 0) {
			name_batch_entry(err, i);
			goto out;
		}
		b.n++;
	}
	rc = edit_rules(ctl, edit_batch, &b, err);
	if (rc == 0)
		*result = json_integer((json_int_t)b.n);
out:
	free(b.calls);
	json_decref(list);
	return rc;
}

/* ---- dump-flows -------------------------------------------------------- */

static int
dump_flows(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	   struct sl_err *err)
{
	struct rule_call c;
	const struct sl_network *parent, *n;
	struct sl_rule_counter cnt, normal = { 0, 0 };
	uint64_t now = sl_runtime_now_ms(), ncookie;
	char *text = NULL, match[512], actions[128], cookie[24];
	size_t size = 0;
	FILE *out;
	int tag;

	if (read_call(ctl, SL_SDN_DUMP_FLOWS, a, &c, err) < 0)
		return -1;
	parent = parent_of(ctl->model, c.network, &tag);
	out = open_memstream(&text, &size);
	if (!out)
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	fprintf(out, "OFPST_FLOW reply (OF1.1) (xid=0x2):\n");
	for (uint32_t i = 0; i < sl_model_rules(ctl->model)->n; i++) {
		const struct sl_rule *r = &sl_model_rules(ctl->model)->v[i];

		if (parent_of(ctl->model, r->network, &tag) != parent)
			continue;
		sl_runtime_rule_counter(ctl->rt, r, &cnt);
		sl_sdn_cookie_text(r->cookie, cookie, sizeof(cookie));
		sl_rule_match_text(ctl->model, r, match, sizeof(match));
		sl_rule_actions_text(r, actions, sizeof(actions));
		fprintf(out,
			" cookie=%s, duration=%.3fs, table=0, n_packets=%" PRIu64
			", n_bytes=%" PRIu64 ", priority=%u%s%s actions=%s\n",
			cookie, (double)(now - r->added_ms) / 1000.0, cnt.packets,
			cnt.bytes, r->priority, match[0] ? "," : "", match,
			actions);
	}
	/* the bridge's own NORMAL flow: everything no rule matched */
	TAILQ_FOREACH(n, &ctl->model->networks, next) {
		if (parent_of(ctl->model, n, &tag) != parent)
			continue;
		sl_runtime_normal_counter(ctl->rt, n->dp_id, &cnt);
		normal.packets += cnt.packets;
		normal.bytes += cnt.bytes;
	}
	/* unless it was deleted (or fail_mode=secure never had it) */
	if (sl_runtime_normal_flow(ctl->rt, parent, &ncookie)) {
		sl_sdn_cookie_text(ncookie, cookie, sizeof(cookie));
		fprintf(out,
			" cookie=%s, duration=%.3fs, table=0, n_packets=%" PRIu64
			", n_bytes=%" PRIu64 ", priority=0 actions=NORMAL\n",
			cookie, (double)(now - ctl->rt->start_ms) / 1000.0,
			normal.packets, normal.bytes);
	}
	fclose(out);
	*result = json_pack("{s:i, s:[s,s,s], s:s, s:s}", "returncode", 0,
			    "command", "sluicectl", "dump-flows", parent->bridge,
			    "stderr", "", "stdout", text);
	free(text);
	return 0;
}

const struct sl_command sl_rule_handlers[] = {
	{ "add-rule", add_rule },
	{ "del-rule", del_rule },
	{ "dump-flows", dump_flows },
	{ "add-rules", add_rules },
	{ "rule-list", sl_rule_list },
	{ NULL, NULL },
};
