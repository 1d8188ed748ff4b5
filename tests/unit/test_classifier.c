/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The classifier against the obvious answer: every rule checked one by
 * one. Random rule sets of every shape (both sides, every class, ports,
 * network-wide and per-MAC, nested and overlapping prefixes of every
 * length) and random packets, many of them aimed at the rules' edges;
 * then the cases worth naming.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classifier.h"
#include "classifier_map.h"
#include "eal_fixture.h"

static uint64_t seed = 0x9e3779b97f4a7c15ull;

static uint64_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static const struct rte_ether_addr macs[4] = {
	{ { 2, 0, 0, 0, 0, 1 } }, { { 2, 0, 0, 0, 0, 2 } },
	{ { 2, 0, 0, 0, 0, 3 } }, { { 2, 0, 0, 0, 0, 4 } },
};

static bool
matches(const struct sl_cls_rule *r, const struct sl_cls_key *k)
{
	bool to = r->side == SL_CLS_TO;
	uint32_t addr = to ? k->dst : k->src;
	uint32_t mask = r->plen ? ~(uint32_t)0 << (32 - r->plen) : 0;

	if (r->network != k->network || k->proto >= SL_CLS_PROTOS)
		return false;
	if (r->has_mac && !rte_is_same_ether_addr(&r->mac, to ? &k->src_mac : &k->dst_mac))
		return false;
	if (r->proto == SL_CLS_IP ? k->proto == SL_CLS_ARP : r->proto != k->proto)
		return false;
	if (r->port >= 0 && r->port != (to ? k->dport : k->sport))
		return false;
	return (addr & mask) == (r->addr & mask);
}

static uint32_t
brute(const struct sl_cls_rule *rules, uint32_t n, const struct sl_cls_key *k)
{
	uint32_t best = SL_CLS_NONE;

	for (uint32_t i = 0; i < n; i++)
		if (matches(&rules[i], k) && rules[i].rank < best)
			best = rules[i].rank;
	return best;
}

/* The classifier's answer for one key. */
static uint32_t
lookup_one(const struct sl_classifier *c, const struct sl_cls_key *k)
{
	uint32_t rank;

	sl_cls_lookup_burst(c, k, &rank, 1);
	return rank;
}

/* Addresses from a few /8s so prefixes nest and overlap a lot. */
static uint32_t
addr(void)
{
	return (uint32_t)(10 + rnd() % 3) << 24 | (uint32_t)(rnd() % 4) << 16 |
	       (uint32_t)(rnd() & 0xffff);
}

static void
random_rules(struct sl_cls_rule *r, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint8_t proto = (uint8_t)(rnd() % SL_CLS_PROTOS);

		r[i] = (struct sl_cls_rule){
			.rank = i, .network = (uint16_t)(rnd() % 3),
			.has_mac = rnd() % 3 == 0, .mac = macs[rnd() % 4],
			.side = (uint8_t)(rnd() % 2), .proto = proto, .port = -1,
			.addr = addr(), .plen = (uint8_t)(rnd() % 33),
		};
		if ((proto == SL_CLS_TCP || proto == SL_CLS_UDP ||
		     proto == SL_CLS_ICMP) && rnd() % 2)
			r[i].port = (int32_t)(rnd() % 4);
	}
	/* ranks in a random order, so rank and position disagree */
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = (uint32_t)(rnd() % i), t = r[i - 1].rank;

		r[i - 1].rank = r[j].rank;
		r[j].rank = t;
	}
}

static void
random_key(struct sl_cls_key *k, const struct sl_cls_rule *rules, uint32_t n)
{
	*k = (struct sl_cls_key){
		.network = (uint16_t)(rnd() % 4), .proto = (uint8_t)(rnd() % (SL_CLS_PROTOS + 1)),
		.src_mac = macs[rnd() % 4], .dst_mac = macs[rnd() % 4],
		.src = addr(), .dst = addr(),
		.sport = (uint16_t)(rnd() % 5), .dport = (uint16_t)(rnd() % 5),
	};
	/* at a rule's first or last address, or just outside it */
	if (n && rnd() % 2) {
		const struct sl_cls_rule *r = &rules[rnd() % n];
		uint32_t mask = r->plen ? ~(uint32_t)0 << (32 - r->plen) : 0;
		uint32_t edge[4] = { r->addr & mask, (r->addr & mask) | ~mask,
				     (r->addr & mask) - 1, ((r->addr & mask) | ~mask) + 1 };
		uint32_t a = edge[rnd() % 4];

		k->network = r->network;
		if (r->side == SL_CLS_TO)
			k->dst = a;
		else
			k->src = a;
	}
}

