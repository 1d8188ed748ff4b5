/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A trace's packet= as a frame: either the frame in hex (as tshark -x or
 * scapy's raw() give it), or a list of fields in ovs-ofctl's words
 * (dl_src=..,dl_dst=..,tcp,nw_src=..,tp_dst=22) from which a frame is
 * built: Ethernet, an optional 802.1Q tag, then IPv4 (TCP, UDP, ICMP or
 * another protocol), ARP, or IPv6 (TCP, UDP, ICMPv6 with an ND target),
 * padded to len= or the Ethernet minimum. What is not given is zero, but
 * the MACs (02:00:00:00:00:01 to 02:00:00:00:00:02), the TTL (64) and an
 * ARP's operation (request).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "trace_packet.h"

#define ICMPV6 58
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT 136

/* What the fields say, before the frame is laid out. */
struct fields {
	struct rte_ether_addr src, dst, arp_sha, arp_tha;
	uint16_t ether_type;
	int vlan, pcp;			/* -1: untagged */
	int proto;			/* IP protocol; -1: none given */
	uint32_t nw_src, nw_dst;	/* network order */
	uint8_t ttl;
	uint8_t ip6_src[16], ip6_dst[16], nd_target[16];
	bool has_nd_target;
	uint16_t tp_src, tp_dst;	/* ICMP: type and code */
	uint16_t arp_op;
	uint32_t len;			/* 0: the minimum */
};

static int
bad(struct sl_err *err, const char *what, const char *value)
{
	return sl_err_set(err, SL_E_TRACE_PACKET_INVALID,
			  "packet: %s '%s' is not valid", what, value);
}

static int
number(const char *key, const char *v, long max, long *out,
       struct sl_err *err)
{
	char *end;

	*out = strtol(v, &end, 0);
	if (!*v || *end || *out < 0 || *out > max)
		return bad(err, key, v);
	return 0;
}

/* the words that stand for a dl_type and an IP protocol, as ovs-ofctl's */
static const struct {
	const char *word;
	uint16_t ether_type;
	int proto;
} shorthands[] = {
	{ "ip", RTE_ETHER_TYPE_IPV4, -1 },
	{ "tcp", RTE_ETHER_TYPE_IPV4, IPPROTO_TCP },
	{ "udp", RTE_ETHER_TYPE_IPV4, IPPROTO_UDP },
	{ "icmp", RTE_ETHER_TYPE_IPV4, IPPROTO_ICMP },
	{ "arp", RTE_ETHER_TYPE_ARP, -1 },
	{ "ipv6", RTE_ETHER_TYPE_IPV6, -1 },
	{ "tcp6", RTE_ETHER_TYPE_IPV6, IPPROTO_TCP },
	{ "udp6", RTE_ETHER_TYPE_IPV6, IPPROTO_UDP },
	{ "icmp6", RTE_ETHER_TYPE_IPV6, ICMPV6 },
};

static int
shorthand(struct fields *f, const char *word)
{
	for (size_t i = 0; i < RTE_DIM(shorthands); i++)
		if (strcmp(shorthands[i].word, word) == 0) {
			f->ether_type = shorthands[i].ether_type;
			if (shorthands[i].proto >= 0)
				f->proto = shorthands[i].proto;
			return 0;
		}
	return -1;
}

static int
mac(const char *key, const char *v, struct rte_ether_addr *out,
    struct sl_err *err)
{
	return rte_ether_unformat_addr(v, out) == 0 ? 0 : bad(err, key, v);
}

static int
ipv4(const char *key, const char *v, uint32_t *out, struct sl_err *err)
{
	return inet_pton(AF_INET, v, out) == 1 ? 0 : bad(err, key, v);
}

static int
ipv6(const char *key, const char *v, uint8_t *out, struct sl_err *err)
{
	return inet_pton(AF_INET6, v, out) == 1 ? 0 : bad(err, key, v);
}

