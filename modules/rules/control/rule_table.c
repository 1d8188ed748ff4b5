/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_table.h"
#include "sdn_args.h"
#include "sl_rules.h"

void
sl_rule_table_init(struct sl_rule_table *t)
{
	memset(t, 0, sizeof(*t));
	t->next_seq = 1;
}

struct sl_flow *
sl_flow_new(void)
{
	struct sl_flow *f = calloc(1, sizeof(*f));

	if (f)
		f->refs = 1;
	return f;
}

struct sl_flow *
sl_flow_ref(struct sl_flow *f)
{
	if (f)
		f->refs++;
	return f;
}

void
sl_flow_unref(struct sl_flow *f)
{
	if (f && --f->refs == 0)
		free(f);
}

bool
sl_flow_is_normal(const struct sl_flow *f)
{
	return f->nb_out == 1 && f->out[0] == SL_FLOW_PORT_NORMAL;
}

void
sl_rule_table_fini(struct sl_rule_table *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		sl_flow_unref(t->v[i].flow);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

int
sl_rule_table_copy(struct sl_rule_table *dst, const struct sl_rule_table *src,
		   struct sl_err *err)
{
	*dst = *src;
	dst->v = malloc((src->cap ? src->cap : 1) * sizeof(*dst->v));
	if (!dst->v)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "out of memory copying %u rules", src->n);
	if (src->n)	/* an empty table may have no array */
		memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
	for (uint32_t i = 0; i < dst->n; i++)
		sl_flow_ref(dst->v[i].flow);
	return 0;
}

int
sl_rule_table_add(struct sl_rule_table *t, const struct sl_rule *r,
		  enum sl_error_code code, const char *who, struct sl_err *err)
{
	if (t->n >= SL_RULES_MAX)
		return sl_err_set(err, code,
				  "%s: the switch holds its limit of %u rules; delete some first",
				  who, SL_RULES_MAX);
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? 2 * t->cap : 64;
		struct sl_rule *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return sl_err_set(err, SL_E_INTERNAL_ERROR,
					  "%s: out of memory for %u rules", who,
					  cap);
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n] = *r;
	sl_flow_ref(r->flow);
	if (!r->seq)
		t->v[t->n].seq = t->next_seq;
	if (t->v[t->n].seq >= t->next_seq)
		t->next_seq = t->v[t->n].seq + 1;
	t->n++;
	t->appended++;
	return 0;
}

static int
rank_cmp(const void *pa, const void *pb)
{
	const struct sl_rule *a = pa, *b = pb;

	if (a->priority != b->priority)
		return a->priority > b->priority ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void
sl_rule_table_sort(struct sl_rule_table *t)
{
	if (t->appended > 8) {
		qsort(t->v, t->n, sizeof(*t->v), rank_cmp);
	} else {
		/* a few new rules: slide each into place */
		for (uint32_t i = t->n - t->appended; i < t->n; i++) {
			struct sl_rule r = t->v[i];
			uint32_t lo = 0, hi = i;

			while (lo < hi) {
				uint32_t mid = lo + (hi - lo) / 2;

				if (rank_cmp(&t->v[mid], &r) <= 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			memmove(&t->v[lo + 1], &t->v[lo],
				(i - lo) * sizeof(*t->v));
			t->v[lo] = r;
		}
	}
	t->appended = 0;
}

uint32_t
sl_rule_table_remove_if(struct sl_rule_table *t, sl_rule_pred pred,
			const void *ctx)
{
	uint32_t out = 0, n = t->n;

	for (uint32_t i = 0; i < n; i++) {
		if (!pred(&t->v[i], ctx))
			t->v[out++] = t->v[i];
		else
			sl_flow_unref(t->v[i].flow);
	}
	t->n = out;
	return n - out;
}

bool
sl_rule_covers(const struct sl_rule *del, const struct sl_rule *r)
{
	if (r->cookie != 0 || r->flow || r->network != del->network ||
	    r->has_mac != del->has_mac || r->side != del->side)
		return false;
	if (r->has_mac && !rte_is_same_ether_addr(&r->mac, &del->mac))
		return false;
	if (r->proto != del->proto &&
	    !(del->proto == SL_CLS_IP && r->proto != SL_CLS_ARP))
		return false;
	if (r->plen < del->plen ||
	    (r->addr & sl_rule_mask(del->plen)) != (del->addr & sl_rule_mask(del->plen)))
		return false;
	return del->port < 0 || r->port == del->port;
}

struct sl_rule
sl_rule_make(const struct sl_sdn_args *a, struct sl_network *n,
	     enum sl_cls_side side)
{
	return (struct sl_rule){
		.cookie = a->cookie, .network = n, .slot = SL_RULE_NO_SLOT,
		.priority = a->priority, .allow = a->allow,
		.has_mac = a->has_mac, .mac = a->mac, .side = (uint8_t)side,
		.proto = a->proto, .plen = a->plen, .port = a->port,
		.addr = a->addr & sl_rule_mask(a->plen),
	};
}

void
sl_rule_mac_text(const struct sl_rule *r, char *buf, size_t len)
{
	const uint8_t *b = r->mac.addr_bytes;

	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2],
		 b[3], b[4], b[5]);
}

void
sl_rule_prefix_text(const struct sl_rule *r, char *buf, size_t len)
{
	uint32_t a = r->addr;
	int n = snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
			 (a >> 8) & 0xff, a & 0xff);

	if (r->plen < 32 && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "/%u", r->plen);
}

const char *
sl_rule_proto_name(uint8_t proto)
{
	static const char *const names[SL_CLS_PROTOS] = {
		[SL_CLS_IP] = "ip", [SL_CLS_TCP] = "tcp", [SL_CLS_UDP] = "udp",
		[SL_CLS_ICMP] = "icmp", [SL_CLS_ARP] = "arp",
	};

	return proto < SL_CLS_PROTOS ? names[proto] : "?";
}

void
sl_rule_to_cls(const struct sl_rule *r, uint32_t rank, uint16_t network,
	       struct sl_cls_rule *out)
{
	*out = (struct sl_cls_rule){
		.rank = rank, .network = network, .has_mac = r->has_mac,
		.mac = r->mac, .side = r->side, .proto = r->proto,
		.port = r->port, .addr = r->addr, .plen = r->plen,
	};
}

/* ---- the rules part of the model ---- */

static void
rules_part_init(void *part)
{
	sl_rule_table_init(part);
}

static void
rules_part_fini(void *part)
{
	sl_rule_table_fini(part);
}

const struct sl_model_part sl_rules_model_part = {
	.size = sizeof(struct sl_rule_table),
	.init = rules_part_init,
	.fini = rules_part_fini,
};
