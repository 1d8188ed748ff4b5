/* SPDX-License-Identifier: BSD-3-Clause */
/* What the core asks of an endpoint's role (role.h). */
#include <stdio.h>

#include "model.h"
#include "role.h"

int
sl_role_refuse(const struct sl_model *m, const struct sl_endpoint *ep,
	       enum sl_role_action a, const void *arg, struct sl_err *err)
{
	if (!ep->role || !ep->role->refuse)
		return 0;
	return ep->role->refuse(m, ep, a, arg, err);
}

int
sl_role_refuse_taking(const struct sl_pif *p, bool logical_ok,
		      const char *param, const char *why, struct sl_err *err)
{
	/* a VLAN on a feature's PIF is of its kind (an SR-IOV network's) */
	const struct sl_role *r = sl_pif_kind(p);
	const struct sl_pif *owner = p->vlan_master_of ?
				     p->vlan_master_of->tagged : p;
	char what[SL_ERRMSG_MAX / 2] = "a feature's PIF";

	if (!r || (r->port == SL_ROLE_LOGICAL_PORT && logical_ok))
		return 0;
	if (r->port == SL_ROLE_OWN_PORT && !r->logical_port)
		return 0;	/* a port of its own, serving nothing else */
	if (r->describe)
		r->describe(&owner->ep, what, sizeof(what));
	return sl_err_set(err, r->taken_code, "%s: PIF %s is %s: %s", param,
			  p->ep.uuid, what, why);
}
