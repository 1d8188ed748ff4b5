/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Putting the model's flow rules in force: counter slots for new rules, a
 * new rule-set built off the fast path and published through RCU, the
 * slots of deleted rules given back once no worker can count on them.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>

#include "log.h"
#include "model.h"
#include "monotonic.h"
#include "rules_runtime.h"
#include "sl_flows.h"
#include "sl_meta.h"

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

void
sl_rules_set_port_map(struct sl_runtime *rt, const struct sl_flow_port_map *map)
{
	sl_rules_rt(rt)->port_map = map;
}

/* What a flow does, in datapath ports: an output to a port that is not
 * there drops, as in Open vSwitch. */
static void
dp_action(const struct sl_runtime *rt, const struct sl_rule *r,
	  struct sl_dp_flow *d)
{
	const struct sl_flow_port_map *pm = sl_rules_rt(rt)->port_map;
	const struct sl_flow *f = r->flow;
	int port;

	d->action = SL_FLOW_DROP;
	if (sl_flow_is_normal(f)) {
		d->action = SL_FLOW_NORMAL;
	} else if (f->nb_out == 1 &&
		   (port = pm->dp_port(rt, r->network, f->out[0])) >= 0) {
		d->action = SL_FLOW_OUTPUT;
		d->out_port = (uint16_t)port;
	}
}

/* The datapath's flows of the table's OpenFlow flows: one per port a
 * flow's in_port names, or one per port of its bridge when it names
 * none. *n is how many. */
static struct sl_dp_flow *
dp_flows(const struct sl_runtime *rt, const struct sl_rule_table *t,
	 uint32_t *n, struct sl_err *err)
{
	const struct sl_flow_port_map *pm = sl_rules_rt(rt)->port_map;
	struct sl_dp_flow *v = NULL;
	uint32_t cap = 0;
	uint16_t ports[SL_DP_MAX_PORTS];

	*n = 0;
	for (uint32_t i = 0; pm && i < t->n; i++) {
		const struct sl_rule *r = &t->v[i];
		unsigned int nb = 0;

		if (!r->flow)
			continue;
		if (r->flow->mask.in_port) {
			int p = pm->dp_port(rt, r->network, r->flow->key.in_port);

			if (p >= 0)
				ports[nb++] = (uint16_t)p;
		} else {
			nb = pm->dp_ports(rt, r->network, ports, RTE_DIM(ports));
		}
		for (unsigned int k = 0; k < nb; k++) {
			struct sl_dp_flow *d;

			if (*n == cap) {
				cap = cap ? 2 * cap : 64;
				d = realloc(v, cap * sizeof(*v));
				if (!d) {
					free(v);
					sl_err_set(err, SL_E_INTERNAL_ERROR,
						   "out of memory for %u flows", cap);
					return NULL;
				}
				v = d;
			}
			d = &v[(*n)++];
			memset(d, 0, sizeof(*d));
			d->key = r->flow->key;
			d->mask = r->flow->mask;
			d->in_port = ports[k];
			d->priority = r->priority;
			d->slot = r->slot;
			dp_action(rt, r, d);
		}
	}
	if (!v)
		v = malloc(sizeof(*v));	/* none: an empty array */
	if (!v)
		sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory for flows");
	return v;
}

bool
sl_runtime_normal_flow(const struct sl_runtime *rt, const struct sl_network *n,
		       uint64_t *cookie)
{
	const struct sl_flow_port_map *pm = sl_rules_rt(rt)->port_map;
	const struct sl_network *bridge;
	uint64_t c = 0;
	bool there;
	int tag;

	bridge = sl_rule_bridge_of(rt->model, n, &tag);
	there = !pm || !pm->normal_flow || !bridge ||
		pm->normal_flow(rt, bridge, &c);
	if (cookie)
		*cookie = c;
	return there;
}

void
sl_runtime_normal_counter_reset(struct sl_runtime *rt,
				const struct sl_network *bridge)
{
	const struct sl_network *n;
	int tag;

	TAILQ_FOREACH(n, &rt->model->networks, next)
		if (n->dp_id < SL_RULES_NETWORKS &&
		    sl_rule_bridge_of(rt->model, n, &tag) == bridge)
			sl_dp_normal_counter(rt->dp, n->dp_id,
					     &sl_rules_rt(rt)->normal_base[n->dp_id]);
}

