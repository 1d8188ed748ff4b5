/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The plan → the model, in parts: ovsdb_map.c (networks, ports, VLANs,
 * and the order of it all), ovsdb_map_bond.c (bonds), ovsdb_map_tunnel.c
 * (private networks' tunnels). Each returns true when the model changed.
 */
#ifndef SL_OVSDB_MAP_H
#define SL_OVSDB_MAP_H

#include <stdbool.h>

#include "bond_model.h"
#include "model.h"
#include "ovsdb_plan.h"

/* Whether p is the port w asks for, but for its MTU and MAC. */
bool sl_ovsdb_same_port(const struct sl_pif *p, const struct sl_ovsdb_iface *w);
/* A PIF the database may change. */
bool sl_ovsdb_mapped(const struct sl_pif *p);
/* A port a VLAN or a tunnel rides on: the database's, still wanted. */
bool sl_ovsdb_port_wanted(const struct sl_ovsdb_plan *plan,
			  const struct sl_pif *p);

/* ovsdb_map_bond.c */
bool sl_ovsdb_bond_wanted(const struct sl_ovsdb_plan *plan,
			  const struct sl_bond *b);
bool sl_ovsdb_remove_stale_bonds(struct sl_ovsdb *o,
				 const struct sl_ovsdb_plan *plan);
bool sl_ovsdb_add_bonds(struct sl_ovsdb *o, struct sl_ovsdb_plan *plan);

/* ovsdb_map_tunnel.c */
bool sl_ovsdb_remove_stale_tunnels(struct sl_ovsdb *o,
				   const struct sl_ovsdb_plan *plan);
bool sl_ovsdb_sync_tunnels(struct sl_ovsdb *o, struct sl_ovsdb_plan *plan);

#endif
