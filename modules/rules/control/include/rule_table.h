/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flow rules the operator installed, kept in the model beside the
 * networks they judge. One plugin call (add_rule with direction=from/to)
 * makes one rule per direction, as the plugin makes one OpenFlow flow per
 * direction.
 *
 * The table is kept in rank order: priority, highest first, then the order
 * rules were added (an earlier rule wins over a later one of the same
 * priority, so two overlapping rules of equal priority always resolve the
 * same way). A rule's rank is its index.
 *
 * Every change is made on a copy (sl_rule_table_copy) and swapped in whole
 * once the datapath took it, so a batch is all-or-nothing.
 */
#ifndef SL_RULES_TABLE_H
#define SL_RULES_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include <jansson.h>

#include "model.h"
#include "sl_cls_rule.h"
#include "sl_error.h"
#include "sl_flow_key.h"

struct sl_network;

#define SL_RULE_NO_SLOT UINT32_MAX

/* OpenFlow port numbers (1.0's) a flow's actions may name besides ports */
#define SL_FLOW_PORT_NORMAL 0xfffa
#define SL_FLOW_PORT_LOCAL 0xfffe
#define SL_FLOW_MAX_OUTPUTS 4

/*
 * An OpenFlow flow's own match and actions, for a rule of the bridge's
 * table that the plugin's fields cannot say (in_port, ARP and IPv6
 * fields, an output port). Ports are the bridge's OpenFlow port numbers
 * (the database's ofport). Immutable once made; the copies of a table
 * share it (reference-counted), so an edit copies pointers, not flows.
 */
struct sl_flow {
	unsigned int refs;
	struct sl_flow_key key, mask;	/* key & mask == key */
	uint8_t nb_out;			/* 0: drop */
	uint16_t out[SL_FLOW_MAX_OUTPUTS];	/* ports, NORMAL, LOCAL */
	uint16_t idle_timeout, hard_timeout, flags;	/* as given */
};

/* A new flow (one reference), NULL when out of memory. */
struct sl_flow *sl_flow_new(void);
struct sl_flow *sl_flow_ref(struct sl_flow *f);
void sl_flow_unref(struct sl_flow *f);
/* Whether the flow's only action is NORMAL. */
bool sl_flow_is_normal(const struct sl_flow *f);
/* The match in ovs-ofctl's words ("in_port=1,icmp6,ipv6_src=..."),
 * without a trailing comma; "" for a match of everything. */
void sl_flow_match_text(const struct sl_flow_key *key,
			const struct sl_flow_key *mask, char *buf, size_t len);
/* The actions as ovs-ofctl prints them ("NORMAL", "drop", "output:2"). */
void sl_flow_actions_text(const struct sl_flow *f, char *buf, size_t len);

struct sl_rule {
	uint64_t seq;		/* add order */
	uint64_t cookie;
	uint64_t added_ms;	/* monotonic; dump-flows' duration */
	struct sl_network *network;
	uint32_t slot;		/* counter slot; SL_RULE_NO_SLOT until published */
	uint16_t priority;
	bool allow;
	bool has_mac;
	struct rte_ether_addr mac;	/* TO: source MAC; FROM: destination */
	uint8_t side;		/* enum sl_cls_side */
	uint8_t proto;		/* enum sl_cls_proto */
	uint8_t plen;
	int32_t port;		/* -1: any */
	uint32_t addr;		/* host order, host bits cleared */
	/* an OpenFlow flow the fields above cannot hold (they are unused;
	 * allow: its only action is NORMAL); NULL for the plugin's rules.
	 * network is then its bridge's. The table holds a reference. */
	struct sl_flow *flow;
};

struct sl_rule_table {
	struct sl_rule *v;	/* [n], rank order */
	uint32_t n, cap;
	uint32_t appended;	/* rules added since the last sort */
	uint64_t next_seq;
};

void sl_rule_table_init(struct sl_rule_table *t);
void sl_rule_table_fini(struct sl_rule_table *t);
/* dst = a copy of src (dst uninitialised). -1 with err on ENOMEM. */
int sl_rule_table_copy(struct sl_rule_table *dst,
		       const struct sl_rule_table *src, struct sl_err *err);

