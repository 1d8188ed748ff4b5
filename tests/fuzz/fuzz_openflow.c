/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the OpenFlow engine (modules/openflow/control/
 * of_proto.h) on any bytes a peer may send, as a switch answers them: a
 * service or a controller connection, fed in chunks of any size, with a
 * switch behind it that accepts flow mods, lists a flow and a port, and
 * sometimes refuses. The engine must never read out of bounds, leak,
 * loop or crash (ASan and UBSan watch); whatever it queues is drained.
 *
 * The first byte chooses the connection's kind and the chunking; the rest
 * is the stream. Built with clang (-fsanitize=fuzzer,address,undefined)
 * by tests/fuzz/meson.build; `make fuzz` runs it longer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "of_proto.h"

static unsigned int calls;

static uint64_t
dpid(void *ctx)
{
	(void)ctx;
	return 0x0000abcdef012345ull;
}

static int
ports(void *ctx, struct sl_of_port **out, size_t *n)
{
	struct sl_of_port *p = calloc(2, sizeof(*p));

	(void)ctx;
	*out = p;
	*n = 0;
	if (!p)
		return -1;
	p[0] = (struct sl_of_port){ .port_no = 1, .name = "eth0",
				    .curr_speed_kbps = 10000000 };
	p[1] = (struct sl_of_port){ .port_no = SL_OFPP_LOCAL, .name = "br0",
				    .state = SL_OFPPS_LINK_DOWN };
	*n = 2;
	return 0;
}

/* every third flow mod refused, as a full table would */
static int
flow_mod(void *ctx, struct sl_of_conn *c, const struct sl_of_flow_mod *fm,
	 struct sl_of_error *err)
{
	(void)ctx;
	if (++calls % 3)
		return 0;
	sl_of_error_set(err, sl_of_conn_version(c), SL_OF_ERR_TABLE_FULL,
			"the fuzzer's table is full");
	/* and a flow that went, for the controller connection's sake */
	if (fm->command >= SL_OFPFC_DELETE) {
		struct sl_of_flow_stats fs = { .priority = fm->priority,
					       .flags = SL_OFPFF_SEND_FLOW_REM,
					       .key = fm->key, .mask = fm->mask };

		sl_of_conn_flow_removed(c, &fs, SL_OFPRR_DELETE);
	}
	return -1;
}

static int
flow_stats(void *ctx, const struct sl_of_flow_filter *f,
	   struct sl_of_flow_stats **out, size_t *n, struct sl_of_error *err)
{
	struct sl_of_flow_stats *v = calloc(1, sizeof(*v));

	(void)ctx;
	(void)err;
	*out = v;
	*n = 0;
	if (!v)
		return 0;
	v->priority = 100;
	v->key = f->key;
	v->mask = f->mask;
	v->actions.n = 1;
	v->actions.out[0] = SL_OFPP_NORMAL;
	*n = 1;
	return 0;
}

static int
port_mod(void *ctx, uint16_t port_no, const uint8_t hw_addr[6],
	 uint32_t config, uint32_t mask, struct sl_of_error *err)
{
	(void)ctx;
	(void)hw_addr;
	(void)config;
	(void)mask;
	if (port_no == 1)
		return 0;
	sl_of_error_set(err, SL_OFP10, SL_OF_ERR_PORT_BAD_PORT, "no such port");
	return -1;
}

static const struct sl_of_switch_ops ops = {
	.datapath_id = dpid,
	.ports = ports,
	.flow_mod = flow_mod,
	.flow_stats = flow_stats,
	.port_mod = port_mod,
};

static void
drain(struct sl_of_conn *c)
{
	size_t len;

	while (sl_of_conn_output(c, &len) && len)
		sl_of_conn_consumed(c, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_of_conn *c;
	size_t chunk, at = 1;

	if (size < 1)
		return 0;
	c = sl_of_conn_new(&ops, NULL, data[0] & 1);
	if (!c)
		return 0;
	if (data[0] & 2)	/* a bridge limited to OpenFlow 1.1, as XO sets it */
		sl_of_conn_set_versions(c, 1u << SL_OFP11);
	chunk = (size_t)(data[0] >> 2) + 1;	/* 1..64 bytes at a time */
	while (at < size) {
		size_t n = size - at < chunk ? size - at : chunk;

		if (sl_of_conn_input(c, data + at, n) < 0)
			break;	/* closed: what it queued goes out first */
		drain(c);
		at += n;
	}
	drain(c);
	sl_of_conn_free(c);
	return 0;
}
