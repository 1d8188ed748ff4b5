/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow rules in the state file: the root's "rules", a list in rank
 * order, read once the networks and VIFs they name are there. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "model.h"
#include "rule_table.h"
#include "state.h"
#include "rules_feature.h"

int
sl_rules_load_state(struct sl_model *m, json_t *list, struct sl_err *err)
{
	json_t *o;
	size_t i;

	if (!json_is_array(list))
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "rules: must be a list");
	json_array_foreach(list, i, o) {
		struct sl_err e = { 0 };
		struct sl_rule r;

		int rc;

		if (sl_rule_from_json(m, o, &r, &e) < 0)
			return sl_err_set(err, SL_E_STATE_FILE_INVALID,
					  "rules[%zu]: %s", i, e.msg);
		rc = sl_rule_table_add(sl_model_rules(m), &r,
				       SL_E_STATE_FILE_INVALID, "rules", &e);
		sl_flow_unref(r.flow);	/* the table holds its own */
		if (rc < 0)
			return sl_err_set(err, SL_E_STATE_FILE_INVALID,
					  "rules[%zu]: %s", i, e.msg);
	}
	sl_rule_table_sort(sl_model_rules(m));
	return 0;
}

json_t *
sl_rules_save_state(const struct sl_model *m)
{
	json_t *rules = json_array();

	for (uint32_t i = 0; i < sl_model_rules(m)->n; i++)
		json_array_append_new(rules, sl_rule_to_json(&sl_model_rules(m)->v[i]));
	return rules;
}
