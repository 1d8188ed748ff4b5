/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The database's bridges as OpenFlow sees them: each Bridge row gets a
 * <bridge>.mgmt socket, each Interface with an ofport an OpenFlow port.
 * Followed whenever the database feature remade its record of the
 * Interfaces (ifaces_gen); the flows' port numbers are then resolved to
 * datapath ports again (sl_of_port_map).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipv4.h"
#include "log.h"
#include "model.h"
#include "openflow.h"
#include "role.h"
#include "sl_port.h"
#include "tunnel_ports.h"

/* The datapath port a packet from the Interface's endpoint carries: a
 * bond member's is its bond's logical port. */
struct sl_endpoint *
sl_of_endpoint(const struct sl_runtime *rt, const char *uuid)
{
	struct sl_endpoint *ep = sl_model_endpoint_find(rt->model, uuid, false);

	return ep ? ep : sl_model_endpoint_find(rt->model, uuid, true);
}

int
sl_of_dp_port_of(const struct sl_runtime *rt, const char *iface_uuid)
{
	const struct sl_endpoint *ep = sl_of_endpoint(rt, iface_uuid);
	const struct sl_role *r;

	if (!ep)
		return -1;
	r = ep->role;
	if (r && r->port == SL_ROLE_OWN_PORT && r->logical_port && ep->role_of)
		return r->logical_port(ep->role_of);
	return ep->port_id == SL_PORT_NONE ? -1 : ep->port_id;
}

/* The datapath id OVS would give a bridge it has no MAC for: from its
 * uuid, 48 bits, stable across restarts. */
static uint64_t
dpid_of(const char *uuid)
{
	uint64_t id = 0;

	for (int i = 0, n = 0; uuid[i] && n < 12; i++) {
		char c = uuid[i];

		if (c == '-')
			continue;
		id = id << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
		n++;
	}
	return id;
}

static struct sl_of_bridge *
find_uuid(struct sl_openflow *of, const char *uuid)
{
	for (unsigned int i = 0; i < SL_OF_MAX_BRIDGES; i++)
		if (of->bridges[i].used && strcmp(of->bridges[i].uuid, uuid) == 0)
			return &of->bridges[i];
	return NULL;
}

/* The bridge of that uuid, made (and listening) if new; NULL past
 * SL_OF_MAX_BRIDGES. */
static struct sl_of_bridge *
bridge_get(struct sl_openflow *of, const char *uuid, const char *name,
	   bool *created)
{
	struct sl_of_bridge *b = find_uuid(of, uuid);
	struct sl_err err = { 0 };

	*created = false;
	for (unsigned int i = 0; !b && i < SL_OF_MAX_BRIDGES; i++) {
		if (of->bridges[i].used)
			continue;
		b = &of->bridges[i];
		b->used = true;
		*created = true;
		b->of = of;
		snprintf(b->uuid, sizeof(b->uuid), "%s", uuid);
		snprintf(b->name, sizeof(b->name), "%s", name);
		b->dpid = dpid_of(uuid);
		b->ports = calloc(SL_OF_MAX_PORTS, sizeof(*b->ports));
		b->listen.fd = -1;
		if (!b->ports || (of->enabled && !of->listen_later &&
				  sl_of_listen(b, &err) < 0))
			SL_LOG(ERR, "openflow: %s: %s\n", name,
			       b->ports ? err.msg : "out of memory");
	}
	if (!b)
		SL_LOG(WARNING, "openflow: more than %d bridges: %s has no OpenFlow\n",
		       SL_OF_MAX_BRIDGES, name);
	return b;
}

static void
drop_bridge(struct sl_of_bridge *b)
{
	sl_of_controllers_drop_bridge(b->of, b);
	sl_of_unlisten(b);
	json_decref(b->controllers);
	free(b->ports);
	memset(b, 0, sizeof(*b));
}

static struct sl_of_port_entry *
port_by_iface(const struct sl_of_bridge *b, const char *iface_uuid)
{
	for (unsigned int i = 0; i < b->nb_ports; i++)
		if (strcmp(b->ports[i].iface_uuid, iface_uuid) == 0)
			return &b->ports[i];
	return NULL;
}

