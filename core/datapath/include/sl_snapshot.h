/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The datapath's whole configuration as one immutable object. The control
 * plane builds a new one for every change and publishes it with one atomic
 * pointer store (sl_dp_publish); workers load the pointer once per loop, so
 * every packet is handled by exactly one version.
 */
#ifndef SL_SNAPSHOT_H
#define SL_SNAPSHOT_H

#include <stdint.h>

#include <rte_ether.h>
#include <rte_ring.h>

#include "sl_meta.h"
#include "sl_port.h"

#define SL_MAX_WORKERS (RTE_MAX_LCORE - 1)
#define SL_VLAN_IDS 4096
#define SL_BOND_MAX_MEMBERS 8
#define SL_SLB_BUCKETS 256
#define SL_BOND_NONE 0xffff
#define SL_VLAN_DISCOVERIES_PER_S 100

struct sl_dedup;

enum sl_dp_bond_mode {
	SL_DP_BOND_BROADCAST,
	SL_DP_BOND_ACTIVE_BACKUP,
	SL_DP_BOND_SLB,		/* source-MAC buckets, rebalanced by load */
	SL_DP_BOND_TCP,		/* L3/L4 hash */
	SL_DP_BOND_LACP,
};

/* What a bond member's received frames may do. */
enum sl_dp_bond_rx {
	SL_BOND_RX_ALL,
	SL_BOND_RX_UNICAST,	/* not the member that takes floods */
	SL_BOND_RX_NONE,	/* a backup, or not collecting (LACP) */
};

/* A bond: one logical port (SL_BOND_PORT(i)) over member ethdev ports. */
struct sl_dp_bond {
	uint8_t mode;		/* enum sl_dp_bond_mode */
	uint8_t nb_tx;		/* members that transmit now */
	uint8_t hash_l4;	/* LACP: hash TCP/UDP ports, else source MAC */
	uint8_t relay;		/* broadcast: repeat between members (mesh) */
	uint16_t tx[SL_BOND_MAX_MEMBERS];	/* up (LACP: distributing) */
	uint16_t active;	/* active-backup, or LACP falling back */
	uint16_t slb_port[SL_SLB_BUCKETS];	/* SLB: bucket → member */
	struct sl_dedup *dedup;	/* broadcast: duplicate discard */
};

/* A network member's egress tag: a VLAN id, or one of these. */
#define SL_TAG_NONE 0xffff	/* not a member */
#define SL_TAG_UNTAGGED 0xfffe

struct sl_dp_port {
	/* Untagged and priority-tagged frames in belong here. */
	uint16_t native_network;	/* SL_NETWORK_NONE: none */
	uint16_t nb_txq;	/* workers with id < nb_txq own a tx queue */
	uint8_t is_vif;
	uint8_t bond_rx;	/* a bond member: enum sl_dp_bond_rx */
	/* A trunk of every VLAN (Open vSwitch's port without tag): a frame
	 * of a VLAN no network claims goes to the control thread, which
	 * makes the VLAN's network (at most SL_VLAN_DISCOVERIES_PER_S a
	 * second per worker; the others are vlan_unclaimed drops). */
	uint8_t discover_vlans;
	/* Taken down (OpenFlow's PORT_DOWN): what it receives is dropped
	 * (port_down), read once a burst; it carries no network, so
	 * nothing is sent to it. */
	uint8_t admin_down;
	uint16_t bond;		/* a bond member: its bond, else SL_BOND_NONE */
	/* VLAN id → network of the frames tagged with it; NULL: the port
	 * carries no VLAN. */
	uint16_t *vlan_network;
	/* Workers without a tx queue of their own hand packets to worker 0
	 * through this ring (NULL when every worker has a queue); set with
	 * sl_snapshot_set_handoff. */
	struct rte_ring *tx_handoff;
};

/* A local tunnel endpoint: a transport PIF with an IPv4 address. Frames
 * to its address and MAC, received on its port in its network, are
 * decapsulated (or, for ARP and ping, handed to the control thread). */
struct sl_dp_transport {
	uint32_t ip;			/* network order */
	struct rte_ether_addr mac;
	uint16_t port;			/* ethdev or bond port */
	uint16_t network;		/* the transport PIF's network */
	uint16_t mtu;			/* L3 bytes an outer packet may have */
};

enum sl_dp_tunnel_proto { SL_DP_TUNNEL_GRE, SL_DP_TUNNEL_VXLAN };

