/* SPDX-License-Identifier: BSD-3-Clause */
/* The capture stage (sl_capture.h): filter, copy, queue for the writer. */
/* rte_pcapng and rte_bpf are experimental in DPDK 22.11 */
#define ALLOW_EXPERIMENTAL_API
#include <rte_cycles.h>

#include "sl_capture.h"

/* The head of pcapng's Enhanced Packet Block (draft-tuexen-opsawg-pcapng
 * section 4.3), as rte_pcapng_copy puts it in front of a copy. */
struct epb_head {
	uint32_t block_type, block_length, interface_id, ts_high, ts_low;
};

/*
 * The time of a burst in ns since the epoch, from the capture's own base.
 * DPDK 22.11's rte_pcapng_copy converts the TSC with a reference shared by
 * every lcore and moved, unsynchronised, a second at a time; a TSC
 * reading older than the reference (another worker moved it meanwhile)
 * comes out centuries ahead (2251 was seen). DPDK 23.07 moved the
 * conversion to the writer. Here each copy's timestamp is set again from
 * this value: once per burst, the 128-bit product needs no reference.
 */
static inline uint64_t
burst_ns(const struct sl_capture_tap *t, uint64_t tsc)
{
	return t->base_ns + (uint64_t)((unsigned __int128)(tsc - t->base_tsc) *
				       1000000000u / t->tsc_hz);
}

static inline bool
wanted(const struct sl_capture_tap *t, struct rte_mbuf *m)
{
	if (!t->bpf)
		return true;
	/* the program reads the frame through the mbuf (rte_bpf_convert's
	 * programs take one: segments are followed) */
	return (t->jit ? t->jit(m) : rte_bpf_exec(t->bpf, m)) != 0;
}

static void
tap_burst(const struct sl_capture_tap *t, struct sl_capture_counters *c,
	  uint16_t port, uint32_t queue, enum rte_pcapng_direction dir,
	  uint64_t tsc, struct rte_mbuf *const *pkts, uint16_t n)
{
	struct rte_mbuf *copies[n];
	unsigned int nb = 0, queued;
	uint64_t ns = burst_ns(t, tsc);

	c->seen += n;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *cp;

		if (!wanted(t, pkts[i])) {
			c->filtered++;
			continue;
		}
		/* an mbuf of the capture's pool (its per-lcore cache): no
		 * system call, no lock */
		cp = rte_pcapng_copy(port, queue, pkts[i], t->pool, t->snaplen,
				     tsc, dir);
		if (unlikely(!cp)) {
			c->dropped++;
			continue;
		}
		struct epb_head *epb = rte_pktmbuf_mtod(cp, struct epb_head *);

		epb->ts_high = (uint32_t)(ns >> 32);
		epb->ts_low = (uint32_t)ns;
		copies[nb++] = cp;
	}
	if (!nb)
		return;
	queued = rte_ring_mp_enqueue_burst(t->ring, (void **)copies, nb, NULL);
	c->copied += queued;
	if (unlikely(queued < nb)) {
		c->dropped += nb - queued;
		rte_pktmbuf_free_bulk(copies + queued, nb - queued);
	}
}

void
sl_capture_burst(const struct sl_capture_set *cs, uint8_t mask,
		 uint16_t worker, uint16_t port, uint32_t queue,
		 enum rte_pcapng_direction dir, struct rte_mbuf *const *pkts,
		 uint16_t n)
{
	/* one timestamp a burst: the packets came in (or go out) together */
	uint64_t tsc = rte_rdtsc();

	while (mask) {
		unsigned int i = (unsigned int)__builtin_ctz(mask);

		mask &= (uint8_t)(mask - 1);
		tap_burst(&cs->tap[i], &cs->tap[i].counters[worker], port,
			  queue, dir, tsc, pkts, n);
	}
}
