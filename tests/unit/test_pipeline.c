/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The burst path in one process, on DPDK ring ports: each port's rx ring is
 * fed by the test and its tx ring read back. Covers ingress, learning,
 * flooding with copies, hairpin, isolation, snapshot swaps and that every
 * packet buffer comes back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rte_ethdev.h>
#include <rte_eth_ring.h>
#include <rte_ring.h>

#include "eal_fixture.h"
#include "parse.h"
#include "sl_flows.h"
#include "sl_pipeline.h"
#include "sl_tunnel.h"

#define NB_PORTS 4

static struct rte_ring *rx_ring[NB_PORTS], *tx_ring[NB_PORTS];
static uint16_t port_id[NB_PORTS];
static struct sl_dp *dp;

static const struct rte_ether_addr MAC_A = { { 2, 0, 0, 0, 0, 0xa } };
static const struct rte_ether_addr MAC_B = { { 2, 0, 0, 0, 0, 0xb } };
static const struct rte_ether_addr MAC_C = { { 2, 0, 0, 0, 0, 0xc } };
static const struct rte_ether_addr BCAST = { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };

static int
make_ports(void)
{
	struct rte_eth_conf conf = { 0 };

	for (int i = 0; i < NB_PORTS; i++) {
		char name[32];
		int pid;

		snprintf(name, sizeof(name), "rx%d", i);
		rx_ring[i] = rte_ring_create(name, 256, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "tx%d", i);
		tx_ring[i] = rte_ring_create(name, 256, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "net_ring_t%d", i);
		pid = rte_eth_from_rings(name, &rx_ring[i], 1, &tx_ring[i], 1, 0);
		if (pid < 0 || pid >= SL_MAX_PORTS)
			return -1;
		port_id[i] = (uint16_t)pid;
		if (rte_eth_dev_configure(port_id[i], 1, 1, &conf) < 0 ||
		    rte_eth_rx_queue_setup(port_id[i], 0, 256, 0, NULL,
					   sl_test_pool()) < 0 ||
		    rte_eth_tx_queue_setup(port_id[i], 0, 256, 0, NULL) < 0 ||
		    rte_eth_dev_start(port_id[i]) < 0)
			return -1;
	}
	return 0;
}

/* network_of: which network each test port is in (-1: none); mtu: the
 * L3 bytes each port takes (NULL: 1500 for all) */
static void
publish_mtu(const int *network_of, const uint16_t *mtu)
{
	struct sl_snapshot *s = sl_snapshot_alloc(2, 1), *old;

	assert_non_null(s);
	for (int i = 0; i < NB_PORTS; i++) {
		if (network_of[i] < 0)
			continue;
		s->ports[port_id[i]].nb_txq = 1;
		assert_int_equal(sl_snapshot_join(s, port_id[i], (uint16_t)network_of[i],
						  SL_TAG_UNTAGGED,
						  mtu ? mtu[i] : 1500), 0);
		s->workers[0].rxq[s->workers[0].nb_rxq++] =
			(struct sl_dp_rxq){ port_id[i], 0 };
	}
	old = sl_dp_publish(dp, s);
	sl_snapshot_free(old);
}

static void
publish(const int *network_of)
{
	publish_mtu(network_of, NULL);
}

static int
setup(void **state)
{
	struct sl_fdb_conf fc = { .max_entries = 1024, .aging_s = 300 };
	static const int nets[NB_PORTS] = { 0, 0, 0, 1 };

	(void)state;
	dp = sl_dp_create(1, sl_test_pool(), &fc);
	if (!dp)
		return -1;
	dp->workers[0].now_s = 1000;
	publish(nets);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sl_dp_free(dp);
	dp = NULL;
	return 0;
}

struct frame_spec {
	const struct rte_ether_addr *src, *dst;
	uint8_t tag;
};

static struct rte_mbuf *
frame_sized(const struct frame_spec *f, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(sl_test_pool());
	struct rte_ether_hdr *eth;

	assert_non_null(m);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, len);
	assert_non_null(eth);
	memset(eth, 0, len);
	eth->src_addr = *f->src;
	eth->dst_addr = *f->dst;
	eth->ether_type = RTE_BE16(0x88b5);	/* local experimental */
	((uint8_t *)eth)[20] = f->tag;
	return m;
}

static struct rte_mbuf *
frame(const struct frame_spec *f)
{
	return frame_sized(f, 60);
}

/* Feed n frames to port in as one burst (of the lengths in len, NULL:
 * 60 bytes each), run what the worker loop runs for it. */
static void
inject_burst_sized(int in, const struct frame_spec *f, const uint16_t *len,
		   uint16_t n)
{
	struct rte_mbuf *pkts[SL_BURST];

	for (uint16_t i = 0; i < n; i++)
		assert_int_equal(rte_ring_enqueue(rx_ring[in],
						  frame_sized(&f[i], len ? len[i] : 60)),
				 0);
	assert_int_equal(sl_port_rx_burst(port_id[in], 0, pkts, SL_BURST), n);
	sl_pipeline_burst(&dp->workers[0], sl_dp_snapshot(dp), port_id[in], pkts, n);
	sl_tx_flush(&dp->workers[0], sl_dp_snapshot(dp));
}

static void
inject_burst(int in, const struct frame_spec *f, uint16_t n)
{
	inject_burst_sized(in, f, NULL, n);
}

static void
inject(int in, const struct rte_ether_addr *src,
       const struct rte_ether_addr *dst, uint8_t tag)
{
	const struct frame_spec f = { src, dst, tag };

	inject_burst(in, &f, 1);
}

/* How many frames with tag came out of port out; frees them. */
static int
drain(int out, uint8_t tag)
{
	struct rte_mbuf *m;
	int n = 0;

	while (rte_ring_dequeue(tx_ring[out], (void **)&m) == 0) {
		if (rte_pktmbuf_mtod(m, uint8_t *)[20] == tag)
			n++;
		rte_pktmbuf_free(m);
	}
	return n;
}

