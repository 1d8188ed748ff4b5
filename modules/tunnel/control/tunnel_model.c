/* SPDX-License-Identifier: BSD-3-Clause */
/* Tunnels in the model: private networks, their keys, transport PIFs and
 * remote hosts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tunnel_model.h"
#include "model.h"

static const char *const protocol_names[] = {
	[SL_TUNNEL_GRE] = "gre", [SL_TUNNEL_VXLAN] = "vxlan",
};

const char *
sl_tunnel_protocol_name(enum sl_tunnel_protocol p)
{
	return protocol_names[p];
}

int
sl_tunnel_protocol_parse(const char *s, enum sl_tunnel_protocol *out,
			 struct sl_err *err)
{
	for (int i = 0; i < 2; i++) {
		if (strcmp(s, protocol_names[i]) == 0) {
			*out = (enum sl_tunnel_protocol)i;
			return 0;
		}
	}
	return sl_err_set(err, SL_E_INVALID_VALUE,
			  "protocol: '%s' is not gre or vxlan", s);
}

struct sl_tunnel *
sl_model_tunnel_find(const struct sl_model *m, const char *uuid)
{
	struct sl_tunnel *t;

	TAILQ_FOREACH(t, sl_tunnels(m), next)
		if (strcmp(t->uuid, uuid) == 0)
			return t;
	return NULL;
}

struct sl_tunnel *
sl_model_network_tunnel(const struct sl_model *m, const struct sl_network *net)
{
	struct sl_tunnel *t;

	TAILQ_FOREACH(t, sl_tunnels(m), next)
		if (t->access->ep.network == net)
			return t;
	return NULL;
}

static uint32_t
key_max(enum sl_tunnel_protocol p)
{
	return p == SL_TUNNEL_VXLAN ? SL_VXLAN_VNI_MAX : UINT32_MAX;
}

/* A key is a private network's: frames are told apart by it on the way in,
 * so no two networks share one (per protocol). */
static const struct sl_tunnel *
key_owner(const struct sl_model *m, enum sl_tunnel_protocol p, uint32_t key,
	  const struct sl_network *except)
{
	const struct sl_tunnel *t;

	TAILQ_FOREACH(t, sl_tunnels(m), next)
		if (t->protocol == p && t->key == key &&
		    t->access->ep.network != except)
			return t;
	return NULL;
}

static int
choose_key(const struct sl_model *m, const struct sl_network *net,
	   enum sl_tunnel_protocol p, long long want, uint32_t *key,
	   struct sl_err *err)
{
	const struct sl_tunnel *same = sl_model_network_tunnel(m, net), *owner;

	if (same) {
		/* the network's other tunnels decide */
		if (same->protocol != p)
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "protocol: network %s is carried in %s by tunnel %s",
					  net->bridge, sl_tunnel_protocol_name(same->protocol),
					  same->uuid);
		if (want >= 0 && (uint32_t)want != same->key)
			return sl_err_set(err, SL_E_TUNNEL_KEY_IN_USE,
					  "key: network %s already has key %u (tunnel %s)",
					  net->bridge, same->key, same->uuid);
		*key = same->key;
		return 0;
	}
	if (want > (long long)key_max(p))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "key: %lld is outside 0..%u for %s", want,
				  key_max(p), sl_tunnel_protocol_name(p));
	if (want >= 0) {
		owner = key_owner(m, p, (uint32_t)want, net);
		if (owner)
			return sl_err_set(err, SL_E_TUNNEL_KEY_IN_USE,
					  "key: %lld is network %s's (tunnel %s)", want,
					  owner->access->ep.network->bridge, owner->uuid);
		*key = (uint32_t)want;
		return 0;
	}
	/* the lowest free key from 1: 0 reads as "no key" to some tools */
	for (uint32_t k = 1; k <= key_max(p); k++) {
		if (!key_owner(m, p, k, net)) {
			*key = k;
			return 0;
		}
	}
	return sl_err_set(err, SL_E_LIMIT_REACHED, "key: no free key");
}

static int
check_transport(const struct sl_model *m, const struct sl_pif *p,
		const struct sl_network *net, struct sl_err *err)
{
	const struct sl_tunnel *t;

	if (sl_role_refuse_taking(p, true, "pif-uuid",
				  "a tunnel rides on a physical, bond or VLAN PIF",
				  err) < 0)
		return -1;
	if (p->ep.network == net)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "network-uuid: network %s is the transport PIF's own network",
				  net->bridge);
	TAILQ_FOREACH(t, sl_tunnels(m), next)
		if (t->transport == p && t->access->ep.network == net)
			return sl_err_set(err, SL_E_TUNNEL_ALREADY_EXISTS,
					  "network %s already has tunnel %s over %s",
					  net->bridge, t->uuid, p->ep.device);
	return 0;
}

