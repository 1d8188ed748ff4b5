/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cycles per stage, counted only while profiling (sluice-bench's
 * breakdown, `sluicectl profile`): free otherwise, one predictable branch.
 *
 * A stage may hold a part timed as a stage of its own (tunnel
 * decapsulation within ingress, encapsulation within egress): the part's
 * cycles go to its own stage and are taken out of the enclosing one. A
 * part is timed per packet, and two rdtsc cost about what a decapsulation
 * does: what timing nothing takes (measured when profiling starts) is
 * counted in neither.
 */
#ifndef SL_PROFILE_H
#define SL_PROFILE_H

#include <rte_branch_prediction.h>
#include <rte_cycles.h>

#include "sl_dp.h"

static inline uint64_t
sl_profile_now(const struct sl_worker *w)
{
	return unlikely(w->profile) ? rte_rdtsc() : 0;
}

/* Charge the time since t0, less its parts', to a stage; returns now. */
static inline uint64_t
sl_profile_lap(struct sl_worker *w, enum sl_stage stage, uint64_t t0)
{
	uint64_t t;

	if (likely(!w->profile))
		return 0;
	t = rte_rdtsc();
	w->stats.stage_cycles[stage] += t - t0 - w->profile_parts;
	w->profile_parts = 0;
	return t;
}

/* Charge the time since t0 to a part's stage. */
static inline void
sl_profile_part(struct sl_worker *w, enum sl_stage stage, uint64_t t0)
{
	uint64_t d;

	if (likely(!w->profile))
		return;
	d = rte_rdtsc() - t0;
	w->stats.stage_cycles[stage] += d > w->profile_overhead ? d - w->profile_overhead : 0;
	w->profile_parts += d;
}

#endif
