/* SPDX-License-Identifier: BSD-3-Clause */
/* Ingress: which network a packet belongs to. Today a port belongs to one
 * network; VLAN maps and tunnel decapsulation slot in here. */
#include "sl_pipeline.h"

uint16_t
sl_ingress_burst(struct sl_worker *w, const struct sl_snapshot *s,
		 uint16_t in_port, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t network = s->ports[in_port].network;

	if (unlikely(network == SL_NETWORK_NONE || network >= s->nb_networks)) {
		for (uint16_t i = 0; i < n; i++)
			sl_drop_rx(&w->stats, pkts[i], SL_DROP_PORT_NO_NETWORK);
		return 0;
	}
	for (uint16_t i = 0; i < n; i++)
		sl_meta(pkts[i])->network = network;
	return n;
}
