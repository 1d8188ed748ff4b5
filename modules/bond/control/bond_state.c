/* SPDX-License-Identifier: BSD-3-Clause */
/* Bonds in the state file: a bond is its PIF's object in "pifs", after
 * its members'. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "bond_model.h"
#include "model.h"
#include "state.h"
#include "bond_feature.h"

/* A bond's PIF: it comes after its members. */
int
sl_bond_load_pif(struct sl_model *m, json_t *o, struct sl_err *err)
{
	const char *uuid, *device, *net_uuid, *bond_uuid, *mode_s;
	int vlan = -1, mtu = 0, plugged = 1, management = 0;
	json_t *oc = NULL, *slaves_j, *props = NULL, *item;
	struct sl_pif *slaves[SL_BOND_MAX_SLAVES];
	enum sl_bond_mode mode;
	struct sl_network *net;
	struct sl_bond *b;
	json_error_t je;
	unsigned int n = 0;
	size_t i;

	if (json_unpack_ex(o, &je, JSON_STRICT,
			   "{s:s, s:s, s:s, s?i, s:s, s:o, s:s, s?o, s?b, s?i, s?b, s?o}",
			   "uuid", &uuid, "device", &device, "network-uuid",
			   &net_uuid, "VLAN", &vlan, "bond-master-of", &bond_uuid,
			   "bond-slaves", &slaves_j, "bond-mode", &mode_s,
			   "bond-properties", &props, "management", &management,
			   "MTU", &mtu, "currently-attached", &plugged,
			   "other-config", &oc) != 0)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID, "%s", je.text);
	if (!json_is_array(slaves_j) || json_array_size(slaves_j) > SL_BOND_MAX_SLAVES)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "bond-slaves: a list of at most %d PIF uuids",
				  SL_BOND_MAX_SLAVES);
	json_array_foreach(slaves_j, i, item) {
		const char *su = json_string_value(item);
		struct sl_endpoint *ep = su ? sl_model_endpoint_find(m, su, false) : NULL;

		if (!ep)
			return sl_err_set(err, SL_E_STATE_FILE_INVALID,
					  "bond-slaves: no PIF %s before this one",
					  su ? su : "(not a string)");
		slaves[n++] = SL_PIF_OF(ep);
	}
	net = sl_model_network_find(m, net_uuid);
	if (!net)
		return sl_err_set(err, SL_E_HANDLE_INVALID,
				  "network-uuid: no network has uuid %s", net_uuid);
	if (sl_bond_mode_parse("bond-mode", mode_s, &mode, err) < 0 ||
	    (json_object_get(o, "MTU") && sl_check_mtu("MTU", mtu, err) < 0))
		return -1;
	b = sl_model_bond_add(m, bond_uuid, uuid, net, slaves, n, mode, props, err);
	if (!b)
		return -1;
	if (strcmp(device, b->master->ep.device) != 0)
		snprintf(b->master->ep.device, sizeof(b->master->ep.device), "%s", device);
	return sl_state_saved_fields(m, b->master, plugged, management, mtu, oc,
				     err);
}

/* A bond's PIF in the state file: its members, mode and properties. */
void
sl_bond_save_pif(const struct sl_pif *p, json_t *o)
{
	const struct sl_bond *b = sl_bond_of_pif(p);
	json_t *slaves;

	if (!b)
		return;
	/* its ports are its members', its MAC their first's */
	json_object_del(o, "devargs");
	json_object_del(o, "MAC");
	slaves = json_array();
	for (unsigned int i = 0; i < b->nb_slaves; i++)
		json_array_append_new(slaves, json_string(b->slaves[i]->ep.uuid));
	json_object_set_new(o, "bond-master-of", json_string(b->uuid));
	json_object_set_new(o, "bond-slaves", slaves);
	json_object_set_new(o, "bond-mode", json_string(sl_bond_mode_name(b->mode)));
	json_object_set_new(o, "bond-properties", json_deep_copy(b->properties));
}
