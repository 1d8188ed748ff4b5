/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An OpenFlow flow's match as sluice holds it: the fields of a packet a
 * flow may look at, in one fixed layout, and a mask of the same layout
 * (a bit set in the mask: that bit of the packet must equal the value's).
 * The OpenFlow channel decodes every wire form (OF1.0 ofp_match, OF1.1
 * standard match, OXM, NXM) into it; the datapath builds a packet's key
 * in the same layout and compares it word by word (sl_flow_match.h).
 *
 * Integers are in host order. MACs and IPv6 addresses are bytes in
 * network order. No DPDK types: the OpenFlow codec and its tests use it
 * without the EAL.
 */
#ifndef SL_FLOW_KEY_H
#define SL_FLOW_KEY_H

#include <assert.h>
#include <stdint.h>

/* vlan_tci as NXM's NXM_OF_VLAN_TCI: 0 for a frame without a tag, else
 * PCP << 13 | SL_FLOW_VLAN_PRESENT | VID. */
#define SL_FLOW_VLAN_PRESENT 0x1000

struct sl_flow_key {
	/* word 0 */
	uint16_t in_port;	/* control: the OpenFlow port number (OF1.0
				 * numbering: OFPP_LOCAL = 0xfffe);
				 * datapath: the datapath port id */
	uint16_t vlan_tci;	/* the frame as received on in_port */
	uint16_t dl_type;	/* EtherType after the tags */
	uint8_t nw_proto;	/* IP protocol; ARP: the opcode (low byte) */
	uint8_t pad0;
	/* words 1-2 */
	uint8_t dl_src[6];
	uint8_t dl_dst[6];
	uint16_t tp_src;	/* TCP/UDP/SCTP port; ICMP, ICMPv6: type */
	uint16_t tp_dst;	/* ...; ICMP, ICMPv6: code */
	/* word 3 */
	uint32_t nw_src;	/* IPv4 source; ARP: sender protocol address */
	uint32_t nw_dst;	/* IPv4 destination; ARP: target protocol address */
	/* words 4-5 */
	uint8_t arp_sha[6];	/* ARP sender MAC; ND: source link-layer option */
	uint8_t arp_tha[6];	/* ARP target MAC; ND: target link-layer option */
	uint8_t pad1[4];
	/* words 6-11 */
	uint8_t ipv6_src[16];
	uint8_t ipv6_dst[16];
	uint8_t nd_target[16];	/* ICMPv6 neighbour solicitation/advertisement */
};

#define SL_FLOW_KEY_WORDS (sizeof(struct sl_flow_key) / sizeof(uint64_t))

/* A key read a word at a time: may_alias, or the compiler may read the
 * words before the fields are written (strict aliasing). */
typedef uint64_t __attribute__((__may_alias__)) sl_flow_word;
static_assert(sizeof(struct sl_flow_key) == 96, "flow key layout");

#endif
