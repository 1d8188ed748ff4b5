/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What an Interface of the database is in sluice's model: a PIF with the
 * role "a port of the database" (role.h), so that it is told apart from
 * what sluicectl made, may be a port of a private network (to OVS a
 * guest's VIF is a port like any other), and comes back as the
 * database's from the state file ("ovsdb-port": true).
 */
#include <string.h>

#include "ovsdb_port.h"
#include "state.h"

static void
port_describe(const struct sl_endpoint *ep, char *buf, size_t len)
{
	(void)ep;
	snprintf(buf, len, "a port of the Open_vSwitch database");
}

const struct sl_role sl_ovsdb_port_role = {
	.port = SL_ROLE_OWN_PORT,
	.any_network = true,
	.describe = port_describe,
	.taken_code = SL_E_DATABASE_OWNED,
};

void
sl_ovsdb_save_port(const struct sl_pif *p, json_t *o)
{
	if (p->ep.role == &sl_ovsdb_port_role)
		json_object_set_new(o, SL_OVSDB_PORT_KEY, json_true());
}

struct sl_pif *
sl_ovsdb_load_port(struct sl_model *m, json_t *o,
		   const struct sl_state_pif *pif, struct sl_err *err)
{
	const char *devargs = NULL, *mac = NULL;
	json_error_t je;
	int yes = 0;
	struct sl_endpoint_spec spec = {
		.uuid = pif->uuid, .device = pif->device,
		.network_uuid = pif->network->uuid, .vlan = -1,
		.role = &sl_ovsdb_port_role,
	};

	if (json_unpack_ex(o, &je, JSON_STRICT, "{s:b, s:s, s?s}",
			   SL_OVSDB_PORT_KEY, &yes, "devargs", &devargs,
			   "MAC", &mac) != 0) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID, "%s", je.text);
		return NULL;
	}
	spec.devargs = devargs;
	spec.mac = mac;
	return sl_model_pif_add(m, &spec, err);
}
