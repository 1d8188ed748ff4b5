/* SPDX-License-Identifier: BSD-3-Clause */
/* The flow behind a rule counter, for trace: the rule a traced packet
 * matched, as dump-flows prints it, with its counters. */
#include "rule_table.h"
#include "rules_runtime.h"
#include "sdn_args.h"

json_t *
sl_rules_flow_of_key(const struct sl_runtime *rt, uint32_t key)
{
	const struct sl_rule_table *t = sl_model_rules(rt->model);
	char match[512], actions[128], cookie[24];
	const struct sl_network *n;
	struct sl_rule_counter c;
	int tag;

	if (key == SL_RULE_KEY_NONE)
		return NULL;
	if (key & SL_RULE_KEY_NORMAL) {
		n = sl_model_network_by_dp_id(rt->model,
					      (uint16_t)(key & ~SL_RULE_KEY_NORMAL));
		if (!n)
			return NULL;
		return json_pack("{s:s, s:s, s:i, s:s, s:s}", "bridge",
				 sl_rule_bridge_of(rt->model, n, &tag)->bridge,
				 "cookie", "0x0", "priority", 0, "match", "",
				 "actions", "NORMAL");
	}
	for (uint32_t i = 0; i < t->n; i++) {
		const struct sl_rule *r = &t->v[i];

		if (r->slot != key)
			continue;
		sl_runtime_rule_counter(rt, r, &c);
		sl_sdn_cookie_text(r->cookie, cookie, sizeof(cookie));
		sl_rule_match_text(rt->model, r, match, sizeof(match));
		sl_rule_actions_text(r, actions, sizeof(actions));
		return json_pack("{s:s, s:s, s:i, s:s, s:s, s:I, s:I}", "bridge",
				 sl_rule_bridge_of(rt->model, r->network, &tag)->bridge,
				 "cookie", cookie, "priority", (int)r->priority,
				 "match", match, "actions", actions,
				 "n-packets", (json_int_t)c.packets,
				 "n-bytes", (json_int_t)c.bytes);
	}
	return NULL;
}
