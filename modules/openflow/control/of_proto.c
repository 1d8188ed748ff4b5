/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One OpenFlow connection (of_proto.h): framing, HELLO negotiation, the
 * small requests (echo, features, config, barrier, role, the Nicira
 * settings) and dispatch of the rest to of_flow_mod.c and of_stats.c.
 *
 * Framing: a message is taken whole once its header's length has
 * arrived; bytes of an incomplete one wait in c->in (at most 64 KB, the
 * largest length a header can state). Only a length below 8 cannot be
 * framed and closes the connection; everything else gets an ERROR and
 * the stream goes on, as ovs-vswitchd does.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "of_conn.h"

#define OUR_VERSIONS ((1u << SL_OFP10) | (1u << SL_OFP11) | (1u << SL_OFP13))

/* ---- output ---- */

static uint8_t
highest(uint32_t versions)
{
	for (int v = 31; v > 0; v--)
		if (versions & (1u << v))
			return (uint8_t)v;
	return 0;
}

/* In the header the highest version allowed (a peer that knows no bitmap,
 * as Xen Orchestra's OpenFlow 1.1 client, reads that one). */
static void
queue_hello(struct sl_of_conn *c)
{
	size_t off = of_msg_start(&c->out, highest(c->versions), OFPT10_HELLO, 0);

	/* one element: OFPHET_VERSIONBITMAP, length 8, the bitmap */
	of_buf_put16(&c->out, 1);
	of_buf_put16(&c->out, 8);
	of_buf_put32(&c->out, c->versions);
	of_msg_end(&c->out, off);
	c->stats.tx_msgs++;
}

static void
put_error(struct sl_of_conn *c, uint8_t version, uint32_t xid,
	  struct of_wire_err w, const uint8_t *data, size_t len,
	  const char *text)
{
	size_t off = of_msg_start(&c->out, version, OFPT10_ERROR, xid);

	if (w.exp && version <= SL_OFP11) {
		of_buf_put16(&c->out, 0xb0c2);	/* NXET_VENDOR */
		of_buf_put16(&c->out, 0);	/* NXVC_VENDOR_ERROR */
		of_buf_put32(&c->out, w.exp);
		of_buf_put16(&c->out, w.type);
		of_buf_put16(&c->out, w.code);
	} else if (w.exp) {
		of_buf_put16(&c->out, 0xffff);	/* OFPET12_EXPERIMENTER */
		of_buf_put16(&c->out, w.type);
		of_buf_put32(&c->out, w.exp);
	} else {
		of_buf_put16(&c->out, w.type);
		of_buf_put16(&c->out, w.code);
	}
	if (text)
		of_buf_put_bytes(&c->out, text, strlen(text));
	else
		of_buf_put_bytes(&c->out, data, len > 64 ? 64 : len);
	of_msg_end(&c->out, off);
	c->stats.tx_msgs++;
	c->stats.errors_sent++;
}

static void
set_last_error(struct sl_of_conn *c, const char *name, const char *why)
{
	snprintf(c->last_error, sizeof(c->last_error), "%s: %s", name,
		 why ? why : "");
}

void
of_send_error(struct sl_of_conn *c, const struct of_msg *m, enum of_err e,
	      const char *why)
{
	uint8_t v = c->version ? c->version : m->version;

	if (v != SL_OFP10 && v != SL_OFP11 && v != SL_OFP13)
		v = SL_OFP13;
	if (of_err_is_unsupported(e))
		c->stats.unsupported++;
	else
		c->stats.malformed++;
	set_last_error(c, of_err_name(e), why);
	put_error(c, v, m->xid, of_err_encode(e, v), m->p, m->len, NULL);
}

void
of_send_api_error(struct sl_of_conn *c, const struct of_msg *m,
		  const struct sl_of_error *err)
{
	set_last_error(c, "switch", err->why);
	put_error(c, c->version, m->xid, of_err_from_api(err, c->version),
		  m->p, m->len, NULL);
}

