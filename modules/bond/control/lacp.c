/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>

#include "lacp.h"

const struct rte_ether_addr sl_lacp_group = {
	{ 0x01, 0x80, 0xc2, 0x00, 0x00, 0x02 }
};

#define TLV_ACTOR 1
#define TLV_PARTNER 2
#define TLV_COLLECTOR 3
#define TLV_MARKER_INFO 1
#define TLV_MARKER_RESPONSE 2
#define INFO_LEN 20

#define FAST_PERIOD_MS 1000
#define SLOW_PERIOD_MS 30000
#define SHORT_TIMEOUT_MS 3000
#define LONG_TIMEOUT_MS 90000
/* 802.1AX: no more than three PDUs in any second */
#define MIN_GAP_MS 334	/* 3 in any 1000 ms window */

void
sl_lacp_init(struct sl_lacp_port *p, const struct rte_ether_addr *sys,
	     uint16_t key, uint16_t port_no, bool fast)
{
	memset(p, 0, sizeof(*p));
	p->actor.sys_prio = 65535;
	p->actor.sys = *sys;
	p->actor.key = key;
	p->actor.port_prio = 255;
	p->actor.port = port_no;
	p->fast = fast;
	p->actor.state = SL_LACP_ACTIVITY | SL_LACP_AGGREGATION |
			 SL_LACP_DEFAULTED | (fast ? SL_LACP_TIMEOUT : 0);
	p->ntt = true;
}

static void
put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static uint16_t
get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void
put_info(uint8_t *b, uint8_t type, const struct sl_lacp_info *i)
{
	b[0] = type;
	b[1] = INFO_LEN;
	put16(b + 2, i->sys_prio);
	memcpy(b + 4, i->sys.addr_bytes, RTE_ETHER_ADDR_LEN);
	put16(b + 10, i->key);
	put16(b + 12, i->port_prio);
	put16(b + 14, i->port);
	b[16] = i->state;
}

static void
get_info(const uint8_t *b, struct sl_lacp_info *i)
{
	i->sys_prio = get16(b + 2);
	memcpy(i->sys.addr_bytes, b + 4, RTE_ETHER_ADDR_LEN);
	i->key = get16(b + 10);
	i->port_prio = get16(b + 12);
	i->port = get16(b + 14);
	i->state = b[16];
}

static bool
same_info(const struct sl_lacp_info *a, const struct sl_lacp_info *b)
{
	return a->sys_prio == b->sys_prio && rte_is_same_ether_addr(&a->sys, &b->sys) &&
	       a->key == b->key && a->port_prio == b->port_prio &&
	       a->port == b->port && a->state == b->state;
}

int
sl_lacp_rx(struct sl_lacp_port *p, const uint8_t *pdu, size_t len,
	   uint64_t now_ms)
{
	struct sl_lacp_info them, us;

	if (len < 2 + 2 * INFO_LEN || pdu[0] != SL_SLOW_SUBTYPE_LACP || pdu[1] < 1 ||
	    pdu[2] != TLV_ACTOR || pdu[3] != INFO_LEN ||
	    pdu[22] != TLV_PARTNER || pdu[23] != INFO_LEN) {
		p->rx_bad++;
		return -EINVAL;
	}
	get_info(pdu + 2, &them);
	get_info(pdu + 22, &us);
	p->rx++;
	if (!p->partner_valid || !same_info(&p->partner, &them))
		p->ntt = true;
	p->partner = them;
	p->partner_valid = true;
	p->expires_ms = now_ms + ((p->actor.state & SL_LACP_TIMEOUT) ?
				  SHORT_TIMEOUT_MS : LONG_TIMEOUT_MS);
	/* the partner's view of us is out of date: tell it again */
	if (!same_info(&us, &p->actor))
		p->ntt = true;
	return 0;
}

bool
sl_lacp_expire(struct sl_lacp_port *p, bool link_up, uint64_t now_ms)
{
	if (!p->partner_valid || (link_up && now_ms < p->expires_ms))
		return false;
	p->partner_valid = false;
	memset(&p->partner, 0, sizeof(p->partner));
	p->ntt = true;
	return true;
}

