/* SPDX-License-Identifier: BSD-3-Clause */
/* SR-IOV as the core sees it (feature.h): its commands, its PIFs and VIFs
 * in the state file and the records, its PFs, its VIFs made as VFs. */
#include "ctl.h"
#include "feature.h"
#include "sriov_feature.h"
#include "sriov_runtime.h"

/* reset-networking: every SR-IOV network with its PIF and the VLANs on
 * it; its VFs' VIFs go too (a VF is a piece of the PF, which goes), their
 * VFs cleared first. */
static unsigned int
sriov_reset_networking(struct sl_runtime *rt, json_t *result)
{
	unsigned int n = 0, networks = 0, vfs = 0;
	struct sl_vif *v, *after;
	struct sl_sriov *s;
	uint16_t vlan;

	while ((s = TAILQ_FIRST(sl_sriovs(rt->model)))) {
		for (v = TAILQ_FIRST(&rt->model->vifs); v; v = after) {
			after = TAILQ_NEXT(v, next);
			if (sl_sriov_vf_of(v) &&
			    sl_model_network_sriov(rt->model, v->ep.network,
						   &vlan) == s) {
				sl_runtime_vf_release(rt, v);
				sl_runtime_vif_destroy(rt, v);
				vfs++;
			}
		}
		n += sl_runtime_vlans_destroy_on(rt, s->logical);
		sl_runtime_sriov_disable(rt, s);
		sl_model_sriov_remove(rt->model, s);
		n++;	/* its PIF */
		networks++;
	}
	json_object_set_new(result, "sriov-networks-removed", json_integer(networks));
	json_object_set_new(result, "VF-VIFs-removed", json_integer(vfs));
	return n;
}

const struct sl_feature sl_sriov_feature = {
	.name = "sriov",
	.model_part = &sl_sriov_model_part,
	.handlers = sl_sriov_handlers,
	.pif_key = "sriov-logical-PIF-of",
	.load_pif = sl_sriov_load_pif,
	.save_pif = sl_sriov_save_pif,
	.vif_key = "VF",
	.load_vif = sl_sriov_load_vif,
	.save_vif = sl_sriov_save_vif,
	.pif_fields = sl_sriov_pif_fields,
	.pif_record = sl_sriov_pif_record,
	.vif_fields = sl_sriov_vif_fields,
	.vif_record = sl_sriov_vif_record,
	.refuse_pif = sl_sriov_refuse_pif,
	.vif_create = sl_sriov_vif_create,
	.ports_ready = sl_runtime_sriov_restore,
	.reset_networking = sriov_reset_networking,
};
