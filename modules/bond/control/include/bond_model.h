/* SPDX-License-Identifier: BSD-3-Clause */
/* Bonds in the model (bond_model.c); the types are model.h's. */
#ifndef SL_BOND_MODEL_H
#define SL_BOND_MODEL_H

#include <jansson.h>

#include "model.h"

/* "balance-slb", "active-backup", "balance-tcp", "lacp", "broadcast". */
const char *sl_bond_mode_name(enum sl_bond_mode mode);
int sl_bond_mode_parse(const char *what, const char *s, enum sl_bond_mode *out,
		       struct sl_err *err);
/* Parse a properties map (string values) over the defaults; names the
 * property that is wrong. */
int sl_bond_props_parse(json_t *props, struct sl_bond_props *out,
			struct sl_err *err);
/* A bond of slaves (2..8 physical PIFs) and its PIF (unplugged) on net.
 * uuids may be NULL. The management interface moves to the bond. */
struct sl_bond *sl_model_bond_add(struct sl_model *m, const char *uuid,
				  const char *master_uuid,
				  struct sl_network *net,
				  struct sl_pif *const *slaves, unsigned int n,
				  enum sl_bond_mode mode, json_t *properties,
				  struct sl_err *err);
/* Remove a bond and its PIF (detached by the caller); the slaves are
 * PIFs of their own again. */
void sl_model_bond_remove(struct sl_model *m, struct sl_bond *b);
struct sl_bond *sl_model_bond_find(const struct sl_model *m, const char *uuid);

#endif