static void
expect(uint8_t tag, int p0, int p1, int p2, int p3)
{
	assert_int_equal(drain(0, tag), p0);
	assert_int_equal(drain(1, tag), p1);
	assert_int_equal(drain(2, tag), p2);
	assert_int_equal(drain(3, tag), p3);
}

static void
test_flood_learn_forward(void **state)
{
	unsigned int avail = rte_mempool_avail_count(sl_test_pool());

	(void)state;
	inject(0, &MAC_A, &MAC_B, 1);	/* unknown: flood in network 0 */
	expect(1, 0, 1, 1, 0);
	inject(1, &MAC_B, &MAC_A, 2);	/* A learned on port 0 */
	expect(2, 1, 0, 0, 0);
	inject(2, &MAC_C, &BCAST, 3);	/* broadcast, not back to 2 */
	expect(3, 1, 1, 0, 0);
	inject(0, &MAC_A, &MAC_C, 4);	/* C learned on 2 */
	expect(4, 0, 0, 1, 0);
	/* every copy made for the floods is back in the pool */
	assert_int_equal(rte_mempool_avail_count(sl_test_pool()), avail);
	assert_int_equal(dp->workers[0].stats.fdb.learned, 3);
	assert_int_equal(dp->workers[0].stats.port[port_id[0]].tx_packets, 2);
	assert_int_equal(dp->workers[0].stats.port[port_id[2]].rx_packets, 1);
}

/* The worker's cache of FDB entries never outlives a move or a flush. */
static void
test_cached_entries_follow_the_fdb(void **state)
{
	(void)state;
	inject(0, &MAC_A, &BCAST, 1);
	expect(1, 0, 1, 1, 0);
	inject(1, &MAC_B, &MAC_A, 2);	/* A on 0: looked up, cached */
	expect(2, 1, 0, 0, 0);
	inject(1, &MAC_B, &MAC_A, 3);	/* from the cache */
	expect(3, 1, 0, 0, 0);
	inject(2, &MAC_A, &BCAST, 4);	/* A moves to 2 */
	expect(4, 1, 1, 0, 0);
	inject(1, &MAC_B, &MAC_A, 5);
	expect(5, 0, 0, 1, 0);
	assert_int_equal(sl_fdb_flush(dp->fdb, port_id[2], SL_FDB_ANY, false), 1);
	inject(1, &MAC_B, &MAC_A, 6);	/* unknown again: flooded */
	expect(6, 1, 0, 1, 0);
	assert_int_equal(dp->workers[0].stats.fdb.moved, 1);
}

static void
test_hairpin_dropped(void **state)
{
	(void)state;
	inject(0, &MAC_A, &BCAST, 1);
	expect(1, 0, 1, 1, 0);
	inject(0, &MAC_B, &MAC_A, 2);	/* A is behind port 0 itself */
	expect(2, 0, 0, 0, 0);
	assert_int_equal(dp->workers[0].stats.drops[SL_DROP_HAIRPIN], 1);
	assert_int_equal(dp->workers[0].stats.port[port_id[0]].rx_dropped, 1);
}

static void
test_isolation_and_empty_flood(void **state)
{
	(void)state;
	inject(3, &MAC_A, &BCAST, 1);	/* network 1 has no other port */
	expect(1, 0, 0, 0, 0);
	assert_int_equal(dp->workers[0].stats.drops[SL_DROP_FLOOD_EMPTY], 1);
	/* A learned in network 1 only: network 0 still floods to A */
	inject(1, &MAC_B, &MAC_A, 2);
	expect(2, 1, 0, 1, 0);
}

static void
test_snapshot_swap(void **state)
{
	static const int moved[NB_PORTS] = { 0, 0, 1, 1 };
	static const int unplugged[NB_PORTS] = { 0, 0, -1, 1 };

	(void)state;
	inject(2, &MAC_C, &BCAST, 1);	/* C learned on port 2, network 0 */
	expect(1, 1, 1, 0, 0);
	publish(moved);
	/* port 2 is in network 1 now: the stale entry must not leak there */
	inject(0, &MAC_A, &MAC_C, 2);
	expect(2, 0, 1, 0, 0);
	inject(3, &MAC_B, &BCAST, 3);
	expect(3, 0, 0, 1, 0);
	publish(unplugged);
	inject(2, &MAC_C, &BCAST, 4);
	expect(4, 0, 0, 0, 0);
	assert_int_equal(dp->workers[0].stats.drops[SL_DROP_PORT_NO_NETWORK], 1);
}

static void
test_malformed_never_reaches_a_port(void **state)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(sl_test_pool());
	struct rte_mbuf *pkts[SL_BURST];

	(void)state;
	memset(rte_pktmbuf_append(m, 12), 0xab, 12);
	rte_ring_enqueue(rx_ring[0], m);
	assert_int_equal(sl_port_rx_burst(port_id[0], 0, pkts, SL_BURST), 1);
	sl_pipeline_burst(&dp->workers[0], sl_dp_snapshot(dp), port_id[0], pkts, 1);
	sl_tx_flush(&dp->workers[0], sl_dp_snapshot(dp));
	expect(0xab, 0, 0, 0, 0);
	assert_int_equal(dp->workers[0].stats.drops[SL_DROP_ETH_TRUNCATED], 1);
}

/* A frame the control thread queued for a port, or a network, that is not
 * in the snapshot any more is counted, not sent and not lost. */
