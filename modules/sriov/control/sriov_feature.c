/* SPDX-License-Identifier: BSD-3-Clause */
/* SR-IOV as the core sees it (feature.h): its commands. */
#include "ctl.h"
#include "feature.h"
#include "sriov_feature.h"

const struct sl_feature sl_sriov_feature = {
	.name = "sriov",
	.handlers = sl_sriov_handlers,
	.pif_key = "sriov-logical-PIF-of",
	.load_pif = sl_sriov_load_pif,
	.save_pif = sl_sriov_save_pif,
};
