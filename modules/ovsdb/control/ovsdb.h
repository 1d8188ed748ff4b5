/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluiced --ovsdb REMOTE: the Open_vSwitch database as the source of the
 * switch's bridges, ports and interfaces, in the place of ovs-vswitchd.
 *
 *   json_stream.c    JSON texts over a stream socket (the database's and
 *                    ovs-appctl's), ovsdb_data.c the OVSDB data notation
 *   ovsdb_session.c  the connection: lock ovs_vswitchd, monitor, echo,
 *                    reconnect with backoff (never blocking the loop)
 *   ovsdb_replica.c  the monitored tables as last seen
 *   ovsdb_plan*.c    the tables → a plan (networks, ports, VLANs; bonds;
 *                    tunnels and their underlay from the kernel)
 *   ovsdb_map*.c     the plan → sluice's model (the same three parts)
 *   ovsdb_port.c     the database's ports in the model and state file
 *   kernel_netlink.c the host kernel over rtnetlink (routes, taps)
 *   ovsdb_status.c   what ovs-vswitchd writes back (ofport, error, link,
 *                    statistics, bond_active_slave, cur_cfg)
 *   ovs_appctl.c     ovs-appctl -t ovs-vswitchd (bond/show, version)
 *   ovsdb_feature.c  the feature as the core sees it (feature.h)
 */
#ifndef SL_OVSDB_H
#define SL_OVSDB_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <rte_mbuf.h>

#include "json_stream.h"
#include "ovsdb_data.h"
#include "loop.h"
#include "runtime.h"
#include "sl_snapshot.h"

/* ofport of a bridge's own port (OFPP_LOCAL) */
#define SL_OVSDB_OFPORT_LOCAL 65534
#define SL_OVSDB_LOCK "ovs_vswitchd"

enum sl_ovsdb_conn {
	SL_OVSDB_IDLE,		/* not connected; retry at retry_at_ms */
	SL_OVSDB_CONNECTING,	/* TCP connect in progress */
	SL_OVSDB_CONNECTED,
};

#define SL_APPCTL_CLIENTS 16

struct sl_ovsdb;

/* One ovs-appctl connection. */
struct sl_appctl_client {
	struct sl_watch watch;
	struct sl_json_stream stream;
	struct sl_ovsdb *o;
	int slot;
	bool failed;
};

/* ovs-appctl's socket and pidfile (ovs_appctl.c). */
struct sl_appctl {
	struct sl_watch listen;
	char path[256];		/* ovs-vswitchd.<pid>.ctl; "": none */
	char pidfile[256];	/* "": none */
	int pidfile_fd;		/* holds its lock while ours; -1: not ours */
	struct sl_appctl_client *clients[SL_APPCTL_CLIENTS];
};

/* The feature's runtime state (sl_feature_runtime()). */
struct sl_ovsdb {
	bool enabled;		/* --ovsdb was given */
	/* sluiced --takeover: the database's lock and ovs-appctl's pidfile
	 * are the old sluiced's until it has exited: connect then
	 * (ports_ready) */
	bool connect_later;
	struct sl_runtime *rt;
	char remote[256];
	/* the connection */
	struct sl_watch watch;
	struct sl_json_stream stream;
	enum sl_ovsdb_conn conn;
	uint64_t retry_at_ms, backoff_ms;
	bool locked;		/* holds ovs_vswitchd */
	bool synced;		/* the monitor's first reply arrived */
	bool lock_wait_said;
	char last_error[256];
	uint64_t connects, disconnects, transactions, failed_transactions;
	uint64_t next_id;
	/* the database as last seen: {table: {uuid: row}} */
	json_t *tables;
	bool dirty;		/* changed since the model was made from it */
	/* per Interface uuid: {"name", "ofport", "error", "attached-with",
	 * "tunnel", "bridge", "bridge-uuid", "local"}: what sluice made of
	 * it; ifaces_gen counts its remakes (the OpenFlow ports follow) */
	json_t *ifaces;
	uint64_t ifaces_gen;
	/* sentences about settings sluice does not honour */
	json_t *unsupported;
	uint64_t stats_at_ms;
	/* Trunks of every VLAN (OVS's ports without tag): endpoint uuid →
	 * true; the datapath hands over their frames of VLANs no network
	 * claims, and the VLANs seen (bridge uuid → [VLAN ids]) get a
	 * network each, as OVS switches every VLAN on a trunk. */
	json_t *discovering;
	json_t *discovered;
	uint64_t vlan_frames;	/* such frames taken */
	/* tunnels follow the kernel's routes: read again every few s */
	bool has_tunnels;
	uint64_t routes_at_ms;
	struct sl_appctl appctl;
};

struct sl_ovsdb *sl_ovsdb_of(const struct sl_runtime *rt);
/* Where OVS's tools look for their sockets and pidfiles: $OVS_RUNDIR, as
 * they read it, else /var/run/openvswitch. */
const char *sl_ovsdb_rundir(void);

/* ovsdb_session.c */
int sl_ovsdb_session_start(struct sl_ovsdb *o, struct sl_err *err);
void sl_ovsdb_session_stop(struct sl_ovsdb *o);
/* Connect now (a takeover's end). */
void sl_ovsdb_session_connect(struct sl_ovsdb *o);
/* Timers: reconnect, statistics. */
void sl_ovsdb_session_tick(struct sl_ovsdb *o, uint64_t now_ms);
/* Send a transaction of ops (takes it): the lock asserted first. */
void sl_ovsdb_transact(struct sl_ovsdb *o, json_t *ops);
const char *sl_ovsdb_state_name(const struct sl_ovsdb *o);

/* A VLAN is discovered on at most this many per bridge (a guest could
 * send every tag: each would take a network). */
#define SL_OVSDB_DISCOVERED_MAX 64

/* ovsdb_vlans.c: VLANs discovered on trunk ports. */
/* A frame the datapath handed over: true if it is a VLAN to discover
 * (and it is taken). */
bool sl_ovsdb_vlan_punt(struct sl_ovsdb *o, struct rte_mbuf *m);
/* Mark the trunks of every VLAN in a new snapshot. */
void sl_ovsdb_vlan_fill(struct sl_ovsdb *o, struct sl_snapshot *s);
/* Whether VLAN tag was discovered on bridge_uuid. */
bool sl_ovsdb_vlan_discovered(const struct sl_ovsdb *o, const char *bridge_uuid,
			      int tag);

/* ovs_appctl.c: ovs-appctl -t ovs-vswitchd, answered while sluiced runs
 * (a failure is logged: the database's work goes on without it). */
void sl_ovsdb_appctl_start(struct sl_ovsdb *o);
void sl_ovsdb_appctl_stop(struct sl_ovsdb *o);

/* ovsdb_replica.c */
/* Apply a <table-updates> object (monitor's reply or update). */
void sl_ovsdb_replica_apply(struct sl_ovsdb *o, const json_t *updates);
/* A row, or NULL. */
json_t *sl_ovsdb_row(const struct sl_ovsdb *o, const char *table,
		     const char *uuid);
/* The Open_vSwitch table's one row and its uuid, or NULL. */
json_t *sl_ovsdb_root(const struct sl_ovsdb *o, const char **uuid);
/* What sluice monitors: {table: {"columns": [...]}}. */
json_t *sl_ovsdb_monitor_requests(void);

/* ovsdb_map.c: make the model what the tables say. */
void sl_ovsdb_map(struct sl_ovsdb *o);

/* A static FDB entry for each guest's MAC (external_ids:attached-mac) on
 * its port, as sluice holds its VIFs' MACs; after every change (a port's
 * detach flushes its entries). */
void sl_ovsdb_pin_guests(struct sl_ovsdb *o);

/* ovsdb_status.c: write back what changed (and cur_cfg := next_cfg);
 * with_stats: the interfaces' statistics too. */
void sl_ovsdb_write_status(struct sl_ovsdb *o, bool with_stats);

#endif