/* ---- the connection ---- */

struct sl_of_conn *
sl_of_conn_new(const struct sl_of_switch_ops *ops, void *ctx, bool controller)
{
	struct sl_of_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->ops = ops;
	c->ctx = ctx;
	c->controller = controller;
	/* OVS: a controller gets 128 bytes of a missed packet, a service
	 * connection (ovs-ofctl) none */
	c->miss_send_len = controller ? 128 : 0;
	c->versions = OUR_VERSIONS;
	queue_hello(c);
	return c;
}

void
sl_of_conn_set_versions(struct sl_of_conn *c, uint32_t versions)
{
	versions &= OUR_VERSIONS;
	if (!versions || c->version || c->out_head)
		return;	/* none of ours, or too late: nothing changes */
	c->versions = versions;
	c->out.len = 0;	/* the HELLO queued, not sent yet */
	c->stats.tx_msgs--;
	queue_hello(c);
}

void
sl_of_conn_free(struct sl_of_conn *c)
{
	if (!c)
		return;
	of_buf_free(&c->in);
	of_buf_free(&c->out);
	free(c);
}

uint8_t
sl_of_conn_version(const struct sl_of_conn *c)
{
	return c->version;
}

const struct sl_of_conn_stats *
sl_of_conn_stats(const struct sl_of_conn *c)
{
	return &c->stats;
}

const char *
sl_of_conn_last_error(const struct sl_of_conn *c)
{
	return c->last_error;
}

const void *
sl_of_conn_output(const struct sl_of_conn *c, size_t *len)
{
	*len = c->out.len - c->out_head;
	return c->out.data ? c->out.data + c->out_head : NULL;
}

void
sl_of_conn_consumed(struct sl_of_conn *c, size_t n)
{
	size_t left = c->out.len - c->out_head;

	c->out_head += n > left ? left : n;
	if (c->out_head == c->out.len) {
		c->out.len = c->out_head = 0;
	} else if (c->out_head > 65536 && c->out_head > c->out.len / 2) {
		memmove(c->out.data, c->out.data + c->out_head,
			c->out.len - c->out_head);
		c->out.len -= c->out_head;
		c->out_head = 0;
	}
}

/* ---- HELLO ---- */

/* Returns 0, or -1 when there is no common version (error queued). */
static int
handle_hello(struct sl_of_conn *c, const struct of_msg *m)
{
	uint32_t theirs = 0, common;
	bool bitmap = false;
	size_t off = OFP_HEADER_LEN;
	char text[160];

	/* elements: type(2) length(2) ...; the bitmap one is type 1 */
	while (m->len - off >= 4) {
		uint16_t t = of_get16(m->p + off), l = of_get16(m->p + off + 2);

		if (l < 4 || l > m->len - off)
			break;
		if (t == 1 && l >= 8) {
			theirs = of_get32(m->p + off + 4);
			bitmap = true;
		}
		off += (l + 7u) & ~7u;
		if (off > m->len)
			break;
	}
	if (!bitmap)	/* a peer without a bitmap speaks all up to its own */
		theirs = m->version >= 31 ? 0xffffffffu :
			 (uint32_t)((2u << m->version) - 2);
	common = theirs & c->versions;
	if (!common) {
		snprintf(text, sizeof(text),
			 "We support versions 0x%08x (bitmap) but you support "
			 "no common version (0x%02x)", c->versions, m->version);
		c->stats.malformed++;
		set_last_error(c, "OFPHFC_INCOMPATIBLE", text);
		put_error(c, m->version >= SL_OFP13 ? SL_OFP13 :
			  m->version == SL_OFP11 ? SL_OFP11 : SL_OFP10, m->xid,
			  of_err_encode(OFE_HELLO_INCOMPATIBLE, SL_OFP10),
			  NULL, 0, text);
		return -1;
	}
	for (int v = 31; v > 0; v--)
		if (common & (1u << v)) {
			c->version = (uint8_t)v;
			break;
		}
	return 0;
}

