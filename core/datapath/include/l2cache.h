/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A worker's own small cache of FDB entries, in front of the shared
 * rte_hash: direct-mapped, one slot per (network, MAC), read and written by
 * its worker only. A slot is trusted while the FDB's generation is the one
 * it was filled in (moves, deletes, flushes and aging bump it), so a cached
 * port is never staler than a lookup made at the top of the burst.
 *
 * It saves the two hash lookups a frame costs (learning its source,
 * finding its destination) when the same MACs come again: a source is
 * learned once a second per worker, not once a frame. With more MACs than
 * slots it misses and the hash is asked, as without it: a miss costs a
 * CRC and a compare.
 */
#ifndef SL_L2CACHE_H
#define SL_L2CACHE_H

#include <stdint.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_hash_crc.h>

#define SL_L2_CACHE_SLOTS 4096	/* 96 KB: a worker's L2 cache holds it */

struct sl_l2_cache_slot {
	uint64_t key;		/* sl_l2_cache_key(); 0: empty */
	uint32_t generation;	/* the FDB's, when filled */
	uint16_t port;
	uint32_t learned_s;	/* when this worker last learned it (as source) */
};

struct sl_l2_cache {
	struct sl_l2_cache_slot slot[SL_L2_CACHE_SLOTS];
};

/* The top bit keeps a real key from ever being 0 (an empty slot). The
 * MAC is read as two loads: copying its 6 bytes into an 8-byte variable
 * makes the compiler store and reload it, a store-forwarding stall. */
static inline uint64_t
sl_l2_cache_key(uint16_t network, const struct rte_ether_addr *mac)
{
	uint32_t lo;
	uint16_t hi;

	memcpy(&lo, mac->addr_bytes, sizeof(lo));
	memcpy(&hi, mac->addr_bytes + sizeof(lo), sizeof(hi));
	return 1ull << 63 | (uint64_t)network << 48 | (uint64_t)hi << 32 | lo;
}

static inline struct sl_l2_cache_slot *
sl_l2_cache_slot(struct sl_l2_cache *c, uint64_t key)
{
	return &c->slot[rte_hash_crc_8byte(key, 0) & (SL_L2_CACHE_SLOTS - 1)];
}

#endif
