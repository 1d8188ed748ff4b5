/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private networks' tunnels, per packet.
 *  - ingress on a transport network: frames to the local endpoint's MAC
 *    and address are decapsulated (VXLAN, RFC 7348: UDP to 4789; GRE,
 *    RFC 2784/2890: with a key, carrying transparent Ethernet bridging);
 *    the key names the private network, the outer source address the
 *    remote port the inner frame enters by. ARP for the address and pings
 *    to it go to the control thread, which answers them.
 *  - egress to a remote port: the frame must fit the transport MTU once
 *    encapsulated, else it is dropped (and an IPv4 sender that set DF gets
 *    ICMP "fragmentation needed"); the remote's outer headers go in front
 *    and the packet leaves by the transport PIF's port, in the transport
 *    network (which tags it, or picks a bond member).
 */
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_memcpy.h>
#include <rte_udp.h>
#include <rte_vxlan.h>

#include "parse.h"
#include "sl_flow_hash.h"
#include "sl_pipeline.h"
#include "sl_tunnel.h"

#define GRE_F_CSUM 0x8000
#define GRE_F_ROUTING 0x4000
#define GRE_F_KEY 0x2000
#define GRE_F_SEQ 0x1000
#define GRE_VERSION 0x0007
#define VXLAN_F_VNI RTE_BE32(0x08000000)	/* the I flag */

static int
map_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct sl_dp_tunnel_map *)a)->key;
	uint64_t y = ((const struct sl_dp_tunnel_map *)b)->key;

	return x < y ? -1 : x > y;
}

void
sl_tunnel_map_sort(struct sl_dp_tunnel_map *map, uint16_t n)
{
	qsort(map, n, sizeof(*map), map_cmp);
}

/* The value of key, or -1. A handful of entries: a binary search. */
static int
map_find(const struct sl_dp_tunnel_map *map, uint16_t n, uint64_t key)
{
	uint16_t lo = 0, hi = n;

	while (lo < hi) {
		uint16_t mid = (uint16_t)((lo + hi) / 2);

		if (map[mid].key == key)
			return map[mid].value;
		if (map[mid].key < key)
			lo = (uint16_t)(mid + 1);
		else
			hi = mid;
	}
	return -1;
}

void
sl_tunnel_template(struct sl_dp_vtep *v, const struct sl_dp_transport *tr,
		   const struct rte_ether_addr *next_hop)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)v->hdr;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);

	memset(v->hdr, 0, sizeof(v->hdr));
	eth->dst_addr = *next_hop;
	eth->src_addr = tr->mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->src_addr = tr->ip;
	ip->dst_addr = v->ip;
	if (v->protocol == SL_DP_TUNNEL_VXLAN) {
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
		struct rte_vxlan_hdr *vx = (struct rte_vxlan_hdr *)(udp + 1);

		ip->next_proto_id = IPPROTO_UDP;
		udp->dst_port = RTE_BE16(SL_VXLAN_PORT);
		vx->vx_flags = VXLAN_F_VNI;	/* UDP checksum 0: allowed on IPv4 */
		v->hdr_len = SL_VXLAN_OUTER_LEN;
	} else {
		uint16_t *gre = (uint16_t *)(ip + 1);

		ip->next_proto_id = IPPROTO_GRE;
		gre[0] = RTE_BE16(GRE_F_KEY);
		gre[1] = RTE_BE16(SL_GRE_PROTO_TEB);
		v->hdr_len = SL_GRE_OUTER_LEN;
	}
}

/* Hand an ARP or ping for the local endpoint to the control thread. */
static enum sl_drop
punt(struct sl_worker *w, struct rte_mbuf *m)
{
	return rte_ring_mp_enqueue(w->dp->punt, m) == 0 ? SL_DROP_TAKEN :
							   SL_DROP_PUNT_FULL;
}

