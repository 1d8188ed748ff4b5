/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet capture as the workers see it: the set of running captures,
 * published through RCU on a pointer of its own (sl_dp_publish_capture),
 * as the rule-set is. With no capture running the pointer is NULL and a
 * burst pays one load and one predictable branch; with captures running,
 * a port no capture watches pays one more (its mask is zero).
 *
 * A watched packet goes through the capture's filter (a tcpdump
 * expression compiled by libpcap, converted to eBPF and JIT-compiled by
 * DPDK's rte_bpf in the control thread), is copied with rte_pcapng_copy
 * into the capture's own pool and queued on its ring for the capture's
 * writer thread. A full ring or an empty pool drops the copy, counted per
 * capture and worker; the traffic itself is never touched.
 */
#ifndef SL_CAPTURE_H
#define SL_CAPTURE_H

#include <stdint.h>

#include <rte_bpf.h>
#include <rte_mbuf.h>
#include <rte_pcapng.h>
#include <rte_ring.h>

#include "sl_port.h"

/* Captures running at once: one bit each in a port's masks. */
#define SL_CAPTURE_MAX 8

/* One capture's counters on one worker: written by that worker only. */
struct sl_capture_counters {
	uint64_t seen;		/* packets through the port in its direction(s) */
	uint64_t filtered;	/* the filter said no */
	uint64_t copied;	/* queued for the writer */
	uint64_t dropped;	/* copies lost: the ring full or the pool empty */
} __rte_cache_aligned;

/* One running capture, as a worker needs it. */
struct sl_capture_tap {
	const struct rte_bpf *bpf;	/* NULL: every packet */
	uint64_t (*jit)(void *mbuf);	/* the filter compiled; NULL: interpret */
	struct rte_ring *ring;		/* multi-producer: any worker */
	struct rte_mempool *pool;	/* the copies */
	uint32_t snaplen;
	/* the capture's clock: a TSC reading and the time it was, in ns
	 * since the epoch (sl_capture_burst) */
	uint64_t base_tsc, base_ns, tsc_hz;
	/* [worker]: the capture's own (they outlive a set) */
	struct sl_capture_counters *counters;
};

struct sl_capture_set {
	/* bit i: tap[i] watches the ethdev port's received (rx) or sent
	 * (tx) packets */
	uint8_t rx[SL_MAX_PORTS];
	uint8_t tx[SL_MAX_PORTS];
	struct sl_capture_tap tap[SL_CAPTURE_MAX];
};

/* Offer a burst of port's packets in one direction to the captures that
 * watch it (mask: the port's rx or tx bits, not zero). queue is what the
 * pcapng packet block records. */
void sl_capture_burst(const struct sl_capture_set *cs, uint8_t mask,
		      uint16_t worker, uint16_t port, uint32_t queue,
		      enum rte_pcapng_direction dir,
		      struct rte_mbuf *const *pkts, uint16_t n);

#endif
