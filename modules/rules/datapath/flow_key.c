/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A packet's OpenFlow key (sl_flow_key.h), built only for packets of a
 * port that has flows. The parser's metadata gives Ethernet, IPv4 and
 * the ports; what only flows look at (the VLAN as received, ARP's
 * hardware addresses and opcode, IPv6 and ICMPv6 neighbour discovery) is
 * read here, through rte_pktmbuf_read or a copy (segments, alignment).
 */
#include <string.h>

#include <netinet/in.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "parse.h"
#include "sl_flows.h"
#include "sl_meta.h"
#include "sl_snapshot.h"

#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT 136
#define ND_OPT_SOURCE_LINKADDR 1
#define ND_OPT_TARGET_LINKADDR 2
/* extension headers followed before giving up on the L4 header */
#define IPV6_MAX_EXT_HEADERS 8

void
sl_flow_key_arp(const struct rte_mbuf *m, const struct sl_pkt_meta *md,
		struct sl_flow_key *k)
{
	struct rte_arp_hdr copy;
	const struct rte_arp_hdr *a = sl_mbuf_copy(m, md->l3_off, sizeof(copy), &copy);

	if (!a)
		return;	/* the parser counted it; nothing to match */
	k->nw_proto = (uint8_t)rte_be_to_cpu_16(a->arp_opcode);
	k->nw_src = rte_be_to_cpu_32(a->arp_data.arp_sip);
	k->nw_dst = rte_be_to_cpu_32(a->arp_data.arp_tip);
	memcpy(k->arp_sha, a->arp_data.arp_sha.addr_bytes, RTE_ETHER_ADDR_LEN);
	memcpy(k->arp_tha, a->arp_data.arp_tha.addr_bytes, RTE_ETHER_ADDR_LEN);
}

/* Neighbour discovery: the target and the link-layer option (source for
 * a solicitation, target for an advertisement). A malformed option list
 * leaves the options unmatched, as Open vSwitch leaves them. */
static void
nd_fields(const struct rte_mbuf *m, uint32_t off, uint32_t end, uint8_t type,
	  struct sl_flow_key *k)
{
	uint8_t target[16], opt[8];
	const uint8_t *t = rte_pktmbuf_read(m, off + 8, sizeof(target), target);

	if (!t || off + 24 > end)
		return;
	memcpy(k->nd_target, t, sizeof(k->nd_target));
	for (off += 24; off + 8 <= end;) {
		const uint8_t *o = rte_pktmbuf_read(m, off, sizeof(opt), opt);
		uint32_t len = o ? o[1] * 8u : 0;

		if (!len || off + len > end)
			return;
		if (len == 8 && o[0] == ND_OPT_SOURCE_LINKADDR &&
		    type == ND_NEIGHBOR_SOLICIT)
			memcpy(k->arp_sha, o + 2, RTE_ETHER_ADDR_LEN);
		else if (len == 8 && o[0] == ND_OPT_TARGET_LINKADDR &&
			 type == ND_NEIGHBOR_ADVERT)
			memcpy(k->arp_tha, o + 2, RTE_ETHER_ADDR_LEN);
		off += len;
	}
}

void
sl_flow_key_ipv6(const struct rte_mbuf *m, const struct sl_pkt_meta *md,
		 struct sl_flow_key *k)
{
	struct rte_ipv6_hdr copy;
	const struct rte_ipv6_hdr *ip = sl_mbuf_copy(m, md->l3_off, sizeof(copy), &copy);
	uint32_t off = md->l3_off + sizeof(*ip), end;
	uint8_t nh, ext[8], l4_copy[4];
	const uint8_t *l4;

	if (!ip || (ip->vtc_flow & rte_cpu_to_be_32(0xf0000000)) !=
		   rte_cpu_to_be_32(0x60000000))
		return;
	memcpy(k->ipv6_src, ip->src_addr, sizeof(k->ipv6_src));
	memcpy(k->ipv6_dst, ip->dst_addr, sizeof(k->ipv6_dst));
	end = RTE_MIN(rte_pktmbuf_pkt_len(m),
		      off + rte_be_to_cpu_16(ip->payload_len));
	nh = ip->proto;
	for (unsigned i = 0; i < IPV6_MAX_EXT_HEADERS; i++) {
		const uint8_t *x;

		if (nh != IPPROTO_HOPOPTS && nh != IPPROTO_ROUTING &&
		    nh != IPPROTO_DSTOPTS && nh != IPPROTO_FRAGMENT &&
		    nh != IPPROTO_AH)
			break;
		x = rte_pktmbuf_read(m, off, sizeof(ext), ext);
		if (!x || off + sizeof(ext) > end)
			return;
		if (nh == IPPROTO_FRAGMENT) {
			/* a later fragment has no L4 header to match */
			if ((x[2] << 8 | x[3]) & 0xfff8) {
				k->nw_proto = x[0];
				return;
			}
			off += 8;
		} else {
			off += nh == IPPROTO_AH ? (x[1] + 2u) * 4 : (x[1] + 1u) * 8;
		}
		nh = x[0];
	}
	k->nw_proto = nh;
	if (nh != IPPROTO_TCP && nh != IPPROTO_UDP && nh != IPPROTO_SCTP &&
	    nh != IPPROTO_ICMPV6)
		return;
	if (off + sizeof(l4_copy) > end ||
	    !(l4 = rte_pktmbuf_read(m, off, sizeof(l4_copy), l4_copy)))
		return;
	if (nh != IPPROTO_ICMPV6) {
		k->tp_src = (uint16_t)(l4[0] << 8 | l4[1]);
		k->tp_dst = (uint16_t)(l4[2] << 8 | l4[3]);
		return;
	}
	k->tp_src = l4[0];	/* type */
	k->tp_dst = l4[1];	/* code */
	if ((l4[0] == ND_NEIGHBOR_SOLICIT || l4[0] == ND_NEIGHBOR_ADVERT) &&
	    l4[1] == 0)
		nd_fields(m, off, end, l4[0], k);
}
