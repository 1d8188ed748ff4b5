/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a bond's PIFs are to the core (role.h): the bond's own PIF is its
 * logical port over its members' ports; a member has a port of its own
 * but serves the bond, which plugs and unplugs it. And what the PIF
 * records say of them.
 */
#include <stdio.h>

#include "bond_model.h"
#include "bond_feature.h"
#include "sl_port.h"

static uint16_t
bond_port(const void *object)
{
	const struct sl_bond *b = object;

	return SL_BOND_PORT(b->index);
}

static int
pif_refuse(const struct sl_model *m, const struct sl_endpoint *ep,
	   enum sl_role_action a, const void *arg, struct sl_err *err)
{
	const struct sl_bond *b = ep->role_of;

	(void)m;
	(void)arg;
	switch (a) {
	case SL_ACT_FORGET:
		return sl_err_set(err, SL_E_PIF_IS_BOND_MASTER,
				  "PIF %s is bond %s's own: bond-destroy uuid=%s instead",
				  ep->device, b->uuid, b->uuid);
	case SL_ACT_SET_DEVARGS:
		return sl_err_set(err, SL_E_PIF_IS_BOND_MASTER,
				  "devargs: a bond's PIF is its members' ports");
	case SL_ACT_SET_OFFLOADS:
		return sl_err_set(err, SL_E_OFFLOAD_NOT_SUPPORTED,
				  "other-config: a bond's PIF has no port of its own: set ethtool-* on its members");
	default:
		return 0;
	}
}

static void
pif_describe(const struct sl_endpoint *ep, char *buf, size_t len)
{
	snprintf(buf, len, "bond %s's own PIF",
		 ((const struct sl_bond *)ep->role_of)->uuid);
}

const struct sl_role sl_bond_pif_role = {
	.port = SL_ROLE_LOGICAL_PORT,
	.logical_port = bond_port,
	.refuse = pif_refuse,
	.describe = pif_describe,
	.taken_code = SL_E_PIF_ALREADY_BONDED,
};

/* A member serves its bond: up while the bond's PIF is. */
static bool
member_wants_port(const struct sl_endpoint *ep)
{
	return ((const struct sl_bond *)ep->role_of)->master->ep.plugged;
}

/* A bond's member is driven by its bond; it goes with bond-destroy. */
static int
member_refuse(const struct sl_model *m, const struct sl_endpoint *ep,
	      enum sl_role_action a, const void *arg, struct sl_err *err)
{
	const struct sl_bond *b = ep->role_of;

	(void)m;
	(void)arg;
	switch (a) {
	case SL_ACT_PLUG:
	case SL_ACT_UNPLUG:
		return sl_err_set(err, SL_E_CANNOT_PLUG_BOND_SLAVE,
				  "PIF %s is a member of bond %s: it cannot be %s on its own",
				  ep->device, b->master->ep.device,
				  a == SL_ACT_PLUG ? "plugged" : "unplugged");
	case SL_ACT_FORGET:
		return sl_err_set(err, SL_E_PIF_ALREADY_BONDED,
				  "PIF %s is a member of bond %s: bond-destroy it first",
				  ep->device, b->uuid);
	case SL_ACT_TAG:
		return sl_err_set(err, SL_E_PIF_ALREADY_BONDED,
				  "pif-uuid: PIF %s is a member of bond %s: tag the bond's PIF instead",
				  ep->device, b->master->ep.device);
	default:
		return 0;
	}
}

static void
member_describe(const struct sl_endpoint *ep, char *buf, size_t len)
{
	snprintf(buf, len, "a member of bond %s",
		 ((const struct sl_bond *)ep->role_of)->master->ep.device);
}

const struct sl_role sl_bond_member_role = {
	.port = SL_ROLE_OWN_PORT,
	.logical_port = bond_port,
	.wants_port = member_wants_port,
	.refuse = member_refuse,
	.describe = member_describe,
	.taken_code = SL_E_PIF_ALREADY_BONDED,
};

const char *const sl_bond_pif_fields[] = {
	"bond-master-of", "bond-slave-of", NULL
};

void
sl_bond_pif_record(const struct sl_model *m, const struct sl_pif *p, json_t *r)
{
	const struct sl_bond *own = sl_bond_of_pif(p), *of = sl_bond_with_member(p);

	(void)m;
	json_object_set_new(r, "bond-master-of", json_string(own ? own->uuid : ""));
	json_object_set_new(r, "bond-slave-of", json_string(of ? of->uuid : ""));
}
