/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private networks at run time (tunnel_runtime.c, underlay.c): which
 * transport PIFs carry tunnels, the remote endpoints (each a datapath
 * port), their next hops and the neighbours sluice resolves itself. The
 * tunnel feature's own runtime state (sl_feature_runtime); private to the
 * module.
 */
#ifndef SL_TUNNEL_RUNTIME_H
#define SL_TUNNEL_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "model.h"
#include "tunnel_model.h"
#include "routes.h"
#include "runtime.h"

/* A remote tunnel endpoint: the datapath port SL_VTEP_PORT(its index). */
struct sl_vtep_rt {
	bool used;
	const struct sl_pif *transport;
	enum sl_tunnel_protocol protocol;
	uint32_t remote;		/* host order */
	struct sl_next_hop hop;		/* via SL_VIA_NONE: no route */
};

/* A transport PIF that carries tunnels now (an address, a port). */
struct sl_transport_rt {
	const struct sl_pif *pif;
	uint16_t port;			/* datapath port */
	uint16_t network;		/* datapath network id */
};

/* A next hop on a transport PIF's subnet, resolved by sluice's own ARP. */
struct sl_neighbour {
	const struct sl_pif *pif;
	uint32_t ip;			/* host order */
	struct rte_ether_addr mac;
	bool resolved;
	bool wanted;			/* a remote is reached through it */
	bool is_static;			/* other-config:static-neighbours */
	unsigned int unanswered;	/* requests since the last reply */
	uint64_t next_probe_ms;
};

struct sl_underlay_counters {
	uint64_t arp_requests_sent, arp_replies_sent, arp_replies_received;
	uint64_t pings_answered, neighbours_lost, not_sent;
	uint64_t not_answered;	/* punted, but no longer ours or unreadable */
};

struct sl_tunnel_rt {
	struct sl_vtep_rt vteps[SL_MAX_VTEPS];
	bool vtep_released[SL_MAX_VTEPS];	/* flushed after the publish */
	struct sl_transport_rt transports[SL_MAX_TRANSPORTS];
	uint16_t nb_transports;
	struct sl_neighbour neighbours[SL_MAX_VTEPS];
	unsigned int nb_neighbours;
	struct sl_underlay_counters underlay;
};

extern const struct sl_feature sl_tunnel_feature;

static inline struct sl_tunnel_rt *
sl_tunnel_rt(const struct sl_runtime *rt)
{
	return sl_feature_runtime(rt, &sl_tunnel_feature);
}

/*
 * Which transport PIFs carry tunnels now and which remote endpoints they
 * reach (each a datapath port, kept while it is wanted), each remote's
 * next hop, and the neighbours to resolve. Part of sl_runtime_apply.
 */
void sl_runtime_tunnels_sync(struct sl_runtime *rt);
/* The tunnels' part of a snapshot. Returns 0 or -ENOMEM. */
int sl_runtime_tunnels_fill(struct sl_runtime *rt, struct sl_snapshot *s);
/* After a publish: FDB entries of released remote ports go. */
void sl_runtime_tunnels_released(struct sl_runtime *rt);
/* The remote endpoint of a tunnel's remote (host order), or NULL. */
const struct sl_vtep_rt *sl_runtime_vtep(const struct sl_runtime *rt,
					 const struct sl_tunnel *t,
					 uint32_t remote, uint16_t *port);
/* The transport PIF pif as a local endpoint now, or NULL. */
const struct sl_transport_rt *sl_runtime_transport(const struct sl_runtime *rt,
						   const struct sl_pif *pif);
/* Whether frames of t's network travel (access PIF plugged, transport
 * PIF attached with an address). */
bool sl_runtime_tunnel_active(const struct sl_runtime *rt,
			      const struct sl_tunnel *t);

/* ---- the underlay's neighbours (underlay.c) ---- */
/* The neighbour ip (host order) on pif: found, or added (to be resolved
 * at once); NULL when the table is full. */
struct sl_neighbour *sl_underlay_want(struct sl_runtime *rt,
				      const struct sl_pif *pif, uint32_t ip);
const struct sl_neighbour *sl_underlay_find(const struct sl_runtime *rt,
					    const struct sl_pif *pif,
					    uint32_t ip);
/* A PIF's other-config:static-neighbours, if there, is a valid list. */
int sl_check_static_neighbours(json_t *other_config, struct sl_err *err);
/* Forget the neighbours no remote is reached through any more. */
void sl_underlay_forget_unwanted(struct sl_runtime *rt);
/* An ARP or ping for a local endpoint (from the punt ring); takes mb.
 * Returns true when a neighbour was resolved or changed. */
bool sl_underlay_punt(struct sl_runtime *rt, struct rte_mbuf *mb,
		      uint64_t now_ms);
/* ARP requests that are due; returns true when a neighbour was lost. */
bool sl_underlay_tick(struct sl_runtime *rt, uint64_t now_ms);

#endif
