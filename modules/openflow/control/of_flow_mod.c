/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FLOW_MOD in its three wire forms (OF1.0, Nicira NXT_FLOW_MOD, OF1.1+)
 * and PORT_MOD, decoded into the API's structures with Open vSwitch's
 * checks in OVS's order (lib/ofp-flow.c, ofproto/ofproto.c): the match,
 * the table, the command, the actions, the flags, then the buffer.
 * Cookie semantics differ per form; see decode_cookies.
 */
#include <string.h>

#include "of_conn.h"
#include "of_match.h"

#define COOKIE_NONE UINT64_MAX

/* A port an OUTPUT action may name (OVS's ofpact_check_output_port,
 * less OFPP_TABLE which only a packet-out may use, and sluice has no
 * packet-out). */
static bool
output_port_ok(uint16_t p)
{
	switch (p) {
	case SL_OFPP_IN_PORT: case SL_OFPP_NORMAL: case SL_OFPP_FLOOD:
	case SL_OFPP_ALL: case SL_OFPP_CONTROLLER: case SL_OFPP_LOCAL:
		return true;
	default:
		return p < SL_OFPP_MAX;
	}
}

/* An action list of len bytes: OUTPUT only. */
static enum of_err
decode_actions(uint8_t v, const uint8_t *p, size_t len,
	       struct sl_of_actions *a, const char **why)
{
	size_t off = 0;

	while (off < len) {
		uint16_t type, alen, port16 = 0;

		if (len - off < 8) {
			*why = "truncated action";
			return OFE_BAC_BAD_LEN;
		}
		type = of_get16(p + off);
		alen = of_get16(p + off + 2);
		if (alen < 8 || alen % 8 || alen > len - off) {
			*why = "action length";
			return OFE_BAC_BAD_LEN;
		}
		if (type != 0) {
			*why = "only OUTPUT actions are supported";
			return type == 0xffff ? OFE_BAC_BAD_VENDOR : OFE_BAC_BAD_TYPE;
		}
		if (v == SL_OFP10) {
			if (alen != 8) {
				*why = "OUTPUT length";
				return OFE_BAC_BAD_LEN;
			}
			port16 = of_get16(p + off + 4);
		} else {
			if (alen != 16) {
				*why = "OUTPUT length";
				return OFE_BAC_BAD_LEN;
			}
			if (of_port_from11(of_get32(p + off + 4), &port16)) {
				*why = "OUTPUT port out of range";
				return OFE_BAC_BAD_OUT_PORT;
			}
		}
		if (!output_port_ok(port16)) {
			*why = "OUTPUT port";
			return OFE_BAC_BAD_OUT_PORT;
		}
		if (a->n >= SL_OF_MAX_OUTPUTS) {
			*why = "too many outputs";
			return OFE_BAC_TOO_MANY;
		}
		a->out[a->n++] = port16;
		off += alen;
	}
	return OFE_NONE;
}

/* OF1.1+ instructions: APPLY_ACTIONS only (none at all: drop). */
static enum of_err
decode_instructions(uint8_t v, const uint8_t *p, size_t len,
		    struct sl_of_actions *a, const char **why)
{
	size_t off = 0;
	bool seen = false;

	while (off < len) {
		uint16_t type, ilen;
		enum of_err e;

		if (len - off < 4) {
			*why = "truncated instruction";
			return OFE_BIC_BAD_LEN;
		}
		type = of_get16(p + off);
		ilen = of_get16(p + off + 2);
		if (ilen < 8 || ilen % 8 || ilen > len - off) {
			*why = "instruction length";
			return OFE_BIC_BAD_LEN;
		}
		switch (type) {
		case 4:	/* APPLY_ACTIONS */
			if (seen) {
				*why = "APPLY_ACTIONS twice";
				return OFE_BIC_UNSUP_INST;
			}
			seen = true;
			e = decode_actions(v, p + off + 8, ilen - 8u, a, why);
			if (e)
				return e;
			break;
		case 1: case 2: case 3: case 5:	/* GOTO_TABLE, WRITE_METADATA,
						 * WRITE_ACTIONS, CLEAR_ACTIONS */
			*why = "only APPLY_ACTIONS is supported";
			return OFE_BIC_UNSUP_INST;
		case 6:	/* METER */
			if (v >= SL_OFP13) {
				*why = "meters are not supported";
				return OFE_BIC_UNSUP_INST;
			}
			/* fall through */
		default:
			*why = "unknown instruction";
			return OFE_BIC_UNKNOWN_INST;
		}
		off += ilen;
	}
	return OFE_NONE;
}

/* The flags a version may set (OVS's ofputil_decode_flow_mod_flags):
 * 1.0 also has EMERG (4), which OVS refuses further on. */
