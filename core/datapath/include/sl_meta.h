/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-packet metadata, kept in the mbuf private area (the pool is created
 * with SL_META_PRIV_SIZE) so it sits next to the mbuf header in cache and
 * needs no per-burst side array.
 */
#ifndef SL_META_H
#define SL_META_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "sl_port.h"

/* out_port values besides a port id */
#define SL_OUT_FLOOD 0xfffe
#define SL_OUT_NONE 0xffff

/* Datapath port ids: DPDK's ethdev ids (0..SL_MAX_PORTS-1), then the
 * logical ports of bonds, whose members are ethdev ports, then the remote
 * tunnel endpoints (a peer host over a transport PIF, in one protocol):
 * to the switch a remote is one more port of each private network it
 * carries, so flooding to it is head-end replication and the FDB learns
 * which remote has a MAC. */
#define SL_MAX_BONDS 16
#define SL_MAX_VTEPS 128
#define SL_BOND_PORT(i) ((uint16_t)(SL_MAX_PORTS + (i)))
#define SL_VTEP_PORT(i) ((uint16_t)(SL_MAX_PORTS + SL_MAX_BONDS + (i)))
#define SL_DP_MAX_PORTS (SL_MAX_PORTS + SL_MAX_BONDS + SL_MAX_VTEPS)

static inline bool
sl_port_is_bond(uint16_t port)
{
	return port >= SL_MAX_PORTS && port < SL_VTEP_PORT(0);
}

static inline bool
sl_port_is_vtep(uint16_t port)
{
	return port >= SL_VTEP_PORT(0) && port < SL_DP_MAX_PORTS;
}

#define SL_NETWORK_NONE 0xffff
/* IEEE 802.3 slow protocols (LACP, marker) */
#define SL_ETHER_TYPE_SLOW 0x8809

enum sl_meta_flags {
	SL_META_VLAN = 1 << 0,	/* at least one VLAN tag */
	SL_META_IPV4 = 1 << 1,
	SL_META_L4 = 1 << 2,	/* l4 ports (TCP/UDP) or ICMP type/code valid */
	SL_META_FRAG = 1 << 3,	/* IPv4 fragment (MF or offset) */
	SL_META_ARP = 1 << 4,	/* Ethernet/IPv4 ARP; ip_src/dst = spa/tpa */
	SL_META_DST_MCAST = 1 << 5,
};

struct sl_pkt_meta {
	uint16_t in_port;
	uint16_t network;	/* datapath network id, SL_NETWORK_NONE */
	uint16_t out_port;	/* port id, SL_OUT_FLOOD or SL_OUT_NONE */
	uint16_t ether_type;	/* innermost, host order */
	uint16_t vlan_tci[2];	/* outer first, host order */
	uint16_t outer_tpid;	/* EtherType of the outer tag, host order */
	uint8_t nb_vlans;
	uint8_t pcp;		/* priority of the tag popped at ingress */
	uint8_t flags;		/* enum sl_meta_flags */
	uint8_t l3_off;		/* bytes from frame start to L3 header */
	uint8_t ip_proto;
	uint16_t l4_off;
	uint16_t l4_sport;	/* host order; ICMP: type */
	uint16_t l4_dport;	/* host order; ICMP: code */
	uint32_t ip_src;	/* network order; ARP: sender address */
	uint32_t ip_dst;	/* network order; ARP: target address */
};

/* One cache line with the mbuf header would be ideal; keep it well inside. */
#define SL_META_PRIV_SIZE 64
static_assert(sizeof(struct sl_pkt_meta) <= SL_META_PRIV_SIZE,
	      "per-packet metadata outgrew the mbuf private area");

static inline struct sl_pkt_meta *
sl_meta(struct rte_mbuf *m)
{
	return (struct sl_pkt_meta *)rte_mbuf_to_priv(m);
}

#endif
