/* SPDX-License-Identifier: BSD-3-Clause */
/* Tunnels in the model (tunnel_model.c): the tunnel feature's part of it,
 * and the roles of a tunnel's PIFs (tunnel_roles.c). */
#ifndef SL_TUNNEL_MODEL_H
#define SL_TUNNEL_MODEL_H

#include <jansson.h>

#include "model.h"
#include "routes.h"

enum sl_tunnel_protocol { SL_TUNNEL_GRE, SL_TUNNEL_VXLAN };

#define SL_TUNNEL_MAX_REMOTES 64
#define SL_MODEL_MAX_TUNNELS 64
/* distinct (transport PIF, protocol, remote) over all tunnels */
#define SL_MODEL_MAX_REMOTE_ENDPOINTS 128
#define SL_VXLAN_VNI_MAX 0xffffffu

/*
 * XAPI's tunnel: a private network carried over a transport PIF to the
 * other hosts (remotes), in GRE or VXLAN with the network's key. As in
 * XAPI the network gets an access PIF (device tunnelN) standing for it.
 */
struct sl_tunnel {
	TAILQ_ENTRY(sl_tunnel) next;
	char uuid[SL_UUID_LEN + 1];
	uint16_t index;			/* tunnelN */
	struct sl_pif *access;
	struct sl_pif *transport;
	enum sl_tunnel_protocol protocol;
	uint32_t key;			/* GRE key or VXLAN VNI */
	uint32_t remotes[SL_TUNNEL_MAX_REMOTES];	/* IPv4, host order */
	unsigned int nb_remotes;
	json_t *other_config;
};
TAILQ_HEAD(sl_tunnel_list, sl_tunnel);


/* The tunnels of a model (its tunnel part). */
extern const struct sl_model_part sl_tunnel_model_part;
static inline struct sl_tunnel_list *
sl_tunnels(const struct sl_model *m)
{
	return sl_model_part(m, &sl_tunnel_model_part);
}

const char *sl_tunnel_protocol_name(enum sl_tunnel_protocol p);
int sl_tunnel_protocol_parse(const char *s, enum sl_tunnel_protocol *out,
			     struct sl_err *err);
/* A tunnel of net over transport and its access PIF (plugged). key < 0:
 * the network's key if another tunnel carries it, else the lowest free
 * one. uuids may be NULL. */
struct sl_tunnel *sl_model_tunnel_add(struct sl_model *m, const char *uuid,
				      const char *access_uuid,
				      struct sl_pif *transport,
				      struct sl_network *net,
				      enum sl_tunnel_protocol protocol,
				      long long key, struct sl_err *err);
void sl_model_tunnel_remove(struct sl_model *m, struct sl_tunnel *t);
/* The tunnel whose access PIF is on net, or NULL. */
struct sl_tunnel *sl_model_network_tunnel(const struct sl_model *m,
					  const struct sl_network *net);

/* A tunnel's access PIF (role_of: its struct sl_tunnel). */
extern const struct sl_role sl_tunnel_access_role;

/* The tunnel whose access PIF p is, or NULL. */
static inline struct sl_tunnel *
sl_tunnel_of_pif(const struct sl_pif *p)
{
	return p->ep.role == &sl_tunnel_access_role ? p->ep.role_of : NULL;
}
struct sl_tunnel *sl_model_tunnel_find(const struct sl_model *m,
				       const char *uuid);
int sl_tunnel_remote_add(const struct sl_model *m, struct sl_tunnel *t,
			 const char *remote, struct sl_err *err);
int sl_tunnel_remote_remove(struct sl_tunnel *t, const char *remote,
			    struct sl_err *err);
/* other-config:static-routes, if there, is a valid list. */
int sl_check_static_routes(json_t *other_config, struct sl_err *err);
/* The static routes of a PIF's network (other-config:static-routes),
 * already validated when they were set. */
unsigned int sl_model_pif_routes(const struct sl_pif *p,
				 struct sl_route *out, unsigned int max);

#endif
