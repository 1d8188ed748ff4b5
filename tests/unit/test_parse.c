/* SPDX-License-Identifier: BSD-3-Clause */
/* The parse stage: every malformed case gets its named drop; good frames
 * get their fields, also when headers span mbuf segments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "eal_fixture.h"
#include "parse.h"

/* A frame being built byte by byte. */
struct frame {
	uint8_t b[256];
	uint16_t len;
};

/* DPDK 22.11's RTE_IPV4() shifts an int by 24: undefined for 192.x.x.x */
#define IP4(a, b, c, d) \
	rte_cpu_to_be_32(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | \
			 ((uint32_t)(c) << 8) | (uint32_t)(d))

static const uint8_t SRC[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t DST[6] = { 0x02, 0, 0, 0, 0, 0x02 };

static void
put(struct frame *f, const void *p, uint16_t n)
{
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static void
put16(struct frame *f, uint16_t v)
{
	uint16_t be = rte_cpu_to_be_16(v);

	put(f, &be, 2);
}

static void
eth(struct frame *f, const uint8_t *src, uint16_t type)
{
	f->len = 0;
	put(f, DST, 6);
	put(f, src, 6);
	put16(f, type);
}

static void
vlan(struct frame *f, uint16_t tci, uint16_t next)
{
	put16(f, tci);
	put16(f, next);
}

/* An IPv4 header; total covers header + l4len unless overridden. */
static void
ipv4(struct frame *f, uint8_t version_ihl, uint16_t total, uint8_t proto,
     uint16_t frag)
{
	struct rte_ipv4_hdr ip = {
		.version_ihl = version_ihl,
		.total_length = rte_cpu_to_be_16(total),
		.fragment_offset = rte_cpu_to_be_16(frag),
		.time_to_live = 64,
		.next_proto_id = proto,
		.src_addr = IP4(10, 0, 0, 1),
		.dst_addr = IP4(10, 0, 0, 2),
	};

	put(f, &ip, sizeof(ip));
}

static void
udp(struct frame *f, uint16_t sport, uint16_t dport)
{
	struct rte_udp_hdr u = {
		.src_port = rte_cpu_to_be_16(sport),
		.dst_port = rte_cpu_to_be_16(dport),
		.dgram_len = RTE_BE16(8),
	};

	put(f, &u, sizeof(u));
}

static void
tcp(struct frame *f, uint16_t sport, uint16_t dport)
{
	struct rte_tcp_hdr t = {
		.src_port = rte_cpu_to_be_16(sport),
		.dst_port = rte_cpu_to_be_16(dport),
		.data_off = 5 << 4,
	};

	put(f, &t, sizeof(t));
}

static void
arp(struct frame *f, uint16_t hrd)
{
	struct rte_arp_hdr a = {
		.arp_hardware = rte_cpu_to_be_16(hrd),
		.arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4),
		.arp_hlen = 6,
		.arp_plen = 4,
		.arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST),
		.arp_data.arp_sip = IP4(192, 168, 1, 10),
		.arp_data.arp_tip = IP4(192, 168, 1, 20),
	};

	put(f, &a, sizeof(a));
}

/* One mbuf, or a chain whose first segment holds first_seg bytes. */
static struct rte_mbuf *
to_mbuf(const struct frame *f, uint16_t first_seg)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(sl_test_pool());
	uint16_t n1 = first_seg && first_seg < f->len ? first_seg : f->len;

	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, n1), f->b, n1);
	if (n1 < f->len) {
		struct rte_mbuf *tail = rte_pktmbuf_alloc(sl_test_pool());

		assert_non_null(tail);
		memcpy(rte_pktmbuf_append(tail, f->len - n1), f->b + n1,
		       f->len - n1);
		assert_int_equal(rte_pktmbuf_chain(m, tail), 0);
	}
	return m;
}

static enum sl_drop
parse_split(const struct frame *f, uint16_t first_seg, struct sl_pkt_meta *md)
{
	struct rte_mbuf *m = to_mbuf(f, first_seg);
	enum sl_drop r = sl_parse_pkt(m, md);

	rte_pktmbuf_free(m);
	return r;
}

