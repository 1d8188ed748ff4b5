/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A pcap trace held in memory (read and optionally filtered by libpcap),
 * and packet buffers made from it: what sluice-bench replays.
 */
#ifndef SL_BENCH_TRACE_H
#define SL_BENCH_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>

struct sl_trace_frame {
	uint32_t len;
	uint32_t off;		/* into sl_trace.data */
};

struct sl_trace {
	struct sl_trace_frame *frames;
	size_t nb_frames;
	uint8_t *data;
	uint64_t bytes;		/* sum of the frames' lengths */
	size_t truncated;	/* frames captured shorter than they were */
};

/* Loads path, keeping the frames filter (a tcpdump expression, NULL for
 * all) matches. Returns 0 or -1 with a sentence in err. */
int sl_trace_load(struct sl_trace *t, const char *path, const char *filter,
		  char *err, size_t errlen);
void sl_trace_free(struct sl_trace *t);

/* Frame i as a packet from pool (chained buffers when it is longer than
 * one); NULL when the pool is empty. */
struct rte_mbuf *sl_trace_mbuf(const struct sl_trace *t, size_t i,
			       struct rte_mempool *pool);

#endif
