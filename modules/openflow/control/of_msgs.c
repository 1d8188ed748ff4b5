/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Encoders for what the switch tells: FEATURES_REPLY, ports, output
 * actions, flow stats entries and FLOW_REMOVED, in each version's form.
 * Values follow what ovs-vswitchd sends so that ovs-ofctl prints the
 * same lines (capabilities, port features, LIVE state, ages).
 */
#include <stdlib.h>
#include <string.h>

#include "of_conn.h"
#include "of_match.h"

/* OVS's capabilities minus those sluice lacks: FLOW_STATS, TABLE_STATS,
 * ARP_MATCH_IP. */
#define CAPS10 (0x1u | 0x2u | 0x80u)
#define CAPS11 (0x1u | 0x2u)	/* ARP_MATCH_IP is 1.0 only */
#define N_TABLES 1

uint16_t
of_flags_to_wire(uint8_t v, uint16_t flags)
{
	uint16_t w = flags & (SL_OFPFF_SEND_FLOW_REM | SL_OFPFF_CHECK_OVERLAP);

	if (v >= SL_OFP13 && (flags & SL_OFPFF_RESET_COUNTS))
		w |= 1u << 2;	/* OFPFF12_RESET_COUNTS */
	return w;
}

/* Port features from the speed: OVS reports a copper link of the
 * nearest standard rate. OF1.0 and 1.1+ number the bits differently. */
static uint32_t
port_features(uint8_t v, uint32_t kbps)
{
	uint32_t f;

	if (!kbps)
		return 0;
	if (kbps >= 100000000u && v >= SL_OFP11)
		f = 1u << 8;	/* 100GB_FD */
	else if (kbps >= 40000000u && v >= SL_OFP11)
		f = 1u << 7;	/* 40GB_FD */
	else if (kbps >= 10000000u)
		f = 1u << 6;	/* 10GB_FD */
	else if (kbps >= 1000000u)
		f = 1u << 5;	/* 1GB_FD */
	else if (kbps >= 100000u)
		f = 1u << 3;	/* 100MB_FD */
	else
		f = 1u << 1;	/* 10MB_FD */
	return f | (v == SL_OFP10 ? 1u << 7 : 1u << 11);	/* COPPER */
}

void
of_put_port(struct of_buf *b, uint8_t v, const struct sl_of_port *p)
{
	uint8_t *q;
	char name[16];
	uint32_t config = p->config, state = p->state;

	memset(name, 0, sizeof(name));
	memcpy(name, p->name, strnlen(p->name, sizeof(name) - 1));
	if (v == SL_OFP10) {
		q = of_buf_put(b, 48);
		if (!q)
			return;
		of_set16(q, p->port_no);
		memcpy(q + 2, p->hw_addr, 6);
		memcpy(q + 8, name, 16);
		of_set32(q + 24, config);
		of_set32(q + 28, state & SL_OFPPS_LINK_DOWN);
		of_set32(q + 32, port_features(v, p->curr_speed_kbps));
		return;
	}
	/* 1.1+: NO_FLOOD and the STP bits are gone; LIVE is new */
	config &= 0x1u | 0x4u | 0x20u | 0x40u;
	state &= SL_OFPPS_LINK_DOWN;
	if (!(config & SL_OFPPC_PORT_DOWN) && !(state & SL_OFPPS_LINK_DOWN))
		state |= 0x4u;	/* OFPPS11_LIVE */
	q = of_buf_put(b, 64);
	if (!q)
		return;
	of_set32(q, of_port_to11(p->port_no));
	memcpy(q + 8, p->hw_addr, 6);
	memcpy(q + 16, name, 16);
	of_set32(q + 32, config);
	of_set32(q + 36, state);
	of_set32(q + 40, port_features(v, p->curr_speed_kbps));
	of_set32(q + 56, p->curr_speed_kbps);
	of_set32(q + 60, 0);	/* max_speed: unknown, as OVS's "0 Mbps max" */
}

void
of_put_features_reply(struct sl_of_conn *c, uint32_t xid)
{
	struct sl_of_port *ports = NULL;
	size_t n = 0, off;
	uint8_t v = c->version;

	off = of_msg_start(&c->out, v, OFPT10_FEATURES_REPLY, xid);
	of_buf_put64(&c->out, c->ops->datapath_id ? c->ops->datapath_id(c->ctx) : 0);
	of_buf_put32(&c->out, 0);		/* n_buffers: none */
	of_buf_put8(&c->out, N_TABLES);
	of_buf_put(&c->out, 3);			/* 1.3: auxiliary_id, pad */
	of_buf_put32(&c->out, v == SL_OFP10 ? CAPS10 : CAPS11);
	of_buf_put32(&c->out, v == SL_OFP10 ? 1u : 0);	/* 1.0: OUTPUT only */
	/* 1.3 moved the ports to PORT_DESC */
	if (v < SL_OFP13 && c->ops->ports && c->ops->ports(c->ctx, &ports, &n) == 0) {
		/* a reply holds at most 64 KB: 1364 ports of 1.0, 1023 of 1.1 */
		size_t max = (OF_MAX_MSG - 32) / (v == SL_OFP10 ? 48 : 64);

		for (size_t i = 0; i < n && i < max; i++)
			of_put_port(&c->out, v, &ports[i]);
	}
	free(ports);
	of_msg_end(&c->out, off);
	c->stats.tx_msgs++;
}