static enum sl_drop
parse(const struct frame *f, struct sl_pkt_meta *md)
{
	return parse_split(f, 0, md);
}

static void
udp_frame(struct frame *f)
{
	eth(f, SRC, RTE_ETHER_TYPE_IPV4);
	ipv4(f, 0x45, 28, IPPROTO_UDP, 0);
	udp(f, 1234, 53);
}

static void
test_ipv4_udp(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;

	(void)state;
	udp_frame(&f);
	assert_int_equal(parse(&f, &md), SL_DROP_NONE);
	assert_int_equal(md.ether_type, RTE_ETHER_TYPE_IPV4);
	assert_int_equal(md.l3_off, 14);
	assert_int_equal(md.nb_vlans, 0);
	assert_true(md.flags & SL_META_IPV4);
	assert_true(md.flags & SL_META_L4);
	assert_false(md.flags & SL_META_DST_MCAST);
	assert_int_equal(md.ip_proto, IPPROTO_UDP);
	assert_int_equal(md.ip_src, IP4(10, 0, 0, 1));
	assert_int_equal(md.ip_dst, IP4(10, 0, 0, 2));
	assert_int_equal(md.l4_sport, 1234);
	assert_int_equal(md.l4_dport, 53);
}

static void
test_padding_after_ipv4_is_fine(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;
	uint8_t pad[18] = { 0 };

	(void)state;
	udp_frame(&f);
	put(&f, pad, sizeof(pad));	/* Ethernet minimum-size padding */
	assert_int_equal(parse(&f, &md), SL_DROP_NONE);
}

static void
test_vlan_and_qinq(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;

	(void)state;
	eth(&f, SRC, RTE_ETHER_TYPE_VLAN);
	vlan(&f, 100, RTE_ETHER_TYPE_IPV4);
	ipv4(&f, 0x45, 40, IPPROTO_TCP, 0);
	tcp(&f, 40000, 22);
	assert_int_equal(parse(&f, &md), SL_DROP_NONE);
	assert_int_equal(md.nb_vlans, 1);
	assert_int_equal(md.vlan_tci[0], 100);
	assert_int_equal(md.l3_off, 18);
	assert_int_equal(md.l4_dport, 22);

	eth(&f, SRC, RTE_ETHER_TYPE_QINQ);
	vlan(&f, 0x2000 | 7, RTE_ETHER_TYPE_VLAN);
	vlan(&f, 42, RTE_ETHER_TYPE_IPV4);
	ipv4(&f, 0x45, 28, IPPROTO_UDP, 0);
	udp(&f, 1, 2);
	assert_int_equal(parse(&f, &md), SL_DROP_NONE);
	assert_int_equal(md.nb_vlans, 2);
	assert_int_equal(md.vlan_tci[0], 0x2000 | 7);
	assert_int_equal(md.vlan_tci[1], 42);
	assert_int_equal(md.l3_off, 22);
}

static void
test_three_tags_too_deep(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;

	(void)state;
	eth(&f, SRC, RTE_ETHER_TYPE_QINQ);
	vlan(&f, 1, RTE_ETHER_TYPE_VLAN);
	vlan(&f, 2, RTE_ETHER_TYPE_VLAN);
	vlan(&f, 3, RTE_ETHER_TYPE_IPV4);
	ipv4(&f, 0x45, 20, IPPROTO_RAW, 0);
	assert_int_equal(parse(&f, &md), SL_DROP_VLAN_TOO_DEEP);
}

static void
test_truncated_ethernet(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;

	(void)state;
	udp_frame(&f);
	f.len = 13;
	assert_int_equal(parse(&f, &md), SL_DROP_ETH_TRUNCATED);
	f.len = 1;
	assert_int_equal(parse(&f, &md), SL_DROP_ETH_TRUNCATED);
}

