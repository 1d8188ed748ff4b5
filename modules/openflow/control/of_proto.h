/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One OpenFlow connection, as a switch answers it: bytes in, bytes out.
 * No sockets, no DPDK, no sluice model here: the caller moves the bytes
 * (a Unix socket, a TLS session) and the switch's side is a table of
 * callbacks (struct sl_of_switch_ops), so the same engine serves the
 * bridge's .mgmt socket, the pssl controller listener, the unit tests and
 * the fuzz target.
 *
 * Versions: OpenFlow 1.0 (with the Nicira extensions ovs-ofctl uses by
 * default: NXM flow format, NXT_FLOW_MOD, NXST_FLOW), 1.1 and 1.3,
 * negotiated by HELLO (version bitmap element, else the highest common
 * version).
 *
 * Every request is answered: a reply, or an OpenFlow ERROR carrying the
 * first 64 bytes of the request, never silence and never a dropped
 * connection while the stream can still be framed.
 *
 * Port numbers in this API are OpenFlow 1.0's (16 bits): OF1.1+ 32-bit
 * numbers are translated (0xffffff00 + x <-> 0xff00 + x).
 */
#ifndef SL_OF_PROTO_H
#define SL_OF_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_flow_key.h"

/* Wire versions */
#define SL_OFP10 0x01
#define SL_OFP11 0x02
#define SL_OFP13 0x04

/* Reserved port numbers (OpenFlow 1.0 numbering) */
#define SL_OFPP_MAX 0xff00
#define SL_OFPP_IN_PORT 0xfff8
#define SL_OFPP_TABLE 0xfff9
#define SL_OFPP_NORMAL 0xfffa
#define SL_OFPP_FLOOD 0xfffb
#define SL_OFPP_ALL 0xfffc
#define SL_OFPP_CONTROLLER 0xfffd
#define SL_OFPP_LOCAL 0xfffe
#define SL_OFPP_NONE 0xffff	/* OF1.1+: OFPP_ANY */

/* FLOW_MOD commands (same values in every version) */
enum sl_ofpfc {
	SL_OFPFC_ADD = 0,
	SL_OFPFC_MODIFY = 1,
	SL_OFPFC_MODIFY_STRICT = 2,
	SL_OFPFC_DELETE = 3,
	SL_OFPFC_DELETE_STRICT = 4,
};

/* FLOW_MOD flags (OF1.0 values; OF1.1+ translated) */
#define SL_OFPFF_SEND_FLOW_REM (1 << 0)
#define SL_OFPFF_CHECK_OVERLAP (1 << 1)
#define SL_OFPFF_RESET_COUNTS (1 << 2)	/* OF1.3 */

/* FLOW_REMOVED reasons */
enum sl_ofprr {
	SL_OFPRR_IDLE_TIMEOUT = 0,
	SL_OFPRR_HARD_TIMEOUT = 1,
	SL_OFPRR_DELETE = 2,
};

/* Port config and state bits, OF1.0 values (translated per version) */
#define SL_OFPPC_PORT_DOWN (1 << 0)
#define SL_OFPPC_NO_FLOOD (1 << 4)	/* OF1.0 only on the wire */
#define SL_OFPPS_LINK_DOWN (1 << 0)

/* OpenFlow error types and the codes the engine and its callers use. */
enum sl_ofpet {
	SL_OFPET_HELLO_FAILED = 0,
	SL_OFPET_BAD_REQUEST = 1,
	SL_OFPET_BAD_ACTION = 2,
	/* OF1.0 numbering from here on; the engine renumbers for 1.1+
	 * (instructions and matches got types of their own) */
	SL_OFPET_FLOW_MOD_FAILED = 3,
	SL_OFPET_PORT_MOD_FAILED = 4,
	/* OF1.1+ only: used by the engine, mapped to BAD_REQUEST for 1.0 */
	SL_OFPET_BAD_INSTRUCTION = 100,
	SL_OFPET_BAD_MATCH = 101,
};

