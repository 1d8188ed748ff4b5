/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow as the core sees it (feature.h): on with the database
 * (--ovsdb), whose bridges and ofports it follows; it numbers the flows'
 * ports for the rules module, takes no-flood ports out of the flood lists
 * of a new snapshot, and shows itself in status.
 */
#include <stdio.h>
#include <string.h>

#include "feature.h"
#include "log.h"
#include "openflow.h"
#include "sl_snapshot.h"

extern const struct sl_feature sl_openflow_feature;

struct sl_openflow *
sl_openflow_of(const struct sl_runtime *rt)
{
	return sl_feature_runtime(rt, &sl_openflow_feature);
}

/* ---- the saved map (the model's part) ---- */

static void
model_fini(void *part)
{
	struct sl_of_model *p = part;

	json_decref(p->map);
	p->map = NULL;
}

const struct sl_model_part sl_of_model_part = {
	.size = sizeof(struct sl_of_model),
	.fini = model_fini,
};

static struct sl_of_model *
model_of(const struct sl_model *m)
{
	return sl_model_part(m, &sl_of_model_part);
}

static int
load_state(struct sl_model *m, json_t *value, struct sl_err *err)
{
	const char *buuid, *iuuid;
	json_t *b, *p;

	if (!json_is_object(value))
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "openflow: must be an object");
	json_object_foreach(value, buuid, b) {
		if (!json_is_string(json_object_get(b, "name")) ||
		    !json_is_object(json_object_get(b, "ports")))
			return sl_err_set(err, SL_E_STATE_FILE_INVALID,
					  "openflow: bridge %s needs a name and ports", buuid);
		json_object_foreach(json_object_get(b, "ports"), iuuid, p) {
			json_int_t ofport = json_integer_value(json_object_get(p, "ofport"));

			if (ofport < 1 || ofport > UINT16_MAX ||
			    !json_is_string(json_object_get(p, "name")))
				return sl_err_set(err, SL_E_STATE_FILE_INVALID,
						  "openflow: port %s needs an ofport (1..65535) and a name",
						  iuuid);
		}
	}
	json_decref(model_of(m)->map);
	model_of(m)->map = json_incref(value);
	return 0;
}

static json_t *
save_state(const struct sl_model *m)
{
	json_t *map = model_of(m)->map;

	return map ? json_incref(map) : NULL;	/* no key */
}

void
sl_of_map_refresh(struct sl_openflow *of)
{
	struct sl_of_model *p = model_of(of->rt->model);

	json_decref(p->map);
	p->map = sl_of_bridges_map(of);
}

/* ---- the runtime ---- */

static int
of_start(struct sl_runtime *rt, struct sl_err *err)
{
	struct sl_openflow *of = sl_openflow_of(rt);
	json_t *saved = model_of(rt->model)->map;

	(void)err;
	of->rt = rt;
	/* the database's bridges are followed and answered on their sockets
	 * with --ovsdb; the saved map alone (a restart without it, the bench)
	 * still judges the flows' ports */
	of->enabled = sl_runtime_option(rt, "ovsdb") && rt->host.loop;
	of->mapped = of->enabled || saved;
	of->listen_later = of->enabled && rt->host.takeover;
	if (of->mapped)
		sl_rules_set_port_map(rt, &sl_of_port_map);
	if (saved)
		sl_of_bridges_load(of, saved);
	return 0;
}

/* A takeover's end, the old sluiced gone: the saved bridges' sockets. */
static void
of_ports_ready(struct sl_runtime *rt)
{
	struct sl_openflow *of = sl_openflow_of(rt);
	struct sl_err err = { 0 };

	if (!of || !of->listen_later)
		return;
	of->listen_later = false;
	for (unsigned int i = 0; i < SL_OF_MAX_BRIDGES; i++) {
		struct sl_of_bridge *b = &of->bridges[i];

		if (b->used && b->ports && b->listen.fd < 0 &&
		    sl_of_listen(b, &err) < 0)
			SL_LOG(ERR, "openflow: %s: %s\n", b->name, err.msg);
	}
}

static void
of_stop(struct sl_runtime *rt)
{
	struct sl_openflow *of = sl_openflow_of(rt);

	if (of && of->mapped) {
		sl_of_controllers_fini(of);
		sl_of_bridges_fini(of);
	}
}

static void
republish(struct sl_runtime *rt)
{
	struct sl_err err = { 0 };

	if (sl_runtime_rules_republish(rt, &err) < 0)
		SL_LOG(ERR, "openflow: the flows are not in force on the new ports: %s\n",
		       err.msg);
}

/* Every apply, once the ports are opened and before the snapshot that
 * carries them is published: the flows follow the ports, so a port's
 * flows judge its first packet. */
static void
of_sync(struct sl_runtime *rt)
{
	struct sl_openflow *of = sl_openflow_of(rt);

	if (of && of->mapped && sl_of_bridges_resolve(of))
		republish(rt);
}

/* The database remade its record of the Interfaces: new ofports. */
static bool
of_fast_tick(struct sl_runtime *rt, uint64_t now_ms)
{
	struct sl_openflow *of = sl_openflow_of(rt);
	struct sl_of_model *p = model_of(rt->model);
	struct sl_err err = { 0 };
	json_t *map;

	if (of && of->enabled) {
		sl_of_active_tick(of, now_ms);
		sl_of_clients_probe(of, now_ms);
	}
	if (!of || !of->enabled || !(map = sl_of_bridges_sync(of)))
		return false;
	sl_of_controllers_sync(of);
	sl_of_bridges_resolve(of);
	republish(rt);
	if (p->map && json_equal(p->map, map)) {
		json_decref(map);
		return false;
	}
	json_decref(p->map);
	p->map = map;
	if (sl_runtime_save_state(rt, &err) < 0)
		SL_LOG(ERR, "openflow: the state file is not saved: %s\n", err.msg);
	return false;
}

