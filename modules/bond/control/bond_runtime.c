/* SPDX-License-Identifier: BSD-3-Clause */
#include <assert.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "bond_model.h"
#include "bond_runtime.h"
#include "log.h"
#include "metric.h"
#include "runtime.h"
#include "sl_bond.h"

/* A second copy of a frame in a full mesh comes round the third host well
 * within this; a frame sent twice on purpose hardly ever does. */
#define DEDUP_WINDOW_MS 200
#define DEDUP_SLOTS 4096
#define ETHER_TYPE_RARP 0x8035
/* Rebalancing stops when the members are within this share of the load. */
#define SLB_TOLERANCE_PCT 10
#define SLB_MAX_MOVES 16

static_assert(SL_MODEL_MAX_BONDS <= SL_MAX_BONDS,
	      "every bond's index must fit the datapath's bond table");
static_assert(SL_BOND_MAX_SLAVES <= SL_BOND_MAX_MEMBERS,
	      "every bond's members must fit the datapath's member table");

static enum sl_dp_bond_mode
dp_mode(enum sl_bond_mode m)
{
	switch (m) {
	case SL_BOND_BROADCAST:
		return SL_DP_BOND_BROADCAST;
	case SL_BOND_ACTIVE_BACKUP:
		return SL_DP_BOND_ACTIVE_BACKUP;
	case SL_BOND_BALANCE_TCP:
		return SL_DP_BOND_TCP;
	case SL_BOND_LACP:
		return SL_DP_BOND_LACP;
	default:
		return SL_DP_BOND_SLB;
	}
}

static bool
member_ok(const struct sl_bond_member_rt *m)
{
	return m->port != SL_PORT_NONE && m->up;
}

/* The member carrying traffic: the current one while it is up, else the
 * first that is. */
static void
choose_active(struct sl_bond_rt *br, const struct sl_bond *b)
{
	for (unsigned int i = 0; i < b->nb_slaves; i++)
		if (member_ok(&br->m[i]) && br->m[i].port == br->active)
			return;
	br->active = SL_PORT_NONE;
	for (unsigned int i = 0; i < b->nb_slaves; i++) {
		if (member_ok(&br->m[i])) {
			br->active = br->m[i].port;
			return;
		}
	}
}

static bool
lacp_aggregated(const struct sl_bond_rt *br, const struct sl_bond *b)
{
	for (unsigned int i = 0; i < b->nb_slaves; i++)
		if (member_ok(&br->m[i]) && (br->m[i].lacp.actor.state & SL_LACP_SYNC))
			return true;
	return false;
}

void
sl_bonding_sync(struct sl_runtime *rt, struct sl_bond *b)
{
	struct sl_bond_rt *br = &sl_bonds_rt(rt)->bond[b->index];
	uint64_t now = sl_runtime_now_ms();

	if (!br->in_use) {
		memset(br, 0, sizeof(*br));
		br->in_use = true;
		br->active = SL_PORT_NONE;
		for (unsigned int k = 0; k < SL_SLB_BUCKETS; k++)
			br->slb_member[k] = (uint8_t)(k % b->nb_slaves);
		br->next_rebalance_ms = now + b->props.rebalance_ms;
		for (unsigned int i = 0; i < SL_BOND_MAX_SLAVES; i++)
			br->m[i].port = SL_PORT_NONE;
		/* the logical port's counters start now (ids are reused) */
		struct sl_worker_stats sum;

		sl_dp_stats_sum(rt->dp, &sum);
		rt->baseline[SL_BOND_PORT(b->index)] = sum.port[SL_BOND_PORT(b->index)];
	}
	if (!br->dedup && b->mode == SL_BOND_BROADCAST) {
		br->dedup = sl_dedup_create(DEDUP_SLOTS, DEDUP_WINDOW_MS);
		if (!br->dedup)
			SL_LOG(ERR, "bond %s: no memory for duplicate discard\n",
			       b->master->ep.device);
	}
	/* the bond's MAC is its first member's (LACP system id) */
	if (!b->master->ep.mac_set && b->slaves[0]->ep.mac_set) {
		b->master->ep.mac = b->slaves[0]->ep.mac;
		b->master->ep.mac_set = true;
	}
	for (unsigned int i = 0; i < SL_BOND_MAX_SLAVES; i++) {
		struct sl_bond_member_rt *m = &br->m[i];
		uint16_t port = i < b->nb_slaves && b->slaves[i]->ep.port_id < SL_MAX_PORTS ?
				b->slaves[i]->ep.port_id : SL_PORT_NONE;

		if (m->port == port) {
			m->lacp.fast = b->props.lacp_fast;
			continue;
		}
		m->port = port;
		/* a member that is up when it joins is up at once; updelay
		 * is for links coming back */
		m->link = m->up = port != SL_PORT_NONE &&
				  sl_port_link_up(&rt->ports[port]);
		m->link_since_ms = now;
		sl_lacp_init(&m->lacp, &b->master->ep.mac, (uint16_t)(b->index + 1),
			     (uint16_t)(i + 1), b->props.lacp_fast);
	}
	choose_active(br, b);
}