/* Set a port (in the bridge's list already or new): no-flood stays. */
static void
port_set(struct sl_of_bridge *b, const char *iface_uuid, uint16_t ofport,
	 const char *name, const json_t *rec, struct sl_of_port_entry *fresh,
	 unsigned int *n)
{
	const char *remote = json_string_value(json_object_get(rec, "remote-ip"));
	const struct sl_of_port_entry *old = port_by_iface(b, iface_uuid);
	struct sl_of_port_entry *e;

	if (*n == SL_OF_MAX_PORTS)
		return;
	e = &fresh[(*n)++];
	memset(e, 0, sizeof(*e));
	e->ofport = ofport;
	snprintf(e->name, sizeof(e->name), "%s", name ? name : "");
	snprintf(e->iface_uuid, sizeof(e->iface_uuid), "%s", iface_uuid);
	e->tunnel = json_is_true(json_object_get(rec, "tunnel"));
	if (!remote || !sl_ipv4_parse(remote, &e->remote))
		e->remote = 0;
	e->dp_port = -1;	/* sl_of_bridges_resolve */
	e->no_flood = old && old->no_flood;
	e->down = old && old->down;
}

/* Replace b's ports with the n in fresh. */
static void
ports_replace(struct sl_of_bridge *b, struct sl_of_port_entry *fresh,
	      unsigned int n)
{
	if (!b->ports)
		return;
	memcpy(b->ports, fresh, n * sizeof(*fresh));
	b->nb_ports = n;
}

static void
read_ports(struct sl_openflow *of, struct sl_of_bridge *b,
	   struct sl_of_port_entry *fresh)
{
	struct sl_ovsdb *o = sl_ovsdb_of(of->rt);
	unsigned int n = 0;
	const char *uuid;
	json_t *mine;

	json_object_foreach(o->ifaces, uuid, mine) {
		json_int_t ofport = json_integer_value(json_object_get(mine, "ofport"));
		const char *buuid = json_string_value(json_object_get(mine, "bridge-uuid"));

		if (!buuid || strcmp(buuid, b->uuid) != 0 || ofport < 1 ||
		    ofport > UINT16_MAX)
			continue;
		port_set(b, uuid, (uint16_t)ofport,
			 json_string_value(json_object_get(mine, "name")), mine,
			 fresh, &n);
	}
	ports_replace(b, fresh, n);
}

/* The map as the state file keeps it: {bridge uuid: {"name": name,
 * "ports": {interface uuid: {"ofport": n, "name": name}}}}, with
 * "normal-flow": false when the bridge's NORMAL flow is not there and
 * "normal-cookie" when it has one (absent keys: the flow of a new
 * bridge, as files written before them hold). */
json_t *
sl_of_bridges_map(const struct sl_openflow *of)
{
	json_t *all = json_object();

	for (unsigned int i = 0; i < SL_OF_MAX_BRIDGES; i++) {
		const struct sl_of_bridge *b = &of->bridges[i];
		json_t *ports;

		if (!b->used)
			continue;
		ports = json_object();
		for (unsigned int k = 0; k < b->nb_ports; k++) {
			const struct sl_of_port_entry *e = &b->ports[k];
			json_t *jp = json_pack("{s:i, s:s, s:b}", "ofport", e->ofport,
					       "name", e->name, "tunnel", e->tunnel);

			char ip[SL_IPV4_STR_LEN];

			sl_ipv4_format(ip, e->remote);
			if (e->tunnel && e->remote)
				json_object_set_new(jp, "remote-ip", json_string(ip));
			json_object_set_new(ports, e->iface_uuid, jp);
		}
		json_object_set_new(all, b->uuid, json_pack("{s:s, s:o}", "name",
							    b->name, "ports", ports));
		if (b->no_normal_flow)
			json_object_set_new(json_object_get(all, b->uuid),
					    "normal-flow", json_false());
		else if (b->normal_cookie)
			json_object_set_new(json_object_get(all, b->uuid),
					    "normal-cookie",
					    json_integer((json_int_t)b->normal_cookie));
	}
	return all;
}

