/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include <rte_malloc.h>

#include "sl_snapshot.h"

struct sl_snapshot *
sl_snapshot_alloc(uint16_t nb_networks, uint16_t nb_workers)
{
	size_t workers_off = RTE_ALIGN(sizeof(struct sl_snapshot),
				       RTE_CACHE_LINE_SIZE);
	size_t networks_off = RTE_ALIGN(workers_off + nb_workers *
					sizeof(struct sl_dp_worker_plan),
					RTE_CACHE_LINE_SIZE);
	size_t size = networks_off +
		      (size_t)nb_networks * sizeof(struct sl_dp_network);
	struct sl_snapshot *s;

	if (nb_workers == 0 || nb_workers > SL_MAX_WORKERS) {
		errno = EINVAL;
		return NULL;
	}
	s = rte_zmalloc("sl_snapshot", size, RTE_CACHE_LINE_SIZE);
	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	s->nb_networks = nb_networks;
	s->nb_workers = nb_workers;
	s->workers = (struct sl_dp_worker_plan *)((char *)s + workers_off);
	s->networks = (struct sl_dp_network *)((char *)s + networks_off);
	for (unsigned int p = 0; p < SL_MAX_PORTS; p++)
		s->ports[p].network = SL_NETWORK_NONE;
	return s;
}

void
sl_snapshot_free(struct sl_snapshot *snap)
{
	rte_free(snap);
}