static void
test_stale_inject_counted(void **state)
{
	unsigned int avail = rte_mempool_avail_count(sl_test_pool());
	const struct sl_snapshot *s = sl_dp_snapshot(dp);
	struct rte_mbuf *m[3];

	(void)state;
	for (int i = 0; i < 3; i++) {
		m[i] = rte_pktmbuf_alloc(sl_test_pool());
		assert_non_null(m[i]);
		memset(rte_pktmbuf_append(m[i], 60), 0, 60);
	}
	/* port 3 is live (in network 1) but not in network 0; port
	 * SL_MAX_PORTS - 1 has no queue */
	assert_int_equal(sl_dp_inject(dp, m[0], port_id[3]), 0);
	assert_int_equal(sl_dp_inject_network(dp, m[1], port_id[3], 0), 0);
	assert_int_equal(sl_dp_inject(dp, m[2], SL_MAX_PORTS - 1), 0);
	assert_int_equal(sl_tx_drain_inject(&dp->workers[0], s), 3);
	sl_tx_flush(&dp->workers[0], s);
	assert_int_equal(dp->workers[0].stats.drops[SL_DROP_INJECT_STALE], 2);
	assert_int_equal(rte_ring_count(tx_ring[3]), 1);
	drain(3, 0);
	assert_int_equal(rte_mempool_avail_count(sl_test_pool()), avail);
}

/* A burst holds runs of one sender or one destination, and the L2 stage
 * answers a run's later frames as it answered the first: each frame must
 * still go where its own addresses say, and each sender be learned. */
static void
test_runs_in_a_burst(void **state)
{
	const struct frame_spec burst[] = {
		{ &MAC_A, &MAC_B, 2 }, { &MAC_A, &MAC_B, 2 },
		{ &MAC_C, &MAC_B, 2 }, { &MAC_C, &MAC_B, 2 },
		{ &MAC_A, &BCAST, 2 }, { &MAC_A, &MAC_B, 2 },
		{ &MAC_C, &MAC_A, 2 },	/* A behind port 0 as of this burst */
	};

	(void)state;
	inject(1, &MAC_B, &BCAST, 1);
	expect(1, 1, 0, 1, 0);
	inject_burst(0, burst, RTE_DIM(burst));
	expect(2, 0, 6, 1, 0);	/* 5 to B, the broadcast to both */
	assert_int_equal(dp->workers[0].stats.drops[SL_DROP_HAIRPIN], 1);
	inject(1, &MAC_B, &MAC_A, 5);
	expect(5, 1, 0, 0, 0);
	inject(1, &MAC_B, &MAC_C, 6);
	expect(6, 1, 0, 0, 0);
	assert_int_equal(dp->workers[0].stats.fdb.learned, 3);
	/* the same burst again, every answer from the worker's cache */
	inject_burst(0, burst, RTE_DIM(burst));
	expect(2, 0, 6, 1, 0);
	assert_int_equal(dp->workers[0].stats.drops[SL_DROP_HAIRPIN], 2);
}

/* IEEE 802.1 link-local groups (01:80:c2:00:00:00-0f: STP, LACP, LLDP)
 * are never forwarded, alone in a burst or among others; the next group
 * up is ordinary multicast, flooded. */
static void
test_link_local_never_forwarded(void **state)
{
	static const struct rte_ether_addr STP = { { 1, 0x80, 0xc2, 0, 0, 0 } };
	static const struct rte_ether_addr LLDP = { { 1, 0x80, 0xc2, 0, 0, 0x0e } };
	static const struct rte_ether_addr ABOVE = { { 1, 0x80, 0xc2, 0, 0, 0x10 } };
	const struct frame_spec mixed[] = {
		{ &MAC_A, &LLDP, 2 }, { &MAC_A, &ABOVE, 2 }, { &MAC_A, &STP, 2 },
	};

	(void)state;
	inject(0, &MAC_A, &STP, 1);
	expect(1, 0, 0, 0, 0);
	inject_burst(0, mixed, RTE_DIM(mixed));
	expect(2, 0, 1, 1, 0);
	assert_int_equal(dp->workers[0].stats.drops[SL_DROP_LINK_LOCAL], 3);
}

/* A whole burst of senders the FDB has not seen: every one learned (the
 * bulk lookup takes the full burst), every answer back to port 0 only. */
static void
test_full_burst_of_new_senders(void **state)
{
	struct rte_ether_addr macs[SL_BURST];
	struct frame_spec burst[SL_BURST];

	(void)state;
	for (int i = 0; i < SL_BURST; i++) {
		macs[i] = (struct rte_ether_addr){ { 2, 0, 0, 1, 0, (uint8_t)i } };
		burst[i] = (struct frame_spec){ &macs[i], &BCAST, 1 };
	}
	inject_burst(0, burst, SL_BURST);
	expect(1, 0, SL_BURST, SL_BURST, 0);
	assert_int_equal(dp->workers[0].stats.fdb.learned, SL_BURST);
	for (int i = 0; i < SL_BURST; i++)
		burst[i] = (struct frame_spec){ &MAC_B, &macs[i], 2 };
	inject_burst(1, burst, SL_BURST);
	expect(2, SL_BURST, 0, 0, 0);
}

/* An IPv4/UDP packet of network, as parse leaves it, to dst:dport. */
static struct rte_mbuf *
udp_packet(uint16_t network, uint32_t dst, uint16_t dport)
{
	const struct frame_spec f = { &MAC_A, &MAC_B, 0 };
	struct rte_mbuf *m = frame(&f);
	struct sl_pkt_meta *md = sl_meta(m);

	memset(md, 0, sizeof(*md));
	md->network = network;
	md->flags = SL_META_IPV4 | SL_META_L4;
	md->ip_proto = IPPROTO_UDP;
	md->ip_src = rte_cpu_to_be_32(RTE_IPV4(10, 0, 0, 1));
	md->ip_dst = rte_cpu_to_be_32(dst);
	md->l4_sport = 1000;
	md->l4_dport = dport;
	return m;
}

/* The rules stage over bursts that mix networks with and without rules:
 * every packet lands on exactly one counter (its rule's, or its network's
 * NORMAL), a deny drops, the rest keep their order. */
