/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the tables ask for, worked out before the model is touched
 * (ovsdb_plan.c): the networks (a bridge's own, and one per VLAN used on
 * it), each Interface's port, and the VLANs each port carries tagged.
 * ovsdb_map.c then makes the model match the plan.
 */
#ifndef SL_OVSDB_PLAN_H
#define SL_OVSDB_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bond_model.h"
#include "ipv4.h"
#include "model.h"
#include "ovsdb.h"
#include "sl_port.h"
#include "tunnel_model.h"

/* A network: a Bridge's, or a VLAN's on a bridge. */
struct sl_ovsdb_net {
	char uuid[SL_OVSDB_UUID_LEN + 1];
	char bridge[SL_BRIDGE_MAX];
};

/* One Interface as a port of sluice. */
struct sl_ovsdb_iface {
	char uuid[SL_OVSDB_UUID_LEN + 1];	/* the Interface row's */
	const char *name;
	char bridge_uuid[SL_OVSDB_UUID_LEN + 1];	/* ofports are per Bridge */
	char net_uuid[SL_OVSDB_UUID_LEN + 1];	/* its untagged frames' network */
	struct sl_network *net;		/* set by ovsdb_map.c */
	const char *mac;	/* NULL: the device's */
	const char *guest_mac;	/* a guest's (external_ids:attached-mac) */
	char devargs[SL_DEVARGS_MAX];
	char fallback[SL_DEVARGS_MAX];	/* af_packet where af_xdp fails */
	const char *mode;	/* how it is attached, as status says */
	int mtu;		/* 0: the network's */
	bool local;		/* the bridge's own port (ofport 65534) */
	bool member;		/* a bond's: its bond opens its port */
	bool uplink;		/* may carry a tunnel's packets out of its bridge */
	bool tunnel;		/* a gre or vxlan Interface: a remote, no port */
	bool trunk_all;		/* a trunk of every VLAN (ovsdb_vlans.c) */
	int64_t requested, previous;	/* ofport_request, ofport */
	int64_t ofport;
	char error[sizeof(((struct sl_err *)0)->msg)];
};

/* A bond: a Port of several Interfaces. Its PIF's uuid is the Port
 * row's, its device the Port's name. */
struct sl_ovsdb_bond {
	char uuid[SL_OVSDB_UUID_LEN + 1];
	const char *name;
	char net_uuid[SL_OVSDB_UUID_LEN + 1];
	char members[SL_BOND_MAX_SLAVES][SL_OVSDB_UUID_LEN + 1];
	unsigned int n;
	enum sl_bond_mode mode;
	json_t *props;		/* sluice's bond properties (owned) */
	const char *mac;	/* Port.mac, or NULL */
	bool trunk_all;		/* a trunk of every VLAN (ovsdb_vlans.c) */
};

/* A private network's tunnel: the gre or vxlan Interfaces of one bridge
 * (each a remote host), over the uplink of the bridge whose own port holds
 * the address the kernel's routes to them leave from. */
struct sl_ovsdb_tunnel {
	char net_uuid[SL_OVSDB_UUID_LEN + 1];	/* the private bridge's */
	char access_uuid[SL_OVSDB_UUID_LEN + 1];	/* the tunnel's own PIF */
	const char *bridge;
	enum sl_tunnel_protocol protocol;
	uint32_t key;
	uint32_t remotes[SL_TUNNEL_MAX_REMOTES];	/* host order */
	uint32_t gateways[SL_TUNNEL_MAX_REMOTES];	/* 0: on the link */
	char via[SL_TUNNEL_MAX_REMOTES][IF_NAMESIZE];	/* the kernel's interface */
	char ifaces[SL_TUNNEL_MAX_REMOTES][SL_OVSDB_UUID_LEN + 1];
	unsigned int n;
	char transport_uuid[SL_OVSDB_UUID_LEN + 1];	/* "": none found */
	struct sl_ip_config ip;		/* the local address */
};

/* A VLAN a port carries tagged (a trunk's): an Interface's, or a bond's
 * (its Port's uuid). */
struct sl_ovsdb_vlan {
	char iface_uuid[SL_OVSDB_UUID_LEN + 1];
	uint16_t tag;
	char net_uuid[SL_OVSDB_UUID_LEN + 1];
};

struct sl_ovsdb_plan {
	struct sl_ovsdb_net *nets;
	size_t n_nets, cap_nets;
	struct sl_ovsdb_iface *ifaces;
	size_t n_ifaces, cap_ifaces;
	struct sl_ovsdb_vlan *vlans;
	size_t n_vlans, cap_vlans;
	struct sl_ovsdb_bond *bonds;
	size_t n_bonds, cap_bonds;
	struct sl_ovsdb_tunnel *tunnels;
	size_t n_tunnels, cap_tunnels;
};

/* The plan of the tables o holds (its unsupported list is made again). */
void sl_ovsdb_plan_make(struct sl_ovsdb *o, struct sl_ovsdb_plan *plan);
void sl_ovsdb_plan_free(struct sl_ovsdb_plan *plan);

struct sl_ovsdb_iface *sl_ovsdb_plan_iface(const struct sl_ovsdb_plan *plan,
					   const char *uuid);
const struct sl_ovsdb_bond *sl_ovsdb_plan_bond(const struct sl_ovsdb_plan *plan,
					       const char *uuid);
const struct sl_ovsdb_net *sl_ovsdb_plan_net(const struct sl_ovsdb_plan *plan,
					     const char *uuid);
/* Whether the plan has the Interface carry tag in network net_uuid. */
bool sl_ovsdb_plan_has_vlan(const struct sl_ovsdb_plan *plan,
			    const char *iface_uuid, uint16_t tag,
			    const char *net_uuid);

/* Inside the plan: ovsdb_plan.c's parts. */
/* A new zeroed element at the end of *v (n elements, room for *cap), or
 * NULL when out of memory. */
void *sl_ovsdb_push(void *v, size_t *n, size_t *cap, size_t size);
/* ovsdb_plan_bond.c: the bond Port port asks for into b, or false with
 * why (a sentence). */
bool sl_ovsdb_make_bond(struct sl_ovsdb *o, struct sl_ovsdb_bond *b,
			const char *puuid, const json_t *port, char *why,
			size_t len);
/* ovsdb_plan_tunnel.c: a gre or vxlan Interface w of bridge buuid, a
 * remote of its tunnel (or w's error); then each tunnel's underlay. */
void sl_ovsdb_plan_tunnel_iface(struct sl_ovsdb_plan *plan, const char *buuid,
				const char *bname, struct sl_ovsdb_iface *w,
				const json_t *iface);
void sl_ovsdb_resolve_tunnels(struct sl_ovsdb_plan *plan);
/* The remote (IPv4, host order) of the gre or vxlan Interface of that
 * uuid into *remote: true if the plan gave it one. */
bool sl_ovsdb_plan_tunnel_remote(const struct sl_ovsdb_plan *plan,
				 const char *iface_uuid, uint32_t *remote);

#endif
