/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Match codecs (see of_match.h). The rules follow Open vSwitch 3.1
 * (lib/ofp-match.c, lib/nx-match.c, lib/meta-flow.c) so that a flow reads
 * back from sluice exactly as it would from ovs-vswitchd.
 */
#include <string.h>

#include "of_match.h"

/* ---- helpers on the key ---- */

static bool
all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static bool
all_ones(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0xff)
			return false;
	return true;
}

void
of_key_apply_mask(struct sl_flow_key *key, const struct sl_flow_key *mask)
{
	uint8_t *k = (uint8_t *)key;
	const uint8_t *m = (const uint8_t *)mask;

	for (size_t i = 0; i < sizeof(*key); i++)
		k[i] &= m[i];
}

/* A netmask from OF1.0's count of wildcarded low bits. */
static uint32_t
wcbits_to_mask(uint32_t n)
{
	n &= 0x3f;
	return n >= 32 ? 0 : ~0u << n;
}

/* OVS counts the leading ones of the mask; a non-CIDR mask loses bits. */
static uint32_t
mask_to_wcbits(uint32_t m)
{
	uint32_t n = 0;

	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	return 32 - n;
}

static bool
is_ip_any(uint16_t dl_type)
{
	return dl_type == ETH_TYPE_IP || dl_type == ETH_TYPE_IPV6;
}

/* OVS's ofputil_normalize_match: clear what the dl_type and nw_proto do
 * not allow (OF1.0 and OF1.1 messages never fail for this). */
static void
normalize(struct sl_flow_key *key, struct sl_flow_key *mask)
{
	uint16_t t = key->dl_type;
	bool nw_addr = false, tp = false, nw_proto = false, sha = false,
	     tha = false, ipv6 = false, nd = false;

	if (t == ETH_TYPE_IP) {
		nw_proto = nw_addr = true;
		tp = key->nw_proto == IPPROTO_TCP_ || key->nw_proto == IPPROTO_UDP_ ||
		     key->nw_proto == IPPROTO_SCTP_ || key->nw_proto == IPPROTO_ICMP_;
	} else if (t == ETH_TYPE_IPV6) {
		nw_proto = ipv6 = true;
		tp = key->nw_proto == IPPROTO_TCP_ || key->nw_proto == IPPROTO_UDP_ ||
		     key->nw_proto == IPPROTO_SCTP_ || key->nw_proto == IPPROTO_ICMPV6_;
		if (key->nw_proto == IPPROTO_ICMPV6_) {
			if (key->tp_src == ND_SOLICIT)
				nd = sha = true;
			else if (key->tp_src == ND_ADVERT)
				nd = tha = true;
		}
	} else if (t == ETH_TYPE_ARP || t == ETH_TYPE_RARP) {
		nw_proto = nw_addr = sha = tha = true;
	}
	if (!nw_addr)
		mask->nw_src = mask->nw_dst = 0;
	if (!tp)
		mask->tp_src = mask->tp_dst = 0;
	if (!nw_proto)
		mask->nw_proto = 0;
	if (!sha)
		memset(mask->arp_sha, 0, 6);
	if (!tha)
		memset(mask->arp_tha, 0, 6);
	if (!ipv6) {
		memset(mask->ipv6_src, 0, 16);
		memset(mask->ipv6_dst, 0, 16);
	}
	if (!nd)
		memset(mask->nd_target, 0, 16);
	of_key_apply_mask(key, mask);
}

/* ---- OF1.0 ofp_match ----
 * wildcards(4) in_port(2) dl_src(6) dl_dst(6) dl_vlan(2) dl_vlan_pcp(1)
 * pad(1) dl_type(2) nw_tos(1) nw_proto(1) pad(2) nw_src(4) nw_dst(4)
 * tp_src(2) tp_dst(2) */

enum of_err
of_match10_decode(const uint8_t *p, struct sl_flow_key *key,
		  struct sl_flow_key *mask, bool *has_wildcards)
{
	uint32_t wc = of_get32(p) & OFPFW10_ALL;

	memset(key, 0, sizeof(*key));
	memset(mask, 0, sizeof(*mask));
	*has_wildcards = wc != 0;