static void
test_rules_stage_counts_every_packet(void **state)
{
	const struct sl_cls_rule rules[] = {
		{ .rank = 0, .network = 1, .side = SL_CLS_TO, .proto = SL_CLS_UDP,
		  .port = -1, .addr = RTE_IPV4(10, 0, 0, 9), .plen = 32 },
		{ .rank = 1, .network = 1, .side = SL_CLS_TO, .proto = SL_CLS_UDP,
		  .port = 53, .addr = RTE_IPV4(10, 0, 0, 0), .plen = 8 },
	};
	const struct sl_rule_verdict verdicts[] = {
		{ .slot = 7, .allow = 0 }, { .slot = 8, .allow = 1 },
	};
	/* network, destination's last byte, port; and whether it passes */
	static const struct { uint16_t net; uint8_t dst; uint16_t port; bool pass; } in[] = {
		{ 0, 9, 53, true }, { 0, 9, 53, true }, { 1, 9, 53, false },
		{ 1, 5, 53, true }, { 1, 7, 53, true }, { 1, 5, 53, true },
		{ 1, 5, 80, true }, { 0, 5, 80, true },
		{ 2, 5, 80, true }, { 2, 9, 53, true }, { 1, 6, 80, true },
	};
	struct sl_ruleset *rs = sl_ruleset_build(rules, verdicts, RTE_DIM(rules), NULL);
	struct sl_worker *w = &dp->workers[0];
	struct rte_mbuf *pkts[SL_BURST], *sent[SL_BURST];
	uint16_t n = RTE_DIM(in), out, k = 0;

	(void)state;
	assert_non_null(rs);
	for (uint16_t i = 0; i < n; i++)
		pkts[i] = udp_packet(in[i].net, RTE_IPV4(10, 0, 0, in[i].dst),
				     in[i].port);
	for (uint16_t i = 0; i < n; i++)
		if (in[i].pass)
			sent[k++] = pkts[i];
	out = sl_rules_burst(w, rs, NULL, pkts, n);
	assert_int_equal(out, k);
	for (uint16_t i = 0; i < out; i++)
		assert_ptr_equal(pkts[i], sent[i]);
	/* a run of one rule's packets is counted whole */
	assert_int_equal(w->rule_stats->slot[7].packets, 1);
	assert_int_equal(w->rule_stats->slot[7].bytes, 60);
	assert_int_equal(w->rule_stats->slot[8].packets, 3);
	assert_int_equal(w->rule_stats->slot[8].bytes, 3 * 60);
	assert_int_equal(w->rule_stats->normal[0].packets, 3);
	assert_int_equal(w->rule_stats->normal[0].bytes, 3 * 60);
	assert_int_equal(w->rule_stats->normal[1].packets, 2);
	assert_int_equal(w->rule_stats->normal[2].packets, 2);
	assert_int_equal(w->stats.drops[SL_DROP_RULE_DENY], 1);
	for (uint16_t i = 0; i < out; i++)
		rte_pktmbuf_free(pkts[i]);

	/* a burst of networks without rules, with and without a rule-set */
	for (int pass = 0; pass < 2; pass++) {
		pkts[0] = udp_packet(0, RTE_IPV4(10, 0, 0, 9), 53);
		pkts[1] = udp_packet(2, RTE_IPV4(10, 0, 0, 9), 53);
		pkts[2] = udp_packet(0, RTE_IPV4(10, 0, 0, 9), 53);
		assert_int_equal(sl_rules_burst(w, pass ? NULL : rs, NULL, pkts, 3), 3);
		for (uint16_t i = 0; i < 3; i++)
			rte_pktmbuf_free(pkts[i]);
	}
	assert_int_equal(w->rule_stats->normal[0].packets, 3 + 4);
	assert_int_equal(w->rule_stats->normal[2].packets, 2 + 2);
	assert_int_equal(w->rule_stats->normal[2].bytes, 4 * 60);
	sl_ruleset_free(rs);
}

/* A network whose bridge has no NORMAL flow: what no rule matches is
 * dropped as flow_table_miss, not counted as NORMAL; a rule still
 * decides what it matches; other networks switch their unmatched
 * packets as before. */
static void
test_rules_stage_table_miss(void **state)
{
	const struct sl_cls_rule rules[] = {
		{ .rank = 0, .network = 1, .side = SL_CLS_TO, .proto = SL_CLS_UDP,
		  .port = 53, .addr = RTE_IPV4(10, 0, 0, 0), .plen = 8 },
	};
	const struct sl_rule_verdict verdicts[] = { { .slot = 3, .allow = 1 } };
	struct sl_ruleset *rs = sl_ruleset_build(rules, verdicts, 1, NULL);
	struct sl_worker *w = &dp->workers[0];
	struct rte_mbuf *pkts[4];
	uint64_t missed = w->stats.drops[SL_DROP_FLOW_TABLE_MISS];
	uint64_t normal1 = w->rule_stats->normal[1].packets;
	uint64_t normal0 = w->rule_stats->normal[0].packets;

	(void)state;
	assert_non_null(rs);
	assert_false(rs->miss_drops);
	sl_ruleset_set_miss_drop(rs, 1);
	sl_ruleset_set_miss_drop(rs, SL_RULES_NETWORKS);	/* ignored */
	assert_true(rs->miss_drops);
	assert_true(sl_ruleset_miss_drops(rs, 1));
	assert_false(sl_ruleset_miss_drops(rs, 0));
	pkts[0] = udp_packet(1, RTE_IPV4(10, 0, 0, 9), 53);	/* the rule's */
	pkts[1] = udp_packet(1, RTE_IPV4(10, 0, 0, 9), 80);	/* a miss */
	pkts[2] = udp_packet(0, RTE_IPV4(10, 0, 0, 9), 80);	/* NORMAL */
	pkts[3] = udp_packet(1, RTE_IPV4(10, 0, 0, 7), 81);	/* a miss */
	{
		struct rte_mbuf *want0 = pkts[0], *want1 = pkts[2];

		assert_int_equal(sl_rules_burst(w, rs, NULL, pkts, 4), 2);
		assert_ptr_equal(pkts[0], want0);
		assert_ptr_equal(pkts[1], want1);
	}
	assert_int_equal(w->stats.drops[SL_DROP_FLOW_TABLE_MISS] - missed, 2);
	assert_int_equal(w->rule_stats->normal[1].packets, normal1);
	assert_int_equal(w->rule_stats->normal[0].packets - normal0, 1);
	rte_pktmbuf_free(pkts[0]);
	rte_pktmbuf_free(pkts[1]);
	sl_ruleset_free(rs);
}

