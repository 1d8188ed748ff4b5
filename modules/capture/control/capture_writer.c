/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A capture's writer: a thread of its own, so a slow reader (a pipe into
 * tshark, a busy disk) blocks only it, never the control thread or a
 * worker. It takes the copies off the capture's ring, writes them with
 * rte_pcapng_write_packets, and at the end writes the statistics block
 * (frames seen, copies dropped) and closes the file.
 */
/* rte_pcapng is experimental in DPDK 22.11 */
#define ALLOW_EXPERIMENTAL_API
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_pcapng.h>

#include "capture.h"

#define WRITE_BURST 64
/* An empty ring: look again after this long. A copy waits at most this
 * much, and an idle capture costs a thousand wake-ups a second. */
#define IDLE_SLEEP_US 1000

uint64_t
sl_capture_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
end(struct sl_capture *c, const char *reason)
{
	if (!c->reason[0])
		snprintf(c->reason, sizeof(c->reason), "%s", reason);
}

/* Write n copies (at most what count leaves); false once it must end. */
static bool
write_some(struct sl_capture *c, struct rte_mbuf **pkts, unsigned int n)
{
	uint64_t written = __atomic_load_n(&c->written, __ATOMIC_RELAXED);
	unsigned int take = n;
	bool more = true;

	if (c->count && written + take >= c->count) {
		take = (unsigned int)(c->count - written);
		more = false;
	}
	if (take && rte_pcapng_write_packets(c->pcapng, pkts, (uint16_t)take) < 0) {
		char why[96];

		snprintf(why, sizeof(why), "write error: %s", strerror(rte_errno));
		end(c, why);
		more = false;
		take = 0;
	}
	/* rte_pcapng_write_packets leaves the mbufs to us (22.11) */
	rte_pktmbuf_free_bulk(pkts, n);
	__atomic_store_n(&c->written, written + take, __ATOMIC_RELAXED);
	if (!more)
		end(c, "count reached");
	return more;
}

static void
write_statistics(struct sl_capture *c)
{
	struct sl_capture_counters sum;
	char comment[256];

	sl_capture_sum(c, &sum);
	snprintf(comment, sizeof(comment),
		 "sluice: %s; %" PRIu64 " frames seen, %" PRIu64
		 " filtered out, %" PRIu64 " copied, %" PRIu64
		 " copies dropped, %" PRIu64 " written",
		 c->reason, sum.seen, sum.filtered, sum.copied, sum.dropped,
		 __atomic_load_n(&c->written, __ATOMIC_RELAXED));
	/* ifrecv: what went through the port in the capture's direction;
	 * ifdrop: the copies lost (a full ring, an empty pool) */
	rte_pcapng_write_stats(c->pcapng, c->port, comment, c->start_ns,
			       sl_capture_now_ns(), sum.seen, sum.dropped);
}

void *
sl_capture_writer(void *arg)
{
	struct sl_capture *c = arg;
	struct rte_mbuf *pkts[WRITE_BURST];
	uint64_t deadline_ns = c->duration_s ?
		c->start_ns + c->duration_s * 1000000000u : 0;

	bool stopped = false;

	for (;;) {
		unsigned int n;

		if (__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
			end(c, c->stop_reason);
			stopped = true;
			break;
		}
		if (deadline_ns && sl_capture_now_ns() >= deadline_ns) {
			end(c, "duration passed");
			break;
		}
		n = rte_ring_sc_dequeue_burst(c->ring, (void **)pkts,
					      WRITE_BURST, NULL);
		if (n == 0) {
			usleep(IDLE_SLEEP_US);
			continue;
		}
		if (!write_some(c, pkts, n))
			break;
	}
	/* what was copied before the end still goes in the file */
	if (stopped) {
		unsigned int n;

		while ((n = rte_ring_sc_dequeue_burst(c->ring, (void **)pkts,
						      WRITE_BURST, NULL)) &&
		       write_some(c, pkts, n))
			;
	}
	if (!strstr(c->reason, "write error"))
		write_statistics(c);
	rte_pcapng_close(c->pcapng);	/* closes the descriptor */
	c->pcapng = NULL;
	__atomic_store_n(&c->finished, true, __ATOMIC_RELEASE);
	return NULL;
}
