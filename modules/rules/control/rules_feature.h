/* SPDX-License-Identifier: BSD-3-Clause */
/* What rules_feature.c binds into the feature's struct sl_feature:
 * private to the module. */
#ifndef SL_RULES_FEATURE_H
#define SL_RULES_FEATURE_H

#include <jansson.h>

#include "ctl.h"
#include "model.h"

/* rules_commands.c */
extern const struct sl_command sl_rule_handlers[];

/* rule_list.c: the rule-list command */
struct sl_args;
struct sl_ctl;
int sl_rule_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		 struct sl_err *err);

/* rules_state.c: its part of the state file */
int sl_rules_load_state(struct sl_model *m, json_t *list, struct sl_err *err);
json_t *sl_rules_save_state(const struct sl_model *m);
/* The rules one by one for the journal (feature.h's state_items). */
int sl_rules_state_items(const struct sl_model *m, struct sl_state_item **items,
			 size_t *n);
json_t *sl_rules_state_item(const struct sl_model *m, size_t index);

/* rules_metrics.c: its Prometheus metrics (feature.h's metrics hook) */
/* rules_warm.c: the counters across a restart (warm.h) */
json_t *sl_rules_warm_save(const struct sl_runtime *rt);
void sl_rules_warm_load(struct sl_runtime *rt, json_t *saved);
void sl_rules_metrics(const struct sl_runtime *rt,
		      const struct sl_worker_stats *sum, json_t *families);

#endif
