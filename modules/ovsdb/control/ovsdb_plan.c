/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tables → a plan of networks, ports and VLANs, with the meaning
 * ovs-vswitchd gives them (../shared/reference/xcp-ng-ovs-integration.md,
 * section 7):
 *
 *   Bridge B          a network (its uuid is the Bridge row's): VLAN 0,
 *                     the untagged frames of B's trunk ports
 *   a VLAN T on B     a network of its own, named after the fake bridge
 *                     that names T (add-br xapi1 xenbr0 10: "xapi1"), else
 *                     "B.T"; its uuid is made from B's and T, so it is the
 *                     same on every restart. A VLAN is on B when a fake
 *                     bridge, a port's tag or a port's trunks name it.
 *   Port with tag T   an access port: its untagged frames are VLAN T's
 *                     (a fake bridge's ports have its tag)
 *   Port without tag  a trunk: its untagged frames are B's, and it carries
 *                     every VLAN of B tagged (or those of its trunks)
 *   Port of several   a bond of those Interfaces (the bond's PIF has the
 *   Interfaces        Port's uuid and name), bond_mode and lacp as below
 *   Interface         a port of sluice (a PIF, its uuid the Interface
 *                     row's), by type:
 *     "" / system     the kernel netdev of that name, over af_xdp, or
 *                     af_packet where af_xdp cannot attach
 *     internal        a tap netdev sluice owns, so the host's own stack
 *                     (the management IP on xenbr0) is a port
 *     dpdk            options:dpdk-devargs
 *     dpdkvhostuser   vhost-user, sluice the server ($OVS_RUNDIR/NAME)
 *     dpdkvhostuserclient  vhost-user, options:vhost-server-path
 *     gre, vxlan      a remote host (options:remote_ip) of the bridge's
 *                     private network, key options:key; the bridge's
 *                     tunnel runs over the uplink of the bridge whose own
 *                     port holds the address the kernel's route to the
 *                     remote leaves from (options:local_ip, when given,
 *                     is the source instead, as ip route get ... from)
 *
 * Each Interface gets an OpenFlow port number (ofport), per Bridge:
 * ofport_request, else the one it had (the database keeps it across
 * restarts), else the lowest free one; 65534 for the bridge's own port.
 * What cannot be set up gets ofport -1 and an error sentence; the rest
 * keeps working.
 */
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb_plan.h"

#define OFPORT_MAX 0xfeff	/* OFPP_MAX: the last ordinary port */
#define VLAN_LAST 4094

/* A new zeroed element at the end of *v (n elements, room for *cap). */
void *
sl_ovsdb_push(void *v, size_t *n, size_t *cap, size_t size)
{
	void **vp = v;

	if (*n == *cap) {
		size_t cap2 = *cap ? *cap * 2 : 16;
		void *v2 = realloc(*vp, cap2 * size);

		if (!v2)
			return NULL;
		*vp = v2;
		*cap = cap2;
	}
	memset((char *)*vp + *n * size, 0, size);
	return (char *)*vp + (*n)++ * size;
}

/* How an Interface of type becomes a port: its devargs, or an error. */
static void
plan_port(struct sl_ovsdb_iface *w, const json_t *iface, const char *type)
{
	const json_t *options = json_object_get(iface, "options");

	if (!*type || strcmp(type, "system") == 0) {
		if (!if_nametoindex(w->name)) {
			snprintf(w->error, sizeof(w->error),
				 "could not open network device %s (No such device)",
				 w->name);
			return;
		}
		snprintf(w->devargs, sizeof(w->devargs), "net_af_xdp,iface=%s",
			 w->name);
		snprintf(w->fallback, sizeof(w->fallback),
			 "net_af_packet,iface=%s", w->name);
		w->mode = "af_xdp";
	} else if (strcmp(type, "internal") == 0) {
		/* persist: the tap outlives sluiced, and the addresses the
		 * host put on it stay across a restart (ovsdb_map.c removes
		 * it when the database does) */
		snprintf(w->devargs, sizeof(w->devargs), "net_tap,iface=%s,persist",
			 w->name);
		w->mode = "tap";
	} else if (strcmp(type, "dpdk") == 0) {
		const char *devargs = sl_ovsdb_map_get(options, "dpdk-devargs");

		if (!devargs) {
			snprintf(w->error, sizeof(w->error),
				 "options:dpdk-devargs is required for an interface of type dpdk");
			return;
		}
		snprintf(w->devargs, sizeof(w->devargs), "%s", devargs);
		w->mode = "dpdk";
	} else if (strcmp(type, "dpdkvhostuserclient") == 0) {
		const char *path = sl_ovsdb_map_get(options, "vhost-server-path");

		if (!path) {
			snprintf(w->error, sizeof(w->error),
				 "options:vhost-server-path is required for an interface of type dpdkvhostuserclient");
			return;
		}
		snprintf(w->devargs, sizeof(w->devargs),
			 "net_vhost,iface=%s,client=1", path);
		w->mode = "vhost-user client";
	} else if (strcmp(type, "dpdkvhostuser") == 0) {
		snprintf(w->devargs, sizeof(w->devargs), "net_vhost,iface=%s/%s",
			 sl_ovsdb_rundir(), w->name);
		w->mode = "vhost-user server";
	} else {
		snprintf(w->error, sizeof(w->error),
			 "sluice does not support interfaces of type %s", type);
	}
}

/* What one Interface of a bridge should be (its network is set by the
 * caller); port_why: why its Port cannot be set up, or NULL. */
static void
plan_interface(struct sl_ovsdb *o, struct sl_ovsdb_iface *w,
	       const json_t *bridge, const json_t *iface, const char *port_why)
{
	const char *type = sl_ovsdb_string(json_object_get(iface, "type"), "");
	const json_t *prev = json_object_get(o->ifaces, w->uuid);
	int64_t mtu = 0;

	w->name = sl_ovsdb_string(json_object_get(iface, "name"), "");
	w->local = strcmp(w->name, sl_ovsdb_string(json_object_get(bridge, "name"), "")) == 0 &&
		   strcmp(type, "internal") == 0;
	w->tunnel = strcmp(type, "gre") == 0 || strcmp(type, "vxlan") == 0;
	/* a physical port, not a guest's (the hotplug scripts name a
	 * guest's MAC): what a tunnel's packets may leave by */
	w->guest_mac = sl_ovsdb_map_get(json_object_get(iface, "external_ids"),
					"attached-mac");
	if (w->guest_mac &&
	    rte_ether_unformat_addr(w->guest_mac, &(struct rte_ether_addr){ 0 }) < 0)
		w->guest_mac = NULL;
	w->uplink = (!*type || strcmp(type, "system") == 0 || strcmp(type, "dpdk") == 0) &&
		    !w->guest_mac;
	sl_ovsdb_integer(json_object_get(iface, "ofport_request"), &w->requested);
	if (!sl_ovsdb_integer(json_object_get(iface, "ofport"), &w->previous) &&
	    prev)
		w->previous = json_integer_value(json_object_get(prev, "ofport"));
	if (port_why) {
		snprintf(w->error, sizeof(w->error), "%s", port_why);
		return;
	}
	if (w->tunnel) {	/* a remote of the bridge's tunnel */
		w->mode = type;
		return;
	}
	if (sl_ovsdb_integer(json_object_get(iface, "mtu_request"), &mtu)) {
		if (mtu < SL_MTU_MIN || mtu > SL_MTU_MAX) {
			snprintf(w->error, sizeof(w->error),
				 "mtu_request %lld is outside %d..%d",
				 (long long)mtu, SL_MTU_MIN, SL_MTU_MAX);
			return;
		}
		w->mtu = (int)mtu;
	}
	if (sl_check_device("name", w->name, &(struct sl_err){ 0 }) < 0) {
		snprintf(w->error, sizeof(w->error),
			 "the interface name %s cannot be a device name", w->name);
		return;
	}
	/* the MAC ovs-vsctl sets on an internal port, or the bridge's
	 * (other_config:hwaddr) on its own */
	w->mac = sl_ovsdb_string(json_object_get(iface, "mac"), NULL);
	if (!w->mac && w->local)
		w->mac = sl_ovsdb_map_get(json_object_get(bridge, "other_config"),
					  "hwaddr");
	if (w->mac && rte_ether_unformat_addr(w->mac, &(struct rte_ether_addr){ 0 }) < 0) {
		snprintf(w->error, sizeof(w->error), "%s is not a MAC address",
			 w->mac);
		return;
	}
	plan_port(w, iface, type);
}

static void
note_unsupported(struct sl_ovsdb *o, const char *bridge_name,
		 const json_t *bridge)
{
	const json_t *oc = json_object_get(bridge, "other_config");

	/* fail_mode is OpenFlow's (of_bridges.c: a secure bridge starts
	 * without its NORMAL flow) */
	if (sl_ovsdb_bool(json_object_get(bridge, "mcast_snooping_enable"), false))
		json_array_append_new(o->unsupported, json_sprintf(
			"bridge %s: mcast_snooping_enable is not supported: multicast is flooded",
			bridge_name));
	if (sl_ovsdb_map_get(oc, "mac-table-size"))
		json_array_append_new(o->unsupported, json_sprintf(
			"bridge %s: other_config:mac-table-size is not honoured: the FDB is shared by all bridges (fdb-max-entries in the state file's settings)",
			bridge_name));
}

/* A VLAN's network uuid: its bridge's, with a last group of its own
 * ("51ce" and the tag), the same on every run. */
static void
vlan_net_uuid(char out[SL_OVSDB_UUID_LEN + 1], const char *bridge_uuid,
	      uint16_t tag)
{
	snprintf(out, SL_OVSDB_UUID_LEN + 1, "%.24s%012" PRIx64, bridge_uuid,
		 (uint64_t)0x51ce00000000 | tag);
}

/* A Port's VLAN settings. */
struct port_vlans {
	int tag;		/* -1: none */
	bool fake;		/* a fake bridge's port */
	const char *mode;	/* vlan_mode, "" when not set */
	uint8_t trunks[VLAN_LAST + 1];	/* the trunks column, when set */
	bool has_trunks;
};

static void
read_port_vlans(const json_t *port, struct port_vlans *pv)
{
	const json_t *trunks = json_object_get(port, "trunks");
	int64_t v;

	memset(pv, 0, sizeof(*pv));
	pv->tag = sl_ovsdb_integer(json_object_get(port, "tag"), &v) &&
			  v >= 0 && v <= VLAN_LAST ? (int)v : -1;
	pv->fake = sl_ovsdb_bool(json_object_get(port, "fake_bridge"), false);
	pv->mode = sl_ovsdb_string(json_object_get(port, "vlan_mode"), "");
	for (size_t i = 0; i < sl_ovsdb_set_size(trunks); i++) {
		json_t *t = sl_ovsdb_set_get(trunks, i);

		if (json_is_integer(t) && json_integer_value(t) >= 1 &&
		    json_integer_value(t) <= VLAN_LAST) {
			pv->trunks[json_integer_value(t)] = 1;
			pv->has_trunks = true;
		}
	}
}

/* Whether a port trunks every VLAN, those nothing names too (a port
 * without tag or trunks, as ovs-vswitchd makes it). */
static bool
trunks_all(const struct port_vlans *pv)
{
	return !pv->fake && !pv->has_trunks &&
	       (pv->tag < 0 || strcmp(pv->mode, "trunk") == 0 ||
		(pv->tag > 0 && strcmp(pv->mode, "native-untagged") == 0));
}

/* One bridge's VLANs: which are on it, and their networks' names. */
struct bridge_vlans {
	const char *name[VLAN_LAST + 1];	/* a fake bridge's, or NULL */
	uint8_t used[VLAN_LAST + 1];
};

/* A port's VLANs: the network of its untagged frames (tag; 0: the
 * bridge's) and the VLANs it carries tagged; or why it cannot be set up. */
static const char *
port_membership(const struct port_vlans *pv, const struct bridge_vlans *bv,
		int *native, uint8_t carried[VLAN_LAST + 1])
{
	bool trunk;

	memset(carried, 0, VLAN_LAST + 1);
	if (pv->fake && pv->tag < 1)
		return pv->tag == 0 ? NULL : "a fake bridge without a tag";
	if (strcmp(pv->mode, "native-tagged") == 0)
		return "vlan_mode native-tagged is not supported by sluice";
	if (strcmp(pv->mode, "dot1q-tunnel") == 0)
		return "vlan_mode dot1q-tunnel is not supported by sluice";
	*native = 0;
	trunk = pv->tag < 0 || strcmp(pv->mode, "trunk") == 0;
	if (pv->tag > 0 && strcmp(pv->mode, "trunk") != 0)
		*native = pv->tag;	/* access, or native-untagged */
	if (!trunk && strcmp(pv->mode, "native-untagged") != 0)
		return NULL;
	for (int t = 1; t <= VLAN_LAST; t++)
		carried[t] = bv->used[t] && t != *native &&
			     (!pv->has_trunks || pv->trunks[t]);
	return NULL;
}

static struct sl_ovsdb_net *
add_net(struct sl_ovsdb_plan *plan, const char *uuid, const char *bridge)
{
	struct sl_ovsdb_net *n = sl_ovsdb_push(&plan->nets, &plan->n_nets,
				      &plan->cap_nets, sizeof(*n));

	if (n) {
		snprintf(n->uuid, sizeof(n->uuid), "%s", uuid);
		snprintf(n->bridge, sizeof(n->bridge), "%s", bridge);
	}
	return n;
}

/* The VLANs on bridge, and their networks into the plan. */
static void
plan_bridge_vlans(struct sl_ovsdb *o, struct sl_ovsdb_plan *plan,
		  const char *buuid, const char *bname, const json_t *ports,
		  struct bridge_vlans *bv)
{
	memset(bv, 0, sizeof(*bv));
	for (size_t p = 0; p < sl_ovsdb_set_size(ports); p++) {
		char puuid[SL_OVSDB_UUID_LEN + 1];
		struct port_vlans pv;
		const json_t *port;

		if (!sl_ovsdb_uuid(sl_ovsdb_set_get(ports, p), puuid) ||
		    !(port = sl_ovsdb_row(o, "Port", puuid)))
			continue;
		read_port_vlans(port, &pv);
		if (pv.tag > 0) {
			bv->used[pv.tag] = 1;
			if (pv.fake)
				bv->name[pv.tag] = sl_ovsdb_string(
					json_object_get(port, "name"), NULL);
		}
		for (int t = 1; t <= VLAN_LAST; t++)
			bv->used[t] |= pv.trunks[t];
	}
	/* and those seen on its trunks (ovsdb_vlans.c) */
	for (int t = 1; t <= VLAN_LAST; t++)
		bv->used[t] |= sl_ovsdb_vlan_discovered(o, buuid, t);
	for (int t = 1; t <= VLAN_LAST; t++) {
		char uuid[SL_OVSDB_UUID_LEN + 1], name[64];

		if (!bv->used[t])
			continue;
		vlan_net_uuid(uuid, buuid, (uint16_t)t);
		if (bv->name[t] && strlen(bv->name[t]) < SL_BRIDGE_MAX)
			snprintf(name, sizeof(name), "%s", bv->name[t]);
		else
			snprintf(name, sizeof(name), "%s.%d", bname, t);
		/* too long for a bridge name: "v<tag>-" and the bridge's
		 * uuid, still unique */
		if (strlen(name) >= SL_BRIDGE_MAX)
			snprintf(name, sizeof(name), "v%d-%.8s", t, buuid);
		add_net(plan, uuid, name);
	}
}




static void
plan_vlans(struct sl_ovsdb_plan *plan, const char *uuid, const char *buuid,
	   const uint8_t carried[VLAN_LAST + 1])
{
	for (int t = 1; t <= VLAN_LAST; t++) {
		struct sl_ovsdb_vlan *v;

		if (!carried[t] || !(v = sl_ovsdb_push(&plan->vlans, &plan->n_vlans,
					      &plan->cap_vlans, sizeof(*v))))
			continue;
		snprintf(v->iface_uuid, sizeof(v->iface_uuid), "%s", uuid);
		v->tag = (uint16_t)t;
		vlan_net_uuid(v->net_uuid, buuid, (uint16_t)t);
	}
}







/* The interfaces of one Port. */
static void
plan_ports_interfaces(struct sl_ovsdb *o, struct sl_ovsdb_plan *plan,
		      const char *buuid, const json_t *bridge,
		      const char *puuid, const json_t *port,
		      const struct bridge_vlans *bv, const char *why)
{
	const json_t *ifaces = json_object_get(port, "interfaces");
	size_t n = sl_ovsdb_set_size(ifaces), first = plan->n_ifaces, good = 0;
	uint8_t carried[VLAN_LAST + 1];
	struct sl_ovsdb_bond *bond = NULL;
	char bond_why[sizeof(((struct sl_err *)0)->msg)];
	struct port_vlans pv;
	int native = 0;

	read_port_vlans(port, &pv);
	if (!why)
		why = port_membership(&pv, bv, &native, carried);
	if (!why && n > SL_BOND_MAX_SLAVES)
		why = "a bond of sluice has at most 8 interfaces";
	if (!why && n > 1) {
		bond = sl_ovsdb_push(&plan->bonds, &plan->n_bonds, &plan->cap_bonds,
			    sizeof(*bond));
		if (bond && !sl_ovsdb_make_bond(o, bond, puuid, port, bond_why,
				       sizeof(bond_why))) {
			json_decref(bond->props);
			plan->n_bonds--;
			bond = NULL;
			why = bond_why;
		}
	}
	for (size_t i = 0; i < n; i++) {
		char iuuid[SL_OVSDB_UUID_LEN + 1];
		struct sl_ovsdb_iface *w;
		const json_t *iface;

		if (!sl_ovsdb_uuid(sl_ovsdb_set_get(ifaces, i), iuuid) ||
		    !(iface = sl_ovsdb_row(o, "Interface", iuuid)) ||
		    !(w = sl_ovsdb_push(&plan->ifaces, &plan->n_ifaces,
			       &plan->cap_ifaces, sizeof(*w))))
			continue;
		memcpy(w->uuid, iuuid, sizeof(iuuid));
		memcpy(w->bridge_uuid, buuid, sizeof(w->bridge_uuid));
		plan_interface(o, w, bridge, iface, why);
		if (w->error[0])
			continue;
		if (w->tunnel && (native || bond))
			snprintf(w->error, sizeof(w->error),
				 "a tunnel's port may not have a VLAN tag or other interfaces");
		else if (w->tunnel)
			sl_ovsdb_plan_tunnel_iface(plan, buuid, json_string_value(json_object_get(bridge, "name")),
					  w, iface);
		if (w->error[0])
			continue;
		if (native)
			vlan_net_uuid(w->net_uuid, buuid, (uint16_t)native);
		else
			memcpy(w->net_uuid, buuid, sizeof(w->net_uuid));
		good++;
		w->trunk_all = !bond && !w->tunnel && trunks_all(&pv);
		if (!bond && !w->tunnel)
			plan_vlans(plan, iuuid, buuid, carried);
	}
	if (!bond)
		return;
	/* a bond of what can be set up: at least two of its interfaces (as
	 * OVS, a member that cannot is left out; sluice's bonds have two) */
	if (good < SL_BOND_MIN_MEMBERS) {
		for (size_t i = first; i < plan->n_ifaces; i++)
			if (!plan->ifaces[i].error[0])
				snprintf(plan->ifaces[i].error, sizeof(plan->ifaces[i].error),
					 "bond %s: fewer than %d of its interfaces can be set up",
					 bond->name, SL_BOND_MIN_MEMBERS);
		json_decref(bond->props);
		plan->n_bonds--;
		return;
	}
	bond->trunk_all = trunks_all(&pv);
	for (size_t i = first; i < plan->n_ifaces; i++) {
		struct sl_ovsdb_iface *w = &plan->ifaces[i];

		if (w->error[0])
			continue;
		w->member = true;
		memcpy(bond->members[bond->n++], w->uuid, sizeof(w->uuid));
		memcpy(bond->net_uuid, w->net_uuid, sizeof(bond->net_uuid));
	}
	plan_vlans(plan, puuid, buuid, carried);
}

/* OpenFlow port numbers, per bridge: requested, then kept, then new. */
static void
number_ports(struct sl_ovsdb_plan *plan)
{
	for (size_t i = 0; i < plan->n_ifaces; i++) {
		struct sl_ovsdb_iface *w = &plan->ifaces[i];
		uint8_t *used;

		if (w->ofport)
			continue;
		/* the whole bridge of w at once */
		used = calloc(OFPORT_MAX + 1, 1);
		if (!used)
			return;
		for (int pass = 0; pass < 3; pass++) {
			for (size_t j = i; j < plan->n_ifaces; j++) {
				struct sl_ovsdb_iface *x = &plan->ifaces[j];
				int64_t n = 0;

				if (strcmp(x->bridge_uuid, w->bridge_uuid) != 0 || x->ofport)
					continue;
				if (x->error[0]) {
					x->ofport = -1;
					continue;
				}
				if (x->local) {
					x->ofport = SL_OVSDB_OFPORT_LOCAL;
					continue;
				}
				if (pass == 0)
					n = x->requested;
				else if (pass == 1)
					n = x->previous;
				else
					for (n = 1; n <= OFPORT_MAX && used[n]; n++)
						;
				if (n >= 1 && n <= OFPORT_MAX && !used[n]) {
					used[n] = 1;
					x->ofport = n;
				} else if (pass == 2) {
					x->ofport = -1;
					snprintf(x->error, sizeof(x->error),
						 "the bridge has no OpenFlow port number left");
				}
			}
		}
		free(used);
	}
}

void
sl_ovsdb_plan_make(struct sl_ovsdb *o, struct sl_ovsdb_plan *plan)
{
	const char *root_uuid;
	json_t *root = sl_ovsdb_root(o, &root_uuid);
	json_t *bridges = json_object_get(root, "bridges");
	struct bridge_vlans *bv = malloc(sizeof(*bv));

	memset(plan, 0, sizeof(*plan));
	json_array_clear(o->unsupported);
	if (!bv)
		return;
	for (size_t b = 0; b < sl_ovsdb_set_size(bridges); b++) {
		char buuid[SL_OVSDB_UUID_LEN + 1];
		json_t *bridge, *ports;
		const char *bname, *why = NULL;

		if (!sl_ovsdb_uuid(sl_ovsdb_set_get(bridges, b), buuid) ||
		    !(bridge = sl_ovsdb_row(o, "Bridge", buuid)))
			continue;
		bname = sl_ovsdb_string(json_object_get(bridge, "name"), "");
		ports = json_object_get(bridge, "ports");
		if (sl_check_bridge("name", bname, &(struct sl_err){ 0 }) < 0)
			why = "the bridge's name cannot be a Linux interface name (1..15 characters)";
		else
			add_net(plan, buuid, bname);
		note_unsupported(o, bname, bridge);
		plan_bridge_vlans(o, plan, buuid, bname, why ? NULL : ports, bv);
		for (size_t p = 0; p < sl_ovsdb_set_size(ports); p++) {
			char puuid[SL_OVSDB_UUID_LEN + 1];
			const json_t *port;

			if (sl_ovsdb_uuid(sl_ovsdb_set_get(ports, p), puuid) &&
			    (port = sl_ovsdb_row(o, "Port", puuid)))
				plan_ports_interfaces(o, plan, buuid, bridge,
						      puuid, port, bv, why);
		}
	}
	free(bv);
	sl_ovsdb_resolve_tunnels(plan);
	number_ports(plan);
}

void
sl_ovsdb_plan_free(struct sl_ovsdb_plan *plan)
{
	for (size_t i = 0; i < plan->n_bonds; i++)
		json_decref(plan->bonds[i].props);
	free(plan->bonds);
	free(plan->tunnels);
	free(plan->nets);
	free(plan->ifaces);
	free(plan->vlans);
	memset(plan, 0, sizeof(*plan));
}

struct sl_ovsdb_iface *
sl_ovsdb_plan_iface(const struct sl_ovsdb_plan *plan, const char *uuid)
{
	for (size_t i = 0; i < plan->n_ifaces; i++)
		if (strcmp(plan->ifaces[i].uuid, uuid) == 0)
			return &plan->ifaces[i];
	return NULL;
}

const struct sl_ovsdb_bond *
sl_ovsdb_plan_bond(const struct sl_ovsdb_plan *plan, const char *uuid)
{
	for (size_t i = 0; i < plan->n_bonds; i++)
		if (strcmp(plan->bonds[i].uuid, uuid) == 0)
			return &plan->bonds[i];
	return NULL;
}

const struct sl_ovsdb_net *
sl_ovsdb_plan_net(const struct sl_ovsdb_plan *plan, const char *uuid)
{
	for (size_t i = 0; i < plan->n_nets; i++)
		if (strcmp(plan->nets[i].uuid, uuid) == 0)
			return &plan->nets[i];
	return NULL;
}

bool
sl_ovsdb_plan_has_vlan(const struct sl_ovsdb_plan *plan, const char *iface_uuid,
		       uint16_t tag, const char *net_uuid)
{
	for (size_t i = 0; i < plan->n_vlans; i++)
		if (plan->vlans[i].tag == tag &&
		    strcmp(plan->vlans[i].iface_uuid, iface_uuid) == 0 &&
		    strcmp(plan->vlans[i].net_uuid, net_uuid) == 0)
			return true;
	return false;
}