static enum of_err
decode_flags(uint8_t v, uint8_t command, uint16_t raw, uint16_t *flags,
	     uint16_t idle, uint16_t hard)
{
	uint16_t known = v == SL_OFP10 ? 0x7 : v == SL_OFP11 ? 0x3 : 0x1f;

	if (raw & ~known)
		return OFE_FMFC_BAD_FLAGS;
	*flags = raw & (SL_OFPFF_SEND_FLOW_REM | SL_OFPFF_CHECK_OVERLAP);
	if (v >= SL_OFP13 && (raw & 0x4))
		*flags |= SL_OFPFF_RESET_COUNTS;
	/* OF1.0/1.1: an add always resets the counters */
	if (v < SL_OFP13 && command == SL_OFPFC_ADD)
		*flags |= SL_OFPFF_RESET_COUNTS;
	if (v == SL_OFP10 && (raw & 0x4))	/* OFPFF10_EMERG */
		return idle || hard ? OFE_FMFC_BAD_EMERG_TIMEOUT
				    : OFE_FMFC_TABLE_FULL;
	return OFE_NONE;
}

static bool
is_modify(uint8_t cmd)
{
	return cmd == SL_OFPFC_MODIFY || cmd == SL_OFPFC_MODIFY_STRICT;
}

/* What OVS derives from the wire's cookie fields (see its
 * ofputil_decode_flow_mod): new_cookie COOKIE_NONE = "leave it". */
static void
finish_cookies(struct sl_of_flow_mod *fm, uint64_t new_cookie, bool mod_cookie)
{
	fm->new_cookie = new_cookie;
	fm->modify_cookie = mod_cookie && new_cookie != COOKIE_NONE;
	fm->modify_may_add = is_modify(fm->command) &&
			     new_cookie != COOKIE_NONE && fm->cookie_mask == 0;
	if (fm->command == SL_OFPFC_ADD) {
		fm->cookie = new_cookie == COOKIE_NONE ? 0 : new_cookie;
		fm->cookie_mask = 0;
	}
}

/* The checks after decoding, then the switch. */
static void
apply(struct sl_of_conn *c, const struct of_msg *m, struct sl_of_flow_mod *fm,
      uint32_t buffer_id)
{
	struct sl_of_error err;

	if (fm->command > SL_OFPFC_DELETE_STRICT) {
		of_send_error(c, m, OFE_FMFC_BAD_COMMAND, "unknown command");
		return;
	}
	/* one table: 0 (0xff for delete/modify means every table) */
	if (fm->table_id != 0 && fm->table_id != 0xff) {
		of_send_error(c, m, OFE_BRC_BAD_TABLE_ID, "sluice has table 0 only");
		return;
	}
	if (buffer_id != UINT32_MAX) {
		of_send_error(c, m, OFE_BRC_BUFFER_UNKNOWN, "no buffered packets");
		return;
	}
	of_key_apply_mask(&fm->key, &fm->mask);
	memset(&err, 0, sizeof(err));
	if (!c->ops->flow_mod) {
		of_send_error(c, m, OFE_BRC_EPERM, "flow tables are read-only");
		return;
	}
	if (c->ops->flow_mod(c->ctx, c, fm, &err) < 0) {
		of_send_api_error(c, m, &err);
		return;
	}
	c->stats.flow_mods++;
}

/* What OF1.0's FLOW_MOD and NXT_FLOW_MOD share once their match and
 * numbers are read: the command word (with the table id in its high byte
 * once NXT_FLOW_MOD_TABLE_ID is on), the actions and flags, the cookie
 * (the new one: neither form has a separate cookie to select by, NXM's
 * cookie mask aside), then the switch's callback. */
static void
finish_of10_form(struct sl_of_conn *c, const struct of_msg *m,
		 struct sl_of_flow_mod *fm, uint16_t command, uint16_t flags,
		 const uint8_t *actions, size_t actions_len, uint64_t cookie,
		 uint32_t buffer_id)
{
	const char *why = NULL;
	enum of_err e;

	if (c->tid) {
		fm->command = (uint8_t)command;
		fm->table_id = (uint8_t)(command >> 8);
	} else {
		fm->command = command > 0xff ? 0xff : (uint8_t)command;
		fm->table_id = 0xff;
	}
	if (fm->command == SL_OFPFC_ADD && fm->table_id == 0xff)
		fm->table_id = 0;
	if (fm->command <= SL_OFPFC_DELETE_STRICT) {
		e = decode_actions(SL_OFP10, actions, actions_len, &fm->actions, &why);
		if (e) {
			of_send_error(c, m, e, why);
			return;
		}
		e = decode_flags(SL_OFP10, fm->command, flags, &fm->flags,
				 fm->idle_timeout, fm->hard_timeout);
		if (e) {
			of_send_error(c, m, e, "flags");
			return;
		}
	}
	finish_cookies(fm, cookie, true);
	apply(c, m, fm, buffer_id);
}