/* ---- small requests ---- */

static bool
len_is(struct sl_of_conn *c, const struct of_msg *m, size_t want)
{
	if (m->len == want)
		return true;
	of_send_error(c, m, OFE_BRC_BAD_LEN, "length does not match the type");
	return false;
}

static bool
len_min(struct sl_of_conn *c, const struct of_msg *m, size_t want)
{
	if (m->len >= want)
		return true;
	of_send_error(c, m, OFE_BRC_BAD_LEN, "message too short");
	return false;
}

static void
reply_empty(struct sl_of_conn *c, uint8_t type, uint32_t xid)
{
	size_t off = of_msg_start(&c->out, c->version, type, xid);

	of_msg_end(&c->out, off);
	c->stats.tx_msgs++;
}

bool
sl_of_conn_echo_request(struct sl_of_conn *c)
{
	if (!c->version)
		return false;
	reply_empty(c, OFPT10_ECHO_REQUEST, 0);
	return true;
}

static void
handle_echo(struct sl_of_conn *c, const struct of_msg *m)
{
	/* the reply in the request's own version, the payload echoed */
	size_t off = of_msg_start(&c->out, m->version, OFPT10_ECHO_REPLY, m->xid);

	of_buf_put_bytes(&c->out, m->p + OFP_HEADER_LEN, m->len - OFP_HEADER_LEN);
	of_msg_end(&c->out, off);
	c->stats.tx_msgs++;
}

static void
handle_get_config(struct sl_of_conn *c, const struct of_msg *m)
{
	size_t off;

	if (!len_is(c, m, OFP_HEADER_LEN))
		return;
	off = of_msg_start(&c->out, c->version, OFPT10_GET_CONFIG_REPLY, m->xid);
	of_buf_put16(&c->out, c->config_flags);
	of_buf_put16(&c->out, c->miss_send_len);
	of_msg_end(&c->out, off);
	c->stats.tx_msgs++;
}

static void
handle_set_config(struct sl_of_conn *c, const struct of_msg *m)
{
	if (!len_is(c, m, 12))
		return;
	/* frag handling: OVS keeps "normal" and "drop"; reassembly is not
	 * something it offers either, so keep the flags as given */
	c->config_flags = of_get16(m->p + 8) & 3;
	c->miss_send_len = of_get16(m->p + 10);
}

static void
handle_role13(struct sl_of_conn *c, const struct of_msg *m)
{
	size_t off;

	if (!len_is(c, m, 24))
		return;
	/* every connection is an equal: one controller model */
	off = of_msg_start(&c->out, c->version, OFPT13_ROLE_REPLY, m->xid);
	of_buf_put32(&c->out, 1);	/* OFPCR_ROLE_EQUAL */
	of_buf_put32(&c->out, 0);
	of_buf_put64(&c->out, of_get64(m->p + 16));
	of_msg_end(&c->out, off);
	c->stats.tx_msgs++;
}