	if (!(wc & OFPFW10_IN_PORT)) {
		key->in_port = of_get16(p + 4);
		mask->in_port = 0xffff;
	}
	if (!(wc & OFPFW10_DL_SRC)) {
		memcpy(key->dl_src, p + 6, 6);
		memset(mask->dl_src, 0xff, 6);
	}
	if (!(wc & OFPFW10_DL_DST)) {
		memcpy(key->dl_dst, p + 12, 6);
		memset(mask->dl_dst, 0xff, 6);
	}
	/* dl_vlan 0xffff: only frames without a tag (pcp then ignored, as
	 * OVS does for old controllers) */
	if (!(wc & OFPFW10_DL_VLAN) && of_get16(p + 18) == 0xffff) {
		key->vlan_tci = 0;
		mask->vlan_tci = 0xffff;
	} else {
		uint16_t m = 0;

		if (!(wc & OFPFW10_DL_VLAN_PCP))
			m |= 0xe000 | SL_FLOW_VLAN_PRESENT;
		if (!(wc & OFPFW10_DL_VLAN))
			m |= 0x0fff | SL_FLOW_VLAN_PRESENT;
		key->vlan_tci = (uint16_t)((of_get16(p + 18) & 0x0fff) |
					   ((p[20] << 13) & 0xe000) |
					   SL_FLOW_VLAN_PRESENT) & m;
		mask->vlan_tci = m;
	}
	if (!(wc & OFPFW10_DL_TYPE)) {
		key->dl_type = of_get16(p + 22);
		/* OF1.0's "no EtherType" (an 802.2 frame) */
		if (key->dl_type == 0x05ff)
			key->dl_type = 0x05ff;
		mask->dl_type = 0xffff;
	}
	if (!(wc & OFPFW10_NW_PROTO)) {
		key->nw_proto = p[25];
		mask->nw_proto = 0xff;
	}
	mask->nw_src = wcbits_to_mask(wc >> OFPFW10_NW_SRC_SHIFT);
	key->nw_src = of_get32(p + 28) & mask->nw_src;
	mask->nw_dst = wcbits_to_mask(wc >> OFPFW10_NW_DST_SHIFT);
	key->nw_dst = of_get32(p + 32) & mask->nw_dst;
	if (!(wc & OFPFW10_TP_SRC)) {
		key->tp_src = of_get16(p + 36);
		mask->tp_src = 0xffff;
	}
	if (!(wc & OFPFW10_TP_DST)) {
		key->tp_dst = of_get16(p + 38);
		mask->tp_dst = 0xffff;
	}
	normalize(key, mask);
	/* nw_tos: OF1.0 can say it, sluice's key cannot hold it. Only an IP
	 * match keeps it (OVS normalizes it away otherwise). */
	if (!(wc & OFPFW10_NW_TOS) && key->dl_type == ETH_TYPE_IP &&
	    mask->dl_type)
		return OFE_BMC_BAD_FIELD;
	return OFE_NONE;
}

void
of_match10_encode(const struct sl_flow_key *key,
		  const struct sl_flow_key *mask, uint8_t *out)
{
	uint32_t wc = OFPFW10_NW_TOS;

	memset(out, 0, OFP10_MATCH_LEN);
	if (!mask->in_port)
		wc |= OFPFW10_IN_PORT;
	if (!mask->dl_type)
		wc |= OFPFW10_DL_TYPE;
	if (!mask->nw_proto)
		wc |= OFPFW10_NW_PROTO;
	wc |= mask_to_wcbits(mask->nw_src) << OFPFW10_NW_SRC_SHIFT;
	wc |= mask_to_wcbits(mask->nw_dst) << OFPFW10_NW_DST_SHIFT;
	if (!mask->tp_src)
		wc |= OFPFW10_TP_SRC;
	if (!mask->tp_dst)
		wc |= OFPFW10_TP_DST;
	if (all_zero(mask->dl_src, 6))
		wc |= OFPFW10_DL_SRC;
	if (all_zero(mask->dl_dst, 6))
		wc |= OFPFW10_DL_DST;
	if (!mask->vlan_tci) {
		wc |= OFPFW10_DL_VLAN | OFPFW10_DL_VLAN_PCP;
	} else if ((mask->vlan_tci & SL_FLOW_VLAN_PRESENT) &&
		   !(key->vlan_tci & SL_FLOW_VLAN_PRESENT)) {
		of_set16(out + 18, 0xffff);
	} else {
		if (!(mask->vlan_tci & 0x0fff))
			wc |= OFPFW10_DL_VLAN;
		else
			of_set16(out + 18, key->vlan_tci & 0x0fff);
		if (!(mask->vlan_tci & 0xe000))
			wc |= OFPFW10_DL_VLAN_PCP;
		else
			out[20] = (uint8_t)(key->vlan_tci >> 13);
	}
	of_set32(out, wc);
	of_set16(out + 4, key->in_port);
	memcpy(out + 6, key->dl_src, 6);
	memcpy(out + 12, key->dl_dst, 6);
	of_set16(out + 22, key->dl_type);
	out[25] = key->nw_proto;
	of_set32(out + 28, key->nw_src);
	of_set32(out + 32, key->nw_dst);
	of_set16(out + 36, key->tp_src);
	of_set16(out + 38, key->tp_dst);
}

/* ---- OF1.1 standard match ----
 * type(2) length(2) in_port(4) wildcards(4) dl_src(6) dl_src_mask(6)
 * dl_dst(6) dl_dst_mask(6) dl_vlan(2) dl_vlan_pcp(1) pad(1) dl_type(2)
 * nw_tos(1) nw_proto(1) nw_src(4) nw_src_mask(4) nw_dst(4) nw_dst_mask(4)
 * tp_src(2) tp_dst(2) mpls_label(4) mpls_tc(1) pad(3) metadata(8)
 * metadata_mask(8). Masks are inverted: a 1 bit is a wildcard. */

enum of_err
of_match11_decode(const uint8_t *p, struct sl_flow_key *key,
		  struct sl_flow_key *mask)
{
	uint32_t wc = of_get32(p + 8);
	uint16_t t;

