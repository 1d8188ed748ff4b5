/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_prefetch.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "parse.h"

#define MAX_VLANS 2

static inline bool
is_vlan_type(uint16_t type)
{
	return type == RTE_ETHER_TYPE_VLAN || type == RTE_ETHER_TYPE_QINQ ||
	       type == RTE_ETHER_TYPE_QINQ1 || type == RTE_ETHER_TYPE_QINQ2;
}

/* Smallest header each L4 protocol must bring for its fields to be read. */
static uint16_t
l4_min_len(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return sizeof(struct rte_tcp_hdr);
	case IPPROTO_UDP:
		return sizeof(struct rte_udp_hdr);
	case IPPROTO_ICMP:
		return sizeof(struct rte_icmp_hdr);
	default:
		return 0;
	}
}

static enum sl_drop
parse_l4(const struct rte_mbuf *m, uint32_t off, uint32_t avail,
	 struct sl_pkt_meta *md)
{
	uint16_t need = l4_min_len(md->ip_proto);
	union {
		struct rte_tcp_hdr tcp;
		struct rte_udp_hdr udp;
		struct rte_icmp_hdr icmp;
	} buf;
	const void *h;

	if (need == 0)
		return SL_DROP_NONE;
	if (avail < need)
		return SL_DROP_L4_TRUNCATED;
	h = rte_pktmbuf_read(m, off, need, &buf);
	if (!h)
		return SL_DROP_L4_TRUNCATED;
	md->l4_off = (uint16_t)off;
	md->flags |= SL_META_L4;
	if (md->ip_proto == IPPROTO_ICMP) {
		const struct rte_icmp_hdr *icmp = h;

		md->l4_sport = icmp->icmp_type;
		md->l4_dport = icmp->icmp_code;
	} else {
		/* TCP and UDP both start with source and destination port. */
		const struct rte_udp_hdr *ports = h;

		md->l4_sport = rte_be_to_cpu_16(ports->src_port);
		md->l4_dport = rte_be_to_cpu_16(ports->dst_port);
	}
	return SL_DROP_NONE;
}