/* The key of a tunnel header at off, and where the inner frame starts. */
static enum sl_drop
read_header(const struct rte_mbuf *m, uint8_t proto, uint32_t off,
	    uint32_t *key, uint32_t *inner_off)
{
	if (proto == SL_DP_TUNNEL_VXLAN) {
		struct rte_vxlan_hdr buf;
		const struct rte_vxlan_hdr *vx;

		off += sizeof(struct rte_udp_hdr);
		vx = rte_pktmbuf_read(m, off, sizeof(*vx), &buf);
		if (!vx || !(vx->vx_flags & VXLAN_F_VNI))
			return SL_DROP_TUNNEL_BAD_HEADER;
		*key = rte_be_to_cpu_32(vx->vx_vni) >> 8;
		*inner_off = off + sizeof(*vx);
	} else {
		rte_be32_t buf[4], gre[4];
		const void *p = rte_pktmbuf_read(m, off, sizeof(gre[0]), buf);
		uint16_t flags, type;
		uint32_t csum, len;

		/* copied: the header sits on a 2-byte boundary in the frame */
		if (!p)
			return SL_DROP_TUNNEL_BAD_HEADER;
		memcpy(gre, p, sizeof(gre[0]));
		flags = (uint16_t)(rte_be_to_cpu_32(gre[0]) >> 16);
		type = (uint16_t)rte_be_to_cpu_32(gre[0]);
		if ((flags & (GRE_F_ROUTING | GRE_VERSION)) || !(flags & GRE_F_KEY) ||
		    type != SL_GRE_PROTO_TEB)
			return SL_DROP_TUNNEL_BAD_HEADER;
		/* RFC 2890: flags, [checksum], key, [sequence number]. The
		 * checksum is not verified: the inner frame is switched as
		 * any frame is, without one of its own */
		csum = !!(flags & GRE_F_CSUM);
		len = (uint32_t)sizeof(gre[0]) * (2 + csum + !!(flags & GRE_F_SEQ));
		p = rte_pktmbuf_read(m, off, len, buf);
		if (!p)
			return SL_DROP_TUNNEL_BAD_HEADER;
		memcpy(gre, p, len);
		*key = rte_be_to_cpu_32(gre[1 + csum]);
		*inner_off = off + len;
	}
	return SL_DROP_NONE;
}

static enum sl_drop
decap(struct sl_worker *w, const struct sl_snapshot *s, struct rte_mbuf *m,
      uint8_t proto, uint16_t transport, uint16_t *inner_network)
{
	struct sl_pkt_meta *md = sl_meta(m);
	struct rte_ipv4_hdr ip_buf;
	const struct rte_ipv4_hdr *ip;
	uint32_t ihl, end, key, inner_off, src;
	uint16_t remote;
	enum sl_drop why;
	int net, r;

	/* parse has checked the header and its lengths */
	ip = rte_pktmbuf_read(m, md->l3_off, sizeof(*ip), &ip_buf);
	ihl = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	end = md->l3_off + rte_be_to_cpu_16(ip->total_length);
	src = ip->src_addr;
	why = read_header(m, proto, md->l3_off + ihl, &key, &inner_off);
	if (why != SL_DROP_NONE)
		return why;
	if (end < inner_off + RTE_ETHER_HDR_LEN)
		return SL_DROP_TUNNEL_BAD_HEADER;
	net = map_find(s->keys, s->nb_keys, sl_tunnel_key_id(proto, key));
	if (net < 0)
		return SL_DROP_TUNNEL_UNKNOWN_KEY;
	r = map_find(s->remotes, s->nb_remotes,
		     sl_tunnel_remote_id(transport, proto, src));
	if (r < 0 || !sl_snapshot_member(s, (uint16_t)net, SL_VTEP_PORT(r)))
		return SL_DROP_TUNNEL_UNKNOWN_REMOTE;
	/* the outer headers (and the Ethernet padding behind the packet) go */
	if (rte_pktmbuf_data_len(m) < inner_off + RTE_ETHER_HDR_LEN)
		return SL_DROP_ETH_SPLIT;
	if (rte_pktmbuf_pkt_len(m) > end)
		rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - end));
	rte_pktmbuf_adj(m, (uint16_t)inner_off);
	remote = SL_VTEP_PORT(r);
	w->stats.port[remote].rx_packets++;
	w->stats.port[remote].rx_bytes += rte_pktmbuf_pkt_len(m);
	md->in_port = remote;
	why = sl_parse_pkt(m, md);
	if (why == SL_DROP_NONE)
		*inner_network = (uint16_t)net;
	return why;
}

enum sl_drop
sl_tunnel_ingress(struct sl_worker *w, const struct sl_snapshot *s,
		  struct rte_mbuf *m, uint16_t *inner_network)
{
	struct sl_pkt_meta *md = sl_meta(m);
	uint16_t t = s->networks[md->network].transport;
	const struct sl_dp_transport *tr = &s->transports[t];