/* Add a rule (its seq is given here unless r->seq is non-zero: a rule
 * restored from the state file keeps its own; the table takes a reference
 * of its flow). Past SL_RULES_MAX, -1 with
 * a LIMIT_REACHED-style error (code) naming the limit. */
int sl_rule_table_add(struct sl_rule_table *t, const struct sl_rule *r,
		      enum sl_error_code code, const char *who,
		      struct sl_err *err);
/* Back into rank order after adds. */
void sl_rule_table_sort(struct sl_rule_table *t);

typedef bool (*sl_rule_pred)(const struct sl_rule *r, const void *ctx);
/* Remove every rule pred selects; returns how many. */
uint32_t sl_rule_table_remove_if(struct sl_rule_table *t, sl_rule_pred pred,
				 const void *ctx);

/* What a plugin-style del_rule without a cookie removes: the cookie-0
 * rules of the same scope and side that it covers (Open vSwitch's
 * non-strict del-flows: protocol ip covers tcp, udp and icmp; the prefix
 * contains the rule's; no port given covers every port). */
bool sl_rule_covers(const struct sl_rule *del, const struct sl_rule *r);

static inline uint32_t
sl_rule_mask(uint8_t plen)
{
	return plen ? ~(uint32_t)0 << (32 - plen) : 0;
}

struct sl_sdn_args;
/* The rule of one side of a plugin call on network n (host bits of the
 * range cleared, no counter slot yet). */
struct sl_rule sl_rule_make(const struct sl_sdn_args *a, struct sl_network *n,
			    enum sl_cls_side side);

/* The MAC as ovs-ofctl prints it: lower-case hex. */
void sl_rule_mac_text(const struct sl_rule *r, char *buf, size_t len);

/* "192.168.1.0/24", or the bare address for a /32, as ovs-ofctl prints. */
void sl_rule_prefix_text(const struct sl_rule *r, char *buf, size_t len);
const char *sl_rule_proto_name(uint8_t proto);

/* The network whose bridge carries n: n itself, or for a VLAN network
 * the network of the PIF carrying its tag (*tag set to it, else -1). A
 * VLAN network's rules are flows of its parent bridge's table. */
const struct sl_network *sl_rule_bridge_of(const struct sl_model *m,
					   const struct sl_network *n,
					   int *tag);
/* A rule as a flow of its bridge's table (rule_flow_form.c): an OpenFlow
 * flow's own, or what the plugin's fields say (a VLAN network's rule
 * with its dl_vlan). flow is filled with its key, mask and actions only
 * (no reference count). */
void sl_rule_flow_form(const struct sl_model *m, const struct sl_rule *r,
		       struct sl_flow *flow);

/* The flow a worker's rule counter key (sl_rules.h: SL_RULE_KEY_*)
 * stands for, as trace reports it: bridge, cookie, priority, match,
 * actions and the flow's counters; a network's NORMAL counter is its
 * bridge's priority-0 NORMAL flow. NULL if the key is none, or the rule
 * went meanwhile (rules_trace.c). */
struct sl_runtime;
json_t *sl_rules_flow_of_key(const struct sl_runtime *rt, uint32_t key);

/* The rule's match and actions as dump-flows prints them, into buf. */
void sl_rule_match_text(const struct sl_model *m, const struct sl_rule *r,
			char *buf, size_t len);
void sl_rule_actions_text(const struct sl_rule *r, char *buf, size_t len);

/* The classifier's view of rule i (rank i). */
void sl_rule_to_cls(const struct sl_rule *r, uint32_t rank, uint16_t network,
		    struct sl_cls_rule *out);


/* ---- JSON (rule_table_json.c): the state file's and rule-list's record ---- */

json_t *sl_rule_to_json(const struct sl_rule *r);
/* A rule from its record; the network must exist in m. */
int sl_rule_from_json(const struct sl_model *m, json_t *o, struct sl_rule *r,
		      struct sl_err *err);

/* The rules of a model (the rules part of it): rank order. */
extern const struct sl_model_part sl_rules_model_part;
static inline struct sl_rule_table *
sl_model_rules(const struct sl_model *m)
{
	return sl_model_part(m, &sl_rules_model_part);
}

#endif