void
sl_bonding_forget(struct sl_runtime *rt, uint16_t index)
{
	struct sl_bond_rt *br = &sl_bonds_rt(rt)->bond[index];

	/* no snapshot refers to the table any more: the bond's is gone */
	sl_dedup_free(br->dedup);
	memset(br, 0, sizeof(*br));
}

void
sl_bonding_fill(struct sl_runtime *rt, const struct sl_bond *b,
		struct sl_snapshot *s)
{
	struct sl_bond_rt *br = &sl_bonds_rt(rt)->bond[b->index];
	struct sl_dp_bond *d = &s->bonds[b->index];
	bool lacp_up = b->mode == SL_BOND_LACP && lacp_aggregated(br, b);
	uint16_t first_up = SL_PORT_NONE;

	memset(d, 0, sizeof(*d));
	d->mode = (uint8_t)dp_mode(b->mode);
	d->relay = b->props.relay;
	d->hash_l4 = b->props.hash_tcpudp;
	d->dedup = b->mode == SL_BOND_BROADCAST ? br->dedup : NULL;
	d->active = SL_PORT_NONE;
	for (unsigned int i = 0; i < b->nb_slaves; i++) {
		const struct sl_bond_member_rt *m = &br->m[i];
		uint8_t rx = SL_BOND_RX_NONE;
		bool tx = false;

		if (m->port == SL_PORT_NONE)
			continue;
		if (member_ok(m) && first_up == SL_PORT_NONE)
			first_up = m->port;
		switch (b->mode) {
		case SL_BOND_BROADCAST:
			tx = member_ok(m);
			rx = SL_BOND_RX_ALL;
			break;
		case SL_BOND_ACTIVE_BACKUP:
			tx = m->port == br->active;
			rx = tx ? SL_BOND_RX_ALL : SL_BOND_RX_NONE;
			break;
		case SL_BOND_LACP:
			if (lacp_up) {
				tx = member_ok(m) && sl_lacp_distributing(&m->lacp);
				rx = sl_lacp_collecting(&m->lacp) ? SL_BOND_RX_ALL :
								    SL_BOND_RX_NONE;
			} else if (b->props.fallback_ab) {
				/* no partner anywhere: active-backup */
				tx = m->port == br->active;
				rx = tx ? SL_BOND_RX_ALL : SL_BOND_RX_NONE;
			}
			break;
		default:	/* balance-slb, balance-tcp */
			tx = member_ok(m);
			rx = m->port == br->active ? SL_BOND_RX_ALL :
						     SL_BOND_RX_UNICAST;
			break;
		}
		if (tx)
			d->tx[d->nb_tx++] = m->port;
		s->ports[m->port].bond = b->index;
		s->ports[m->port].bond_rx = rx;
	}
	if (b->mode == SL_BOND_ACTIVE_BACKUP ||
	    (b->mode == SL_BOND_LACP && !lacp_up && b->props.fallback_ab))
		d->active = br->active;
	if (b->mode == SL_BOND_LACP && !lacp_up && !b->props.fallback_ab)
		d->nb_tx = 0;
	for (unsigned int k = 0; k < SL_SLB_BUCKETS; k++) {
		const struct sl_bond_member_rt *m = &br->m[br->slb_member[k]];

		d->slb_port[k] = member_ok(m) ? m->port : first_up;
	}
}