	memset(key, 0, sizeof(*key));
	memset(mask, 0, sizeof(*mask));
	if (!(wc & OFPFW11_IN_PORT)) {
		if (of_port_from11(of_get32(p + 4), &key->in_port))
			return OFE_BMC_BAD_VALUE;
		mask->in_port = 0xffff;
	}
	for (int i = 0; i < 6; i++) {
		mask->dl_src[i] = (uint8_t)~p[18 + i];
		key->dl_src[i] = p[12 + i] & mask->dl_src[i];
		mask->dl_dst[i] = (uint8_t)~p[30 + i];
		key->dl_dst[i] = p[24 + i] & mask->dl_dst[i];
	}
	if (!(wc & OFPFW11_DL_VLAN)) {
		uint16_t vid = of_get16(p + 36);

		if (vid == OFPVID11_NONE) {
			key->vlan_tci = 0;
			mask->vlan_tci = 0xffff;
		} else {
			if (vid == OFPVID11_ANY) {
				key->vlan_tci = SL_FLOW_VLAN_PRESENT;
				mask->vlan_tci = SL_FLOW_VLAN_PRESENT;
			} else if (vid < 4096) {
				key->vlan_tci = SL_FLOW_VLAN_PRESENT | vid;
				mask->vlan_tci = SL_FLOW_VLAN_PRESENT | 0x0fff;
			} else {
				return OFE_BMC_BAD_VALUE;
			}
			if (!(wc & OFPFW11_DL_VLAN_PCP)) {
				if (p[38] > 7)
					return OFE_BMC_BAD_VALUE;
				key->vlan_tci |= (uint16_t)(p[38] << 13);
				mask->vlan_tci |= 0xe000;
			}
		}
	}
	if (!(wc & OFPFW11_DL_TYPE)) {
		key->dl_type = of_get16(p + 40);
		mask->dl_type = 0xffff;
	}
	t = key->dl_type;
	if (t == ETH_TYPE_IP && !(wc & OFPFW11_NW_TOS))
		return OFE_BMC_BAD_FIELD;	/* no room for DSCP in the key */
	if (t == ETH_TYPE_IP || t == ETH_TYPE_ARP || t == ETH_TYPE_RARP) {
		if (!(wc & OFPFW11_NW_PROTO)) {
			key->nw_proto = p[43];
			mask->nw_proto = 0xff;
		}
		mask->nw_src = ~of_get32(p + 48);
		key->nw_src = of_get32(p + 44) & mask->nw_src;
		mask->nw_dst = ~of_get32(p + 56);
		key->nw_dst = of_get32(p + 52) & mask->nw_dst;
	}
	if (t == ETH_TYPE_IP) {
		switch (key->nw_proto) {
		case IPPROTO_ICMP_:
			if (!(wc & OFPFW11_TP_SRC)) {
				if (of_get16(p + 60) > 0xff)
					return OFE_BMC_BAD_FIELD;
				key->tp_src = of_get16(p + 60);
				mask->tp_src = 0xff;
			}
			if (!(wc & OFPFW11_TP_DST)) {
				if (of_get16(p + 62) > 0xff)
					return OFE_BMC_BAD_FIELD;
				key->tp_dst = of_get16(p + 62);
				mask->tp_dst = 0xff;
			}
			break;
		case IPPROTO_TCP_:
		case IPPROTO_UDP_:
		case IPPROTO_SCTP_:
			if (!(wc & OFPFW11_TP_SRC)) {
				key->tp_src = of_get16(p + 60);
				mask->tp_src = 0xffff;
			}
			if (!(wc & OFPFW11_TP_DST)) {
				key->tp_dst = of_get16(p + 62);
				mask->tp_dst = 0xffff;
			}
			break;
		default:
			break;	/* OF1.1 says to ignore them */
		}
	}
	if ((t == 0x8847 || t == 0x8848) &&
	    (wc & (OFPFW11_MPLS_LABEL | OFPFW11_MPLS_TC)) !=
	    (OFPFW11_MPLS_LABEL | OFPFW11_MPLS_TC))
		return OFE_BMC_BAD_FIELD;
	/* metadata_mask all ones: metadata wildcarded */
	if (!all_ones(p + 80, 8))
		return OFE_BMC_BAD_FIELD;
	return OFE_NONE;
}

void
of_match11_encode(const struct sl_flow_key *key,
		  const struct sl_flow_key *mask, uint8_t *out)
{
	uint32_t wc = OFPFW11_NW_TOS | OFPFW11_MPLS_LABEL | OFPFW11_MPLS_TC;

	memset(out, 0, OFP11_MATCH_LEN);
	of_set16(out, OFPMT_STANDARD);
	of_set16(out + 2, OFP11_MATCH_LEN);
	if (!mask->in_port)
		wc |= OFPFW11_IN_PORT;
	else
		of_set32(out + 4, of_port_to11(key->in_port));
	for (int i = 0; i < 6; i++) {
		out[12 + i] = key->dl_src[i];
		out[18 + i] = (uint8_t)~mask->dl_src[i];
		out[24 + i] = key->dl_dst[i];
		out[30 + i] = (uint8_t)~mask->dl_dst[i];
	}
	if (!mask->vlan_tci) {
		wc |= OFPFW11_DL_VLAN | OFPFW11_DL_VLAN_PCP;
	} else if ((mask->vlan_tci & SL_FLOW_VLAN_PRESENT) &&
		   !(key->vlan_tci & SL_FLOW_VLAN_PRESENT)) {
		of_set16(out + 36, OFPVID11_NONE);
		wc |= OFPFW11_DL_VLAN_PCP;
	} else {
		if (!(mask->vlan_tci & 0x0fff))
			of_set16(out + 36, OFPVID11_ANY);
		else
			of_set16(out + 36, key->vlan_tci & 0x0fff);
		if (!(mask->vlan_tci & 0xe000))
			wc |= OFPFW11_DL_VLAN_PCP;
		else
			out[38] = (uint8_t)(key->vlan_tci >> 13);
	}
	if (!mask->dl_type)
		wc |= OFPFW11_DL_TYPE;
	else
		of_set16(out + 40, key->dl_type);
	if (!mask->nw_proto)
		wc |= OFPFW11_NW_PROTO;
	else
		out[43] = key->nw_proto;
	of_set32(out + 44, key->nw_src);
	of_set32(out + 48, ~mask->nw_src);
	of_set32(out + 52, key->nw_dst);
	of_set32(out + 56, ~mask->nw_dst);
	if (!mask->tp_src)
		wc |= OFPFW11_TP_SRC;
	else
		of_set16(out + 60, key->tp_src);
	if (!mask->tp_dst)
		wc |= OFPFW11_TP_DST;
	else
		of_set16(out + 62, key->tp_dst);
	memset(out + 80, 0xff, 8);	/* metadata: all wildcarded */
	of_set32(out + 8, wc);
}

