/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every rule of a bridge is a flow of its OpenFlow table 0: the rules the
 * sdncontroller commands make are shown to ovs-ofctl, and selected by its
 * cookies and matches, as the flows the plugin makes in Open vSwitch.
 */
#include <stdio.h>
#include <string.h>

#include <netinet/in.h>

#include "rule_table.h"

const struct sl_network *
sl_rule_bridge_of(const struct sl_model *m, const struct sl_network *n,
		  int *tag)
{
	const struct sl_vlan *v;

	*tag = -1;
	TAILQ_FOREACH(v, &m->vlans, next) {
		if (v->untagged->ep.network == n && v->tag != 0) {
			*tag = v->tag;
			return v->tagged->ep.network;
		}
	}
	return n;
}

static void
exact(void *p, size_t n)
{
	memset(p, 0xff, n);
}

void
sl_rule_flow_form(const struct sl_model *m, const struct sl_rule *r,
		  struct sl_flow *f)
{
	struct sl_flow_key *k = &f->key, *mk = &f->mask;
	static const uint8_t protos[SL_CLS_PROTOS] = {
		[SL_CLS_TCP] = IPPROTO_TCP, [SL_CLS_UDP] = IPPROTO_UDP,
		[SL_CLS_ICMP] = IPPROTO_ICMP,
	};
	bool to = r->side == SL_CLS_TO;
	int tag;

	if (r->flow) {
		memcpy(k, &r->flow->key, sizeof(*k));
		memcpy(mk, &r->flow->mask, sizeof(*mk));
		f->nb_out = r->flow->nb_out;
		memcpy(f->out, r->flow->out, sizeof(f->out));
		return;
	}
	memset(f, 0, sizeof(*f));
	sl_rule_bridge_of(m, r->network, &tag);
	if (tag >= 0) {
		k->vlan_tci = (uint16_t)(SL_FLOW_VLAN_PRESENT | tag);
		mk->vlan_tci = 0x1fff;
	}
	k->dl_type = r->proto == SL_CLS_ARP ? 0x0806 : 0x0800;
	mk->dl_type = 0xffff;
	if (r->proto != SL_CLS_IP && r->proto != SL_CLS_ARP) {
		k->nw_proto = protos[r->proto];
		mk->nw_proto = 0xff;
	}
	if (r->has_mac) {
		memcpy(to ? k->dl_src : k->dl_dst, r->mac.addr_bytes, 6);
		exact(to ? mk->dl_src : mk->dl_dst, 6);
	}
	if (r->plen) {
		*(to ? &k->nw_dst : &k->nw_src) = r->addr;
		*(to ? &mk->nw_dst : &mk->nw_src) = sl_rule_mask(r->plen);
	}
	if (r->port >= 0) {
		*(to ? &k->tp_dst : &k->tp_src) = (uint16_t)r->port;
		*(to ? &mk->tp_dst : &mk->tp_src) = 0xffff;
	}
	f->nb_out = r->allow ? 1 : 0;
	f->out[0] = SL_FLOW_PORT_NORMAL;
}

/* The match and the actions as dump-flows prints them (ovs-ofctl's
 * spelling; a VLAN network's rule with its dl_vlan). */
void
sl_rule_match_text(const struct sl_model *m, const struct sl_rule *r, char *buf,
		   size_t len)
{
	char prefix[24], mac[RTE_ETHER_ADDR_FMT_SIZE];
	size_t o = 0;
	int tag;

	if (r->flow) {
		sl_flow_match_text(&r->flow->key, &r->flow->mask, buf, len);
		return;
	}
	sl_rule_bridge_of(m, r->network, &tag);
#define PUT(...) \
	o += (size_t)snprintf(buf + o, o < len ? len - o : 0, __VA_ARGS__)
	PUT("%s", sl_rule_proto_name(r->proto));
	if (tag >= 0)
		PUT(",dl_vlan=%d", tag);
	if (r->has_mac) {
		sl_rule_mac_text(r, mac, sizeof(mac));
		PUT(",%s=%s", r->side == SL_CLS_TO ? "dl_src" : "dl_dst", mac);
	}
	if (r->plen) {
		sl_rule_prefix_text(r, prefix, sizeof(prefix));
		if (r->proto == SL_CLS_ARP)
			PUT(",%s=%s", r->side == SL_CLS_TO ? "arp_tpa" : "arp_spa",
			    prefix);
		else
			PUT(",%s=%s", r->side == SL_CLS_TO ? "nw_dst" : "nw_src",
			    prefix);
	}
	if (r->port >= 0)
		PUT(",%s=%d", r->side == SL_CLS_TO ? "tp_dst" : "tp_src", r->port);
#undef PUT
}

void
sl_rule_actions_text(const struct sl_rule *r, char *buf, size_t len)
{
	if (r->flow)
		sl_flow_actions_text(r->flow, buf, len);
	else
		snprintf(buf, len, "%s", r->allow ? "NORMAL" : "drop");
}