static void
differential(void **state)
{
	enum { RUNS = 60, KEYS = 3000 };

	(void)state;
	for (int run = 0; run < RUNS; run++) {
		uint32_t n = (uint32_t)(rnd() % 300);
		struct sl_cls_rule *rules = calloc(n + 1, sizeof(*rules));
		struct sl_classifier *c;

		random_rules(rules, n);
		c = sl_cls_build(rules, n);
		assert_non_null(c);
		for (int i = 0; i < KEYS; i++) {
			struct sl_cls_key k;
			uint32_t got;

			random_key(&k, rules, n);
			got = lookup_one(c, &k);
			if (got != brute(rules, n, &k))
				fail_msg("run %d: %u rules, key %d: got %u, want %u", run,
					 n, i, got, brute(rules, n, &k));
		}
		sl_cls_free(c);
		free(rules);
	}
}

static struct sl_cls_rule
rule(uint32_t rank, uint8_t side, uint8_t proto, int32_t port, uint32_t a, uint8_t plen)
{
	return (struct sl_cls_rule){ .rank = rank, .side = side, .proto = proto,
				     .port = port, .addr = a, .plen = plen };
}

static uint32_t
one(const struct sl_classifier *c, uint8_t proto, uint32_t src, uint32_t dst,
    uint16_t sport, uint16_t dport)
{
	struct sl_cls_key k = { .proto = proto, .src = src, .dst = dst,
				.sport = sport, .dport = dport };
	uint32_t r;

	sl_cls_lookup_burst(c, &k, &r, 1);
	return r;
}

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static void
named_cases(void **state)
{
	struct sl_cls_rule rules[] = {
		/* ssh to 192.168.1.0/24 denied (rank 0 wins over the rest) */
		rule(0, SL_CLS_TO, SL_CLS_TCP, 22, IP4(192, 168, 1, 0), 24),
		/* anything to 192.168.0.0/16 */
		rule(2, SL_CLS_TO, SL_CLS_IP, -1, IP4(192, 168, 0, 0), 16),
		/* a host inside it, worse ranked than the /16 */
		rule(3, SL_CLS_TO, SL_CLS_IP, -1, IP4(192, 168, 1, 7), 32),
		/* ICMP from anywhere, by type (FROM: the port is the type) */
		rule(1, SL_CLS_FROM, SL_CLS_ICMP, 8, 0, 0),
		/* ARP to 10.0.0.0/8 */
		rule(4, SL_CLS_TO, SL_CLS_ARP, -1, IP4(10, 0, 0, 0), 8),
		/* the whole address space, any IPv4 */
		rule(5, SL_CLS_FROM, SL_CLS_IP, -1, 0, 0),
	};
	struct sl_classifier *c = sl_cls_build(rules, RTE_DIM(rules));
	struct sl_cls_info info;

	(void)state;
	assert_non_null(c);
	assert_true(sl_cls_network_has_rules(c, 0));
	assert_false(sl_cls_network_has_rules(c, 1));
	assert_int_equal(one(c, SL_CLS_TCP, 1, IP4(192, 168, 1, 9), 999, 22), 0);
	assert_int_equal(one(c, SL_CLS_TCP, 1, IP4(192, 168, 1, 9), 999, 23), 2);
	assert_int_equal(one(c, SL_CLS_UDP, 1, IP4(192, 168, 1, 7), 999, 22), 2);
	assert_int_equal(one(c, SL_CLS_ICMP, 1, 2, 8, 0), 1);
	assert_int_equal(one(c, SL_CLS_ICMP, 1, 2, 0, 8), 5);
	assert_int_equal(one(c, SL_CLS_ARP, 1, IP4(10, 9, 9, 9), 0, 0), 4);
	assert_int_equal(one(c, SL_CLS_ARP, 1, IP4(11, 0, 0, 0), 0, 0), SL_CLS_NONE);
	assert_int_equal(one(c, SL_CLS_PROTOS, 1, IP4(10, 9, 9, 9), 0, 0), SL_CLS_NONE);
	/* the first and the last address of the space */
	assert_int_equal(one(c, SL_CLS_UDP, 0, 0, 0, 0), 5);
	assert_int_equal(one(c, SL_CLS_UDP, UINT32_MAX, UINT32_MAX, 0, 0), 5);
	sl_cls_info(c, &info);
	assert_int_equal(info.rules, RTE_DIM(rules));
	sl_cls_free(c);
}

