/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a flow rule matches, as the classifier takes it: the part of the
 * classifier the control plane fills in (classifier.h, private to the
 * datapath, builds and searches it).
 */
#ifndef SL_CLS_RULE_H
#define SL_CLS_RULE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#define SL_CLS_NONE UINT32_MAX	/* no rule */
#define SL_CLS_MAX_RULES (1u << 20)

enum sl_cls_side {
	SL_CLS_TO,	/* destination address and port; scope MAC = source */
	SL_CLS_FROM,	/* source address and port; scope MAC = destination */
	SL_CLS_SIDES
};

/* Protocol classes. IP matches every IPv4 packet; ARP only ARP, on the
 * sender (FROM) or target (TO) protocol address. */
enum sl_cls_proto {
	SL_CLS_IP,
	SL_CLS_TCP,
	SL_CLS_UDP,
	SL_CLS_ICMP,
	SL_CLS_ARP,
	SL_CLS_PROTOS
};

struct sl_cls_rule {
	uint32_t rank;		/* unique; what a lookup returns */
	uint16_t network;	/* datapath network id */
	bool has_mac;
	struct rte_ether_addr mac;
	uint8_t side;		/* enum sl_cls_side */
	uint8_t proto;		/* enum sl_cls_proto */
	int32_t port;		/* -1: any; TCP/UDP port, ICMP code (TO) or type (FROM) */
	uint32_t addr;		/* host order */
	uint8_t plen;		/* 0..32 */
};

/* How big it came out: groups, intervals, bytes (for stats and tests). */
struct sl_cls_info {
	uint32_t rules, groups, intervals;
	uint64_t bytes;
};

#endif
