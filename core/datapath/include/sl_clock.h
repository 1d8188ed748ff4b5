/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_CLOCK_H
#define SL_CLOCK_H

#include <stdint.h>

#include <rte_cycles.h>

/* Seconds on the TSC: what FDB ages are measured in, read once per worker
 * loop (no syscall) and by the control thread alike. */
static inline uint32_t
sl_clock_s_at(uint64_t tsc)
{
	return (uint32_t)(tsc / rte_get_tsc_hz());
}

static inline uint32_t
sl_clock_s(void)
{
	return sl_clock_s_at(rte_get_tsc_cycles());
}

#endif