static void
handle_vendor(struct sl_of_conn *c, const struct of_msg *m)
{
	uint32_t vendor, sub;
	size_t off;

	if (!len_min(c, m, 12))
		return;
	vendor = of_get32(m->p + 8);
	if (vendor != NX_VENDOR_ID) {
		of_send_error(c, m, OFE_BRC_BAD_VENDOR, "unknown vendor");
		return;
	}
	if (!len_min(c, m, 16))
		return;
	sub = of_get32(m->p + 12);
	switch (sub) {
	case NXT_SET_FLOW_FORMAT: {
		uint32_t f;

		if (!len_is(c, m, 20))
			return;
		f = of_get32(m->p + 16);
		if (f != NXFF_OPENFLOW10 && f != NXFF_NXM) {
			of_send_error(c, m, OFE_BRC_EPERM, "unknown flow format");
			return;
		}
		c->nxm = f == NXFF_NXM;
		return;
	}
	case NXT_FLOW_MOD_TABLE_ID:
		if (!len_is(c, m, 24))
			return;
		c->tid = m->p[16] != 0;
		return;
	case NXT_SET_PACKET_IN_FORMAT:
		if (!len_is(c, m, 20))
			return;
		/* sluice sends no packet-ins; any known format will do */
		if (of_get32(m->p + 16) > 2)
			of_send_error(c, m, OFE_BRC_EPERM, "unknown packet-in format");
		return;
	case NXT_SET_CONTROLLER_ID:
		len_is(c, m, 24);
		return;
	case NXT_SET_ASYNC_CONFIG:
		len_min(c, m, 16);
		return;
	case NXT_ROLE_REQUEST:
		if (!len_is(c, m, 20))
			return;
		off = of_msg_start(&c->out, c->version, OFPT10_VENDOR, m->xid);
		of_buf_put32(&c->out, NX_VENDOR_ID);
		of_buf_put32(&c->out, NXT_ROLE_REPLY);
		of_buf_put32(&c->out, 0);	/* NX_ROLE_OTHER: an equal */
		of_msg_end(&c->out, off);
		c->stats.tx_msgs++;
		return;
	case NXT_FLOW_MOD:
		of_handle_nx_flow_mod(c, m);
		return;
	default:
		of_send_error(c, m, OFE_BRC_BAD_SUBTYPE, "unknown Nicira message");
		return;
	}
}

/* The message types after negotiation, in the negotiated numbering. */
static void
dispatch(struct sl_of_conn *c, const struct of_msg *m)
{
	bool v10 = c->version == SL_OFP10;
	uint8_t t = m->type;

	switch (t) {
	case OFPT10_HELLO:
		return;		/* a second HELLO: nothing to say */
	case OFPT10_ERROR:
		/* counted, never answered (an error about an error loops) */
		return;
	case OFPT10_ECHO_REQUEST:
		handle_echo(c, m);
		return;
	case OFPT10_ECHO_REPLY:
		return;
	case OFPT10_VENDOR:
		handle_vendor(c, m);
		return;
	case OFPT10_FEATURES_REQUEST:
		if (len_is(c, m, OFP_HEADER_LEN))
			of_put_features_reply(c, m->xid);
		return;
	case OFPT10_GET_CONFIG_REQUEST:
		handle_get_config(c, m);
		return;
	case OFPT10_SET_CONFIG:
		handle_set_config(c, m);
		return;
	case OFPT10_FLOW_MOD:	/* 14 in every version */
		of_handle_flow_mod(c, m);
		return;
	default:
		break;
	}
	if (v10) {
		switch (t) {
		case OFPT10_PORT_MOD:
			of_handle_port_mod(c, m);
			return;
		case OFPT10_STATS_REQUEST:
			of_handle_stats(c, m);
			return;
		case OFPT10_BARRIER_REQUEST:
			if (len_is(c, m, OFP_HEADER_LEN))
				reply_empty(c, OFPT10_BARRIER_REPLY, m->xid);
			return;
		default:
			break;
		}
	} else {
		switch (t) {
		case OFPT11_PORT_MOD:
			of_handle_port_mod(c, m);
			return;
		case OFPT11_STATS_REQUEST:
			of_handle_stats(c, m);
			return;
		case OFPT11_BARRIER_REQUEST:
			if (len_is(c, m, OFP_HEADER_LEN))
				reply_empty(c, OFPT11_BARRIER_REPLY, m->xid);
			return;
		case OFPT13_ROLE_REQUEST:
			if (c->version >= SL_OFP13) {
				handle_role13(c, m);
				return;
			}
			break;
		case OFPT13_SET_ASYNC:
			if (c->version >= SL_OFP13)
				return;	/* sluice sends no async but removals */
			break;
		default:
			break;
		}
	}
	of_send_error(c, m, OFE_BRC_BAD_TYPE, "message type not supported");
}