/* A private network holds VIFs and tunnels' access PIFs, nothing else. */
static int
check_private(const struct sl_model *m, const struct sl_network *net,
	      struct sl_err *err)
{
	const struct sl_endpoint_spec access = {
		.vlan = -1, .role = &sl_tunnel_access_role,
	};
	const struct sl_pif *p;

	/* another feature's network (an SR-IOV network) says why not */
	if (sl_model_network_refuses(m, net, &access, false, SL_ACT_JOIN,
				     err) < 0)
		return -1;
	/* (a port as OVS sees one, a guest's, may be there: role.h) */
	TAILQ_FOREACH(p, &m->pifs, next)
		if (p->ep.network == net && !sl_tunnel_of_pif(p) &&
		    !(p->ep.role && p->ep.role->any_network))
			return sl_err_set(err, SL_E_NETWORK_CONTAINS_PIF,
					  "network-uuid: network %s has PIF %s (%s): a private network has no PIF of its own",
					  net->bridge, p->ep.device, p->ep.uuid);
	return 0;
}

struct sl_tunnel *
sl_model_tunnel_add(struct sl_model *m, const char *uuid,
		    const char *access_uuid, struct sl_pif *transport,
		    struct sl_network *net, enum sl_tunnel_protocol protocol,
		    long long key, struct sl_err *err)
{
	struct sl_endpoint_spec spec = {
		.uuid = access_uuid, .devargs = "", .network_uuid = net->uuid,
		.vlan = -1, .plugged = true, .no_port = true,
		.role = &sl_tunnel_access_role,
	};
	bool used[SL_MODEL_MAX_TUNNELS] = { false };
	char device[32];
	struct sl_tunnel *t, *other;
	int index = -1;

	TAILQ_FOREACH(other, sl_tunnels(m), next)
		used[other->index] = true;
	for (int i = 0; i < SL_MODEL_MAX_TUNNELS && index < 0; i++)
		if (!used[i])
			index = i;
	if (index < 0) {
		sl_err_set(err, SL_E_LIMIT_REACHED, "a host holds at most %d tunnels",
			   SL_MODEL_MAX_TUNNELS);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
		return NULL;
	}
	if (check_transport(m, transport, net, err) < 0 ||
	    check_private(m, net, err) < 0 ||
	    choose_key(m, net, protocol, key, &t->key, err) < 0 ||
	    sl_model_take_uuid(m, uuid, t->uuid, err) < 0)
		goto fail;
	snprintf(device, sizeof(device), "tunnel%d", index);
	spec.device = device;
	spec.role_of = t;
	t->access = sl_model_pif_add(m, &spec, err);
	if (!t->access)
		goto fail;
	t->index = (uint16_t)index;
	t->transport = transport;
	t->protocol = protocol;
	t->other_config = json_object();
	if (!t->other_config) {
		sl_model_pif_remove(m, t->access);
		sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
		goto fail;
	}
	TAILQ_INSERT_TAIL(sl_tunnels(m), t, next);
	return t;
fail:
	free(t);
	return NULL;
}

void
sl_model_tunnel_remove(struct sl_model *m, struct sl_tunnel *t)
{
	TAILQ_REMOVE(sl_tunnels(m), t, next);
	sl_model_pif_remove(m, t->access);
	json_decref(t->other_config);
	free(t);
}

static int
parse_remote(const struct sl_tunnel *t, const char *s, uint32_t *ip,
	     struct sl_err *err)
{
	if (!sl_ipv4_parse(s, ip))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "remote: '%s' is not an IPv4 address", s);
	/* a remote is one host: not 0/8, loopback, multicast or broadcast */
	if ((*ip >> 24) == 0 || (*ip >> 24) == 127 || (*ip >> 28) >= 14)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "remote: %s is not a unicast host address", s);
	if (t->transport->ip.is_static && *ip == t->transport->ip.ip)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "remote: %s is this host's own address on %s", s,
				  t->transport->ep.device);
	return 0;
}

/* Remote endpoints (transport, protocol, remote) of every tunnel, and
 * whether one of them is already (transport, protocol, ip). */