/* ---- NXM and OXM ----
 * A header: class(16) field(7) hasmask(1) length(8); then the value and,
 * with hasmask, a mask of the same width. NXM's classes are 0 and 1, OXM's
 * basic class 0x8000; OVS takes either in either message, so do we. */

enum fld {
	F_IN_PORT, F_IN_PORT32, F_ETH_DST, F_ETH_SRC, F_ETH_TYPE, F_VLAN_TCI,
	F_VLAN_VID, F_VLAN_PCP, F_IP_PROTO, F_IP_SRC, F_IP_DST, F_TCP_SRC,
	F_TCP_DST, F_UDP_SRC, F_UDP_DST, F_SCTP_SRC, F_SCTP_DST, F_ICMP_TYPE,
	F_ICMP_CODE, F_ARP_OP, F_ARP_SPA, F_ARP_TPA, F_ARP_SHA, F_ARP_THA,
	F_IPV6_SRC, F_IPV6_DST, F_ICMPV6_TYPE, F_ICMPV6_CODE, F_ND_TARGET,
	F_ND_SLL, F_ND_TLL, F_COOKIE, F_UNSUPPORTED,
};

enum prereq {
	P_NONE, P_VLAN, P_IPV4, P_IPV6, P_IP_ANY, P_ARP, P_TCP, P_UDP, P_SCTP,
	P_ICMPV4, P_ICMPV6, P_ND, P_ND_SOLICIT, P_ND_ADVERT,
};

struct tlv_field {
	uint16_t cls;
	uint8_t field;
	uint8_t width;
	bool maskable;
	enum prereq prereq;
	enum fld id;
};

#define NXM0 0x0000
#define NXM1 0x0001
#define OXM 0x8000