bool
sl_lacp_select(struct sl_lacp_port *const *ports, unsigned int n,
	       const bool *link_up)
{
	const struct sl_lacp_info *agg = NULL;
	bool changed = false;

	/* the aggregate is the partner system and key of the first member
	 * with a partner: members facing anything else stay out of it */
	for (unsigned int i = 0; i < n && !agg; i++)
		if (ports[i]->partner_valid && link_up[i])
			agg = &ports[i]->partner;
	for (unsigned int i = 0; i < n; i++) {
		struct sl_lacp_port *p = ports[i];
		bool selected = agg && p->partner_valid && link_up[i] &&
				rte_is_same_ether_addr(&p->partner.sys, &agg->sys) &&
				p->partner.key == agg->key;
		uint8_t state = SL_LACP_ACTIVITY | SL_LACP_AGGREGATION |
				(p->fast ? SL_LACP_TIMEOUT : 0);

		if (!p->partner_valid)
			state |= SL_LACP_DEFAULTED;
		if (selected)
			state |= SL_LACP_SYNC;
		if (selected && (p->partner.state & SL_LACP_SYNC))
			state |= SL_LACP_COLLECTING | SL_LACP_DISTRIBUTING;
		if (state != p->actor.state) {
			p->actor.state = state;
			p->ntt = true;
			changed = true;
		}
	}
	return changed;
}

bool
sl_lacp_tx_due(struct sl_lacp_port *p, uint64_t now_ms)
{
	if (now_ms - p->last_tx_ms < MIN_GAP_MS && p->last_tx_ms)
		return false;
	return p->ntt || now_ms >= p->next_tx_ms;
}

void
sl_lacp_encode(struct sl_lacp_port *p, uint8_t *pdu, uint64_t now_ms)
{
	/* fast while the partner asks for it or is not known yet, so that
	 * an aggregate forms in seconds, not half a minute */
	bool fast = !p->partner_valid || (p->partner.state & SL_LACP_TIMEOUT);

	memset(pdu, 0, SL_LACP_PDU_LEN);
	pdu[0] = SL_SLOW_SUBTYPE_LACP;
	pdu[1] = 1;
	put_info(pdu + 2, TLV_ACTOR, &p->actor);
	put_info(pdu + 22, TLV_PARTNER, &p->partner);
	pdu[42] = TLV_COLLECTOR;
	pdu[43] = 16;
	/* max delay 0, then reserved and the terminator: all zero */
	p->tx++;
	p->ntt = false;
	p->last_tx_ms = now_ms;
	p->next_tx_ms = now_ms + (fast ? FAST_PERIOD_MS : SLOW_PERIOD_MS);
}

bool
sl_lacp_distributing(const struct sl_lacp_port *p)
{
	return (p->actor.state & SL_LACP_DISTRIBUTING) &&
	       (p->partner.state & SL_LACP_COLLECTING);
}

bool
sl_lacp_collecting(const struct sl_lacp_port *p)
{
	return p->actor.state & SL_LACP_COLLECTING;
}

void
sl_lacp_state_names(uint8_t state, char *out, size_t outlen)
{
	static const char *const names[8] = {
		"activity", "short-timeout", "aggregation", "sync",
		"collecting", "distributing", "defaulted", "expired",
	};
	size_t n = 0;

	out[0] = '\0';
	for (int b = 0; b < 8 && n < outlen; b++)
		if (state & (1 << b))
			n += (size_t)snprintf(out + n, outlen - n, "%s%s",
					      n ? "," : "", names[b]);
}

int
sl_lacp_marker_response(uint8_t *pdu, size_t len)
{
	if (len < 4 || pdu[0] != SL_SLOW_SUBTYPE_MARKER || pdu[2] != TLV_MARKER_INFO)
		return -EINVAL;
	pdu[2] = TLV_MARKER_RESPONSE;
	return 0;
}
