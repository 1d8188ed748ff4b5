/* SPDX-License-Identifier: BSD-3-Clause */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "fdb.h"
#include "sl_clock.h"

static_assert(sizeof(struct sl_fdb_key) == 8, "FDB key is one 8-byte word");
static_assert(sizeof(union sl_fdb_entry) == sizeof(void *),
	      "an FDB entry must fit the hash's data pointer");

/* Refreshing last-seen costs a hash write; once a second is plenty for
 * aging measured in minutes (docs/architecture.md). */
#define REFRESH_S 1

struct sl_fdb *
sl_fdb_create(const char *name, const struct sl_fdb_conf *conf,
	      struct rte_rcu_qsbr *qsv)
{
	struct rte_hash_parameters params = {
		.name = name,
		/* rte_hash keeps some slack; the bound is enforced in learn */
		.entries = RTE_MAX(conf->max_entries, 64u),
		.key_len = sizeof(struct sl_fdb_key),
		.hash_func = rte_hash_crc,
		.socket_id = (int)rte_socket_id(),
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF |
			      RTE_HASH_EXTRA_FLAGS_MULTI_WRITER_ADD |
			      RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	struct sl_fdb *fdb;

	if (conf->max_entries == 0 || conf->aging_s == 0) {
		errno = EINVAL;
		return NULL;
	}
	fdb = rte_zmalloc("sl_fdb", sizeof(*fdb), RTE_CACHE_LINE_SIZE);
	if (!fdb) {
		errno = ENOMEM;
		return NULL;
	}
	fdb->max_entries = conf->max_entries;
	fdb->aging_s = conf->aging_s;
	fdb->hash = rte_hash_create(&params);
	if (!fdb->hash) {
		errno = rte_errno ? rte_errno : ENOMEM;
		rte_free(fdb);
		return NULL;
	}
	if (qsv) {
		struct rte_hash_rcu_config rcu = {
			.v = qsv,
			.mode = RTE_HASH_QSBR_MODE_DQ,
		};
		if (rte_hash_rcu_qsbr_add(fdb->hash, &rcu) != 0) {
			errno = rte_errno;
			sl_fdb_free(fdb);
			return NULL;
		}
		fdb->rcu = true;
	}
	return fdb;
}

void
sl_fdb_free(struct sl_fdb *fdb)
{
	if (!fdb)
		return;
	rte_hash_free(fdb->hash);
	rte_free(fdb);
}

static int
store(struct sl_fdb *fdb, const struct sl_fdb_key *key, union sl_fdb_entry e)
{
	return rte_hash_add_key_data(fdb->hash, key, (void *)(uintptr_t)e.u64);
}

/* After the change: a reader that sees the new generation sees it. */
static void
changed(struct sl_fdb *fdb)
{
	__atomic_fetch_add(&fdb->generation, 1, __ATOMIC_RELEASE);
}

uint32_t
sl_fdb_count(const struct sl_fdb *fdb)
{
	int32_t n = rte_hash_count(fdb->hash);

	return n < 0 ? 0 : (uint32_t)n;
}

bool
sl_fdb_learn(struct sl_fdb *fdb, const struct sl_fdb_key *key, bool hit,
	     union sl_fdb_entry cur, uint16_t port, uint32_t now_s,
	     struct sl_fdb_counters *c)
{
	union sl_fdb_entry e = { .port = port, .seen_s = now_s };
	void *data;