static int
field(struct fields *f, const char *key, const char *v, struct sl_err *err)
{
	long n;

	if (!strcmp(key, "dl_src"))
		return mac(key, v, &f->src, err);
	if (!strcmp(key, "dl_dst"))
		return mac(key, v, &f->dst, err);
	if (!strcmp(key, "arp_sha"))
		return mac(key, v, &f->arp_sha, err);
	if (!strcmp(key, "arp_tha"))
		return mac(key, v, &f->arp_tha, err);
	if (!strcmp(key, "nw_src") || !strcmp(key, "arp_spa"))
		return ipv4(key, v, &f->nw_src, err);
	if (!strcmp(key, "nw_dst") || !strcmp(key, "arp_tpa"))
		return ipv4(key, v, &f->nw_dst, err);
	if (!strcmp(key, "ipv6_src"))
		return ipv6(key, v, f->ip6_src, err);
	if (!strcmp(key, "ipv6_dst"))
		return ipv6(key, v, f->ip6_dst, err);
	if (!strcmp(key, "nd_target")) {
		f->has_nd_target = true;
		return ipv6(key, v, f->nd_target, err);
	}
	if (!strcmp(key, "dl_type")) {
		if (shorthand(f, v) == 0)
			return 0;
		if (number(key, v, 0xffff, &n, err) < 0)
			return -1;
		f->ether_type = (uint16_t)n;
		return 0;
	}
	if (!strcmp(key, "dl_vlan") || !strcmp(key, "dl_vlan_pcp")) {
		if (number(key, v, key[7] ? 7 : 4095, &n, err) < 0)
			return -1;
		*(key[7] ? &f->pcp : &f->vlan) = (int)n;
		return 0;
	}
	if (!strcmp(key, "len"))
		return number(key, v, 9216, &n, err) < 0 ? -1 :
		       (f->len = (uint32_t)n, 0);
	if (!strcmp(key, "nw_proto"))
		return number(key, v, 255, &n, err) < 0 ? -1 :
		       (f->proto = (int)n, 0);
	if (!strcmp(key, "nw_ttl"))
		return number(key, v, 255, &n, err) < 0 ? -1 :
		       (f->ttl = (uint8_t)n, 0);
	if (!strcmp(key, "tp_src") || !strcmp(key, "icmp_type") ||
	    !strcmp(key, "icmpv6_type"))
		return number(key, v, 0xffff, &n, err) < 0 ? -1 :
		       (f->tp_src = (uint16_t)n, 0);
	if (!strcmp(key, "tp_dst") || !strcmp(key, "icmp_code") ||
	    !strcmp(key, "icmpv6_code"))
		return number(key, v, 0xffff, &n, err) < 0 ? -1 :
		       (f->tp_dst = (uint16_t)n, 0);
	if (!strcmp(key, "arp_op"))
		return number(key, v, 0xffff, &n, err) < 0 ? -1 :
		       (f->arp_op = (uint16_t)n, 0);
	return sl_err_set(err, SL_E_TRACE_PACKET_INVALID,
			  "packet: '%s' is not a field sluice builds frames from (dl_src, dl_dst, dl_type, dl_vlan, dl_vlan_pcp, nw_src, nw_dst, nw_proto, nw_ttl, tp_src, tp_dst, icmp_type, icmp_code, arp_op, arp_sha, arp_tha, arp_spa, arp_tpa, ipv6_src, ipv6_dst, nd_target, icmpv6_type, icmpv6_code, len; ip, tcp, udp, icmp, arp, ipv6, tcp6, udp6, icmp6)",
			  key);
}

static int
parse_fields(const char *text, struct fields *f, struct sl_err *err)
{
	char *copy = strdup(text), *save = NULL;
	int rc = 0;

	if (!copy)
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	for (char *item = strtok_r(copy, ", ", &save); item && rc == 0;
	     item = strtok_r(NULL, ", ", &save)) {
		char *eq = strchr(item, '=');

		if (!eq) {
			if (shorthand(f, item) < 0)
				rc = bad(err, "word", item);
			continue;
		}
		*eq = '\0';
		rc = field(f, item, eq + 1, err);
	}
	free(copy);
	return rc;
}

