/* SPDX-License-Identifier: BSD-3-Clause */
/* The plan's private networks → sluice's tunnels, their transport's
 * address and routes as the kernel has them (ovsdb_map.c's part for
 * tunnels). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ovsdb_map.h"
#include "tunnel_model.h"

/* The plan's tunnel of a network, or NULL. */
static const struct sl_ovsdb_tunnel *
plan_tunnel(const struct sl_ovsdb_plan *plan, const struct sl_network *net)
{
	for (size_t i = 0; i < plan->n_tunnels; i++)
		if (plan->tunnels[i].n &&
		    strcmp(plan->tunnels[i].net_uuid, net->uuid) == 0)
			return &plan->tunnels[i];
	return NULL;
}

/* Whether tunnel t stays: its network's plan has one of the same
 * protocol and key over the same transport, which stays. */
static bool
tunnel_wanted(const struct sl_ovsdb_plan *plan, const struct sl_tunnel *t)
{
	const struct sl_ovsdb_tunnel *pt = plan_tunnel(plan, t->access->ep.network);

	return pt && pt->protocol == t->protocol && pt->key == t->key &&
	       strcmp(pt->transport_uuid, t->transport->ep.uuid) == 0 &&
	       sl_ovsdb_port_wanted(plan, t->transport);
}

/* Tunnels that go, before the ports they ride on. */
bool
sl_ovsdb_remove_stale_tunnels(struct sl_ovsdb *o, const struct sl_ovsdb_plan *plan)
{
	struct sl_model *m = o->rt->model;
	struct sl_tunnel *t, *tn;
	bool any = false;

	for (t = TAILQ_FIRST(sl_tunnels(m)); t; t = tn) {
		tn = TAILQ_NEXT(t, next);
		if (tunnel_wanted(plan, t))
			continue;
		SL_LOG(NOTICE, "database: the tunnel of bridge %s removed or changed\n",
		       t->access->ep.network->bridge);
		sl_model_tunnel_remove(m, t);
		any = true;
	}
	if (any)	/* before their transports may go */
		sl_runtime_apply(o->rt);
	return any;
}

/* The error of each remaining interface of a tunnel that cannot be. */
static void
fail_tunnel(struct sl_ovsdb_plan *plan, const struct sl_ovsdb_tunnel *pt,
	    const char *why)
{
	for (unsigned int i = 0; i < pt->n; i++) {
		struct sl_ovsdb_iface *w = sl_ovsdb_plan_iface(plan, pt->ifaces[i]);

		if (w && !w->error[0])
			snprintf(w->error, sizeof(w->error), "%s", why);
	}
}

/* "R/32/GW,..." for the remotes reached through a gateway (the kernel's
 * routes), as XCP-ng's static-routes. */
static json_t *
static_routes(const struct sl_ovsdb_plan *plan, const char *transport_uuid)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	bool first = true;
	json_t *out;

	if (!f)
		return NULL;
	for (size_t k = 0; k < plan->n_tunnels; k++) {
		const struct sl_ovsdb_tunnel *pt = &plan->tunnels[k];

		if (strcmp(pt->transport_uuid, transport_uuid) != 0)
			continue;
		for (unsigned int i = 0; i < pt->n; i++) {
			char r[SL_IPV4_STR_LEN], g[SL_IPV4_STR_LEN];

			if (!pt->gateways[i])
				continue;
			sl_ipv4_format(r, pt->remotes[i]);
			sl_ipv4_format(g, pt->gateways[i]);
			fprintf(f, "%s%s/32/%s", first ? "" : ",", r, g);
			first = false;
		}
	}
	fclose(f);
	out = json_string(text ? text : "");
	free(text);
	return out;
}

/* The transport's address and routes as the kernel has them; true if
 * they changed. */
static bool
sync_underlay(struct sl_ovsdb_plan *plan, struct sl_pif *transport,
	      const struct sl_ovsdb_tunnel *pt)
{
	struct sl_network *n = transport->ep.network;
	json_t *routes = static_routes(plan, pt->transport_uuid);
	bool changed = false;

	if (memcmp(&transport->ip, &pt->ip, sizeof(pt->ip)) != 0) {
		transport->ip = pt->ip;
		changed = true;
	}
	if (routes && strcmp(json_string_value(json_object_get(n->other_config,
							       "static-routes")) ?: "",
			     json_string_value(routes)) != 0) {
		if (json_string_length(routes))
			json_object_set(n->other_config, "static-routes", routes);
		else
			json_object_del(n->other_config, "static-routes");
		changed = true;
	}
	json_decref(routes);
	return changed;
}

/* Each private network's tunnel and its remotes. */
bool
sl_ovsdb_sync_tunnels(struct sl_ovsdb *o, struct sl_ovsdb_plan *plan)
{
	struct sl_model *m = o->rt->model;
	bool any = false;

	for (size_t k = 0; k < plan->n_tunnels; k++) {
		const struct sl_ovsdb_tunnel *pt = &plan->tunnels[k];
		struct sl_network *net = sl_model_network_find(m, pt->net_uuid);
		struct sl_endpoint *tep = sl_model_endpoint_find(m, pt->transport_uuid, false);
		struct sl_err err = { 0 };
		struct sl_tunnel *t;

		if (!pt->n || !net)
			continue;
		if (!tep) {
			fail_tunnel(plan, pt, "the uplink that would carry it could not be set up");
			continue;
		}
		any |= sync_underlay(plan, SL_PIF_OF(tep), pt);
		t = sl_model_network_tunnel(m, net);
		if (!t) {
			t = sl_model_tunnel_add(m, NULL, pt->access_uuid, SL_PIF_OF(tep),
						net, pt->protocol, pt->key, &err);
			if (!t) {
				fail_tunnel(plan, pt, err.msg);
				continue;
			}
			SL_LOG(NOTICE, "database: bridge %s is a private network (%s key %u over %s)\n",
			       net->bridge, sl_tunnel_protocol_name(pt->protocol),
			       pt->key, tep->device);
			any = true;
		}
		for (unsigned int i = t->nb_remotes; i-- > 0;) {
			bool wanted = false;
			char a[SL_IPV4_STR_LEN];

			for (unsigned int j = 0; j < pt->n; j++)
				wanted |= pt->remotes[j] == t->remotes[i];
			if (wanted)
				continue;
			sl_ipv4_format(a, t->remotes[i]);
			sl_tunnel_remote_remove(t, a, &err);
			any = true;
		}
		for (unsigned int j = 0; j < pt->n; j++) {
			bool have = false;
			char a[SL_IPV4_STR_LEN];

			for (unsigned int i = 0; i < t->nb_remotes; i++)
				have |= t->remotes[i] == pt->remotes[j];
			if (have)
				continue;
			sl_ipv4_format(a, pt->remotes[j]);
			if (sl_tunnel_remote_add(m, t, a, &err) < 0) {
				struct sl_ovsdb_iface *w = sl_ovsdb_plan_iface(plan, pt->ifaces[j]);

				if (w)
					snprintf(w->error, sizeof(w->error), "%s", err.msg);
				continue;
			}
			any = true;
		}
	}
	return any;
}
