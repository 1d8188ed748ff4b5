/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The OpenFlow engine (of_proto.h) with hand-built wire messages and a
 * fake switch: HELLO negotiation (bitmap and plain), echo, features,
 * barrier, FLOW_MOD in each match form decoded to the expected key and
 * mask, flow stats encoded and decoded back, the errors for truncated,
 * oversized and unknown input (the connection kept), FLOW_REMOVED only
 * on controller connections, and the match relations of of_flow_rel.h.
 * No EAL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "of_flow_rel.h"
#include "of_match.h"
#include "of_proto.h"

/* ---- the fake switch ---- */

static struct {
	struct sl_of_flow_mod fm;
	int n_flow_mods;
	struct sl_of_flow_filter filter;
	struct sl_of_flow_stats *flows;
	size_t n_flows;
	uint16_t pm_port;
	uint32_t pm_config, pm_mask;
	int n_port_mods;
	uint16_t pm_refuse;	/* PORT_MOD_FAILED code to answer; 0: accept */
} sw;

static uint64_t
fake_dpid(void *ctx)
{
	(void)ctx;
	return 0x1122334455667788ULL;
}

static int
fake_ports(void *ctx, struct sl_of_port **out, size_t *n)
{
	(void)ctx;
	*out = calloc(4, sizeof(**out));
	for (int i = 0; i < 4; i++) {
		(*out)[i].port_no = i < 3 ? (uint16_t)(i + 1) : SL_OFPP_LOCAL;
		(*out)[i].hw_addr[5] = (uint8_t)i;
		strcpy((*out)[i].name, "p");
		(*out)[i].config = SL_OFPPC_NO_FLOOD;
	}
	*n = 4;
	return 0;
}

static int
fake_flow_mod(void *ctx, struct sl_of_conn *c, const struct sl_of_flow_mod *fm,
	      struct sl_of_error *err)
{
	(void)ctx;
	(void)c;
	(void)err;
	sw.fm = *fm;
	sw.n_flow_mods++;
	return 0;
}

static int
fake_flow_stats(void *ctx, const struct sl_of_flow_filter *f,
		struct sl_of_flow_stats **out, size_t *n, struct sl_of_error *err)
{
	(void)ctx;
	(void)err;
	sw.filter = *f;
	*out = malloc((sw.n_flows ? sw.n_flows : 1) * sizeof(**out));
	if (sw.n_flows)
		memcpy(*out, sw.flows, sw.n_flows * sizeof(**out));
	*n = sw.n_flows;
	return 0;
}

static int
fake_port_mod(void *ctx, uint16_t port_no, const uint8_t hw_addr[6],
	      uint32_t config, uint32_t mask, struct sl_of_error *err)
{
	(void)ctx;
	(void)hw_addr;
	if (sw.pm_refuse) {	/* as sluice refuses a bit it does not do */
		err->type = SL_OFPET_PORT_MOD_FAILED;
		err->code = sw.pm_refuse;
		return -1;
	}
	sw.pm_port = port_no;
	sw.pm_config = config;
	sw.pm_mask = mask;
	sw.n_port_mods++;
	return 0;
}

static const struct sl_of_switch_ops ops = {
	.datapath_id = fake_dpid,
	.ports = fake_ports,
	.flow_mod = fake_flow_mod,
	.flow_stats = fake_flow_stats,
	.port_mod = fake_port_mod,
};

/* ---- wire helpers ---- */

struct msg {
	uint8_t b[70000];
	size_t len;
};

static void
put8(struct msg *m, uint8_t v)
{
	m->b[m->len++] = v;
}

static void
put16(struct msg *m, uint16_t v)
{
	put8(m, (uint8_t)(v >> 8));
	put8(m, (uint8_t)v);
}

static void
put32(struct msg *m, uint32_t v)
{
	put16(m, (uint16_t)(v >> 16));
	put16(m, (uint16_t)v);
}

static void
put64(struct msg *m, uint64_t v)
{
	put32(m, (uint32_t)(v >> 32));
	put32(m, (uint32_t)v);
}