void
of_put_actions(struct of_buf *b, uint8_t v, const struct sl_of_actions *a)
{
	size_t start;
	unsigned n = a->n > SL_OF_MAX_OUTPUTS ? SL_OF_MAX_OUTPUTS : a->n;

	if (v == SL_OFP10) {
		for (unsigned i = 0; i < n; i++) {
			of_buf_put16(b, 0);	/* OFPAT10_OUTPUT */
			of_buf_put16(b, 8);
			of_buf_put16(b, a->out[i]);
			/* to the controller: the whole packet, as ovs-ofctl's
			 * "controller" asks */
			of_buf_put16(b, a->out[i] == SL_OFPP_CONTROLLER ? 0xffff : 0);
		}
		return;
	}
	if (!n)
		return;		/* drop: no instruction at all */
	start = b->len;
	of_buf_put16(b, 4);	/* OFPIT11_APPLY_ACTIONS */
	of_buf_put16(b, 0);
	of_buf_put32(b, 0);
	for (unsigned i = 0; i < n; i++) {
		of_buf_put16(b, 0);	/* OFPAT11_OUTPUT */
		of_buf_put16(b, 16);
		of_buf_put32(b, of_port_to11(a->out[i]));
		of_buf_put16(b, a->out[i] == SL_OFPP_CONTROLLER ? 0xffff : 0);
		of_buf_put(b, 6);
	}
	if (!b->oom)
		of_set16(b->data + start + 2, (uint16_t)(b->len - start));
}

/* An NXM match, padded to 8 bytes, its length written at len_at (the
 * flow stats entry's and NXT_FLOW_REMOVED's match_len). */
static void
put_nxm(struct of_buf *b, const struct sl_of_flow_stats *fs, size_t len_at)
{
	size_t mstart = b->len;
	size_t mlen = of_tlv_encode(b, &fs->key, &fs->mask, false);

	of_buf_pad8(b, mstart);
	if (!b->oom)
		of_set16(b->data + len_at, (uint16_t)mlen);
}

/* OVS's ages: seconds since last use and since last change, plus one (0
 * means unknown). sluice knows neither apart from the flow's age, so
 * hard_age equals the duration and ovs-ofctl leaves it out, as it does
 * for a flow OVS never modified. */
static uint16_t
age(uint32_t sec)
{
	return (uint16_t)(sec >= 0xfffe ? 0xffff : sec + 1);
}

void
of_put_flow_stats(struct of_buf *b, uint8_t v, bool nx,
		  const struct sl_of_flow_stats *fs)
{
	size_t start = b->len;

	if (nx) {
		of_buf_put16(b, 0);		/* length, below */
		of_buf_put8(b, fs->table_id);
		of_buf_put8(b, 0);
		of_buf_put32(b, fs->duration_sec);
		of_buf_put32(b, fs->duration_nsec);
		of_buf_put16(b, fs->priority);
		of_buf_put16(b, fs->idle_timeout);
		of_buf_put16(b, fs->hard_timeout);
		of_buf_put16(b, 0);		/* match_len, below */
		of_buf_put16(b, age(fs->duration_sec));
		of_buf_put16(b, age(fs->duration_sec));
		of_buf_put64(b, fs->cookie);
		of_buf_put64(b, fs->packets);
		of_buf_put64(b, fs->bytes);
		put_nxm(b, fs, start + 18);
		of_put_actions(b, SL_OFP10, &fs->actions);
	} else if (v == SL_OFP10) {
		uint8_t *q = of_buf_put(b, 88);

		if (!q)
			return;
		q[2] = fs->table_id;
		of_match10_encode(&fs->key, &fs->mask, q + 4);
		of_set32(q + 44, fs->duration_sec);
		of_set32(q + 48, fs->duration_nsec);
		of_set16(q + 52, fs->priority);
		of_set16(q + 54, fs->idle_timeout);
		of_set16(q + 56, fs->hard_timeout);
		of_set64(q + 64, fs->cookie);
		of_set64(q + 72, fs->packets);
		of_set64(q + 80, fs->bytes);
		of_put_actions(b, v, &fs->actions);
	} else {
		uint8_t *q = of_buf_put(b, 48);

		if (!q)
			return;
		q[2] = fs->table_id;
		of_set32(q + 4, fs->duration_sec);
		of_set32(q + 8, fs->duration_nsec);
		of_set16(q + 12, fs->priority);
		of_set16(q + 14, fs->idle_timeout);
		of_set16(q + 16, fs->hard_timeout);
		if (v >= SL_OFP13)
			of_set16(q + 18, of_flags_to_wire(v, fs->flags));
		of_set64(q + 24, fs->cookie);
		of_set64(q + 32, fs->packets);
		of_set64(q + 40, fs->bytes);
		/* OXM in 1.1 too: OVS does so, and the standard match
		 * cannot carry IPv6, ARP hardware addresses or ND */
		of_match13_encode(b, &fs->key, &fs->mask);
		of_put_actions(b, v, &fs->actions);
	}
	if (!b->oom)
		of_set16(b->data + start, (uint16_t)(b->len - start));
}