static void
empty_and_bad(void **state)
{
	struct sl_classifier *c = sl_cls_build(NULL, 0);
	struct sl_cls_rule bad = rule(0, SL_CLS_TO, SL_CLS_IP, 80, 0, 0);

	(void)state;
	assert_non_null(c);
	assert_int_equal(one(c, SL_CLS_TCP, 1, 2, 3, 4), SL_CLS_NONE);
	sl_cls_free(c);
	/* a port needs TCP, UDP or ICMP; a prefix at most 32 bits */
	assert_null(sl_cls_build(&bad, 1));
	bad = rule(0, SL_CLS_TO, SL_CLS_TCP, 80, 0, 33);
	assert_null(sl_cls_build(&bad, 1));
}

static void
ten_thousand_rules(void **state)
{
	enum { N = 10000 };
	struct sl_cls_rule *rules = calloc(N, sizeof(*rules));
	struct sl_classifier *c;

	(void)state;
	random_rules(rules, N);
	c = sl_cls_build(rules, N);
	assert_non_null(c);
	for (int i = 0; i < 20000; i++) {
		struct sl_cls_key k;

		random_key(&k, rules, N);
		assert_int_equal(lookup_one(c, &k), brute(rules, N, &k));
	}
	sl_cls_free(c);
	free(rules);
}

/* Tables whose interval counts straddle the search trees' layer sizes
 * (16 keys a node: 1, 2, 3 and 4 layers), the highest address a rule's
 * own, every interval's edges looked up. */
static void
tree_sizes(void **state)
{
	static const uint32_t sizes[] = { 1, 7, 8, 9, 127, 128, 129, 2047, 2048, 2049 };

	(void)state;
	for (size_t s = 0; s < RTE_DIM(sizes); s++) {
		uint32_t n = sizes[s] + 1;
		struct sl_cls_rule *rules = calloc(n, sizeof(*rules));
		struct sl_classifier *c;

		/* n - 1 disjoint /32s, two intervals each, and the top address */
		for (uint32_t i = 0; i + 1 < n; i++)
			rules[i] = rule(i, SL_CLS_TO, SL_CLS_IP, -1, IP4(10, 0, 0, 0) + 2 * i, 32);
		rules[n - 1] = rule(n - 1, SL_CLS_TO, SL_CLS_UDP, -1, UINT32_MAX, 32);
		c = sl_cls_build(rules, n);
		assert_non_null(c);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t a = rules[i].addr;
			uint32_t probe[3] = { a - 1, a, a == UINT32_MAX ? 0 : a + 1 };

			for (int p = 0; p < 3; p++) {
				struct sl_cls_key k = { .proto = SL_CLS_UDP, .dst = probe[p] };
				uint32_t got = lookup_one(c, &k);

				if (got != brute(rules, n, &k))
					fail_msg("%u rules, address %08x: got %u, want %u", n,
						 probe[p], got, brute(rules, n, &k));
			}
		}
		sl_cls_free(c);
		free(rules);
	}
}

/* Bursts of every length up to three of the lookup's passes (64 keys
 * each) answer as one packet at a time does. */