/* ---- announcements ------------------------------------------------------- */

struct source {
	struct rte_ether_addr mac;
	uint16_t tag;		/* SL_TAG_UNTAGGED or a VLAN id */
};

/* The bond's VLAN tag for a network, SL_TAG_UNTAGGED, or SL_TAG_NONE when
 * the bond does not carry it. */
static uint16_t
tag_on_bond(const struct sl_model *m, const struct sl_bond *b,
	    const struct sl_network *n)
{
	const struct sl_vlan *v;

	TAILQ_FOREACH(v, &m->vlans, next)
		if (v->tagged == b->master && v->untagged->ep.network == n)
			return v->tag ? v->tag : SL_TAG_UNTAGGED;
	return b->master->ep.network == n ? SL_TAG_UNTAGGED : SL_TAG_NONE;
}

/* The guests behind the bond: its networks' plugged VIFs. */
static unsigned int
sources(const struct sl_runtime *rt, const struct sl_bond *b,
	struct source *out, unsigned int max)
{
	const struct sl_vif *v;
	unsigned int n = 0;

	TAILQ_FOREACH(v, &rt->model->vifs, next) {
		uint16_t tag;

		if (v->ep.port_id == SL_PORT_NONE || n == max)
			continue;
		tag = tag_on_bond(rt->model, b, v->ep.network);
		if (tag == SL_TAG_NONE)
			continue;
		out[n].mac = v->ep.mac;
		out[n++].tag = tag;
	}
	return n;
}

/* A RARP request from mac, as a hypervisor sends after moving a guest: the
 * upstream switch learns where mac is now. */
static void
announce(struct sl_runtime *rt, struct sl_bond_rt *br, uint16_t port,
	 const struct source *src)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(rt->pool);
	uint8_t *p;
	size_t off = 0;

	if (!m)
		return;
	p = (uint8_t *)rte_pktmbuf_append(m, 64);
	memset(p, 0, 64);
	memset(p, 0xff, RTE_ETHER_ADDR_LEN);
	memcpy(p + 6, src->mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	off = 12;
	if (src->tag != SL_TAG_UNTAGGED) {
		p[off++] = 0x81;
		p[off++] = 0x00;
		p[off++] = (uint8_t)(src->tag >> 8);
		p[off++] = (uint8_t)src->tag;
	}
	p[off++] = ETHER_TYPE_RARP >> 8;
	p[off++] = ETHER_TYPE_RARP & 0xff;
	/* hardware Ethernet, protocol IPv4, lengths 6 and 4, op 3 */
	const uint8_t arp[8] = { 0, 1, 0x08, 0x00, 6, 4, 0, 3 };

	memcpy(p + off, arp, sizeof(arp));
	off += sizeof(arp);
	memcpy(p + off, src->mac.addr_bytes, 6);	/* sender: mac, 0.0.0.0 */
	memcpy(p + off + 10, src->mac.addr_bytes, 6);	/* target: mac, 0.0.0.0 */
	if (sl_dp_inject(rt->dp, m, port) == 0)
		br->announcements++;
}

static void
announce_all(struct sl_runtime *rt, const struct sl_bond *b, uint16_t port)
{
	struct source src[256];
	unsigned int n = sources(rt, b, src, 256);

	for (unsigned int i = 0; i < n; i++)
		announce(rt, &sl_bonds_rt(rt)->bond[b->index], port, &src[i]);
}

/* The sources in a set of SLB buckets, each on its bucket's member. */
static void
announce_buckets(struct sl_runtime *rt, const struct sl_bond *b,
		 const bool *moved)
{
	struct sl_bond_rt *br = &sl_bonds_rt(rt)->bond[b->index];
	struct source src[256];
	unsigned int n = sources(rt, b, src, 256);

	for (unsigned int i = 0; i < n; i++) {
		uint8_t k = sl_bond_bucket(&src[i].mac);
		const struct sl_bond_member_rt *m = &br->m[br->slb_member[k]];

		if (moved[k] && member_ok(m))
			announce(rt, br, m->port, &src[i]);
	}
}

/* ---- SLB: buckets on members ---------------------------------------------- */