static void
test_truncated_vlan(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;

	(void)state;
	eth(&f, SRC, RTE_ETHER_TYPE_VLAN);
	put16(&f, 100);		/* TCI but no inner EtherType */
	assert_int_equal(parse(&f, &md), SL_DROP_VLAN_TRUNCATED);
	eth(&f, SRC, RTE_ETHER_TYPE_VLAN);	/* tag missing entirely */
	assert_int_equal(parse(&f, &md), SL_DROP_VLAN_TRUNCATED);
}

static void
test_truncated_ipv4_header(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;

	(void)state;
	udp_frame(&f);
	f.len = 14 + 19;
	assert_int_equal(parse(&f, &md), SL_DROP_IPV4_TRUNCATED);
	/* IHL says 60 bytes of header, the frame has 28 */
	eth(&f, SRC, RTE_ETHER_TYPE_IPV4);
	ipv4(&f, 0x4f, 28, IPPROTO_UDP, 0);
	udp(&f, 1, 2);
	assert_int_equal(parse(&f, &md), SL_DROP_IPV4_TRUNCATED);
}

static void
test_ihl_below_five(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;

	(void)state;
	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		eth(&f, SRC, RTE_ETHER_TYPE_IPV4);
		ipv4(&f, 0x40 | ihl, 28, IPPROTO_UDP, 0);
		udp(&f, 1, 2);
		assert_int_equal(parse(&f, &md), SL_DROP_IPV4_BAD_IHL);
	}
}

static void
test_bad_version(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;

	(void)state;
	eth(&f, SRC, RTE_ETHER_TYPE_IPV4);
	ipv4(&f, 0x65, 28, IPPROTO_UDP, 0);
	udp(&f, 1, 2);
	assert_int_equal(parse(&f, &md), SL_DROP_IPV4_BAD_VERSION);
}

static void
test_total_length_beyond_frame(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;

	(void)state;
	eth(&f, SRC, RTE_ETHER_TYPE_IPV4);
	ipv4(&f, 0x45, 29, IPPROTO_UDP, 0);	/* one byte more than sent */
	udp(&f, 1, 2);
	assert_int_equal(parse(&f, &md), SL_DROP_IPV4_BAD_TOTAL_LENGTH);
	eth(&f, SRC, RTE_ETHER_TYPE_IPV4);
	ipv4(&f, 0x45, 1500, IPPROTO_UDP, 0);
	udp(&f, 1, 2);
	assert_int_equal(parse(&f, &md), SL_DROP_IPV4_BAD_TOTAL_LENGTH);
	/* and shorter than its own header */
	eth(&f, SRC, RTE_ETHER_TYPE_IPV4);
	ipv4(&f, 0x45, 19, IPPROTO_UDP, 0);
	udp(&f, 1, 2);
	assert_int_equal(parse(&f, &md), SL_DROP_IPV4_BAD_TOTAL_LENGTH);
}

static void
test_truncated_l4(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;

	(void)state;
	/* total length covers 10 of TCP's 20 header bytes */
	eth(&f, SRC, RTE_ETHER_TYPE_IPV4);
	ipv4(&f, 0x45, 30, IPPROTO_TCP, 0);
	tcp(&f, 1, 2);
	assert_int_equal(parse(&f, &md), SL_DROP_L4_TRUNCATED);
	eth(&f, SRC, RTE_ETHER_TYPE_IPV4);
	ipv4(&f, 0x45, 24, IPPROTO_UDP, 0);
	udp(&f, 1, 2);
	f.len -= 4;
	assert_int_equal(parse(&f, &md), SL_DROP_L4_TRUNCATED);
}

static void
test_later_fragment_has_no_l4(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;
	uint8_t payload[8] = { 0 };

	(void)state;
	eth(&f, SRC, RTE_ETHER_TYPE_IPV4);
	ipv4(&f, 0x45, 28, IPPROTO_TCP, 185);	/* offset 1480 bytes */
	put(&f, payload, sizeof(payload));
	assert_int_equal(parse(&f, &md), SL_DROP_NONE);
	assert_true(md.flags & SL_META_FRAG);
	assert_false(md.flags & SL_META_L4);
}

