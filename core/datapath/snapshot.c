/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_debug.h>
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
	for (unsigned int p = 0; p < SL_DP_MAX_PORTS; p++) {
		s->ports[p].native_network = SL_NETWORK_NONE;
		s->ports[p].bond = SL_BOND_NONE;
	}
	for (unsigned int n = 0; n < nb_networks; n++) {
		memset(s->networks[n].tag, 0xff, sizeof(s->networks[n].tag));
		s->networks[n].transport = SL_TUNNEL_NONE;
	}
	return s;
}

int
sl_snapshot_join(struct sl_snapshot *s, uint16_t port, uint16_t network,
		 uint16_t tag, uint16_t mtu)
{
	struct sl_dp_port *p = &s->ports[port];
	struct sl_dp_network *n = &s->networks[network];

	if (tag != SL_TAG_UNTAGGED) {
		if (!p->vlan_network) {
			p->vlan_network = rte_malloc("sl_vlan_map",
						     SL_VLAN_IDS * sizeof(uint16_t), 0);
			if (!p->vlan_network)
				return -ENOMEM;
			memset(p->vlan_network, 0xff,
			       SL_VLAN_IDS * sizeof(uint16_t));
		}
		p->vlan_network[tag] = network;
	} else {
		p->native_network = network;
	}
	if (n->tag[port] == SL_TAG_NONE)
		n->ports[n->nb_ports++] = port;
	n->tag[port] = tag;
	n->mtu[port] = mtu;
	return 0;
}

void
sl_snapshot_set_handoff(struct sl_snapshot *s, uint16_t port,
			struct rte_ring *ring)
{
	RTE_ASSERT(port < SL_MAX_PORTS);
	if (!ring || s->ports[port].tx_handoff)
		return;
	s->ports[port].tx_handoff = ring;
	s->handoff_ports[s->nb_handoff++] = port;
}

void
sl_snapshot_free(struct sl_snapshot *snap)
{
	if (!snap)
		return;
	for (unsigned int p = 0; p < SL_DP_MAX_PORTS; p++)
		rte_free(snap->ports[p].vlan_network);
	rte_free(snap);
}
