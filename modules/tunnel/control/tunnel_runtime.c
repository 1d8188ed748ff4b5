/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private networks in the running switch. A transport PIF with an address
 * is a local tunnel endpoint; each (transport PIF, protocol, remote host)
 * of an active tunnel is a remote endpoint, a datapath port that every
 * private network carried to that host joins. Remote ports keep their
 * index while wanted (the FDB and the counters refer to it); one that goes
 * is flushed from the FDB after the snapshot without it is published, and
 * its index is not handed out again in the same round.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <string.h>

#include "tunnel_model.h"
#include "log.h"
#include "tunnel_runtime.h"
#include "tunnel_ports.h"
#include "sl_tunnel.h"

static_assert(SL_MODEL_MAX_TUNNELS <= SL_MAX_TUNNEL_NETWORKS,
	      "every tunnel's network must fit the datapath's key map");
static_assert(SL_MODEL_MAX_REMOTE_ENDPOINTS == SL_MAX_VTEPS,
	      "the model's limit of remote endpoints is the datapath's");

static uint8_t
dp_proto(enum sl_tunnel_protocol p)
{
	return p == SL_TUNNEL_VXLAN ? SL_DP_TUNNEL_VXLAN : SL_DP_TUNNEL_GRE;
}

const struct sl_transport_rt *
sl_runtime_transport(const struct sl_runtime *rt, const struct sl_pif *pif)
{
	for (uint16_t j = 0; j < sl_tunnel_rt(rt)->nb_transports; j++)
		if (sl_tunnel_rt(rt)->transports[j].pif == pif)
			return &sl_tunnel_rt(rt)->transports[j];
	return NULL;
}

static int
transport_index(const struct sl_runtime *rt, const struct sl_pif *pif)
{
	const struct sl_transport_rt *tr = sl_runtime_transport(rt, pif);

	return tr ? (int)(tr - sl_tunnel_rt(rt)->transports) : -1;
}

/* A PIF can be a local endpoint when it has an address and a port. */
static bool
transport_usable(const struct sl_pif *p)
{
	return p->ip.is_static && p->ep.port_id != SL_PORT_NONE &&
	       p->ep.network && p->ep.mac_set;
}

bool
sl_runtime_tunnel_active(const struct sl_runtime *rt, const struct sl_tunnel *t)
{
	return t->access->ep.plugged && transport_index(rt, t->transport) >= 0;
}

static int
vtep_find(const struct sl_runtime *rt, const struct sl_pif *transport,
	  enum sl_tunnel_protocol proto, uint32_t remote)
{
	for (int i = 0; i < SL_MAX_VTEPS; i++) {
		const struct sl_vtep_rt *v = &sl_tunnel_rt(rt)->vteps[i];

		if (v->used && v->transport == transport && v->protocol == proto &&
		    v->remote == remote)
			return i;
	}
	return -1;
}

const struct sl_vtep_rt *
sl_runtime_vtep(const struct sl_runtime *rt, const struct sl_tunnel *t,
		uint32_t remote, uint16_t *port)
{
	int i = vtep_find(rt, t->transport, t->protocol, remote);

	if (i < 0 || !sl_runtime_tunnel_active(rt, t))
		return NULL;
	*port = SL_VTEP_PORT(i);
	return &sl_tunnel_rt(rt)->vteps[i];
}

int
sl_tunnel_remote_port(const struct sl_runtime *rt, const struct sl_network *n,
		      uint32_t remote)
{
	const struct sl_tunnel *t;
	uint16_t port;

	TAILQ_FOREACH(t, sl_tunnels(rt->model), next)
		if (n && t->access->ep.network == n &&
		    sl_runtime_vtep(rt, t, remote, &port))
			return port;
	return -1;
}

static void
sync_transports(struct sl_runtime *rt)
{
	const struct sl_tunnel *t;

	sl_tunnel_rt(rt)->nb_transports = 0;
	TAILQ_FOREACH(t, sl_tunnels(rt->model), next) {
		const struct sl_pif *p = t->transport;

		if (!t->access->ep.plugged || !transport_usable(p) ||
		    transport_index(rt, p) >= 0)
			continue;
		if (sl_tunnel_rt(rt)->nb_transports == SL_MAX_TRANSPORTS) {
			SL_LOG(ERR, "PIF %s: more than %d transport PIFs; its tunnels stay down\n",
			       p->ep.device, SL_MAX_TRANSPORTS);
			continue;
		}
		sl_tunnel_rt(rt)->transports[sl_tunnel_rt(rt)->nb_transports++] = (struct sl_transport_rt){
			.pif = p,
			.port = p->ep.port_id,
			.network = p->ep.network->dp_id,
		};
	}
}