/* Bytes sent per bucket, in total (now) and since the last rebalance. */
static void
bucket_loads(struct sl_runtime *rt, const struct sl_bond *b, uint64_t *now,
	     uint64_t *delta)
{
	struct sl_bond_rt *br = &sl_bonds_rt(rt)->bond[b->index];
	static struct sl_worker_stats sum;	/* 40 KiB: not on the stack */

	sl_dp_stats_sum(rt->dp, &sum);
	for (unsigned int k = 0; k < SL_SLB_BUCKETS; k++) {
		now[k] = sum.slb_bytes[b->index][k];
		delta[k] = now[k] >= br->slb_base[k] ? now[k] - br->slb_base[k] : now[k];
	}
}

/* The up member with the least load; nb_slaves when none is up. */
static unsigned int
least_loaded_up(const struct sl_bond_rt *br, const struct sl_bond *b,
		const uint64_t *load)
{
	unsigned int lo = b->nb_slaves;

	for (unsigned int i = 0; i < b->nb_slaves; i++)
		if (member_ok(&br->m[i]) && (lo == b->nb_slaves || load[i] < load[lo]))
			lo = i;
	return lo;
}

/* A member went down or came up: buckets of members that are down go to
 * the least loaded up ones; a member that came back takes a fair share
 * at the next rebalance (as OVS does). */
static void
slb_failover(struct sl_runtime *rt, const struct sl_bond *b)
{
	struct sl_bond_rt *br = &sl_bonds_rt(rt)->bond[b->index];
	uint64_t now[SL_SLB_BUCKETS], delta[SL_SLB_BUCKETS];
	uint64_t load[SL_BOND_MAX_SLAVES] = { 0 };
	bool moved[SL_SLB_BUCKETS] = { false };
	bool any = false;

	bucket_loads(rt, b, now, delta);
	for (unsigned int k = 0; k < SL_SLB_BUCKETS; k++)
		if (member_ok(&br->m[br->slb_member[k]]))
			load[br->slb_member[k]] += delta[k];
	for (unsigned int k = 0; k < SL_SLB_BUCKETS; k++) {
		unsigned int to;

		if (member_ok(&br->m[br->slb_member[k]]))
			continue;
		to = least_loaded_up(br, b, load);
		if (to == b->nb_slaves)
			return;	/* nothing is up: the datapath drops, counted */
		br->slb_member[k] = (uint8_t)to;
		load[to] += delta[k];
		moved[k] = any = true;
		br->buckets_moved++;
	}
	if (any)
		announce_buckets(rt, b, moved);
}

/* Move the buckets whose load best evens out the members, as OVS's
 * bond_rebalance does: from the busiest member to the idlest, a bucket
 * carrying about half the gap, until they are within SLB_TOLERANCE_PCT. */
static void
slb_rebalance(struct sl_runtime *rt, const struct sl_bond *b)
{
	struct sl_bond_rt *br = &sl_bonds_rt(rt)->bond[b->index];
	uint64_t now[SL_SLB_BUCKETS], delta[SL_SLB_BUCKETS];
	uint64_t load[SL_BOND_MAX_SLAVES] = { 0 }, total = 0;
	bool moved[SL_SLB_BUCKETS] = { false };
	bool any = false;

	bucket_loads(rt, b, now, delta);
	for (unsigned int k = 0; k < SL_SLB_BUCKETS; k++) {
		load[br->slb_member[k]] += delta[k];
		total += delta[k];
	}
	for (int round = 0; round < SLB_MAX_MOVES && total; round++) {
		unsigned int hi = SL_BOND_MAX_SLAVES, lo, best = SL_SLB_BUCKETS;
		uint64_t gap;

		for (unsigned int i = 0; i < b->nb_slaves; i++)
			if (member_ok(&br->m[i]) &&
			    (hi == SL_BOND_MAX_SLAVES || load[i] > load[hi]))
				hi = i;
		lo = least_loaded_up(br, b, load);
		if (hi == SL_BOND_MAX_SLAVES || lo == hi)
			break;
		gap = load[hi] - load[lo];
		if (gap * 100 <= total * SLB_TOLERANCE_PCT)
			break;
		/* the bucket closest to half the gap, never more than it */
		for (unsigned int k = 0; k < SL_SLB_BUCKETS; k++) {
			if (br->slb_member[k] != hi || !delta[k] || delta[k] >= gap)
				continue;
			if (best == SL_SLB_BUCKETS ||
			    (delta[k] > gap / 2 ? delta[k] - gap / 2 : gap / 2 - delta[k]) <
				    (delta[best] > gap / 2 ? delta[best] - gap / 2 :
							     gap / 2 - delta[best]))
				best = k;
		}
		if (best == SL_SLB_BUCKETS)
			break;
		br->slb_member[best] = (uint8_t)lo;
		load[hi] -= delta[best];
		load[lo] += delta[best];
		moved[best] = any = true;
		br->buckets_moved++;
	}
	memcpy(br->slb_base, now, sizeof(now));
	br->rebalances++;
	if (any)
		announce_buckets(rt, b, moved);
}

