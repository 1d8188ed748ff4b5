/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The forwarding database: (network, MAC) → port, shared by all workers.
 *
 * An rte_hash in lock-free reader/writer mode: lookups take no lock. The
 * entry (port, flags, last-seen second) is packed into the hash's 64-bit data
 * word, so readers see a whole entry or the previous one. Writes (a new MAC,
 * a MAC move, or refreshing last-seen at most once a second per MAC) go
 * through rte_hash's writer path, which serialises writers; they happen per
 * learning event, not per packet. Deleted slots are reclaimed after an RCU
 * grace period of the workers' QSBR variable.
 */
#ifndef SL_FDB_H
#define SL_FDB_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_rcu_qsbr.h>

#include "sl_stats.h"

#define SL_FDB_DEFAULT_AGING_S 300
#define SL_FDB_DEFAULT_MAX_ENTRIES 65536

enum sl_fdb_flags {
	SL_FDB_STATIC = 1 << 0,	/* a VIF's own MAC: never aged, never moved */
};

struct sl_fdb_key {
	uint16_t network;
	struct rte_ether_addr mac;
} __rte_aligned(8);	/* hashed as one 8-byte word */

union sl_fdb_entry {
	uint64_t u64;		/* what is stored as the hash's data */
	struct {
		uint16_t port;
		uint8_t flags;
		uint8_t pad;
		uint32_t seen_s;	/* sl_clock_s() of the last refresh */
	};
};

struct sl_fdb_conf {
	uint32_t max_entries;
	uint32_t aging_s;
};

struct sl_fdb {
	struct rte_hash *hash;
	/* Bumped (release) after any change that can make an entry a reader
	 * holds wrong: a move, a delete, a flush, aging. Workers' caches of
	 * entries are valid while it stays the same. A new MAC does not bump
	 * it: caches hold only entries that exist. */
	uint32_t generation;
	uint32_t max_entries;
	uint32_t aging_s;	/* read by the control thread only */
	bool rcu;		/* deleted slots wait for an RCU grace period */
};

/* Constructors return NULL and set errno. qsv may be NULL (no workers, as
 * in unit tests): deleted slots are then freed at once. */
struct sl_fdb *sl_fdb_create(const char *name, const struct sl_fdb_conf *conf,
			     struct rte_rcu_qsbr *qsv);
void sl_fdb_free(struct sl_fdb *fdb);

static inline void
sl_fdb_key_set(struct sl_fdb_key *k, uint16_t network,
	       const struct rte_ether_addr *mac)
{
	k->network = network;
	rte_ether_addr_copy(mac, &k->mac);
}

/* Fast path: look up n (<= RTE_HASH_LOOKUP_BULK_MAX) keys at once. */
static inline uint64_t
sl_fdb_lookup_bulk(const struct sl_fdb *fdb, const struct sl_fdb_key *keys,
		   uint32_t n, union sl_fdb_entry *out)
{
	const void *kp[RTE_HASH_LOOKUP_BULK_MAX];
	void *data[RTE_HASH_LOOKUP_BULK_MAX];
	uint64_t hits = 0;

	for (uint32_t i = 0; i < n; i++)
		kp[i] = &keys[i];
	if (rte_hash_lookup_bulk_data(fdb->hash, kp, n, &hits, data) < 0)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		out[i].u64 = (uintptr_t)data[i];
	return hits;
}

static inline uint32_t
sl_fdb_generation(const struct sl_fdb *fdb)
{
	return __atomic_load_n(&fdb->generation, __ATOMIC_ACQUIRE);
}

/* Learn key on port, given what a lookup just returned (hit, cur).
 * Returns true when the FDB has key on port afterwards (false: the table
 * is full, or the MAC is a VIF's on another port). */
bool sl_fdb_learn(struct sl_fdb *fdb, const struct sl_fdb_key *key, bool hit,
		  union sl_fdb_entry cur, uint16_t port, uint32_t now_s,
		  struct sl_fdb_counters *c);

/* Control side. All return 0 or -errno. */
int sl_fdb_add_static(struct sl_fdb *fdb, uint16_t network,
		      const struct rte_ether_addr *mac, uint16_t port);
int sl_fdb_del(struct sl_fdb *fdb, uint16_t network,
	       const struct rte_ether_addr *mac);
int sl_fdb_lookup(const struct sl_fdb *fdb, uint16_t network,
		  const struct rte_ether_addr *mac, union sl_fdb_entry *out);
uint32_t sl_fdb_count(const struct sl_fdb *fdb);

/* Remove dynamic entries unseen for aging_s; returns how many. */
uint32_t sl_fdb_age(struct sl_fdb *fdb, uint32_t now_s);

#define SL_FDB_ANY 0xffff
/* Remove entries of a port and/or a network (SL_FDB_ANY for either);
 * with_static also removes static entries. Returns how many. */
uint32_t sl_fdb_flush(struct sl_fdb *fdb, uint16_t port, uint16_t network,
		      bool with_static);

typedef void (*sl_fdb_walk_cb)(const struct sl_fdb_key *key,
			       union sl_fdb_entry entry, void *arg);
void sl_fdb_walk(const struct sl_fdb *fdb, sl_fdb_walk_cb cb, void *arg);

#endif
