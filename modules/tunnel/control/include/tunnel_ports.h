/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A private network's remote hosts as datapath ports, for the features
 * that name them by something else (OpenFlow's ofport of a gre or vxlan
 * Interface): a remote is one more port of each network it carries
 * (sl_meta.h), the in_port of the packets decapsulated from it.
 */
#ifndef SL_TUNNEL_PORTS_H
#define SL_TUNNEL_PORTS_H

#include <stdint.h>

struct sl_runtime;
struct sl_network;

/* The datapath port of the remote remote (IPv4, host order) of network
 * n's tunnel, -1 if n has no tunnel to it in force now. */
int sl_tunnel_remote_port(const struct sl_runtime *rt,
			  const struct sl_network *n, uint32_t remote);

#endif
