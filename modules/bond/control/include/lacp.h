/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LACP (IEEE 802.1AX) for one bond member, as the control thread runs it:
 * what we tell the partner (actor), what it told us (partner), and when to
 * speak. Coupled control: a member collects and distributes as soon as both
 * ends agree it belongs to the aggregate. Pure functions over a state and a
 * clock; frames go in and out through the caller.
 */
#ifndef SL_LACP_H
#define SL_LACP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#define SL_LACP_ACTIVITY 0x01
#define SL_LACP_TIMEOUT 0x02	/* short timeout: the partner sends fast */
#define SL_LACP_AGGREGATION 0x04
#define SL_LACP_SYNC 0x08
#define SL_LACP_COLLECTING 0x10
#define SL_LACP_DISTRIBUTING 0x20
#define SL_LACP_DEFAULTED 0x40
#define SL_LACP_EXPIRED 0x80

#define SL_LACP_PDU_LEN 110	/* after the Ethernet header */
#define SL_SLOW_PROTOCOLS_TYPE 0x8809
#define SL_SLOW_SUBTYPE_LACP 1
#define SL_SLOW_SUBTYPE_MARKER 2

extern const struct rte_ether_addr sl_lacp_group;	/* 01:80:c2:00:00:02 */

struct sl_lacp_info {
	uint16_t sys_prio;
	struct rte_ether_addr sys;
	uint16_t key;
	uint16_t port_prio;
	uint16_t port;
	uint8_t state;
};

struct sl_lacp_port {
	struct sl_lacp_info actor, partner;
	bool partner_valid;
	bool fast;		/* lacp-time=fast: we ask for a short timeout */
	bool ntt;		/* need to transmit */
	uint64_t expires_ms;	/* the partner's info is stale then */
	uint64_t next_tx_ms, last_tx_ms;
	uint64_t rx, tx, rx_bad;
};

void sl_lacp_init(struct sl_lacp_port *p, const struct rte_ether_addr *sys,
		  uint16_t key, uint16_t port_no, bool fast);
/* A received slow-protocols PDU (after the Ethernet header). Returns 0,
 * or -EINVAL when it is not a well-formed LACPDU (counted in rx_bad). */
int sl_lacp_rx(struct sl_lacp_port *p, const uint8_t *pdu, size_t len,
	       uint64_t now_ms);
/* Forget a partner that went quiet, or whose link is down. Returns true
 * when that changed anything. */
bool sl_lacp_expire(struct sl_lacp_port *p, bool link_up, uint64_t now_ms);
/* Choose the aggregate among a bond's members and set each actor's state.
 * Returns true when a state changed. */
bool sl_lacp_select(struct sl_lacp_port *const *ports, unsigned int n,
		    const bool *link_up);
/* Whether a PDU is due now (periodic, or a state changed). */
bool sl_lacp_tx_due(struct sl_lacp_port *p, uint64_t now_ms);
/* Write the LACPDU (SL_LACP_PDU_LEN bytes) and count it sent. */
void sl_lacp_encode(struct sl_lacp_port *p, uint8_t *pdu, uint64_t now_ms);

bool sl_lacp_distributing(const struct sl_lacp_port *p);
bool sl_lacp_collecting(const struct sl_lacp_port *p);
/* "activity,aggregation,sync,..." */
void sl_lacp_state_names(uint8_t state, char *out, size_t outlen);

/* A marker information PDU turned into its response in place. Returns 0,
 * or -EINVAL when pdu is not one. */
int sl_lacp_marker_response(uint8_t *pdu, size_t len);

#endif
