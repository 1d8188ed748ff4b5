/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The engine's private view of a connection, shared by its parts:
 * of_proto.c (framing, negotiation, dispatch), of_flow_mod.c (FLOW_MOD
 * and actions), of_stats.c (stats and multipart) and of_msgs.c (the
 * encoders).
 */
#ifndef SL_OF_CONN_H
#define SL_OF_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "of_proto.h"
#include "of_wire.h"

struct sl_of_conn {
	const struct sl_of_switch_ops *ops;
	void *ctx;
	bool controller;

	uint32_t versions;	/* allowed (bitmap of wire versions) */
	uint8_t version;	/* 0 until HELLO is negotiated */
	bool nxm;		/* NXT_SET_FLOW_FORMAT chose NXM */
	bool tid;		/* NXT_FLOW_MOD_TABLE_ID enabled */
	uint16_t config_flags, miss_send_len;	/* SET_CONFIG */

	struct of_buf in;	/* bytes of an incomplete message */
	struct of_buf out;	/* queued answers, sent from out_head */
	size_t out_head;

	struct sl_of_conn_stats stats;
	char last_error[224];
};

/* A request as the dispatcher hands it on: the whole message. */
struct of_msg {
	const uint8_t *p;	/* header first */
	size_t len;		/* == header length */
	uint8_t version, type;
	uint32_t xid;
};

/* Queue an ERROR for m (its first 64 bytes as data); counts it and
 * remembers why. A malformed request counts as malformed, an unsupported
 * one as unsupported. */
void of_send_error(struct sl_of_conn *c, const struct of_msg *m,
		   enum of_err e, const char *why);
/* The same for a callback's error. */
void of_send_api_error(struct sl_of_conn *c, const struct of_msg *m,
		       const struct sl_of_error *err);

/* Handlers; each answers m (a reply or an error). */
void of_handle_flow_mod(struct sl_of_conn *c, const struct of_msg *m);
void of_handle_nx_flow_mod(struct sl_of_conn *c, const struct of_msg *m);
void of_handle_stats(struct sl_of_conn *c, const struct of_msg *m);
void of_handle_port_mod(struct sl_of_conn *c, const struct of_msg *m);

/* Encoders (of_msgs.c) */
void of_put_features_reply(struct sl_of_conn *c, uint32_t xid);
/* One port in the form of version v (48 bytes for 1.0, 64 for 1.1+). */
void of_put_port(struct of_buf *b, uint8_t v, const struct sl_of_port *p);
/* Output actions (OF1.0 form, or 1.1+ inside APPLY_ACTIONS). */
void of_put_actions(struct of_buf *b, uint8_t v, const struct sl_of_actions *a);
/* Flow stats entries, one flow each. nx: NXST_FLOW's nx_flow_stats. */
void of_put_flow_stats(struct of_buf *b, uint8_t v, bool nx,
		       const struct sl_of_flow_stats *fs);

/* Flags between the API (OF1.0 values) and the wire. */
uint16_t of_flags_to_wire(uint8_t v, uint16_t flags);

#endif