	*inner_network = SL_NETWORK_NONE;
	if (md->in_port != tr->port || md->ip_dst != tr->ip ||
	    !(md->flags & (SL_META_ARP | SL_META_IPV4)))
		return SL_DROP_NONE;	/* not for the local endpoint */
	if (md->flags & SL_META_ARP)
		return punt(w, m);
	if (!rte_is_same_ether_addr(&rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->dst_addr,
				    &tr->mac))
		return SL_DROP_NONE;
	if (md->flags & SL_META_FRAG)
		return SL_DROP_TUNNEL_FRAGMENT;
	if (md->ip_proto == IPPROTO_UDP && (md->flags & SL_META_L4) &&
	    md->l4_dport == SL_VXLAN_PORT)
		return decap(w, s, m, SL_DP_TUNNEL_VXLAN, t, inner_network);
	if (md->ip_proto == IPPROTO_GRE)
		return decap(w, s, m, SL_DP_TUNNEL_GRE, t, inner_network);
	if (md->ip_proto == IPPROTO_ICMP && (md->flags & SL_META_L4) &&
	    md->l4_sport == RTE_IP_ICMP_ECHO_REQUEST)
		return punt(w, m);
	return SL_DROP_VTEP_UNHANDLED;
}

/*
 * ICMP errors a worker sends in a second, at most (RFC 1812 4.3.2.8: a
 * router limits them; Linux's icmp_msgs_per_sec is 1000 too): a flood of
 * oversized frames must not turn into a flood of ICMP back at its
 * senders. Frames past the budget are still dropped and counted; the
 * ICMP not sent is counted apart.
 */
static bool
icmp_error_allowed(struct sl_worker *w)
{
	if (w->icmp_second != w->now_s) {
		w->icmp_second = w->now_s;
		w->icmp_sent = 0;
	}
	if (w->icmp_sent >= SL_ICMP_ERRORS_PER_S) {
		w->stats.icmp_frag_needed_limited++;
		return false;
	}
	w->icmp_sent++;
	return true;
}

/*
 * Tell the IPv4 sender of m, which does not fit a tunnel, the largest
 * packet that would (RFC 1191): ICMP type 3 code 4, as from the address it
 * was sent to, back through the port it came in by. Only for DF packets,
 * never about an ICMP error or a non-first fragment.
 */
static void
frag_needed(struct sl_worker *w, const struct sl_snapshot *s,
	    struct rte_mbuf *m, uint16_t mtu)
{
	const struct sl_pkt_meta *md = sl_meta(m);
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	struct rte_ipv4_hdr ip_buf, *ip;
	const struct rte_ipv4_hdr *orig;
	struct rte_icmp_hdr *icmp;
	struct rte_ether_hdr *e;
	struct sl_pkt_meta *rmd;
	struct rte_mbuf *r;
	uint32_t ihl, quote;
	const void *q;
	uint8_t *p;