/* The IPv4 part at p (the L4 header and payload follow): its length. */
static size_t
lay_ipv4(const struct fields *f, uint8_t *p, size_t l4_len)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p;
	uint8_t *l4 = p + sizeof(*ip);

	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + l4_len));
	ip->time_to_live = f->ttl;
	ip->next_proto_id = (uint8_t)(f->proto < 0 ? 0 : f->proto);
	ip->src_addr = f->nw_src;
	ip->dst_addr = f->nw_dst;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (f->proto == IPPROTO_TCP) {
		struct rte_tcp_hdr *t = (struct rte_tcp_hdr *)l4;

		t->src_port = rte_cpu_to_be_16(f->tp_src);
		t->dst_port = rte_cpu_to_be_16(f->tp_dst);
		t->data_off = (sizeof(*t) / 4) << 4;
		t->tcp_flags = RTE_TCP_SYN_FLAG;
		t->rx_win = rte_cpu_to_be_16(65535);
		t->cksum = rte_ipv4_udptcp_cksum(ip, t);
	} else if (f->proto == IPPROTO_UDP) {
		struct rte_udp_hdr *u = (struct rte_udp_hdr *)l4;

		u->src_port = rte_cpu_to_be_16(f->tp_src);
		u->dst_port = rte_cpu_to_be_16(f->tp_dst);
		u->dgram_len = rte_cpu_to_be_16((uint16_t)l4_len);
		u->dgram_cksum = rte_ipv4_udptcp_cksum(ip, u);
	} else if (f->proto == IPPROTO_ICMP) {
		struct rte_icmp_hdr *c = (struct rte_icmp_hdr *)l4;

		c->icmp_type = (uint8_t)f->tp_src;
		c->icmp_code = (uint8_t)f->tp_dst;
		c->icmp_cksum = (uint16_t)~rte_raw_cksum(c, l4_len);
	}
	return sizeof(*ip) + l4_len;
}

static size_t
lay_ipv6(const struct fields *f, uint8_t *p, size_t l4_len)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)p;
	uint8_t *l4 = p + sizeof(*ip);

	ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)l4_len);
	ip->proto = (uint8_t)(f->proto < 0 ? 59 /* no next header */ : f->proto);
	ip->hop_limits = f->ttl;
	memcpy(ip->src_addr, f->ip6_src, 16);
	memcpy(ip->dst_addr, f->ip6_dst, 16);
	if (f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP) {
		struct rte_udp_hdr *u = (struct rte_udp_hdr *)l4;

		u->src_port = rte_cpu_to_be_16(f->tp_src);
		u->dst_port = rte_cpu_to_be_16(f->tp_dst);
		if (f->proto == IPPROTO_UDP) {
			u->dgram_len = rte_cpu_to_be_16((uint16_t)l4_len);
			u->dgram_cksum = rte_ipv6_udptcp_cksum(ip, u);
		} else {
			struct rte_tcp_hdr *t = (struct rte_tcp_hdr *)l4;

			t->data_off = (sizeof(*t) / 4) << 4;
			t->tcp_flags = RTE_TCP_SYN_FLAG;
			t->cksum = rte_ipv6_udptcp_cksum(ip, t);
		}
	} else if (f->proto == ICMPV6) {
		l4[0] = (uint8_t)f->tp_src;
		l4[1] = (uint8_t)f->tp_dst;
		/* an ND message: its target after 4 reserved bytes */
		if (f->has_nd_target || f->tp_src == ND_NEIGHBOR_SOLICIT ||
		    f->tp_src == ND_NEIGHBOR_ADVERT)
			memcpy(l4 + 8, f->nd_target, 16);
		/* the pseudo-header sum is the same as UDP's and TCP's */
		*(uint16_t *)(l4 + 2) = rte_ipv6_udptcp_cksum(ip, l4);
	}
	return sizeof(*ip) + l4_len;
}

/* The bytes the L4 part takes: its header and a few of payload. */
static size_t
l4_len_of(const struct fields *f)
{
	switch (f->proto) {
	case IPPROTO_TCP:
		return sizeof(struct rte_tcp_hdr);
	case IPPROTO_UDP:
		return sizeof(struct rte_udp_hdr) + 8;
	case IPPROTO_ICMP:
		return sizeof(struct rte_icmp_hdr) + 8;
	case ICMPV6:
		return 8 + 16;	/* room for an ND target */
	default:
		return 8;
	}
}