static enum sl_drop
parse_ipv4(const struct rte_mbuf *m, uint32_t off, struct sl_pkt_meta *md)
{
	uint32_t avail = rte_pktmbuf_pkt_len(m) - off;
	struct rte_ipv4_hdr buf;
	const struct rte_ipv4_hdr *ip;
	uint16_t ihl, total, frag;

	ip = rte_pktmbuf_read(m, off, sizeof(*ip), &buf);
	if (!ip)
		return SL_DROP_IPV4_TRUNCATED;
	if ((ip->version_ihl >> 4) != 4)
		return SL_DROP_IPV4_BAD_VERSION;
	ihl = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
	      RTE_IPV4_IHL_MULTIPLIER;
	if (ihl < sizeof(*ip))
		return SL_DROP_IPV4_BAD_IHL;
	if (ihl > avail)
		return SL_DROP_IPV4_TRUNCATED;
	total = rte_be_to_cpu_16(ip->total_length);
	/* The frame may be longer (Ethernet padding), never shorter. */
	if (total > avail || total < ihl)
		return SL_DROP_IPV4_BAD_TOTAL_LENGTH;

	md->flags |= SL_META_IPV4;
	md->ip_proto = ip->next_proto_id;
	md->ip_src = ip->src_addr;
	md->ip_dst = ip->dst_addr;
	frag = rte_be_to_cpu_16(ip->fragment_offset);
	if (frag & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
		md->flags |= SL_META_FRAG;
	/* Only the first fragment carries the L4 header. */
	if (frag & RTE_IPV4_HDR_OFFSET_MASK)
		return SL_DROP_NONE;
	return parse_l4(m, off + ihl, total - ihl, md);
}

static enum sl_drop
parse_arp(const struct rte_mbuf *m, uint32_t off, struct sl_pkt_meta *md)
{
	struct rte_arp_hdr buf;
	const struct rte_arp_hdr *arp;

	/* The fixed part (hardware/protocol types and lengths, opcode). */
	arp = sl_mbuf_copy(m, off, offsetof(struct rte_arp_hdr, arp_data), &buf);
	if (!arp)
		return SL_DROP_ARP_TRUNCATED;
	if (arp->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != 4)
		return SL_DROP_NONE;	/* not Ethernet/IPv4: switched as L2 */
	arp = sl_mbuf_copy(m, off, sizeof(*arp), &buf);
	if (!arp)
		return SL_DROP_ARP_TRUNCATED;
	md->flags |= SL_META_ARP;
	md->ip_src = arp->arp_data.arp_sip;
	md->ip_dst = arp->arp_data.arp_tip;
	return SL_DROP_NONE;
}

/* Written whole: values read back from md just after other stores to it
 * would wait for them (a store-forwarding stall). */
static inline void
meta_reset(struct sl_pkt_meta *md, uint16_t in_port, uint16_t network)
{
	*md = (struct sl_pkt_meta){
		.in_port = in_port,
		.network = network,
		.out_port = SL_OUT_NONE,
	};
}

/* Most frames are the common case: one segment holding Ethernet with at
 * most one 802.1Q tag, IPv4 without options, not a later fragment, and a
 * TCP or UDP header. It is recognised by a few compares and read in
 * place, where the general parser below takes each header through
 * rte_pktmbuf_read and its own checks. Fills md and returns true only for
 * a frame the general parser would accept with the same result (tests
 * compare the two on every frame); anything else, malformed frames
 * included, goes to it.
 *
 * The IPv4 part, for an IPv4 header at l3_off behind the tag tci (if
 * tagged): inlined once for each case with constants, so that untagged
 * frames pay nothing for tagged ones. */
static __rte_always_inline bool
parse_common_ipv4(const struct rte_mbuf *m, struct sl_pkt_meta *md,
		  uint16_t in_port, uint16_t network, uint16_t l3_off,
		  bool tagged, uint16_t tci)
{
	const struct rte_ether_hdr *eth =
		rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)
		((const uint8_t *)eth + l3_off);
	const struct rte_udp_hdr *ports = (const struct rte_udp_hdr *)(ip + 1);
	uint16_t total, l4_need;

	if (ip->version_ihl != RTE_IPV4_VHL_DEF ||
	    (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK)) ||
	    !rte_is_valid_assigned_ether_addr(&eth->src_addr))
		return false;
	if (ip->next_proto_id == IPPROTO_UDP)
		l4_need = sizeof(struct rte_udp_hdr);
	else if (ip->next_proto_id == IPPROTO_TCP)
		l4_need = sizeof(struct rte_tcp_hdr);
	else
		return false;
	total = rte_be_to_cpu_16(ip->total_length);
	if (total > rte_pktmbuf_data_len(m) - l3_off ||
	    total < sizeof(*ip) + l4_need)
		return false;

	*md = (struct sl_pkt_meta){
		.in_port = in_port,
		.network = network,
		.out_port = SL_OUT_NONE,
		.ether_type = RTE_ETHER_TYPE_IPV4,
		.vlan_tci = { tagged ? tci : 0 },
		.outer_tpid = tagged ? RTE_ETHER_TYPE_VLAN : 0,
		.nb_vlans = tagged,
		.flags = SL_META_IPV4 | SL_META_L4 |
			 (tagged ? SL_META_VLAN : 0) |
			 (rte_is_multicast_ether_addr(&eth->dst_addr) ?
			  SL_META_DST_MCAST : 0) |
			 (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_MF_FLAG) ?
			  SL_META_FRAG : 0),
		.l3_off = (uint8_t)l3_off,
		.ip_proto = ip->next_proto_id,
		.l4_off = l3_off + sizeof(*ip),
		.l4_sport = rte_be_to_cpu_16(ports->src_port),
		.l4_dport = rte_be_to_cpu_16(ports->dst_port),
		.ip_src = ip->src_addr,
		.ip_dst = ip->dst_addr,
	};
	return true;
}

/* Untagged: inline in the burst's loop. md->in_port and md->network are
 * set to the values given, which md need not hold yet. */
static inline bool
parse_common_untagged(const struct rte_mbuf *m, struct sl_pkt_meta *md,
		      uint16_t in_port, uint16_t network)
{
	const struct rte_ether_hdr *eth =
		rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	/* long enough for both headers before either is read */
	return m->nb_segs == 1 &&
	       rte_pktmbuf_data_len(m) >= sizeof(*eth) +
					  sizeof(struct rte_ipv4_hdr) +
					  sizeof(struct rte_udp_hdr) &&
	       eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
	       parse_common_ipv4(m, md, in_port, network, sizeof(*eth), false,
				 0);
}

