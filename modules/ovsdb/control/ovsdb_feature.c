/* SPDX-License-Identifier: BSD-3-Clause */
/* The database feature as the core sees it (feature.h): started by
 * --ovsdb, it owns the topology (topology commands are refused), shows
 * itself in status, and runs its connection's timers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "feature.h"
#include "ovsdb.h"
#include "ovsdb_port.h"

extern const struct sl_feature sl_ovsdb_feature;

const char *
sl_ovsdb_rundir(void)
{
	const char *d = getenv("OVS_RUNDIR");

	return d && *d ? d : "/var/run/openvswitch";
}

struct sl_ovsdb *
sl_ovsdb_of(const struct sl_runtime *rt)
{
	return sl_feature_runtime(rt, &sl_ovsdb_feature);
}

static int
ovsdb_start(struct sl_runtime *rt, struct sl_err *err)
{
	struct sl_ovsdb *o = sl_ovsdb_of(rt);
	const char *remote = sl_runtime_option(rt, "ovsdb");

	o->rt = rt;
	o->stream.fd = -1;
	if (!remote)
		return 0;
	if (!rt->host.loop)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "--ovsdb needs the daemon's control loop");
	if (strlen(remote) >= sizeof(o->remote))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "--ovsdb: the remote is longer than %zu characters",
				  sizeof(o->remote) - 1);
	snprintf(o->remote, sizeof(o->remote), "%s", remote);
	o->enabled = true;
	o->connect_later = rt->host.takeover;
	if (sl_ovsdb_session_start(o, err) < 0)
		return -1;
	if (!o->connect_later)
		sl_ovsdb_appctl_start(o);
	return 0;
}

/* A takeover's end: the old sluiced has exited, its lock and pidfile
 * are free. */
static void
ovsdb_ports_ready(struct sl_runtime *rt)
{
	struct sl_ovsdb *o = sl_ovsdb_of(rt);

	if (!o || !o->enabled || !o->connect_later)
		return;
	o->connect_later = false;
	sl_ovsdb_appctl_start(o);
	sl_ovsdb_session_connect(o);
}

static void
ovsdb_stop(struct sl_runtime *rt)
{
	struct sl_ovsdb *o = sl_ovsdb_of(rt);

	if (o && o->enabled) {
		sl_ovsdb_appctl_stop(o);
		sl_ovsdb_session_stop(o);
	}
}

static bool
ovsdb_fast_tick(struct sl_runtime *rt, uint64_t now_ms)
{
	struct sl_ovsdb *o = sl_ovsdb_of(rt);

	if (o && o->enabled)
		sl_ovsdb_session_tick(o, now_ms);
	return false;
}

static bool
ovsdb_punt(struct sl_runtime *rt, struct rte_mbuf *m, uint64_t now_ms,
	   bool *changed)
{
	struct sl_ovsdb *o = sl_ovsdb_of(rt);

	(void)now_ms;
	(void)changed;	/* the database's next map makes the network */
	return o && o->enabled && sl_ovsdb_vlan_punt(o, m);
}

static int
ovsdb_fill_snapshot(struct sl_runtime *rt, struct sl_snapshot *s)
{
	struct sl_ovsdb *o = sl_ovsdb_of(rt);

	if (o && o->enabled)
		sl_ovsdb_vlan_fill(o, s);
	return 0;
}

static void
ovsdb_published(struct sl_runtime *rt)
{
	struct sl_ovsdb *o = sl_ovsdb_of(rt);

	if (o && o->enabled)
		sl_ovsdb_pin_guests(o);
}

static void
ovsdb_status(const struct sl_runtime *rt, json_t *status)
{
	const struct sl_ovsdb *o = sl_ovsdb_of(rt);
	json_t *ifaces, *mine;
	const char *uuid;

	if (!o || !o->enabled)
		return;
	ifaces = json_array();
	json_object_foreach(o->ifaces, uuid, mine) {
		json_t *i = json_deep_copy(mine);

		json_object_set_new(i, "uuid", json_string(uuid));
		json_array_append_new(ifaces, i);
	}
	json_object_set_new(status, "ovsdb", json_pack(
		"{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:O, s:O, s:I}",
		"remote", o->remote, "state", sl_ovsdb_state_name(o),
		"last-error", o->last_error, "connects", (json_int_t)o->connects,
		"disconnects", (json_int_t)o->disconnects,
		"transactions", (json_int_t)o->transactions,
		"failed-transactions", (json_int_t)o->failed_transactions,
		"interfaces", ifaces, "unsupported", o->unsupported,
		"discovered-vlans", o->discovered,
		"discovered-vlan-frames", (json_int_t)o->vlan_frames));
}

static int
ovsdb_refuse_command(const struct sl_runtime *rt,
		     const struct sl_command_spec *cmd, struct sl_err *err)
{
	const struct sl_ovsdb *o = sl_ovsdb_of(rt);

	if (!o || !o->enabled || !(cmd->flags & SL_CMD_TOPOLOGY))
		return 0;
	return sl_err_set(err, SL_E_DATABASE_OWNED,
			  "%s: the Open_vSwitch database at %s owns the bridges, ports and interfaces (sluiced --ovsdb): change them with ovs-vsctl",
			  cmd->name, o->remote);
}

/* READY=1 waits for the database's bridges, ports and interfaces: until
 * its first contents are in the model, the switch has no port */
static bool
ovsdb_ready(const struct sl_runtime *rt)
{
	const struct sl_ovsdb *o = sl_feature_runtime(rt, &sl_ovsdb_feature);

	return !o || !o->enabled || (o->locked && o->synced && !o->dirty);
}

const struct sl_feature sl_ovsdb_feature = {
	.name = "ovsdb",
	.runtime_size = sizeof(struct sl_ovsdb),
	.pif_key = SL_OVSDB_PORT_KEY,
	.load_pif = sl_ovsdb_load_port,
	.save_pif = sl_ovsdb_save_port,
	.start = ovsdb_start,
	.stop = ovsdb_stop,
	.ports_ready = ovsdb_ports_ready,
	.fast_tick = ovsdb_fast_tick,
	.published = ovsdb_published,
	.punt = ovsdb_punt,
	.fill_snapshot = ovsdb_fill_snapshot,
	.status = ovsdb_status,
	.ready = ovsdb_ready,
	.refuse_command = ovsdb_refuse_command,
};
