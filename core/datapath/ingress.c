/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ingress: which network a packet belongs to. Untagged and priority-tagged
 * (VLAN 0) frames belong to the port's native network; an 802.1Q tag picks
 * the network the port carries with that VLAN, and is popped: inside a
 * network frames travel untagged, egress tags them per port. Inner tags
 * stay as payload. On a transport network, frames for the local tunnel
 * endpoint are decapsulated here and enter their private network by their
 * remote's port, as untagged frames of that port.
 */
#include <string.h>

#include <rte_ether.h>

#include "sl_pipeline.h"
#include "sl_profile.h"
#include "sl_tunnel.h"

#define VLAN_ID(tci) ((tci) & 0x0fff)
#define VLAN_PCP(tci) ((uint8_t)((tci) >> 13))

/* Remove the outer tag; the Ethernet addresses move up by four bytes.
 * parse has proven the tag lies in the first segment. */
static void
pop_outer_tag(struct rte_mbuf *m, struct sl_pkt_meta *md)
{
	char *p = rte_pktmbuf_mtod(m, char *);

	memmove(p + sizeof(struct rte_vlan_hdr), p, 2 * RTE_ETHER_ADDR_LEN);
	rte_pktmbuf_adj(m, sizeof(struct rte_vlan_hdr));
	md->pcp = VLAN_PCP(md->vlan_tci[0]);
	md->vlan_tci[0] = md->vlan_tci[1];
	md->vlan_tci[1] = 0;
	md->nb_vlans--;
	md->l3_off -= sizeof(struct rte_vlan_hdr);
	if (md->l4_off)
		md->l4_off -= sizeof(struct rte_vlan_hdr);
}

static enum sl_drop
classify(const struct sl_dp_port *port, struct rte_mbuf *m,
	 struct sl_pkt_meta *md)
{
	uint16_t vid;

	if (md->nb_vlans == 0) {
		md->network = port->native_network;
		return md->network == SL_NETWORK_NONE ? SL_DROP_PORT_NO_NETWORK :
							SL_DROP_NONE;
	}
	if (md->outer_tpid != RTE_ETHER_TYPE_VLAN)
		return SL_DROP_VLAN_SERVICE_TAG;
	vid = VLAN_ID(md->vlan_tci[0]);
	if (vid == 0)
		md->network = port->native_network;	/* priority tag */
	else
		md->network = port->vlan_network ? port->vlan_network[vid] :
						   SL_NETWORK_NONE;
	if (md->network == SL_NETWORK_NONE)
		return vid ? SL_DROP_VLAN_UNCLAIMED : SL_DROP_PORT_NO_NETWORK;
	/* parse refused frames whose Ethernet header is split; the tag right
	 * behind it is in the first segment as long as it holds 18 bytes */
	if (unlikely(rte_pktmbuf_data_len(m) < RTE_ETHER_HDR_LEN +
						 sizeof(struct rte_vlan_hdr)))
		return SL_DROP_ETH_SPLIT;
	pop_outer_tag(m, md);
	return SL_DROP_NONE;
}

/* A frame of a VLAN no network claims, on a port that trunks every VLAN:
 * to the control thread, which makes the VLAN's network; a few a second
 * (the first of each VLAN is enough), the rest dropped as before. */
static enum sl_drop
discover_vlan(struct sl_worker *w, struct rte_mbuf *m)
{
	if (w->discover_second != w->now_s) {
		w->discover_second = w->now_s;
		w->discover_sent = 0;
	}
	if (w->discover_sent >= SL_VLAN_DISCOVERIES_PER_S)
		return SL_DROP_VLAN_UNCLAIMED;
	if (rte_ring_mp_enqueue(w->dp->punt, m) != 0)
		return SL_DROP_PUNT_FULL;
	w->discover_sent++;
	return SL_DROP_TAKEN;
}

/* Everything but an untagged frame of a port whose native network is a
 * plain one: tags, decapsulation, drops. Returns whether m goes on. */
static __rte_always_inline bool
ingress_general(struct sl_worker *w, const struct sl_snapshot *s,
		const struct sl_dp_port *port, struct rte_mbuf *m)
{
	struct sl_pkt_meta *md = sl_meta(m);
	enum sl_drop why = classify(port, m, md);

	if (unlikely(why == SL_DROP_VLAN_UNCLAIMED) && port->discover_vlans)
		why = discover_vlan(w, m);
	if (likely(why == SL_DROP_NONE) &&
	    unlikely(md->network >= s->nb_networks))
		why = SL_DROP_PORT_NO_NETWORK;
	if (likely(why == SL_DROP_NONE) &&
	    unlikely(s->networks[md->network].transport != SL_TUNNEL_NONE)) {
		uint64_t t0 = sl_profile_now(w);
		uint16_t inner;

		why = sl_tunnel_ingress(w, s, m, &inner);
		sl_profile_part(w, SL_STAGE_DECAP, t0);
		if (why == SL_DROP_NONE && inner != SL_NETWORK_NONE) {
			const struct sl_dp_port remote = {
				.native_network = inner,
			};

			why = classify(&remote, m, md);
		}
	}
	if (likely(why == SL_DROP_NONE) &&
	    unlikely(sl_too_long(m, s->networks[md->network].mtu[md->in_port])))
		why = SL_DROP_RX_OVERSIZE;
	if (likely(why == SL_DROP_NONE))
		return true;
	if (why != SL_DROP_TAKEN)
		sl_drop_rx(&w->stats, m, why);
	return false;
}

uint16_t
sl_ingress_burst(struct sl_worker *w, const struct sl_snapshot *s,
		 uint16_t in_port, struct rte_mbuf **pkts, uint16_t n)
{
	const struct sl_dp_port *port = &s->ports[in_port];
	uint16_t native = port->native_network, kept = 0;
	/* Untagged frames all enter the port's native network: when that is
	 * a plain network (not a transport one, where frames may be tunnel
	 * packets to decapsulate), all they need is its MTU check, decided
	 * once for the burst. */
	bool plain = native < s->nb_networks &&
		     s->networks[native].transport == SL_TUNNEL_NONE;
	uint32_t mtu = plain ? s->networks[native].mtu[in_port] : 0;

	if (unlikely(port->admin_down)) {
		/* as a device set down: nothing it receives goes on */
		for (uint16_t i = 0; i < n; i++)
			sl_drop_rx(&w->stats, pkts[i], SL_DROP_PORT_DOWN);
		return 0;
	}
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct sl_pkt_meta *md = sl_meta(m);

		if (likely(plain && md->nb_vlans == 0 && !sl_too_long(m, mtu))) {
			md->network = native;
			pkts[kept++] = m;
		} else if (ingress_general(w, s, port, m)) {
			pkts[kept++] = m;
		}
	}
	return kept;
}