/* The networks whose bridge lost its NORMAL flow: their unmatched
 * packets are dropped (a bit each in the rule-set, read per burst). */
static void
mark_miss_drops(const struct sl_runtime *rt, struct sl_ruleset *rs)
{
	const struct sl_network *n;

	TAILQ_FOREACH(n, &rt->model->networks, next)
		if (!sl_runtime_normal_flow(rt, n, NULL))
			sl_ruleset_set_miss_drop(rs, n->dp_id);
}

/* Build the rule-set of t (its rules have slots) and publish it. */
static int
publish(struct sl_runtime *rt, const struct sl_rule_table *t,
	struct sl_err *err)
{
	struct sl_cls_rule *cls = malloc((t->n ? t->n : 1) * sizeof(*cls));
	struct sl_rule_verdict *verdicts =
		malloc((t->n ? t->n : 1) * sizeof(*verdicts));
	struct sl_flowset *fs = NULL;
	struct sl_dp_flow *flows = NULL;
	struct sl_ruleset *rs = NULL;
	uint32_t nc = 0, nf = 0;
	uint64_t t0 = sl_monotonic_us();

	if (!cls || !verdicts) {
		sl_err_set(err, SL_E_INTERNAL_ERROR,
			   "out of memory building %u rules", t->n);
		goto out;
	}
	for (uint32_t i = 0; i < t->n; i++) {
		const struct sl_rule *r = &t->v[i];

		if (r->flow)
			continue;	/* the flowset's */
		sl_rule_to_cls(r, nc, r->network->dp_id, &cls[nc]);
		verdicts[nc++] = (struct sl_rule_verdict){
			.slot = r->slot, .priority = r->priority,
			.allow = r->allow,
		};
	}
	flows = dp_flows(rt, t, &nf, err);
	if (!flows)
		goto out;
	if (nf && !(fs = sl_flowset_build(flows, nf))) {
		sl_err_set(err, SL_E_INTERNAL_ERROR,
			   "cannot build the lists of %u flows: %s", nf,
			   strerror(errno));
		goto out;
	}
	rs = sl_ruleset_build(cls, verdicts, nc, fs);
	if (!rs) {
		sl_err_set(err, SL_E_INTERNAL_ERROR,
			   "cannot build the rule classifier for %u rules: %s",
			   nc, strerror(errno));
		goto out;
	}
	mark_miss_drops(rt, rs);
	{
		uint64_t built = sl_monotonic_us();

		sl_ruleset_free(sl_dp_publish_rules(rt->dp, rs));
		sl_rules_rt(rt)->update_us = sl_monotonic_us() - t0;
		sl_rules_rt(rt)->updates++;
		SL_LOG(DEBUG, "rule-set %" PRIu64 ": %u rules in the classifier, %u flows in lists; built in %" PRIu64 " us, in force after %" PRIu64 " us (every worker past the old one)\n",
		       sl_rules_rt(rt)->updates, nc, nf, built - t0,
		       sl_rules_rt(rt)->update_us);
	}
out:
	free(cls);
	free(verdicts);
	free(flows);
	return rs ? 0 : -1;
}

int
sl_runtime_rules_republish(struct sl_runtime *rt, struct sl_err *err)
{
	return publish(rt, sl_model_rules(rt->model), err);
}

int
sl_runtime_rules_commit(struct sl_runtime *rt, struct sl_rule_table *next,
			struct sl_err *err)
{
	struct sl_rule_table *cur = sl_model_rules(rt->model);
	struct sl_rule_slots *s = &sl_rules_rt(rt)->slots;
	uint64_t ms = sl_runtime_now_ms();

	sl_rule_table_sort(next);
	for (uint32_t i = 0; i < next->n; i++) {
		struct sl_rule *r = &next->v[i];

		if (r->slot == SL_RULE_NO_SLOT) {
			/* slots suffice: the table never holds more rules */
			r->slot = slot_get(rt);
			r->added_ms = r->added_ms ? r->added_ms : ms;
		}
	}
	if (publish(rt, next, err) < 0)
		goto fail;
	/* what the old table had and the new one lacks is free again */
	release_missing(s, cur, next);
	sl_rule_table_fini(cur);
	*cur = *next;
	memset(next, 0, sizeof(*next));
	return 0;
fail:
	/* the slots just taken go back: next is not used */
	release_missing(s, next, cur);
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