void
sl_of_bridges_load(struct sl_openflow *of, json_t *saved)
{
	struct sl_of_port_entry *fresh = calloc(SL_OF_MAX_PORTS, sizeof(*fresh));
	const char *buuid, *iuuid;
	json_t *jb, *jp;

	json_object_foreach(saved, buuid, jb) {
		struct sl_of_bridge *b;
		unsigned int n = 0;

		bool created;

		if (!fresh || !(b = bridge_get(of, buuid,
				json_string_value(json_object_get(jb, "name")),
				&created)))
			continue;
		b->no_normal_flow = json_is_false(json_object_get(jb, "normal-flow"));
		b->normal_cookie = (uint64_t)json_integer_value(
			json_object_get(jb, "normal-cookie"));
		json_object_foreach(json_object_get(jb, "ports"), iuuid, jp)
			port_set(b, iuuid,
				 (uint16_t)json_integer_value(json_object_get(jp, "ofport")),
				 json_string_value(json_object_get(jp, "name")), jp,
				 fresh, &n);
		ports_replace(b, fresh, n);
	}
	free(fresh);
}

bool
sl_of_bridges_resolve(struct sl_openflow *of)
{
	bool changed = false;

	for (unsigned int i = 0; i < SL_OF_MAX_BRIDGES; i++) {
		struct sl_of_bridge *b = &of->bridges[i];
		struct sl_network *n;

		if (!b->used)
			continue;
		n = sl_model_network_find(of->rt->model, b->uuid);
		changed |= n != b->network;
		b->network = n;
		for (unsigned int k = 0; k < b->nb_ports; k++) {
			struct sl_of_port_entry *e = &b->ports[k];
			/* a tunnel's: its remote's, the in_port of what is
			 * decapsulated from it */
			int p = !e->tunnel ? sl_of_dp_port_of(of->rt, e->iface_uuid) :
				e->remote ? sl_tunnel_remote_port(of->rt, n, e->remote) : -1;

			changed |= p != e->dp_port;
			e->dp_port = p;
		}
	}
	return changed;
}

/* The Bridge row's protocols as a bitmap of wire versions (OpenFlow10 is
 * 1, ... OpenFlow15 is 6); 0 when it names none (OVS's default). */
static uint32_t
versions_of(const json_t *row)
{
	const json_t *set = json_object_get(row, "protocols");
	uint32_t v = 0;

	for (size_t i = 0; i < sl_ovsdb_set_size(set); i++) {
		const char *name = json_string_value(sl_ovsdb_set_get(set, i));
		unsigned int minor;

		if (name && sscanf(name, "OpenFlow1%1u", &minor) == 1 && minor <= 5)
			v |= 1u << (minor + 1);
	}
	return v;
}

/* Whether the Bridge row names an active controller (tcp:, ssl:): OVS's
 * "has controllers" (pssl:/ptcp: do not count). */
static bool
has_active_controller(struct sl_ovsdb *o, const json_t *row)
{
	const json_t *set = json_object_get(row, "controller");
	char cuuid[SL_OVSDB_UUID_LEN + 1], ip[64];
	unsigned int port;
	bool tls;

	for (size_t k = 0; k < sl_ovsdb_set_size(set); k++) {
		const char *target = sl_ovsdb_uuid(sl_ovsdb_set_get(set, k), cuuid) ?
			json_string_value(json_object_get(
				sl_ovsdb_row(o, "Controller", cuuid), "target")) : NULL;

		if (target && sl_of_active_parse(target, &tls, ip, sizeof(ip), &port))
			return true;
	}
	return false;
}

/*
 * fail_mode as ovs-vswitchd has it (checked against Debian's OVS 3.1):
 * a bridge made secure starts with an empty table, so it drops what no
 * flow matches; a standalone one has the priority-0 NORMAL flow. A
 * change of mode flushes the table, unless an active controller is
 * configured (OVS leaves the table to it then; pssl:/ptcp: do not
 * count). A bridge of the saved map keeps its saved table at the first
 * read (sluice keeps flows over a restart, unlike OVS).
 */
static void
follow_fail_mode(struct sl_of_bridge *b, const json_t *row, bool created)
{
	const char *mode = sl_ovsdb_string(json_object_get(row, "fail_mode"), "");
	bool secure = strcmp(mode, "secure") == 0;

	if (created) {
		b->no_normal_flow = secure;
	} else if (b->fail_known && b->fail_secure != secure &&
		   !has_active_controller(sl_ovsdb_of(b->of->rt), row)) {
		SL_LOG(INFO, "openflow: %s: fail_mode %s: its flows are flushed\n",
		       b->name, secure ? "secure" : "standalone");
		b->fail_secure = secure;
		sl_of_bridge_flush(b);
	}
	b->fail_known = true;
	b->fail_secure = secure;
}

