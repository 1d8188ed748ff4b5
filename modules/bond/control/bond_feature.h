/* SPDX-License-Identifier: BSD-3-Clause */
/* What bond_feature.c binds into the feature's struct sl_feature:
 * private to the module. */
#ifndef SL_BOND_FEATURE_H
#define SL_BOND_FEATURE_H

#include <jansson.h>

#include "ctl.h"
#include "model.h"

/* bond_commands.c */
extern const struct sl_command sl_bond_handlers[];

/* bond_state.c: its part of the state file */
struct sl_pif *sl_bond_load_pif(struct sl_model *m, json_t *o,
				const struct sl_state_pif *pif,
				struct sl_err *err);
void sl_bond_save_pif(const struct sl_pif *p, json_t *o);

/* bond_roles.c: records */
extern const char *const sl_bond_pif_fields[];
void sl_bond_pif_record(const struct sl_model *m, const struct sl_pif *p,
			json_t *r);

#endif
