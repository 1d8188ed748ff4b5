/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a PIF or a VIF is to a feature when it is more than a port of a
 * network: a PIF the feature made (a bond's PIF, a tunnel's access PIF, an
 * SR-IOV network's PIF), a PIF it took as a part of one of its objects (a
 * bond's member), a VIF it serves itself (an SR-IOV VF).
 *
 * The feature describes each role once, in a struct sl_role; the endpoint
 * points at the role and at the feature's object (ep->role, ep->role_of).
 * So the core's objects carry no pointer per feature, and the core asks the
 * role (is there a port? may I plug it?), never the feature's types.
 */
#ifndef SL_ROLE_H
#define SL_ROLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_error.h"

struct sl_endpoint;
struct sl_endpoint_spec;
struct sl_model;
struct sl_network;
struct sl_pif;
struct sl_runtime;

/* Whose port an endpoint of a role is. */
enum sl_role_port {
	/* its own, opened from its devargs (a bond's member) */
	SL_ROLE_OWN_PORT,
	/* a port the feature numbers (a bond's PIF: its logical port) */
	SL_ROLE_LOGICAL_PORT,
	/* none of sluice's (a tunnel's access PIF, an SR-IOV network's PIF,
	 * a VF's VIF) */
	SL_ROLE_NO_PORT,
};

/* What the core is about to do to an endpoint, or with it. */
enum sl_role_action {
	SL_ACT_PLUG,
	SL_ACT_UNPLUG,
	SL_ACT_FORGET,		/* pif-forget, or the VIF's vif-destroy */
	SL_ACT_SET_DEVARGS,
	SL_ACT_SET_OFFLOADS,	/* ethtool-* keys of other-config */
	SL_ACT_TAG,		/* a VLAN on it; arg: the VLAN's network */
	SL_ACT_MOVE,		/* vif-move */
	SL_ACT_JOIN,		/* a new endpoint on its network */
	SL_ACT_MOVE_IN,		/* a VIF moved to its network */
	SL_ACT_NETWORK_DESTROY,	/* its network; arg: the network */
	SL_ACT_TAKE,		/* a feature takes its port (a bond member) */
};

struct sl_role {
	enum sl_role_port port;
	/* A VLAN on such a PIF is of its kind too (an SR-IOV network's:
	 * no port either, its PF's device). */
	bool vlans_alike;
	/* A port as Open vSwitch sees one (the database's): a guest's or
	 * the uplink, it may be on any network, a private one too. */
	bool any_network;
	/* LOGICAL_PORT: its port while plugged. OWN_PORT: the logical
	 * port it serves (a member: its bond's); NULL when it serves none. */
	uint16_t (*logical_port)(const void *object);
	/* OWN_PORT: whether it wants its port open (a member: while its
	 * bond's PIF is plugged); NULL: while plugged. */
	bool (*wants_port)(const struct sl_endpoint *ep);
	/* -1 with err if the core may not do a to ep, which has this role
	 * (SL_ACT_TAG, SL_ACT_NETWORK_DESTROY: arg is the network). NULL,
	 * or 0: the core goes on. */
	int (*refuse)(const struct sl_model *m, const struct sl_endpoint *ep,
		      enum sl_role_action a, const void *arg,
		      struct sl_err *err);
	/* -1 with err if a new endpoint (SL_ACT_JOIN: spec, with the role it
	 * will have) or a moved VIF (SL_ACT_MOVE_IN) may not be on the
	 * network of p, a PIF of this role or a VLAN on one. */
	int (*refuse_join)(const struct sl_model *m, const struct sl_pif *p,
			   const struct sl_endpoint_spec *spec, bool is_vif,
			   enum sl_role_action a, struct sl_err *err);
	/* What the endpoint is, for another feature's refusal to take it
	 * ("a tunnel's own PIF", "a member of bond bond0"), and the error
	 * code of that refusal. */
	void (*describe)(const struct sl_endpoint *ep, char *buf, size_t len);
	enum sl_error_code taken_code;
	/* Before ep goes by a command (vif-destroy): undo what the feature
	 * set up outside sluice for it (a VF's MAC and VLAN). */
	void (*release)(struct sl_runtime *rt, struct sl_endpoint *ep);
	/* ep leaves the model: its object forgets it (and frees what was
	 * ep's alone). */
	void (*forget)(struct sl_endpoint *ep);
};

/* The role's refusal of a for ep, or 0 when ep has no role or the role
 * does not refuse. */
int sl_role_refuse(const struct sl_model *m, const struct sl_endpoint *ep,
		   enum sl_role_action a, const void *arg, struct sl_err *err);

/* Whether a feature may take p as a part of its object (a tunnel's
 * transport, an SR-IOV PF, a bond's member): -1 with err (the role's code,
 * "<param>: PIF <uuid> is <what it is>: <why>") when p is a feature's own
 * PIF with no port (or a VLAN on one whose VLANs are alike), a member of
 * a feature's object, or (logical_ok false) a PIF with a logical port.
 * (What uses p without a role, a tunnel over it, is the features'
 * refuse_pif with SL_ACT_TAKE.) */
int sl_role_refuse_taking(const struct sl_pif *p, bool logical_ok,
			  const char *param, const char *why,
			  struct sl_err *err);

#endif
