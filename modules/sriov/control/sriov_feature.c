/* SPDX-License-Identifier: BSD-3-Clause */
/* SR-IOV as the core sees it (feature.h): its commands, its PIFs and VIFs
 * in the state file and the records, its PFs, its VIFs made as VFs. */
#include "ctl.h"
#include "feature.h"
#include "sriov_feature.h"
#include "sriov_runtime.h"

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
};
