/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bonds at run time, on the control thread: which members are up (link
 * monitoring with miimon, updelay and downdelay), which one is active, the
 * SLB bucket map and its rebalancing by measured load, LACP, and the RARP
 * announcements that make upstream switches relearn after a change. The
 * datapath applies what this publishes in each snapshot (modules/bond/datapath/bond.c).
 */
#ifndef SL_BONDING_H
#define SL_BONDING_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "lacp.h"
#include "model.h"
#include "runtime.h"
#include "sl_snapshot.h"

struct sl_runtime;
struct sl_dedup;

struct sl_bond_member_rt {
	uint16_t port;		/* ethdev port, SL_PORT_NONE when not attached */
	bool up;		/* usable: link up for updelay */
	bool link;		/* the link as last read */
	uint64_t link_since_ms;	/* when it last changed */
	struct sl_lacp_port lacp;
};

struct sl_bond_rt {
	bool in_use;
	struct sl_bond_member_rt m[SL_BOND_MAX_SLAVES];
	uint16_t active;	/* port of the member carrying traffic */
	uint8_t slb_member[SL_SLB_BUCKETS];	/* bucket → member index */
	uint64_t slb_base[SL_SLB_BUCKETS];	/* bytes at the last rebalance */
	uint64_t next_monitor_ms, next_rebalance_ms;
	uint32_t lacp_published;	/* aggregate and members' roles, as last published */
	struct sl_dedup *dedup;
	uint64_t failovers, rebalances, buckets_moved, announcements;
};

/* Every bond's run-time state: the bond feature's own runtime state
 * (sl_feature_runtime). */
struct sl_bonds_rt {
	struct sl_bond_rt bond[SL_MAX_BONDS];
};

extern const struct sl_feature sl_bond_feature;

static inline struct sl_bonds_rt *
sl_bonds_rt(const struct sl_runtime *rt)
{
	return sl_feature_runtime(rt, &sl_bond_feature);
}

/* Bring a bond's run-time state in line with its members' ports (after an
 * apply attached or detached some). */
void sl_bonding_sync(struct sl_runtime *rt, struct sl_bond *b);
/* Forget the run-time state of a bond that is gone. */
void sl_bonding_forget(struct sl_runtime *rt, uint16_t index);
/* The bond's part of a snapshot: s->bonds[index] and its members' ports. */
void sl_bonding_fill(struct sl_runtime *rt, const struct sl_bond *b,
		     struct sl_snapshot *s);
/* Every few milliseconds: links, LACP, rebalancing. Returns true when the
 * datapath needs a new snapshot. */
bool sl_bonding_tick(struct sl_runtime *rt, uint64_t now_ms);
/* A slow-protocol frame from a bond member (the datapath's punt ring);
 * takes mb. */
void sl_bonding_punt(struct sl_runtime *rt, struct rte_mbuf *mb,
		     uint64_t now_ms);
/* Its metrics (metric.h): members up and active, failovers, LACP. */
void sl_bonding_metrics(const struct sl_runtime *rt, json_t *families);
/* What bond-show prints. */
json_t *sl_bonding_show(struct sl_runtime *rt, const struct sl_bond *b);

/* Take a bond down and forget it; its members come back as PIFs of their
 * own networks. */
void sl_runtime_bond_destroy(struct sl_runtime *rt, struct sl_bond *b);

#endif
