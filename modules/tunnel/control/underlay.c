/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The underlay's neighbours. sluice is the IPv4 host of each transport
 * PIF's address (the kernel never sees that PIF): it answers ARP for the
 * address and pings to it, and resolves the next hop toward each remote
 * with its own ARP — a request as soon as a next hop is wanted and every
 * second until a reply; once resolved, a fresh request every
 * REACHABLE_MS, and a neighbour that leaves MAX_UNANSWERED of them in a
 * row unanswered is unresolved again. While a remote's next hop is
 * unresolved its packets are dropped and counted (tunnel_unresolved):
 * holding them would tie up buffers for a peer that may never answer.
 *
 * A PIF's other-config:static-neighbours ("IP/MAC,...") fixes neighbours
 * that are never asked (an underlay that filters ARP, a benchmark whose
 * peer is a null port).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "log.h"
#include "tunnel_runtime.h"

#define PROBE_MS 1000
#define REACHABLE_MS 30000
#define MAX_UNANSWERED 3

#define STATIC_NEIGHBOURS "static-neighbours"

/* Each "IP/MAC" entry of text in turn: fn(ip, mac, arg) until it returns
 * true. -1 with err at the first malformed entry. */
static int
each_static(const char *text, bool (*fn)(uint32_t, const struct rte_ether_addr *, void *),
	    void *arg, struct sl_err *err)
{
	char buf[1024], *save = NULL, *entry;

	if (snprintf(buf, sizeof(buf), "%s", text) >= (int)sizeof(buf))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "other-config:%s: longer than %zu characters",
				  STATIC_NEIGHBOURS, sizeof(buf) - 1);
	for (entry = strtok_r(buf, ",", &save); entry; entry = strtok_r(NULL, ",", &save)) {
		char *slash = strchr(entry, '/');
		struct rte_ether_addr mac;
		struct sl_err merr;
		uint32_t ip;

		if (slash)
			*slash = '\0';
		if (!slash || !sl_ipv4_parse(entry, &ip) ||
		    sl_check_mac("MAC", slash + 1, &mac, &merr) < 0)
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "other-config:%s: '%s%s%s' is not IP/MAC (10.0.0.1/aa:bb:cc:dd:ee:ff)",
					  STATIC_NEIGHBOURS, entry, slash ? "/" : "",
					  slash ? slash + 1 : "");
		if (fn && fn(ip, &mac, arg))
			break;
	}
	return 0;
}

int
sl_check_static_neighbours(json_t *other_config, struct sl_err *err)
{
	const char *v = json_string_value(json_object_get(other_config,
							  STATIC_NEIGHBOURS));

	return v ? each_static(v, NULL, NULL, err) : 0;
}

struct static_lookup {
	uint32_t ip;
	struct rte_ether_addr mac;
	bool found;
};

static bool
static_match(uint32_t ip, const struct rte_ether_addr *mac, void *arg)
{
	struct static_lookup *l = arg;

	if (ip != l->ip)
		return false;
	l->mac = *mac;
	l->found = true;
	return true;
}

/* The MAC pif's other-config fixes for ip, if any. */
static bool
static_neighbour(const struct sl_pif *pif, uint32_t ip, struct rte_ether_addr *mac)
{
	const char *v = json_string_value(json_object_get(pif->ep.other_config,
							  STATIC_NEIGHBOURS));
	struct static_lookup l = { .ip = ip };
	struct sl_err err;

	if (!v || each_static(v, static_match, &l, &err) < 0 || !l.found)
		return false;
	*mac = l.mac;
	return true;
}

const struct sl_neighbour *
sl_underlay_find(const struct sl_runtime *rt, const struct sl_pif *pif,
		 uint32_t ip)
{
	for (unsigned int k = 0; k < sl_tunnel_rt(rt)->nb_neighbours; k++)
		if (sl_tunnel_rt(rt)->neighbours[k].pif == pif && sl_tunnel_rt(rt)->neighbours[k].ip == ip)
			return &sl_tunnel_rt(rt)->neighbours[k];
	return NULL;
}

struct sl_neighbour *
sl_underlay_want(struct sl_runtime *rt, const struct sl_pif *pif, uint32_t ip)
{
	struct sl_neighbour *n = (struct sl_neighbour *)sl_underlay_find(rt, pif, ip);

	if (!n) {
		if (sl_tunnel_rt(rt)->nb_neighbours == RTE_DIM(sl_tunnel_rt(rt)->neighbours))
			return NULL;
		n = &sl_tunnel_rt(rt)->neighbours[sl_tunnel_rt(rt)->nb_neighbours++];
		*n = (struct sl_neighbour){ .pif = pif, .ip = ip };
	}
	n->wanted = true;
	if (static_neighbour(pif, ip, &n->mac)) {
		n->is_static = n->resolved = true;
	} else if (n->is_static) {	/* no longer fixed: ask for it now */
		*n = (struct sl_neighbour){ .pif = pif, .ip = ip, .wanted = true };
	}
	return n;
}

