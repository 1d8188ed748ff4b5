/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flow rules in force (rules_runtime.c): the rules feature's runtime
 * state, kept in the runtime as the feature's own (sl_feature_runtime),
 * and what the rule commands call. Private to the module.
 */
#ifndef SL_RULES_RUNTIME_H
#define SL_RULES_RUNTIME_H

#include <stdint.h>

#include "rule_table.h"
#include "runtime.h"
#include "sl_rules.h"

/* Counter slots of rules: free ones, and what each read when handed out. */
struct sl_rule_slots {
	uint32_t *free;		/* stack of free slots */
	uint32_t nb_free;
	uint8_t *mark;		/* scratch, all 0 between commits */
	struct sl_rule_counter *base;	/* [SL_RULES_MAX] */
};


int sl_runtime_rules_init(struct sl_runtime *rt, struct sl_err *err);
void sl_runtime_rules_fini(struct sl_runtime *rt);
/*
 * Put next (a changed copy of the model's rules) in force: it is sorted,
 * its new rules get counter slots, a rule-set is built from it and
 * published, and it replaces the model's table (next is emptied). On
 * failure nothing changed: the model's rules stay in force and next is the
 * caller's to free.
 */
int sl_runtime_rules_commit(struct sl_runtime *rt, struct sl_rule_table *next,
			    struct sl_err *err);
/* The rules of the state file are in force before any port opens. */
int sl_runtime_rules_restore(struct sl_runtime *rt, struct sl_err *err);
/* A rule's counters since it was added. */
void sl_runtime_rule_counter(const struct sl_runtime *rt,
			     const struct sl_rule *r, struct sl_rule_counter *out);
/* Packets of a network no rule matched. */
void sl_runtime_normal_counter(const struct sl_runtime *rt, uint16_t dp_id,
			       struct sl_rule_counter *out);
/* A network is going: its rules go first, before its id can be reused.
 * -1 with err if they cannot (the network must then stay). */
int sl_runtime_rules_drop_network(struct sl_runtime *rt, struct sl_network *n,
				  struct sl_err *err);

/*
 * How an OpenFlow flow's port numbers become datapath ports: given by the
 * feature that numbers the ports (the OpenFlow feature, from the
 * database's ofports). Without one, OpenFlow flows are kept but match
 * nothing. bridge is the network a flow's rule is on.
 */
struct sl_flow_port_map {
	/* The datapath port of OpenFlow port ofport, or -1. */
	int (*dp_port)(const struct sl_runtime *rt,
		       const struct sl_network *bridge, uint16_t ofport);
	/* Every datapath port of the bridge (at most max into out). */
	unsigned int (*dp_ports)(const struct sl_runtime *rt,
				 const struct sl_network *bridge,
				 uint16_t *out, unsigned int max);
	/* Whether the bridge's table has its priority-0 NORMAL flow (what
	 * no flow matches is switched normally; *cookie set to its cookie);
	 * false: what no flow matches is dropped. */
	bool (*normal_flow)(const struct sl_runtime *rt,
			    const struct sl_network *bridge, uint64_t *cookie);
};
void sl_rules_set_port_map(struct sl_runtime *rt,
			   const struct sl_flow_port_map *map);
/* Whether n's bridge has its priority-0 NORMAL flow (true without a
 * port map: a bridge nothing numbers has no OpenFlow table to edit). */
bool sl_runtime_normal_flow(const struct sl_runtime *rt,
			    const struct sl_network *n, uint64_t *cookie);
/* The bridge's NORMAL flow was added again: its networks' NORMAL
 * counters start from zero, as a new flow's. */
void sl_runtime_normal_counter_reset(struct sl_runtime *rt,
				     const struct sl_network *bridge);
/* Build and publish the rule-set again: the ports were renumbered. */
int sl_runtime_rules_republish(struct sl_runtime *rt, struct sl_err *err);

struct sl_rules_rt {
	const struct sl_flow_port_map *port_map;
	struct sl_rule_slots slots;
	/* NORMAL counters of a network id when its network was destroyed */
	struct sl_rule_counter normal_base[SL_RULES_NETWORKS];
	uint64_t update_us;	/* last build + publish */
	uint64_t updates;
};

extern const struct sl_feature sl_rules_feature;

static inline struct sl_rules_rt *
sl_rules_rt(const struct sl_runtime *rt)
{
	return sl_feature_runtime(rt, &sl_rules_feature);
}

#endif
