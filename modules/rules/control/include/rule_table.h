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

struct sl_network;

#define SL_RULE_NO_SLOT UINT32_MAX

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
 * restored from the state file keeps its own). Past SL_RULES_MAX, -1 with
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