#define SL_TUNNEL_HDR_MAX 64

/* A remote tunnel endpoint, port SL_VTEP_PORT(index). */
struct sl_dp_vtep {
	uint32_t ip;			/* network order */
	uint16_t transport;		/* index in transports[] */
	uint8_t protocol;		/* enum sl_dp_tunnel_proto */
	uint8_t resolved;		/* the next hop's MAC is known */
	uint8_t hdr_len;
	/* the outer headers, ready but for lengths, checksum, key and the
	 * VXLAN source port (sl_tunnel_template) */
	uint8_t hdr[SL_TUNNEL_HDR_MAX] __rte_aligned(8);
};

#define SL_MAX_TRANSPORTS 16
#define SL_MAX_TUNNEL_NETWORKS 128
#define SL_TUNNEL_NONE 0xffff

/* (protocol, key) → private network, and (transport, protocol, remote
 * address) → remote port: sorted for a binary search. */
struct sl_dp_tunnel_map {
	uint64_t key;
	uint16_t value;
};

struct sl_dp_network {
	/* a private network: how its frames are carried to the remotes */
	uint32_t tunnel_key;		/* GRE key or VXLAN VNI */
	uint8_t tunnel_proto;		/* enum sl_dp_tunnel_proto */
	/* frames from one remote may go to another (the center of a star);
	 * else split horizon (a full mesh) */
	uint8_t tunnel_relay;
	/* a transport network: its local endpoint, or SL_TUNNEL_NONE */
	uint16_t transport;
	uint16_t nb_ports;
	uint16_t ports[SL_DP_MAX_PORTS];	/* flood list */
	/* by port id: how the port carries this network */
	uint16_t tag[SL_DP_MAX_PORTS];		/* SL_TAG_* or a VLAN id */
	uint16_t mtu[SL_DP_MAX_PORTS];		/* L3 bytes the port takes */
};

struct sl_dp_rxq {
	uint16_t port;
	uint16_t queue;
};

struct sl_dp_worker_plan {
	uint16_t nb_rxq;
	struct sl_dp_rxq rxq[SL_MAX_PORTS];
};

struct sl_snapshot {
	uint64_t version;
	uint16_t nb_networks;	/* networks[] is indexed by network id */
	uint16_t nb_workers;
	struct sl_dp_port ports[SL_DP_MAX_PORTS];
	/* the ports with a tx_handoff ring, which worker 0 drains */
	uint16_t nb_handoff;
	uint16_t handoff_ports[SL_MAX_PORTS];
	struct sl_dp_bond bonds[SL_MAX_BONDS];
	uint16_t nb_transports, nb_keys, nb_remotes;
	struct sl_dp_transport transports[SL_MAX_TRANSPORTS];
	struct sl_dp_vtep vteps[SL_MAX_VTEPS];
	struct sl_dp_tunnel_map keys[SL_MAX_TUNNEL_NETWORKS];	/* sorted */
	struct sl_dp_tunnel_map remotes[SL_MAX_VTEPS];	/* sorted */
	struct sl_dp_worker_plan *workers;	/* [nb_workers] */
	struct sl_dp_network *networks;		/* [nb_networks] */
};

/* One allocation holding the snapshot and its arrays; every port starts
 * in no network. Returns NULL and sets errno. */
struct sl_snapshot *sl_snapshot_alloc(uint16_t nb_networks,
				      uint16_t nb_workers);
/* Make port carry network: untagged (tag SL_TAG_UNTAGGED) or with a VLAN
 * tag; mtu is the L3 length it takes. Returns 0 or -ENOMEM (VLAN table). */
int sl_snapshot_join(struct sl_snapshot *s, uint16_t port, uint16_t network,
		     uint16_t tag, uint16_t mtu);
/* Give ethdev port a handoff ring (see struct sl_dp_port). */
void sl_snapshot_set_handoff(struct sl_snapshot *s, uint16_t port,
			     struct rte_ring *ring);
/* Frees the snapshot and its VLAN tables. */
void sl_snapshot_free(struct sl_snapshot *snap);

/* Whether port carries network (a member of its flood list). */
static inline int
sl_snapshot_member(const struct sl_snapshot *s, uint16_t network,
		   uint16_t port)
{
	return port < SL_DP_MAX_PORTS && network < s->nb_networks &&
	       s->networks[network].tag[port] != SL_TAG_NONE;
}

#endif
