/* SPDX-License-Identifier: BSD-3-Clause */
/* What sriov_feature.c binds into the feature's struct sl_feature:
 * private to the module. */
#ifndef SL_SRIOV_FEATURE_H
#define SL_SRIOV_FEATURE_H

#include <jansson.h>

#include "ctl.h"
#include "model.h"

/* sriov_commands.c */
extern const struct sl_command sl_sriov_handlers[];

/* sriov_state.c: its part of the state file */
int sl_sriov_load_pif(struct sl_model *m, json_t *o, struct sl_err *err);
void sl_sriov_save_pif(const struct sl_pif *p, json_t *o);

#endif