/* One 802.1Q tag: taken out of line with the general parser. */
static inline bool
parse_common_tagged(const struct rte_mbuf *m, struct sl_pkt_meta *md,
		    uint16_t in_port, uint16_t network)
{
	const struct rte_ether_hdr *eth =
		rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_vlan_hdr *tag = (const struct rte_vlan_hdr *)(eth + 1);

	return m->nb_segs == 1 &&
	       rte_pktmbuf_data_len(m) >= sizeof(*eth) + sizeof(*tag) +
					  sizeof(struct rte_ipv4_hdr) +
					  sizeof(struct rte_udp_hdr) &&
	       eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_VLAN) &&
	       tag->eth_proto == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
	       parse_common_ipv4(m, md, in_port, network,
				 sizeof(*eth) + sizeof(*tag), true,
				 rte_be_to_cpu_16(tag->vlan_tci));
}

static enum sl_drop
parse_general(const struct rte_mbuf *m, struct sl_pkt_meta *md,
	      uint16_t in_port, uint16_t network)
{
	struct rte_ether_hdr eth_buf;
	struct rte_vlan_hdr vlan_buf;
	const struct rte_ether_hdr *eth;
	uint32_t off = sizeof(*eth);
	uint16_t type;

	meta_reset(md, in_port, network);
	eth = rte_pktmbuf_read(m, 0, sizeof(*eth), &eth_buf);
	if (!eth)
		return SL_DROP_ETH_TRUNCATED;
	/* Later stages read and rewrite the MACs in place. No PMD we drive
	 * splits them, but a chained mbuf could. */
	if (unlikely(rte_pktmbuf_data_len(m) < sizeof(*eth)))
		return SL_DROP_ETH_SPLIT;
	/* as the Linux bridge does: such a source can never be learned */
	if (!rte_is_valid_assigned_ether_addr(&eth->src_addr))
		return SL_DROP_SRC_MAC_INVALID;
	if (rte_is_multicast_ether_addr(&eth->dst_addr))
		md->flags |= SL_META_DST_MCAST;
	type = rte_be_to_cpu_16(eth->ether_type);
	while (is_vlan_type(type)) {
		const struct rte_vlan_hdr *vh;

		if (md->nb_vlans == MAX_VLANS)
			return SL_DROP_VLAN_TOO_DEEP;
		vh = rte_pktmbuf_read(m, off, sizeof(*vh), &vlan_buf);
		if (!vh)
			return SL_DROP_VLAN_TRUNCATED;
		if (md->nb_vlans == 0)
			md->outer_tpid = type;
		md->vlan_tci[md->nb_vlans++] = rte_be_to_cpu_16(vh->vlan_tci);
		md->flags |= SL_META_VLAN;
		type = rte_be_to_cpu_16(vh->eth_proto);
		off += sizeof(*vh);
	}
	md->ether_type = type;
	md->l3_off = (uint8_t)off;
	switch (type) {
	case RTE_ETHER_TYPE_IPV4:
		return parse_ipv4(m, off, md);
	case RTE_ETHER_TYPE_ARP:
		return parse_arp(m, off, md);
	default:
		return SL_DROP_NONE;
	}
}

/* Whatever is not an untagged common frame: out of line, so that the
 * burst's loop around the untagged case needs no stack frame. */
static __rte_noinline enum sl_drop
parse_rest(const struct rte_mbuf *m, struct sl_pkt_meta *md, uint16_t in_port,
	   uint16_t network)
{
	if (parse_common_tagged(m, md, in_port, network))
		return SL_DROP_NONE;
	return parse_general(m, md, in_port, network);
}

enum sl_drop
sl_parse_pkt(const struct rte_mbuf *m, struct sl_pkt_meta *md)
{
	uint16_t in_port = md->in_port, network = md->network;

	if (likely(parse_common_untagged(m, md, in_port, network)))
		return SL_DROP_NONE;
	return parse_rest(m, md, in_port, network);
}

/* How far ahead to prefetch packet data: one Ethernet+IPv4 header's worth
 * of work ahead is enough to hide a cache miss on the next frame. */
#define PREFETCH_AHEAD 4

uint16_t
sl_parse_burst(struct sl_worker_stats *st, struct sl_port_counters *rx,
	       uint16_t in_port, struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t bytes = 0;
	uint16_t kept = 0;

	for (uint16_t i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct sl_pkt_meta *md = sl_meta(m);
		enum sl_drop why;

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD],
						       void *));
		bytes += rte_pktmbuf_pkt_len(m);
		if (likely(parse_common_untagged(m, md, in_port,
						 SL_NETWORK_NONE))) {
			pkts[kept++] = m;
			continue;
		}
		why = parse_rest(m, md, in_port, SL_NETWORK_NONE);
		if (unlikely(why != SL_DROP_NONE))
			sl_drop_rx(st, m, why);
		else
			pkts[kept++] = m;
	}
	rx->rx_packets += n;
	rx->rx_bytes += bytes;
	return kept;
}
