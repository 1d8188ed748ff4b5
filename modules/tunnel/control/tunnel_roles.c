/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a tunnel's PIFs are to the core (role.h): its access PIF stands for
 * the private network and has no port (the remotes are ports of their
 * own); its transport PIF carries it and stays while it does. And what
 * the PIF records say of them.
 */
#include <stdio.h>

#include "tunnel_model.h"
#include "tunnel_feature.h"

static int
access_refuse(const struct sl_model *m, const struct sl_endpoint *ep,
	      enum sl_role_action a, const void *arg, struct sl_err *err)
{
	const struct sl_tunnel *t = ep->role_of;

	(void)m;
	(void)arg;
	switch (a) {
	case SL_ACT_FORGET:
	case SL_ACT_SET_DEVARGS:
		return sl_err_set(err, SL_E_PIF_IS_TUNNEL_ACCESS,
				  "PIF %s is tunnel %s's: tunnel-destroy uuid=%s instead",
				  ep->uuid, t->uuid, t->uuid);
	case SL_ACT_TAG:
		return sl_err_set(err, SL_E_PIF_IS_TUNNEL_ACCESS,
				  "pif-uuid: PIF %s is tunnel %s's: a private network carries no VLANs",
				  ep->device, t->uuid);
	case SL_ACT_SET_OFFLOADS:
		return sl_err_set(err, SL_E_OFFLOAD_NOT_SUPPORTED,
				  "other-config: PIF %s is tunnel %s's: it has no port of its own; set ethtool-* on the transport PIF",
				  ep->uuid, t->uuid);
	default:
		return 0;
	}
}

/* A private network holds VIFs and its tunnels' access PIFs. */
static int
access_refuse_join(const struct sl_model *m, const struct sl_pif *p,
		   const struct sl_endpoint_spec *spec, bool is_vif,
		   enum sl_role_action a, struct sl_err *err)
{
	(void)m;
	if (a != SL_ACT_JOIN || is_vif || spec->role == &sl_tunnel_access_role ||
	    (spec->role && spec->role->any_network))
		return 0;
	return sl_err_set(err, SL_E_NETWORK_HAS_TUNNEL,
			  "network-uuid: network %s is a private network (tunnel %s): it has no PIF of its own",
			  p->ep.network->bridge, sl_tunnel_of_pif(p)->uuid);
}

static void
access_describe(const struct sl_endpoint *ep, char *buf, size_t len)
{
	(void)ep;
	snprintf(buf, len, "a tunnel's own PIF");
}

const struct sl_role sl_tunnel_access_role = {
	.port = SL_ROLE_NO_PORT,
	.refuse = access_refuse,
	.refuse_join = access_refuse_join,
	.describe = access_describe,
	.taken_code = SL_E_PIF_IS_NOT_PHYSICAL,
};

/* A transport PIF stays, and keeps its port, while a tunnel rides on it. */
int
sl_tunnel_refuse_pif(const struct sl_model *m, const struct sl_pif *p,
		     enum sl_role_action a, struct sl_err *err)
{
	const struct sl_tunnel *t;

	if (a != SL_ACT_FORGET && a != SL_ACT_SET_DEVARGS && a != SL_ACT_TAKE)
		return 0;
	TAILQ_FOREACH(t, sl_tunnels(m), next)
		if (t->transport == p)
			return sl_err_set(err, SL_E_PIF_IS_TUNNEL_ACCESS,
					  "PIF %s carries tunnel %s: tunnel-destroy it first",
					  p->ep.device, t->uuid);
	return 0;
}

const char *const sl_tunnel_pif_fields[] = {
	"tunnel-access-PIF-of", "tunnel-transport-PIF-of", NULL
};

void
sl_tunnel_pif_record(const struct sl_model *m, const struct sl_pif *p,
		     json_t *r)
{
	const struct sl_tunnel *t, *own = sl_tunnel_of_pif(p);
	json_t *over = json_array();

	TAILQ_FOREACH(t, sl_tunnels(m), next)
		if (t->transport == p)
			json_array_append_new(over, json_string(t->uuid));
	json_object_set_new(r, "tunnel-access-PIF-of",
			    json_string(own ? own->uuid : ""));
	json_object_set_new(r, "tunnel-transport-PIF-of", over);
}