void
sl_underlay_forget_unwanted(struct sl_runtime *rt)
{
	unsigned int kept = 0;

	for (unsigned int k = 0; k < sl_tunnel_rt(rt)->nb_neighbours; k++)
		if (sl_tunnel_rt(rt)->neighbours[k].wanted)
			sl_tunnel_rt(rt)->neighbours[kept++] = sl_tunnel_rt(rt)->neighbours[k];
	sl_tunnel_rt(rt)->nb_neighbours = kept;
}

/* The local endpoint a punted frame was for: its network and address. */
static const struct sl_transport_rt *
transport_of_frame(const struct sl_runtime *rt, const struct sl_pkt_meta *md)
{
	for (uint16_t j = 0; j < sl_tunnel_rt(rt)->nb_transports; j++) {
		const struct sl_transport_rt *tr = &sl_tunnel_rt(rt)->transports[j];

		if (tr->network == md->network && tr->port == md->in_port &&
		    htonl(tr->pif->ip.ip) == md->ip_dst)
			return tr;
	}
	return NULL;
}

static void
send_frame(struct sl_runtime *rt, const struct sl_transport_rt *tr,
	   struct rte_mbuf *m)
{
	if (sl_dp_inject_network(rt->dp, m, tr->port, tr->network) < 0)
		sl_tunnel_rt(rt)->underlay.not_sent++;
}

/* ARP fields, after the Ethernet header of a frame of l2 bytes. */
static void
arp_fill(struct rte_ether_hdr *eth, uint16_t op,
	 const struct rte_ether_addr *sha, uint32_t spa,
	 const struct rte_ether_addr *tha, uint32_t tpa,
	 const struct rte_ether_addr *dst)
{
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);

	eth->dst_addr = *dst;
	eth->src_addr = *sha;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = rte_cpu_to_be_16(op);
	arp->arp_data.arp_sha = *sha;
	arp->arp_data.arp_sip = spa;
	arp->arp_data.arp_tha = *tha;
	arp->arp_data.arp_tip = tpa;
}

