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
int sl_sriov_vif_create(struct sl_ctl *ctl, struct sl_args *a,
			struct sl_network *n, struct sl_endpoint_spec *spec,
			json_t **result, struct sl_err *err);

/* sriov_state.c: its part of the state file */
struct sl_pif *sl_sriov_load_pif(struct sl_model *m, json_t *o,
				const struct sl_state_pif *pif,
				struct sl_err *err);
void sl_sriov_save_pif(const struct sl_pif *p, json_t *o);
int sl_sriov_load_vif(struct sl_model *m, json_t *o, struct sl_err *err);
void sl_sriov_save_vif(const struct sl_vif *v, json_t *o);

/* sriov_roles.c: PFs, records */
int sl_sriov_refuse_pif(const struct sl_model *m, const struct sl_pif *p,
			enum sl_role_action a, struct sl_err *err);
extern const char *const sl_sriov_pif_fields[];
void sl_sriov_pif_record(const struct sl_model *m, const struct sl_pif *p,
			 json_t *r);
extern const char *const sl_sriov_vif_fields[];
void sl_sriov_vif_record(const struct sl_model *m, const struct sl_vif *v,
			 json_t *r);

#endif
