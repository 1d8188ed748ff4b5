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

#include <rte_ring.h>

#include "sl_meta.h"
#include "sl_port.h"

#define SL_MAX_WORKERS (RTE_MAX_LCORE - 1)
#define SL_VLAN_IDS 4096
#define SL_BOND_MAX_MEMBERS 8
#define SL_SLB_BUCKETS 256
#define SL_BOND_NONE 0xffff

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
	uint16_t bond;		/* a bond member: its bond, else SL_BOND_NONE */
	/* VLAN id → network of the frames tagged with it; NULL: the port
	 * carries no VLAN. */
	uint16_t *vlan_network;
	/* Workers without a tx queue of their own hand packets to worker 0
	 * through this ring (NULL when every worker has a queue). */
	struct rte_ring *tx_handoff;
};

struct sl_dp_network {
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
	struct sl_dp_bond bonds[SL_MAX_BONDS];
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