static void
send_request(struct sl_runtime *rt, const struct sl_neighbour *n)
{
	static const struct rte_ether_addr zero;
	const struct rte_ether_addr bcast = {
		.addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	const struct sl_transport_rt *tr = sl_runtime_transport(rt, n->pif);
	struct rte_mbuf *m;
	struct rte_ether_hdr *eth;

	if (!tr)
		return;
	m = rte_pktmbuf_alloc(rt->pool);
	eth = m ? (struct rte_ether_hdr *)rte_pktmbuf_append(
			  m, sizeof(*eth) + sizeof(struct rte_arp_hdr)) : NULL;
	if (!eth) {
		rte_pktmbuf_free(m);
		sl_tunnel_rt(rt)->underlay.not_sent++;
		return;
	}
	arp_fill(eth, RTE_ARP_OP_REQUEST, &n->pif->ep.mac, htonl(n->pif->ip.ip),
		 &zero, htonl(n->ip), &bcast);
	sl_tunnel_rt(rt)->underlay.arp_requests_sent++;
	if (rte_log_can_log(sl_logtype, RTE_LOG_DEBUG)) {
		char ip_text[SL_IPV4_STR_LEN];

		sl_ipv4_format(ip_text, n->ip);
		SL_LOG(DEBUG, "PIF %s: ARP request for next hop %s\n",
		       n->pif->ep.device, ip_text);
	}
	send_frame(rt, tr, m);
}

/* The sender of an ARP to us is a neighbour we may be waiting for. */
static bool
learn(struct sl_runtime *rt, const struct sl_pif *pif, uint32_t ip,
      const struct rte_ether_addr *mac, uint64_t now)
{
	struct sl_neighbour *n = (struct sl_neighbour *)sl_underlay_find(rt, pif, ip);
	bool changed;

	if (!n || n->is_static || !rte_is_valid_assigned_ether_addr(mac))
		return false;
	changed = !n->resolved || !rte_is_same_ether_addr(&n->mac, mac);
	if (changed) {
		char ip_text[SL_IPV4_STR_LEN], mac_text[SL_MAC_STR_LEN];

		sl_ipv4_format(ip_text, ip);
		sl_mac_format(mac_text, mac);
		SL_LOG(DEBUG, "PIF %s: next hop %s is at %s (%s)\n", pif->ep.device,
		       ip_text, mac_text, n->resolved ? "moved" : "resolved by ARP");
	}
	n->mac = *mac;
	n->resolved = true;
	n->unanswered = 0;
	n->next_probe_ms = now + REACHABLE_MS;
	return changed;
}

/* ARP for a local endpoint: learn the sender, answer a request in place. */
static bool
arp_in(struct sl_runtime *rt, const struct sl_transport_rt *tr,
       struct rte_mbuf *mb, uint64_t now)
{
	const struct sl_pkt_meta *md = sl_meta(mb);
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(mb, struct rte_ether_hdr *);
	struct rte_arp_hdr *arp = rte_pktmbuf_mtod_offset(mb, struct rte_arp_hdr *,
							  md->l3_off);
	struct rte_ether_addr sha = arp->arp_data.arp_sha;
	uint32_t spa = arp->arp_data.arp_sip;
	bool changed = learn(rt, tr->pif, ntohl(spa), &sha, now);

	if (arp->arp_opcode == RTE_BE16(RTE_ARP_OP_REPLY))
		sl_tunnel_rt(rt)->underlay.arp_replies_received++;
	if (arp->arp_opcode != RTE_BE16(RTE_ARP_OP_REQUEST) ||
	    !rte_is_valid_assigned_ether_addr(&sha)) {
		/* a reply is taken (counted above); a request from no valid
		 * sender, or another opcode, cannot be answered */
		if (arp->arp_opcode != RTE_BE16(RTE_ARP_OP_REPLY))
			sl_tunnel_rt(rt)->underlay.not_answered++;
		rte_pktmbuf_free(mb);
		return changed;
	}
	/* the ARP header right after the Ethernet one (a tag was popped) */
	if (md->l3_off != sizeof(*eth))
		memmove(eth + 1, arp, sizeof(*arp));
	rte_pktmbuf_trim(mb, (uint16_t)(rte_pktmbuf_pkt_len(mb) - sizeof(*eth) -
					sizeof(*arp)));
	arp_fill(eth, RTE_ARP_OP_REPLY, &tr->pif->ep.mac, htonl(tr->pif->ip.ip),
		 &sha, spa, &sha);
	sl_tunnel_rt(rt)->underlay.arp_replies_sent++;
	send_frame(rt, tr, mb);
	return changed;
}

/* A ping to a local endpoint: answered in place. */
static void
ping_in(struct sl_runtime *rt, const struct sl_transport_rt *tr,
	struct rte_mbuf *mb)
{
	const struct sl_pkt_meta *md = sl_meta(mb);
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(mb, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(mb, struct rte_ipv4_hdr *,
							  md->l3_off);
	uint16_t total = rte_be_to_cpu_16(ip->total_length);
	uint16_t ihl = (uint16_t)((ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
				  RTE_IPV4_IHL_MULTIPLIER);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)((uint8_t *)ip + ihl);
	uint32_t addr = ip->src_addr;

	eth->dst_addr = eth->src_addr;
	eth->src_addr = tr->pif->ep.mac;
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = addr;
	ip->time_to_live = 64;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, total - ihl);
	sl_tunnel_rt(rt)->underlay.pings_answered++;
	send_frame(rt, tr, mb);
}

bool
sl_underlay_punt(struct sl_runtime *rt, struct rte_mbuf *mb, uint64_t now)
{
	const struct sl_pkt_meta *md = sl_meta(mb);
	const struct sl_transport_rt *tr = transport_of_frame(rt, md);
	uint32_t need;

	/* the datapath punts only what it parsed whole; answers are written
	 * in place, so the headers must be in the first segment (and a tag
	 * popped at ingress left the frame untagged) */
	if (md->flags & SL_META_ARP)
		need = md->l3_off + sizeof(struct rte_arp_hdr);
	else
		need = rte_pktmbuf_pkt_len(mb);	/* the whole ping */
	if (!tr || md->nb_vlans || rte_pktmbuf_data_len(mb) < need) {
		/* the endpoint went since, or a layout we do not rewrite */
		sl_tunnel_rt(rt)->underlay.not_answered++;
		rte_pktmbuf_free(mb);
		return false;
	}
	if (md->flags & SL_META_ARP)
		return arp_in(rt, tr, mb, now);
	ping_in(rt, tr, mb);
	return false;
}

bool
sl_underlay_tick(struct sl_runtime *rt, uint64_t now)
{
	bool changed = false;

	for (unsigned int k = 0; k < sl_tunnel_rt(rt)->nb_neighbours; k++) {
		struct sl_neighbour *n = &sl_tunnel_rt(rt)->neighbours[k];

		if (n->is_static || now < n->next_probe_ms)
			continue;
		if (n->resolved && n->unanswered >= MAX_UNANSWERED) {
			char ip[SL_IPV4_STR_LEN];

			sl_ipv4_format(ip, n->ip);
			SL_LOG(WARNING, "PIF %s: neighbour %s stopped answering ARP\n",
			       n->pif->ep.device, ip);
			n->resolved = false;
			sl_tunnel_rt(rt)->underlay.neighbours_lost++;
			changed = true;
		}
		send_request(rt, n);
		n->unanswered++;
		n->next_probe_ms = now + PROBE_MS;
	}
	return changed;
}