static void
test_arp(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;

	(void)state;
	eth(&f, SRC, RTE_ETHER_TYPE_ARP);
	arp(&f, RTE_ARP_HRD_ETHER);
	assert_int_equal(parse(&f, &md), SL_DROP_NONE);
	assert_true(md.flags & SL_META_ARP);
	assert_int_equal(md.ip_src, IP4(192, 168, 1, 10));
	assert_int_equal(md.ip_dst, IP4(192, 168, 1, 20));

	f.len = 14 + 20;	/* fixed part and half the addresses */
	assert_int_equal(parse(&f, &md), SL_DROP_ARP_TRUNCATED);
	f.len = 14 + 5;
	assert_int_equal(parse(&f, &md), SL_DROP_ARP_TRUNCATED);

	eth(&f, SRC, RTE_ETHER_TYPE_ARP);
	arp(&f, 6 /* IEEE 802 */);
	assert_int_equal(parse(&f, &md), SL_DROP_NONE);
	assert_false(md.flags & SL_META_ARP);
}

/* The ARP header alone in a second segment that starts at an odd
 * address: read through a copy (UBSan saw a misaligned struct
 * rte_arp_hdr read in place). */
static void
test_arp_at_an_odd_address(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;
	struct rte_mbuf *m = rte_pktmbuf_alloc(sl_test_pool());
	struct rte_mbuf *tail = rte_pktmbuf_alloc(sl_test_pool());

	(void)state;
	eth(&f, SRC, RTE_ETHER_TYPE_ARP);
	arp(&f, RTE_ARP_HRD_ETHER);
	assert_non_null(m);
	assert_non_null(tail);
	memcpy(rte_pktmbuf_append(m, 14), f.b, 14);
	tail->data_off++;
	memcpy(rte_pktmbuf_append(tail, (uint16_t)(f.len - 14)), f.b + 14, f.len - 14u);
	assert_true((uintptr_t)rte_pktmbuf_mtod(tail, void *) & 1);
	assert_int_equal(rte_pktmbuf_chain(m, tail), 0);
	assert_int_equal(sl_parse_pkt(m, &md), SL_DROP_NONE);
	assert_true(md.flags & SL_META_ARP);
	assert_int_equal(md.ip_src, IP4(192, 168, 1, 10));
	assert_int_equal(md.ip_dst, IP4(192, 168, 1, 20));
	rte_pktmbuf_free(m);
}

static void
test_invalid_source_and_multicast_destination(void **state)
{
	static const uint8_t mcast[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
	struct frame f;
	struct sl_pkt_meta md;

	(void)state;
	eth(&f, mcast, RTE_ETHER_TYPE_IPV4);
	ipv4(&f, 0x45, 28, IPPROTO_UDP, 0);
	udp(&f, 1, 2);
	assert_int_equal(parse(&f, &md), SL_DROP_SRC_MAC_INVALID);
	udp_frame(&f);
	memset(f.b + 6, 0, 6);		/* all-zero source */
	assert_int_equal(parse(&f, &md), SL_DROP_SRC_MAC_INVALID);

	udp_frame(&f);
	memset(f.b, 0xff, 6);
	assert_int_equal(parse(&f, &md), SL_DROP_NONE);
	assert_true(md.flags & SL_META_DST_MCAST);
}

static void
test_headers_across_segments(void **state)
{
	struct frame f;
	struct sl_pkt_meta md;

	(void)state;
	eth(&f, SRC, RTE_ETHER_TYPE_VLAN);
	vlan(&f, 5, RTE_ETHER_TYPE_IPV4);
	ipv4(&f, 0x45, 40, IPPROTO_TCP, 0);
	tcp(&f, 7, 8080);
	/* split inside the VLAN tag, inside IPv4 and inside TCP */
	for (uint16_t cut = 14; cut < f.len; cut += 3) {
		memset(&md, 0xab, sizeof(md));
		assert_int_equal(parse_split(&f, cut, &md), SL_DROP_NONE);
		assert_int_equal(md.vlan_tci[0], 5);
		assert_int_equal(md.l4_dport, 8080);
		assert_int_equal(md.ip_dst, IP4(10, 0, 0, 2));
	}
	/* the Ethernet header itself split: refused by name */
	assert_int_equal(parse_split(&f, 10, &md), SL_DROP_ETH_SPLIT);
}

static void
assert_same_meta(const struct sl_pkt_meta *a, const struct sl_pkt_meta *b)
{
	assert_int_equal(a->in_port, b->in_port);
	assert_int_equal(a->network, b->network);
	assert_int_equal(a->out_port, b->out_port);
	assert_int_equal(a->ether_type, b->ether_type);
	assert_int_equal(a->vlan_tci[0], b->vlan_tci[0]);
	assert_int_equal(a->vlan_tci[1], b->vlan_tci[1]);
	assert_int_equal(a->outer_tpid, b->outer_tpid);
	assert_int_equal(a->nb_vlans, b->nb_vlans);
	assert_int_equal(a->pcp, b->pcp);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->l3_off, b->l3_off);
	assert_int_equal(a->ip_proto, b->ip_proto);
	assert_int_equal(a->l4_off, b->l4_off);
	assert_int_equal(a->l4_sport, b->l4_sport);
	assert_int_equal(a->l4_dport, b->l4_dport);
	assert_int_equal(a->ip_src, b->ip_src);
	assert_int_equal(a->ip_dst, b->ip_dst);
}

