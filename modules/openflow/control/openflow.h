/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow for the bridges of the Open_vSwitch database: what ovs-ofctl
 * and Xen Orchestra's controller send reaches the bridge's table 0, the
 * same table the sdncontroller commands fill (the rules module's).
 *
 *   of_proto.c, of_*.c   the protocol engine (of_proto.h): bytes in,
 *                        bytes out, no sockets
 *   of_bridges.c         the database's bridges and their OpenFlow ports
 *                        (ofport ↔ datapath port), followed as the
 *                        database changes
 *   of_channel.c         the sockets: <bridge>.mgmt per bridge, the
 *                        connections
 *   of_controllers.c     the Controller rows: pssl:/ptcp: listeners
 *   of_active.c          tcp:/ssl: targets: connecting out, again after
 *                        a backoff
 *   of_switch.c          the switch's side of the engine: FLOW_MOD, flow
 *                        stats and PORT_MOD on the rule table
 *   of_feature.c         the feature as the core sees it
 */
#ifndef SL_OPENFLOW_H
#define SL_OPENFLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "loop.h"
#include "of_proto.h"
#include "ovsdb.h"
#include "rules_runtime.h"
#include "runtime.h"

#define SL_OF_MAX_BRIDGES 64
#define SL_OF_MAX_PORTS 1024		/* OpenFlow ports of one bridge */
#define SL_OF_CLIENTS_PER_BRIDGE 64
#define SL_OF_MAX_LISTENERS 16		/* pssl:/ptcp: controller targets */
#define SL_OF_DEFAULT_PORT 6653
#define SL_OF_MAX_ACTIVES 16		/* tcp:/ssl: controller targets */

struct sl_of_bridge;
typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

/* One OpenFlow connection. */
struct sl_of_client {
	struct sl_watch watch;
	struct sl_of_conn *conn;
	struct sl_of_bridge *bridge;
	SSL *ssl;		/* a pssl: listener's; NULL: plain */
	bool controller;	/* a controller's (async messages) */
	bool want_out;		/* watched for EPOLLOUT */
	bool read_wants_write;	/* TLS: a read waits for the socket to take more */
	struct sl_of_active *active;	/* made by connecting out (of_active.c) */
	/* A controller's inactivity probe, as OVS's: after probe_s seconds
	 * with nothing from it, an ECHO_REQUEST; after as long again with
	 * still nothing, the connection is closed. 0: none (ovs-ofctl's). */
	unsigned int probe_s;
	uint64_t last_rx_ms;
	uint64_t probe_sent_ms;		/* 0: none outstanding */
};

/* A Controller row's active target (tcp:IP[:PORT], ssl:IP[:PORT]) that a
 * bridge connects to, again after a backoff when it fails (of_active.c). */
struct sl_of_active {
	bool used;
	char target[80];	/* as the Controller row says */
	char ip[64];
	unsigned int port;
	bool tls;
	char ssl_files[768];	/* key, certificate, CA: made again when they change */
	struct sl_of_bridge *bridge;
	struct sl_watch watch;	/* the socket being connected; fd -1: none */
	SSL_CTX *ctx;
	struct sl_openflow *of;
	struct sl_of_client *client;	/* the connection, once made */
	unsigned int probe_s;		/* its inactivity probe (sl_of_probe_s) */
	uint64_t next_try_ms;
	unsigned int backoff_ms;
	char state[160];	/* for status */
};

/* A Controller row's passive target (pssl:[PORT][:IP], ptcp:...) that
 * a bridge listens on. As in OVS, two bridges naming the same address
 * (Xen Orchestra gives every bridge one Controller row pssl:) cannot both
 * listen: the first bridge by name has it. */
struct sl_of_listener {
	bool used;
	char target[80];	/* as the Controller row says */
	char addr[80];		/* IP:PORT, what was bound */
	bool tls;
	char ssl_files[768];	/* key, certificate, CA: made again when they change */
	struct sl_of_bridge *bridge;
	struct sl_watch watch;
	SSL_CTX *ctx;
	struct sl_openflow *of;
	unsigned int probe_s;	/* its connections' inactivity probe */
};

/* A port of a bridge as OpenFlow numbers it. */
struct sl_of_port_entry {
	uint16_t ofport;	/* 65534 (LOCAL): the bridge's own */
	char name[16];
	char iface_uuid[SL_OVSDB_UUID_LEN + 1];
	int dp_port;		/* -1: not attached */
	bool tunnel;		/* a remote host: dp_port is its remote's port */
	uint32_t remote;	/* a tunnel's remote (IPv4, host order; 0: unknown) */
	bool no_flood;		/* PORT_MOD no-flood */
	bool down;		/* PORT_MOD down (OFPPC_PORT_DOWN) */
};

struct sl_of_bridge {
	bool used;
	char name[SL_BRIDGE_MAX];
	char uuid[SL_OVSDB_UUID_LEN + 1];
	struct sl_network *network;	/* NULL until the database's map made it */
	uint64_t dpid;
	struct sl_of_port_entry *ports;
	unsigned int nb_ports;
	/* <bridge>.mgmt */
	struct sl_watch listen;
	char path[256];
	struct sl_of_client *clients[SL_OF_CLIENTS_PER_BRIDGE];
	struct sl_openflow *of;
	/* the Bridge row's protocols (a bitmap of wire versions; 0: every
	 * version sluice speaks) and controller targets */
	uint32_t versions;
	json_t *controllers;	/* [{"target": ..., "state": ...}] (status) */
	/* The table's priority-0 NORMAL flow (match everything): whether it
	 * is there (deleted, or never added on a fail_mode=secure bridge:
	 * what no flow matches is then dropped) and its cookie. Not a rule:
	 * its counters are the networks' NORMAL counters. Saved in the map. */
	bool no_normal_flow;
	uint64_t normal_cookie;
	/* the Bridge row's fail_mode, once read from the database in this
	 * run: a change flushes the table, as in OVS */
	bool fail_known, fail_secure;
};

struct sl_openflow {
	bool enabled;		/* the database's bridges followed, sockets open */
	bool mapped;		/* flows' ports resolved (enabled, or a saved map) */
	/* sluiced --takeover: the bridges' .mgmt sockets are the old
	 * sluiced's until it has exited (ports_ready) */
	bool listen_later;
	struct sl_runtime *rt;
	uint64_t ifaces_gen;	/* of the database's, last followed */
	struct sl_of_bridge bridges[SL_OF_MAX_BRIDGES];
	struct sl_of_listener listeners[SL_OF_MAX_LISTENERS];
	struct sl_of_active actives[SL_OF_MAX_ACTIVES];
	/* counters over every connection (status) */
	uint64_t connections, refused_connections;
	uint64_t flow_mods, errors_sent, malformed, unsupported;
	char last_error[192];
};

struct sl_openflow *sl_openflow_of(const struct sl_runtime *rt);

/* The map of the bridges' OpenFlow ports as the state file keeps it (a
 * part of the model: ovsdb's record of the Interfaces is not saved), so
 * that after a restart the flows judge the ports from the first packet,
 * before the database is read again. */
struct sl_of_model {
	json_t *map;	/* NULL: none */
};
extern const struct sl_model_part sl_of_model_part;

/* of_bridges.c */
/* Follow the database's bridges and ports when the database feature
 * remade its record of them: the new map (the caller's), or NULL when
 * nothing changed. */
json_t *sl_of_bridges_sync(struct sl_openflow *of);
/* The map of the bridges as the state file keeps it (of_bridges.c). */
json_t *sl_of_bridges_map(const struct sl_openflow *of);
/* Put the bridges' map in the model (before saving the state file, after
 * a change of a bridge's NORMAL flow). */
void sl_of_map_refresh(struct sl_openflow *of);
/* The bridge's fail_mode changed: every flow goes, and the NORMAL flow
 * is there again unless secure (OVS's flush, with no controller). */
void sl_of_bridge_flush(struct sl_of_bridge *b);
/* The bridges and ports of a saved map. */
void sl_of_bridges_load(struct sl_openflow *of, json_t *map);
/* Each bridge's network and each port's datapath port, from the model
 * as it is now: true if any changed. */
bool sl_of_bridges_resolve(struct sl_openflow *of);
void sl_of_bridges_fini(struct sl_openflow *of);
struct sl_of_bridge *sl_of_bridge_by_network(struct sl_openflow *of,
					     const struct sl_network *n);
const struct sl_of_port_entry *sl_of_port_find(const struct sl_of_bridge *b,
					       uint16_t ofport);
extern const struct sl_flow_port_map sl_of_port_map;
/* The datapath port an Interface's packets carry (a bond member's: its
 * bond's), -1 if it has none. */
int sl_of_dp_port_of(const struct sl_runtime *rt, const char *iface_uuid);
/* The endpoint a port of the map is: the database's Interfaces are PIFs;
 * a saved map may name VIFs too (sluice's own, as the bench's). */
struct sl_endpoint *sl_of_endpoint(const struct sl_runtime *rt,
				   const char *uuid);

/* of_channel.c */
int sl_of_listen(struct sl_of_bridge *b, struct sl_err *err);
void sl_of_unlisten(struct sl_of_bridge *b);
/* Take a connection on b at fd (ssl: the TLS session on it, or NULL);
 * controller: a controller's connection. NULL if refused (fd and ssl
 * are closed then). */
/* A Controller row's inactivity_probe (ms; none: 5 s; 0: off) as the
 * probe's seconds, at least 5 as in OVS. */
unsigned int sl_of_probe_s(const json_t *controller_row);
/* Probe the controllers' connections that have been quiet (fast tick). */
void sl_of_clients_probe(struct sl_openflow *of, uint64_t now_ms);
/* A connection of bridge b: a controller's (probe_s its inactivity
 * probe) or, not controller, a service one (ovs-ofctl's). */
struct sl_of_client *sl_of_client_open(struct sl_of_bridge *b, int fd,
				       SSL *ssl, bool controller,
				       unsigned int probe_s);
void sl_of_client_close(struct sl_of_client *c);

/* of_controllers.c: the Controller rows' pssl:/ptcp: targets. */
void sl_of_controllers_sync(struct sl_openflow *of);
/* of_tls.c: an SSL table column naming a file, or NULL; the TLS context
 * of a controller connection (server: a pssl: listener's, else an ssl:
 * target's), NULL and why in err. */
const char *sl_of_ssl_file(const json_t *row, const char *col);
/* The files a TLS target's context is made of, "key|cert|ca" ("||" for
 * a plain one): a change of them makes the context again. */
void sl_of_ssl_files(const json_t *ssl, bool tls, char *out, size_t len);
SSL_CTX *sl_of_tls_ctx(const json_t *ssl, bool server, char *err, size_t len);

/* of_active.c: tcp:/ssl: targets */
/* "ssl:10.0.0.1:6653" → tls, ip, port (6653 when absent); false if not an
 * active target. */
bool sl_of_active_parse(const char *target, bool *tls, char *ip, size_t len,
			unsigned int *port);
/* Bridge b wants target (its connection probed every probe_s seconds):
 * kept (kept[i] for actives[i]), made if new; its state for status. */
const char *sl_of_active_want(struct sl_openflow *of, struct sl_of_bridge *b,
			      const char *target, unsigned int probe_s,
			      const json_t *ssl, bool *kept);
/* Close the actives not kept (after a sync), else those of bridge b,
 * else (both NULL) all. */
void sl_of_active_close_some(struct sl_openflow *of, const bool *kept,
			     const struct sl_of_bridge *b);
/* Connect what is due (every fast tick). */
void sl_of_active_tick(struct sl_openflow *of, uint64_t now_ms);
/* Its connection closed: connect again after the backoff. */
void sl_of_active_closed(struct sl_of_active *a);
void sl_of_active_close(struct sl_of_active *a);
/* A bridge is going: its listeners (and their connections) first. */
void sl_of_controllers_drop_bridge(struct sl_openflow *of,
				   const struct sl_of_bridge *b);
void sl_of_controllers_fini(struct sl_openflow *of);
/* Send what a connection has queued (after a callback queued more). */
void sl_of_client_flush(struct sl_of_client *c);
/* The same for every connection of b but the one whose request is being
 * handled (it sends after its answer). */
void sl_of_bridge_flush_others(struct sl_of_bridge *b);

/* of_switch.c */
extern const struct sl_of_switch_ops sl_of_switch_ops;

#endif