/* OpenFlow flows in the rules stage: a packet from a port with flows
 * takes the highest-priority flow that ranks above the classifier's rule,
 * is counted on it and dropped or switched as it says; a packet of another
 * port never looks at them. */
static void
test_rules_stage_flows(void **state)
{
	const struct sl_cls_rule rules[] = {
		{ .rank = 0, .network = 1, .side = SL_CLS_TO, .proto = SL_CLS_UDP,
		  .port = -1, .addr = RTE_IPV4(10, 0, 0, 9), .plen = 32 },
	};
	const struct sl_rule_verdict verdicts[] = {
		{ .slot = 7, .priority = 100, .allow = 1 },
	};
	/* port 5: UDP to port 53 dropped at 200, everything else at 50 */
	struct sl_dp_flow flows[2];
	struct sl_snapshot *s = sl_snapshot_alloc(2, 1);
	struct sl_worker *w = &dp->workers[0];
	static const struct { uint16_t in_port; uint8_t dst; uint16_t port; bool pass; } in[] = {
		{ 5, 9, 53, false },	/* the flow at 200 over the rule at 100 */
		{ 5, 9, 80, true },	/* the rule at 100 over the flow at 50 */
		{ 5, 8, 80, false },	/* no rule: the flow at 50 */
		{ 4, 8, 53, true },	/* a port without flows */
	};
	struct rte_mbuf *pkts[4];
	struct sl_ruleset *rs;
	uint64_t denied = w->stats.drops[SL_DROP_RULE_DENY];

	(void)state;
	memset(flows, 0, sizeof(flows));
	for (int i = 0; i < 2; i++) {
		flows[i].in_port = 5;
		flows[i].action = SL_FLOW_DROP;
		flows[i].slot = 20 + (uint32_t)i;
	}
	flows[0].priority = 200;
	flows[0].key.dl_type = RTE_ETHER_TYPE_IPV4;
	flows[0].mask.dl_type = 0xffff;
	flows[0].key.nw_proto = IPPROTO_UDP;
	flows[0].mask.nw_proto = 0xff;
	flows[0].key.tp_dst = 53;
	flows[0].mask.tp_dst = 0xffff;
	flows[1].priority = 50;
	assert_non_null(s);
	assert_int_equal(sl_snapshot_join(s, 5, 1, SL_TAG_UNTAGGED, 1500), 0);
	assert_int_equal(sl_snapshot_join(s, 4, 1, SL_TAG_UNTAGGED, 1500), 0);
	rs = sl_ruleset_build(rules, verdicts, 1, sl_flowset_build(flows, 2));
	assert_non_null(rs);
	for (int i = 0; i < 4; i++) {
		pkts[i] = udp_packet(1, RTE_IPV4(10, 0, 0, in[i].dst), in[i].port);
		sl_meta(pkts[i])->in_port = in[i].in_port;
		sl_meta(pkts[i])->ether_type = RTE_ETHER_TYPE_IPV4;
	}
	{
		struct rte_mbuf *keep[2] = { pkts[1], pkts[3] };

		assert_int_equal(sl_rules_burst(w, rs, s, pkts, 4), 2);
		assert_ptr_equal(pkts[0], keep[0]);
		assert_ptr_equal(pkts[1], keep[1]);
	}
	assert_int_equal(w->rule_stats->slot[20].packets, 1);
	assert_int_equal(w->rule_stats->slot[21].packets, 1);
	assert_int_equal(w->rule_stats->slot[7].packets, 1);
	assert_int_equal(w->stats.drops[SL_DROP_RULE_DENY] - denied, 2);
	rte_pktmbuf_free(pkts[0]);
	rte_pktmbuf_free(pkts[1]);
	sl_ruleset_free(rs);
	sl_snapshot_free(s);
}

/* The packets of a port whose flows end in a catch-all are judged by the
 * rules ranking at or above it and the flows (ruleset.c's second
 * classifier), and that gives what the whole classifier and the flows
 * give: the same packets pass, on the same counters. The oracle is the
 * same rule-set with the port's flag cleared. */
