/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow flows in the datapath (sl_flows.h): a packet's key for the
 * fields only flows look at (the VLAN as received, ARP's addresses,
 * IPv6, ICMPv6 neighbour discovery), read also across segments split at
 * odd offsets; and the per-port lists: priority order, kinds, the floor
 * a classifier's rule sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <netinet/in.h>
#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "eal_fixture.h"
#include "parse.h"
#include "sl_flows.h"
#include "sl_snapshot.h"

#define IN_PORT 3

static const uint8_t VM_MAC[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t GW_MAC[6] = { 0x02, 0, 0, 0, 0, 0xfe };
static const uint8_t VM_IP6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5 };
static const uint8_t GW_IP6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

/* A frame from VM_MAC to GW_MAC, its EtherType, then body. */
static size_t
frame(uint8_t *f, uint16_t type, const uint8_t *body, size_t len)
{
	memcpy(f, GW_MAC, 6);
	memcpy(f + 6, VM_MAC, 6);
	f[12] = (uint8_t)(type >> 8);
	f[13] = (uint8_t)type;
	memcpy(f + 14, body, len);
	return 14 + len;
}

/* The frame parsed as port IN_PORT's, in network 0, in one mbuf or two
 * (the first holding split bytes; the second starting at an odd address
 * when split is the Ethernet header's 14, as a struct read in place
 * there would be misaligned). */
static struct rte_mbuf *
parsed(const uint8_t *f, size_t len, uint16_t split)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(sl_test_pool()), *tail;
	static struct sl_worker_stats st;
	uint16_t n1 = split ? split : (uint16_t)len;

	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, n1), f, n1);
	if (n1 < len) {
		tail = rte_pktmbuf_alloc(sl_test_pool());
		assert_non_null(tail);
		if (split == 14)
			tail->data_off++;
		memcpy(rte_pktmbuf_append(tail, (uint16_t)(len - n1)), f + n1, len - n1);
		assert_int_equal(rte_pktmbuf_chain(m, tail), 0);
	}
	assert_int_equal(sl_parse_burst(&st, &st.port[IN_PORT], IN_PORT, &m, 1), 1);
	sl_meta(m)->network = 0;
	return m;
}

static struct sl_snapshot *
snapshot(uint16_t tag)
{
	struct sl_snapshot *s = sl_snapshot_alloc(1, 1);

	assert_non_null(s);
	assert_int_equal(sl_snapshot_join(s, IN_PORT, 0, tag, 1500), 0);
	return s;
}

static void
test_arp_split_at_an_odd_offset(void **state)
{
	static const uint8_t arp[28] = {
		0, 1, 8, 0, 6, 4, 0, 2,		/* Ethernet/IPv4, reply */
		0x02, 0, 0, 0, 0, 0x01, 10, 0, 0, 5,	/* sender */
		0x02, 0, 0, 0, 0, 0xfe, 10, 0, 0, 1,	/* target */
	};
	struct sl_snapshot *s = snapshot(SL_TAG_UNTAGGED);
	uint8_t f[128];
	size_t len = frame(f, RTE_ETHER_TYPE_ARP, arp, sizeof(arp));

	(void)state;
	/* whole, then cut inside the ARP header at odd and even offsets */
	for (uint16_t split = 0; split < len; split = split ? split + 1 : 14) {
		struct rte_mbuf *m = parsed(f, len, split);
		struct sl_flow_key k;

		sl_flow_key_of(m, s->networks[0].tag[IN_PORT], &k);
		assert_int_equal(k.in_port, IN_PORT);
		assert_int_equal(k.vlan_tci, 0);
		assert_int_equal(k.dl_type, RTE_ETHER_TYPE_ARP);
		assert_int_equal(k.nw_proto, 2);
		assert_int_equal(k.nw_src, 0x0a000005);
		assert_int_equal(k.nw_dst, 0x0a000001);
		assert_memory_equal(k.arp_sha, VM_MAC, 6);
		assert_memory_equal(k.arp_tha, GW_MAC, 6);
		assert_memory_equal(k.dl_src, VM_MAC, 6);
		rte_pktmbuf_free(m);
	}
	sl_snapshot_free(s);
}

