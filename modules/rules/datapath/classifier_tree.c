/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_debug.h>

#include "classifier_tree.h"

uint32_t
sl_cls_tree_nodes(uint32_t n)
{
	return sl_cls_tree_layer_first(sl_cls_tree_depth(n) - 1) +
	       (n + SL_CLS_NODE_KEYS - 1) / SL_CLS_NODE_KEYS;
}

/* In layer L, key k of node i is the first key under its k-th child:
 * sorted[(16 i + k) * 16^(depth - L - 1)]; past the end, padding. */
void
sl_cls_tree_plant(struct sl_cls_node *nodes, uint32_t root,
		  struct sl_cls_tree *t, const uint32_t *sorted)
{
	struct sl_cls_node *tree = nodes + root;

	RTE_ASSERT(t->n >= 1 && sorted[0] == 0);
	t->root = root;
	t->depth = sl_cls_tree_depth(t->n);
	t->leaves = sl_cls_tree_layer_first(t->depth - 1);
	for (uint32_t level = 0; level < t->depth; level++) {
		uint32_t first = sl_cls_tree_layer_first(level);
		uint32_t count = level + 1 < t->depth ?
			first * (SL_CLS_NODE_KEYS - 1) + 1 :	/* 16^level */
			(t->n + SL_CLS_NODE_KEYS - 1) / SL_CLS_NODE_KEYS;
		uint64_t span = sl_cls_tree_span(t->depth, level + 1);

		for (uint32_t i = 0; i < count; i++)
			for (uint32_t k = 0; k < SL_CLS_NODE_KEYS; k++) {
				uint64_t at = ((uint64_t)i * SL_CLS_NODE_KEYS + k) * span;

				tree[first + i].key[k] = at < t->n ?
					sl_cls_tree_bias(sorted[at]) : INT32_MAX;
			}
	}
}