static void
test_rules_stage_above_catch_all(void **state)
{
	enum { NRULES = 40, NPKTS = SL_BURST };
	struct sl_cls_rule rules[NRULES];
	struct sl_rule_verdict verdicts[NRULES];
	struct sl_dp_flow flows[2];
	struct sl_snapshot *s = sl_snapshot_alloc(2, 1);
	struct sl_worker *w = &dp->workers[0];
	struct sl_ruleset *rs;
	uint64_t before[NRULES + 2], after[2][NRULES + 2];
	uint32_t seed = 12345;
	uint8_t dst[NPKTS], src[NPKTS];
	uint16_t dport[NPKTS], passed[2][NPKTS], npassed[2];
	static const uint16_t ports[] = { 53, 80, 1000 };

	(void)state;
	/* rank order: 65535, 5000, 4000 (the catch-all's own priority: the
	 * rule wins the tie), 4001, then 36 below the catch-all */
	for (uint32_t i = 0; i < NRULES; i++) {
		seed = seed * 1103515245 + 12345;
		rules[i] = (struct sl_cls_rule){
			.rank = i, .network = 1, .side = SL_CLS_TO,
			.proto = (seed >> 16) & 1 ? SL_CLS_UDP : SL_CLS_IP,
			.port = (seed >> 17) & 1 ? ports[(seed >> 18) % 3] : -1,
			.addr = RTE_IPV4(10, 0, 0, 1 + (seed >> 20) % 12),
			.plen = (seed >> 24) & 1 ? 32 : 30,
		};
		if (rules[i].proto == SL_CLS_IP)
			rules[i].port = -1;
		verdicts[i] = (struct sl_rule_verdict){
			.slot = 100 + i, .allow = (seed >> 25) & 1,
			.priority = (uint16_t)(i == 0 ? 65535 : i == 1 ? 5000 :
					       i == 2 ? 4001 : i == 3 ? 4000 :
					       3999 - i),
		};
	}
	/* port 5: IPv4 from 10.0.0.1 switched at 6000, all else dropped at
	 * 4000 (as a locked VIF's flows) */
	memset(flows, 0, sizeof(flows));
	for (int i = 0; i < 2; i++) {
		flows[i].in_port = 5;
		flows[i].slot = 200 + (uint32_t)i;
	}
	flows[0].priority = 6000;
	flows[0].action = SL_FLOW_NORMAL;
	flows[0].key.dl_type = RTE_ETHER_TYPE_IPV4;
	flows[0].mask.dl_type = 0xffff;
	flows[0].key.nw_src = RTE_IPV4(10, 0, 0, 1);
	flows[0].mask.nw_src = 0xffffffff;
	flows[1].priority = 4000;
	flows[1].action = SL_FLOW_DROP;
	assert_non_null(s);
	assert_int_equal(sl_snapshot_join(s, 5, 1, SL_TAG_UNTAGGED, 1500), 0);
	rs = sl_ruleset_build(rules, verdicts, NRULES, sl_flowset_build(flows, 2));
	assert_non_null(rs);
	assert_non_null(rs->cls_above);
	assert_true(rs->flows->decides[5]);
	for (int i = 0; i < NPKTS; i++) {
		seed = seed * 1103515245 + 12345;
		dst[i] = (uint8_t)(1 + (seed >> 16) % 12);
		src[i] = (uint8_t)(1 + (seed >> 20) % 2);
		dport[i] = ports[(seed >> 22) % 3];
	}
	for (int pass = 0; pass < 2; pass++) {
		struct rte_mbuf *pkts[NPKTS], *orig[NPKTS];
		uint16_t out;

		rs->flows->decides[5] = pass == 0;
		for (int i = 0; i < NRULES + 2; i++)
			before[i] = w->rule_stats->slot[i < NRULES ? 100 + i :
							 200 + i - NRULES].packets;
		for (int i = 0; i < NPKTS; i++) {
			pkts[i] = orig[i] = udp_packet(1, RTE_IPV4(10, 0, 0, dst[i]),
						       dport[i]);
			sl_meta(pkts[i])->ip_src =
				rte_cpu_to_be_32(RTE_IPV4(10, 0, 0, src[i]));
			sl_meta(pkts[i])->in_port = 5;
			sl_meta(pkts[i])->ether_type = RTE_ETHER_TYPE_IPV4;
		}
		out = sl_rules_burst(w, rs, s, pkts, NPKTS);
		npassed[pass] = out;
		for (uint16_t k = 0; k < out; k++) {
			for (uint16_t i = 0; i < NPKTS; i++)
				if (orig[i] == pkts[k])
					passed[pass][k] = i;
			rte_pktmbuf_free(pkts[k]);
		}
		for (int i = 0; i < NRULES + 2; i++)
			after[pass][i] = w->rule_stats->slot[i < NRULES ? 100 + i :
							     200 + i - NRULES].packets -
					 before[i];
	}
	/* something of each: the test sees both ways of deciding */
	assert_true(npassed[0] > 0 && npassed[0] < NPKTS);
	assert_true(after[0][NRULES] > 0 && after[0][NRULES + 1] > 0);
	assert_true(after[0][0] + after[0][1] + after[0][2] + after[0][3] > 0);
	assert_int_equal(npassed[0], npassed[1]);
	assert_memory_equal(passed[0], passed[1], npassed[0] * sizeof(uint16_t));
	assert_memory_equal(after[0], after[1], sizeof(after[0]));
	sl_ruleset_free(rs);
	sl_snapshot_free(s);
}

/* What leaves a port is what its counters say, frame by frame and byte
 * by byte: a run of frames to one port, with frames too long for the way
 * in or the way out taken from its middle (each dropped and counted), and
 * a port that takes only part of its batch. */
