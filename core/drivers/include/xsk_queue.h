/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Whether an interface's queue is free for a new AF_XDP socket, asked
 * without the af_xdp PMD. The kernel lets a queue go a few milliseconds
 * after its last socket closed (the socket's pool is released in deferred
 * work), so the next user (a pif-plug after a pif-unplug, a takeover's
 * new sluiced) may find it busy. DPDK 22.11's PMD must not find it busy
 * twice: a failed set-up leaves its fill ring's producer index advanced
 * (libxdp does not reset it), and after two failures no set-up of the
 * port can fill the ring again.
 *
 * The question is a bind of a socket of our own that asks for zero-copy:
 * the kernel says EBUSY while the queue is held, and on an interface
 * without zero-copy (veth, virtio, tap: the generic XDP path) refuses the
 * mode (EOPNOTSUPP) once the queue is free, having held nothing. On an
 * interface with zero-copy the bind succeeds, and the probe itself holds
 * the queue until its own release: that answer is SL_XSK_QUEUE_TAKEN.
 */
#ifndef SL_XSK_QUEUE_H
#define SL_XSK_QUEUE_H

#include <stdint.h>

enum sl_xsk_queue {
	SL_XSK_QUEUE_FREE,	/* refused zero-copy, after the busy check */
	SL_XSK_QUEUE_BUSY,	/* EBUSY: a socket still holds it */
	SL_XSK_QUEUE_TAKEN,	/* the probe bound it: free, now releasing */
	SL_XSK_QUEUE_UNKNOWN,	/* no such interface, no AF_XDP...: ask the PMD */
};

enum sl_xsk_queue sl_xsk_queue_probe(const char *ifname, uint32_t queue);

#endif