/* A no-flood port leaves the flood list of every network it carries
 * (it keeps the frames addressed to it). */
static void
drop_from_floods(struct sl_snapshot *s, uint16_t port)
{
	for (uint16_t n = 0; n < s->nb_networks; n++) {
		struct sl_dp_network *net = &s->networks[n];
		uint16_t k = 0;

		for (uint16_t i = 0; i < net->nb_ports; i++)
			if (net->ports[i] != port)
				net->ports[k++] = net->ports[i];
		net->nb_ports = k;
	}
}

/* A port taken down carries no network: nothing is flooded or sent to
 * it (a frame for a MAC it had is flooded to the others), and what it
 * receives is dropped (admin_down, port_down). */
static void
take_down(struct sl_snapshot *s, uint16_t port)
{
	drop_from_floods(s, port);
	for (uint16_t n = 0; n < s->nb_networks; n++)
		s->networks[n].tag[port] = SL_TAG_NONE;
	s->ports[port].admin_down = 1;
}

static int
of_fill_snapshot(struct sl_runtime *rt, struct sl_snapshot *s)
{
	struct sl_openflow *of = sl_openflow_of(rt);

	for (unsigned int i = 0; of && of->enabled && i < SL_OF_MAX_BRIDGES; i++) {
		const struct sl_of_bridge *b = &of->bridges[i];

		for (unsigned int k = 0; b->used && k < b->nb_ports; k++) {
			const struct sl_of_port_entry *e = &b->ports[k];
			int port = e->no_flood || e->down ?
				   sl_of_dp_port_of(rt, e->iface_uuid) : -1;

			if (port < 0 || port >= SL_DP_MAX_PORTS)
				continue;
			if (e->down)
				take_down(s, (uint16_t)port);
			else
				drop_from_floods(s, (uint16_t)port);
		}
	}
	return 0;
}

/* The bridge's controllers as the last sync saw them, an active
 * target's state as it is now (connecting, connected, retrying). */
static json_t *
controllers_now(const struct sl_openflow *of, const struct sl_of_bridge *b)
{
	json_t *v = b->controllers ? json_deep_copy(b->controllers) : json_array();
	json_t *c;
	size_t i;

	json_array_foreach(v, i, c)
		for (unsigned int k = 0; k < SL_OF_MAX_ACTIVES; k++) {
			const struct sl_of_active *a = &of->actives[k];

			if (a->used && a->bridge == b &&
			    strcmp(json_string_value(json_object_get(c, "target")) ?: "",
				   a->target) == 0)
				json_object_set_new(c, "state", json_string(a->state));
		}
	return v;
}

static void
of_status(const struct sl_runtime *rt, json_t *status)
{
	const struct sl_openflow *of = sl_openflow_of(rt);
	uint64_t flow_mods = 0, errors = 0, malformed = 0, unsupported = 0;
	json_t *bridges;

	if (!of || !of->enabled)
		return;
	flow_mods = of->flow_mods;
	errors = of->errors_sent;
	malformed = of->malformed;
	unsupported = of->unsupported;
	bridges = json_array();
	for (unsigned int i = 0; i < SL_OF_MAX_BRIDGES; i++) {
		const struct sl_of_bridge *b = &of->bridges[i];
		unsigned int conns = 0;
		json_t *ports;

		if (!b->used)
			continue;
		ports = json_array();
		for (unsigned int k = 0; k < SL_OF_CLIENTS_PER_BRIDGE; k++) {
			const struct sl_of_conn_stats *st;

			if (!b->clients[k])
				continue;
			conns++;
			st = sl_of_conn_stats(b->clients[k]->conn);
			flow_mods += st->flow_mods;
			errors += st->errors_sent;
			malformed += st->malformed;
			unsupported += st->unsupported;
		}
		for (unsigned int k = 0; k < b->nb_ports; k++)
			json_array_append_new(ports, json_pack(
				"{s:i, s:s, s:i, s:b, s:b}", "ofport", b->ports[k].ofport,
				"name", b->ports[k].name, "datapath-port",
				b->ports[k].dp_port, "no-flood", b->ports[k].no_flood,
				"down", b->ports[k].down));
		/* a bridge of the saved map has no controllers until the
		 * database is read */
		json_array_append_new(bridges, json_pack(
			"{s:s, s:s, s:I, s:i, s:o, s:o}", "name", b->name, "socket",
			b->path, "datapath-id", (json_int_t)b->dpid,
			"connections", conns, "ports", ports, "controllers",
			controllers_now(of, b)));
	}
	json_object_set_new(status, "openflow", json_pack(
		"{s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:s}", "bridges", bridges,
		"connections", (json_int_t)of->connections,
		"refused-connections", (json_int_t)of->refused_connections,
		"flow-mods", (json_int_t)flow_mods,
		"errors-sent", (json_int_t)errors,
		"malformed", (json_int_t)malformed,
		"unsupported", (json_int_t)unsupported,
		"last-error", of->last_error));
}

const struct sl_feature sl_openflow_feature = {
	.name = "openflow",
	.model_part = &sl_of_model_part,
	.runtime_size = sizeof(struct sl_openflow),
	.state_key = "openflow",
	.load_state = load_state,
	.save_state = save_state,
	.start = of_start,
	.stop = of_stop,
	.ports_ready = of_ports_ready,
	.sync = of_sync,
	.fast_tick = of_fast_tick,
	.fill_snapshot = of_fill_snapshot,
	.status = of_status,
};
