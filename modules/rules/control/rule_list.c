/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rule-list: a record per rule, with its counters. With a filter, a rule's
 * record is made only when it matches: the fields filtered on are read
 * from the rule itself (a record at 10,000 rules costs tens of ms).
 */
#include <string.h>

#include "ctl.h"
#include "rules_feature.h"
#include "rules_runtime.h"
#include "sdn_args.h"

static const char *const rule_fields[] = {
	"id", "bridge", "network-uuid", "mac", "direction", "protocol",
	"ip-range", "port", "allow", "priority", "cookie", "n-packets",
	"n-bytes", NULL
};

struct rule_source {
	const struct sl_runtime *rt;
	const struct sl_rule_table *t;
};

static json_t *
rule_record(void *ctx, size_t i)
{
	const struct rule_source *rs = ctx;
	const struct sl_rule *r = &rs->t->v[i];
	json_t *saved = sl_rule_to_json(r), *rec = json_object(), *v;
	struct sl_rule_counter cnt;
	const char *key;

	/* The state file keeps the plugin's spelling (ipRange, as add-rule
	 * takes it); a record's keys are all in one style (docs/json.md). */
	json_object_foreach(saved, key, v)
		json_object_set(rec, strcmp(key, "ipRange") == 0 ? "ip-range" : key, v);
	json_decref(saved);
	sl_runtime_rule_counter(rs->rt, r, &cnt);
	json_object_set_new(rec, "bridge", json_string(r->network->bridge));
	json_object_set_new(rec, "n-packets", json_integer((json_int_t)cnt.packets));
	json_object_set_new(rec, "n-bytes", json_integer((json_int_t)cnt.bytes));
	return rec;
}

/* A field as rule_record writes it (sl_rule_to_json's), from the rule
 * itself; the counters and an OpenFlow flow's fields from its record. */
static json_t *
rule_field(void *ctx, size_t i, const char *field)
{
	const struct rule_source *rs = ctx;
	const struct sl_rule *r = &rs->t->v[i];
	char text[32];
	json_t *rec, *v;

	if (strcmp(field, "id") == 0)
		return json_integer((json_int_t)r->seq);
	if (strcmp(field, "bridge") == 0)
		return json_string(r->network->bridge);
	if (strcmp(field, "network-uuid") == 0)
		return json_string(r->network->uuid);
	if (strcmp(field, "priority") == 0)
		return json_integer(r->priority);
	if (strcmp(field, "cookie") == 0) {
		sl_sdn_cookie_text(r->cookie, text, sizeof(text));
		return json_string(text);
	}
	if (r->flow)	/* an OpenFlow flow's record has its own fields */
		goto record;
	if (strcmp(field, "mac") == 0) {
		text[0] = '\0';
		if (r->has_mac)
			sl_rule_mac_text(r, text, sizeof(text));
		return json_string(text);
	}
	if (strcmp(field, "port") == 0)
		return json_integer(r->port);
	if (strcmp(field, "allow") == 0)
		return json_boolean(r->allow);
	if (strcmp(field, "direction") == 0)
		return json_string(r->side == SL_CLS_TO ? "to" : "from");
	if (strcmp(field, "protocol") == 0)
		return json_string(sl_rule_proto_name(r->proto));
	if (strcmp(field, "ip-range") == 0) {
		sl_rule_prefix_text(r, text, sizeof(text));
		return json_string(text);
	}
record:
	rec = rule_record(ctx, i);
	v = json_incref(json_object_get(rec, field));
	json_decref(rec);
	return v;
}

int
sl_rule_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	     struct sl_err *err)
{
	struct rule_source rs = { ctl->rt, sl_model_rules(ctl->model) };
	const struct sl_list_source src = {
		.n = rs.t->n, .field = rule_field, .record = rule_record,
		.ctx = &rs,
	};

	return sl_list_filter_from(a, rule_fields, &src, result, err);
}
