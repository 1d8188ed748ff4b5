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

struct sl_dp_port {
	uint16_t network;	/* SL_NETWORK_NONE: not switched */
	uint16_t nb_txq;	/* workers with id < nb_txq own a tx queue */
	uint16_t mtu;
	uint8_t is_vif;
	uint8_t pad;
	/* Workers without a tx queue of their own hand packets to worker 0
	 * through this ring (NULL when every worker has a queue). */
	struct rte_ring *tx_handoff;
};

struct sl_dp_network {
	uint16_t nb_ports;
	uint16_t ports[SL_MAX_PORTS];	/* flood list */
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
	struct sl_dp_port ports[SL_MAX_PORTS];
	struct sl_dp_worker_plan *workers;	/* [nb_workers] */
	struct sl_dp_network *networks;		/* [nb_networks] */
};

/* One allocation holding the snapshot and its arrays; every port starts
 * unswitched. Returns NULL and sets errno. */
struct sl_snapshot *sl_snapshot_alloc(uint16_t nb_networks,
				      uint16_t nb_workers);
void sl_snapshot_free(struct sl_snapshot *snap);

#endif
