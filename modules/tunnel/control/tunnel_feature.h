/* SPDX-License-Identifier: BSD-3-Clause */
/* What tunnel_feature.c binds into the feature's struct sl_feature:
 * private to the module. */
#ifndef SL_TUNNEL_FEATURE_H
#define SL_TUNNEL_FEATURE_H

#include <jansson.h>

#include "ctl.h"
#include "model.h"

/* tunnel_commands.c */
extern const struct sl_command sl_tunnel_handlers[];

/* tunnel_state.c: its part of the state file */
struct sl_pif *sl_tunnel_load_pif(struct sl_model *m, json_t *o,
				const struct sl_state_pif *pif,
				struct sl_err *err);
void sl_tunnel_save_pif(const struct sl_pif *p, json_t *o);

/* tunnel_roles.c: transport PIFs, records */
int sl_tunnel_refuse_pif(const struct sl_model *m, const struct sl_pif *p,
			 enum sl_role_action a, struct sl_err *err);
extern const char *const sl_tunnel_pif_fields[];
void sl_tunnel_pif_record(const struct sl_model *m, const struct sl_pif *p,
			  json_t *r);

#endif
