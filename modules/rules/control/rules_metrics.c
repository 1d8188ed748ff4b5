/* SPDX-License-Identifier: BSD-3-Clause */
/* The rules' metrics (metric.h): every flow of every bridge with its
 * counters, labelled as dump-flows prints it (the bridge's own NORMAL flow
 * too, so a bridge's packets add up), and what the rule-set costs. */
#include <inttypes.h>
#include <stdio.h>

#include "metric.h"
#include "rules_feature.h"
#include "rules_runtime.h"
#include "sdn_args.h"

static void
add_flow(json_t *packets, json_t *bytes, const char *bridge,
	 const char *cookie, unsigned int priority, const char *match,
	 const char *actions, const struct sl_rule_counter *c)
{
	json_t *labels = json_pack("{s:s, s:s, s:o, s:s, s:s}", "bridge", bridge,
				   "cookie", cookie, "priority",
				   json_sprintf("%u", priority), "match", match,
				   "actions", actions);

	sl_metric_add_u64(packets, json_copy(labels), c->packets);
	sl_metric_add_u64(bytes, labels, c->bytes);
}

static void
add_flows(const struct sl_runtime *rt, json_t *packets, json_t *bytes)
{
	const struct sl_rule_table *t = sl_model_rules(rt->model);
	char match[512], actions[128], cookie[24];
	const struct sl_network *n, *bridge;
	struct sl_rule_counter c;
	int tag;

	for (uint32_t i = 0; i < t->n; i++) {
		const struct sl_rule *r = &t->v[i];

		sl_runtime_rule_counter(rt, r, &c);
		sl_sdn_cookie_text(r->cookie, cookie, sizeof(cookie));
		sl_rule_match_text(rt->model, r, match, sizeof(match));
		sl_rule_actions_text(r, actions, sizeof(actions));
		add_flow(packets, bytes,
			 sl_rule_bridge_of(rt->model, r->network, &tag)->bridge,
			 cookie, r->priority, match, actions, &c);
	}
	/* each bridge's priority-0 NORMAL flow: what no rule matched, of it
	 * and of its VLAN networks */
	TAILQ_FOREACH(bridge, &rt->model->networks, next) {
		struct sl_rule_counter sum = { 0, 0 };
		uint64_t ncookie;

		if (sl_rule_bridge_of(rt->model, bridge, &tag) != bridge ||
		    !sl_runtime_normal_flow(rt, bridge, &ncookie))
			continue;
		TAILQ_FOREACH(n, &rt->model->networks, next) {
			if (sl_rule_bridge_of(rt->model, n, &tag) != bridge)
				continue;
			sl_runtime_normal_counter(rt, n->dp_id, &c);
			sum.packets += c.packets;
			sum.bytes += c.bytes;
		}
		sl_sdn_cookie_text(ncookie, cookie, sizeof(cookie));
		add_flow(packets, bytes, bridge->bridge, cookie, 0, "", "NORMAL",
			 &sum);
	}
}

void
sl_rules_metrics(const struct sl_runtime *rt, const struct sl_worker_stats *sum,
		 json_t *families)
{
	const struct sl_rules_rt *rrt = sl_rules_rt(rt);

	(void)sum;
	add_flows(rt,
		  sl_metric_family(families, "sluice_flow_packets_total",
				   SL_METRIC_COUNTER,
				   "Packets that matched the flow (dump-flows' n_packets)"),
		  sl_metric_family(families, "sluice_flow_bytes_total",
				   SL_METRIC_COUNTER,
				   "Bytes that matched the flow (dump-flows' n_bytes)"));
	sl_metric_add_u64(sl_metric_family(families, "sluice_rules",
		SL_METRIC_GAUGE, "Flow rules in force, OpenFlow flows included"),
		NULL, sl_model_rules(rt->model)->n);
	sl_metric_add_u64(sl_metric_family(families, "sluice_rules_max",
		SL_METRIC_GAUGE, "The most flow rules the switch holds"),
		NULL, SL_RULES_MAX);
	sl_metric_add_u64(sl_metric_family(families, "sluice_rule_updates_total",
		SL_METRIC_COUNTER, "Rule-sets built and published"),
		NULL, rrt->updates);
	sl_metric_add_real(sl_metric_family(families,
		"sluice_rule_last_update_seconds", SL_METRIC_GAUGE,
		"What the last rule-set took to build and publish"),
		NULL, (double)rrt->update_us / 1e6);
}