static int
handle_msg(struct sl_of_conn *c, const struct of_msg *m)
{
	c->stats.rx_msgs++;
	if (!c->version) {
		if (m->type == OFPT10_HELLO)
			return handle_hello(c, m);
		/* OVS drops a peer that skips HELLO; sluice answers instead
		 * and keeps waiting for the HELLO */
		c->stats.malformed++;
		set_last_error(c, "OFPHFC_EPERM", "message before HELLO");
		put_error(c, m->version >= SL_OFP13 ? SL_OFP13 :
			  m->version == SL_OFP11 ? SL_OFP11 : SL_OFP10,
			  m->xid, (struct of_wire_err){ 0, 1, 0 }, m->p, m->len,
			  NULL);
		return 0;
	}
	if (m->version != c->version) {
		/* echo and errors of any version are harmless; OVS lets them
		 * through too */
		if (m->type == OFPT10_ECHO_REQUEST) {
			handle_echo(c, m);
			return 0;
		}
		if (m->type == OFPT10_HELLO || m->type == OFPT10_ERROR ||
		    m->type == OFPT10_ECHO_REPLY)
			return 0;
		of_send_error(c, m, OFE_BRC_BAD_VERSION, "version differs from "
			      "the negotiated one");
		return 0;
	}
	dispatch(c, m);
	return 0;
}

/* Frames and handles what data holds; a tail is kept in c->in. */
static int
consume(struct sl_of_conn *c, const uint8_t *p, size_t n, size_t *used)
{
	size_t off = 0;

	while (n - off >= OFP_HEADER_LEN) {
		struct of_msg m;
		uint16_t len = of_get16(p + off + 2);

		if (len < OFP_HEADER_LEN) {
			set_last_error(c, "framing", "header length below 8");
			c->stats.malformed++;
			*used = off;
			return -1;
		}
		if (n - off < len)
			break;
		m.p = p + off;
		m.len = len;
		m.version = p[off];
		m.type = p[off + 1];
		m.xid = of_get32(p + off + 4);
		if (handle_msg(c, &m) < 0) {
			*used = off + len;
			return -1;
		}
		off += len;
		if (c->out.len - c->out_head > SL_OF_OUTPUT_MAX || c->out.oom) {
			set_last_error(c, "output", c->out.oom ?
				       "out of memory" : "peer does not read");
			*used = off;
			return -1;
		}
	}
	*used = off;
	return 0;
}

int
sl_of_conn_input(struct sl_of_conn *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t used;
	int rc;

	if (c->in.len) {
		/* complete the pending message first, taking only the bytes
		 * it needs, so c->in never holds more than one message */
		size_t need = OFP_HEADER_LEN, take;

		if (c->in.len < OFP_HEADER_LEN) {
			take = OFP_HEADER_LEN - c->in.len;
			take = take > len ? len : take;
			of_buf_put_bytes(&c->in, p, take);
			p += take;
			len -= take;
		}
		if (c->in.len >= OFP_HEADER_LEN) {
			need = of_get16(c->in.data + 2);
			if (need > c->in.len) {
				take = need - c->in.len;
				take = take > len ? len : take;
				of_buf_put_bytes(&c->in, p, take);
				p += take;
				len -= take;
			}
		}
		if (c->in.oom)
			return -1;
		if (c->in.len < OFP_HEADER_LEN || c->in.len < need)
			return 0;
		/* one whole message, or a header below 8 that closes */
		if (consume(c, c->in.data, c->in.len, &used) < 0)
			return -1;
		c->in.len = 0;
	}
	rc = consume(c, p, len, &used);
	if (rc < 0)
		return -1;
	if (used < len) {
		of_buf_put_bytes(&c->in, p + used, len - used);
		if (c->in.oom)
			return -1;
	}
	return 0;
}