/* ---- LACP ----------------------------------------------------------------- */

static void
lacp_send(struct sl_runtime *rt, struct sl_bond_member_rt *m, uint64_t now)
{
	struct rte_mbuf *mb = rte_pktmbuf_alloc(rt->pool);
	struct rte_ether_hdr *eth;

	if (!mb)
		return;
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(
		mb, sizeof(*eth) + SL_LACP_PDU_LEN);
	eth->dst_addr = sl_lacp_group;
	eth->src_addr = rt->ports[m->port].mac;
	eth->ether_type = rte_cpu_to_be_16(SL_SLOW_PROTOCOLS_TYPE);
	sl_lacp_encode(&m->lacp, (uint8_t *)(eth + 1), now);
	sl_dp_inject(rt->dp, mb, m->port);
}

/* The bond member on an ethdev port, or NULL. */
static struct sl_bond_member_rt *
member_on_port(struct sl_runtime *rt, uint16_t port)
{
	struct sl_bond *b;

	TAILQ_FOREACH(b, sl_bonds(rt->model), next)
		for (unsigned int i = 0; i < b->nb_slaves; i++)
			if (sl_bonds_rt(rt)->bond[b->index].in_use &&
			    sl_bonds_rt(rt)->bond[b->index].m[i].port == port)
				return &sl_bonds_rt(rt)->bond[b->index].m[i];
	return NULL;
}

/* A marker PDU goes back out of the port it came in on as its response,
 * from our MAC (802.1AX 6.5: we never reorder, so we can answer at once). */
static void
answer_marker(struct sl_runtime *rt, struct rte_mbuf *mb, uint16_t port,
	      uint32_t len)
{
	if (!rte_pktmbuf_is_contiguous(mb) ||
	    sl_lacp_marker_response(rte_pktmbuf_mtod_offset(mb, uint8_t *,
							    RTE_ETHER_HDR_LEN),
				    len) < 0) {
		rte_pktmbuf_free(mb);
		return;
	}
	rte_pktmbuf_mtod(mb, struct rte_ether_hdr *)->src_addr = rt->ports[port].mac;
	sl_dp_inject(rt->dp, mb, port);
}

/* A slow-protocol frame the datapath handed over: an LACPDU updates its
 * member's partner; a marker PDU is answered on the port it came in on. */
void
sl_bonding_punt(struct sl_runtime *rt, struct rte_mbuf *mb, uint64_t now)
{
	uint16_t port = sl_meta(mb)->in_port;
	struct sl_bond_member_rt *m = member_on_port(rt, port);
	uint8_t pdu[SL_LACP_PDU_LEN];
	uint32_t len = rte_pktmbuf_pkt_len(mb) - RTE_ETHER_HDR_LEN;
	const uint8_t *p;

	if (len > sizeof(pdu))
		len = sizeof(pdu);
	p = rte_pktmbuf_read(mb, RTE_ETHER_HDR_LEN, len, pdu);
	if (m && p && len >= 1 && p[0] == SL_SLOW_SUBTYPE_MARKER) {
		answer_marker(rt, mb, port, len);
		return;
	}
	if (m && p)
		sl_lacp_rx(&m->lacp, p, len, now);	/* counts bad ones */
	rte_pktmbuf_free(mb);
}

/* Partners timing out, the aggregate, and the PDUs that are due. Returns
 * true when a member's collecting or distributing changed. */