void
sl_of_conn_port_status(struct sl_of_conn *c, const struct sl_of_port *p,
		       uint8_t reason)
{
	size_t off;

	if (!c->controller || !c->version)
		return;
	/* the same type number in 1.0, 1.1 and 1.3: reason, pad, the port */
	off = of_msg_start(&c->out, c->version, OFPT10_PORT_STATUS, 0);
	of_buf_put8(&c->out, reason);
	of_buf_put(&c->out, 7);
	of_put_port(&c->out, c->version, p);
	of_msg_end(&c->out, off);
	c->stats.tx_msgs++;
}

void
sl_of_conn_flow_removed(struct sl_of_conn *c, const struct sl_of_flow_stats *fs,
			enum sl_ofprr reason)
{
	struct of_buf *b = &c->out;
	uint8_t v = c->version;
	size_t off;

	if (!c->controller || !v || !(fs->flags & SL_OFPFF_SEND_FLOW_REM))
		return;
	if (v == SL_OFP10 && c->nxm) {
		off = of_msg_start(b, v, OFPT10_VENDOR, 0);
		of_buf_put32(b, NX_VENDOR_ID);
		of_buf_put32(b, NXT_FLOW_REMOVED);
		of_buf_put64(b, fs->cookie);
		of_buf_put16(b, fs->priority);
		of_buf_put8(b, (uint8_t)reason);
		of_buf_put8(b, (uint8_t)(fs->table_id + 1));	/* 0: unknown */
		of_buf_put32(b, fs->duration_sec);
		of_buf_put32(b, fs->duration_nsec);
		of_buf_put16(b, fs->idle_timeout);
		of_buf_put16(b, 0);	/* match_len, below */
		of_buf_put64(b, fs->packets);
		of_buf_put64(b, fs->bytes);
		put_nxm(b, fs, off + 38);
	} else if (v == SL_OFP10) {
		uint8_t *q;

		off = of_msg_start(b, v, OFPT10_FLOW_REMOVED, 0);
		q = of_buf_put(b, 80);
		if (q) {
			of_match10_encode(&fs->key, &fs->mask, q);
			of_set64(q + 40, fs->cookie);
			of_set16(q + 48, fs->priority);
			q[50] = (uint8_t)reason;
			of_set32(q + 52, fs->duration_sec);
			of_set32(q + 56, fs->duration_nsec);
			of_set16(q + 60, fs->idle_timeout);
			of_set64(q + 64, fs->packets);
			of_set64(q + 72, fs->bytes);
		}
	} else {
		uint8_t *q;

		off = of_msg_start(b, v, OFPT11_FLOW_REMOVED, 0);
		q = of_buf_put(b, 40);
		if (q) {
			of_set64(q, fs->cookie);
			of_set16(q + 8, fs->priority);
			q[10] = (uint8_t)reason;
			q[11] = fs->table_id;
			of_set32(q + 12, fs->duration_sec);
			of_set32(q + 16, fs->duration_nsec);
			of_set16(q + 20, fs->idle_timeout);
			of_set16(q + 22, fs->hard_timeout);
			of_set64(q + 24, fs->packets);
			of_set64(q + 32, fs->bytes);
		}
		if (v == SL_OFP11) {
			q = of_buf_put(b, OFP11_MATCH_LEN);
			if (q)
				of_match11_encode(&fs->key, &fs->mask, q);
		} else {
			of_match13_encode(b, &fs->key, &fs->mask);
		}
	}
	of_msg_end(b, off);
	c->stats.tx_msgs++;
}
