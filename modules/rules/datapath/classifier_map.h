/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The classifier's hash maps (a (network, MAC) to its scope, a group's
 * (class, port) to its table).
 *
 * A hash map of nonzero 64-bit keys to 32-bit values, in buckets of 4
 * keys and their values, a cache line each, so that finding a key is a
 * read of one line, not a search. A bucket that was full when a key
 * hashed to it sent the key on to the next one and says so (rare: there
 * are at least as many buckets as keys).
 */
#ifndef SL_CLASSIFIER_MAP_H
#define SL_CLASSIFIER_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#ifdef RTE_ARCH_X86
#include <smmintrin.h>
#endif

#define SL_CLS_MAP_NONE UINT32_MAX	/* no such key */
#define SL_CLS_BUCKET_SLOTS 4

struct sl_cls_bucket {
	uint64_t key[SL_CLS_BUCKET_SLOTS];	/* 0: empty */
	uint32_t value[SL_CLS_BUCKET_SLOTS];
	uint8_t spilled;	/* a key of this bucket is in a later one */
} __rte_cache_aligned;

struct sl_cls_map {
	struct sl_cls_bucket *buckets;
	uint32_t mask;		/* buckets - 1 (at least 2 buckets) */
	uint32_t shift;		/* 64 - log2(buckets) */
	/* A bit per key's second hash, 16 bits or more per key: most keys
	 * that are not in the map are told by one bit of a small array that
	 * stays in cache, not by a bucket read. */
	uint64_t *filter;
	uint32_t filter_shift;	/* 64 - log2(filter bits) */
};

/* Build m from keys[i] -> values[i] (keys distinct, nonzero). Adds the
 * bytes it takes to *bytes. -ENOMEM on failure. */
int sl_cls_map_build(struct sl_cls_map *m, const uint64_t *keys,
		     const uint32_t *values, uint32_t n, uint64_t *bytes);
void sl_cls_map_free(struct sl_cls_map *m);

/* Multiply-shift hashing: the top bits of the product, which every bit
 * of the key reaches. */
static inline uint32_t
sl_cls_map_bucket(const struct sl_cls_map *m, uint64_t key)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> m->shift);
}

static inline uint32_t
sl_cls_map_filter_bit(const struct sl_cls_map *m, uint64_t key)
{
	return (uint32_t)((key * 0xc2b2ae3d27d4eb4full) >> m->filter_shift);
}

/* False: key is not in the map. True: it may be. */
static inline bool
sl_cls_map_may_hold(const struct sl_cls_map *m, uint64_t key)
{
	uint32_t bit = sl_cls_map_filter_bit(m, key);

	return (m->filter[bit / 64] >> (bit % 64)) & 1;
}

/* Which of a bucket's slots hold key, a bit per slot. */
static inline uint32_t
sl_cls_bucket_hits(const struct sl_cls_bucket *bk, uint64_t key)
{
#ifdef RTE_ARCH_X86
	const __m128i *k = (const __m128i *)bk->key;
	__m128i kv = _mm_set1_epi64x((long long)key);
	__m128d h01 = _mm_castsi128_pd(_mm_cmpeq_epi64(_mm_load_si128(&k[0]), kv));
	__m128d h23 = _mm_castsi128_pd(_mm_cmpeq_epi64(_mm_load_si128(&k[1]), kv));

	return (uint32_t)(_mm_movemask_pd(h01) | _mm_movemask_pd(h23) << 2);
#else
	uint32_t hits = 0;

	for (uint32_t i = 0; i < SL_CLS_BUCKET_SLOTS; i++)
		hits |= (uint32_t)(bk->key[i] == key) << i;
	return hits;
#endif
}

/* The value of key, or SL_CLS_MAP_NONE. Whether the key is there is not
 * branched on (with many flows, the CPU would guess it wrong): only a
 * miss in a bucket that spilled, which is rare, takes the loop again. */
static inline uint32_t
sl_cls_map_find(const struct sl_cls_map *m, uint64_t key)
{
	uint32_t b = sl_cls_map_bucket(m, key);

	for (;;) {
		const struct sl_cls_bucket *bk = &m->buckets[b];
		uint32_t hits = sl_cls_bucket_hits(bk, key);
		uint32_t value = bk->value[__builtin_ctz(hits | 1u << (SL_CLS_BUCKET_SLOTS - 1))];

		if (likely(hits || !bk->spilled))
			return hits ? value : SL_CLS_MAP_NONE;
		b = (b + 1) & m->mask;
	}
}

#endif