static bool
lacp_tick(struct sl_runtime *rt, const struct sl_bond *b, uint64_t now)
{
	struct sl_bond_rt *br = &sl_bonds_rt(rt)->bond[b->index];
	struct sl_lacp_port *ports[SL_BOND_MAX_SLAVES];
	bool link_up[SL_BOND_MAX_SLAVES], changed = false;
	uint32_t published;

	for (unsigned int i = 0; i < b->nb_slaves; i++) {
		struct sl_bond_member_rt *m = &br->m[i];

		ports[i] = &m->lacp;
		link_up[i] = member_ok(m);
		changed |= sl_lacp_expire(&m->lacp, link_up[i], now);
	}
	sl_lacp_select(ports, b->nb_slaves, link_up);
	for (unsigned int i = 0; i < b->nb_slaves; i++)
		if (link_up[i] && sl_lacp_tx_due(&br->m[i].lacp, now))
			lacp_send(rt, &br->m[i], now);
	/* what the datapath applies: whether there is an aggregate, and who
	 * collects and distributes (a partner's PDU changes the latter
	 * without changing our own state) */
	published = lacp_aggregated(br, b) ? 1u << 16 : 0;
	for (unsigned int i = 0; i < b->nb_slaves; i++)
		published |= (uint32_t)sl_lacp_distributing(ports[i]) << i |
			     (uint32_t)sl_lacp_collecting(ports[i]) << (i + 8);
	if (published != br->lacp_published) {
		br->lacp_published = published;
		changed = true;
	}
	return changed;
}

/* ---- link monitoring ------------------------------------------------------ */

/* Every miimon: read the members' links; a member is usable once its link
 * has been up for updelay and stops being once it has been down for
 * downdelay. Returns true when the bond changed. */
static bool
monitor(struct sl_runtime *rt, const struct sl_bond *b, uint64_t now)
{
	struct sl_bond_rt *br = &sl_bonds_rt(rt)->bond[b->index];
	uint16_t was_active = br->active;
	bool changed = false;

	for (unsigned int i = 0; i < b->nb_slaves; i++) {
		struct sl_bond_member_rt *m = &br->m[i];
		bool link;

		if (m->port == SL_PORT_NONE)
			continue;
		link = sl_port_link_up(&rt->ports[m->port]);
		if (link != m->link) {
			m->link = link;
			m->link_since_ms = now;
			SL_LOG(NOTICE, "bond %s: member %s link %s\n",
			       b->master->ep.device, b->slaves[i]->ep.device,
			       link ? "up" : "down");
		}
		if (m->up == m->link ||
		    now - m->link_since_ms < (m->link ? b->props.updelay_ms :
							b->props.downdelay_ms))
			continue;
		m->up = m->link;
		changed = true;
		SL_LOG(NOTICE, "bond %s: member %s %s\n", b->master->ep.device,
		       b->slaves[i]->ep.device, m->up ? "enabled" : "disabled");
	}
	if (!changed)
		return false;
	choose_active(br, b);
	if (br->active != was_active && br->active != SL_PORT_NONE) {
		br->failovers++;
		/* upstream switches learn the guests on the new member */
		if (b->mode == SL_BOND_ACTIVE_BACKUP || b->mode == SL_BOND_LACP)
			announce_all(rt, b, br->active);
	}
	if (b->mode == SL_BOND_BALANCE_SLB)
		slb_failover(rt, b);
	return true;
}

bool
sl_bonding_tick(struct sl_runtime *rt, uint64_t now)
{
	struct sl_bond *b;
	bool republish = false;

	if (TAILQ_EMPTY(sl_bonds(rt->model)))
		return false;
	TAILQ_FOREACH(b, sl_bonds(rt->model), next) {
		struct sl_bond_rt *br = &sl_bonds_rt(rt)->bond[b->index];

		if (!br->in_use || b->master->ep.port_id == SL_PORT_NONE)
			continue;
		if (now >= br->next_monitor_ms) {
			br->next_monitor_ms = now + b->props.miimon_ms;
			republish |= monitor(rt, b, now);
		}
		if (b->mode == SL_BOND_LACP)
			republish |= lacp_tick(rt, b, now);
		/* (an interval shortened by bond-param-set applies at once) */
		if (b->mode == SL_BOND_BALANCE_SLB && b->props.rebalance_ms &&
		    (now >= br->next_rebalance_ms ||
		     br->next_rebalance_ms > now + b->props.rebalance_ms)) {
			br->next_rebalance_ms = now + b->props.rebalance_ms;
			slb_rebalance(rt, b);
			republish = true;
		}
	}
	return republish;
}

