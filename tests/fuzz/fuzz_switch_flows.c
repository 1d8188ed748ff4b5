/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow flows in the fuzz switch: vif1.0 locked as XAPI's
 * setup-vif-rules locks a guest (ARP, IPv4 and IPv6 from its own
 * addresses, neighbour advertisements of its own address; the rest
 * dropped by a catch-all), plus a flow that outputs TCP to port 80 on the
 * uplink. With the plugin's rules above them, the rules stage takes its
 * path with flows and its second classifier (the rules above the
 * catch-all), which the fuzzed frames then exercise.
 *
 * The OpenFlow ports are numbered as a database would number them
 * (ofport = datapath port + 1) through the rules' port map: the fuzz
 * switch has no database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ether.h>

#include "fuzz_switch.h"
#include "model.h"
#include "rule_table.h"
#include "rules_runtime.h"

static int
dp_port(const struct sl_runtime *rt, const struct sl_network *bridge,
	uint16_t ofport)
{
	(void)rt;
	(void)bridge;
	return ofport >= 1 && ofport <= SL_DP_MAX_PORTS ? ofport - 1 : -1;
}

static unsigned int
dp_ports(const struct sl_runtime *rt, const struct sl_network *bridge,
	 uint16_t *out, unsigned int max)
{
	(void)rt;
	(void)bridge;
	(void)out;
	(void)max;
	return 0;	/* every flow here names its in_port */
}

static const struct sl_flow_port_map port_map = {
	.dp_port = dp_port, .dp_ports = dp_ports,
};

static const uint8_t GUEST_MAC[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t GUEST_IP6[16] = { 0xfd, [15] = 1 };
#define GUEST_IP4 0x0a000001u	/* 10.0.0.1 */

static struct sl_flow *
flow(uint16_t in_port, uint16_t out)
{
	struct sl_flow *f = sl_flow_new();

	if (!f)
		abort();
	f->key.in_port = in_port;
	f->mask.in_port = 0xffff;
	if (out) {
		f->nb_out = 1;
		f->out[0] = out;
	}
	return f;
}

static void
dl_type(struct sl_flow *f, uint16_t type, uint8_t proto)
{
	f->key.dl_type = type;
	f->mask.dl_type = 0xffff;
	if (proto) {
		f->key.nw_proto = proto;
		f->mask.nw_proto = 0xff;
	}
}

static void
from_guest(struct sl_flow *f)
{
	memcpy(f->key.dl_src, GUEST_MAC, 6);
	memset(f->mask.dl_src, 0xff, 6);
}

static void
add(struct sl_rule_table *t, struct sl_network *n, uint16_t priority,
    struct sl_flow *f)
{
	struct sl_rule r = {
		.cookie = 1, .network = n, .slot = SL_RULE_NO_SLOT,
		.priority = priority, .allow = sl_flow_is_normal(f), .port = -1,
		.flow = f,
	};
	struct sl_err err = { 0 };

	if (sl_rule_table_add(t, &r, SL_E_RULE_REFUSED, "fuzz", &err) < 0) {
		fprintf(stderr, "fuzz switch: %s\n", err.msg);
		abort();
	}
	sl_flow_unref(f);
}

void
fuzz_switch_lock_vif(struct fuzz_switch *sw, const char *vif,
		     const char *uplink)
{
	struct sl_runtime *rt = &sw->d.rt;
	struct sl_endpoint *g = sl_model_endpoint_by_device(rt->model, vif);
	struct sl_endpoint *u = sl_model_endpoint_by_device(rt->model, uplink);
	struct sl_rule_table next;
	struct sl_err err = { 0 };
	struct sl_flow *f;
	uint16_t in;

	if (!g || !u || g->port_id == SL_PORT_NONE || u->port_id == SL_PORT_NONE) {
		fprintf(stderr, "fuzz switch: %s or %s has no port\n", vif, uplink);
		abort();
	}
	in = (uint16_t)(g->port_id + 1);
	sl_rules_set_port_map(rt, &port_map);
	if (sl_rule_table_copy(&next, sl_model_rules(rt->model), &err) < 0)
		abort();
	f = flow(in, SL_FLOW_PORT_NORMAL);	/* ARP from its own addresses */
	dl_type(f, RTE_ETHER_TYPE_ARP, 0);
	from_guest(f);
	memcpy(f->key.arp_sha, GUEST_MAC, 6);
	memset(f->mask.arp_sha, 0xff, 6);
	f->key.nw_src = GUEST_IP4;
	f->mask.nw_src = 0xffffffff;
	add(&next, g->network, 7000, f);
	f = flow(in, SL_FLOW_PORT_NORMAL);	/* IPv4 from its address */
	dl_type(f, RTE_ETHER_TYPE_IPV4, 0);
	from_guest(f);
	f->key.nw_src = GUEST_IP4;
	f->mask.nw_src = 0xffffffff;
	add(&next, g->network, 6000, f);
	f = flow(in, SL_FLOW_PORT_NORMAL);	/* its own advertisements */
	dl_type(f, RTE_ETHER_TYPE_IPV6, 58);
	f->key.tp_src = 136;
	f->mask.tp_src = 0xffff;
	memcpy(f->key.nd_target, GUEST_IP6, 16);
	memset(f->mask.nd_target, 0xff, 16);
	add(&next, g->network, 8000, f);
	f = flow(in, SL_FLOW_PORT_NORMAL);	/* IPv6 from its address */
	dl_type(f, RTE_ETHER_TYPE_IPV6, 0);
	from_guest(f);
	memcpy(f->key.ipv6_src, GUEST_IP6, 16);
	memset(f->mask.ipv6_src, 0xff, 16);
	add(&next, g->network, 5000, f);
	/* TCP to port 80 straight to the uplink */
	f = flow(in, (uint16_t)(u->port_id + 1));
	dl_type(f, RTE_ETHER_TYPE_IPV4, 6);
	f->key.tp_dst = 80;
	f->mask.tp_dst = 0xffff;
	add(&next, g->network, 6500, f);
	add(&next, g->network, 4000, flow(in, 0));	/* the rest: dropped */
	if (sl_runtime_rules_commit(rt, &next, &err) < 0) {
		fprintf(stderr, "fuzz switch: the flows: %s\n", err.msg);
		abort();
	}
}
