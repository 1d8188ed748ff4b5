/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the state file's loader and its journal's replay
 * (core/control/state.c, journal.c), as sluiced reads them at start-up,
 * with the rules feature's part of the state file (rules_state.c). Any
 * bytes must give a loaded model or an error, never a crash or a leak; a
 * model loaded must save to a state that loads again to the same.
 *
 * Input: the state file's text, then optionally a NUL byte and the
 * journal's text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feature.h"
#include "journal.h"
#include "rule_table.h"
#include "state.h"

/* the rules feature as the state file sees it (rules_feature.c, without
 * its runtime and commands) */
int sl_rules_load_state(struct sl_model *m, json_t *list, struct sl_err *err);
json_t *sl_rules_save_state(const struct sl_model *m);

extern const struct sl_model_part sl_rules_model_part;

static const struct sl_feature rules = {
	.name = "rules",
	.model_part = &sl_rules_model_part,
	.state_key = "rules",
	.load_state = sl_rules_load_state,
	.save_state = sl_rules_save_state,
};
static const struct sl_feature *const features[] = { &rules, NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sl_model *
load(json_t *root)
{
	struct sl_model *m = sl_model_new(features);
	struct sl_err err = { 0 };

	if (m && sl_state_from_json(m, features, root, &err) < 0) {
		sl_model_free(m);
		return NULL;
	}
	return m;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t state_len = nul ? (size_t)(nul - data) : size;
	struct sl_journal_replay info;
	struct sl_err err = { 0 };
	struct sl_model *m, *back;
	json_t *root, *saved, *again;

	root = json_loadb((const char *)data, state_len, JSON_REJECT_DUPLICATES, NULL);
	if (!root)
		return 0;
	if (nul && sl_journal_apply(root, (const char *)nul + 1,
				    size - state_len - 1, &info, &err) < 0) {
		json_decref(root);
		return 0;
	}
	m = load(root);
	json_decref(root);
	if (!m)
		return 0;
	saved = sl_state_to_json(m, features);
	back = load(saved);
	if (!back)
		abort();	/* saved what it cannot load */
	again = sl_state_to_json(back, features);
	if (!json_equal(saved, again))
		abort();	/* a round trip that changes the state */
	json_decref(saved);
	json_decref(again);
	sl_model_free(back);
	sl_model_free(m);
	return 0;
}
