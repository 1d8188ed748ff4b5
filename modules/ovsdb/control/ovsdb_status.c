/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What ovs-vswitchd writes back, written the same way: per Interface its
 * ofport and error, admin and link state, MTU, MAC in use, ifindex and
 * (every few seconds) statistics; per bond Port the MAC of its active
 * member (bond_active_slave); and Open_vSwitch cur_cfg := next_cfg,
 * in the same transaction, after every change it applied, even one that
 * meant nothing to it. ovs-vsctl waits for exactly that (cur_cfg >= the
 * next_cfg it wrote), then reads the ofport of what it added. Only
 * columns whose value changed are written; external_ids never.
 */
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "bond_model.h"
#include "bond_runtime.h"
#include "model.h"
#include "ovsdb.h"
#include "ovsdb_data.h"
#include "sl_dp.h"

static json_t *
optional_string(const char *s)
{
	return s && *s ? json_string(s) : sl_ovsdb_empty_set();
}

static json_t *
statistics(const struct sl_runtime *rt, const struct sl_worker_stats *sum,
	   uint16_t port)
{
	struct sl_port_counters c;

	sl_runtime_port_counters(rt, sum, port, &c);
	return json_pack("[s, [[s, I], [s, I], [s, I], [s, I], [s, I], [s, I]]]",
			 "map", "rx_bytes", (json_int_t)c.rx_bytes,
			 "rx_dropped", (json_int_t)c.rx_dropped,
			 "rx_packets", (json_int_t)c.rx_packets,
			 "tx_bytes", (json_int_t)c.tx_bytes,
			 "tx_dropped", (json_int_t)c.tx_dropped,
			 "tx_packets", (json_int_t)c.tx_packets);
}

/* Set column to value in row_out unless the row has it already. */
static void
put(json_t *row_out, const json_t *row, const char *column, json_t *value)
{
	const json_t *now = json_object_get(row, column);

	if (!value)
		return;
	if (now && json_equal(now, value) == 1)
		json_decref(value);
	else
		json_object_set_new(row_out, column, value);
}

/* The columns of one Interface that changed. */
static json_t *
interface_status(const struct sl_ovsdb *o, const char *uuid, const json_t *mine,
		 const struct sl_worker_stats *sum)
{
	const json_t *row = sl_ovsdb_row(o, "Interface", uuid);
	const struct sl_endpoint *ep = sl_model_endpoint_find(o->rt->model,
							      uuid, false);
	const char *error = json_string_value(json_object_get(mine, "error"));
	bool tunnel = json_is_true(json_object_get(mine, "tunnel"));
	bool up = ep && ep->port_id != SL_PORT_NONE;
	json_t *out = json_object();
	char mac[SL_MAC_STR_LEN];
	unsigned int ifindex;

	if (!row || !out)
		return out;
	put(out, row, "ofport", json_integer(json_integer_value(json_object_get(mine, "ofport"))));
	put(out, row, "error", optional_string(error));
	if (tunnel) {	/* a remote host: no port of its own */
		put(out, row, "admin_state", json_string(*error ? "down" : "up"));
		put(out, row, "link_state", json_string(*error ? "down" : "up"));
		return out;
	}
	put(out, row, "admin_state", json_string(up ? "up" : "down"));
	put(out, row, "link_state", json_string(
		up && sl_port_link_up(&o->rt->ports[ep->port_id]) ? "up" : "down"));
	if (!up)
		return out;
	sl_mac_format(mac, &ep->mac);
	put(out, row, "mac_in_use", json_string(mac));
	put(out, row, "mtu", json_integer(ep->mtu));
	ifindex = if_nametoindex(ep->device);
	put(out, row, "ifindex", json_integer(ifindex));
	if (sum)
		json_object_set_new(out, "statistics",
				    statistics(o->rt, sum, ep->port_id));
	return out;
}

/* bond_active_slave of the bonds' Ports that changed, into ops. */
static void
bonds_status(const struct sl_ovsdb *o, json_t *ops)
{
	const struct sl_bond *b;

	TAILQ_FOREACH(b, sl_bonds(o->rt->model), next) {
		const json_t *row = sl_ovsdb_row(o, "Port", b->master->ep.uuid);
		json_t *show, *m, *out;
		char mac[SL_MAC_STR_LEN] = "";
		size_t i;

		if (!row)
			continue;
		show = sl_bonding_show(o->rt, b);
		json_array_foreach(json_object_get(show, "members"), i, m)
			if (json_is_true(json_object_get(m, "active")))
				sl_mac_format(mac, &b->slaves[i]->ep.mac);
		json_decref(show);
		out = json_object();
		put(out, row, "bond_active_slave", optional_string(mac));
		if (json_object_size(out))
			json_array_append_new(ops, json_pack(
				"{s:s, s:s, s:o, s:o}", "op", "update", "table",
				"Port", "where", sl_ovsdb_where_uuid(b->master->ep.uuid),
				"row", out));
		else
			json_decref(out);
	}
}

void
sl_ovsdb_write_status(struct sl_ovsdb *o, bool with_stats)
{
	struct sl_worker_stats *sum = NULL;
	const char *root_uuid, *uuid;
	json_t *root = sl_ovsdb_root(o, &root_uuid);
	json_t *ops = json_array(), *mine;
	int64_t next_cfg = 0, cur_cfg = 0;

	if (!root || !ops) {
		json_decref(ops);
		return;
	}
	if (with_stats) {
		sum = malloc(sizeof(*sum));
		if (sum)
			sl_dp_stats_sum(o->rt->dp, sum);
	}
	json_object_foreach(o->ifaces, uuid, mine) {
		json_t *row = interface_status(o, uuid, mine, sum);

		if (json_object_size(row))
			json_array_append_new(ops, json_pack(
				"{s:s, s:s, s:o, s:o}", "op", "update", "table",
				"Interface", "where", sl_ovsdb_where_uuid(uuid),
				"row", row));
		else
			json_decref(row);
	}
	free(sum);
	bonds_status(o, ops);
	sl_ovsdb_integer(json_object_get(root, "next_cfg"), &next_cfg);
	sl_ovsdb_integer(json_object_get(root, "cur_cfg"), &cur_cfg);
	if (next_cfg != cur_cfg)
		json_array_append_new(ops, json_pack(
			"{s:s, s:s, s:o, s:{s:I}}", "op", "update", "table",
			"Open_vSwitch", "where", sl_ovsdb_where_uuid(root_uuid),
			"row", "cur_cfg", (json_int_t)next_cfg));
	if (json_array_size(ops))
		sl_ovsdb_transact(o, ops);
	else
		json_decref(ops);
}
