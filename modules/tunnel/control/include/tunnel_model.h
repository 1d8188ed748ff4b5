/* SPDX-License-Identifier: BSD-3-Clause */
/* Tunnels in the model (tunnel_model.c); the types are model.h's. */
#ifndef SL_TUNNEL_MODEL_H
#define SL_TUNNEL_MODEL_H

#include <jansson.h>

#include "model.h"
#include "routes.h"

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
