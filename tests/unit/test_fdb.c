/* SPDX-License-Identifier: BSD-3-Clause */
/* The FDB: learn, refresh, move, static entries, aging, the bound, flushes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "eal_fixture.h"
#include "fdb.h"

#define AGING 300

struct fixture {
	struct sl_fdb *fdb;
	struct sl_fdb_counters c;
};

static int
setup_sized(void **state, uint32_t max)
{
	static int n;
	static struct fixture fx;
	struct sl_fdb_conf conf = { .max_entries = max, .aging_s = AGING };
	char name[32];

	memset(&fx, 0, sizeof(fx));
	snprintf(name, sizeof(name), "fdb%d", n++);
	fx.fdb = sl_fdb_create(name, &conf, NULL);
	*state = &fx;
	return fx.fdb ? 0 : -1;
}

static int
setup(void **state)
{
	return setup_sized(state, 1024);
}

static int
setup_small(void **state)
{
	return setup_sized(state, 16);
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	sl_fdb_free(fx->fdb);
	return 0;
}

static struct rte_ether_addr
mac(uint32_t n)
{
	struct rte_ether_addr a = {
		{ 0x02, 0x00, (uint8_t)(n >> 24), (uint8_t)(n >> 16),
		  (uint8_t)(n >> 8), (uint8_t)n }
	};
	return a;
}

/* What the datapath does for one frame: look up the source, then learn. */
static void
see(struct fixture *fx, uint16_t net, uint32_t m, uint16_t port, uint32_t now)
{
	struct sl_fdb_key key;
	union sl_fdb_entry e;
	struct rte_ether_addr a = mac(m);
	uint64_t hit;

	sl_fdb_key_set(&key, net, &a);
	hit = sl_fdb_lookup_bulk(fx->fdb, &key, 1, &e);
	sl_fdb_learn(fx->fdb, &key, hit & 1, e, port, now, &fx->c);
}

static int
port_of(struct fixture *fx, uint16_t net, uint32_t m)
{
	struct rte_ether_addr a = mac(m);
	union sl_fdb_entry e;

	if (sl_fdb_lookup(fx->fdb, net, &a, &e) < 0)
		return -1;
	return e.port;
}

static void
test_learn_and_lookup(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(port_of(fx, 0, 1), -1);
	see(fx, 0, 1, 4, 1000);
	assert_int_equal(port_of(fx, 0, 1), 4);
	assert_int_equal(fx->c.learned, 1);
	assert_int_equal(sl_fdb_count(fx->fdb), 1);
	/* the same frame again learns nothing new */
	see(fx, 0, 1, 4, 1000);
	assert_int_equal(fx->c.learned, 1);
	assert_int_equal(sl_fdb_count(fx->fdb), 1);
}

static void
test_refresh_is_rate_limited(void **state)
{
	struct fixture *fx = *state;
	struct rte_ether_addr a = mac(7);
	union sl_fdb_entry e;

	see(fx, 0, 7, 1, 1000);
	see(fx, 0, 7, 1, 1000);	/* same second: no write */
	assert_int_equal(sl_fdb_lookup(fx->fdb, 0, &a, &e), 0);
	assert_int_equal(e.seen_s, 1000);
	see(fx, 0, 7, 1, 1005);
	assert_int_equal(sl_fdb_lookup(fx->fdb, 0, &a, &e), 0);
	assert_int_equal(e.seen_s, 1005);
}

static void
test_mac_move(void **state)
{
	struct fixture *fx = *state;

	see(fx, 0, 2, 1, 1000);
	see(fx, 0, 2, 3, 1000);
	assert_int_equal(port_of(fx, 0, 2), 3);
	assert_int_equal(fx->c.moved, 1);
	assert_int_equal(fx->c.learned, 1);
}

static void
test_networks_are_separate(void **state)
{
	struct fixture *fx = *state;

	see(fx, 0, 9, 1, 1000);
	see(fx, 1, 9, 2, 1000);
	assert_int_equal(port_of(fx, 0, 9), 1);
	assert_int_equal(port_of(fx, 1, 9), 2);
	assert_int_equal(fx->c.moved, 0);
	assert_int_equal(port_of(fx, 2, 9), -1);
}

static void
test_static_entry_never_moves(void **state)
{
	struct fixture *fx = *state;
	struct rte_ether_addr a = mac(5);

	assert_int_equal(sl_fdb_add_static(fx->fdb, 0, &a, 6), 0);
	see(fx, 0, 5, 2, 1000);
	assert_int_equal(port_of(fx, 0, 5), 6);
	assert_int_equal(fx->c.static_conflict, 1);
	assert_int_equal(fx->c.moved, 0);
}

static void
test_aging(void **state)
{
	struct fixture *fx = *state;
	struct rte_ether_addr s = mac(100);

	see(fx, 0, 1, 1, 1000);
	see(fx, 0, 2, 1, 1100);
	assert_int_equal(sl_fdb_add_static(fx->fdb, 0, &s, 9), 0);
	assert_int_equal(sl_fdb_age(fx->fdb, 1000 + AGING - 1), 0);
	assert_int_equal(sl_fdb_age(fx->fdb, 1000 + AGING), 1);
	assert_int_equal(port_of(fx, 0, 1), -1);
	assert_int_equal(port_of(fx, 0, 2), 1);
	/* a refresh keeps an entry alive */
	see(fx, 0, 2, 1, 1100 + AGING - 10);
	assert_int_equal(sl_fdb_age(fx->fdb, 1100 + AGING + 5), 0);
	assert_int_equal(sl_fdb_age(fx->fdb, 1100 + 2 * AGING), 1);
	/* static entries are never aged */
	assert_int_equal(port_of(fx, 0, 100), 9);
	assert_int_equal(sl_fdb_count(fx->fdb), 1);
}