static const struct tlv_field fields[] = {
	{ NXM0, 0, 2, false, P_NONE, F_IN_PORT },
	{ NXM0, 1, 6, true, P_NONE, F_ETH_DST },
	{ NXM0, 2, 6, true, P_NONE, F_ETH_SRC },
	{ NXM0, 3, 2, false, P_NONE, F_ETH_TYPE },
	{ NXM0, 4, 2, true, P_NONE, F_VLAN_TCI },
	{ NXM0, 5, 1, false, P_IP_ANY, F_UNSUPPORTED },	/* IP_TOS */
	{ NXM0, 6, 1, false, P_IP_ANY, F_IP_PROTO },
	{ NXM0, 7, 4, true, P_IPV4, F_IP_SRC },
	{ NXM0, 8, 4, true, P_IPV4, F_IP_DST },
	{ NXM0, 9, 2, true, P_TCP, F_TCP_SRC },
	{ NXM0, 10, 2, true, P_TCP, F_TCP_DST },
	{ NXM0, 11, 2, true, P_UDP, F_UDP_SRC },
	{ NXM0, 12, 2, true, P_UDP, F_UDP_DST },
	{ NXM0, 13, 1, false, P_ICMPV4, F_ICMP_TYPE },
	{ NXM0, 14, 1, false, P_ICMPV4, F_ICMP_CODE },
	{ NXM0, 15, 2, false, P_ARP, F_ARP_OP },
	{ NXM0, 16, 4, true, P_ARP, F_ARP_SPA },
	{ NXM0, 17, 4, true, P_ARP, F_ARP_TPA },
	{ NXM1, 17, 6, true, P_ARP, F_ARP_SHA },
	{ NXM1, 18, 6, true, P_ARP, F_ARP_THA },
	{ NXM1, 19, 16, true, P_IPV6, F_IPV6_SRC },
	{ NXM1, 20, 16, true, P_IPV6, F_IPV6_DST },
	{ NXM1, 21, 1, false, P_ICMPV6, F_ICMPV6_TYPE },
	{ NXM1, 22, 1, false, P_ICMPV6, F_ICMPV6_CODE },
	{ NXM1, 23, 16, true, P_ND, F_ND_TARGET },
	{ NXM1, 24, 6, true, P_ND_SOLICIT, F_ND_SLL },
	{ NXM1, 25, 6, true, P_ND_ADVERT, F_ND_TLL },
	{ NXM1, 30, 8, true, P_NONE, F_COOKIE },
	{ OXM, 0, 4, false, P_NONE, F_IN_PORT32 },
	{ OXM, 3, 6, true, P_NONE, F_ETH_DST },
	{ OXM, 4, 6, true, P_NONE, F_ETH_SRC },
	{ OXM, 5, 2, false, P_NONE, F_ETH_TYPE },
	{ OXM, 6, 2, true, P_NONE, F_VLAN_VID },
	{ OXM, 7, 1, false, P_VLAN, F_VLAN_PCP },
	{ OXM, 8, 1, false, P_IP_ANY, F_UNSUPPORTED },	/* IP_DSCP */
	{ OXM, 9, 1, false, P_IP_ANY, F_UNSUPPORTED },	/* IP_ECN */
	{ OXM, 10, 1, false, P_IP_ANY, F_IP_PROTO },
	{ OXM, 11, 4, true, P_IPV4, F_IP_SRC },
	{ OXM, 12, 4, true, P_IPV4, F_IP_DST },
	{ OXM, 13, 2, true, P_TCP, F_TCP_SRC },
	{ OXM, 14, 2, true, P_TCP, F_TCP_DST },
	{ OXM, 15, 2, true, P_UDP, F_UDP_SRC },
	{ OXM, 16, 2, true, P_UDP, F_UDP_DST },
	{ OXM, 17, 2, true, P_SCTP, F_SCTP_SRC },
	{ OXM, 18, 2, true, P_SCTP, F_SCTP_DST },
	{ OXM, 19, 1, false, P_ICMPV4, F_ICMP_TYPE },
	{ OXM, 20, 1, false, P_ICMPV4, F_ICMP_CODE },
	{ OXM, 21, 2, false, P_ARP, F_ARP_OP },
	{ OXM, 22, 4, true, P_ARP, F_ARP_SPA },
	{ OXM, 23, 4, true, P_ARP, F_ARP_TPA },
	{ OXM, 24, 6, true, P_ARP, F_ARP_SHA },
	{ OXM, 25, 6, true, P_ARP, F_ARP_THA },
	{ OXM, 26, 16, true, P_IPV6, F_IPV6_SRC },
	{ OXM, 27, 16, true, P_IPV6, F_IPV6_DST },
	{ OXM, 29, 1, false, P_ICMPV6, F_ICMPV6_TYPE },
	{ OXM, 30, 1, false, P_ICMPV6, F_ICMPV6_CODE },
	{ OXM, 31, 16, true, P_ND, F_ND_TARGET },
	{ OXM, 32, 6, true, P_ND_SOLICIT, F_ND_SLL },
	{ OXM, 33, 6, true, P_ND_ADVERT, F_ND_TLL },
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static bool
prereq_ok(enum prereq pr, const struct sl_flow_key *k)
{
	uint16_t t = k->dl_type;
	bool nd;

	switch (pr) {
	case P_NONE:
		return true;
	case P_VLAN:
		return k->vlan_tci & SL_FLOW_VLAN_PRESENT;
	case P_IPV4:
		return t == ETH_TYPE_IP;
	case P_IPV6:
		return t == ETH_TYPE_IPV6;
	case P_IP_ANY:
		return is_ip_any(t);
	case P_ARP:
		return t == ETH_TYPE_ARP || t == ETH_TYPE_RARP;
	case P_TCP:
		return is_ip_any(t) && k->nw_proto == IPPROTO_TCP_;
	case P_UDP:
		return is_ip_any(t) && k->nw_proto == IPPROTO_UDP_;
	case P_SCTP:
		return is_ip_any(t) && k->nw_proto == IPPROTO_SCTP_;
	case P_ICMPV4:
		return t == ETH_TYPE_IP && k->nw_proto == IPPROTO_ICMP_;
	case P_ICMPV6:
		return t == ETH_TYPE_IPV6 && k->nw_proto == IPPROTO_ICMPV6_;
	case P_ND:
	case P_ND_SOLICIT:
	case P_ND_ADVERT:
		nd = t == ETH_TYPE_IPV6 && k->nw_proto == IPPROTO_ICMPV6_ &&
		     k->tp_dst == 0 &&
		     (k->tp_src == ND_SOLICIT || k->tp_src == ND_ADVERT);
		if (pr == P_ND_SOLICIT)
			return nd && k->tp_src == ND_SOLICIT;
		if (pr == P_ND_ADVERT)
			return nd && k->tp_src == ND_ADVERT;
		return nd;
	}
	return false;
}

static const struct tlv_field *
find_field(uint16_t cls, uint8_t field)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		if (fields[i].cls == cls && fields[i].field == field)
			return &fields[i];
	return NULL;
}

/* Where a field lives in the key: byte offset and size, plus for the
 * 16-bit fields that share a word (VLAN VID/PCP) the bits it owns. */
struct slot {
	size_t off, size;
	uint16_t bits;	/* 16-bit slots: which bits; 0: all */
};

