/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Putting the model's flow rules in force: counter slots for new rules, a
 * new rule-set built off the fast path and published through RCU, the
 * slots of deleted rules given back once no worker can count on them.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>

#include "log.h"
#include "model.h"
#include "rules_runtime.h"

int
sl_runtime_rules_init(struct sl_runtime *rt, struct sl_err *err)
{
	struct sl_rule_slots *s = &sl_rules_rt(rt)->slots;

	s->free = malloc(SL_RULES_MAX * sizeof(*s->free));
	s->mark = calloc(SL_RULES_MAX, sizeof(*s->mark));
	s->base = calloc(SL_RULES_MAX, sizeof(*s->base));
	if (!s->free || !s->mark || !s->base) {
		sl_runtime_rules_fini(rt);
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "out of memory for the rule counters");
	}
	/* lowest slots handed out first */
	for (uint32_t i = 0; i < SL_RULES_MAX; i++)
		s->free[i] = SL_RULES_MAX - 1 - i;
	s->nb_free = SL_RULES_MAX;
	return 0;
}

void
sl_runtime_rules_fini(struct sl_runtime *rt)
{
	struct sl_rules_rt *r = sl_rules_rt(rt);
	struct sl_rule_slots *s;

	if (!r)
		return;	/* the runtime stopped before its state was made */
	s = &r->slots;
	free(s->free);
	free(s->mark);
	free(s->base);
	memset(s, 0, sizeof(*s));
}

static void
slot_put(struct sl_rule_slots *s, uint32_t slot)
{
	s->free[s->nb_free++] = slot;
}

/* A fresh slot whose counters start from what they read now (a slot's
 * earlier owner left its counts in the workers' arrays). */
static uint32_t
slot_get(struct sl_runtime *rt)
{
	struct sl_rule_slots *s = &sl_rules_rt(rt)->slots;
	uint32_t slot = s->free[--s->nb_free];

	sl_dp_rule_counter(rt->dp, slot, &s->base[slot]);
	return slot;
}

/* Free the slots of the rules of from that keep does not hold. */
static void
release_missing(struct sl_rule_slots *s, const struct sl_rule_table *from,
		const struct sl_rule_table *keep)
{
	for (uint32_t i = 0; i < keep->n; i++)
		if (keep->v[i].slot != SL_RULE_NO_SLOT)
			s->mark[keep->v[i].slot] = 1;
	for (uint32_t i = 0; i < from->n; i++)
		if (from->v[i].slot != SL_RULE_NO_SLOT && !s->mark[from->v[i].slot])
			slot_put(s, from->v[i].slot);
	for (uint32_t i = 0; i < keep->n; i++)
		if (keep->v[i].slot != SL_RULE_NO_SLOT)
			s->mark[keep->v[i].slot] = 0;
}

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

int
sl_runtime_rules_commit(struct sl_runtime *rt, struct sl_rule_table *next,
			struct sl_err *err)
{
	struct sl_rule_table *cur = sl_model_rules(rt->model);
	struct sl_rule_slots *s = &sl_rules_rt(rt)->slots;
	struct sl_cls_rule *cls = NULL;
	struct sl_rule_verdict *verdicts = NULL;
	struct sl_ruleset *rs = NULL;
	uint64_t t0 = now_us(), ms = sl_runtime_now_ms();

	sl_rule_table_sort(next);
	cls = malloc((next->n ? next->n : 1) * sizeof(*cls));
	verdicts = malloc((next->n ? next->n : 1) * sizeof(*verdicts));
	if (!cls || !verdicts) {
		sl_err_set(err, SL_E_INTERNAL_ERROR,
			   "out of memory building %u rules", next->n);
		goto fail;
	}
	for (uint32_t i = 0; i < next->n; i++) {
		struct sl_rule *r = &next->v[i];

		if (r->slot == SL_RULE_NO_SLOT) {
			/* slots suffice: the table never holds more rules */
			r->slot = slot_get(rt);
			r->added_ms = r->added_ms ? r->added_ms : ms;
		}
		sl_rule_to_cls(r, i, r->network->dp_id, &cls[i]);
		verdicts[i] = (struct sl_rule_verdict){
			.slot = r->slot, .allow = r->allow,
		};
	}
	rs = sl_ruleset_build(cls, verdicts, next->n);
	if (!rs) {
		sl_err_set(err, SL_E_INTERNAL_ERROR,
			   "cannot build the rule classifier for %u rules: %s",
			   next->n, strerror(errno));
		goto fail;
	}
	free(cls);
	free(verdicts);
	sl_ruleset_free(sl_dp_publish_rules(rt->dp, rs));
	sl_rules_rt(rt)->update_us = now_us() - t0;
	sl_rules_rt(rt)->updates++;

	/* what the old table had and the new one lacks is free again */
	release_missing(s, cur, next);
	sl_rule_table_fini(cur);
	*cur = *next;
	memset(next, 0, sizeof(*next));
	return 0;
fail:
	/* the slots just taken go back: next is not used */
	release_missing(s, next, cur);
	free(cls);
	free(verdicts);
	return -1;
}

/* The rules of the state file are in force before any port opens. */
int
sl_runtime_rules_restore(struct sl_runtime *rt, struct sl_err *err)
{
	struct sl_rule_table next;

	if (!sl_model_rules(rt->model)->n)
		return 0;
	if (sl_rule_table_copy(&next, sl_model_rules(rt->model), err) < 0)
		return -1;
	if (sl_runtime_rules_commit(rt, &next, err) < 0) {
		sl_rule_table_fini(&next);
		return -1;
	}
	return 0;
}

void
sl_runtime_rule_counter(const struct sl_runtime *rt, const struct sl_rule *r,
			struct sl_rule_counter *out)
{
	const struct sl_rule_counter *base;

	if (r->slot == SL_RULE_NO_SLOT) {
		*out = (struct sl_rule_counter){ 0, 0 };
		return;
	}
	base = &sl_rules_rt(rt)->slots.base[r->slot];
	sl_dp_rule_counter(rt->dp, r->slot, out);
	out->packets -= base->packets;
	out->bytes -= base->bytes;
}

void
sl_runtime_normal_counter(const struct sl_runtime *rt, uint16_t dp_id,
			  struct sl_rule_counter *out)
{
	sl_dp_normal_counter(rt->dp, dp_id, out);
	out->packets -= sl_rules_rt(rt)->normal_base[dp_id].packets;
	out->bytes -= sl_rules_rt(rt)->normal_base[dp_id].bytes;
}

static bool
on_network(const struct sl_rule *r, const void *n)
{
	return r->network == n;
}

int
sl_runtime_rules_drop_network(struct sl_runtime *rt, struct sl_network *n,
			      struct sl_err *err)
{
	struct sl_rule_table next;
	uint32_t gone;

	if (sl_rule_table_copy(&next, sl_model_rules(rt->model), err) < 0)
		return -1;
	gone = sl_rule_table_remove_if(&next, on_network, n);
	if (!gone) {
		sl_rule_table_fini(&next);
	} else if (sl_runtime_rules_commit(rt, &next, err) < 0) {
		sl_rule_table_fini(&next);
		return -1;
	} else {
		SL_LOG(INFO, "network %s: its %u rule(s) went with it\n",
		       n->uuid, gone);
	}
	/* the next network with this id counts from zero */
	sl_dp_normal_counter(rt->dp, n->dp_id, &sl_rules_rt(rt)->normal_base[n->dp_id]);
	return 0;
}