/* ---- bond-show ------------------------------------------------------------ */

static json_t *
lacp_info_json(const struct sl_lacp_info *i)
{
	char state[128], sys[SL_MAC_STR_LEN];

	sl_lacp_state_names(i->state, state, sizeof(state));
	sl_mac_format(sys, &i->sys);
	return json_pack("{s:s, s:i, s:i, s:i, s:i, s:s}", "system", sys,
			 "system-priority", i->sys_prio, "key", i->key,
			 "port", i->port, "port-priority", i->port_prio,
			 "state", state);
}

static json_t *
lacp_json(const struct sl_lacp_port *p)
{
	return json_pack("{s:o, s:o*, s:b, s:b, s:I, s:I, s:I}",
			 "actor", lacp_info_json(&p->actor),
			 "partner", p->partner_valid ? lacp_info_json(&p->partner) : NULL,
			 "collecting", sl_lacp_collecting(p),
			 "distributing", sl_lacp_distributing(p),
			 "pdus-received", (json_int_t)p->rx,
			 "pdus-sent", (json_int_t)p->tx,
			 "pdus-malformed", (json_int_t)p->rx_bad);
}

/* Which member carries a guest's frames, as ../datapath/bond.c chooses it:
 * a device, "all" (broadcast), "per-flow" (a hash of ports) or "" (none). */
static const char *
member_of_source(const struct sl_bond_rt *br, const struct sl_bond *b,
		 const struct rte_ether_addr *mac)
{
	unsigned int k = sl_bond_bucket(mac), tx[SL_BOND_MAX_SLAVES], nb = 0;
	const struct sl_bond_member_rt *m = &br->m[br->slb_member[k]];

	switch (b->mode) {
	case SL_BOND_BROADCAST:
		return "all";
	case SL_BOND_BALANCE_TCP:
		return "per-flow";
	case SL_BOND_BALANCE_SLB:
		return member_ok(m) ? b->slaves[br->slb_member[k]]->ep.device : "";
	case SL_BOND_LACP:
		if (!lacp_aggregated(br, b))
			break;	/* falling back: the active one, if any */
		if (b->props.hash_tcpudp)
			return "per-flow";
		for (unsigned int i = 0; i < b->nb_slaves; i++)
			if (member_ok(&br->m[i]) && sl_lacp_distributing(&br->m[i].lacp))
				tx[nb++] = i;
		return nb ? b->slaves[tx[k % nb]]->ep.device : "";
	default:
		break;
	}
	for (unsigned int i = 0; i < b->nb_slaves; i++)
		if (br->m[i].port != SL_PORT_NONE && br->m[i].port == br->active)
			return b->slaves[i]->ep.device;
	return "";
}

json_t *
sl_bonding_show(struct sl_runtime *rt, const struct sl_bond *b)
{
	struct sl_bond_rt *br = &sl_bonds_rt(rt)->bond[b->index];
	json_t *members = json_array(), *srcs = json_array();
	struct source src[256];
	unsigned int n = sources(rt, b, src, 256);
	char mac[SL_MAC_STR_LEN];
	const char *lacp = NULL;

	for (unsigned int i = 0; i < b->nb_slaves; i++) {
		const struct sl_bond_member_rt *m = &br->m[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b}",
				      "PIF", b->slaves[i]->ep.uuid,
				      "device", b->slaves[i]->ep.device,
				      "link", m->port != SL_PORT_NONE && m->link ? "up" : "down",
				      "state", member_ok(m) ? "enabled" : "disabled",
				      "active", m->port != SL_PORT_NONE && m->port == br->active);

		if (b->mode == SL_BOND_LACP)
			json_object_set_new(o, "lacp", lacp_json(&m->lacp));
		json_array_append_new(members, o);
	}
	for (unsigned int i = 0; i < n; i++) {
		sl_mac_format(mac, &src[i].mac);
		json_array_append_new(srcs,
			json_pack("{s:s, s:i, s:s}", "MAC", mac,
				  "bucket", sl_bond_bucket(&src[i].mac),
				  "member", member_of_source(br, b, &src[i].mac)));
	}
	if (b->mode == SL_BOND_LACP)
		lacp = lacp_aggregated(br, b) ? "negotiated" :
		       b->props.fallback_ab ? "fallback-active-backup" : "no-partner";
	return json_pack("{s:s, s:s, s:s, s:s*, s:o, s:o, s:I, s:I, s:I, s:I}",
			 "uuid", b->uuid, "device", b->master->ep.device,
			 "mode", sl_bond_mode_name(b->mode), "lacp", lacp,
			 "members", members,
			 "sources", srcs,
			 "failovers", (json_int_t)br->failovers,
			 "rebalances", (json_int_t)br->rebalances,
			 "buckets-moved", (json_int_t)br->buckets_moved,
			 "announcements", (json_int_t)br->announcements);
}