struct sl_of_error {
	uint16_t type;		/* enum sl_ofpet */
	uint16_t code;		/* that type's code, in the negotiated version's
				 * numbering (see of_proto.c's table) */
	char why[160];		/* for the log and the counters */
};

/* What a flow does: outputs in order; none = drop. Ports in OF1.0
 * numbering: a port number, SL_OFPP_NORMAL, SL_OFPP_LOCAL,
 * SL_OFPP_FLOOD, SL_OFPP_ALL, SL_OFPP_IN_PORT or SL_OFPP_CONTROLLER. */
#define SL_OF_MAX_OUTPUTS 4
struct sl_of_actions {
	uint8_t n;
	uint16_t out[SL_OF_MAX_OUTPUTS];
};

struct sl_of_flow_mod {
	uint8_t command;	/* enum sl_ofpfc */
	uint8_t table_id;	/* 0, or 0xff: every table (delete) */
	uint64_t cookie;	/* add: the new flow's; modify/delete: with
				 * cookie_mask, which flows (0 mask: any) */
	uint64_t cookie_mask;
	uint16_t priority;	/* ignored by non-strict modify/delete */
	uint16_t idle_timeout, hard_timeout;
	uint16_t flags;		/* SL_OFPFF_* */
	uint16_t out_port;	/* delete: only flows that output there;
				 * SL_OFPP_NONE: any */
	struct sl_flow_key key, mask;	/* key & mask == key */
	struct sl_of_actions actions;
	/* Modify semantics, as OVS decodes them per version (added: the
	 * cookie above cannot say both which flows and what they become):
	 * modify_cookie: the flows modified (or replaced by an add) take
	 * new_cookie; modify_may_add: a modify that selects no flow adds one
	 * (with new_cookie), as OF1.0/1.1 say. */
	uint64_t new_cookie;
	bool modify_cookie;
	bool modify_may_add;
};

/* Which flows a flow stats request (or a non-strict delete) selects. */
struct sl_of_flow_filter {
	uint8_t table_id;	/* 0xff: all */
	uint16_t out_port;	/* SL_OFPP_NONE: any */
	uint64_t cookie, cookie_mask;
	struct sl_flow_key key, mask;
};

/* A flow as a flow stats reply or FLOW_REMOVED reports it. */
struct sl_of_flow_stats {
	uint8_t table_id;
	uint32_t duration_sec, duration_nsec;
	uint16_t priority, idle_timeout, hard_timeout, flags;
	uint64_t cookie, packets, bytes;
	struct sl_flow_key key, mask;
	struct sl_of_actions actions;
};

/* A port, as FEATURES_REPLY (1.0/1.1) and PORT_DESC (1.3) list it. */
struct sl_of_port {
	uint16_t port_no;	/* OF1.0 numbering; SL_OFPP_LOCAL: the bridge */
	uint8_t hw_addr[6];
	char name[16];		/* NUL-terminated */
	uint32_t config;	/* SL_OFPPC_* */
	uint32_t state;		/* SL_OFPPS_* */
	uint32_t curr_speed_kbps;
};

struct sl_of_conn;

/* The errors a switch callback reports, whatever the version: fills
 * err's type and code for that version (sl_of_conn_version(c)). */
enum sl_of_errcode {
	SL_OF_ERR_TABLE_FULL,
	SL_OF_ERR_OVERLAP,		/* CHECK_OVERLAP refused an add */
	SL_OF_ERR_FLOW_EPERM,
	SL_OF_ERR_BAD_OUT_PORT,
	SL_OF_ERR_PORT_BAD_PORT,	/* PORT_MOD: no such port */
	SL_OF_ERR_PORT_BAD_HW_ADDR,	/* PORT_MOD: hw_addr is not the port's */
	SL_OF_ERR_EPERM,
};
void sl_of_error_set(struct sl_of_error *err, uint8_t version,
		     enum sl_of_errcode which, const char *why);

/* The switch's side. ctx is the pointer given to sl_of_conn_new. A
 * callback that fails fills err and returns -1; the engine sends the
 * ERROR. */
