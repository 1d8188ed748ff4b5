/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A static search tree over a sorted run of 32-bit keys: 16 keys to a
 * node and a node to a cache line, numbered like a heap (node j's
 * children are 16 j + 1 ... 16 j + 16), the keys in the leaves and, in
 * an inner node, the first key under each child. Finding the last key
 * <= x reads one line per layer: two for up to 256 keys, three for
 * 4,096, where a binary search reads eight and twelve, and it does not
 * branch on the keys (a count of the node's keys below x picks the
 * child), so the CPU has nothing to guess wrong and can overlap several
 * searches.
 *
 * Keys are stored biased (x ^ 0x80000000) so that SSE's signed compare
 * orders them as unsigned; padding is INT32_MAX, which no searched key
 * reaches (UINT32_MAX is searched as UINT32_MAX - 1; the last key is its
 * floor either way).
 */
#ifndef SL_CLASSIFIER_TREE_H
#define SL_CLASSIFIER_TREE_H

#include <stdint.h>

#include <rte_common.h>
#ifdef RTE_ARCH_X86
#include <emmintrin.h>
#endif

#define SL_CLS_NODE_KEYS 16
#define SL_CLS_NODE_SHIFT 4

struct sl_cls_node {
	int32_t key[SL_CLS_NODE_KEYS];
} __rte_cache_aligned;

/* Where a run's tree is: its root node, its first leaf (relative to the
 * root), how many keys, how many layers. */
struct sl_cls_tree {
	uint32_t root, leaves, n, depth;
};

static inline int32_t
sl_cls_tree_bias(uint32_t x)
{
	return (int32_t)(x ^ 0x80000000u);
}

/* Keys under one node of layer `level` of a tree of `depth` layers. */
static inline uint64_t
sl_cls_tree_span(uint32_t depth, uint32_t level)
{
	return 1ull << (SL_CLS_NODE_SHIFT * (depth - level));
}

static inline uint32_t
sl_cls_tree_depth(uint32_t n)
{
	uint32_t depth = 1;

	while (sl_cls_tree_span(depth, 0) < n)
		depth++;
	return depth;
}

/* The first node of a layer: 0, 1, 17, 273, ... */
static inline uint32_t
sl_cls_tree_layer_first(uint32_t level)
{
	return (uint32_t)((sl_cls_tree_span(level, 0) - 1) / (SL_CLS_NODE_KEYS - 1));
}

/* Nodes a tree of n (>= 1) keys takes: its inner layers as if full (a
 * heap's numbering), then its leaves. */
uint32_t sl_cls_tree_nodes(uint32_t n);

/* Lay out the tree of t->n keys sorted[] (ascending, the first 0: every
 * address has a floor) at nodes[root...], sl_cls_tree_nodes(t->n) of them;
 * fills in the rest of *t. */
void sl_cls_tree_plant(struct sl_cls_node *nodes, uint32_t root,
		       struct sl_cls_tree *t, const uint32_t *sorted);

/* How many of a node's keys are below xb (biased; keys ascending). */
static inline uint32_t
sl_cls_node_count_below(const struct sl_cls_node *node, int32_t xb)
{
#ifdef RTE_ARCH_X86
	const __m128i *k = (const __m128i *)node->key;
	__m128i xv = _mm_set1_epi32(xb);
	__m128i lt01 = _mm_packs_epi32(_mm_cmpgt_epi32(xv, _mm_load_si128(&k[0])),
				       _mm_cmpgt_epi32(xv, _mm_load_si128(&k[1])));
	__m128i lt23 = _mm_packs_epi32(_mm_cmpgt_epi32(xv, _mm_load_si128(&k[2])),
				       _mm_cmpgt_epi32(xv, _mm_load_si128(&k[3])));

	return (uint32_t)__builtin_popcount(
		(uint32_t)_mm_movemask_epi8(_mm_packs_epi16(lt01, lt23)));
#else
	uint32_t count = 0;

	for (int i = 0; i < SL_CLS_NODE_KEYS; i++)
		count += node->key[i] < xb;
	return count;
#endif
}

/* The index of the last key <= x. The first key is 0 (sl_cls_tree_plant),
 * so there always is one, and every node on the way holds at least one
 * key <= x (its first is its parent's key that led to it): the count is
 * never 0, and the child is node * 16 + count, a step shorter on the
 * chain of dependent reads than handling a count of 0. */
static inline uint32_t
sl_cls_tree_floor(const struct sl_cls_node *nodes, const struct sl_cls_tree *t,
		  uint32_t x)
{
	const struct sl_cls_node *root = nodes + t->root;
	int32_t xb = sl_cls_tree_bias(RTE_MIN(x, UINT32_MAX - 1)) + 1;
	uint32_t node = 0;

	for (uint32_t level = 1; level < t->depth; level++)
		node = node * SL_CLS_NODE_KEYS +
		       sl_cls_node_count_below(&root[node], xb);
	return x == UINT32_MAX ? t->n - 1 :
	       (node - t->leaves) * SL_CLS_NODE_KEYS +
	       sl_cls_node_count_below(&root[node], xb) - 1;
}

#endif
