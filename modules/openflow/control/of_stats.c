/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stats (OF1.0) and multipart (OF1.1+) requests: DESC, FLOW, AGGREGATE,
 * TABLE, PORT_DESC (OVS's extension in 1.0/1.1, standard in 1.3),
 * TABLE_FEATURES (1.3, answered with no tables: ovs-ofctl asks for the
 * table names before each flow_mod and takes an empty answer), and the
 * Nicira vendor stats NXST_FLOW / NXST_AGGREGATE. A reply past 64 KB is
 * split into several messages, all but the last flagged MORE.
 */
#include <stdlib.h>
#include <string.h>

#include "of_conn.h"
#include "of_match.h"

/* A reply under construction. */
struct mp {
	struct sl_of_conn *c;
	uint8_t v;
	uint16_t type;
	uint32_t xid;
	uint32_t nx_subtype;
	bool nx;
	size_t off;	/* the current message's start in c->out */
};

static void
mp_start(struct mp *r)
{
	struct of_buf *b = &r->c->out;

	r->off = of_msg_start(b, r->v, r->v == SL_OFP10 ? OFPT10_STATS_REPLY :
			      OFPT11_STATS_REPLY, r->xid);
	of_buf_put16(b, r->type);
	of_buf_put16(b, 0);
	if (r->v >= SL_OFP11)
		of_buf_put32(b, 0);
	if (r->nx) {
		of_buf_put32(b, NX_VENDOR_ID);
		of_buf_put32(b, r->nx_subtype);
		of_buf_put32(b, 0);
	}
}

static void
mp_end(struct mp *r)
{
	of_msg_end(&r->c->out, r->off);
	r->c->stats.tx_msgs++;
}

/* Appends one entry, starting a new message (MORE on this one) when it
 * would pass 64 KB. */
static void
mp_add(struct mp *r, const struct of_buf *entry)
{
	struct of_buf *b = &r->c->out;

	if (b->oom || entry->oom)
		return;
	if (b->len - r->off + entry->len > OF_MAX_MSG) {
		of_set16(b->data + r->off + 10, OFPSF_REPLY_MORE);
		mp_end(r);
		mp_start(r);
	}
	of_buf_put_bytes(b, entry->data, entry->len);
}

static void
put_str(struct of_buf *b, const char *s, size_t width)
{
	uint8_t *q = of_buf_put(b, width);
	size_t n = strlen(s);

	if (q)
		memcpy(q, s, n < width ? n : width - 1);
}

static void
desc_reply(struct mp *r)
{
	struct of_buf *b = &r->c->out;

	mp_start(r);
	put_str(b, "sluice", 256);
	put_str(b, "sluice DPDK virtual switch", 256);
#ifdef SLUICE_VERSION
	put_str(b, SLUICE_VERSION, 256);
#else
	put_str(b, "", 256);
#endif
	put_str(b, "None", 32);
	put_str(b, "None", 256);
	mp_end(r);
}

/* ---- flow filters ---- */

/* The filter from a flow/aggregate request body. */
static enum of_err
decode_filter(struct sl_of_conn *c, const struct of_msg *m, bool nx,
	      struct sl_of_flow_filter *f, const char **why)
{
	uint8_t v = c->version;
	enum of_err e;
	bool wild;

	memset(f, 0, sizeof(*f));
	if (nx) {
		uint16_t match_len;

		if (m->len < 32) {
			*why = "NXST request too short";
			return OFE_BRC_BAD_LEN;
		}
		f->out_port = of_get16(m->p + 24);
		match_len = of_get16(m->p + 26);
		f->table_id = m->p[28];
		if (((match_len + 7u) & ~7u) != m->len - 32) {
			*why = "NXM match length";
			return OFE_BRC_BAD_LEN;
		}
		e = of_tlv_decode(m->p + 32, match_len, &f->key, &f->mask,
				  &f->cookie, &f->cookie_mask);
	} else if (v == SL_OFP10) {
		if (m->len != 12 + 44) {
			*why = "flow stats request length";
			return OFE_BRC_BAD_LEN;
		}
		e = of_match10_decode(m->p + 12, &f->key, &f->mask, &wild);
		f->table_id = m->p[52];
		f->out_port = of_get16(m->p + 54);
	} else {
		const uint8_t *p = m->p + 16;
		size_t used = 0;

		if (m->len < 16 + 32 + 4) {
			*why = "flow stats request too short";
			return OFE_BRC_BAD_LEN;
		}
		f->table_id = p[0];
		if (of_port_from11(of_get32(p + 4), &f->out_port)) {
			*why = "out_port";
			return OFE_BRC_BAD_PORT;
		}
		f->cookie = of_get64(p + 16);
		f->cookie_mask = of_get64(p + 24);
		if (v == SL_OFP11) {
			if (of_get16(p + 32) != OFPMT_STANDARD) {
				*why = "match type";
				return OFE_BMC_BAD_TYPE;
			}
			if (m->len != 16 + 32 + OFP11_MATCH_LEN ||
			    of_get16(p + 34) != OFP11_MATCH_LEN) {
				*why = "match length";
				return OFE_BMC_BAD_LEN;
			}
			e = of_match11_decode(p + 32, &f->key, &f->mask);
		} else {
			e = of_match13_decode(p + 32, m->len - 48, &f->key,
					      &f->mask, &used);
			if (!e && used != m->len - 48) {
				*why = "bytes after the match";
				return OFE_BRC_BAD_LEN;
			}
		}
	}
	if (e) {
		*why = "match";
		return e;
	}
	of_key_apply_mask(&f->key, &f->mask);
	f->cookie &= f->cookie_mask;
	if (f->table_id != 0 && f->table_id != 0xff) {
		*why = "sluice has table 0 only";
		return OFE_BRC_BAD_TABLE_ID;
	}
	return OFE_NONE;
}

/* The flows f selects, from the switch. Returns -1 after sending an
 * error. */
static int
query(struct sl_of_conn *c, const struct of_msg *m,
      const struct sl_of_flow_filter *f, struct sl_of_flow_stats **out,
      size_t *n)
{
	struct sl_of_error err;

	*out = NULL;
	*n = 0;
	if (!c->ops->flow_stats)
		return 0;
	memset(&err, 0, sizeof(err));
	if (c->ops->flow_stats(c->ctx, f, out, n, &err) < 0) {
		free(*out);
		*out = NULL;
		of_send_api_error(c, m, &err);
		return -1;
	}
	return 0;
}

static void
flow_reply(struct sl_of_conn *c, const struct of_msg *m, struct mp *r,
	   bool aggregate)
{
	struct sl_of_flow_filter f;
	struct sl_of_flow_stats *fs;
	struct of_buf entry = { 0 };
	const char *why = NULL;
	size_t n;
	enum of_err e = decode_filter(c, m, r->nx, &f, &why);

	if (e) {
		of_send_error(c, m, e, why);
		return;
	}
	if (query(c, m, &f, &fs, &n) < 0)
		return;
	mp_start(r);
	if (aggregate) {
		uint64_t packets = 0, bytes = 0;

		for (size_t i = 0; i < n; i++) {
			packets += fs[i].packets;
			bytes += fs[i].bytes;
		}
		of_buf_put64(&c->out, packets);
		of_buf_put64(&c->out, bytes);
		of_buf_put32(&c->out, (uint32_t)n);
		of_buf_put32(&c->out, 0);
	} else {
		for (size_t i = 0; i < n; i++) {
			entry.len = 0;
			of_put_flow_stats(&entry, r->v, r->nx, &fs[i]);
			mp_add(r, &entry);
		}
	}
	mp_end(r);
	of_buf_free(&entry);
	free(fs);
}

static void
table_reply(struct sl_of_conn *c, const struct of_msg *m, struct mp *r)
{
	struct sl_of_flow_filter all;
	struct sl_of_flow_stats *fs;
	struct of_buf *b = &c->out;
	size_t n;
	uint8_t *q;

	memset(&all, 0, sizeof(all));
	all.table_id = 0xff;
	all.out_port = SL_OFPP_NONE;
	if (query(c, m, &all, &fs, &n) < 0)
		return;
	free(fs);
	mp_start(r);
	/* one table, unnamed, as OVS leaves its tables */
	if (r->v == SL_OFP10) {
		q = of_buf_put(b, 64);
		if (q) {
			of_set32(q + 36, OFPFW10_ALL);
			of_set32(q + 40, 1000000);	/* max_entries */
			of_set32(q + 44, (uint32_t)n);
		}
	} else if (r->v == SL_OFP11) {
		q = of_buf_put(b, 88);
		if (q) {
			of_set32(q + 40, 0x3ff);	/* wildcards */
			of_set32(q + 44, 0x3ff);	/* match */
			of_set32(q + 48, 1u << 4);	/* APPLY_ACTIONS */
			of_set32(q + 52, 1);		/* write_actions: OUTPUT */
			of_set32(q + 56, 1);		/* apply_actions: OUTPUT */
			of_set32(q + 64, 1000000);
			of_set32(q + 68, (uint32_t)n);
		}
	} else {
		q = of_buf_put(b, 24);
		if (q)
			of_set32(q + 4, (uint32_t)n);
	}
	mp_end(r);
}

static void
port_desc_reply(struct sl_of_conn *c, struct mp *r)
{
	struct sl_of_port *ports = NULL;
	struct of_buf entry = { 0 };
	size_t n = 0;

	if (c->ops->ports && c->ops->ports(c->ctx, &ports, &n) < 0) {
		ports = NULL;
		n = 0;
	}
	mp_start(r);
	for (size_t i = 0; i < n; i++) {
		entry.len = 0;
		of_put_port(&entry, r->v, &ports[i]);
		mp_add(r, &entry);
	}
	mp_end(r);
	of_buf_free(&entry);
	free(ports);
}

/* A table feature property: type, length, payload, padding to 8. */
static size_t
prop_start(struct of_buf *b, uint16_t type)
{
	size_t off = b->len;

	of_buf_put16(b, type);
	of_buf_put16(b, 0);
	return off;
}

static void
prop_end(struct of_buf *b, size_t off)
{
	if (!b->oom)
		of_set16(b->data + off + 2, (uint16_t)(b->len - off));
	of_buf_pad8(b, off);
}

/* ofp13_table_features of table 0: APPLY_ACTIONS with OUTPUT, the
 * match fields of_match.c decodes, nothing to write or set. */
static void
table_features(struct of_buf *b)
{
	size_t start = b->len, p;
	uint8_t *q = of_buf_put(b, 64);

	if (q)
		of_set32(q + 60, 1000000);	/* max_entries */
	p = prop_start(b, 0);		/* INSTRUCTIONS: APPLY_ACTIONS */
	of_buf_put16(b, 4);
	of_buf_put16(b, 4);
	prop_end(b, p);
	prop_end(b, prop_start(b, 2));	/* NEXT_TABLES: none */
	prop_end(b, prop_start(b, 4));	/* WRITE_ACTIONS: none */
	p = prop_start(b, 6);		/* APPLY_ACTIONS: OUTPUT */
	of_buf_put16(b, 0);
	of_buf_put16(b, 4);
	prop_end(b, p);
	p = prop_start(b, 8);		/* MATCH */
	of_oxm_headers(b, true);
	prop_end(b, p);
	p = prop_start(b, 10);		/* WILDCARDS */
	of_oxm_headers(b, false);
	prop_end(b, p);
	prop_end(b, prop_start(b, 12));	/* WRITE_SETFIELD: none */
	prop_end(b, prop_start(b, 14));	/* APPLY_SETFIELD: none */
	if (!b->oom)
		of_set16(b->data + start, (uint16_t)(b->len - start));
}

void
of_handle_stats(struct sl_of_conn *c, const struct of_msg *m)
{
	struct mp r = { .c = c, .v = c->version, .xid = m->xid };
	size_t hdr = c->version == SL_OFP10 ? 12 : 16;

	if (m->len < hdr) {
		of_send_error(c, m, OFE_BRC_BAD_LEN, "stats request too short");
		return;
	}
	r.type = of_get16(m->p + 8);
	switch (r.type) {
	case OFPST_DESC:
		if (m->len != hdr)
			of_send_error(c, m, OFE_BRC_BAD_LEN, "DESC request length");
		else
			desc_reply(&r);
		return;
	case OFPST_FLOW:
		flow_reply(c, m, &r, false);
		return;
	case OFPST_AGGREGATE:
		flow_reply(c, m, &r, true);
		return;
	case OFPST_TABLE:
		if (m->len != hdr)
			of_send_error(c, m, OFE_BRC_BAD_LEN, "TABLE request length");
		else
			table_reply(c, m, &r);
		return;
	case OFPST10_PORT_DESC:	/* == OFPMP13_PORT_DESC */
		if (m->len != hdr)
			of_send_error(c, m, OFE_BRC_BAD_LEN, "PORT_DESC request length");
		else
			port_desc_reply(c, &r);
		return;
	case OFPMP13_TABLE_FEATURES:
		if (c->version < SL_OFP13)
			break;
		if (m->len != hdr) {
			/* a request with a body would set the features */
			of_send_error(c, m, OFE_BRC_EPERM, "tables are fixed");
			return;
		}
		/* one table; OVS's decoder wants the eight required
		 * properties */
		mp_start(&r);
		table_features(&c->out);
		mp_end(&r);
		return;
	case OFPST_VENDOR:
		if (c->version != SL_OFP10)
			break;
		if (m->len < 24) {
			of_send_error(c, m, OFE_BRC_BAD_LEN, "vendor stats too short");
			return;
		}
		if (of_get32(m->p + 12) != NX_VENDOR_ID) {
			of_send_error(c, m, OFE_BRC_BAD_VENDOR, "unknown vendor");
			return;
		}
		r.nx = true;
		r.nx_subtype = of_get32(m->p + 16);
		if (r.nx_subtype == NXST_FLOW || r.nx_subtype == NXST_AGGREGATE) {
			flow_reply(c, m, &r, r.nx_subtype == NXST_AGGREGATE);
			return;
		}
		of_send_error(c, m, OFE_BRC_BAD_SUBTYPE, "unknown Nicira stats");
		return;
	default:
		break;
	}
	of_send_error(c, m, r.type == OFPST_VENDOR ? OFE_BRC_BAD_VENDOR :
		      OFE_BRC_BAD_STAT, "stats type not supported");
}
