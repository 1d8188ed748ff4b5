/* SPDX-License-Identifier: BSD-3-Clause */
/* EAL for unit tests: no hugepages, no PCI, no shared files, one lcore. */
#ifndef SL_TEST_EAL_FIXTURE_H
#define SL_TEST_EAL_FIXTURE_H

#include <rte_mempool.h>

/* Starts the EAL once per process; returns 0 or -1. */
int sl_test_eal_init(const char *prefix);
/* The same with an --lcores map ("0@0,1@0": a worker lcore to plan with). */
int sl_test_eal_init_lcores(const char *prefix, const char *lcores);
/* A pool with sluice's per-packet metadata area. */
struct rte_mempool *sl_test_pool(void);

#endif