/* An IPv6 header from VM_IP6 to GW_IP6 with payload len and next nh. */
static size_t
ipv6(uint8_t *b, uint8_t nh, uint16_t payload)
{
	memset(b, 0, 40);
	b[0] = 0x60;
	b[4] = (uint8_t)(payload >> 8);
	b[5] = (uint8_t)payload;
	b[6] = nh;
	b[7] = 255;
	memcpy(b + 8, VM_IP6, 16);
	memcpy(b + 24, GW_IP6, 16);
	return 40;
}

static void
test_neighbour_discovery(void **state)
{
	struct sl_snapshot *s = snapshot(10);	/* the port carries it tagged */
	uint8_t body[128], f[192];
	size_t o = ipv6(body, IPPROTO_ICMPV6, 32);
	size_t len;
	struct rte_mbuf *m;
	struct sl_flow_key k;

	(void)state;
	/* a solicitation for GW_IP6 with the source link-layer option */
	memset(body + o, 0, 32);
	body[o] = 135;
	memcpy(body + o + 8, GW_IP6, 16);
	body[o + 24] = 1;
	body[o + 25] = 1;
	memcpy(body + o + 26, VM_MAC, 6);
	len = frame(f, RTE_ETHER_TYPE_IPV6, body, o + 32);
	for (uint16_t split = 0; split < len; split = split ? split + 1 : 14) {
		m = parsed(f, len, split);
		sl_meta(m)->pcp = 5;
		sl_flow_key_of(m, s->networks[0].tag[IN_PORT], &k);
		assert_int_equal(k.vlan_tci, 5 << 13 | SL_FLOW_VLAN_PRESENT | 10);
		assert_int_equal(k.dl_type, RTE_ETHER_TYPE_IPV6);
		assert_int_equal(k.nw_proto, IPPROTO_ICMPV6);
		assert_int_equal(k.tp_src, 135);
		assert_int_equal(k.tp_dst, 0);
		assert_memory_equal(k.ipv6_src, VM_IP6, 16);
		assert_memory_equal(k.ipv6_dst, GW_IP6, 16);
		assert_memory_equal(k.nd_target, GW_IP6, 16);
		assert_memory_equal(k.arp_sha, VM_MAC, 6);
		rte_pktmbuf_free(m);
	}
	/* an option that runs past the packet is not read */
	body[o + 25] = 2;
	len = frame(f, RTE_ETHER_TYPE_IPV6, body, o + 32);
	m = parsed(f, len, 0);
	sl_flow_key_of(m, s->networks[0].tag[IN_PORT], &k);
	assert_memory_equal(k.nd_target, GW_IP6, 16);
	assert_memory_equal(k.arp_sha, (uint8_t[6]){ 0 }, 6);
	rte_pktmbuf_free(m);
	sl_snapshot_free(s);
}

static void
test_ipv6_extension_headers(void **state)
{
	struct sl_snapshot *s = snapshot(SL_TAG_UNTAGGED);
	uint8_t body[128], f[192];
	size_t o = ipv6(body, IPPROTO_HOPOPTS, 8 + 20);
	struct rte_mbuf *m;
	struct sl_flow_key k;

	(void)state;
	/* hop-by-hop (8 bytes), then TCP 40000 -> 22 */
	memset(body + o, 0, 28);
	body[o] = IPPROTO_TCP;
	body[o + 8] = 40000 >> 8;
	body[o + 9] = 40000 & 0xff;
	body[o + 11] = 22;
	m = parsed(f, frame(f, RTE_ETHER_TYPE_IPV6, body, o + 28), 0);
	sl_flow_key_of(m, s->networks[0].tag[IN_PORT], &k);
	assert_int_equal(k.nw_proto, IPPROTO_TCP);
	assert_int_equal(k.tp_src, 40000);
	assert_int_equal(k.tp_dst, 22);
	rte_pktmbuf_free(m);
	/* a later fragment: its protocol, no ports */
	o = ipv6(body, IPPROTO_FRAGMENT, 8 + 20);
	memset(body + o, 0, 28);
	body[o] = IPPROTO_UDP;
	body[o + 3] = 0x08;	/* offset 1 */
	body[o + 8] = 1;
	m = parsed(f, frame(f, RTE_ETHER_TYPE_IPV6, body, o + 28), 0);
	sl_flow_key_of(m, s->networks[0].tag[IN_PORT], &k);
	assert_int_equal(k.nw_proto, IPPROTO_UDP);
	assert_int_equal(k.tp_src, 0);
	rte_pktmbuf_free(m);
	sl_snapshot_free(s);
}

