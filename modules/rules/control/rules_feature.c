/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow rules as the core sees them (feature.h): their commands, the rule
 * counters made and the saved rules put in force before any port opens,
 * and the rule-set's figures in stats. */
#include "ctl.h"
#include "feature.h"
#include "rules_feature.h"
#include "rules_runtime.h"
#include "sl_rules.h"

static int
rules_start(struct sl_runtime *rt, struct sl_err *err)
{
	if (sl_runtime_rules_init(rt, err) < 0)
		return -1;
	return sl_runtime_rules_restore(rt, err);
}

/* the rule-set in force and what its last update cost */
static void
rules_report(const struct sl_runtime *rt, const struct sl_worker_stats *sum,
	     json_t *stats)
{
	const struct sl_ruleset *rs = sl_dp_rules(rt->dp);
	struct sl_cls_info info = { 0 };

	(void)sum;
	if (rs)
		sl_ruleset_info(rs, &info);
	json_object_set_new(stats, "rules",
		json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}",
			  "count", (json_int_t)sl_model_rules(rt->model)->n,
			  "max", (json_int_t)SL_RULES_MAX,
			  "version", (json_int_t)(rs ? rs->version : 0),
			  "updates", (json_int_t)sl_rules_rt(rt)->updates,
			  "last-update-us", (json_int_t)sl_rules_rt(rt)->update_us,
			  "classifier-bytes", (json_int_t)info.bytes));
}

const struct sl_feature sl_rules_feature = {
	.name = "rules",
	.model_part = &sl_rules_model_part,
	.handlers = sl_rule_handlers,
	.runtime_size = sizeof(struct sl_rules_rt),
	.state_key = "rules",
	.load_state = sl_rules_load_state,
	.save_state = sl_rules_save_state,
	.state_items = sl_rules_state_items,
	.state_item = sl_rules_state_item,
	.start = rules_start,
	.stop = sl_runtime_rules_fini,
	.network_gone = sl_runtime_rules_drop_network,
	.report = rules_report,
	.metrics = sl_rules_metrics,
	.warm_save = sl_rules_warm_save,
	.warm_load = sl_rules_warm_load,
};
