/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An OpenFlow flow in ovs-ofctl's words, for sluicectl dump-flows and
 * rule-list: the fields in the order Open vSwitch prints them (protocol
 * shorthand, in_port, VLAN, MACs, addresses, ARP and ND fields, ports).
 * The OpenFlow channel never uses this text: ovs-ofctl prints its own
 * from the wire.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <netinet/in.h>

#include "rule_table.h"

struct text {
	char *buf;
	size_t len, o;
};

static void __attribute__((format(printf, 2, 3)))
put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->o, t->o < t->len ? t->len - t->o : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->o += (size_t)n;
	if (t->o >= t->len && t->len)
		t->o = t->len - 1;
}

static bool
all_ones(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != 0xff)
			return false;
	return true;
}

static bool
all_zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static void
put_port(struct text *t, const char *name, uint16_t port)
{
	if (port == SL_FLOW_PORT_LOCAL)
		put(t, ",%s=LOCAL", name);
	else
		put(t, ",%s=%u", name, port);
}

static void
put_mac(struct text *t, const char *name, const uint8_t *v, const uint8_t *m)
{
	if (all_zero(m, 6))
		return;
	put(t, ",%s=%02x:%02x:%02x:%02x:%02x:%02x", name, v[0], v[1], v[2],
	    v[3], v[4], v[5]);
	if (!all_ones(m, 6))
		put(t, "/%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		    m[4], m[5]);
}

/* The length of a prefix mask of n bytes, or -1 if it is not one. */
static int
prefix_len(const uint8_t *m, size_t n)
{
	int len = 0;
	size_t i = 0;

	while (i < n && m[i] == 0xff) {
		len += 8;
		i++;
	}
	if (i < n) {
		uint8_t b = m[i++];

		while (b & 0x80) {
			len++;
			b = (uint8_t)(b << 1);
		}
		if (b)
			return -1;
	}
	while (i < n)
		if (m[i++])
			return -1;
	return len;
}

static void
put_ipv4(struct text *t, const char *name, uint32_t v, uint32_t m)
{
	uint8_t vb[4], mb[4];
	char a[INET_ADDRSTRLEN], ma[INET_ADDRSTRLEN];
	int plen;

	if (!m)
		return;
	v = htonl(v);
	m = htonl(m);
	memcpy(vb, &v, 4);
	memcpy(mb, &m, 4);
	inet_ntop(AF_INET, vb, a, sizeof(a));
	plen = prefix_len(mb, 4);
	if (plen == 32)
		put(t, ",%s=%s", name, a);
	else if (plen >= 0)
		put(t, ",%s=%s/%d", name, a, plen);
	else
		put(t, ",%s=%s/%s", name, a, inet_ntop(AF_INET, mb, ma, sizeof(ma)));
}

static void
put_ipv6(struct text *t, const char *name, const uint8_t *v, const uint8_t *m)
{
	char a[INET6_ADDRSTRLEN], ma[INET6_ADDRSTRLEN];
	int plen;

	if (all_zero(m, 16))
		return;
	inet_ntop(AF_INET6, v, a, sizeof(a));
	plen = prefix_len(m, 16);
	if (plen == 128)
		put(t, ",%s=%s", name, a);
	else if (plen >= 0)
		put(t, ",%s=%s/%d", name, a, plen);
	else
		put(t, ",%s=%s/%s", name, a, inet_ntop(AF_INET6, m, ma, sizeof(ma)));
}

static void
put_u16(struct text *t, const char *name, uint16_t v, uint16_t m)
{
	if (m == 0xffff)
		put(t, ",%s=%u", name, v);
	else if (m)
		put(t, ",%s=0x%x/0x%x", name, v, m);
}

/* The protocol shorthand ovs-ofctl prints for an EtherType and protocol,
 * or NULL; *with_proto tells whether it names the protocol too. */
static const char *
shorthand(const struct sl_flow_key *k, const struct sl_flow_key *m,
	  bool *with_proto)
{
	bool proto = m->nw_proto == 0xff;

	*with_proto = false;
	if (m->dl_type != 0xffff)
		return NULL;
	if (k->dl_type == 0x0806)
		return "arp";
	if (k->dl_type != 0x0800 && k->dl_type != 0x86dd)
		return NULL;
	*with_proto = proto;
	if (proto && k->nw_proto == IPPROTO_TCP)
		return k->dl_type == 0x0800 ? "tcp" : "tcp6";
	if (proto && k->nw_proto == IPPROTO_UDP)
		return k->dl_type == 0x0800 ? "udp" : "udp6";
	if (proto && k->nw_proto == IPPROTO_ICMP && k->dl_type == 0x0800)
		return "icmp";
	if (proto && k->nw_proto == IPPROTO_ICMPV6 && k->dl_type == 0x86dd)
		return "icmp6";
	*with_proto = false;
	return k->dl_type == 0x0800 ? "ip" : "ipv6";
}

void
sl_flow_match_text(const struct sl_flow_key *k, const struct sl_flow_key *m,
		   char *buf, size_t len)
{
	struct text t = { buf, len, 0 };
	bool with_proto, arp = m->dl_type == 0xffff && k->dl_type == 0x0806;
	bool icmp = m->nw_proto == 0xff && m->dl_type == 0xffff &&
		    ((k->dl_type == 0x0800 && k->nw_proto == IPPROTO_ICMP) ||
		     (k->dl_type == 0x86dd && k->nw_proto == IPPROTO_ICMPV6));
	const char *sh = shorthand(k, m, &with_proto);

	if (len)
		buf[0] = 0;
	if (sh)
		put(&t, ",%s", sh);
	if (m->in_port)
		put_port(&t, "in_port", k->in_port);
	if (m->vlan_tci == 0x1fff && (k->vlan_tci & SL_FLOW_VLAN_PRESENT))
		put(&t, ",dl_vlan=%u", k->vlan_tci & 0xfff);
	else if (m->vlan_tci)
		put(&t, ",vlan_tci=0x%04x/0x%04x", k->vlan_tci, m->vlan_tci);
	put_mac(&t, "dl_src", k->dl_src, m->dl_src);
	put_mac(&t, "dl_dst", k->dl_dst, m->dl_dst);
	if (!sh && m->dl_type)
		put(&t, ",dl_type=0x%04x", k->dl_type);
	put_ipv6(&t, "ipv6_src", k->ipv6_src, m->ipv6_src);
	put_ipv6(&t, "ipv6_dst", k->ipv6_dst, m->ipv6_dst);
	put_ipv4(&t, arp ? "arp_spa" : "nw_src", k->nw_src, m->nw_src);
	put_ipv4(&t, arp ? "arp_tpa" : "nw_dst", k->nw_dst, m->nw_dst);
	if (m->nw_proto && !with_proto)
		put(&t, ",%s=%u", arp ? "arp_op" : "nw_proto", k->nw_proto);
	if (arp) {
		put_mac(&t, "arp_sha", k->arp_sha, m->arp_sha);
		put_mac(&t, "arp_tha", k->arp_tha, m->arp_tha);
	}
	put_u16(&t, icmp ? "icmp_type" : "tp_src", k->tp_src, m->tp_src);
	put_u16(&t, icmp ? "icmp_code" : "tp_dst", k->tp_dst, m->tp_dst);
	put_ipv6(&t, "nd_target", k->nd_target, m->nd_target);
	if (!arp) {
		put_mac(&t, "nd_sll", k->arp_sha, m->arp_sha);
		put_mac(&t, "nd_tll", k->arp_tha, m->arp_tha);
	}
	if (t.o && len)
		memmove(buf, buf + 1, strlen(buf));	/* the leading comma */
}

void
sl_flow_actions_text(const struct sl_flow *f, char *buf, size_t len)
{
	struct text t = { buf, len, 0 };

	if (len)
		buf[0] = 0;
	if (!f->nb_out)
		put(&t, ",drop");
	for (unsigned i = 0; i < f->nb_out; i++) {
		if (f->out[i] == SL_FLOW_PORT_NORMAL)
			put(&t, ",NORMAL");
		else if (f->out[i] == SL_FLOW_PORT_LOCAL)
			put(&t, ",LOCAL");
		else
			put(&t, ",output:%u", f->out[i]);
	}
	if (t.o && len)
		memmove(buf, buf + 1, strlen(buf));
}
