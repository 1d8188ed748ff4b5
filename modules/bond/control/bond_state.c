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
struct sl_pif *
sl_bond_load_pif(struct sl_model *m, json_t *o, const struct sl_state_pif *pif,
		 struct sl_err *err)
{
	const char *bond_uuid, *mode_s;
	json_t *slaves_j, *props = NULL, *item;
	struct sl_pif *slaves[SL_BOND_MAX_SLAVES];
	enum sl_bond_mode mode;
	struct sl_bond *b;
	json_error_t je;
	unsigned int n = 0;
	size_t i;

	if (json_unpack_ex(o, &je, JSON_STRICT, "{s:s, s:o, s:s, s?o}",
			   "bond-master-of", &bond_uuid, "bond-slaves", &slaves_j,
			   "bond-mode", &mode_s, "bond-properties", &props) != 0) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID, "%s", je.text);
		return NULL;
	}
	if (!json_is_array(slaves_j) || json_array_size(slaves_j) > SL_BOND_MAX_SLAVES) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID,
			   "bond-slaves: a list of at most %d PIF uuids",
			   SL_BOND_MAX_SLAVES);
		return NULL;
	}
	json_array_foreach(slaves_j, i, item) {
		const char *su = json_string_value(item);
		struct sl_endpoint *ep = su ? sl_model_endpoint_find(m, su, false) : NULL;

		if (!ep) {
			sl_err_set(err, SL_E_STATE_FILE_INVALID,
				   "bond-slaves: no PIF %s before this one",
				   su ? su : "(not a string)");
			return NULL;
		}
		slaves[n++] = SL_PIF_OF(ep);
	}
	if (sl_bond_mode_parse("bond-mode", mode_s, &mode, err) < 0)
		return NULL;
	b = sl_model_bond_add(m, bond_uuid, pif->uuid, pif->network, slaves, n,
			      mode, props, err);
	return b ? b->master : NULL;
}

/* A bond's PIF in the state file: its members, mode and properties. */
void
sl_bond_save_pif(const struct sl_pif *p, json_t *o)
{
	const struct sl_bond *b = sl_bond_of_pif(p);
	json_t *slaves;

	if (!b)
		return;
	slaves = json_array();
	for (unsigned int i = 0; i < b->nb_slaves; i++)
		json_array_append_new(slaves, json_string(b->slaves[i]->ep.uuid));
	json_object_set_new(o, "bond-master-of", json_string(b->uuid));
	json_object_set_new(o, "bond-slaves", slaves);
	json_object_set_new(o, "bond-mode", json_string(sl_bond_mode_name(b->mode)));
	json_object_set_new(o, "bond-properties", json_deep_copy(b->properties));
}