static void
putn(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void
zero(struct msg *m, size_t n)
{
	memset(m->b + m->len, 0, n);
	m->len += n;
}

static void
hdr(struct msg *m, uint8_t v, uint8_t type, uint32_t xid)
{
	m->len = 0;
	put8(m, v);
	put8(m, type);
	put16(m, 0);
	put32(m, xid);
}

static void
fin(struct msg *m)
{
	m->b[2] = (uint8_t)(m->len >> 8);
	m->b[3] = (uint8_t)m->len;
}

static uint16_t
g16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
g32(const uint8_t *p)
{
	return (uint32_t)g16(p) << 16 | g16(p + 2);
}

static uint64_t
g64(const uint8_t *p)
{
	return (uint64_t)g32(p) << 32 | g32(p + 4);
}

/* The next queued message into out (false if none). */
static bool
take(struct sl_of_conn *c, struct msg *out)
{
	size_t len;
	const uint8_t *p = sl_of_conn_output(c, &len);
	size_t n;

	if (len < 8)
		return false;
	n = g16(p + 2);
	assert_true(n >= 8 && n <= len);
	memcpy(out->b, p, n);
	out->len = n;
	sl_of_conn_consumed(c, n);
	return true;
}

static void
send_msg(struct sl_of_conn *c, struct msg *m)
{
	fin(m);
	assert_int_equal(sl_of_conn_input(c, m->b, m->len), 0);
}

/* A connection that negotiated version v (plain HELLO of v). */
static struct sl_of_conn *
open_conn(uint8_t v, bool controller)
{
	struct sl_of_conn *c = sl_of_conn_new(&ops, NULL, controller);
	struct msg m;

	memset(&sw, 0, sizeof(sw));
	assert_non_null(c);
	assert_true(take(c, &m));
	assert_int_equal(m.b[1], 0);	/* our HELLO */
	hdr(&m, v, 0, 1);
	put16(&m, 1);
	put16(&m, 8);
	put32(&m, 1u << v);
	send_msg(c, &m);
	assert_int_equal(sl_of_conn_version(c), v);
	return c;
}

/* Expects an ERROR of wire type/code (NX vendor errors: the vendor's). */
static void
expect_error(struct sl_of_conn *c, uint16_t type, uint16_t code)
{
	struct msg r;

	assert_true(take(c, &r));
	assert_int_equal(r.b[1], 1);
	if (g16(r.b + 8) == 0xb0c2) {	/* NX1.0-1.1 vendor error */
		assert_int_equal(g32(r.b + 12), 0x2320);
		assert_int_equal(g16(r.b + 16), type);
		assert_int_equal(g16(r.b + 18), code);
	} else {
		assert_int_equal(g16(r.b + 8), type);
		assert_int_equal(g16(r.b + 10), code);
	}
}

/* The connection still answers. */
static void
expect_alive(struct sl_of_conn *c)
{
	struct msg m, r;
	uint8_t v = sl_of_conn_version(c);

	hdr(&m, v, 2, 0x77);
	send_msg(c, &m);
	assert_true(take(c, &r));
	assert_int_equal(r.b[1], 3);
	assert_int_equal(g32(r.b + 4), 0x77);
}

/* ---- negotiation, echo, features, barrier ---- */

static void
test_hello(void **state)
{
	struct sl_of_conn *c = sl_of_conn_new(&ops, NULL, false);
	struct msg m, r;

	(void)state;
	/* ours: version 4, bitmap of 1, 2 and 4 */
	assert_true(take(c, &r));
	assert_int_equal(r.b[0], 4);
	assert_int_equal(r.len, 16);
	assert_int_equal(g32(r.b + 12), 0x16);
	/* theirs: 1.5 with a bitmap of 1.0 and 1.3 */
	hdr(&m, 6, 0, 9);
	put16(&m, 1);
	put16(&m, 8);
	put32(&m, (1u << 1) | (1u << 4));
	send_msg(c, &m);
	assert_int_equal(sl_of_conn_version(c), 4);
	sl_of_conn_free(c);

	/* no bitmap: every version up to theirs; 1.2 -> 1.1 */
	c = sl_of_conn_new(&ops, NULL, false);
	take(c, &r);
	hdr(&m, 3, 0, 1);
	send_msg(c, &m);
	assert_int_equal(sl_of_conn_version(c), 2);
	sl_of_conn_free(c);

	/* plain 1.0 */
	c = sl_of_conn_new(&ops, NULL, false);
	take(c, &r);
	hdr(&m, 1, 0, 1);
	send_msg(c, &m);
	assert_int_equal(sl_of_conn_version(c), 1);
	sl_of_conn_free(c);

	/* nothing in common: HELLO_FAILED, then close */
	c = sl_of_conn_new(&ops, NULL, false);
	take(c, &r);
	hdr(&m, 6, 0, 5);
	put16(&m, 1);
	put16(&m, 8);
	put32(&m, (1u << 5) | (1u << 6));
	fin(&m);
	assert_int_equal(sl_of_conn_input(c, m.b, m.len), -1);
	assert_true(take(c, &r));
	assert_int_equal(r.b[1], 1);
	assert_int_equal(g16(r.b + 8), 0);
	assert_int_equal(g16(r.b + 10), 0);
	sl_of_conn_free(c);
}

static void
test_echo_features_barrier(void **state)
{
	struct sl_of_conn *c = open_conn(1, false);
	struct msg m, r;

	(void)state;
	hdr(&m, 1, 2, 42);
	putn(&m, "ping", 4);
	send_msg(c, &m);
	assert_true(take(c, &r));
	assert_int_equal(r.b[1], 3);
	assert_int_equal(g32(r.b + 4), 42);
	assert_memory_equal(r.b + 8, "ping", 4);

	hdr(&m, 1, 5, 3);
	send_msg(c, &m);
	assert_true(take(c, &r));
	assert_int_equal(r.b[1], 6);
	assert_int_equal(r.len, 32 + 4 * 48);
	assert_true(g64(r.b + 8) == 0x1122334455667788ULL);
	assert_int_equal(g16(r.b + 32), 1);		/* first port */
	assert_int_equal(g32(r.b + 32 + 24), SL_OFPPC_NO_FLOOD);

	hdr(&m, 1, 18, 4);			/* OF1.0 barrier */
	send_msg(c, &m);
	assert_true(take(c, &r));
	assert_int_equal(r.b[1], 19);
	sl_of_conn_free(c);

	c = open_conn(4, false);
	hdr(&m, 4, 5, 3);
	send_msg(c, &m);
	assert_true(take(c, &r));
	assert_int_equal(r.len, 32);		/* 1.3: no ports */
	hdr(&m, 4, 20, 5);			/* 1.1+ barrier */
	send_msg(c, &m);
	assert_true(take(c, &r));
	assert_int_equal(r.b[1], 21);
	assert_int_equal(g32(r.b + 4), 5);
	/* PORT_DESC: the ports, 1.3 form, NO_FLOOD gone, LIVE */
	hdr(&m, 4, 18, 6);
	put16(&m, 13);
	put16(&m, 0);
	put32(&m, 0);
	send_msg(c, &m);
	assert_true(take(c, &r));
	assert_int_equal(r.len, 16 + 4 * 64);
	assert_int_equal(g32(r.b + 16 + 3 * 64), 0xfffffffe);
	assert_int_equal(g32(r.b + 16 + 32), 0);
	assert_int_equal(g32(r.b + 16 + 36), 4);
	sl_of_conn_free(c);
}

/* ---- FLOW_MOD ---- */

static const uint8_t MAC[6] = { 2, 0, 0, 0, 0, 1 };

static void
test_flow_mod10(void **state)
{
	struct sl_of_conn *c = open_conn(1, false);
	struct msg m;
	uint32_t wc = 0x3fffff & ~(1u << 0 | 1u << 2 | 1u << 4 | 1u << 5 | 1u << 7);

	(void)state;
	hdr(&m, 1, 14, 7);
	put32(&m, wc);			/* match */
	put16(&m, 1);			/* in_port */
	putn(&m, MAC, 6);		/* dl_src */
	zero(&m, 6 + 2 + 1 + 1);
	put16(&m, 0x0800);
	put8(&m, 0);
	put8(&m, 17);
	zero(&m, 2 + 4 + 4 + 2);
	put16(&m, 67);
	put64(&m, 1);			/* cookie */
	put16(&m, 0);			/* ADD */
	put16(&m, 0);
	put16(&m, 0);
	put16(&m, 8000);
	put32(&m, 0xffffffff);
	put16(&m, 0xffff);
	put16(&m, 0);
	put16(&m, 0);			/* OUTPUT NORMAL */
	put16(&m, 8);
	put16(&m, 0xfffa);
	put16(&m, 0);
	send_msg(c, &m);
	assert_int_equal(sw.n_flow_mods, 1);
	assert_int_equal(sw.fm.command, SL_OFPFC_ADD);
	assert_int_equal(sw.fm.priority, 8000);
	assert_true(sw.fm.cookie == 1);
	assert_int_equal(sw.fm.key.in_port, 1);
	assert_int_equal(sw.fm.mask.in_port, 0xffff);
	assert_int_equal(sw.fm.key.dl_type, 0x0800);
	assert_int_equal(sw.fm.key.nw_proto, 17);
	assert_int_equal(sw.fm.key.tp_dst, 67);
	assert_int_equal(sw.fm.mask.tp_dst, 0xffff);
	assert_int_equal(sw.fm.mask.tp_src, 0);
	assert_int_equal(sw.fm.mask.nw_src, 0);
	assert_int_equal(sw.fm.mask.vlan_tci, 0);
	assert_memory_equal(sw.fm.key.dl_src, MAC, 6);
	assert_int_equal(sw.fm.actions.n, 1);
	assert_int_equal(sw.fm.actions.out[0], SL_OFPP_NORMAL);
	assert_int_equal(sl_of_conn_stats(c)->flow_mods, 1);
	sl_of_conn_free(c);
}

/* NXM entry helpers */
static void
nxm(struct msg *m, uint16_t cls, uint8_t field, bool hasmask, const void *v,
    const void *mk, uint8_t width)
{
	put32(m, (uint32_t)cls << 16 | (uint32_t)field << 9 |
		 (hasmask ? 0x100u : 0) | (hasmask ? 2u * width : width));
	putn(m, v, width);
	if (hasmask)
		putn(m, mk, width);
}

static void
nxm16(struct msg *m, uint16_t cls, uint8_t field, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	nxm(m, cls, field, false, b, NULL, 2);
}

/* NXT_FLOW_MOD with a match of len bytes at match (cookie in the
 * match), command, OUTPUT LOCAL. */
static void
nx_flow_mod(struct msg *m, uint16_t command, const struct msg *match,
	    uint64_t cookie)
{
	hdr(m, 1, 4, 8);
	put32(m, 0x2320);
	put32(m, 13);
	put64(m, cookie);
	put16(m, command);
	put16(m, 0);
	put16(m, 0);
	put16(m, 7000);
	put32(m, 0xffffffff);
	put16(m, 0xffff);
	put16(m, 0);
	put16(m, (uint16_t)match->len);
	zero(m, 6);
	putn(m, match->b, match->len);
	zero(m, (8 - match->len % 8) % 8);
	put16(m, 0);
	put16(m, 8);
	put16(m, 0xfffe);
	put16(m, 0);
}

static void
test_nx_flow_mod(void **state)
{
	struct sl_of_conn *c = open_conn(1, false);
	struct msg m, mt;
	uint8_t ip[4] = { 10, 0, 0, 5 }, ck[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
	uint8_t ckm[8];

	(void)state;
	memset(ckm, 0xff, 8);
	mt.len = 0;
	nxm16(&mt, 0, 0, 1);			/* in_port 1 */
	nxm16(&mt, 0, 3, 0x0806);		/* arp */
	nxm(&mt, 0, 2, false, MAC, NULL, 6);	/* dl_src */
	nxm(&mt, 1, 17, false, MAC, NULL, 6);	/* arp_sha */
	nxm(&mt, 0, 16, false, ip, NULL, 4);	/* arp_spa */
	nx_flow_mod(&m, 0, &mt, 1);
	send_msg(c, &m);
	assert_int_equal(sw.n_flow_mods, 1);
	assert_int_equal(sw.fm.key.dl_type, 0x0806);
	assert_memory_equal(sw.fm.key.arp_sha, MAC, 6);
	assert_int_equal(sw.fm.key.nw_src, 0x0a000005);
	assert_int_equal(sw.fm.mask.nw_src, 0xffffffff);
	assert_int_equal(sw.fm.priority, 7000);
	assert_int_equal(sw.fm.actions.out[0], SL_OFPP_LOCAL);

	/* delete in_port=1,cookie=1/-1 */
	mt.len = 0;
	nxm16(&mt, 0, 0, 1);
	nxm(&mt, 1, 30, true, ck, ckm, 8);
	nx_flow_mod(&m, 3, &mt, 0);
	send_msg(c, &m);
	assert_int_equal(sw.n_flow_mods, 2);
	assert_int_equal(sw.fm.command, SL_OFPFC_DELETE);
	assert_true(sw.fm.cookie == 1 && sw.fm.cookie_mask == UINT64_MAX);
	assert_int_equal(sw.fm.table_id, 0xff);

	/* an add with a cookie mask: NXBRC_NXM_INVALID */
	nx_flow_mod(&m, 0, &mt, 0);
	send_msg(c, &m);
	expect_error(c, 1, 256);

	/* tcp_dst without ip_proto: BAD_PREREQ, NX1.0(1,260) */
	mt.len = 0;
	nxm16(&mt, 0, 3, 0x0800);
	nxm16(&mt, 0, 10, 22);
	nx_flow_mod(&m, 0, &mt, 0);
	send_msg(c, &m);
	expect_error(c, 1, 260);
	/* nd_target without icmp6 type 135/136 */
	mt.len = 0;
	nxm16(&mt, 0, 3, 0x86dd);
	nxm(&mt, 1, 23, false, "0123456789abcdef", NULL, 16);
	nx_flow_mod(&m, 0, &mt, 0);
	send_msg(c, &m);
	expect_error(c, 1, 260);
	/* an entry longer than the match: BAD_LEN, not encodable in 1.0 */
	mt.len = 0;
	put32(&mt, 0x00000406);		/* eth_src, 6 bytes ... */
	putn(&mt, MAC, 2);		/* ... of which 2 */
	nx_flow_mod(&m, 0, &mt, 0);
	send_msg(c, &m);
	expect_error(c, 1, 521);
	/* a field sluice has no room for (IP_TOS): BAD_FIELD NX1.0(0,263) */
	mt.len = 0;
	nxm16(&mt, 0, 3, 0x0800);
	nxm(&mt, 0, 5, false, "\x04", NULL, 1);
	nx_flow_mod(&m, 0, &mt, 0);
	send_msg(c, &m);
	expect_error(c, 0, 263);
	/* a value bit outside the mask */
	mt.len = 0;
	nxm(&mt, 0, 2, true, "\xff\xff\xff\xff\xff\xff", "\xff\0\0\0\0\0", 6);
	nx_flow_mod(&m, 0, &mt, 0);
	send_msg(c, &m);
	expect_error(c, 1, 262);
	assert_int_equal(sw.n_flow_mods, 2);
	assert_true(sl_of_conn_stats(c)->errors_sent == 6);
	expect_alive(c);
	sl_of_conn_free(c);
}

/* OF1.1+ FLOW_MOD fixed part */
static void
fm11(struct msg *m, uint8_t v, uint8_t command, uint8_t table)
{
	hdr(m, v, 14, 9);
	put64(m, 0x2a);
	put64(m, 0);
	put8(m, table);
	put8(m, command);
	put16(m, 0);
	put16(m, 0);
	put16(m, 100);
	put32(m, 0xffffffff);
	put32(m, 0xffffffff);
	put32(m, 0xffffffff);
	put16(m, 0);
	put16(m, 0);
}

static void
apply_output(struct msg *m, uint32_t port)
{
	put16(m, 4);
	put16(m, 8 + 16);
	put32(m, 0);
	put16(m, 0);
	put16(m, 16);
	put32(m, port);
	put16(m, 0);
	zero(m, 6);
}

static void
test_flow_mod11(void **state)
{
	struct sl_of_conn *c = open_conn(2, false);
	struct msg m;

	(void)state;
	fm11(&m, 2, 0, 0);
	/* standard match: tcp, nw_dst 10.1.0.0/16, tp_dst 22 */
	put16(&m, 0);
	put16(&m, 88);
	put32(&m, 0);
	put32(&m, 0x3ff & ~(1u << 3 | 1u << 5 | 1u << 7));
	putn(&m, MAC, 6);
	zero(&m, 6);			/* dl_src mask: exact */
	zero(&m, 6);
	memset(m.b + m.len, 0xff, 6);	/* dl_dst: wildcarded */
	m.len += 6;
	put16(&m, 0);
	put8(&m, 0);
	put8(&m, 0);
	put16(&m, 0x0800);
	put8(&m, 0);
	put8(&m, 6);
	put32(&m, 0);
	put32(&m, 0xffffffff);		/* nw_src: all wild */
	put32(&m, 0x0a010000);
	put32(&m, 0x0000ffff);		/* nw_dst /16, inverted */
	put16(&m, 0);
	put16(&m, 22);
	zero(&m, 8);
	zero(&m, 8);
	memset(m.b + m.len, 0xff, 8);
	m.len += 8;
	apply_output(&m, 2);
	send_msg(c, &m);
	assert_int_equal(sw.n_flow_mods, 1);
	assert_int_equal(sw.fm.key.nw_dst, 0x0a010000);
	assert_int_equal(sw.fm.mask.nw_dst, 0xffff0000);
	assert_int_equal(sw.fm.mask.nw_src, 0);
	assert_int_equal(sw.fm.key.tp_dst, 22);
	assert_int_equal(sw.fm.mask.in_port, 0);	/* wildcarded */
	assert_memory_equal(sw.fm.key.dl_src, MAC, 6);
	assert_true(sw.fm.cookie == 0x2a);
	assert_int_equal(sw.fm.actions.out[0], 2);

	/* table 0xff in 1.1: FLOW_MOD_FAILED/BAD_TABLE_ID (5,2) */
	m.b[24] = 0xff;
	send_msg(c, &m);
	expect_error(c, 5, 2);
	/* table 1 (sluice has one): BAD_REQUEST/BAD_TABLE_ID (1,9) */
	m.b[24] = 1;
	send_msg(c, &m);
	expect_error(c, 1, 9);
	assert_int_equal(sw.n_flow_mods, 1);
	sl_of_conn_free(c);
}

static void
test_flow_mod13(void **state)
{
	struct sl_of_conn *c = open_conn(4, false);
	struct msg m;
	size_t start;
	uint8_t v6[16] = { 0xfd, 0, [15] = 5 };

	(void)state;
	fm11(&m, 4, 0, 0);
	start = m.len;
	put16(&m, 1);
	put16(&m, 0);
	nxm16(&m, 0x8000, 5, 0x86dd);
	nxm(&m, 0x8000, 26, false, v6, NULL, 16);
	nxm(&m, 0x8000, 10, false, "\x3a", NULL, 1);
	nxm(&m, 0x8000, 29, false, "\x88", NULL, 1);	/* 136 */
	nxm(&m, 0x8000, 31, false, v6, NULL, 16);
	m.b[start + 2] = 0;
	m.b[start + 3] = (uint8_t)(m.len - start);
	zero(&m, (8 - (m.len - start) % 8) % 8);
	apply_output(&m, 0xfffffffe);
	send_msg(c, &m);
	assert_int_equal(sw.n_flow_mods, 1);
	assert_int_equal(sw.fm.key.dl_type, 0x86dd);
	assert_int_equal(sw.fm.key.nw_proto, 58);
	assert_int_equal(sw.fm.key.tp_src, 136);
	assert_memory_equal(sw.fm.key.ipv6_src, v6, 16);
	assert_memory_equal(sw.fm.key.nd_target, v6, 16);
	assert_int_equal(sw.fm.actions.out[0], SL_OFPP_LOCAL);

	/* WRITE_ACTIONS: BAD_INSTRUCTION/UNSUP_INST (3,1) */
	fm11(&m, 4, 0, 0);
	put16(&m, 1);
	put16(&m, 4);
	zero(&m, 4);
	put16(&m, 3);
	put16(&m, 8);
	zero(&m, 4);
	send_msg(c, &m);
	expect_error(c, 3, 1);
	/* SET_FIELD action: BAD_ACTION/BAD_TYPE (2,0) */
	fm11(&m, 4, 0, 0);
	put16(&m, 1);
	put16(&m, 4);
	zero(&m, 4);
	put16(&m, 4);
	put16(&m, 24);
	zero(&m, 4);
	put16(&m, 25);
	put16(&m, 16);
	zero(&m, 12);
	send_msg(c, &m);
	expect_error(c, 2, 0);
	/* an unknown OXM field: BAD_MATCH/BAD_FIELD (4,6) */
	fm11(&m, 4, 0, 0);
	put16(&m, 1);
	put16(&m, 16);
	nxm(&m, 0x8000, 2, false, "12345678", NULL, 8);	/* METADATA */
	send_msg(c, &m);
	expect_error(c, 4, 6);
	/* ipv6_src without eth_type: BAD_PREREQ (4,9) */
	fm11(&m, 4, 0, 0);
	put16(&m, 1);
	put16(&m, 24);
	nxm(&m, 0x8000, 26, false, v6, NULL, 16);
	send_msg(c, &m);
	expect_error(c, 4, 9);
	/* buffer_id set: BUFFER_UNKNOWN */
	fm11(&m, 4, 0, 0);
	m.b[32] = 0;
	put16(&m, 1);
	put16(&m, 4);
	zero(&m, 4);
	send_msg(c, &m);
	expect_error(c, 1, 8);
	/* delete with table 0xff: accepted */
	fm11(&m, 4, 3, 0xff);
	put16(&m, 1);
	put16(&m, 4);
	zero(&m, 4);
	send_msg(c, &m);
	assert_int_equal(sw.n_flow_mods, 2);
	assert_int_equal(sw.fm.table_id, 0xff);
	assert_true(sw.fm.cookie == 0x2a && sw.fm.cookie_mask == 0);
	sl_of_conn_free(c);
}

/* ---- bad input ---- */

static void
test_bad_input(void **state)
{
	struct sl_of_conn *c = open_conn(1, false);
	struct msg m;
	const struct sl_of_conn_stats *st = sl_of_conn_stats(c);

	(void)state;
	/* truncated FLOW_MOD */
	hdr(&m, 1, 14, 1);
	zero(&m, 12);
	send_msg(c, &m);
	expect_error(c, 1, 6);
	/* FEATURES_REQUEST with a body */
	hdr(&m, 1, 5, 2);
	zero(&m, 8);
	send_msg(c, &m);
	expect_error(c, 1, 6);
	/* unknown type */
	hdr(&m, 1, 99, 3);
	send_msg(c, &m);
	expect_error(c, 1, 1);
	/* another version than the negotiated one */
	hdr(&m, 4, 5, 4);
	send_msg(c, &m);
	expect_error(c, 1, 0);
	/* unknown vendor, unknown Nicira subtype */
	hdr(&m, 1, 4, 5);
	put32(&m, 0x1234);
	put32(&m, 0);
	send_msg(c, &m);
	expect_error(c, 1, 3);
	hdr(&m, 1, 4, 6);
	put32(&m, 0x2320);
	put32(&m, 999);
	send_msg(c, &m);
	expect_error(c, 1, 4);
	/* unknown stats type */
	hdr(&m, 1, 16, 7);
	put16(&m, 77);
	put16(&m, 0);
	send_msg(c, &m);
	expect_error(c, 1, 2);
	/* an action longer than the message */
	hdr(&m, 1, 14, 8);
	put32(&m, 0x3fffff);
	zero(&m, 36 + 8 + 2 * 4);
	put32(&m, 0xffffffff);
	put16(&m, 0xffff);
	put16(&m, 0);
	put16(&m, 0);
	put16(&m, 64);
	put32(&m, 0);
	send_msg(c, &m);
	expect_error(c, 2, 1);
	/* an ERROR from the peer: counted, not answered */
	hdr(&m, 1, 1, 9);
	put16(&m, 1);
	put16(&m, 1);
	send_msg(c, &m);
	expect_alive(c);
	assert_true(st->errors_sent == 8);
	assert_true(st->malformed >= 4);
	assert_true(st->unsupported >= 3);
	assert_int_equal(sw.n_flow_mods, 0);

	/* a message cut anywhere: waited for, byte by byte */
	hdr(&m, 1, 2, 0x55);
	putn(&m, "abcdefgh", 8);
	fin(&m);
	for (size_t i = 0; i < m.len; i++)
		assert_int_equal(sl_of_conn_input(c, m.b + i, 1), 0);
	{
		struct msg r;

		assert_true(take(c, &r));
		assert_int_equal(r.b[1], 3);
		assert_memory_equal(r.b + 8, "abcdefgh", 8);
	}
	/* a header that cannot be framed closes */
	hdr(&m, 1, 2, 1);
	m.b[3] = 4;
	assert_int_equal(sl_of_conn_input(c, m.b, 8), -1);
	sl_of_conn_free(c);
}

/* ---- flow stats ---- */

static void
make_flows(size_t n)
{
	sw.flows = calloc(n, sizeof(*sw.flows));
	sw.n_flows = n;
	for (size_t i = 0; i < n; i++) {
		struct sl_of_flow_stats *f = &sw.flows[i];

		f->priority = (uint16_t)(100 + i);
		f->cookie = 0x2a;
		f->key.in_port = 1;
		f->mask.in_port = 0xffff;
		f->key.dl_type = 0x0800;
		f->mask.dl_type = 0xffff;
		f->key.nw_proto = 6;
		f->mask.nw_proto = 0xff;
		f->key.nw_dst = 0x0a010000;
		f->mask.nw_dst = 0xffff0000;
		f->key.tp_dst = 22;
		f->mask.tp_dst = 0xffff;
		f->key.vlan_tci = 0x1000 | 10;
		f->mask.vlan_tci = 0x1fff;
		f->actions.n = 1;
		f->actions.out[0] = 2;
		f->duration_sec = 5;
	}
}

static void
test_flow_stats(void **state)
{
	struct sl_of_conn *c = open_conn(1, false);
	struct msg m, r;
	struct sl_flow_key k, mk;
	bool w;

	(void)state;
	make_flows(1);
	/* NXST_FLOW, catch-all */
	hdr(&m, 1, 16, 3);
	put16(&m, 0xffff);
	put16(&m, 0);
	put32(&m, 0x2320);
	put32(&m, 0);
	zero(&m, 4);
	put16(&m, 0xffff);
	put16(&m, 0);
	put8(&m, 0xff);
	zero(&m, 3);
	send_msg(c, &m);
	assert_true(take(c, &r));
	assert_int_equal(r.b[1], 17);
	assert_int_equal(g16(r.b + 8), 0xffff);
	assert_int_equal(g32(r.b + 16), 0);	/* NXST_FLOW */
	assert_int_equal(g16(r.b + 24), r.len - 24);	/* one entry */
	assert_int_equal(g16(r.b + 24 + 12), 100);
	assert_true(g64(r.b + 24 + 24) == 0x2a);
	assert_int_equal(of_tlv_decode(r.b + 24 + 48, g16(r.b + 24 + 18), &k,
				       &mk, NULL, NULL), 0);
	assert_true(sl_flow_match_equal(&k, &mk, &sw.flows[0].key,
					&sw.flows[0].mask));
	assert_int_equal(sw.filter.table_id, 0xff);
	assert_int_equal(sw.filter.out_port, 0xffff);

	/* OFPST_FLOW 1.0: the ofp_match form */
	hdr(&m, 1, 16, 4);
	put16(&m, 1);
	put16(&m, 0);
	put32(&m, 0x3fffff);
	zero(&m, 36);
	put8(&m, 0xff);
	put8(&m, 0);
	put16(&m, 0xffff);
	send_msg(c, &m);
	assert_true(take(c, &r));
	assert_int_equal(r.len, 12 + 88 + 8);
	assert_int_equal(of_match10_decode(r.b + 12 + 4, &k, &mk, &w), 0);
	assert_true(sl_flow_match_equal(&k, &mk, &sw.flows[0].key,
					&sw.flows[0].mask));
	sl_of_conn_free(c);
	free(sw.flows);

	/* OF1.3, 2000 flows: several replies, MORE on all but the last */
	c = open_conn(4, false);
	make_flows(2000);
	hdr(&m, 4, 18, 5);
	put16(&m, 1);
	put16(&m, 0);
	zero(&m, 4);
	put8(&m, 0xff);
	zero(&m, 3);
	put32(&m, 0xffffffff);
	put32(&m, 0xffffffff);
	zero(&m, 4);
	put64(&m, 0x2a);
	put64(&m, UINT64_MAX);
	put16(&m, 1);
	put16(&m, 4);
	zero(&m, 4);
	send_msg(c, &m);
	assert_true(sw.filter.cookie == 0x2a && sw.filter.cookie_mask == UINT64_MAX);
	{
		size_t flows = 0, msgs = 0;
		bool more = true;

		while (more) {
			size_t off = 16, used;

			assert_true(take(c, &r));
			msgs++;
			more = g16(r.b + 10) & 1;
			while (off < r.len) {
				assert_int_equal(of_match13_decode(r.b + off + 48,
						 r.len - off - 48, &k, &mk, &used), 0);
				assert_true(sl_flow_match_equal(&k, &mk,
					&sw.flows[0].key, &sw.flows[0].mask));
				off += g16(r.b + off);
				flows++;
			}
			assert_int_equal(off, r.len);
		}
		assert_int_equal(flows, 2000);
		assert_true(msgs > 1);
	}
	free(sw.flows);
	sl_of_conn_free(c);
}

/* ---- FLOW_REMOVED, PORT_MOD ---- */

static void
test_flow_removed(void **state)
{
	struct sl_of_conn *c = open_conn(1, true);
	struct msg m, r;
	struct sl_of_flow_stats *fl;

	(void)state;
	make_flows(1);
	fl = sw.flows;	/* open_conn clears sw */

	fl[0].flags = SL_OFPFF_SEND_FLOW_REM;
	sl_of_conn_flow_removed(c, &fl[0], SL_OFPRR_DELETE);
	assert_true(take(c, &r));
	assert_int_equal(r.b[1], 11);
	assert_int_equal(r.len, 88);
	assert_int_equal(r.b[8 + 50], SL_OFPRR_DELETE);
	/* with the NXM flow format: NXT_FLOW_REMOVED */
	hdr(&m, 1, 4, 2);
	put32(&m, 0x2320);
	put32(&m, 12);
	put32(&m, 2);
	send_msg(c, &m);
	sl_of_conn_flow_removed(c, &fl[0], SL_OFPRR_IDLE_TIMEOUT);
	assert_true(take(c, &r));
	assert_int_equal(r.b[1], 4);
	assert_int_equal(g32(r.b + 12), 14);
	/* not asked for: nothing */
	fl[0].flags = 0;
	sl_of_conn_flow_removed(c, &fl[0], SL_OFPRR_DELETE);
	assert_false(take(c, &r));
	sl_of_conn_free(c);

	/* 1.3 controller */
	c = open_conn(4, true);
	fl[0].flags = SL_OFPFF_SEND_FLOW_REM;
	sl_of_conn_flow_removed(c, &fl[0], SL_OFPRR_HARD_TIMEOUT);
	assert_true(take(c, &r));
	assert_int_equal(r.b[1], 11);
	assert_int_equal(r.b[18], SL_OFPRR_HARD_TIMEOUT);
	assert_int_equal(g16(r.b + 48), 1);	/* OXM match */
	sl_of_conn_free(c);

	/* a service connection: never */
	c = open_conn(4, false);
	fl[0].flags = SL_OFPFF_SEND_FLOW_REM;
	sl_of_conn_flow_removed(c, &fl[0], SL_OFPRR_DELETE);
	assert_false(take(c, &r));
	sl_of_conn_free(c);
	free(fl);
}

static void
test_port_mod(void **state)
{
	struct sl_of_conn *c = open_conn(1, false);
	struct msg m;

	(void)state;
	hdr(&m, 1, 15, 1);
	put16(&m, 1);
	zero(&m, 6);
	put32(&m, SL_OFPPC_NO_FLOOD);
	put32(&m, SL_OFPPC_NO_FLOOD);
	zero(&m, 8);
	send_msg(c, &m);
	assert_int_equal(sw.n_port_mods, 1);
	assert_int_equal(sw.pm_mask, SL_OFPPC_NO_FLOOD);
	assert_int_equal(sw.pm_config, SL_OFPPC_NO_FLOOD);
	sl_of_conn_free(c);

	/* 1.1: bit 4 does not exist there, LOCAL is 0xfffffffe */
	c = open_conn(2, false);
	hdr(&m, 2, 16, 1);
	put32(&m, 0xfffffffe);
	zero(&m, 4 + 8);
	put32(&m, 0x11);
	put32(&m, 0x11);
	zero(&m, 8);
	send_msg(c, &m);
	assert_int_equal(sw.n_port_mods, 1);
	assert_int_equal(sw.pm_port, SL_OFPP_LOCAL);
	assert_int_equal(sw.pm_mask, SL_OFPPC_PORT_DOWN);
	sl_of_conn_free(c);
}

/* A config bit the switch refuses: OFPPMFC_BAD_CONFIG in 1.1 and 1.3;
 * 1.0 has no such code, so NXBRC_UNENCODABLE_ERROR as OVS sends it. */
static void
test_port_mod_refused(void **state)
{
	static const struct { uint8_t v; uint16_t type, code; } want[] = {
		{ 1, 1, 521 }, { 2, 7, 2 }, { 4, 7, 2 },
	};
	struct msg m;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct sl_of_conn *c = open_conn(want[i].v, false);

		sw.pm_refuse = 2;	/* OFPPMFC_BAD_CONFIG */
		if (want[i].v == 1) {
			hdr(&m, 1, 15, 1);
			put16(&m, 1);
			zero(&m, 6);
		} else {
			hdr(&m, want[i].v, 16, 1);
			put32(&m, 1);
			zero(&m, 4 + 8);
		}
		put32(&m, 1 << 2);	/* OFPPC_NO_RECV */
		put32(&m, 1 << 2);
		zero(&m, 8);
		send_msg(c, &m);
		expect_error(c, want[i].type, want[i].code);
		sw.pm_refuse = 0;
		expect_alive(c);
		sl_of_conn_free(c);
	}
}

/* PORT_STATUS: a controller connection gets it in its version's port
 * layout (1.0's 48 bytes, 1.1+'s 64 with the port number widened); a
 * service connection gets nothing. */
static void
test_port_status(void **state)
{
	struct sl_of_port p = {
		.port_no = 3, .name = "vif1.0", .config = SL_OFPPC_PORT_DOWN,
		.state = SL_OFPPS_LINK_DOWN, .curr_speed_kbps = 10000000,
	};
	struct msg r;

	(void)state;
	for (uint8_t v = 1; v <= 4; v += 3) {
		struct sl_of_conn *c = open_conn(v, true);

		sl_of_conn_port_status(c, &p, 2);
		assert_true(take(c, &r));
		assert_int_equal(r.b[0], v);
		assert_int_equal(r.b[1], 12);
		assert_int_equal(g16(r.b + 2), v == 1 ? 8 + 8 + 48 : 8 + 8 + 64);
		assert_int_equal(r.b[8], 2);
		if (v == 1) {
			assert_int_equal(g16(r.b + 16), 3);
			assert_int_equal(g32(r.b + 16 + 24), SL_OFPPC_PORT_DOWN);
		} else {
			assert_int_equal(g32(r.b + 16), 3);
			assert_int_equal(g32(r.b + 16 + 32), SL_OFPPC_PORT_DOWN);
		}
		sl_of_conn_free(c);
		c = open_conn(v, false);
		sl_of_conn_port_status(c, &p, 2);
		assert_false(take(c, &r));
		sl_of_conn_free(c);
	}
}

/* ---- match relations ---- */

static void
test_flow_rel(void **state)
{
	struct sl_flow_key fk, fm, k, mk;
	struct sl_of_actions a = { 2, { 1, SL_OFPP_NORMAL } };

	(void)state;
	memset(&fk, 0, sizeof(fk));
	memset(&fm, 0, sizeof(fm));
	memset(&k, 0, sizeof(k));
	memset(&mk, 0, sizeof(mk));
	k.in_port = 1;
	mk.in_port = 0xffff;
	k.nw_src = 0x0a000005;
	mk.nw_src = 0xffffffff;
	k.dl_type = 0x0800;
	mk.dl_type = 0xffff;
	/* catch-all covers everything */
	assert_true(sl_flow_match_covers(&fk, &fm, &k, &mk));
	/* in_port=1 covers it, in_port=2 does not */
	fk.in_port = 1;
	fm.in_port = 0xffff;
	assert_true(sl_flow_match_covers(&fk, &fm, &k, &mk));
	fk.in_port = 2;
	assert_false(sl_flow_match_covers(&fk, &fm, &k, &mk));
	/* a /8 filter covers a /32 flow inside it, not the reverse */
	fk.in_port = 1;
	fk.dl_type = 0x0800;
	fm.dl_type = 0xffff;
	fk.nw_src = 0x0a000000;
	fm.nw_src = 0xff000000;
	assert_true(sl_flow_match_covers(&fk, &fm, &k, &mk));
	assert_false(sl_flow_match_covers(&k, &mk, &fk, &fm));
	assert_false(sl_flow_match_equal(&fk, &fm, &k, &mk));
	assert_true(sl_flow_match_equal(&k, &mk, &k, &mk));
	assert_true(sl_flow_outputs_to(&a, SL_OFPP_NONE));
	assert_true(sl_flow_outputs_to(&a, SL_OFPP_NORMAL));
	assert_false(sl_flow_outputs_to(&a, 2));
	assert_true(sl_flow_cookie_matches(5, 0, 0));
	assert_false(sl_flow_cookie_matches(5, 1, UINT64_MAX));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_echo_features_barrier),
		cmocka_unit_test(test_flow_mod10),
		cmocka_unit_test(test_nx_flow_mod),
		cmocka_unit_test(test_flow_mod11),
		cmocka_unit_test(test_flow_mod13),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_flow_stats),
		cmocka_unit_test(test_flow_removed),
		cmocka_unit_test(test_port_mod),
		cmocka_unit_test(test_port_mod_refused),
		cmocka_unit_test(test_port_status),
		cmocka_unit_test(test_flow_rel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