static struct slot
slot_of(enum fld id)
{
	const struct sl_flow_key *k = NULL;
	struct slot s = { 0, 0, 0 };

#define SLOT(f) { s.off = offsetof(struct sl_flow_key, f); \
		  s.size = sizeof(k->f); }
	switch (id) {
	case F_IN_PORT: case F_IN_PORT32: SLOT(in_port); break;
	case F_ETH_DST: SLOT(dl_dst); break;
	case F_ETH_SRC: SLOT(dl_src); break;
	case F_ETH_TYPE: SLOT(dl_type); break;
	case F_VLAN_TCI: SLOT(vlan_tci); break;
	case F_VLAN_VID: SLOT(vlan_tci); s.bits = 0x1fff; break;
	case F_VLAN_PCP: SLOT(vlan_tci); s.bits = 0xe000; break;
	case F_IP_PROTO: case F_ARP_OP: SLOT(nw_proto); break;
	case F_IP_SRC: case F_ARP_SPA: SLOT(nw_src); break;
	case F_IP_DST: case F_ARP_TPA: SLOT(nw_dst); break;
	case F_TCP_SRC: case F_UDP_SRC: case F_SCTP_SRC: case F_ICMP_TYPE:
	case F_ICMPV6_TYPE:
		SLOT(tp_src); break;
	case F_TCP_DST: case F_UDP_DST: case F_SCTP_DST: case F_ICMP_CODE:
	case F_ICMPV6_CODE:
		SLOT(tp_dst); break;
	case F_ARP_SHA: case F_ND_SLL: SLOT(arp_sha); break;
	case F_ARP_THA: case F_ND_TLL: SLOT(arp_tha); break;
	case F_IPV6_SRC: SLOT(ipv6_src); break;
	case F_IPV6_DST: SLOT(ipv6_dst); break;
	case F_ND_TARGET: SLOT(nd_target); break;
	default: break;
	}
#undef SLOT
	return s;
}

static bool
slot_is_wild(const struct sl_flow_key *mask, struct slot s)
{
	const uint8_t *m = (const uint8_t *)mask + s.off;

	if (s.bits)
		return !(mask->vlan_tci & s.bits);
	return all_zero(m, s.size);
}

/* Stores one decoded entry: v and m are width bytes, network order. */
static enum of_err
store(const struct tlv_field *f, const uint8_t *v, const uint8_t *m,
      struct sl_flow_key *key, struct sl_flow_key *mask)
{
	uint16_t v16 = 0, m16 = 0;
	uint32_t v32, m32;

	switch (f->id) {
	case F_IN_PORT:
		key->in_port = of_get16(v);
		mask->in_port = 0xffff;
		break;
	case F_IN_PORT32:
		if (of_port_from11(of_get32(v), &key->in_port))
			return OFE_BMC_BAD_VALUE;
		mask->in_port = 0xffff;
		break;
	case F_ETH_TYPE:
		key->dl_type = of_get16(v);
		mask->dl_type = 0xffff;
		break;
	case F_VLAN_TCI:
		mask->vlan_tci = of_get16(m);
		key->vlan_tci = of_get16(v) & mask->vlan_tci;
		break;
	case F_VLAN_VID:
		/* OFPVID_PRESENT is the CFI bit of the TCI */
		v16 = of_get16(v);
		m16 = of_get16(m) & 0x1fff;
		if (v16 & 0xe000)
			return OFE_BMC_BAD_VALUE;
		mask->vlan_tci = (uint16_t)((mask->vlan_tci & 0xe000) | m16);
		key->vlan_tci = (uint16_t)((key->vlan_tci & 0xe000) | (v16 & m16));
		break;
	case F_VLAN_PCP:
		if (v[0] > 7)
			return OFE_BMC_BAD_VALUE;
		mask->vlan_tci |= 0xe000;
		key->vlan_tci = (uint16_t)((key->vlan_tci & 0x1fff) | v[0] << 13);
		break;
	case F_IP_PROTO:
		key->nw_proto = v[0];
		mask->nw_proto = 0xff;
		break;
	case F_ARP_OP:
		/* OVS keeps the low byte only */
		if (v[0])
			return OFE_BMC_BAD_VALUE;
		key->nw_proto = v[1];
		mask->nw_proto = 0xff;
		break;
	case F_ICMP_TYPE: case F_ICMP_CODE: case F_ICMPV6_TYPE:
	case F_ICMPV6_CODE:
		v16 = v[0];
		m16 = 0xff;	/* OVS's mask for a one-byte ICMP field */
		goto set16;
	case F_TCP_SRC: case F_TCP_DST: case F_UDP_SRC: case F_UDP_DST:
	case F_SCTP_SRC: case F_SCTP_DST:
		m16 = of_get16(m);
		v16 = of_get16(v) & m16;
set16: {
		struct slot s = slot_of(f->id);

		memcpy((uint8_t *)mask + s.off, &m16, 2);
		memcpy((uint8_t *)key + s.off, &v16, 2);
		break;
	}
	case F_IP_SRC: case F_IP_DST: case F_ARP_SPA: case F_ARP_TPA: {
		struct slot s = slot_of(f->id);

		m32 = of_get32(m);
		v32 = of_get32(v) & m32;
		memcpy((uint8_t *)mask + s.off, &m32, 4);
		memcpy((uint8_t *)key + s.off, &v32, 4);
		break;
	}
	default: {
		/* byte arrays: MACs, IPv6 addresses */
		struct slot s = slot_of(f->id);
		uint8_t *kk = (uint8_t *)key + s.off, *mm = (uint8_t *)mask + s.off;

		for (size_t i = 0; i < s.size; i++) {
			mm[i] = m[i];
			kk[i] = v[i] & m[i];
		}
		break;
	}
	}
	return OFE_NONE;
}

