/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A packet's flow hash from its parsed metadata: IPv4 addresses, protocol
 * and TCP/UDP ports when there are some, the source MAC otherwise. Bonds
 * spread flows over members with it; VXLAN puts it in the outer UDP source
 * port so that the underlay's ECMP and RSS spread tunnelled flows too.
 */
#ifndef SL_FLOW_HASH_H
#define SL_FLOW_HASH_H

#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_mbuf.h>

#include "sl_crc.h"
#include "sl_meta.h"

static inline uint32_t
sl_mac_hash(const struct rte_ether_addr *mac)
{
	return sl_crc32c(mac->addr_bytes, RTE_ETHER_ADDR_LEN, 0);
}

static inline uint32_t
sl_flow_hash(struct rte_mbuf *m)
{
	const struct sl_pkt_meta *md = sl_meta(m);
	uint32_t h;

	if (!(md->flags & SL_META_IPV4))
		return sl_mac_hash(&rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->src_addr);
	h = rte_hash_crc_4byte(md->ip_src ^ md->ip_dst, md->ip_proto);
	if (md->flags & SL_META_L4)
		h = rte_hash_crc_4byte((uint32_t)md->l4_sport << 16 | md->l4_dport, h);
	return h;
}

#endif