json_t *
sl_of_bridges_sync(struct sl_openflow *of)
{
	struct sl_ovsdb *o = sl_ovsdb_of(of->rt);
	bool seen[SL_OF_MAX_BRIDGES] = { false };
	struct sl_of_port_entry *fresh;
	json_t *rows, *row;
	const char *uuid;

	if (!o || !o->enabled || o->ifaces_gen == of->ifaces_gen)
		return NULL;
	fresh = calloc(SL_OF_MAX_PORTS, sizeof(*fresh));
	if (!fresh)
		return NULL;	/* tried again at the next tick */
	of->ifaces_gen = o->ifaces_gen;
	rows = json_object_get(o->tables, "Bridge");
	json_object_foreach(rows, uuid, row) {
		const char *name = json_string_value(json_object_get(row, "name"));
		bool created = false;
		struct sl_of_bridge *b = name ? bridge_get(of, uuid, name, &created) : NULL;

		if (!b)
			continue;
		seen[b - of->bridges] = true;
		b->versions = versions_of(row);
		read_ports(of, b, fresh);
		follow_fail_mode(b, row, created);
	}
	free(fresh);
	for (unsigned int i = 0; i < SL_OF_MAX_BRIDGES; i++)
		if (of->bridges[i].used && !seen[i])
			drop_bridge(&of->bridges[i]);
	return sl_of_bridges_map(of);
}

void
sl_of_bridges_fini(struct sl_openflow *of)
{
	for (unsigned int i = 0; i < SL_OF_MAX_BRIDGES; i++)
		if (of->bridges[i].used)
			drop_bridge(&of->bridges[i]);
}

struct sl_of_bridge *
sl_of_bridge_by_network(struct sl_openflow *of, const struct sl_network *n)
{
	for (unsigned int i = 0; n && i < SL_OF_MAX_BRIDGES; i++)
		if (of->bridges[i].used && of->bridges[i].network == n)
			return &of->bridges[i];
	return NULL;
}

const struct sl_of_port_entry *
sl_of_port_find(const struct sl_of_bridge *b, uint16_t ofport)
{
	for (unsigned int i = 0; i < b->nb_ports; i++)
		if (b->ports[i].ofport == ofport)
			return &b->ports[i];
	return NULL;
}

/* ---- the rules module's view: a flow's ports in datapath ids ---- */

static int
map_dp_port(const struct sl_runtime *rt, const struct sl_network *bridge,
	    uint16_t ofport)
{
	struct sl_of_bridge *b = sl_of_bridge_by_network(sl_openflow_of(rt), bridge);
	const struct sl_of_port_entry *e = b ? sl_of_port_find(b, ofport) : NULL;

	return e ? e->dp_port : -1;
}

static unsigned int
map_dp_ports(const struct sl_runtime *rt, const struct sl_network *bridge,
	     uint16_t *out, unsigned int max)
{
	struct sl_of_bridge *b = sl_of_bridge_by_network(sl_openflow_of(rt), bridge);
	unsigned int n = 0;

	for (unsigned int i = 0; b && i < b->nb_ports; i++) {
		int p = b->ports[i].dp_port;
		bool dup = false;

		/* a bond's members share its port */
		for (unsigned int k = 0; k < n; k++)
			dup |= out[k] == p;
		if (p >= 0 && !dup && n < max)
			out[n++] = (uint16_t)p;
	}
	return n;
}

static bool
map_normal_flow(const struct sl_runtime *rt, const struct sl_network *bridge,
		uint64_t *cookie)
{
	struct sl_of_bridge *b = sl_of_bridge_by_network(sl_openflow_of(rt), bridge);

	*cookie = b ? b->normal_cookie : 0;
	return !b || !b->no_normal_flow;
}

const struct sl_flow_port_map sl_of_port_map = {
	.dp_port = map_dp_port,
	.dp_ports = map_dp_ports,
	.normal_flow = map_normal_flow,
};