enum of_err
of_tlv_decode(const uint8_t *p, size_t len, struct sl_flow_key *key,
	      struct sl_flow_key *mask, uint64_t *cookie, uint64_t *cookie_mask)
{
	static const uint8_t ones[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	bool have_cookie = false;
	size_t off = 0;

	memset(key, 0, sizeof(*key));
	memset(mask, 0, sizeof(*mask));
	if (cookie)
		*cookie = *cookie_mask = 0;

	while (off < len) {
		const struct tlv_field *f;
		uint32_t h;
		uint16_t cls;
		uint8_t field, plen;
		bool hasmask;
		const uint8_t *v, *m;
		enum of_err e;

		if (len - off < 4)
			return OFE_BMC_BAD_LEN;
		h = of_get32(p + off);
		cls = (uint16_t)(h >> 16);
		field = (uint8_t)((h >> 9) & 0x7f);
		hasmask = h & 0x100;
		plen = (uint8_t)h;
		if (cls == 0xffff) {
			/* experimenter OXM: an 8-byte header; none we know */
			if (plen < 4 || len - off < 8)
				return OFE_BMC_BAD_LEN;
		}
		off += 4;
		if (len - off < plen)
			return OFE_BMC_BAD_LEN;
		f = cls == 0xffff ? NULL : find_field(cls, field);
		if (!f || f->width * (hasmask ? 2u : 1u) != plen ||
		    (f->id == F_COOKIE && !cookie))
			return OFE_BMC_BAD_FIELD;
		v = p + off;
		m = hasmask ? v + f->width : ones;
		off += plen;

		/* a 1 bit in the value under a 0 bit of the mask */
		for (unsigned i = 0; hasmask && i < f->width; i++)
			if (v[i] & ~m[i])
				return OFE_BMC_BAD_WILDCARDS;
		if (!f->maskable && hasmask && !all_zero(m, f->width) &&
		    !all_ones(m, f->width))
			return OFE_BMC_BAD_MASK;
		if (f->id == F_COOKIE) {
			if (have_cookie)
				return OFE_BMC_DUP_FIELD;
			have_cookie = true;
			*cookie = of_get64(v);
			*cookie_mask = of_get64(m);
			continue;
		}
		if (!prereq_ok(f->prereq, key))
			return OFE_BMC_BAD_PREREQ;
		if (f->id == F_UNSUPPORTED)
			return OFE_BMC_BAD_FIELD;
		if (!slot_is_wild(mask, slot_of(f->id)))
			return OFE_BMC_DUP_FIELD;
		e = store(f, v, m, key, mask);
		if (e)
			return e;
	}
	return OFE_NONE;
}

/* ---- encoding ---- */

static void
put_entry(struct of_buf *b, uint16_t cls, uint8_t field, const uint8_t *v,
	  const uint8_t *m, uint8_t width)
{
	bool masked;

	if (all_zero(m, width))
		return;
	masked = !all_ones(m, width);
	of_buf_put32(b, (uint32_t)cls << 16 | (uint32_t)field << 9 |
			(masked ? 0x100u : 0) | (uint32_t)(masked ? 2 * width : width));
	for (unsigned i = 0; i < width; i++)
		of_buf_put8(b, v[i] & m[i]);
	if (masked)
		of_buf_put_bytes(b, m, width);
}

static void
put16(struct of_buf *b, uint16_t cls, uint8_t field, uint16_t v, uint16_t m)
{
	uint8_t vv[2], mm[2];

	of_set16(vv, v);
	of_set16(mm, m);
	put_entry(b, cls, field, vv, mm, 2);
}

static void
put32(struct of_buf *b, uint16_t cls, uint8_t field, uint32_t v, uint32_t m)
{
	uint8_t vv[4], mm[4];

	of_set32(vv, v);
	of_set32(mm, m);
	put_entry(b, cls, field, vv, mm, 4);
}

static void
put8(struct of_buf *b, uint16_t cls, uint8_t field, uint8_t v, uint8_t m)
{
	put_entry(b, cls, field, &v, &m, 1);
}

size_t
of_tlv_encode(struct of_buf *b, const struct sl_flow_key *key,
	      const struct sl_flow_key *mask, bool oxm)
{
	size_t start = b->len;
	uint16_t t = mask->dl_type ? key->dl_type : 0;
	uint16_t c0 = oxm ? OXM : NXM0, c1 = oxm ? OXM : NXM1;

	if (mask->in_port) {
		if (oxm)
			put32(b, OXM, 0, of_port_to11(key->in_port), 0xffffffff);
		else
			put16(b, NXM0, 0, key->in_port, 0xffff);
	}
	put_entry(b, c0, oxm ? 4 : 2, key->dl_src, mask->dl_src, 6);
	put_entry(b, c0, oxm ? 3 : 1, key->dl_dst, mask->dl_dst, 6);
	put16(b, c0, oxm ? 5 : 3, key->dl_type, mask->dl_type);
	if (oxm) {
		uint16_t vid = key->vlan_tci & 0x1fff, vm = mask->vlan_tci & 0x1fff;

		put16(b, OXM, 6, vid, vm);
		if (vid && (mask->vlan_tci & 0xe000))
			put8(b, OXM, 7, (uint8_t)(key->vlan_tci >> 13), 0xff);
	} else {
		put16(b, NXM0, 4, key->vlan_tci, mask->vlan_tci);
	}

	if (is_ip_any(t)) {
		if (t == ETH_TYPE_IP) {
			put32(b, c0, oxm ? 11 : 7, key->nw_src, mask->nw_src);
			put32(b, c0, oxm ? 12 : 8, key->nw_dst, mask->nw_dst);
		} else {
			put_entry(b, c1, oxm ? 26 : 19, key->ipv6_src, mask->ipv6_src, 16);
			put_entry(b, c1, oxm ? 27 : 20, key->ipv6_dst, mask->ipv6_dst, 16);
		}
		if (mask->nw_proto) {
			uint8_t pr = key->nw_proto;

			put8(b, c0, oxm ? 10 : 6, pr, 0xff);
			if (pr == IPPROTO_TCP_) {
				put16(b, c0, oxm ? 13 : 9, key->tp_src, mask->tp_src);
				put16(b, c0, oxm ? 14 : 10, key->tp_dst, mask->tp_dst);
			} else if (pr == IPPROTO_UDP_) {
				put16(b, c0, oxm ? 15 : 11, key->tp_src, mask->tp_src);
				put16(b, c0, oxm ? 16 : 12, key->tp_dst, mask->tp_dst);
			} else if (pr == IPPROTO_SCTP_ && oxm) {
				put16(b, OXM, 17, key->tp_src, mask->tp_src);
				put16(b, OXM, 18, key->tp_dst, mask->tp_dst);
			} else if (pr == IPPROTO_ICMP_ && t == ETH_TYPE_IP) {
				if (mask->tp_src)
					put8(b, c0, oxm ? 19 : 13, (uint8_t)key->tp_src, 0xff);
				if (mask->tp_dst)
					put8(b, c0, oxm ? 20 : 14, (uint8_t)key->tp_dst, 0xff);
			} else if (pr == IPPROTO_ICMPV6_ && t == ETH_TYPE_IPV6) {
				if (mask->tp_src)
					put8(b, c1, oxm ? 29 : 21, (uint8_t)key->tp_src, 0xff);
				if (mask->tp_dst)
					put8(b, c1, oxm ? 30 : 22, (uint8_t)key->tp_dst, 0xff);
				if (key->tp_src == ND_SOLICIT || key->tp_src == ND_ADVERT) {
					put_entry(b, c1, oxm ? 31 : 23, key->nd_target,
						  mask->nd_target, 16);
					if (key->tp_src == ND_SOLICIT)
						put_entry(b, c1, oxm ? 32 : 24,
							  key->arp_sha, mask->arp_sha, 6);
					else
						put_entry(b, c1, oxm ? 33 : 25,
							  key->arp_tha, mask->arp_tha, 6);
				}
			}
		}
	} else if (t == ETH_TYPE_ARP || t == ETH_TYPE_RARP) {
		if (mask->nw_proto)
			put16(b, c0, oxm ? 21 : 15, key->nw_proto, 0xffff);
		put32(b, c0, oxm ? 22 : 16, key->nw_src, mask->nw_src);
		put32(b, c0, oxm ? 23 : 17, key->nw_dst, mask->nw_dst);
		put_entry(b, c1, oxm ? 24 : 17, key->arp_sha, mask->arp_sha, 6);
		put_entry(b, c1, oxm ? 25 : 18, key->arp_tha, mask->arp_tha, 6);
	}
	return b->len - start;
}

void
of_match13_encode(struct of_buf *b, const struct sl_flow_key *key,
		  const struct sl_flow_key *mask)
{
	size_t start = b->len;
	size_t n;

	of_buf_put16(b, OFPMT_OXM);
	of_buf_put16(b, 0);
	n = of_tlv_encode(b, key, mask, true);
	if (!b->oom)
		of_set16(b->data + start + 2, (uint16_t)(4 + n));
	of_buf_pad8(b, start);
}

enum of_err
of_match13_decode(const uint8_t *p, size_t avail, struct sl_flow_key *key,
		  struct sl_flow_key *mask, size_t *used)
{
	uint16_t len, padded;

	if (avail < 4)
		return OFE_BMC_BAD_LEN;
	len = of_get16(p + 2);
	if (of_get16(p) != OFPMT_OXM) {
		/* OF1.3 only has OXM; a standard match is an OF1.1 thing */
		return OFE_BMC_BAD_TYPE;
	}
	if (len < 4)
		return OFE_BMC_BAD_LEN;
	padded = (uint16_t)((len + 7u) & ~7u);
	if (padded > avail || padded < len)
		return OFE_BMC_BAD_LEN;
	*used = padded;
	return of_tlv_decode(p + 4, len - 4u, key, mask, NULL, NULL);
}

size_t
of_oxm_headers(struct of_buf *b, bool masks)
{
	size_t n = 0;

	for (size_t i = 0; i < N_FIELDS; i++) {
		const struct tlv_field *f = &fields[i];
		bool m = masks && f->maskable;

		if (f->cls != OXM || f->id == F_UNSUPPORTED)
			continue;
		of_buf_put32(b, (uint32_t)OXM << 16 | (uint32_t)f->field << 9 |
				(m ? 0x100u : 0) | (m ? 2u : 1u) * f->width);
		n++;
	}
	return n;
}
