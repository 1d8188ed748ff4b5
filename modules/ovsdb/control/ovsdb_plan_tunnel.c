/* SPDX-License-Identifier: BSD-3-Clause */
/* gre and vxlan Interfaces → a private network's tunnel and its underlay
 * from the kernel's routes (ovsdb_plan.c's part for tunnels). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_netlink.h"
#include "ovsdb_plan.h"

/* An IPv4 option of an Interface: 0 and *ip, 1 when absent, -1 with
 * why. */
static int
ip_option(const json_t *options, const char *key, uint32_t *ip, char *why,
	  size_t len)
{
	const char *v = sl_ovsdb_map_get(options, key);

	if (!v)
		return 1;
	if (!sl_ipv4_parse(v, ip)) {
		snprintf(why, len, "options:%s %s is not an IPv4 address", key, v);
		return -1;
	}
	return 0;
}

/* A gre or vxlan Interface: a remote of its bridge's tunnel. */
void
sl_ovsdb_plan_tunnel_iface(struct sl_ovsdb_plan *plan, const char *buuid,
		  const char *bname, struct sl_ovsdb_iface *w,
		  const json_t *iface)
{
	const json_t *options = json_object_get(iface, "options");
	enum sl_tunnel_protocol proto = strcmp(w->mode, "gre") == 0 ?
					SL_TUNNEL_GRE : SL_TUNNEL_VXLAN;
	const char *key_s = sl_ovsdb_map_get(options, "key");
	const char *port_s = sl_ovsdb_map_get(options, "dst_port");
	struct sl_ovsdb_tunnel *t = NULL;
	uint32_t remote = 0, local = 0;
	unsigned long long key = 0;
	char *end = NULL;

	if (sl_ovsdb_map_get(options, "psk")) {
		snprintf(w->error, sizeof(w->error),
			 "options:psk: an encrypted tunnel needs the kernel's IPsec, which sluice's datapath does not use; refused rather than sent in clear");
		return;
	}
	if (ip_option(options, "remote_ip", &remote, w->error, sizeof(w->error)) != 0) {
		if (!w->error[0])
			snprintf(w->error, sizeof(w->error), "options:remote_ip is required (an IPv4 address)");
		return;
	}
	if (ip_option(options, "local_ip", &local, w->error, sizeof(w->error)) < 0)
		return;
	if (key_s) {
		key = strtoull(key_s, &end, 0);
		if (!*key_s || *end || key > (proto == SL_TUNNEL_GRE ? 0xffffffffull :
					      SL_VXLAN_VNI_MAX)) {
			snprintf(w->error, sizeof(w->error),
				 "options:key %s is not a %s key (flow keys are not supported)",
				 key_s, w->mode);
			return;
		}
	}
	if (port_s && proto == SL_TUNNEL_VXLAN && strcmp(port_s, "4789") != 0) {
		snprintf(w->error, sizeof(w->error),
			 "options:dst_port %s: sluice's VXLAN uses UDP port 4789 only", port_s);
		return;
	}
	for (size_t i = 0; i < plan->n_tunnels; i++)
		if (strcmp(plan->tunnels[i].net_uuid, buuid) == 0)
			t = &plan->tunnels[i];
	if (!t) {
		t = sl_ovsdb_push(&plan->tunnels, &plan->n_tunnels, &plan->cap_tunnels,
			 sizeof(*t));
		if (!t)
			return;
		snprintf(t->net_uuid, sizeof(t->net_uuid), "%s", buuid);
		/* the tunnel's PIF: the bridge's uuid, "7e11" last */
		snprintf(t->access_uuid, sizeof(t->access_uuid), "%.24s7e1100000000", buuid);
		t->bridge = bname;
		t->protocol = proto;
		t->key = (uint32_t)key;
	} else if (t->protocol != proto || t->key != key) {
		snprintf(w->error, sizeof(w->error),
			 "bridge %s's tunnels are %s key %u already: sluice gives a private network one protocol and key",
			 bname, sl_tunnel_protocol_name(t->protocol), t->key);
		return;
	}
	if (t->n == SL_TUNNEL_MAX_REMOTES) {
		snprintf(w->error, sizeof(w->error), "a tunnel of sluice has at most %d remotes",
			 SL_TUNNEL_MAX_REMOTES);
		return;
	}
	for (unsigned int i = 0; i < t->n; i++)
		if (t->remotes[i] == remote) {
			snprintf(w->error, sizeof(w->error),
				 "another interface of bridge %s has remote_ip %s already",
				 bname, sl_ovsdb_map_get(options, "remote_ip"));
			return;
		}
	t->remotes[t->n] = remote;
	t->gateways[t->n] = local;	/* resolve_tunnels checks it */
	memcpy(t->ifaces[t->n++], w->uuid, sizeof(w->uuid));
}

