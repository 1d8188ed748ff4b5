/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The OpenFlow flows' lists (sl_flows.h): built off the fast path from the
 * control plane's flows, searched by the rules stage.
 */
#include <errno.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_malloc.h>

#include "sl_flows.h"
#include "sl_meta.h"

enum sl_flow_kind
sl_flow_kind_of(uint16_t dl_type)
{
	switch (dl_type) {
	case RTE_ETHER_TYPE_IPV4:
		return SL_FLOW_KIND_IPV4;
	case RTE_ETHER_TYPE_IPV6:
		return SL_FLOW_KIND_IPV6;
	case RTE_ETHER_TYPE_ARP:
		return SL_FLOW_KIND_ARP;
	default:
		return SL_FLOW_KIND_OTHER;
	}
}

/* A flow that names its EtherType goes on that kind's list only; one that
 * does not, on every kind's. */
static bool
on_kind(const struct sl_dp_flow *f, unsigned kind)
{
	return f->mask.dl_type != 0xffff || sl_flow_kind_of(f->key.dl_type) == kind;
}

static void
entry_of(const struct sl_dp_flow *f, struct sl_flowset_entry *e)
{
	struct sl_flow_key key = f->key, mask = f->mask;

	/* the list is the in_port match */
	key.in_port = 0;
	mask.in_port = 0;
	memset(e, 0, sizeof(*e));
	memcpy(e->key, &key, sizeof(key));
	memcpy(e->mask, &mask, sizeof(mask));
	for (unsigned w = 0; w < SL_FLOW_KEY_WORDS; w++) {
		e->key[w] &= e->mask[w];
		if (e->mask[w])
			e->words[e->nb_words++] = (uint8_t)w;
	}
	e->action = f->action;
	e->priority = f->priority;
	e->out_port = f->out_port;
	e->slot = f->slot;
}

struct sl_flowset *
sl_flowset_build(const struct sl_dp_flow *flows, uint32_t n)
{
	struct sl_flowset *fs;
	uint32_t total = 0, at = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (flows[i].in_port >= SL_DP_MAX_PORTS ||
		    (i && flows[i].priority > flows[i - 1].priority)) {
			errno = EINVAL;
			return NULL;
		}
		for (unsigned k = 0; k < SL_FLOW_KINDS; k++)
			total += on_kind(&flows[i], k);
	}
	fs = rte_zmalloc("sl_flowset", sizeof(*fs), 0);
	if (!fs)
		goto nomem;
	fs->nb_flows = n;
	fs->nb_entries = total;
	fs->list = rte_zmalloc("sl_flowset_lists",
			       SL_DP_MAX_PORTS * sizeof(*fs->list), 0);
	fs->entries = rte_zmalloc("sl_flowset_entries",
				  RTE_MAX(total, 1u) * sizeof(*fs->entries),
				  RTE_CACHE_LINE_SIZE);
	if (!fs->list || !fs->entries)
		goto nomem;
	/* a counting sort into port-major, kind-minor lists: count, turn the
	 * counts into starts, then place the flows in rank order */
	for (uint32_t i = 0; i < n; i++)
		for (unsigned k = 0; k < SL_FLOW_KINDS; k++)
			fs->list[flows[i].in_port][k + 1] += on_kind(&flows[i], k);
	for (uint16_t p = 0; p < SL_DP_MAX_PORTS; p++) {
		for (unsigned k = 0; k <= SL_FLOW_KINDS; k++) {
			uint32_t count = k < SL_FLOW_KINDS ? fs->list[p][k + 1] : 0;

			fs->list[p][k] = at;	/* its start, for now its end */
			at += count;
		}
	}
	for (uint32_t i = 0; i < n; i++)
		for (unsigned k = 0; k < SL_FLOW_KINDS; k++)
			if (on_kind(&flows[i], k))
				entry_of(&flows[i],
					 &fs->entries[fs->list[flows[i].in_port][k]++]);
	/* each start has moved to its list's end: shift them back */
	for (uint16_t p = SL_DP_MAX_PORTS; p-- > 0;) {
		for (unsigned k = SL_FLOW_KINDS; k-- > 0;)
			fs->list[p][k + 1] = fs->list[p][k];
		fs->list[p][0] = p ? fs->list[p - 1][SL_FLOW_KINDS] : 0;
	}
	return fs;
nomem:
	sl_flowset_free(fs);
	errno = ENOMEM;
	return NULL;
}

void
sl_flowset_free(struct sl_flowset *fs)
{
	if (!fs)
		return;
	rte_free(fs->list);
	rte_free(fs->entries);
	rte_free(fs);
}

const struct sl_flowset_entry *
sl_flowset_lookup(const struct sl_flowset *fs, uint16_t in_port,
		  enum sl_flow_kind kind, const struct sl_flow_key *k,
		  int32_t floor)
{
	const uint64_t *kw = (const uint64_t *)k;
	uint32_t end = fs->list[in_port][kind + 1];

	for (uint32_t i = fs->list[in_port][kind]; i < end; i++) {
		const struct sl_flowset_entry *e = &fs->entries[i];
		unsigned w = 0;

		if ((int32_t)e->priority <= floor)
			return NULL;	/* the rest rank lower still */
		while (w < e->nb_words &&
		       (kw[e->words[w]] & e->mask[e->words[w]]) == e->key[e->words[w]])
			w++;
		if (w == e->nb_words)
			return e;
	}
	return NULL;
}
