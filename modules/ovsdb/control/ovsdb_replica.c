/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The monitored tables as last seen: {table: {uuid: row}}, kept from the
 * monitor's first reply and its "update" notifications (RFC 7047 4.1.6:
 * "new" is the whole row as it now is; no "new" means the row went).
 */
#include <string.h>

#include "ovsdb.h"

/* The columns sluice reads, and those it writes back (watched too, so
 * that it writes only what changed). external_ids is read for a guest's
 * MAC, never written. */
static const char *const open_vswitch_columns[] = {
	"bridges", "next_cfg", "cur_cfg", "other_config", "ssl", NULL,
};
static const char *const bridge_columns[] = {
	"name", "ports", "fail_mode", "other_config", "mcast_snooping_enable",
	"datapath_type", "controller", "protocols", NULL,
};
static const char *const port_columns[] = {
	"name", "interfaces", "tag", "trunks", "vlan_mode", "bond_mode", "lacp",
	"bond_updelay", "bond_downdelay", "fake_bridge", "mac", "other_config",
	"bond_active_slave", NULL,
};
static const char *const interface_columns[] = {
	"name", "type", "options", "mtu_request", "ofport_request", "mac",
	"other_config", "external_ids", "ofport", "error", "admin_state",
	"link_state", "mtu", "mac_in_use", "ifindex", NULL,
};
static const char *const controller_columns[] = {
	"target", "inactivity_probe", NULL,
};
/* the certificate, key and CA of pssl: controllers (OpenFlow over TLS) */
static const char *const ssl_columns[] = {
	"private_key", "certificate", "ca_cert", NULL,
};

static const struct {
	const char *table;
	const char *const *columns;
} monitored[] = {
	{ "Open_vSwitch", open_vswitch_columns },
	{ "Bridge", bridge_columns },
	{ "Port", port_columns },
	{ "Interface", interface_columns },
	{ "Controller", controller_columns },
	{ "SSL", ssl_columns },
};

json_t *
sl_ovsdb_monitor_requests(void)
{
	json_t *req = json_object();

	for (size_t t = 0; t < sizeof(monitored) / sizeof(monitored[0]); t++) {
		json_t *cols = json_array();

		for (const char *const *c = monitored[t].columns; *c; c++)
			json_array_append_new(cols, json_string(*c));
		/* initial rows and every later change */
		json_object_set_new(req, monitored[t].table,
				    json_pack("{s:o}", "columns", cols));
	}
	return req;
}

void
sl_ovsdb_replica_apply(struct sl_ovsdb *o, const json_t *updates)
{
	const char *table, *uuid;
	json_t *rows, *change;

	json_object_foreach((json_t *)updates, table, rows) {
		json_t *mine = json_object_get(o->tables, table);

		if (!json_is_object(rows))
			continue;
		if (!mine) {
			mine = json_object();
			json_object_set_new(o->tables, table, mine);
		}
		json_object_foreach(rows, uuid, change) {
			json_t *row = json_object_get(change, "new");

			if (strlen(uuid) != SL_OVSDB_UUID_LEN)
				continue;
			if (json_is_object(row))
				json_object_set(mine, uuid, row);
			else
				json_object_del(mine, uuid);
		}
	}
}

json_t *
sl_ovsdb_row(const struct sl_ovsdb *o, const char *table, const char *uuid)
{
	return json_object_get(json_object_get(o->tables, table), uuid);
}

json_t *
sl_ovsdb_root(const struct sl_ovsdb *o, const char **uuid)
{
	json_t *rows = json_object_get(o->tables, "Open_vSwitch");
	const char *key;
	json_t *row;

	json_object_foreach(rows, key, row) {
		*uuid = key;
		return row;
	}
	return NULL;
}