/* Remote ports: kept while an active tunnel wants them, released (and
 * not handed out again this round) otherwise, new ones for the others. */
static void
sync_remote_ports(struct sl_runtime *rt)
{
	bool keep[SL_MAX_VTEPS] = { false };
	struct { const struct sl_tunnel *t; uint32_t remote; } want[SL_MAX_VTEPS];
	unsigned int nb_want = 0;
	const struct sl_tunnel *t;
	struct sl_worker_stats *sum = NULL;

	TAILQ_FOREACH(t, sl_tunnels(rt->model), next) {
		if (!sl_runtime_tunnel_active(rt, t))
			continue;
		for (unsigned int r = 0; r < t->nb_remotes; r++) {
			int i = vtep_find(rt, t->transport, t->protocol, t->remotes[r]);

			if (i >= 0)
				keep[i] = true;
			else if (nb_want < RTE_DIM(want))
				want[nb_want++] = (typeof(want[0])){ t, t->remotes[r] };
		}
	}
	for (int i = 0; i < SL_MAX_VTEPS; i++) {
		if (sl_tunnel_rt(rt)->vteps[i].used && !keep[i]) {
			sl_tunnel_rt(rt)->vteps[i].used = false;
			sl_tunnel_rt(rt)->vtep_released[i] = true;
		}
	}
	for (unsigned int k = 0; k < nb_want; k++) {
		int i;

		t = want[k].t;
		/* two private networks may reach the same remote */
		if (vtep_find(rt, t->transport, t->protocol, want[k].remote) >= 0)
			continue;
		for (i = 0; i < SL_MAX_VTEPS; i++)
			if (!sl_tunnel_rt(rt)->vteps[i].used && !sl_tunnel_rt(rt)->vtep_released[i])
				break;
		if (i == SL_MAX_VTEPS) {	/* the model's limit keeps us below */
			SL_LOG(ERR, "tunnel %s: no remote port left\n", t->uuid);
			continue;
		}
		sl_tunnel_rt(rt)->vteps[i] = (struct sl_vtep_rt){
			.used = true,
			.transport = t->transport,
			.protocol = t->protocol,
			.remote = want[k].remote,
		};
		/* a port id's counters start from what it had */
		if (!sum) {
			static struct sl_worker_stats buf;	/* large */

			sum = &buf;
			sl_dp_stats_sum(rt->dp, sum);
		}
		rt->baseline[SL_VTEP_PORT(i)] = sum->port[SL_VTEP_PORT(i)];
	}
}

/* Each remote's next hop over its transport's routes, and the neighbours
 * to resolve for them. */
static void
sync_next_hops(struct sl_runtime *rt)
{
	for (unsigned int k = 0; k < sl_tunnel_rt(rt)->nb_neighbours; k++)
		sl_tunnel_rt(rt)->neighbours[k].wanted = false;
	for (int i = 0; i < SL_MAX_VTEPS; i++)
		sl_tunnel_rt(rt)->vteps[i].hop.via = SL_VIA_NONE;
	for (uint16_t j = 0; j < sl_tunnel_rt(rt)->nb_transports; j++) {
		const struct sl_pif *p = sl_tunnel_rt(rt)->transports[j].pif;
		struct sl_route routes[SL_ROUTES_MAX];
		unsigned int nr = sl_model_pif_routes(p, routes, SL_ROUTES_MAX);
		uint32_t remotes[SL_MAX_VTEPS];
		struct sl_next_hop hops[SL_MAX_VTEPS];
		int idx[SL_MAX_VTEPS];
		unsigned int n = 0;

		for (int i = 0; i < SL_MAX_VTEPS; i++)
			if (sl_tunnel_rt(rt)->vteps[i].used && sl_tunnel_rt(rt)->vteps[i].transport == p) {
				idx[n] = i;
				remotes[n++] = sl_tunnel_rt(rt)->vteps[i].remote;
			}
		if (n == 0)
			continue;
		if (sl_next_hops(&p->ip, routes, nr, remotes, n, hops) < 0) {
			SL_LOG(ERR, "PIF %s: cannot choose next hops (no memory)\n",
			       p->ep.device);
			continue;
		}
		for (unsigned int k = 0; k < n; k++) {
			sl_tunnel_rt(rt)->vteps[idx[k]].hop = hops[k];
			if (hops[k].via != SL_VIA_NONE &&
			    !sl_underlay_want(rt, p, hops[k].ip))
				sl_tunnel_rt(rt)->vteps[idx[k]].hop.via = SL_VIA_NONE;
		}
	}
	sl_underlay_forget_unwanted(rt);
}

