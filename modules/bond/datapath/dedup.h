/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Duplicate discard for broadcast bonds. In a full mesh every host repeats
 * what one of its links brings to the others (so a cut link is routed round
 * the third host), and every frame then arrives twice: the second copy is
 * recognised by a 64-bit signature of its bytes seen within a short window,
 * as PRP/HSR redundancy does. A direct-mapped table: a collision only lets a
 * duplicate through, it never drops a new frame.
 */
#ifndef SL_DEDUP_H
#define SL_DEDUP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "sl_bond.h"

struct sl_dedup_slot {
	uint64_t sig;
	uint64_t tsc;
};

struct sl_dedup {
	uint64_t window_tsc;
	uint32_t mask;	/* duplicates are counted as drops, not here */
	struct sl_dedup_slot slot[];
};

/* Whether m was seen within the window; records it either way. One thread
 * per table (a bond's members are polled by one worker). */
bool sl_dedup_check(struct sl_dedup *d, const struct rte_mbuf *m,
		    uint64_t now_tsc);

#endif