static int
build(const struct fields *f, uint8_t *frame, size_t cap, size_t *len,
      struct sl_err *err)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;
	size_t off = sizeof(*eth), l3 = 0, min = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;

	memset(frame, 0, cap);
	eth->dst_addr = f->dst;
	eth->src_addr = f->src;
	if (f->vlan >= 0) {
		struct rte_vlan_hdr *v = (struct rte_vlan_hdr *)(eth + 1);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		v->vlan_tci = rte_cpu_to_be_16((uint16_t)(f->pcp << 13 | f->vlan));
		v->eth_proto = rte_cpu_to_be_16(f->ether_type);
		off += sizeof(*v);
		min += sizeof(*v);
	} else {
		eth->ether_type = rte_cpu_to_be_16(f->ether_type);
	}
	if (f->ether_type == RTE_ETHER_TYPE_IPV4)
		l3 = lay_ipv4(f, frame + off, l4_len_of(f));
	else if (f->ether_type == RTE_ETHER_TYPE_IPV6)
		l3 = lay_ipv6(f, frame + off, l4_len_of(f));
	else if (f->ether_type == RTE_ETHER_TYPE_ARP) {
		struct rte_arp_hdr *a = (struct rte_arp_hdr *)(frame + off);

		a->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
		a->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		a->arp_hlen = RTE_ETHER_ADDR_LEN;
		a->arp_plen = 4;
		a->arp_opcode = rte_cpu_to_be_16(f->arp_op);
		a->arp_data.arp_sha = f->arp_sha;
		a->arp_data.arp_sip = f->nw_src;
		a->arp_data.arp_tha = f->arp_tha;
		a->arp_data.arp_tip = f->nw_dst;
		l3 = sizeof(*a);
	}
	min = RTE_MAX((size_t)f->len, min);
	*len = RTE_MAX(off + l3, min);
	if (*len > cap)
		return sl_err_set(err, SL_E_TRACE_PACKET_INVALID,
				  "packet: len %u is more than a trace takes (%zu)",
				  f->len, cap);
	return 0;
}

static int
hex_value(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/* Hex digits, with any spaces, colons or a 0x in front. */
static int
parse_hex(const char *text, uint8_t *frame, size_t cap, size_t *len,
	  struct sl_err *err)
{
	size_t n = 0;
	int high = -1;

	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		text += 2;
	for (const char *p = text; *p; p++) {
		if (*p == ' ' || *p == ':')
			continue;
		if (!isxdigit((unsigned char)*p))
			return bad(err, "hex frame", text);
		if (high < 0) {
			high = hex_value((unsigned char)*p);
			continue;
		}
		if (n == cap)
			return sl_err_set(err, SL_E_TRACE_PACKET_INVALID,
					  "packet: the frame is longer than a trace takes (%zu bytes)",
					  cap);
		frame[n++] = (uint8_t)(high << 4 | hex_value((unsigned char)*p));
		high = -1;
	}
	if (high >= 0)
		return bad(err, "hex frame (an odd number of digits)", text);
	if (n < RTE_ETHER_HDR_LEN)
		return sl_err_set(err, SL_E_TRACE_PACKET_INVALID,
				  "packet: %zu bytes are not an Ethernet frame (14 at least)",
				  n);
	*len = n;
	return 0;
}

/* Hex is what has no '=' and no word of the field list in it. */
static bool
is_hex(const char *text)
{
	struct fields f;

	if (strchr(text, '=') || strchr(text, ','))
		return false;
	return shorthand(&f, text) < 0;
}

int
sl_trace_packet_parse(const char *text, uint8_t *frame, size_t cap,
		      size_t *len, struct sl_err *err)
{
	struct fields f = {
		.src = { { 2, 0, 0, 0, 0, 1 } },
		.dst = { { 2, 0, 0, 0, 0, 2 } },
		.vlan = -1, .proto = -1, .ttl = 64,
		.arp_op = RTE_ARP_OP_REQUEST,
	};

	if (is_hex(text))
		return parse_hex(text, frame, cap, len, err);
	if (parse_fields(text, &f, err) < 0)
		return -1;
	if (f.ether_type == 0)
		return sl_err_set(err, SL_E_TRACE_PACKET_INVALID,
				  "packet: no dl_type (or ip, tcp, arp, ipv6, ...) in the field list");
	if (f.proto >= 0 && f.ether_type != RTE_ETHER_TYPE_IPV4 &&
	    f.ether_type != RTE_ETHER_TYPE_IPV6)
		return sl_err_set(err, SL_E_TRACE_PACKET_INVALID,
				  "packet: nw_proto needs dl_type ip or ipv6");
	return build(&f, frame, cap, len, err);
}