static unsigned int
remote_endpoints(const struct sl_model *m, const struct sl_tunnel *with,
		 uint32_t ip, bool *known)
{
	const struct sl_tunnel *t, *u;
	unsigned int n = 0;

	*known = false;
	TAILQ_FOREACH(t, sl_tunnels(m), next)
		for (unsigned int i = 0; i < t->nb_remotes; i++) {
			bool earlier = false;

			/* counted once: at its first tunnel */
			for (u = TAILQ_FIRST(sl_tunnels(m)); u != t && !earlier;
			     u = TAILQ_NEXT(u, next))
				for (unsigned int k = 0; k < u->nb_remotes; k++)
					earlier |= u->transport == t->transport &&
						   u->protocol == t->protocol &&
						   u->remotes[k] == t->remotes[i];
			n += !earlier;
			*known |= t->transport == with->transport &&
				  t->protocol == with->protocol &&
				  t->remotes[i] == ip;
		}
	return n;
}

int
sl_tunnel_remote_add(const struct sl_model *m, struct sl_tunnel *t,
		     const char *remote, struct sl_err *err)
{
	bool known;
	uint32_t ip;

	if (parse_remote(t, remote, &ip, err) < 0)
		return -1;
	for (unsigned int i = 0; i < t->nb_remotes; i++)
		if (t->remotes[i] == ip)
			return sl_err_set(err, SL_E_TUNNEL_REMOTE_EXISTS,
					  "remote: %s is already a remote of tunnel %s",
					  remote, t->uuid);
	if (t->nb_remotes == SL_TUNNEL_MAX_REMOTES)
		return sl_err_set(err, SL_E_LIMIT_REACHED,
				  "remote: tunnel %s has %d remotes, the most it takes",
				  t->uuid, SL_TUNNEL_MAX_REMOTES);
	if (remote_endpoints(m, t, ip, &known) >= SL_MODEL_MAX_REMOTE_ENDPOINTS &&
	    !known)
		return sl_err_set(err, SL_E_LIMIT_REACHED,
				  "remote: this host reaches %d remote endpoints (transport PIF, protocol, host), the most it takes",
				  SL_MODEL_MAX_REMOTE_ENDPOINTS);
	t->remotes[t->nb_remotes++] = ip;
	return 0;
}

int
sl_tunnel_remote_remove(struct sl_tunnel *t, const char *remote,
			struct sl_err *err)
{
	uint32_t ip;

	if (!sl_ipv4_parse(remote, &ip))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "remote: '%s' is not an IPv4 address", remote);
	for (unsigned int i = 0; i < t->nb_remotes; i++) {
		if (t->remotes[i] != ip)
			continue;
		/* the others keep their order */
		memmove(&t->remotes[i], &t->remotes[i + 1],
			(t->nb_remotes - i - 1) * sizeof(t->remotes[0]));
		t->nb_remotes--;
		return 0;
	}
	return sl_err_set(err, SL_E_TUNNEL_REMOTE_UNKNOWN,
			  "remote: %s is not a remote of tunnel %s", remote,
			  t->uuid);
}

int
sl_check_static_routes(json_t *other_config, struct sl_err *err)
{
	json_t *v = json_object_get(other_config, "static-routes");
	struct sl_route *routes;
	unsigned int n;
	int rc;

	if (!v)
		return 0;
	if (!json_is_string(v))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "other-config:static-routes: must be text");
	routes = calloc(SL_ROUTES_MAX, sizeof(*routes));
	if (!routes)
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	rc = sl_routes_parse(json_string_value(v), routes, SL_ROUTES_MAX, &n, err);
	free(routes);
	return rc;
}

unsigned int
sl_model_pif_routes(const struct sl_pif *p, struct sl_route *out,
		    unsigned int max)
{
	const char *text = json_string_value(
		json_object_get(p->ep.network->other_config, "static-routes"));
	struct sl_err ignore = { 0 };
	unsigned int n = 0;

	if (!text || sl_routes_parse(text, out, max, &n, &ignore) < 0)
		return 0;
	return n;
}

/* ---- the tunnel part of the model ---- */

static void
tunnels_init(void *part)
{
	TAILQ_INIT((struct sl_tunnel_list *)part);
}

static void
tunnels_fini(void *part)
{
	struct sl_tunnel_list *tunnels = part;
	struct sl_tunnel *t;

	while ((t = TAILQ_FIRST(tunnels))) {
		TAILQ_REMOVE(tunnels, t, next);
		json_decref(t->other_config);
		free(t);
	}
}

const struct sl_model_part sl_tunnel_model_part = {
	.size = sizeof(struct sl_tunnel_list),
	.init = tunnels_init,
	.fini = tunnels_fini,
};
