/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A trace record as its report: each stage that ran with its decision
 * (went on, or the drop reason), what it found (parsed fields, network,
 * rule, FDB answer), then the frames queued for sending, each with its
 * port and how it leaves (tag, bond member, tunnel's outer headers).
 * The decoding of the frames here is for people; tests check the frames
 * themselves (hex) with scapy.
 */
#include <arpa/inet.h>
#include <stdio.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "fdb.h"
#include "ipv4.h"
#include "rule_table.h"
#include "sl_clock.h"
#include "trace_ctl.h"

static const char *const stage_names[SL_TRACE__COUNT] = {
	[SL_TRACE_PARSE] = "parse", [SL_TRACE_BOND] = "bond",
	[SL_TRACE_INGRESS] = "ingress", [SL_TRACE_RULES] = "rules",
	[SL_TRACE_L2] = "l2", [SL_TRACE_EGRESS] = "egress",
};

#define VXLAN_PORT 4789
#define GRE_PROTO 47

/* A datapath port's name: its PIF's or VIF's device, a remote's address,
 * or its number. */
static void
port_label(const struct sl_runtime *rt, uint16_t port, char *buf, size_t len)
{
	if (!sl_runtime_port_name(rt, port, buf, len))
		snprintf(buf, len, "port %u", port);
}

static json_t *
port_json(const struct sl_runtime *rt, uint16_t port)
{
	char name[64];

	port_label(rt, port, name, sizeof(name));
	return json_string(name);
}

static json_t *
hex(const struct sl_traced_frame *f)
{
	char buf[2 * SL_TRACE_FRAME_BYTES + 1];

	for (uint16_t i = 0; i < f->kept; i++)
		snprintf(buf + 2 * i, 3, "%02x", f->head[i]);
	buf[2 * f->kept] = '\0';
	return json_string(buf);
}

static json_t *
mac_json(const uint8_t *p)
{
	char s[SL_MAC_STR_LEN];

	sl_mac_format(s, (const struct rte_ether_addr *)p);
	return json_string(s);
}

static json_t *
ipv4_json(uint32_t be)
{
	char s[SL_IPV4_STR_LEN];

	sl_ipv4_format(s, rte_be_to_cpu_32(be));
	return json_string(s);
}

/* What parse found, in ovs-ofctl's field names. */
static json_t *
parsed(const struct sl_trace_record *rec, const struct sl_pkt_meta *md)
{
	json_t *o = json_object();

	json_object_set_new(o, "dl_src", mac_json(rec->in.head + 6));
	json_object_set_new(o, "dl_dst", mac_json(rec->in.head));
	json_object_set_new(o, "dl_type", json_sprintf("0x%04x", md->ether_type));
	if (md->nb_vlans) {
		json_t *tags = json_array();

		for (uint8_t i = 0; i < md->nb_vlans && i < 2; i++)
			json_array_append_new(tags,
				json_integer(md->vlan_tci[i] & 0xfff));
		json_object_set_new(o, "dl_vlan", tags);
	}
	if (md->flags & (SL_META_IPV4 | SL_META_ARP)) {
		json_object_set_new(o, md->flags & SL_META_ARP ? "arp_spa" : "nw_src",
				    ipv4_json(md->ip_src));
		json_object_set_new(o, md->flags & SL_META_ARP ? "arp_tpa" : "nw_dst",
				    ipv4_json(md->ip_dst));
	}
	if (md->ether_type == RTE_ETHER_TYPE_IPV6 &&
	    md->l3_off + sizeof(struct rte_ipv6_hdr) <= rec->in.kept) {
		const struct rte_ipv6_hdr *ip6 = (const void *)(rec->in.head + md->l3_off);
		char s[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, ip6->src_addr, s, sizeof(s));
		json_object_set_new(o, "ipv6_src", json_string(s));
		inet_ntop(AF_INET6, ip6->dst_addr, s, sizeof(s));
		json_object_set_new(o, "ipv6_dst", json_string(s));
	}
	if (md->flags & SL_META_IPV4) {
		json_object_set_new(o, "nw_proto", json_integer(md->ip_proto));
		if (md->flags & SL_META_FRAG)
			json_object_set_new(o, "fragment", json_true());
	}
	if (md->flags & SL_META_L4) {
		bool icmp = md->ip_proto == IPPROTO_ICMP;

		json_object_set_new(o, icmp ? "icmp_type" : "tp_src",
				    json_integer(md->l4_sport));
		json_object_set_new(o, icmp ? "icmp_code" : "tp_dst",
				    json_integer(md->l4_dport));
	}
	return o;
}

static void
network_fields(const struct sl_runtime *rt, uint16_t dp_id, json_t *o)
{
	const struct sl_network *n = sl_model_network_by_dp_id(rt->model, dp_id);

	json_object_set_new(o, "network", json_string(n ? n->bridge : ""));
	json_object_set_new(o, "network-uuid", json_string(n ? n->uuid : ""));
}

/* The FDB's answer for the destination: where it was learned, how long
 * ago (looked up now: the datapath keeps only the port it chose). */
static json_t *
fdb_answer(const struct sl_runtime *rt, const struct sl_trace_record *rec,
	   const struct sl_pkt_meta *md)
{
	const struct sl_traced_frame *f = rec->decapsulated ? &rec->inner : &rec->in;
	union sl_fdb_entry e;

	if (md->out_port == SL_OUT_FLOOD)
		return json_pack("{s:s}", "decision",
				 md->flags & SL_META_DST_MCAST ?
				 "flood (a multicast or broadcast destination)" :
				 "flood (destination not learned)");
	if (sl_fdb_lookup(rt->dp->fdb, md->network,
			  (const struct rte_ether_addr *)f->head, &e) != 0)
		return json_pack("{s:s, s:o}", "decision", "forward",
				 "port", port_json(rt, md->out_port));
	return json_pack("{s:s, s:o, s:b, s:I}", "decision", "forward", "port",
			 port_json(rt, md->out_port), "static",
			 (e.flags & SL_FDB_STATIC) != 0, "age-s",
			 (json_int_t)(sl_clock_s() - e.seen_s));
}

static json_t *
step_report(const struct sl_runtime *rt, const struct sl_trace_record *rec,
	    enum sl_trace_stage stage)
{
	const struct sl_trace_step *st = &rec->step[stage];
	json_t *o = json_pack("{s:s}", "stage", stage_names[stage]);

	json_object_set_new(o, "result", json_string(
		st->went_on ? "continue" : st->drop != SL_DROP_NONE ? "drop" :
		stage == SL_TRACE_RULES ? "output by the flow" : "taken by the control thread"));
	if (st->drop != SL_DROP_NONE)
		json_object_set_new(o, "drop-reason",
				    json_string(sl_drop_name(st->drop)));
	if (!st->went_on && stage != SL_TRACE_RULES)
		return o;
	switch (stage) {
	case SL_TRACE_PARSE:
		json_object_set_new(o, "fields", parsed(rec, &st->md));
		break;
	case SL_TRACE_INGRESS:
		network_fields(rt, st->md.network, o);
		if (rec->step[SL_TRACE_PARSE].md.nb_vlans > st->md.nb_vlans)
			json_object_set_new(o, "vlan-popped", json_integer(
				rec->step[SL_TRACE_PARSE].md.vlan_tci[0] & 0xfff));
		if (rec->decapsulated)
			json_object_set_new(o, "decapsulated", json_pack(
				"{s:o, s:o, s:o}", "remote",
				port_json(rt, st->md.in_port), "inner-frame",
				hex(&rec->inner), "inner-fields",
				parsed(&(struct sl_trace_record){ .in = rec->inner },
				       &st->md)));
		break;
	case SL_TRACE_RULES: {
		json_t *flow = sl_rules_flow_of_key(rt, rec->rule_key);

		json_object_set_new(o, "flow", flow ? flow : json_null());
		break;
	}
	case SL_TRACE_L2:
		json_object_set_new(o, "fdb", fdb_answer(rt, rec, &st->md));
		break;
	default:
		break;
	}
	return o;
}

/* How a queued frame leaves: its tag, and a tunnel's outer headers. */
static json_t *
output_report(const struct sl_runtime *rt, const struct sl_trace_output *out)
{
	const struct sl_snapshot *s = sl_dp_snapshot(rt->dp);
	const uint8_t *p = out->frame.head;
	uint16_t type = (uint16_t)(p[12] << 8 | p[13]), l3 = RTE_ETHER_HDR_LEN;
	json_t *o = json_pack("{s:o, s:I, s:o}", "port", port_json(rt, out->port),
			      "length", (json_int_t)out->frame.len, "frame",
			      hex(&out->frame));

	if (s && s->ports[out->port].bond != SL_BOND_NONE)
		json_object_set_new(o, "bond", port_json(rt,
			SL_BOND_PORT(s->ports[out->port].bond)));
	if (type == RTE_ETHER_TYPE_VLAN && out->frame.kept >= 18) {
		json_object_set_new(o, "vlan", json_integer((p[14] << 8 | p[15]) & 0xfff));
		type = (uint16_t)(p[16] << 8 | p[17]);
		l3 += 4;
	}
	if (type == RTE_ETHER_TYPE_IPV4 &&
	    out->frame.kept >= l3 + sizeof(struct rte_ipv4_hdr) + 8) {
		const struct rte_ipv4_hdr *ip = (const void *)(p + l3);
		const struct rte_udp_hdr *udp = (const void *)(p + l3 + 20);
		const char *kind = NULL;

		if (ip->next_proto_id == GRE_PROTO)
			kind = "gre";
		else if (ip->next_proto_id == IPPROTO_UDP &&
			 rte_be_to_cpu_16(udp->dst_port) == VXLAN_PORT)
			kind = "vxlan";
		if (kind)
			json_object_set_new(o, "tunnel", json_pack(
				"{s:s, s:o, s:o}", "protocol", kind, "outer-src",
				ipv4_json(ip->src_addr), "outer-dst",
				ipv4_json(ip->dst_addr)));
	}
	return o;
}

/* One sentence: where the packet went. */
static json_t *
verdict(const struct sl_trace_record *rec)
{
	for (int i = 0; i < SL_TRACE__COUNT; i++) {
		const struct sl_trace_step *st = &rec->step[i];

		if (!st->ran || st->went_on)
			continue;
		if (st->drop != SL_DROP_NONE)
			return json_sprintf("dropped at %s: %s", stage_names[i],
					    sl_drop_name(st->drop));
		if (i != SL_TRACE_RULES && i != SL_TRACE_EGRESS)
			return json_sprintf("taken by the control thread at %s",
					    stage_names[i]);
		break;
	}
	if (rec->nb_out == 0)
		return json_string("not sent anywhere");
	return json_sprintf("sent out of %u port%s", rec->nb_out,
			    rec->nb_out == 1 ? "" : "s");
}

json_t *
sl_trace_report(const struct sl_runtime *rt, const struct sl_trace_record *rec)
{
	json_t *stages = json_array(), *outputs = json_array(), *drops = json_object();

	for (int i = 0; i < SL_TRACE__COUNT; i++)
		if (rec->step[i].ran)
			json_array_append_new(stages, step_report(rt, rec, i));
	for (uint16_t i = 0; i < rec->nb_out && i < SL_TRACE_MAX_OUTPUTS; i++)
		json_array_append_new(outputs, output_report(rt, &rec->out[i]));
	for (unsigned int r = 0; r < SL_DROP__COUNT; r++)
		if (rec->drops[r])
			json_object_set_new(drops, sl_drop_name(r),
					    json_integer((json_int_t)rec->drops[r]));
	return json_pack("{s:o, s:I, s:o, s:o, s:o, s:I, s:o, s:o}", "in-port",
			 port_json(rt, rec->rx_port), "length",
			 (json_int_t)rec->in.len, "frame", hex(&rec->in),
			 "stages", stages, "outputs", outputs, "outputs-total",
			 (json_int_t)rec->nb_out, "drops", drops, "verdict",
			 verdict(rec));
}
