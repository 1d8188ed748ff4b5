/* SPDX-License-Identifier: BSD-3-Clause */
/* The plan's bonds → sluice's bonds (ovsdb_map.c's part for bonds). */
#include <stdio.h>
#include <string.h>

#include "bond_model.h"
#include "bond_runtime.h"
#include "log.h"
#include "ovsdb_map.h"
#include "ovsdb_port.h"

/* Whether bond b is what the plan asks for: the same members, mode and
 * properties on the same network. */
bool
sl_ovsdb_bond_wanted(const struct sl_ovsdb_plan *plan, const struct sl_bond *b)
{
	const struct sl_ovsdb_bond *pb = sl_ovsdb_plan_bond(plan, b->master->ep.uuid);

	if (!pb || strcmp(b->master->ep.network->uuid, pb->net_uuid) != 0 ||
	    b->mode != pb->mode || b->nb_slaves != pb->n ||
	    json_equal(b->properties, pb->props) != 1)
		return false;
	for (unsigned int i = 0; i < b->nb_slaves; i++) {
		bool in = false;

		for (unsigned int j = 0; j < pb->n; j++)
			in |= strcmp(pb->members[j], b->slaves[i]->ep.uuid) == 0;
		if (!in || !sl_ovsdb_same_port(b->slaves[i],
				      sl_ovsdb_plan_iface(plan, b->slaves[i]->ep.uuid)))
			return false;
	}
	return true;
}

/* Bonds that go, once the VLANs on them have. */
bool
sl_ovsdb_remove_stale_bonds(struct sl_ovsdb *o, const struct sl_ovsdb_plan *plan)
{
	struct sl_model *m = o->rt->model;
	struct sl_bond *b, *bn;
	bool any = false;

	/* a bond that goes gives its members back as PIFs, which stay or
	 * go as the plan says */
	for (b = TAILQ_FIRST(sl_bonds(m)); b; b = bn) {
		bn = TAILQ_NEXT(b, next);
		if (sl_ovsdb_bond_wanted(plan, b))
			continue;
		struct sl_pif *members[SL_BOND_MAX_SLAVES];
		unsigned int n = b->nb_slaves;

		SL_LOG(NOTICE, "database: bond %s removed or changed\n",
		       b->master->ep.device);
		memcpy(members, b->slaves, sizeof(members));
		sl_runtime_bond_destroy(o->rt, b);
		/* its members are the database's ports again */
		for (unsigned int i = 0; i < n; i++)
			members[i]->ep.role = &sl_ovsdb_port_role;
		any = true;
	}
	return any;
}

/* A bond's member's error, on each of its interfaces. */
static void
fail_bond(struct sl_ovsdb_plan *plan, const struct sl_ovsdb_bond *pb,
	  const char *why)
{
	for (unsigned int i = 0; i < pb->n; i++) {
		struct sl_ovsdb_iface *w = sl_ovsdb_plan_iface(plan, pb->members[i]);

		if (w && !w->error[0])
			snprintf(w->error, sizeof(w->error), "bond %.64s: %.400s",
				 pb->name, why);
	}
}

/* The bonds that are missing, over their members' PIFs. */
bool
sl_ovsdb_add_bonds(struct sl_ovsdb *o, struct sl_ovsdb_plan *plan)
{
	struct sl_model *m = o->rt->model;
	bool any = false;

	for (size_t i = 0; i < plan->n_bonds; i++) {
		const struct sl_ovsdb_bond *pb = &plan->bonds[i];
		struct sl_network *net = sl_model_network_find(m, pb->net_uuid);
		struct sl_pif *slaves[SL_BOND_MAX_SLAVES];
		struct rte_ether_addr mac;
		struct sl_err err = { 0 };
		struct sl_bond *b;
		unsigned int n = 0;

		if (sl_model_endpoint_find(m, pb->uuid, false) || !net)
			continue;
		for (unsigned int j = 0; j < pb->n; j++) {
			struct sl_endpoint *ep = sl_model_endpoint_find(m, pb->members[j], false);

			if (ep)
				slaves[n++] = SL_PIF_OF(ep);
		}
		b = n == pb->n ? sl_model_bond_add(m, NULL, pb->uuid, net, slaves, n,
						   pb->mode, pb->props, &err) : NULL;
		if (!b) {
			fail_bond(plan, pb, err.msg[0] ? err.msg :
				  "its interfaces could not be set up");
			continue;
		}
		/* the Port's name, which ovs-appctl bond/show takes */
		if (!sl_model_device_taken(m, pb->name, false, -1) &&
		    sl_check_device("name", pb->name, &err) == 0)
			snprintf(b->master->ep.device, sizeof(b->master->ep.device),
				 "%s", pb->name);
		if (pb->mac && rte_ether_unformat_addr(pb->mac, &mac) == 0) {
			b->master->ep.mac = mac;
			b->master->ep.mac_set = true;
		}
		b->master->ep.plugged = true;
		SL_LOG(NOTICE, "database: bond %s of %u interfaces added (%s)\n",
		       b->master->ep.device, n, sl_bond_mode_name(b->mode));
		any = true;
	}
	return any;
}
