/* SPDX-License-Identifier: BSD-3-Clause */
/* A Port of several Interfaces → the bond it asks for, with the mode and
 * properties ovs-vswitchd reads (ovsdb_plan.c's part for bonds). */
#include <stdio.h>
#include <string.h>

#include "ovsdb_plan.h"

/* A setting sluice runs otherwise than asked, for status. */
static void
note(struct sl_ovsdb *o, const char *port_name, const char *what)
{
	json_array_append_new(o->unsupported, json_sprintf("port %s: %s",
							   port_name, what));
}

/* A bond's value of an integer column or an other_config key, as the
 * string sluice's bond properties take; dflt when not set. */
static void
bond_prop(json_t *props, const char *key, const json_t *port,
	  const char *column, const char *oc_key, const char *dflt)
{
	const char *v = oc_key ? sl_ovsdb_map_get(json_object_get(port, "other_config"),
						   oc_key) : NULL;
	int64_t n;

	if (column && sl_ovsdb_integer(json_object_get(port, column), &n))
		json_object_set_new(props, key, json_sprintf("%lld", (long long)n));
	else if (v || dflt)
		json_object_set_new(props, key, json_string(v ? v : dflt));
}

/* The bond a Port of several Interfaces asks for (mode and properties
 * as ovs-vswitchd reads them), or why it cannot be: into why (a
 * sentence) and false. */
bool
sl_ovsdb_make_bond(struct sl_ovsdb *o, struct sl_ovsdb_bond *b, const char *puuid,
	  const json_t *port, char *why, size_t len)
{
	const char *bm = sl_ovsdb_string(json_object_get(port, "bond_mode"), "active-backup");
	const char *lacp = sl_ovsdb_string(json_object_get(port, "lacp"), "off");
	const json_t *oc = json_object_get(port, "other_config");
	const char *detect = sl_ovsdb_map_get(oc, "bond-detect-mode");
	struct sl_bond_props props;
	struct sl_err err = { 0 };
	bool tcp = strcmp(bm, "balance-tcp") == 0;

	memcpy(b->uuid, puuid, sizeof(b->uuid));
	b->name = sl_ovsdb_string(json_object_get(port, "name"), "");
	b->mac = sl_ovsdb_string(json_object_get(port, "mac"), NULL);
	b->props = json_object();
	if (strcmp(bm, "active-backup") != 0 && strcmp(bm, "balance-slb") != 0 && !tcp) {
		snprintf(why, len, "bond_mode %s is not active-backup, balance-slb or balance-tcp", bm);
		return false;
	}
	if (strcmp(lacp, "active") == 0 || strcmp(lacp, "passive") == 0) {
		b->mode = SL_BOND_LACP;
		json_object_set_new(b->props, "hashing_algorithm",
				    json_string(tcp ? "tcpudp_ports" : "src_mac"));
		if (lacp[0] == 'p')
			note(o, b->name, "lacp=passive: sluice's LACP is always active");
		if (bm[0] == 'a')
			note(o, b->name, "bond_mode=active-backup with LACP: run as LACP hashing source MACs");
		bond_prop(b->props, "lacp-time", port, NULL, "lacp-time", NULL);
	} else if (strcmp(lacp, "off") != 0) {
		snprintf(why, len, "lacp %s is not active, passive or off", lacp);
		return false;
	} else {
		b->mode = tcp ? SL_BOND_BALANCE_TCP : bm[0] == 'a' ?
			  SL_BOND_ACTIVE_BACKUP : SL_BOND_BALANCE_SLB;
	}
	/* ovs-vswitchd's defaults where sluice's (XAPI's) differ */
	bond_prop(b->props, "lacp-fallback-ab", port, NULL, "lacp-fallback-ab", "false");
	bond_prop(b->props, "updelay", port, "bond_updelay", NULL, "0");
	bond_prop(b->props, "downdelay", port, "bond_downdelay", NULL, "0");
	bond_prop(b->props, "rebalance-interval", port, NULL,
		  "bond-rebalance-interval", "10000");
	if (detect && strcmp(detect, "miimon") == 0)
		bond_prop(b->props, "miimon", port, NULL, "bond-miimon-interval", NULL);
	if (sl_bond_props_parse(b->props, &props, &err) < 0) {
		snprintf(why, len, "%s", err.msg);
		return false;
	}
	return true;
}
