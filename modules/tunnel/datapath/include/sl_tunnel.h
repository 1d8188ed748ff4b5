/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private networks' tunnels in the datapath: decapsulation on a transport
 * network, encapsulation toward a remote port, and the outer headers the
 * control plane prepares per remote.
 */
#ifndef SL_TUNNEL_H
#define SL_TUNNEL_H

#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "sl_dp.h"

#define SL_VXLAN_PORT 4789
#define SL_GRE_PROTO_TEB 0x6558	/* transparent Ethernet bridging */
/* Outer bytes in front of the inner frame (Ethernet + IPv4 + ...). */
#define SL_VXLAN_OUTER_LEN (RTE_ETHER_HDR_LEN + 20 + 8 + 8)
#define SL_GRE_OUTER_LEN (RTE_ETHER_HDR_LEN + 20 + 4 + 4)

/* Sorted-map keys (sl_dp_tunnel_map). ip in network order. */
static inline uint64_t
sl_tunnel_key_id(uint8_t proto, uint32_t key)
{
	return (uint64_t)proto << 32 | key;
}

static inline uint64_t
sl_tunnel_remote_id(uint16_t transport, uint8_t proto, uint32_t ip)
{
	return (uint64_t)transport << 40 | (uint64_t)proto << 32 | ip;
}

/* Sort a map by key (control thread, when building a snapshot). */
void sl_tunnel_map_sort(struct sl_dp_tunnel_map *map, uint16_t n);

/*
 * Fill v's outer headers for a remote: Ethernet from the transport's MAC
 * to the next hop's, IPv4 from the transport's address to the remote's
 * (TTL 64, DF), then UDP to 4789 and VXLAN, or GRE with a key carrying
 * transparent Ethernet bridging. Lengths, checksum, key and UDP source
 * port are written per packet.
 */
void sl_tunnel_template(struct sl_dp_vtep *v, const struct sl_dp_transport *tr,
			const struct rte_ether_addr *next_hop);

/*
 * A frame of a transport network (md->network has a transport): for the
 * local endpoint or not. Returns SL_DROP_NONE with *inner_network set to
 * the private network (the frame decapsulated, md re-parsed, md->in_port
 * its remote's port) or SL_NETWORK_NONE (not tunnel traffic: switched);
 * SL_DROP_TAKEN (ARP or ping handed to the control thread); or why it is
 * dropped.
 */
enum sl_drop sl_tunnel_ingress(struct sl_worker *w, const struct sl_snapshot *s,
			       struct rte_mbuf *m, uint16_t *inner_network);

/* ICMP "fragmentation needed" a worker sends in a second, at most. */
#define SL_ICMP_ERRORS_PER_S 1000

/* Send m (a frame of a private network) to the remote port out. */
void sl_tunnel_encap(struct sl_worker *w, const struct sl_snapshot *s,
		     uint16_t out, struct rte_mbuf *m);

#endif