/* OF1.0 OFPT_FLOW_MOD: match(40) cookie(8) command(2) idle(2) hard(2)
 * priority(2) buffer_id(4) out_port(2) flags(2) actions */
static void
flow_mod10(struct sl_of_conn *c, const struct of_msg *m)
{
	struct sl_of_flow_mod fm;
	const uint8_t *p = m->p + 8;
	bool wild;
	enum of_err e;

	if (m->len < 72) {
		of_send_error(c, m, OFE_BRC_BAD_LEN, "flow_mod too short");
		return;
	}
	memset(&fm, 0, sizeof(fm));
	e = of_match10_decode(p, &fm.key, &fm.mask, &wild);
	if (e) {
		of_send_error(c, m, e, "match");
		return;
	}
	/* OF1.0: an exact match has the top priority */
	fm.priority = wild ? of_get16(p + 54) : 0xffff;
	fm.idle_timeout = of_get16(p + 50);
	fm.hard_timeout = of_get16(p + 52);
	fm.out_port = of_get16(p + 60);
	/* OF1.0 has no cookie mask: cookie is the new cookie */
	finish_of10_form(c, m, &fm, of_get16(p + 48), of_get16(p + 62),
			 m->p + 72, m->len - 72, of_get64(p + 40),
			 of_get32(p + 56));
}

/* NXT_FLOW_MOD: nicira header(16) cookie(8) command(2) idle(2) hard(2)
 * priority(2) buffer_id(4) out_port(2) flags(2) match_len(2) pad(6)
 * match, padded to 8; actions */
void
of_handle_nx_flow_mod(struct sl_of_conn *c, const struct of_msg *m)
{
	struct sl_of_flow_mod fm;
	const uint8_t *p = m->p + 16;
	uint16_t command, match_len;
	size_t padded;
	enum of_err e;

	if (m->len < 48) {
		of_send_error(c, m, OFE_BRC_BAD_LEN, "NXT_FLOW_MOD too short");
		return;
	}
	memset(&fm, 0, sizeof(fm));
	match_len = of_get16(p + 24);
	padded = (match_len + 7u) & ~7u;
	if (padded > m->len - 48) {
		of_send_error(c, m, OFE_BMC_BAD_LEN, "match longer than the message");
		return;
	}
	e = of_tlv_decode(m->p + 48, match_len, &fm.key, &fm.mask, &fm.cookie,
			  &fm.cookie_mask);
	if (e) {
		of_send_error(c, m, e, "NXM match");
		return;
	}
	command = of_get16(p + 8);
	if ((command & 0xff) == SL_OFPFC_ADD && fm.cookie_mask) {
		of_send_error(c, m, OFE_NXBRC_NXM_INVALID, "add with a cookie mask");
		return;
	}
	fm.priority = of_get16(p + 14);
	fm.idle_timeout = of_get16(p + 10);
	fm.hard_timeout = of_get16(p + 12);
	fm.out_port = of_get16(p + 20);
	finish_of10_form(c, m, &fm, command, of_get16(p + 22), m->p + 48 + padded,
			 m->len - 48 - padded, of_get64(p), of_get32(p + 16));
}

/* OF1.1+: cookie(8) cookie_mask(8) table_id(1) command(1) idle(2)
 * hard(2) priority(2) buffer_id(4) out_port(4) out_group(4) flags(2)
 * pad(2); match; instructions */