static void
test_tx_counts_what_left(void **state)
{
	static const int nets[NB_PORTS] = { 0, 0, 0, 1 };
	static const uint16_t mtu[NB_PORTS] = { 1500, 1000, 1500, 1500 };
	const struct frame_spec run[] = {
		{ &MAC_A, &MAC_B, 1 }, { &MAC_A, &MAC_B, 2 },
		{ &MAC_A, &MAC_B, 3 }, { &MAC_A, &MAC_B, 4 },
		{ &MAC_A, &MAC_B, 5 }, { &MAC_A, &MAC_B, 6 },
	};
	/* the third: L3 1001 > 1000 out; the fourth: 1501 > 1500 in */
	static const uint16_t len[] = { 60, 1014, 1015, 1515, 200, 61 };
	static const uint8_t sent_tag[] = { 1, 2, 5, 6 };
	static const uint16_t sent_len[] = { 60, 1014, 200, 61 };
	struct sl_worker_stats *st = &dp->workers[0].stats;
	struct rte_mbuf *m, *filler[253];
	unsigned int k = 0;

	(void)state;
	publish_mtu(nets, mtu);
	inject(1, &MAC_B, &BCAST, 9);	/* B is behind port 1 */
	drain(0, 9);
	drain(2, 9);
	inject_burst_sized(0, run, len, RTE_DIM(run));
	assert_int_equal(st->port[port_id[0]].rx_packets, 6);
	assert_int_equal(st->port[port_id[0]].rx_bytes,
			 60 + 1014 + 1015 + 1515 + 200 + 61);
	assert_int_equal(st->drops[SL_DROP_MTU_EXCEEDED], 1);
	assert_int_equal(st->drops[SL_DROP_RX_OVERSIZE], 1);
	while (rte_ring_dequeue(tx_ring[1], (void **)&m) == 0) {
		assert_true(k < RTE_DIM(sent_tag));
		assert_int_equal(rte_pktmbuf_mtod(m, uint8_t *)[20], sent_tag[k]);
		assert_int_equal(rte_pktmbuf_pkt_len(m), sent_len[k]);
		rte_pktmbuf_free(m);
		k++;
	}
	assert_int_equal(k, RTE_DIM(sent_tag));
	assert_int_equal(st->port[port_id[1]].tx_packets, 4);
	assert_int_equal(st->port[port_id[1]].tx_bytes, 60 + 1014 + 200 + 61);
	expect(1, 0, 0, 0, 0);

	/* port 1's queue has room for two more: the rest are refused */
	for (unsigned int i = 0; i < RTE_DIM(filler); i++) {
		filler[i] = rte_pktmbuf_alloc(sl_test_pool());
		assert_non_null(filler[i]);
	}
	assert_int_equal(rte_ring_enqueue_bulk(tx_ring[1], (void **)filler,
					       RTE_DIM(filler), NULL),
			 RTE_DIM(filler));
	inject_burst_sized(0, run, len, RTE_DIM(run));
	assert_int_equal(rte_ring_count(tx_ring[1]), RTE_DIM(filler) + 2);
	assert_int_equal(st->port[port_id[1]].tx_packets, 4 + 2);
	assert_int_equal(st->port[port_id[1]].tx_bytes,
			 60 + 1014 + 200 + 61 + 60 + 1014);
	assert_int_equal(st->drops[SL_DROP_TX_QUEUE_FULL], 2);
	rte_pktmbuf_free_bulk(filler, RTE_DIM(filler));
	rte_ring_reset(tx_ring[1]);
}

/* A worker without a tx queue of its own on a port hands what it sends
 * there to worker 0 through the port's ring; worker 0, which finds the
 * port in the snapshot's list, sends it and counts it. */
static void
test_handoff_to_worker_zero(void **state)
{
	struct sl_fdb_conf fc = { .max_entries = 1024, .aging_s = 300 };
	struct rte_ring *ring = rte_ring_create("handoff_t", 256, 0,
						RING_F_SC_DEQ);
	struct sl_snapshot *s = sl_snapshot_alloc(1, 2);
	struct rte_mbuf *pkts[SL_BURST];
	const struct frame_spec f = { &MAC_A, &BCAST, 7 };
	struct sl_worker *w0, *w1;

	(void)state;
	dp = sl_dp_create(2, sl_test_pool(), &fc);
	assert_non_null(dp);
	assert_non_null(ring);
	assert_non_null(s);
	w0 = &dp->workers[0];
	w1 = &dp->workers[1];
	w1->now_s = 1000;
	for (int i = 0; i < 2; i++)
		assert_int_equal(sl_snapshot_join(s, port_id[i], 0,
						  SL_TAG_UNTAGGED, 1500), 0);
	s->ports[port_id[0]].nb_txq = 2;
	s->ports[port_id[1]].nb_txq = 1;	/* worker 0's only */
	sl_snapshot_set_handoff(s, port_id[1], ring);
	sl_snapshot_set_handoff(s, port_id[1], ring);	/* listed once */
	assert_int_equal(s->nb_handoff, 1);
	assert_int_equal(s->handoff_ports[0], port_id[1]);
	sl_snapshot_free(sl_dp_publish(dp, s));

	for (int i = 0; i < 3; i++)
		assert_int_equal(rte_ring_enqueue(rx_ring[0], frame(&f)), 0);
	assert_int_equal(sl_port_rx_burst(port_id[0], 0, pkts, SL_BURST), 3);
	sl_pipeline_burst(w1, s, port_id[0], pkts, 3);
	sl_tx_flush(w1, s);
	assert_int_equal(rte_ring_count(ring), 3);
	assert_int_equal(rte_ring_count(tx_ring[1]), 0);
	assert_int_equal(w1->stats.port[port_id[1]].tx_packets, 0);

	/* an empty ring leaves nothing for the flush to visit */
	assert_int_equal(w0->nb_pending, 0);
	assert_int_equal(sl_tx_drain_handoff(w0, s), 3);
	assert_int_equal(w0->nb_pending, 1);
	sl_tx_flush(w0, s);
	assert_int_equal(w0->nb_pending, 0);
	assert_int_equal(sl_tx_drain_handoff(w0, s), 0);
	assert_int_equal(w0->nb_pending, 0);
	assert_int_equal(rte_ring_count(ring), 0);
	assert_int_equal(w0->stats.port[port_id[1]].tx_packets, 3);
	assert_int_equal(w0->stats.port[port_id[1]].tx_bytes, 3 * 60);
	expect(7, 0, 3, 0, 0);
	sl_dp_free(dp);
	dp = NULL;
	rte_ring_free(ring);
}

