/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Parse stage: fill each packet's metadata (VLAN tags, EtherType, IPv4
 * addresses and protocol, L4 ports, ARP addresses) and drop malformed frames
 * with a named reason. Headers may span mbuf segments.
 */
#ifndef SL_PARSE_H
#define SL_PARSE_H

#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>

#include "sl_drop.h"
#include "sl_meta.h"
#include "sl_stats.h"

/* len bytes of m at off, always in buf: rte_pktmbuf_read points into the
 * frame where the bytes are in one segment, and they may sit at any
 * address there (a segment that starts at an odd one), so a struct with
 * an alignment (struct rte_arp_hdr's is 2) is read from a copy. NULL if
 * the frame is shorter. */
static inline const void *
sl_mbuf_copy(const struct rte_mbuf *m, uint32_t off, uint32_t len, void *buf)
{
	const void *p = rte_pktmbuf_read(m, off, len, buf);

	if (p && p != buf)
		memcpy(buf, p, len);
	return p ? buf : NULL;
}

/* Parse one frame; returns SL_DROP_NONE or why it must be dropped.
 * md->in_port and md->network are left as they are. */
enum sl_drop sl_parse_pkt(const struct rte_mbuf *m, struct sl_pkt_meta *md);

/* Parse a burst received on a port: count it in rx (everything received,
 * malformed or not), set each frame's in_port (the switch's port: the
 * bond of a member) and no network yet. Malformed frames are freed and
 * counted. Survivors are compacted to the front of pkts; returns their
 * number. */
uint16_t sl_parse_burst(struct sl_worker_stats *st, struct sl_port_counters *rx,
			uint16_t in_port, struct rte_mbuf **pkts, uint16_t n);

#endif