/* A frame in one segment may take the parser's shortcut for the common
 * case (IPv4/TCP/UDP, untagged or with one 802.1Q tag, read in place);
 * the same frame split after its Ethernet header always takes the general
 * path. Both must give the same verdict and fields for every variant, cut
 * at every length. */
static void
test_common_case_matches_general_parser(void **state)
{
	static const uint8_t protos[] = { IPPROTO_UDP, IPPROTO_TCP,
					  IPPROTO_ICMP, IPPROTO_GRE, 0 };
	static const uint8_t vhls[] = { 0x45, 0x46, 0x44, 0x55 };
	static const uint16_t frags[] = { 0, RTE_IPV4_HDR_DF_FLAG,
					  RTE_IPV4_HDR_MF_FLAG, 1, 0x1fff };
	static const int16_t total_delta[] = { 0, 1, -1, -8, -20 };
	static const uint8_t bad_src[6] = { 0x03, 0, 0, 0, 0, 1 };
	unsigned int frames = 0;

	(void)state;
	for (unsigned int v = 0; v < 2 * 2 * 2; v++)
	for (unsigned int p = 0; p < RTE_DIM(protos); p++)
	for (unsigned int h = 0; h < RTE_DIM(vhls); h++)
	for (unsigned int fr = 0; fr < RTE_DIM(frags); fr++)
	for (unsigned int t = 0; t < RTE_DIM(total_delta); t++) {
		uint16_t opts = (vhls[h] & 0xf) > 5 ? 4 * ((vhls[h] & 0xf) - 5) : 0;
		uint16_t l4 = protos[p] == IPPROTO_TCP ? 20 : 8;
		uint16_t total = (uint16_t)(20 + opts + l4 + total_delta[t]);
		struct frame f;

		eth(&f, v & 1 ? bad_src : SRC,
		    v & 2 ? RTE_ETHER_TYPE_VLAN : RTE_ETHER_TYPE_IPV4);
		if (v & 2)
			vlan(&f, 0x6007, RTE_ETHER_TYPE_IPV4);	/* PCP 3, VLAN 7 */
		if (v & 4)
			memset(f.b, 0xff, 6);	/* broadcast destination */
		ipv4(&f, vhls[h], total, protos[p], frags[fr]);
		memset(f.b + f.len, 0, opts);
		f.len += opts;
		if (protos[p] == IPPROTO_TCP)
			tcp(&f, 1000 + p, 2000 + t);
		else
			udp(&f, 1000 + p, 2000 + t);
		memset(f.b + f.len, 0, 6);	/* Ethernet padding */
		f.len += 6;
		for (uint16_t len = f.len; len > 0; len--) {
			struct frame cut = f;
			struct sl_pkt_meta one, two;
			enum sl_drop r1, r2;

			cut.len = len;
			memset(&one, 0xab, sizeof(one));
			memset(&two, 0xab, sizeof(two));
			r1 = parse(&cut, &one);
			r2 = parse_split(&cut, 14, &two);
			assert_int_equal(r1, r2);
			if (r1 == SL_DROP_NONE)
				assert_same_meta(&one, &two);
			frames++;
		}
	}
	assert_true(frames > 10000);
}

