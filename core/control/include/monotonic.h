/* SPDX-License-Identifier: BSD-3-Clause */
/* The control thread's clock: CLOCK_MONOTONIC, for timers and for how
 * long something took (never the datapath's: it counts TSC cycles). */
#ifndef SL_MONOTONIC_H
#define SL_MONOTONIC_H

#include <stdint.h>
#include <time.h>

static inline uint64_t
sl_monotonic_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static inline uint64_t
sl_monotonic_ms(void)
{
	return sl_monotonic_us() / 1000;
}

#endif
