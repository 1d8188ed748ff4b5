/* SPDX-License-Identifier: BSD-3-Clause */
/* The rules' part of a restart's carry-over (warm.h): every flow's
 * counters and each network's NORMAL counters, by what the flow is (as
 * dump-flows prints it) and the network's uuid, so that dump-flows goes
 * on counting across a restart. */
#include <stdio.h>
#include <string.h>

#include "rules_feature.h"
#include "rules_runtime.h"
#include "sdn_args.h"

/* A flow as one line: bridge, cookie, priority, match, actions. */
static void
flow_line(const struct sl_runtime *rt, const struct sl_rule *r, char *buf,
	  size_t len)
{
	char match[512], actions[128], cookie[24];
	int tag;

	sl_sdn_cookie_text(r->cookie, cookie, sizeof(cookie));
	sl_rule_match_text(rt->model, r, match, sizeof(match));
	sl_rule_actions_text(r, actions, sizeof(actions));
	snprintf(buf, len, "%s cookie=%s priority=%u %s actions=%s",
		 sl_rule_bridge_of(rt->model, r->network, &tag)->bridge, cookie,
		 (unsigned int)r->priority, match, actions);
}

json_t *
sl_rules_warm_save(const struct sl_runtime *rt)
{
	const struct sl_rule_table *t = sl_model_rules(rt->model);
	json_t *flows = json_object(), *normal = json_object();
	const struct sl_network *n;
	struct sl_rule_counter c;
	char line[800];

	for (uint32_t i = 0; i < t->n; i++) {
		sl_runtime_rule_counter(rt, &t->v[i], &c);
		if (!c.packets)
			continue;
		flow_line(rt, &t->v[i], line, sizeof(line));
		json_object_set_new(flows, line, json_pack("[I, I]",
			(json_int_t)c.packets, (json_int_t)c.bytes));
	}
	TAILQ_FOREACH(n, &rt->model->networks, next) {
		sl_runtime_normal_counter(rt, n->dp_id, &c);
		if (c.packets)
			json_object_set_new(normal, n->uuid, json_pack("[I, I]",
				(json_int_t)c.packets, (json_int_t)c.bytes));
	}
	return json_pack("{s:o, s:o}", "flows", flows, "normal", normal);
}

/* Make a counter read saved more: its base goes down by the saved
 * value. At a start nothing has been counted yet (the base is what the
 * counter reads now); after a takeover the workers counted since the
 * ports were taken over, and that adds to what the old process counted
 * (the saved value holds everything the old counted: it saves once its
 * last port is closed). */
static void
rebase(struct sl_rule_counter *base, json_t *saved)
{
	json_int_t packets, bytes;

	if (json_unpack(saved, "[I, I]", &packets, &bytes) != 0)
		return;
	base->packets -= (uint64_t)packets;
	base->bytes -= (uint64_t)bytes;
}

void
sl_rules_warm_load(struct sl_runtime *rt, json_t *saved)
{
	const struct sl_rule_table *t = sl_model_rules(rt->model);
	json_t *flows = json_object_get(saved, "flows"), *v;
	struct sl_rules_rt *rrt = sl_rules_rt(rt);
	const struct sl_network *n;
	char line[800];

	for (uint32_t i = 0; i < t->n; i++) {
		const struct sl_rule *r = &t->v[i];

		if (r->slot == SL_RULE_NO_SLOT)
			continue;
		flow_line(rt, r, line, sizeof(line));
		if (!(v = json_object_get(flows, line)))
			continue;
		rebase(&rrt->slots.base[r->slot], v);
	}
	TAILQ_FOREACH(n, &rt->model->networks, next) {
		if (!(v = json_object_get(json_object_get(saved, "normal"), n->uuid)))
			continue;
		rebase(&rrt->normal_base[n->dp_id], v);
	}
}
