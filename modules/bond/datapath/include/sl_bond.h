/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the control plane uses of the bond datapath: the duplicate-discard
 * tables of broadcast bonds, made and freed by the control thread and named
 * in the snapshot, and the hash that picks a guest's member in balance-slb
 * (the control plane shows and rebalances the same buckets).
 */
#ifndef SL_BOND_H
#define SL_BOND_H

#include <stdint.h>

#include <rte_ether.h>

struct sl_dedup;

/* slots: a power of two. Returns NULL and sets errno. */
struct sl_dedup *sl_dedup_create(uint32_t slots, uint32_t window_ms);
void sl_dedup_free(struct sl_dedup *d);

/* The balance-slb bucket of a source MAC. */
uint8_t sl_bond_bucket(const struct rte_ether_addr *src);

#endif