static void
bursts(void **state)
{
	enum { N = 500, KEYS = 3 * 64 + 1 };
	struct sl_cls_rule *rules = calloc(N, sizeof(*rules));
	struct sl_cls_key keys[KEYS];
	uint32_t ranks[KEYS];
	struct sl_classifier *c;

	(void)state;
	random_rules(rules, N);
	c = sl_cls_build(rules, N);
	assert_non_null(c);
	for (uint16_t len = 1; len <= KEYS; len++) {
		for (uint16_t i = 0; i < len; i++)
			random_key(&keys[i], rules, N);
		sl_cls_lookup_burst(c, keys, ranks, len);
		for (uint16_t i = 0; i < len; i++)
			assert_int_equal(ranks[i], brute(rules, N, &keys[i]));
	}
	sl_cls_free(c);
	free(rules);
}

/* Many MAC scopes, many port tables: the hash maps. */
static void
many_scopes(void **state)
{
	enum { N = 6000 };
	struct sl_cls_rule *rules = calloc(N, sizeof(*rules));
	struct sl_classifier *c;

	(void)state;
	for (uint32_t i = 0; i < N; i++) {
		struct rte_ether_addr mac = { { 2, 0, 0, (uint8_t)(i >> 16),
						(uint8_t)(i >> 8), (uint8_t)i } };

		rules[i] = rule(i, (uint8_t)(i % 2), SL_CLS_TCP, (int32_t)(i % 700),
				IP4(10, 0, 0, 0), 8);
		rules[i].network = (uint16_t)(i % 5);
		rules[i].has_mac = i % 3 != 0;
		rules[i].mac = mac;
	}
	c = sl_cls_build(rules, N);
	assert_non_null(c);
	for (uint32_t i = 0; i < 3 * N; i++) {
		const struct sl_cls_rule *r = &rules[i % N];
		struct sl_cls_key k = {
			.network = r->network, .proto = SL_CLS_TCP,
			.src_mac = r->mac, .dst_mac = rules[(i * 7) % N].mac,
			.src = IP4(10, 1, 2, 3), .dst = i < N ? IP4(10, 3, 2, 1) : IP4(11, 0, 0, 0),
			.sport = (uint16_t)(i % 701), .dport = (uint16_t)(i % 700),
		};

		assert_int_equal(lookup_one(c, &k), brute(rules, N, &k));
	}
	sl_cls_free(c);
	free(rules);
}

/* A bucket that overflows sends keys on to the next ones; all are found,
 * and so is the absence of others that hash there. */
static void
map_spills(void **state)
{
	enum { SAME = 11, MORE = 300 };
	uint64_t keys[SAME + MORE], absent[4];
	uint32_t values[SAME + MORE], n = 0, nabsent = 0;
	struct sl_cls_map m = { .mask = 511, .shift = 64 - 9 };
	uint64_t bytes = 0;

	(void)state;
	/* keys that hash to bucket 5 of a 512-bucket map, found by trying */
	for (uint64_t k = 1; n < SAME || nabsent < RTE_DIM(absent); k++) {
		if (sl_cls_map_bucket(&m, k) != 5)
			continue;
		if (n < SAME) {
			values[n] = (uint32_t)k;
			keys[n++] = k;
		} else {
			absent[nabsent++] = k;
		}
	}
	for (uint32_t i = 0; i < MORE; i++) {
		keys[n] = 1ull << 62 | i;
		values[n++] = i;
	}
	assert_int_equal(sl_cls_map_build(&m, keys, values, n, &bytes), 0);
	assert_int_equal(m.mask, 511);	/* as many buckets as keys: 311 -> 512 */
	assert_true(m.buckets[5].spilled && m.buckets[6].spilled);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(sl_cls_map_find(&m, keys[i]), values[i]);
	for (uint32_t i = 0; i < nabsent; i++)
		assert_int_equal(sl_cls_map_find(&m, absent[i]), SL_CLS_MAP_NONE);
	assert_int_equal(sl_cls_map_find(&m, 1ull << 62 | MORE), SL_CLS_MAP_NONE);
	assert_true(bytes > 0);
	sl_cls_map_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(named_cases),
		cmocka_unit_test(empty_and_bad),
		cmocka_unit_test(differential),
		cmocka_unit_test(ten_thousand_rules),
		cmocka_unit_test(tree_sizes),
		cmocka_unit_test(bursts),
		cmocka_unit_test(many_scopes),
		cmocka_unit_test(map_spills),
	};

	if (sl_test_eal_init("classifier") < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