static void
test_burst_counts_and_compacts(void **state)
{
	struct sl_worker_stats st;
	struct rte_mbuf *pkts[4];
	struct frame good, bad;

	(void)state;
	memset(&st, 0, sizeof(st));
	udp_frame(&good);
	udp_frame(&bad);
	bad.len = 12;
	pkts[0] = to_mbuf(&bad, 0);
	pkts[1] = to_mbuf(&good, 0);
	pkts[2] = to_mbuf(&bad, 0);
	pkts[3] = to_mbuf(&good, 0);
	/* whatever a buffer's last use left in its metadata */
	for (int i = 0; i < 4; i++)
		*sl_meta(pkts[i]) = (struct sl_pkt_meta){ .in_port = 7,
							  .network = 9 };
	unsigned int before = rte_mempool_avail_count(sl_test_pool());

	/* received on port 2, a member of the switch's port 3 */
	assert_int_equal(sl_parse_burst(&st, &st.port[2], 3, pkts, 4), 2);
	assert_int_equal(st.drops[SL_DROP_ETH_TRUNCATED], 2);
	assert_int_equal(st.port[3].rx_dropped, 2);
	/* everything received is counted on the port it came in */
	assert_int_equal(st.port[2].rx_packets, 4);
	assert_int_equal(st.port[2].rx_bytes, 2 * good.len + 2 * bad.len);
	assert_int_equal(st.port[3].rx_packets, 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(sl_meta(pkts[i])->in_port, 3);
		assert_int_equal(sl_meta(pkts[i])->network, SL_NETWORK_NONE);
	}
	/* the dropped frames went back to the pool */
	assert_int_equal(rte_mempool_avail_count(sl_test_pool()), before + 2);
	assert_int_equal(rte_pktmbuf_pkt_len(pkts[0]), good.len);
	assert_int_equal(rte_pktmbuf_pkt_len(pkts[1]), good.len);
	rte_pktmbuf_free(pkts[0]);
	rte_pktmbuf_free(pkts[1]);
}

static void
test_drop_names_are_unique(void **state)
{
	(void)state;
	for (int a = 0; a < SL_DROP__COUNT; a++) {
		assert_true(strlen(sl_drop_name(a)) > 0);
		assert_true(strlen(sl_drop_help(a)) > 0);
		for (int b = a + 1; b < SL_DROP__COUNT; b++)
			assert_string_not_equal(sl_drop_name(a), sl_drop_name(b));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_udp),
		cmocka_unit_test(test_padding_after_ipv4_is_fine),
		cmocka_unit_test(test_vlan_and_qinq),
		cmocka_unit_test(test_three_tags_too_deep),
		cmocka_unit_test(test_truncated_ethernet),
		cmocka_unit_test(test_truncated_vlan),
		cmocka_unit_test(test_truncated_ipv4_header),
		cmocka_unit_test(test_ihl_below_five),
		cmocka_unit_test(test_bad_version),
		cmocka_unit_test(test_total_length_beyond_frame),
		cmocka_unit_test(test_truncated_l4),
		cmocka_unit_test(test_later_fragment_has_no_l4),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_arp_at_an_odd_address),
		cmocka_unit_test(test_invalid_source_and_multicast_destination),
		cmocka_unit_test(test_headers_across_segments),
		cmocka_unit_test(test_common_case_matches_general_parser),
		cmocka_unit_test(test_burst_counts_and_compacts),
		cmocka_unit_test(test_drop_names_are_unique),
	};

	if (sl_test_eal_init("test-parse") < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