void
sl_runtime_tunnels_sync(struct sl_runtime *rt)
{
	sync_transports(rt);
	sync_remote_ports(rt);
	sync_next_hops(rt);
}

void
sl_runtime_tunnels_released(struct sl_runtime *rt)
{
	for (int i = 0; i < SL_MAX_VTEPS; i++) {
		if (!sl_tunnel_rt(rt)->vtep_released[i])
			continue;
		sl_fdb_flush(rt->dp->fdb, SL_VTEP_PORT(i), SL_FDB_ANY, true);
		sl_tunnel_rt(rt)->vtep_released[i] = false;
	}
}

static bool
other_config_true(json_t *oc, const char *key)
{
	const char *v = json_string_value(json_object_get(oc, key));

	return v && strcmp(v, "true") == 0;
}

/* A private network's key, protocol and remote ports. */
static int
fill_network(struct sl_runtime *rt, struct sl_snapshot *s,
	     const struct sl_tunnel *t)
{
	uint16_t net = t->access->ep.network->dp_id;
	struct sl_dp_network *n = &s->networks[net];
	uint64_t key = sl_tunnel_key_id(dp_proto(t->protocol), t->key);
	uint16_t k;
	int rc = 0;

	for (k = 0; k < s->nb_keys; k++)
		if (s->keys[k].value == net)
			break;
	if (k == s->nb_keys)	/* the network's first tunnel */
		s->keys[s->nb_keys++] = (struct sl_dp_tunnel_map){ key, net };
	n->tunnel_key = t->key;
	n->tunnel_proto = dp_proto(t->protocol);
	n->tunnel_relay |= other_config_true(t->other_config, "relay");
	for (unsigned int r = 0; r < t->nb_remotes; r++) {
		int i = vtep_find(rt, t->transport, t->protocol, t->remotes[r]);

		if (i >= 0)
			rc |= sl_snapshot_join(s, SL_VTEP_PORT(i), net,
					       SL_TAG_UNTAGGED, t->access->ep.mtu);
	}
	return rc;
}

int
sl_runtime_tunnels_fill(struct sl_runtime *rt, struct sl_snapshot *s)
{
	static const struct rte_ether_addr unresolved;
	const struct sl_tunnel *t;
	int rc = 0;

	for (uint16_t j = 0; j < sl_tunnel_rt(rt)->nb_transports; j++) {
		const struct sl_transport_rt *tr = &sl_tunnel_rt(rt)->transports[j];

		s->transports[j] = (struct sl_dp_transport){
			.ip = htonl(tr->pif->ip.ip),
			.mac = tr->pif->ep.mac,
			.port = tr->port,
			.network = tr->network,
			.mtu = tr->pif->ep.mtu,
		};
		if (tr->network < s->nb_networks &&
		    s->networks[tr->network].transport == SL_TUNNEL_NONE)
			s->networks[tr->network].transport = j;
	}
	s->nb_transports = sl_tunnel_rt(rt)->nb_transports;
	TAILQ_FOREACH(t, sl_tunnels(rt->model), next)
		if (sl_runtime_tunnel_active(rt, t))
			rc |= fill_network(rt, s, t);
	for (int i = 0; i < SL_MAX_VTEPS; i++) {
		const struct sl_vtep_rt *v = &sl_tunnel_rt(rt)->vteps[i];
		struct sl_dp_vtep *dv = &s->vteps[i];
		const struct sl_neighbour *nb = NULL;
		int j = v->used ? transport_index(rt, v->transport) : -1;

		if (j < 0)
			continue;
		if (v->hop.via != SL_VIA_NONE)
			nb = sl_underlay_find(rt, v->transport, v->hop.ip);
		dv->ip = htonl(v->remote);
		dv->transport = (uint16_t)j;
		dv->protocol = dp_proto(v->protocol);
		dv->resolved = nb && nb->resolved;
		sl_tunnel_template(dv, &s->transports[j],
				   dv->resolved ? &nb->mac : &unresolved);
		s->remotes[s->nb_remotes++] = (struct sl_dp_tunnel_map){
			sl_tunnel_remote_id((uint16_t)j, dv->protocol, dv->ip),
			SL_VTEP_PORT(i) - SL_VTEP_PORT(0),
		};
	}
	sl_tunnel_map_sort(s->keys, s->nb_keys);
	sl_tunnel_map_sort(s->remotes, s->nb_remotes);
	return rc ? -ENOMEM : 0;
}
