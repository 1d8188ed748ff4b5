/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow rules in the state file: the root's "rules", a list in rank
 * order, read once the networks and VIFs they name are there. */
#include <stdio.h>
#include <stdlib.h>
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

/* What the state file holds of r (sl_rule_to_json's fields), hashed
 * field by field: the struct has padding and a pointer. */
static uint64_t
rule_hash(const struct sl_rule *r)
{
	uint64_t h = SL_STATE_HASH_START;

#define H(field) (h = sl_state_hash(h, &(field), sizeof(field)))
	H(r->seq);
	H(r->cookie);
	H(r->priority);
	H(r->allow);
	H(r->has_mac);
	H(r->mac);
	H(r->side);
	H(r->proto);
	H(r->plen);
	H(r->port);
	H(r->addr);
	h = sl_state_hash(h, r->network->uuid, strlen(r->network->uuid));
	if (r->flow) {	/* calloc'd: its padding is zero, as saved */
		H(r->flow->key);
		H(r->flow->mask);
		H(r->flow->nb_out);
		H(r->flow->out);
		H(r->flow->idle_timeout);
		H(r->flow->hard_timeout);
		H(r->flow->flags);
	}
#undef H
	return h;
}

int
sl_rules_state_items(const struct sl_model *m, struct sl_state_item **items,
		     size_t *n)
{
	const struct sl_rule_table *t = sl_model_rules(m);

	*n = t->n;
	*items = malloc((t->n ? t->n : 1) * sizeof(**items));
	if (!*items)
		return -1;
	for (uint32_t i = 0; i < t->n; i++)
		(*items)[i] = (struct sl_state_item){
			.id = t->v[i].seq, .hash = rule_hash(&t->v[i]),
		};
	return 0;
}

json_t *
sl_rules_state_item(const struct sl_model *m, size_t index)
{
	return sl_rule_to_json(&sl_model_rules(m)->v[index]);
}