	if (!(md->flags & SL_META_IPV4) || md->in_port == SL_PORT_NONE ||
	    (md->ip_proto == IPPROTO_ICMP &&
	     md->l4_sport != RTE_IP_ICMP_ECHO_REQUEST &&
	     md->l4_sport != RTE_IP_ICMP_ECHO_REPLY))
		return;
	orig = rte_pktmbuf_read(m, md->l3_off, sizeof(*orig), &ip_buf);
	if (!orig || !(orig->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG)) ||
	    (orig->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK)))
		return;
	if (!icmp_error_allowed(w))
		return;
	ihl = (orig->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	/* the sender's IPv4 header and the first 8 bytes of its payload */
	quote = RTE_MIN(ihl + 8, rte_pktmbuf_pkt_len(m) - md->l3_off);
	r = rte_pktmbuf_alloc(w->pool);
	if (!r) {
		sl_count_drop(&w->stats, md->in_port, SL_DROP_MBUF_EXHAUSTED);
		return;
	}
	p = (uint8_t *)rte_pktmbuf_append(r, (uint16_t)(sizeof(*e) + sizeof(*ip) +
							sizeof(*icmp) + quote));
	if (!p) {	/* cannot happen: a few dozen bytes in an empty buffer */
		rte_pktmbuf_free(r);
		return;
	}
	e = (struct rte_ether_hdr *)p;
	e->dst_addr = eth->src_addr;
	e->src_addr = eth->dst_addr;
	e->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(e + 1);
	*ip = (struct rte_ipv4_hdr){
		.version_ihl = RTE_IPV4_VHL_DEF,
		.type_of_service = 0xc0,	/* internetwork control */
		.total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) +
							    sizeof(*icmp) + quote)),
		.time_to_live = 64,
		.next_proto_id = IPPROTO_ICMP,
		.src_addr = orig->dst_addr,
		.dst_addr = orig->src_addr,
	};
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	icmp = (struct rte_icmp_hdr *)(ip + 1);
	*icmp = (struct rte_icmp_hdr){
		.icmp_type = 3 /* destination unreachable */,
		.icmp_code = 4,	/* fragmentation needed and DF set */
		/* unused (16 bits), then the next-hop MTU */
		.icmp_seq_nb = rte_cpu_to_be_16(mtu),
	};
	/* read into place, or a pointer into m's first segment */
	q = rte_pktmbuf_read(m, md->l3_off, quote, icmp + 1);
	if (q != (const void *)(icmp + 1))
		rte_memcpy(icmp + 1, q, quote);
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, sizeof(*icmp) + quote);
	rmd = sl_meta(r);
	memset(rmd, 0, sizeof(*rmd));
	rmd->network = md->network;
	rmd->in_port = SL_PORT_NONE;
	rmd->out_port = md->in_port;
	w->stats.icmp_frag_needed++;
	sl_egress_emit(w, s, md->in_port, r);
}

void
sl_tunnel_encap(struct sl_worker *w, const struct sl_snapshot *s, uint16_t out,
		struct rte_mbuf *m)
{
	struct sl_pkt_meta *md = sl_meta(m);
	const struct sl_dp_vtep *v = &s->vteps[out - SL_VTEP_PORT(0)];
	const struct sl_dp_transport *tr = &s->transports[v->transport];
	uint32_t inner = rte_pktmbuf_pkt_len(m);
	uint32_t outer_l3 = inner + v->hdr_len - RTE_ETHER_HDR_LEN;
	struct rte_ipv4_hdr *ip;
	uint8_t *p;

	if (unlikely(!v->resolved)) {
		sl_drop_tx(&w->stats, m, out, SL_DROP_TUNNEL_UNRESOLVED);
		return;
	}
	if (unlikely(outer_l3 > tr->mtu)) {
		frag_needed(w, s, m, (uint16_t)(tr->mtu -
						(v->hdr_len - RTE_ETHER_HDR_LEN) -
						RTE_ETHER_HDR_LEN));
		sl_drop_tx(&w->stats, m, out, SL_DROP_TUNNEL_MTU_EXCEEDED);
		return;
	}
	/* VXLAN: the inner flow's hash, while m is still the inner frame */
	uint16_t sport = v->protocol == SL_DP_TUNNEL_VXLAN ?
			 (uint16_t)(49152 | (sl_flow_hash(m) & 0x3fff)) : 0;

	p = (uint8_t *)rte_pktmbuf_prepend(m, v->hdr_len);
	if (unlikely(!p)) {
		sl_drop_tx(&w->stats, m, out, SL_DROP_NO_HEADROOM);
		return;
	}
	rte_memcpy(p, v->hdr, v->hdr_len);
	ip = (struct rte_ipv4_hdr *)(p + RTE_ETHER_HDR_LEN);
	ip->total_length = rte_cpu_to_be_16((uint16_t)outer_l3);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (v->protocol == SL_DP_TUNNEL_VXLAN) {
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
		struct rte_vxlan_hdr *vx = (struct rte_vxlan_hdr *)(udp + 1);

		udp->src_port = rte_cpu_to_be_16(sport);
		udp->dgram_len = rte_cpu_to_be_16((uint16_t)(outer_l3 - sizeof(*ip)));
		vx->vx_vni = rte_cpu_to_be_32(s->networks[md->network].tunnel_key << 8);
	} else {
		rte_be32_t key = rte_cpu_to_be_32(s->networks[md->network].tunnel_key);

		memcpy((uint8_t *)(ip + 1) + 4, &key, sizeof(key));
	}
	w->stats.port[out].tx_packets++;
	w->stats.port[out].tx_bytes += inner;
	/* now a packet of the transport network, from its PIF */
	md->network = tr->network;
	sl_egress_emit(w, s, tr->port, m);
}
