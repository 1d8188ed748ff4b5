/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The underlay of private networks: a transport PIF's IPv4 address, the
 * static routes of its network (XCP-ng's other-config:static-routes) and
 * the next hop toward a remote host, chosen by longest-prefix match
 * (DPDK's rte_rib) over the connected subnet, the static routes and the
 * default gateway.
 */
#ifndef SL_ROUTES_H
#define SL_ROUTES_H

#include <stdbool.h>
#include <stdint.h>

#include "ipv4.h"
#include "sl_error.h"

#define SL_ROUTES_MAX 256	/* static routes per network */

struct sl_route {
	uint32_t prefix;	/* host order, no bits past the length */
	uint8_t len;
	uint32_t gateway;
};

/*
 * Parse "net/prefix/gw[,net/prefix/gw...]" (XCP-ng's form) into out. One
 * malformed entry rejects the whole list: -1 with err naming the entry and
 * what is wrong. An empty text is no routes.
 */
int sl_routes_parse(const char *text, struct sl_route *out, unsigned int max,
		    unsigned int *n, struct sl_err *err);


enum sl_next_hop_via {
	SL_VIA_NONE,		/* no route */
	SL_VIA_CONNECTED,	/* on the PIF's subnet: the remote itself */
	SL_VIA_STATIC,
	SL_VIA_DEFAULT,
};

struct sl_next_hop {
	enum sl_next_hop_via via;
	uint32_t ip;		/* whom to ARP for */
	struct sl_route route;	/* SL_VIA_STATIC: the route used */
};

/*
 * The next hop from a PIF with ip toward each of nb remotes (out[i] for
 * remotes[i]), over routes: one rte_rib is built for them all (the control
 * thread does this on changes, for a handful of remotes). Returns 0, or
 * -errno when the RIB cannot be made.
 */
int sl_next_hops(const struct sl_ip_config *ip, const struct sl_route *routes,
		 unsigned int nb_routes, const uint32_t *remotes,
		 unsigned int nb, struct sl_next_hop *out);
const char *sl_next_hop_via_name(enum sl_next_hop_via via);

#endif
