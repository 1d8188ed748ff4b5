/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include <rte_common.h>
#include <rte_malloc.h>

#include "classifier_map.h"

/* At least as many buckets as keys: a quarter of the slots at most are
 * used, and a spill to the next bucket is rare. */
int
sl_cls_map_build(struct sl_cls_map *m, const uint64_t *keys,
		 const uint32_t *values, uint32_t n, uint64_t *bytes)
{
	uint32_t nb_buckets = rte_align32pow2(RTE_MAX(n, 2u));
	uint32_t filter_bits = 16 * nb_buckets;	/* a false "may" 1 time in 16 or less */

	m->buckets = rte_zmalloc("sl_cls_map", (size_t)nb_buckets * sizeof(*m->buckets),
				 RTE_CACHE_LINE_SIZE);
	m->filter = rte_zmalloc("sl_cls_map", filter_bits / 8, RTE_CACHE_LINE_SIZE);
	if (!m->buckets || !m->filter) {
		sl_cls_map_free(m);
		return -ENOMEM;
	}
	*bytes += (uint64_t)nb_buckets * sizeof(*m->buckets) + filter_bits / 8;
	m->filter_shift = 64 - (uint32_t)rte_log2_u32(filter_bits);
	m->mask = nb_buckets - 1;
	m->shift = 64 - (uint32_t)rte_log2_u32(nb_buckets);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t b = sl_cls_map_bucket(m, keys[i]), slot;

		for (;;) {
			for (slot = 0; slot < SL_CLS_BUCKET_SLOTS; slot++)
				if (m->buckets[b].key[slot] == 0)
					break;
			if (slot < SL_CLS_BUCKET_SLOTS)
				break;
			m->buckets[b].spilled = 1;
			b = (b + 1) & m->mask;
		}
		m->buckets[b].key[slot] = keys[i];
		m->buckets[b].value[slot] = values[i];
		slot = sl_cls_map_filter_bit(m, keys[i]);
		m->filter[slot / 64] |= 1ull << (slot % 64);
	}
	return 0;
}

void
sl_cls_map_free(struct sl_cls_map *m)
{
	rte_free(m->buckets);
	rte_free(m->filter);
	m->buckets = NULL;
	m->filter = NULL;
}