	/* The bulk lookup ran before this burst learned anything: an earlier
	 * frame of the burst, or another worker, may have added the MAC since.
	 * Looking again on the (rare) miss keeps "learned" a count of entries. */
	if (unlikely(!hit) && rte_hash_lookup_data(fdb->hash, key, &data) >= 0) {
		hit = true;
		cur.u64 = (uintptr_t)data;
	}
	if (likely(hit)) {
		if (likely(cur.port == port)) {
			if (likely(now_s - cur.seen_s < REFRESH_S) ||
			    (cur.flags & SL_FDB_STATIC))
				return true;
		} else if (cur.flags & SL_FDB_STATIC) {
			/* A VIF's MAC seen elsewhere is a loop or a spoof;
			 * the VIF keeps it. */
			c->static_conflict++;
			return false;
		} else {
			c->moved++;
			store(fdb, key, e);
			changed(fdb);
			return true;
		}
		return store(fdb, key, e) == 0;
	}
	/* Checked before adding so the table never grows past its bound; two
	 * workers racing here may overshoot by one entry each. */
	if (sl_fdb_count(fdb) >= fdb->max_entries || store(fdb, key, e) < 0) {
		c->full++;
		return false;
	}
	c->learned++;
	return true;
}

int
sl_fdb_add_static(struct sl_fdb *fdb, uint16_t network,
		  const struct rte_ether_addr *mac, uint16_t port)
{
	union sl_fdb_entry e = {
		.port = port, .flags = SL_FDB_STATIC, .seen_s = sl_clock_s()
	};
	struct sl_fdb_key key;
	int rc;

	sl_fdb_key_set(&key, network, mac);
	rc = store(fdb, &key, e);
	changed(fdb);	/* it may replace a learned entry elsewhere */
	return rc;
}

/* In lock-free mode a deleted key's slot is not reused until it is freed:
 * by the hash's RCU defer queue once readers are past it, or here at once
 * when there are no concurrent readers. */
static int
delete_key(struct sl_fdb *fdb, const struct sl_fdb_key *key)
{
	int32_t pos = rte_hash_del_key(fdb->hash, key);

	if (pos < 0)
		return pos;
	changed(fdb);
	if (!fdb->rcu)
		rte_hash_free_key_with_position(fdb->hash, pos);
	return 0;
}

int
sl_fdb_del(struct sl_fdb *fdb, uint16_t network,
	   const struct rte_ether_addr *mac)
{
	struct sl_fdb_key key;

	sl_fdb_key_set(&key, network, mac);
	return delete_key(fdb, &key);
}

int
sl_fdb_lookup(const struct sl_fdb *fdb, uint16_t network,
	      const struct rte_ether_addr *mac, union sl_fdb_entry *out)
{
	struct sl_fdb_key key;
	void *data;
	int rc;

	sl_fdb_key_set(&key, network, mac);
	rc = rte_hash_lookup_data(fdb->hash, &key, &data);
	if (rc < 0)
		return rc;
	out->u64 = (uintptr_t)data;
	return 0;
}

void
sl_fdb_walk(const struct sl_fdb *fdb, sl_fdb_walk_cb cb, void *arg)
{
	const void *key;
	void *data;
	uint32_t next = 0;

	while (rte_hash_iterate(fdb->hash, &key, &data, &next) >= 0) {
		union sl_fdb_entry e = { .u64 = (uintptr_t)data };
		cb(key, e, arg);
	}
}

/* Collect the doomed keys first: deleting while iterating could make the
 * iterator skip or revisit entries. */
struct doomed {
	struct sl_fdb_key *keys;
	uint32_t n, cap;
	bool (*match)(const struct doomed *d, union sl_fdb_entry e,
		      const struct sl_fdb_key *k);
	uint32_t now_s, aging_s;
	uint16_t port, network;
	bool with_static;
};

static void
collect(const struct sl_fdb_key *key, union sl_fdb_entry e, void *arg)
{
	struct doomed *d = arg;

	if (!d->match(d, e, key))
		return;
	if (d->n == d->cap) {
		uint32_t cap = d->cap ? d->cap * 2 : 256;
		struct sl_fdb_key *keys = realloc(d->keys, cap * sizeof(*keys));

		if (!keys)
			return;	/* the rest is deleted on the next pass */
		d->keys = keys;
		d->cap = cap;
	}
	d->keys[d->n++] = *key;
}

static uint32_t
delete_collected(struct sl_fdb *fdb, struct doomed *d)
{
	uint32_t deleted = 0;

	sl_fdb_walk(fdb, collect, d);
	for (uint32_t i = 0; i < d->n; i++)
		if (delete_key(fdb, &d->keys[i]) == 0)
			deleted++;
	free(d->keys);
	return deleted;
}

static bool
is_stale(const struct doomed *d, union sl_fdb_entry e,
	 const struct sl_fdb_key *k)
{
	RTE_SET_USED(k);
	return !(e.flags & SL_FDB_STATIC) &&
	       (int32_t)(d->now_s - e.seen_s) >= (int32_t)d->aging_s;
}

uint32_t
sl_fdb_age(struct sl_fdb *fdb, uint32_t now_s)
{
	struct doomed d = {
		.match = is_stale, .now_s = now_s, .aging_s = fdb->aging_s,
	};

	return delete_collected(fdb, &d);
}

static bool
is_flushed(const struct doomed *d, union sl_fdb_entry e,
	   const struct sl_fdb_key *k)
{
	return (d->with_static || !(e.flags & SL_FDB_STATIC)) &&
	       (d->port == SL_FDB_ANY || e.port == d->port) &&
	       (d->network == SL_FDB_ANY || k->network == d->network);
}

uint32_t
sl_fdb_flush(struct sl_fdb *fdb, uint16_t port, uint16_t network,
	     bool with_static)
{
	struct doomed d = {
		.match = is_flushed, .port = port, .network = network,
		.with_static = with_static,
	};

	return delete_collected(fdb, &d);
}