static void
flow_mod11(struct sl_of_conn *c, const struct of_msg *m)
{
	struct sl_of_flow_mod fm;
	const uint8_t *p = m->p + 8;
	size_t used = 0;
	const char *why = NULL;
	uint64_t cookie, cookie_mask, new_cookie;
	enum of_err e;
	uint8_t v = c->version;

	if (m->len < 48 + 8) {
		of_send_error(c, m, OFE_BRC_BAD_LEN, "flow_mod too short");
		return;
	}
	memset(&fm, 0, sizeof(fm));
	if (v == SL_OFP11) {
		if (m->len - 48 < 4 || of_get16(m->p + 48) != OFPMT_STANDARD) {
			of_send_error(c, m, m->len - 48 < 4 ? OFE_BMC_BAD_LEN :
				      OFE_BMC_BAD_TYPE, "OF1.1 match");
			return;
		}
		if (of_get16(m->p + 50) != OFP11_MATCH_LEN ||
		    m->len - 48 < OFP11_MATCH_LEN) {
			of_send_error(c, m, OFE_BMC_BAD_LEN, "OF1.1 match length");
			return;
		}
		e = of_match11_decode(m->p + 48, &fm.key, &fm.mask);
		used = OFP11_MATCH_LEN;
	} else {
		e = of_match13_decode(m->p + 48, m->len - 48, &fm.key, &fm.mask,
				      &used);
	}
	if (e) {
		of_send_error(c, m, e, "match");
		return;
	}
	cookie = of_get64(p);
	cookie_mask = of_get64(p + 8);
	fm.table_id = p[16];
	fm.command = p[17];
	fm.idle_timeout = of_get16(p + 18);
	fm.hard_timeout = of_get16(p + 20);
	fm.priority = of_get16(p + 22);
	if (fm.command == SL_OFPFC_ADD ||
	    (v == SL_OFP11 && is_modify(fm.command) && cookie_mask == 0)) {
		/* OF1.1's modify without a cookie mask adds when it finds
		 * nothing, with this cookie */
		new_cookie = cookie;
	} else {
		fm.cookie = cookie;
		fm.cookie_mask = cookie_mask;
		new_cookie = COOKIE_NONE;
	}
	/* OF1.1 has no OFPTT_ALL; 1.2+ only for deletes */
	if (fm.table_id == 0xff &&
	    (v == SL_OFP11 || (fm.command != SL_OFPFC_DELETE &&
			       fm.command != SL_OFPFC_DELETE_STRICT))) {
		of_send_error(c, m, OFE_FMFC_BAD_TABLE_ID, "table 0xff");
		return;
	}
	if (of_port_from11(of_get32(p + 28), &fm.out_port)) {
		of_send_error(c, m, OFE_BAC_BAD_OUT_PORT, "out_port");
		return;
	}
	if (fm.command > SL_OFPFC_DELETE_STRICT) {
		of_send_error(c, m, OFE_FMFC_BAD_COMMAND, "unknown command");
		return;
	}
	e = decode_instructions(v, m->p + 48 + used, m->len - 48 - used,
				&fm.actions, &why);
	if (e) {
		of_send_error(c, m, e, why);
		return;
	}
	e = decode_flags(v, fm.command, of_get16(p + 36), &fm.flags,
			 fm.idle_timeout, fm.hard_timeout);
	if (e) {
		of_send_error(c, m, e, "flags");
		return;
	}
	/* 1.1+: a modify never changes the cookie (an add that replaces
	 * a flow does: OVS sets modify_cookie there whatever the form) */
	finish_cookies(&fm, new_cookie, false);
	apply(c, m, &fm, of_get32(p + 24));
}

void
of_handle_flow_mod(struct sl_of_conn *c, const struct of_msg *m)
{
	if (c->version == SL_OFP10)
		flow_mod10(c, m);
	else
		flow_mod11(c, m);
}

/* PORT_MOD. 1.0: port_no(2) hw_addr(6) config(4) mask(4) advertise(4)
 * pad(4); 1.1+: port_no(4) pad(4) hw_addr(6) pad(2) config(4) mask(4)
 * advertise(4) pad(4). 1.1+ has no NO_FLOOD (ovs-ofctl sends an empty
 * mask for "no-flood" there) and no STP bits. */
void
of_handle_port_mod(struct sl_of_conn *c, const struct of_msg *m)
{
	struct sl_of_error err;
	uint16_t port;
	const uint8_t *hw;
	uint32_t config, mask;

	if (c->version == SL_OFP10) {
		if (m->len != 32) {
			of_send_error(c, m, OFE_BRC_BAD_LEN, "PORT_MOD length");
			return;
		}
		port = of_get16(m->p + 8);
		hw = m->p + 10;
		config = of_get32(m->p + 16);
		mask = of_get32(m->p + 20);
	} else {
		if (m->len != 40) {
			of_send_error(c, m, OFE_BRC_BAD_LEN, "PORT_MOD length");
			return;
		}
		if (of_port_from11(of_get32(m->p + 8), &port)) {
			of_send_error(c, m, OFE_PMFC_BAD_PORT, "port number");
			return;
		}
		hw = m->p + 16;
		config = of_get32(m->p + 24) & (0x1u | 0x4u | 0x20u | 0x40u);
		mask = of_get32(m->p + 28) & (0x1u | 0x4u | 0x20u | 0x40u);
	}
	if (!c->ops->port_mod) {
		of_send_error(c, m, OFE_BRC_EPERM, "ports are read-only");
		return;
	}
	memset(&err, 0, sizeof(err));
	if (c->ops->port_mod(c->ctx, port, hw, config & mask, mask, &err) < 0)
		of_send_api_error(c, m, &err);
}
