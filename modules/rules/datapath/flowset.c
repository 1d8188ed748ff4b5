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

/* A flow that names its EtherType goes on that kind's list only; one that
 * does not, on every kind's. */
static bool
on_kind(const struct sl_dp_flow *f, unsigned kind)
{
	return f->mask.dl_type != 0xffff || sl_flow_kind_of(f->key.dl_type) == kind;
}

/* An entry with its key and mask by word index (compacted to its list's
 * words once the list is whole: compact()). */
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
	for (unsigned w = 0; w < SL_FLOW_KEY_WORDS; w++)
		e->key[w] &= e->mask[w];
	e->action = f->action;
	e->priority = f->priority;
	e->out_port = f->out_port;
	e->slot = f->slot;
}

/* The words the entries [from, to) look at, and each entry's key and
 * mask on them, in that order. */
static void
compact(struct sl_flowset *fs, uint32_t from, uint32_t to,
	struct sl_flowset_words *u)
{
	uint64_t used = 0;

	u->n = 0;
	for (uint32_t i = from; i < to; i++)
		for (unsigned w = 0; w < SL_FLOW_KEY_WORDS; w++)
			used |= fs->entries[i].mask[w] ? 1ull << w : 0;
	for (unsigned w = 0; w < SL_FLOW_KEY_WORDS; w++)
		if (used & 1ull << w)
			u->w[u->n++] = (uint8_t)w;
	for (uint32_t i = from; i < to; i++) {
		struct sl_flowset_entry *e = &fs->entries[i];
		uint64_t key[SL_FLOW_KEY_WORDS], mask[SL_FLOW_KEY_WORDS];

		memcpy(key, e->key, sizeof(key));
		memcpy(mask, e->mask, sizeof(mask));
		memset(e->key, 0, sizeof(e->key));
		memset(e->mask, 0, sizeof(e->mask));
		for (unsigned w = 0; w < u->n; w++) {
			e->key[w] = key[u->w[w]];
			e->mask[w] = mask[u->w[w]];
		}
	}
}

/* The priority of the first flow of [from, to) that matches every
 * packet (no word of its mask set), or -1. */
static int32_t
catch_all(const struct sl_flowset *fs, uint32_t from, uint32_t to,
	  const struct sl_flowset_words *u)
{
	for (uint32_t i = from; i < to; i++) {
		uint64_t any = 0;

		for (unsigned w = 0; w < u->n; w++)
			any |= fs->entries[i].mask[w];
		if (!any)
			return fs->entries[i].priority;
	}
	return -1;
}

/* Each port's covered priority: its kinds' catch-alls', the lowest. */
static void
cover(struct sl_flowset *fs)
{
	for (uint16_t p = 0; p < SL_DP_MAX_PORTS; p++) {
		int32_t c = INT32_MAX;

		for (unsigned k = 0; k < SL_FLOW_KINDS; k++)
			c = RTE_MIN(c, catch_all(fs, fs->list[p][k],
						 fs->list[p][k + 1],
						 &fs->words[p][k]));
		fs->covered[p] = c;
	}
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
	fs->words = rte_zmalloc("sl_flowset_words",
				SL_DP_MAX_PORTS * sizeof(*fs->words), 0);
	fs->entries = rte_zmalloc("sl_flowset_entries",
				  RTE_MAX(total, 1u) * sizeof(*fs->entries),
				  RTE_CACHE_LINE_SIZE);
	fs->covered = rte_malloc("sl_flowset_covered",
				 SL_DP_MAX_PORTS * sizeof(*fs->covered), 0);
	fs->decides = rte_zmalloc("sl_flowset_decides",
				  SL_DP_MAX_PORTS * sizeof(*fs->decides), 0);
	if (!fs->list || !fs->words || !fs->entries || !fs->covered ||
	    !fs->decides)
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
	for (uint16_t p = 0; p < SL_DP_MAX_PORTS; p++)
		for (unsigned k = 0; k < SL_FLOW_KINDS; k++)
			compact(fs, fs->list[p][k], fs->list[p][k + 1], &fs->words[p][k]);
	cover(fs);
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
	rte_free(fs->words);
	rte_free(fs->entries);
	rte_free(fs->covered);
	rte_free(fs->decides);
	rte_free(fs);
}
