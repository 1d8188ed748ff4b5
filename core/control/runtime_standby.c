/* SPDX-License-Identifier: BSD-3-Clause */
/* A takeover's ports open out of the snapshot (runtime.h, enum
 * sl_standby). */
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "log.h"
#include "rcu_expedite.h"
#include "runtime.h"
#include "runtime_port.h"

/* Bursts read at most when a port joins: more than its receive ring
 * holds, and a bound if frames keep coming. */
#define DRAIN_BURSTS 128

bool
sl_runtime_port_shareable(const struct sl_endpoint *ep)
{
	return sl_port_kind_of(ep->devargs) == SL_PORT_KIND_AF_PACKET;
}

int
sl_runtime_standby_open(struct sl_runtime *rt, struct sl_endpoint *ep)
{
	int rc;

	if (ep->port_id != SL_PORT_NONE)
		return 0;
	rc = sl_runtime_port_attach(rt, ep);
	sl_rcu_expedite_end();	/* a batch of its own */
	if (rc < 0)
		return -1;
	rt->standby[ep->port_id] = SL_STANDBY_OPENING;
	return 0;
}

unsigned int
sl_runtime_standby_take(struct sl_runtime *rt, struct sl_endpoint *ep)
{
	struct rte_mbuf *pkts[SL_BURST];
	unsigned int dropped = 0;
	uint16_t n;

	if (ep->port_id == SL_PORT_NONE ||
	    rt->standby[ep->port_id] != SL_STANDBY_OPENING)
		return 0;
	/* no worker polls it yet: this thread may */
	for (int i = 0; i < DRAIN_BURSTS &&
			(n = rte_eth_rx_burst(ep->port_id, 0, pkts, SL_BURST)) > 0;
	     i++) {
		rte_pktmbuf_free_bulk(pkts, n);
		dropped += n;
	}
	rt->standby[ep->port_id] = SL_STANDBY_NONE;
	return dropped;
}

void
sl_runtime_standby_release(struct sl_runtime *rt, struct sl_endpoint *ep)
{
	if (ep->port_id == SL_PORT_NONE)
		return;
	rt->standby[ep->port_id] = SL_STANDBY_CLOSING;
}

void
sl_runtime_standby_clear(struct sl_runtime *rt)
{
	for (uint16_t pid = 0; pid < SL_MAX_PORTS; pid++)
		rt->standby[pid] = SL_STANDBY_NONE;
}