/* A 1514-byte IPv4/UDP frame with DF from port 0, in network 0, parsed. */
static struct rte_mbuf *
df_frame_from_port0(void)
{
	const struct frame_spec f = { &MAC_A, &MAC_B, 0 };
	struct rte_mbuf *m = frame_sized(&f, 1514);
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	struct sl_pkt_meta *md = sl_meta(m);

	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	*ip = (struct rte_ipv4_hdr){
		.version_ihl = RTE_IPV4_VHL_DEF,
		.total_length = RTE_BE16(1500),
		.fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG),
		.time_to_live = 64,
		.next_proto_id = IPPROTO_UDP,
		.src_addr = RTE_BE32(RTE_IPV4(10, 1, 0, 1)),
		.dst_addr = RTE_BE32(RTE_IPV4(10, 1, 0, 2)),
	};
	udp->src_port = RTE_BE16(1000);
	udp->dst_port = RTE_BE16(2000);
	udp->dgram_len = RTE_BE16(1480);
	md->in_port = port_id[0];
	md->network = 0;
	assert_int_equal(sl_parse_pkt(m, md), SL_DROP_NONE);
	return m;
}

/* ICMP "fragmentation needed, next-hop MTU mtu" frames out of port
 * out; frees every frame. */
static unsigned int
drain_frag_needed(int out, uint16_t mtu)
{
	struct rte_mbuf *m;
	unsigned int n = 0;

	while (rte_ring_dequeue(tx_ring[out], (void **)&m) == 0) {
		const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);

		if (p[12] == 0x08 && p[13] == 0x00 && p[23] == IPPROTO_ICMP &&
		    p[34] == 3 && p[35] == 4 && (p[40] << 8 | p[41]) == mtu)
			n++;
		rte_pktmbuf_free(m);
	}
	return n;
}

/* Frames too long for a tunnel: every one is dropped and counted; the
 * senders of those with DF are told the MTU that fits, at most
 * SL_ICMP_ERRORS_PER_S times a second (no timing here: the worker's
 * second is set by hand). */
static void
test_icmp_errors_rate_limited(void **state)
{
	struct sl_worker *w = &dp->workers[0];
	struct sl_snapshot *s = sl_snapshot_alloc(1, 1);
	const struct rte_ether_addr hop = { { 2, 0, 0, 0, 0, 0xee } };
	const unsigned int over = 5;
	unsigned int icmp = 0;
	struct sl_dp_vtep *v;

	(void)state;
	assert_non_null(s);
	assert_int_equal(sl_snapshot_join(s, port_id[0], 0, SL_TAG_UNTAGGED, 1500), 0);
	s->ports[port_id[0]].nb_txq = 1;
	s->ports[port_id[1]].nb_txq = 1;
	s->nb_transports = 1;
	s->transports[0] = (struct sl_dp_transport){
		.ip = RTE_BE32(RTE_IPV4(10, 0, 0, 1)), .mac = MAC_C,
		.port = port_id[1], .network = SL_NETWORK_NONE, .mtu = 1500,
	};
	v = &s->vteps[0];
	*v = (struct sl_dp_vtep){
		.ip = RTE_BE32(RTE_IPV4(10, 0, 0, 2)), .transport = 0,
		.protocol = SL_DP_TUNNEL_VXLAN, .resolved = 1,
	};
	sl_tunnel_template(v, &s->transports[0], &hop);
	sl_snapshot_free(sl_dp_publish(dp, s));

	w->now_s = 100;
	for (unsigned int i = 0; i < SL_ICMP_ERRORS_PER_S + over; i++) {
		sl_tunnel_encap(w, s, SL_VTEP_PORT(0), df_frame_from_port0());
		if (i % 32 == 31) {
			sl_tx_flush(w, s);
			icmp += drain_frag_needed(0, 1450);
		}
	}
	sl_tx_flush(w, s);
	icmp += drain_frag_needed(0, 1450);
	assert_int_equal(icmp, SL_ICMP_ERRORS_PER_S);
	assert_int_equal(w->stats.icmp_frag_needed, SL_ICMP_ERRORS_PER_S);
	assert_int_equal(w->stats.icmp_frag_needed_limited, over);
	assert_int_equal(w->stats.drops[SL_DROP_TUNNEL_MTU_EXCEEDED],
			 SL_ICMP_ERRORS_PER_S + over);
	assert_int_equal(rte_ring_count(tx_ring[1]), 0);	/* nothing tunnelled */

	/* the next second has a budget again */
	w->now_s = 101;
	for (int i = 0; i < 3; i++)
		sl_tunnel_encap(w, s, SL_VTEP_PORT(0), df_frame_from_port0());
	sl_tx_flush(w, s);
	assert_int_equal(drain_frag_needed(0, 1450), 3);
	assert_int_equal(w->stats.icmp_frag_needed_limited, over);
}

/* The worker's seconds follow the TSC it is given, at each second's very
 * tick, though it divides only once a second. */
static void
test_worker_clock(void **state)
{
	struct sl_worker *w = &dp->workers[0];
	uint64_t hz = rte_get_tsc_hz();

	(void)state;
	w->next_s_tsc = 0;
	sl_worker_clock(w, 5 * hz + 7);
	assert_int_equal(w->now_s, 5);
	assert_int_equal(w->now_tsc, 5 * hz + 7);
	sl_worker_clock(w, 6 * hz - 1);
	assert_int_equal(w->now_s, 5);
	sl_worker_clock(w, 6 * hz);
	assert_int_equal(w->now_s, 6);
	sl_worker_clock(w, 9 * hz + hz / 2);
	assert_int_equal(w->now_s, 9);
	assert_int_equal(w->now_s, sl_clock_s_at(9 * hz + hz / 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flood_learn_forward, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_entries_follow_the_fdb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hairpin_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_isolation_and_empty_flood, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_swap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_never_reaches_a_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_inject_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runs_in_a_burst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_local_never_forwarded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_burst_of_new_senders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_stage_counts_every_packet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_stage_flows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_stage_above_catch_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_stage_table_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_counts_what_left, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worker_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_icmp_errors_rate_limited, setup, teardown),
		cmocka_unit_test(test_handoff_to_worker_zero),
	};

	if (sl_test_eal_init("test-pipeline") < 0 || make_ports() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
