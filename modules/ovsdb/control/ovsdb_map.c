/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The plan (ovsdb_plan.c) → sluice's model: networks, PIFs and VLANs made,
 * changed or removed so that the model is what the tables say. Ports that
 * stay are not touched (their MTU and MAC change in place: made again, an
 * internal port's tap would lose the addresses the host gave it). The
 * model changes in two applies at most (ports that go, then ports that
 * come), so a burst of database changes is one reconfiguration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bond_model.h"
#include "fdb.h"
#include "kernel_netlink.h"
#include "bond_runtime.h"
#include "log.h"
#include "model.h"
#include "ovsdb_map.h"
#include "ovsdb_port.h"
#include "tunnel_model.h"

/* Whether p is the port w asks for, but for its MTU and MAC. */
bool
sl_ovsdb_same_port(const struct sl_pif *p, const struct sl_ovsdb_iface *w)
{
	return w && !w->error[0] && strcmp(p->ep.network->uuid, w->net_uuid) == 0 &&
	       strcmp(p->ep.device, w->name) == 0 &&
	       (strcmp(p->ep.devargs, w->devargs) == 0 ||
		strcmp(p->ep.devargs, w->fallback) == 0);
}

/* A PIF the database may change: its port, or a PIF of no feature (what
 * sluicectl made before --ovsdb, which goes; a bond's former member). */
bool
sl_ovsdb_mapped(const struct sl_pif *p)
{
	return (p->ep.role == &sl_ovsdb_port_role || !p->ep.role) &&
	       !p->vlan_master_of;
}


/* A port a VLAN rides on: the database's, and still wanted. */
bool
sl_ovsdb_port_wanted(const struct sl_ovsdb_plan *plan, const struct sl_pif *p)
{
	if (sl_bond_of_pif(p))
		return sl_ovsdb_bond_wanted(plan, sl_bond_of_pif(p));
	return sl_ovsdb_mapped(p) && sl_ovsdb_same_port(p, sl_ovsdb_plan_iface(plan, p->ep.uuid));
}

static bool
vlan_wanted(const struct sl_ovsdb_plan *plan, const struct sl_vlan *v)
{
	return sl_ovsdb_port_wanted(plan, v->tagged) &&
	       sl_ovsdb_plan_has_vlan(plan, v->tagged->ep.uuid, v->tag,
				      v->untagged->ep.network->uuid);
}




/* VLANs of the database's ports that go (one apply), before the ports
 * they ride on. */
static bool
remove_stale_vlans(struct sl_ovsdb *o, const struct sl_ovsdb_plan *plan)
{
	struct sl_model *m = o->rt->model;
	struct sl_vlan *v, *vn;
	bool any = false;

	TAILQ_FOREACH(v, &m->vlans, next)
		if ((sl_ovsdb_mapped(v->tagged) || sl_bond_of_pif(v->tagged)) &&
		    !vlan_wanted(plan, v)) {
			v->untagged->ep.plugged = false;
			any = true;
		}
	if (any)
		sl_runtime_apply(o->rt);
	for (v = TAILQ_FIRST(&m->vlans); v; v = vn) {
		vn = TAILQ_NEXT(v, next);
		if ((sl_ovsdb_mapped(v->tagged) || sl_bond_of_pif(v->tagged)) &&
		    !v->untagged->ep.plugged)
			sl_model_vlan_remove(m, v);
	}
	return any;
}

/* An internal port's tap outlives sluiced (persist, ovsdb_plan.c): when
 * the database drops the port, the tap goes too. */
static void
remove_persistent_tap(const struct sl_pif *p)
{
	char why[128];

	if (strncmp(p->ep.devargs, "net_tap,", 8) != 0 ||
	    !strstr(p->ep.devargs, ",persist"))
		return;
	if (sl_kernel_link_delete(p->ep.device, why, sizeof(why)) < 0)
		SL_LOG(WARNING, "database: %s\n", why);
}

/* Unplug what goes (one apply), then forget it. VIFs all go: the
 * database's interfaces are PIFs. */
static bool
remove_stale(struct sl_ovsdb *o, const struct sl_ovsdb_plan *plan)
{
	struct sl_model *m = o->rt->model;
	struct sl_pif *p, *pn;
	struct sl_vif *vif, *vifn;
	bool any = false;

	TAILQ_FOREACH(p, &m->pifs, next)
		if (sl_ovsdb_mapped(p) && !sl_ovsdb_same_port(p, sl_ovsdb_plan_iface(plan, p->ep.uuid))) {
			p->ep.plugged = false;
			any = true;
		}
	TAILQ_FOREACH(vif, &m->vifs, next)
		if (!vif->ep.role) {
			vif->ep.plugged = false;
			any = true;
		}
	if (!any)
		return false;
	sl_runtime_apply(o->rt);
	for (p = TAILQ_FIRST(&m->pifs); p; p = pn) {
		pn = TAILQ_NEXT(p, next);
		if (sl_ovsdb_mapped(p) && !p->ep.plugged) {
			SL_LOG(NOTICE, "database: interface %s removed or changed\n",
			       p->ep.device);
			remove_persistent_tap(p);
			sl_model_pif_remove(m, p);
		}
	}
	for (vif = TAILQ_FIRST(&m->vifs); vif; vif = vifn) {
		vifn = TAILQ_NEXT(vif, next);
		if (!vif->ep.role) {
			SL_LOG(NOTICE, "database: VIF %s is not the database's; removed\n",
			       vif->ep.device);
			sl_model_vif_remove(m, vif);
		}
	}
	return true;
}

/* Networks no bridge or VLAN asks for, once their ports are gone (what a
 * feature still holds keeps its network); a VLAN's network whose name
 * changed (a fake bridge added for it) is renamed in place. */
static bool
remove_networks(struct sl_ovsdb *o, const struct sl_ovsdb_plan *plan)
{
	struct sl_model *m = o->rt->model;
	struct sl_network *n, *nn;
	bool any = false;

	for (n = TAILQ_FIRST(&m->networks); n; n = nn) {
		const struct sl_ovsdb_net *want = sl_ovsdb_plan_net(plan, n->uuid);
		struct sl_err err = { 0 };

		nn = TAILQ_NEXT(n, next);
		if (want) {
			if (strcmp(want->bridge, n->bridge) != 0) {
				snprintf(n->bridge, sizeof(n->bridge), "%s", want->bridge);
				snprintf(n->name_label, sizeof(n->name_label), "%s",
					 want->bridge);
				any = true;
			}
			continue;
		}
		if (sl_model_network_pifs(m, n) || sl_model_network_vifs(m, n)) {
			SL_LOG(WARNING, "database: network %s (bridge %s) is not the database's but keeps ports that are not either; left as it is\n",
			       n->uuid, n->bridge);
			continue;
		}
		if (sl_runtime_network_destroy(o->rt, n, &err) < 0) {
			SL_LOG(ERR, "database: bridge %s cannot go: %s\n", n->bridge,
			       err.msg);
			continue;
		}
		SL_LOG(NOTICE, "database: bridge %s removed\n", n->bridge);
		any = true;
	}
	return any;
}

static bool
add_networks(struct sl_ovsdb *o, const struct sl_ovsdb_plan *plan)
{
	bool any = false;

	for (size_t i = 0; i < plan->n_nets; i++) {
		const struct sl_ovsdb_net *want = &plan->nets[i];
		struct sl_network_spec spec = {
			.uuid = want->uuid, .name_label = want->bridge,
			.bridge = want->bridge,
		};
		struct sl_err err = { 0 };

		if (sl_model_network_find(o->rt->model, want->uuid))
			continue;
		if (!sl_model_network_add(o->rt->model, &spec, &err)) {
			SL_LOG(ERR, "database: bridge %s: %s\n", spec.bridge, err.msg);
			continue;
		}
		SL_LOG(NOTICE, "database: bridge %s added\n", spec.bridge);
		any = true;
	}
	return any;
}

/* Make the PIFs that are missing; true if any was made. */
static bool
add_ports(struct sl_ovsdb *o, struct sl_ovsdb_plan *plan)
{
	bool any = false;

	for (size_t i = 0; i < plan->n_ifaces; i++) {
		struct sl_ovsdb_iface *w = &plan->ifaces[i];
		struct sl_endpoint_spec spec = {
			.uuid = w->uuid, .device = w->name,
			.devargs = w->devargs, .mac = w->mac,
			.network_uuid = w->net_uuid, .mtu = w->mtu,
			/* a bond's member: its bond opens it */
			.plugged = !w->member, .vlan = -1,
			.role = &sl_ovsdb_port_role,
		};
		struct sl_err err = { 0 };

		if (w->error[0] || w->tunnel ||
		    sl_model_endpoint_find(o->rt->model, w->uuid, false))
			continue;
		if (!(w->net = sl_model_network_find(o->rt->model, w->net_uuid))) {
			snprintf(w->error, sizeof(w->error),
				 "its bridge could not be set up (the log says why)");
			continue;
		}
		if (!sl_model_pif_add(o->rt->model, &spec, &err)) {
			snprintf(w->error, sizeof(w->error), "%s", err.msg);
			continue;
		}
		any = true;
	}
	return any;
}



/* The VLANs trunk ports carry that are missing. */
static bool
add_vlans(struct sl_ovsdb *o, const struct sl_ovsdb_plan *plan)
{
	struct sl_model *m = o->rt->model;
	bool any = false;

	for (size_t i = 0; i < plan->n_vlans; i++) {
		const struct sl_ovsdb_vlan *want = &plan->vlans[i];
		struct sl_endpoint *ep = sl_model_endpoint_find(m, want->iface_uuid, false);
		struct sl_network *net = sl_model_network_find(m, want->net_uuid);
		struct sl_pif *tagged = ep ? SL_PIF_OF(ep) : NULL;
		struct sl_err err = { 0 };
		struct sl_vlan *v;
		bool have = false;

		if (!tagged || !net)
			continue;
		TAILQ_FOREACH(v, &m->vlans, next)
			have |= v->tagged == tagged && v->tag == want->tag;
		if (have)
			continue;
		v = sl_model_vlan_add(m, NULL, NULL, tagged, want->tag, net, &err);
		if (!v) {
			SL_LOG(ERR, "database: %s cannot carry VLAN %u: %s\n",
			       tagged->ep.device, want->tag, err.msg);
			continue;
		}
		v->untagged->ep.plugged = true;
		any = true;
	}
	return any;
}





/* MTU and MAC changes of ports that stay; true if any. */
static bool
adjust(struct sl_ovsdb *o, const struct sl_ovsdb_plan *plan)
{
	struct sl_pif *p;
	bool any = false;

	TAILQ_FOREACH(p, &o->rt->model->pifs, next) {
		const struct sl_ovsdb_iface *w =
			sl_ovsdb_mapped(p) ? sl_ovsdb_plan_iface(plan, p->ep.uuid) : NULL;
		struct rte_ether_addr mac;
		uint16_t mtu;

		if (!w || w->error[0])
			continue;
		mtu = (uint16_t)(w->mtu ? w->mtu : p->ep.network->mtu);
		if (p->ep.mtu != mtu) {
			p->ep.mtu = mtu;
			any = true;
		}
		if (w->mac && rte_ether_unformat_addr(w->mac, &mac) == 0 &&
		    !rte_is_same_ether_addr(&mac, &p->ep.mac)) {
			p->ep.mac = mac;
			p->ep.mac_set = true;
			if (p->ep.port_id != SL_PORT_NONE &&
			    sl_port_set_mac(&o->rt->ports[p->ep.port_id], &mac) < 0)
				SL_LOG(WARNING, "database: %s keeps its MAC: the PMD refuses another\n",
				       p->ep.device);
			any = true;
		}
	}
	return any;
}

/* af_xdp could not attach (no XDP on that device): af_packet instead. */
static void
fall_back(struct sl_ovsdb *o, const struct sl_ovsdb_plan *plan)
{
	bool any = false;

	for (size_t i = 0; i < plan->n_ifaces; i++) {
		const struct sl_ovsdb_iface *w = &plan->ifaces[i];
		struct sl_endpoint *ep;

		if (w->error[0] || !w->fallback[0] ||
		    !(ep = sl_model_endpoint_find(o->rt->model, w->uuid, false)) ||
		    ep->port_id != SL_PORT_NONE || strcmp(ep->devargs, w->devargs) != 0)
			continue;
		SL_LOG(NOTICE, "database: %s: af_xdp cannot attach (%s); using af_packet\n",
		       w->name, ep->error);
		snprintf(ep->devargs, sizeof(ep->devargs), "%s", w->fallback);
		any = true;
	}
	if (any)
		sl_runtime_apply(o->rt);
}

/* What sluice made of each Interface, for the status it writes back. */
static void
record(struct sl_ovsdb *o, struct sl_ovsdb_plan *plan)
{
	o->ifaces_gen++;
	json_object_clear(o->ifaces);
	for (size_t i = 0; i < plan->n_ifaces; i++) {
		struct sl_ovsdb_iface *w = &plan->ifaces[i];
		struct sl_endpoint *ep = w->error[0] ? NULL :
			sl_model_endpoint_find(o->rt->model, w->uuid, false);
		const char *mode = w->mode;
		uint32_t remote;

		if (ep && ep->port_id == SL_PORT_NONE)
			snprintf(w->error, sizeof(w->error), "%s",
				 ep->error[0] ? ep->error : "the port could not be attached");
		if (ep && w->fallback[0] && strcmp(ep->devargs, w->fallback) == 0)
			mode = "af_packet";
		const char *bridge = json_string_value(json_object_get(
			sl_ovsdb_row(o, "Bridge", w->bridge_uuid), "name"));

		json_object_set_new(o->ifaces, w->uuid, json_pack(
			"{s:s, s:I, s:s, s:s, s:b, s:s, s:s, s:b}", "name", w->name,
			"ofport", (json_int_t)(w->error[0] ? -1 : w->ofport),
			"error", w->error, "attached-with",
			w->error[0] ? "" : mode ? mode : "", "tunnel", w->tunnel,
			"bridge", bridge ? bridge : "", "bridge-uuid",
			w->bridge_uuid, "local", w->local));
		if (w->guest_mac && !w->error[0])
			json_object_set_new(json_object_get(o->ifaces, w->uuid),
					    "guest-mac", json_string(w->guest_mac));
		/* a tunnel's remote: OpenFlow numbers it as a port */
		if (w->tunnel && !w->error[0] &&
		    sl_ovsdb_plan_tunnel_remote(plan, w->uuid, &remote)) {
			char ip[SL_IPV4_STR_LEN];

			sl_ipv4_format(ip, remote);
			json_object_set_new(json_object_get(o->ifaces, w->uuid),
					    "remote-ip", json_string(ip));
		}
	}
}

/* A guest's MAC (the hotplug scripts' attached-mac) is known before the
 * guest sends, as sluice holds its VIFs' MACs: a static FDB entry on its
 * port, made again after every change (a port's detach flushes its
 * entries). */
void
sl_ovsdb_pin_guests(struct sl_ovsdb *o)
{
	struct sl_runtime *rt = o->rt;
	const char *uuid;
	json_t *mine;

	json_object_foreach(o->ifaces, uuid, mine) {
		const char *mac_s = json_string_value(json_object_get(mine, "guest-mac"));
		struct sl_endpoint *ep = mac_s ?
			sl_model_endpoint_find(rt->model, uuid, false) : NULL;
		struct rte_ether_addr mac;

		if (ep && ep->port_id != SL_PORT_NONE &&
		    rte_ether_unformat_addr(mac_s, &mac) == 0 &&
		    sl_fdb_add_static(rt->dp->fdb, ep->network->dp_id, &mac,
				      ep->port_id) < 0)
			SL_LOG(WARNING, "database: no room for %s's static FDB entry\n",
			       ep->device);
	}
}

/* The ports whose frames of unknown VLANs the datapath hands over
 * (ovsdb_vlans.c), before the snapshot that marks them is built. */
static void
trunks_of_every_vlan(struct sl_ovsdb *o, const struct sl_ovsdb_plan *plan)
{
	json_object_clear(o->discovering);
	for (size_t i = 0; i < plan->n_ifaces; i++)
		if (plan->ifaces[i].trunk_all && !plan->ifaces[i].error[0])
			json_object_set_new(o->discovering, plan->ifaces[i].uuid,
					    json_true());
	for (size_t i = 0; i < plan->n_bonds; i++)
		if (plan->bonds[i].trunk_all)
			json_object_set_new(o->discovering, plan->bonds[i].uuid,
					    json_true());
}

void
sl_ovsdb_map(struct sl_ovsdb *o)
{
	struct sl_ovsdb_plan plan;
	struct sl_err err = { 0 };
	bool changed = false;

	sl_ovsdb_plan_make(o, &plan);
	trunks_of_every_vlan(o, &plan);
	changed |= sl_ovsdb_remove_stale_tunnels(o, &plan);
	changed |= remove_stale_vlans(o, &plan);
	changed |= sl_ovsdb_remove_stale_bonds(o, &plan);
	changed |= remove_stale(o, &plan);
	changed |= remove_networks(o, &plan);
	changed |= add_networks(o, &plan);
	if (add_ports(o, &plan) | sl_ovsdb_add_bonds(o, &plan) | add_vlans(o, &plan) |
	    sl_ovsdb_sync_tunnels(o, &plan) | adjust(o, &plan)) {
		changed = true;
		sl_runtime_apply(o->rt);
		fall_back(o, &plan);
	}
	record(o, &plan);
	sl_ovsdb_pin_guests(o);
	o->has_tunnels = plan.n_tunnels > 0;
	if (changed && sl_runtime_save_state(o->rt, &err) < 0)
		SL_LOG(ERR, "database: the state file is not saved: %s\n", err.msg);
	sl_ovsdb_plan_free(&plan);
}
