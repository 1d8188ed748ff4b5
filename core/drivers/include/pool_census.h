/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which buffers a pool holds, to give back what a failed af_xdp queue
 * set-up took. DPDK 22.11's af_xdp PMD fills the new UMEM's fill ring
 * with 4,096 buffers of the port's pool before it binds the socket; when
 * the bind fails (the interface's queue is still held by a socket closing,
 * port.c) it destroys the UMEM and never frees those buffers. A port pool
 * of 8,191 buffers is empty after two such tries. A census of the pool
 * before a try, and one after, names the buffers the try took; nothing
 * else takes from a port's pool while its port is not started.
 */
#ifndef SL_POOL_CENSUS_H
#define SL_POOL_CENSUS_H

#include <rte_mempool.h>

struct sl_pool_census {
	void **objs;		/* sorted */
	unsigned int n;
};

/* The buffers mp holds now (each taken and put back): 0, or -ENOMEM. */
int sl_pool_census_take(struct rte_mempool *mp, struct sl_pool_census *c);
/* Put back into mp those of c it no longer holds; how many. */
unsigned int sl_pool_census_mend(struct rte_mempool *mp,
				 const struct sl_pool_census *c);
void sl_pool_census_free(struct sl_pool_census *c);

#endif
