/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VLANs nothing on a bridge names, switched as ovs-vswitchd switches them:
 * a port without tag (a guest's VIF added with a plain add-port, the
 * uplink) is a trunk of every VLAN, so a frame tagged 20 arriving on it is
 * switched in VLAN 20 among the bridge's trunks, with learning of its own,
 * even when no fake bridge, tag or trunks says 20. sluice switches a VLAN
 * in a network; the datapath hands the first frames of a VLAN no network
 * claims, on such a port, to the control thread (a few a second: see
 * SL_VLAN_DISCOVERIES_PER_S), and the plan then gives the bridge that
 * VLAN's network, carried by its trunks. What comes before the network
 * exists (milliseconds) is dropped and counted as vlan_unclaimed.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "ovsdb.h"
#include "sl_meta.h"

bool
sl_ovsdb_vlan_discovered(const struct sl_ovsdb *o, const char *bridge_uuid,
			 int tag)
{
	const json_t *tags = json_object_get(o->discovered, bridge_uuid), *t;
	size_t i;

	json_array_foreach(tags, i, t)
		if (json_integer_value(t) == tag)
			return true;
	return false;
}

bool
sl_ovsdb_vlan_punt(struct sl_ovsdb *o, struct rte_mbuf *m)
{
	const struct sl_pkt_meta *md = sl_meta(m);
	const struct sl_endpoint *ep;
	const char *bridge;
	json_t *tags;
	int tag;

	if (!md->nb_vlans ||
	    !(ep = sl_model_endpoint_by_port(o->rt->model, md->in_port)) ||
	    !json_is_true(json_object_get(o->discovering, ep->uuid)))
		return false;
	o->vlan_frames++;
	tag = md->vlan_tci[0] & 0x0fff;
	bridge = ep->network->uuid;
	rte_pktmbuf_free(m);
	if (sl_ovsdb_vlan_discovered(o, bridge, tag))
		return true;	/* its network is on its way */
	tags = json_object_get(o->discovered, bridge);
	if (!tags) {
		tags = json_array();
		json_object_set_new(o->discovered, bridge, tags);
	}
	if (json_array_size(tags) >= SL_OVSDB_DISCOVERED_MAX) {
		if (json_array_size(tags) == SL_OVSDB_DISCOVERED_MAX) {
			SL_LOG(WARNING, "database: bridge %s: %d VLANs discovered on its trunks already; VLAN %d is not switched\n",
			       ep->network->bridge, SL_OVSDB_DISCOVERED_MAX, tag);
			json_array_append_new(tags, json_integer(-1));	/* said once */
		}
		return true;
	}
	json_array_append_new(tags, json_integer(tag));
	SL_LOG(NOTICE, "database: VLAN %d seen on %s, a trunk of bridge %s: switched among its trunks, as OVS does\n",
	       tag, ep->device, ep->network->bridge);
	o->dirty = true;
	return true;
}

void
sl_ovsdb_vlan_fill(struct sl_ovsdb *o, struct sl_snapshot *s)
{
	const char *uuid;
	json_t *yes;

	json_object_foreach(o->discovering, uuid, yes) {
		const struct sl_endpoint *ep =
			sl_model_endpoint_find(o->rt->model, uuid, false);

		if (ep && ep->port_id < SL_DP_MAX_PORTS)
			s->ports[ep->port_id].discover_vlans = 1;
	}
}