static struct sl_dp_flow
flow(uint16_t priority, uint16_t dl_type, uint8_t action, uint32_t slot)
{
	struct sl_dp_flow f = {
		.in_port = IN_PORT, .priority = priority, .action = action,
		.slot = slot,
	};

	if (dl_type) {
		f.key.dl_type = dl_type;
		f.mask.dl_type = 0xffff;
	}
	return f;
}

static void
test_lists_by_port_kind_and_priority(void **state)
{
	struct sl_dp_flow flows[4];
	struct sl_flowset *fs;
	struct sl_flow_key ip4, arp;
	const struct sl_flowset_entry *e;

	(void)state;
	memset(&ip4, 0, sizeof(ip4));
	memset(&arp, 0, sizeof(arp));
	ip4.dl_type = RTE_ETHER_TYPE_IPV4;
	ip4.nw_src = 0x0a000005;
	arp.dl_type = RTE_ETHER_TYPE_ARP;
	/* 6000: IPv4 from 10.0.0.5; 5000: every IPv4; 4000: everything */
	flows[0] = flow(6000, RTE_ETHER_TYPE_IPV4, SL_FLOW_NORMAL, 1);
	flows[0].key.nw_src = 0x0a000005;
	flows[0].mask.nw_src = 0xffffffff;
	flows[1] = flow(5000, RTE_ETHER_TYPE_IPV4, SL_FLOW_DROP, 2);
	flows[2] = flow(4000, 0, SL_FLOW_DROP, 3);
	flows[3] = flow(4000, RTE_ETHER_TYPE_ARP, SL_FLOW_OUTPUT, 4);
	flows[3].in_port = IN_PORT + 1;
	fs = sl_flowset_build(flows, 4);
	assert_non_null(fs);
	assert_true(sl_flowset_port_has_flows(fs, IN_PORT));
	assert_true(sl_flowset_port_has_flows(fs, IN_PORT + 1));
	assert_false(sl_flowset_port_has_flows(fs, 0));
	assert_false(sl_flowset_port_has_flows(fs, IN_PORT + 2));
	/* the highest priority that matches */
	e = sl_flowset_lookup(fs, IN_PORT, SL_FLOW_KIND_IPV4, &ip4, -1);
	assert_non_null(e);
	assert_int_equal(e->slot, 1);
	ip4.nw_src = 0x0a000006;
	e = sl_flowset_lookup(fs, IN_PORT, SL_FLOW_KIND_IPV4, &ip4, -1);
	assert_int_equal(e->slot, 2);
	/* a rule of the classifier at 5000 wins over the 5000 flow */
	assert_null(sl_flowset_lookup(fs, IN_PORT, SL_FLOW_KIND_IPV4, &ip4, 5000));
	/* ARP: only the flow without an EtherType */
	e = sl_flowset_lookup(fs, IN_PORT, SL_FLOW_KIND_ARP, &arp, -1);
	assert_int_equal(e->slot, 3);
	e = sl_flowset_lookup(fs, IN_PORT + 1, SL_FLOW_KIND_ARP, &arp, -1);
	assert_int_equal(e->slot, 4);
	assert_null(sl_flowset_lookup(fs, IN_PORT + 1, SL_FLOW_KIND_IPV4, &ip4, -1));
	sl_flowset_free(fs);
	/* flows must come in rank order */
	flows[0].priority = 1;
	assert_null(sl_flowset_build(flows, 2));
	assert_int_equal(errno, EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_split_at_an_odd_offset),
		cmocka_unit_test(test_neighbour_discovery),
		cmocka_unit_test(test_ipv6_extension_headers),
		cmocka_unit_test(test_lists_by_port_kind_and_priority),
	};

	if (sl_test_eal_init("test-flows") < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