bool
sl_ovsdb_plan_tunnel_remote(const struct sl_ovsdb_plan *plan,
			    const char *iface_uuid, uint32_t *remote)
{
	for (size_t i = 0; i < plan->n_tunnels; i++)
		for (unsigned int k = 0; k < plan->tunnels[i].n; k++)
			if (strcmp(plan->tunnels[i].ifaces[k], iface_uuid) == 0) {
				*remote = plan->tunnels[i].remotes[k];
				return true;
			}
	return false;
}

/* The interface of the plan named name, or NULL. */
static struct sl_ovsdb_iface *
iface_named(struct sl_ovsdb_plan *plan, const char *name)
{
	for (size_t i = 0; i < plan->n_ifaces; i++)
		if (plan->ifaces[i].name && strcmp(plan->ifaces[i].name, name) == 0)
			return &plan->ifaces[i];
	return NULL;
}

/* The port a tunnel's packets leave bridge_uuid by: its bond, else its
 * first uplink; NULL if none. */
static const char *
uplink_of(const struct sl_ovsdb_plan *plan, const char *bridge_uuid)
{
	for (size_t i = 0; i < plan->n_bonds; i++) {
		const struct sl_ovsdb_iface *m =
			sl_ovsdb_plan_iface(plan, plan->bonds[i].members[0]);

		if (m && strcmp(m->bridge_uuid, bridge_uuid) == 0)
			return plan->bonds[i].uuid;
	}
	for (size_t i = 0; i < plan->n_ifaces; i++) {
		const struct sl_ovsdb_iface *w = &plan->ifaces[i];

		if (w->uplink && !w->member && !w->error[0] &&
		    strcmp(w->bridge_uuid, bridge_uuid) == 0 &&
		    strcmp(w->net_uuid, bridge_uuid) == 0)
			return w->uuid;
	}
	return NULL;
}

/* A remote of t that cannot be reached: its interface says why, and it
 * leaves the tunnel. */
static void
drop_remote(struct sl_ovsdb_plan *plan, struct sl_ovsdb_tunnel *t,
	    unsigned int i, const char *why)
{
	struct sl_ovsdb_iface *w = sl_ovsdb_plan_iface(plan, t->ifaces[i]);

	if (w && !w->error[0])
		snprintf(w->error, sizeof(w->error), "%s", why);
	t->n--;
	t->remotes[i] = t->remotes[t->n];
	t->gateways[i] = t->gateways[t->n];
	memcpy(t->via[i], t->via[t->n], sizeof(t->via[i]));
	memcpy(t->ifaces[i], t->ifaces[t->n], sizeof(t->ifaces[i]));
}

/* Each tunnel's underlay, from the kernel's routes to its remotes. */
void
sl_ovsdb_resolve_tunnels(struct sl_ovsdb_plan *plan)
{
	for (size_t k = 0; k < plan->n_tunnels; k++) {
		struct sl_ovsdb_tunnel *t = &plan->tunnels[k];
		const struct sl_ovsdb_iface *own = NULL;
		const char *uplink;

		for (unsigned int i = 0; i < t->n;) {
			struct sl_kernel_route r;
			char why[sizeof(((struct sl_err *)0)->msg)], a[SL_IPV4_STR_LEN];
			/* options:local_ip overrides the route's source */
			uint32_t local = t->gateways[i];

			if (sl_kernel_route_get(t->remotes[i], local, &r, why,
						sizeof(why)) < 0) {
				drop_remote(plan, t, i, why);
				continue;
			}
			sl_ipv4_format(a, r.src);
			if (t->ip.is_static && (t->ip.ip != r.src ||
						strcmp(t->via[0], r.ifname) != 0)) {
				snprintf(why, sizeof(why), "the kernel's route to this remote leaves %s from %s, the tunnel's others from %s",
					 r.ifname, a, t->via[0]);
				drop_remote(plan, t, i, why);
				continue;
			}
			t->ip = (struct sl_ip_config){
				.is_static = true, .ip = r.src,
				.netmask = r.prefix_len ? ~0u << (32 - r.prefix_len) : 0,
			};
			t->gateways[i] = r.gateway;
			snprintf(t->via[i], sizeof(t->via[i]), "%s", r.ifname);
			i++;
		}
		if (t->n)
			own = iface_named(plan, t->via[0]);
		if (t->n && (!own || !own->local)) {
			char why[256];

			snprintf(why, sizeof(why), "the kernel's route to the remote leaves %s, which is not a bridge's own port of this database",
				 t->via[0]);
			while (t->n)
				drop_remote(plan, t, 0, why);
		}
		uplink = own && t->n ? uplink_of(plan, own->bridge_uuid) : NULL;
		if (t->n && !uplink) {
			char why[256];

			snprintf(why, sizeof(why), "bridge %s holds the local address but has no uplink to carry the tunnel",
				 own->name);
			while (t->n)
				drop_remote(plan, t, 0, why);
		}
		if (uplink)
			snprintf(t->transport_uuid, sizeof(t->transport_uuid), "%s", uplink);
	}
}
