/* SPDX-License-Identifier: BSD-3-Clause */
/* SR-IOV networks in the state file: an SR-IOV network is its logical
 * PIF's object in "pifs", after its PF's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sriov_model.h"
#include "model.h"
#include "state.h"
#include "sriov_feature.h"

/* An SR-IOV network's PIF: it comes after its PF's PIF, and VLANs on it
 * after it. */
struct sl_pif *
sl_sriov_load_pif(struct sl_model *m, json_t *o, const struct sl_state_pif *pif,
		  struct sl_err *err)
{
	const char *sriov_uuid, *pf_uuid;
	struct sl_endpoint *pf;
	struct sl_sriov *s;
	json_error_t je;

	if (json_unpack_ex(o, &je, JSON_STRICT, "{s:s, s:s}",
			   "sriov-logical-PIF-of", &sriov_uuid,
			   "sriov-physical-PIF", &pf_uuid) != 0) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID, "%s", je.text);
		return NULL;
	}
	pf = sl_model_endpoint_find(m, pf_uuid, false);
	if (!pf) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID,
			   "sriov-physical-PIF: no PIF %s before this one", pf_uuid);
		return NULL;
	}
	s = sl_model_sriov_add(m, sriov_uuid, pif->uuid, SL_PIF_OF(pf),
			       pif->network, err);
	return s ? s->logical : NULL;
}

/* An SR-IOV network's PIF in the state file: the network-sriov and its PF. */
void
sl_sriov_save_pif(const struct sl_pif *p, json_t *o)
{
	const struct sl_sriov *s = sl_sriov_of_pif(p);

	if (!s)
		return;
	json_object_set_new(o, "sriov-logical-PIF-of", json_string(s->uuid));
	json_object_set_new(o, "sriov-physical-PIF",
			    json_string(s->physical->ep.uuid));
}

/* A VF's VIF: which VF is whose is checked here, what the NIC has is
 * checked when it is programmed again (sl_runtime_sriov_restore). */
int
sl_sriov_load_vif(struct sl_model *m, json_t *o, struct sl_err *err)
{
	json_t *index = json_object_get(o, "VF"), *rest;
	struct sl_sriov_vf_user *u;
	const struct sl_vif *other;
	struct sl_sriov *s;
	struct sl_vif *v;
	uint16_t vlan;
	json_int_t vf;

	if (!json_is_integer(index))
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "VF: a VF index (an integer)");
	vf = json_integer_value(index);
	if (vf < 0 || vf >= SL_SRIOV_MAX_VFS)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "VF: %lld is not a VF index (0..%d)", (long long)vf,
				  SL_SRIOV_MAX_VFS - 1);
	u = calloc(1, sizeof(*u));
	rest = json_copy(o);
	if (!u || !rest) {
		free(u);
		json_decref(rest);
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	}
	u->vf = SL_VF_NONE;
	json_object_del(rest, "VF");
	v = sl_state_load_vif(m, rest, &sl_sriov_vf_role, u, err);
	json_decref(rest);
	if (!v) {
		free(u);
		return -1;
	}
	s = sl_model_network_sriov(m, v->ep.network, &vlan);
	if (!s) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID,
			   "VF: network %s is not an SR-IOV network",
			   v->ep.network->bridge);
		sl_model_vif_remove(m, v);
		return -1;
	}
	other = sl_model_sriov_vf_user(m, s, (int)vf);
	if (other) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID,
			   "VF: VF %lld of %s is already VIF %s's", (long long)vf,
			   s->physical->ep.device, other->ep.uuid);
		sl_model_vif_remove(m, v);
		return -1;
	}
	u->vf = (int)vf;
	return 0;
}

void
sl_sriov_save_vif(const struct sl_vif *v, json_t *o)
{
	int vf = sl_sriov_vf_index(v);

	if (vf != SL_VF_NONE)
		json_object_set_new(o, "VF", json_integer(vf));
}
