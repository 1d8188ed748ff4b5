/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: tunnel decapsulation (modules/tunnel/datapath) in the
 * pipeline, on frames that reach it: each input is wrapped in outer
 * Ethernet and IPv4 headers from the switch's one remote to its transport
 * PIF's address (fuzz_switch.h), then VXLAN over UDP or GRE, their fields
 * taken from the input (a key the switch carries or any, IPv4 options,
 * fragment bits, lengths that lie), the inner frame after them, in a
 * chain of 1 to 4 segments split anywhere, later ones at odd addresses.
 * Received on the transport PIF's port, so that the parser, decap, the
 * private network's learning and its VIF's transmit all see it. ASan and
 * UBSan watch every read; every packet buffer must come back.
 *
 * Input: byte 0: bit 0 GRE (else VXLAN), bit 1 a key of the input's (else
 * the switch's own: 100, 200), bit 2 an IPv4 header length of the input's
 * (bytes 8, low nibble), bit 3 the IPv4 total length of the input's (bytes
 * 9-10), bit 4 the UDP length too, bits 5-7 odd addresses; byte 1:
 * segments (bits 0-1, plus one) and the IPv4 fragment bits (bits 2-7 into
 * flags and offset); bytes 2-4: split points; bytes 5-7: the key or VNI;
 * 8: IPv4 header length; 9-10: total length; 11: VXLAN flags or GRE's
 * first byte; the rest: the inner frame.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "fuzz_switch.h"
#include "sl_tunnel.h"

#define HEADER 12
#define OUTER_MAX (RTE_ETHER_HDR_LEN + 60 + 8 + 8)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_switch sw;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_switch_start(&sw, "fuzz-decap");
	return 0;
}

static void
put16(uint8_t *p, uint16_t v)
{
	rte_be16_t be = rte_cpu_to_be_16(v);

	memcpy(p, &be, sizeof(be));
}

static void
put32(uint8_t *p, uint32_t v)
{
	rte_be32_t be = rte_cpu_to_be_32(v);

	memcpy(p, &be, sizeof(be));
}

/* The outer headers into out (2 bytes past a 4-byte boundary, as a PMD
 * puts a frame, so the IPv4 header is aligned); returns their length. */
static size_t
outer(const uint8_t *h, size_t inner_len, uint8_t *out)
{
	static const struct rte_ether_addr remote_mac = { { 2, 0, 0, 0, 0xaa, 1 } };
	bool gre = h[0] & 1;
	uint32_t key = h[0] & 2 ? (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7] :
		       gre ? 200 : 100;
	unsigned int ihl = h[0] & 4 ? h[8] & 0xf : 5;
	size_t l4 = gre ? 8 : 16, ip_len = ihl * 4 > 20 ? ihl * 4 : 20;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)out;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	uint8_t *t = (uint8_t *)ip + ip_len;
	uint16_t total = (uint16_t)(ip_len + l4 + inner_len);

	eth->dst_addr = sw.transport_mac;
	eth->src_addr = remote_mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, ip_len);
	/* IPv4 options, if any: the no-operation option */
	memset(ip + 1, 1, ip_len - 20);
	ip->version_ihl = (uint8_t)(0x40 | ihl);
	ip->total_length = rte_cpu_to_be_16(h[0] & 8 ? (uint16_t)(h[9] | h[10] << 8) : total);
	ip->fragment_offset = rte_cpu_to_be_16((uint16_t)((h[1] >> 2) << 10 | (h[1] >> 2 & 7)));
	ip->time_to_live = 64;
	ip->next_proto_id = gre ? IPPROTO_GRE : IPPROTO_UDP;
	ip->src_addr = sw.remote_ip;
	ip->dst_addr = sw.local_ip;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (gre) {
		/* key present, transparent Ethernet bridging, unless the
		 * input's first byte says otherwise */
		t[0] = h[0] & 2 ? h[11] : 0x20;
		t[1] = 0;
		put16(t + 2, SL_GRE_PROTO_TEB);
		put32(t + 4, key);
	} else {
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)t;

		udp->src_port = RTE_BE16(49152);
		udp->dst_port = RTE_BE16(SL_VXLAN_PORT);
		udp->dgram_len = rte_cpu_to_be_16(h[0] & 16 ? (uint16_t)(h[10] | h[9] << 8) :
						  (uint16_t)(8 + 8 + inner_len));
		udp->dgram_cksum = 0;
		t[8] = h[0] & 2 ? h[11] : 0x08;
		t[9] = t[10] = t[11] = 0;
		put32(t + 12, key << 8);
	}
	return RTE_ETHER_HDR_LEN + ip_len + l4;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint32_t buf[(2 + OUTER_MAX + 4096) / 4 + 1];
	uint8_t *frame = (uint8_t *)buf + 2;
	size_t inner, len;
	struct rte_mbuf *m;

	if (size < HEADER)
		return 0;
	inner = RTE_MIN(size - HEADER, (size_t)4096);
	len = outer(data, inner, frame);
	memcpy(frame + len, data + HEADER, inner);
	len += inner;
	m = fuzz_switch_frame(&sw, frame, (uint16_t)len, (data[1] & 3u) + 1,
			      data + 2, data[0] >> 5);
	if (m)
		fuzz_switch_burst(&sw, sw.transport_port, &m, 1);
	return 0;
}