static void
test_overflow_is_counted(void **state)
{
	struct fixture *fx = *state;

	for (uint32_t i = 0; i < 20; i++)
		see(fx, 0, 1000 + i, 1, 1000);
	assert_int_equal(fx->c.learned, 16);
	assert_int_equal(fx->c.full, 4);
	assert_int_equal(sl_fdb_count(fx->fdb), 16);
	/* known MACs still move and refresh when the table is full */
	see(fx, 0, 1000, 2, 1001);
	assert_int_equal(port_of(fx, 0, 1000), 2);
	/* aging makes room again */
	assert_int_equal(sl_fdb_age(fx->fdb, 1000 + AGING), 15);
	see(fx, 0, 5000, 1, 1000 + AGING);
	assert_int_equal(port_of(fx, 0, 5000), 1);
}

static void
test_flush(void **state)
{
	struct fixture *fx = *state;
	struct rte_ether_addr s = mac(50);

	see(fx, 0, 1, 1, 1000);
	see(fx, 0, 2, 2, 1000);
	see(fx, 1, 3, 2, 1000);
	assert_int_equal(sl_fdb_add_static(fx->fdb, 0, &s, 2), 0);
	/* by port, sparing static entries */
	assert_int_equal(sl_fdb_flush(fx->fdb, 2, SL_FDB_ANY, false), 2);
	assert_int_equal(port_of(fx, 0, 50), 2);
	assert_int_equal(port_of(fx, 0, 1), 1);
	/* by network, static included */
	assert_int_equal(sl_fdb_flush(fx->fdb, SL_FDB_ANY, 0, true), 2);
	assert_int_equal(sl_fdb_count(fx->fdb), 0);
}

static void
test_bulk_lookup_hit_mask(void **state)
{
	struct fixture *fx = *state;
	struct sl_fdb_key keys[4];
	union sl_fdb_entry e[4];
	uint64_t hits;

	see(fx, 0, 1, 10, 1000);
	see(fx, 0, 3, 30, 1000);
	for (uint32_t i = 0; i < 4; i++) {
		struct rte_ether_addr a = mac(i);

		sl_fdb_key_set(&keys[i], 0, &a);
	}
	hits = sl_fdb_lookup_bulk(fx->fdb, keys, 4, e);
	assert_int_equal(hits, (1u << 1) | (1u << 3));
	assert_int_equal(e[1].port, 10);
	assert_int_equal(e[3].port, 30);
}

/* Workers trust their cached entries while the generation holds: every
 * change that can make a cached entry wrong must bump it, and learning a
 * new MAC or refreshing one must not (or the caches would never hit). */
static void
test_generation(void **state)
{
	struct fixture *fx = *state;
	struct rte_ether_addr s = mac(60), a = mac(61);
	uint32_t g = sl_fdb_generation(fx->fdb);

	see(fx, 0, 61, 1, 1000);		/* new */
	see(fx, 0, 61, 1, 1003);		/* refresh */
	assert_int_equal(sl_fdb_generation(fx->fdb), g);
	see(fx, 0, 61, 2, 1003);		/* move */
	assert_int_equal(sl_fdb_generation(fx->fdb), ++g);
	assert_int_equal(sl_fdb_add_static(fx->fdb, 0, &s, 3), 0);
	assert_int_equal(sl_fdb_generation(fx->fdb), ++g);
	assert_int_equal(sl_fdb_del(fx->fdb, 0, &a), 0);
	assert_int_equal(sl_fdb_generation(fx->fdb), ++g);
	see(fx, 0, 62, 1, 1003);
	assert_int_equal(sl_fdb_age(fx->fdb, 1003 + AGING + 1), 1);
	assert_true(sl_fdb_generation(fx->fdb) != g);
	g = sl_fdb_generation(fx->fdb);
	assert_int_equal(sl_fdb_flush(fx->fdb, SL_FDB_ANY, 0, true), 1);
	assert_true(sl_fdb_generation(fx->fdb) != g);
}

static void
test_bad_configuration(void **state)
{
	struct sl_fdb_conf conf = { .max_entries = 0, .aging_s = 1 };

	(void)state;
	assert_null(sl_fdb_create("bad", &conf, NULL));
	conf.max_entries = 10;
	conf.aging_s = 0;
	assert_null(sl_fdb_create("bad2", &conf, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_learn_and_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refresh_is_rate_limited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mac_move, setup, teardown),
		cmocka_unit_test_setup_teardown(test_networks_are_separate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_static_entry_never_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow_is_counted, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_lookup_hit_mask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generation, setup, teardown),
		cmocka_unit_test(test_bad_configuration),
	};

	if (sl_test_eal_init("test-fdb") < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