static void
add_bond_counter(json_t *families, const char *name, const char *help,
		 json_t *labels, uint64_t value)
{
	sl_metric_add_u64(sl_metric_family(families, name, SL_METRIC_COUNTER, help),
			  json_copy(labels), value);
}

void
sl_bonding_metrics(const struct sl_runtime *rt, json_t *families)
{
	json_t *up = sl_metric_family(families, "sluice_bond_member_up",
		SL_METRIC_GAUGE, "1 if the bond member may carry traffic (attached, link up for updelay)");
	json_t *active = sl_metric_family(families, "sluice_bond_member_active",
		SL_METRIC_GAUGE, "1 for the member active-backup and SLB failover send by");
	const struct sl_bond *b;

	TAILQ_FOREACH(b, sl_bonds(rt->model), next) {
		const struct sl_bond_rt *br = &sl_bonds_rt(rt)->bond[b->index];
		json_t *labels = json_pack("{s:s, s:s}", "bond", b->master->ep.device,
					   "mode", sl_bond_mode_name(b->mode));

		for (unsigned int i = 0; i < b->nb_slaves; i++) {
			const struct sl_bond_member_rt *m = &br->m[i];
			json_t *l = json_copy(labels);

			json_object_set_new(l, "member",
					    json_string(b->slaves[i]->ep.device));
			sl_metric_add_u64(up, json_copy(l), member_ok(m));
			sl_metric_add_u64(active, l, m->port != SL_PORT_NONE &&
						     m->port == br->active);
		}
		add_bond_counter(families, "sluice_bond_failovers_total",
				 "Changes of the active member", labels, br->failovers);
		add_bond_counter(families, "sluice_bond_rebalances_total",
				 "SLB rebalancing rounds that moved sources", labels,
				 br->rebalances);
		add_bond_counter(families, "sluice_bond_buckets_moved_total",
				 "Source-MAC buckets moved to another member", labels,
				 br->buckets_moved);
		add_bond_counter(families, "sluice_bond_announcements_total",
				 "RARP announcements sent after a change", labels,
				 br->announcements);
		if (b->mode == SL_BOND_LACP)
			sl_metric_add_u64(sl_metric_family(families,
				"sluice_bond_lacp_negotiated", SL_METRIC_GAUGE,
				"1 if an LACP bond's members aggregate with a partner"),
				json_copy(labels), lacp_aggregated(br, b));
		json_decref(labels);
	}
}

/* Take a bond down and forget it; its members come back as PIFs of their
 * own networks, plugged as the bond was. */
void
sl_runtime_bond_destroy(struct sl_runtime *rt, struct sl_bond *b)
{
	bool was_plugged = b->master->ep.plugged;
	uint16_t index = b->index;
	struct sl_pif *slaves[SL_BOND_MAX_SLAVES];
	unsigned int n = b->nb_slaves;

	memcpy(slaves, b->slaves, sizeof(slaves));
	sl_runtime_unplug(rt, &b->master->ep);
	sl_model_bond_remove(rt->model, b);
	sl_bonding_forget(rt, index);
	for (unsigned int i = 0; i < n; i++)
		slaves[i]->ep.plugged = was_plugged;
	sl_runtime_apply(rt);
}
