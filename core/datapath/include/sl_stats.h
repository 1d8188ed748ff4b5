/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counters of one worker. Each worker writes only its own block (no shared
 * cache line per packet); readers sum the blocks of all workers. Values are
 * plain 64-bit stores, so a reader may see a count one burst old, never torn.
 */
#ifndef SL_STATS_H
#define SL_STATS_H

#include <stdint.h>

#include <rte_common.h>

#include <rte_mbuf.h>

#include "sl_drop.h"
#include "sl_meta.h"
#include "sl_port.h"

struct sl_port_counters {
	uint64_t rx_packets, rx_bytes, rx_dropped;
	uint64_t tx_packets, tx_bytes, tx_dropped;
};

struct sl_fdb_counters {
	uint64_t learned;	  /* new (network, MAC) entries */
	uint64_t moved;		  /* a MAC seen on another port */
	uint64_t full;		  /* not learned: the FDB is full */
	uint64_t static_conflict; /* a static VIF MAC seen on another port */
};

/* The stages of the packet path whose cost is measured when profiling. */
#define SL_STAGES(X)                                                          \
	X(PARSE, "parse", "frame parsing and bond member admission")           \
	X(INGRESS, "ingress", "port and VLAN to network, MTU at ingress")      \
	X(DECAP, "decap", "tunnel decapsulation (taken out of ingress)")       \
	X(RULES, "rules", "flow-rule classification and rule counters")        \
	X(L2, "l2", "learning and forwarding lookup")                          \
	X(EGRESS, "egress", "VLAN push, MTU, bond member, flood copies")       \
	X(ENCAP, "encap", "tunnel encapsulation (taken out of egress)")        \
	X(TX, "tx", "transmit bursts to the ports")

enum sl_stage {
#define SL_STAGE_ENUM(id, name, help) SL_STAGE_##id,
	SL_STAGES(SL_STAGE_ENUM)
#undef SL_STAGE_ENUM
	SL_STAGE__COUNT
};

const char *sl_stage_name(enum sl_stage stage);

struct sl_worker_stats {
	uint64_t drops[SL_DROP__COUNT];
	struct sl_fdb_counters fdb;
	uint64_t busy_cycles;	/* loops that moved at least one packet */
	uint64_t idle_cycles;	/* loops that moved nothing, their sleep aside */
	uint64_t sleep_cycles;	/* asleep after such loops (--idle-sleep-max-us) */
	uint64_t loops;
	/* busy cycles of loops in which a port's rx queue gave packets,
	 * shared between the queues of a loop by their packets (no clock
	 * read per queue): the queue's share of the worker */
	uint64_t rxq_cycles[SL_MAX_PORTS];
	/* TSC cycles per stage, counted only while profiling */
	uint64_t stage_cycles[SL_STAGE__COUNT];
	struct sl_port_counters port[SL_DP_MAX_PORTS];
	/* ICMP "fragmentation needed" sent for frames too long to tunnel,
	 * and not sent: over the worker's SL_ICMP_ERRORS_PER_S */
	uint64_t icmp_frag_needed;
	uint64_t icmp_frag_needed_limited;
	/* bytes sent per source-MAC bucket of each bond: SLB rebalancing */
	uint64_t slb_bytes[SL_MAX_BONDS][256];
	/* drops by port and reason (drops[] by reason alone is their sum,
	 * with the few drops no port can be charged with: inject_stale);
	 * touched only when a packet is dropped */
	uint64_t port_drops[SL_DP_MAX_PORTS][SL_DROP__COUNT];
} __rte_cache_aligned;

/* Count a drop of reason r charged to port (rx or tx side: the caller
 * counts that), without freeing anything. */
static inline void
sl_count_drop(struct sl_worker_stats *st, uint16_t port, enum sl_drop r)
{
	st->drops[r]++;
	st->port_drops[port][r]++;
}

/* Drop a packet on its way in: named reason, charged to its ingress port. */
static inline void
sl_drop_rx(struct sl_worker_stats *st, struct rte_mbuf *m, enum sl_drop r)
{
	uint16_t in = sl_meta(m)->in_port;

	sl_count_drop(st, in, r);
	st->port[in].rx_dropped++;
	rte_pktmbuf_free(m);
}

/* Drop a packet on its way out of port: named reason, charged to port. */
static inline void
sl_drop_tx(struct sl_worker_stats *st, struct rte_mbuf *m, uint16_t port,
	   enum sl_drop r)
{
	sl_count_drop(st, port, r);
	st->port[port].tx_dropped++;
	rte_pktmbuf_free(m);
}

#endif