struct sl_of_switch_ops {
	uint64_t (*datapath_id)(void *ctx);
	/* Every port; *out is malloc'd (the engine frees it). */
	int (*ports)(void *ctx, struct sl_of_port **out, size_t *n);
	/* A FLOW_MOD, decoded and checked. The callback applies it
	 * atomically (all or nothing). */
	int (*flow_mod)(void *ctx, struct sl_of_conn *c,
			const struct sl_of_flow_mod *fm, struct sl_of_error *err);
	/* The flows f selects (non-strict, as OVS), in any order; *out is
	 * malloc'd (the engine frees it). */
	int (*flow_stats)(void *ctx, const struct sl_of_flow_filter *f,
			  struct sl_of_flow_stats **out, size_t *n,
			  struct sl_of_error *err);
	/* PORT_MOD: set the config bits in mask to config's. */
	int (*port_mod)(void *ctx, uint16_t port_no, const uint8_t hw_addr[6],
			uint32_t config, uint32_t mask, struct sl_of_error *err);
};

struct sl_of_conn_stats {
	uint64_t rx_msgs, tx_msgs;
	uint64_t errors_sent;	/* ERROR replies */
	uint64_t flow_mods;	/* applied */
	uint64_t unsupported;	/* requests answered with an error because
				 * the engine does not do them */
	uint64_t malformed;	/* truncated, bad length, bad match ... */
};

/* A new connection; the switch's HELLO is queued at once (every version
 * this engine speaks). controller: a controller connection (the pssl
 * listener) that gets asynchronous messages (FLOW_REMOVED), rather than a
 * service connection (.mgmt, as ovs-ofctl's) that does not. */
struct sl_of_conn *sl_of_conn_new(const struct sl_of_switch_ops *ops,
				  void *ctx, bool controller);
void sl_of_conn_free(struct sl_of_conn *c);
/* Only these versions (a bitmap of wire versions, 1 << SL_OFP10 ...), as
 * a Bridge's protocols column allows: called before any byte is sent
 * (its HELLO is queued again). Versions the engine does not speak are
 * left out; none left: no change. */
void sl_of_conn_set_versions(struct sl_of_conn *c, uint32_t versions);

/* Bytes received. Complete messages are handled at once, their answers
 * queued. Returns 0, or -1 when the connection must be closed (version
 * negotiation failed, a header that cannot be framed, output past
 * SL_OF_OUTPUT_MAX); the error is queued first where there is one. */
#define SL_OF_OUTPUT_MAX (64u << 20)
int sl_of_conn_input(struct sl_of_conn *c, const void *data, size_t len);

/* Queued bytes to send: *len of them at the returned address; then tell
 * how many were sent. */
const void *sl_of_conn_output(const struct sl_of_conn *c, size_t *len);
void sl_of_conn_consumed(struct sl_of_conn *c, size_t n);

/* A flow was removed: a controller connection that negotiated a version
 * queues a FLOW_REMOVED (if the flow asked for it: SL_OFPFF_SEND_FLOW_REM
 * in fs->flags); a service connection does nothing. */
void sl_of_conn_flow_removed(struct sl_of_conn *c,
			     const struct sl_of_flow_stats *fs,
			     enum sl_ofprr reason);

/* A port changed (reason: OFPPR_MODIFY 2, as after a PORT_MOD): a
 * controller connection that negotiated a version queues a PORT_STATUS
 * with the port as it is now; a service connection does nothing. */
void sl_of_conn_port_status(struct sl_of_conn *c, const struct sl_of_port *p,
			    uint8_t reason);

/* An inactivity probe (as OVS's rconn sends): queue an ECHO_REQUEST in
 * the negotiated version; false before HELLO negotiation completes. */
bool sl_of_conn_echo_request(struct sl_of_conn *c);

/* 0 before HELLO negotiation completes. */
uint8_t sl_of_conn_version(const struct sl_of_conn *c);
const struct sl_of_conn_stats *sl_of_conn_stats(const struct sl_of_conn *c);
/* The last error sent (for the log), "" if none. */
const char *sl_of_conn_last_error(const struct sl_of_conn *c);

#endif
