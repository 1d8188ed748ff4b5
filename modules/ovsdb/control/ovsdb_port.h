/* SPDX-License-Identifier: BSD-3-Clause */
/* The database's ports in the model and the state file (ovsdb_port.c). */
#ifndef SL_OVSDB_PORT_H
#define SL_OVSDB_PORT_H

#include <jansson.h>

#include "model.h"
#include "role.h"

struct sl_state_pif;

#define SL_OVSDB_PORT_KEY "ovsdb-port"

extern const struct sl_role sl_ovsdb_port_role;

/* The feature's state hooks (feature.h: pif_key, save_pif, load_pif). */
void sl_ovsdb_save_port(const struct sl_pif *p, json_t *o);
struct sl_pif *sl_ovsdb_load_port(struct sl_model *m, json_t *o,
				  const struct sl_state_pif *pif,
				  struct sl_err *err);

#endif
