/* SPDX-License-Identifier: BSD-3-Clause */
/* SR-IOV networks in the model (sriov_model.c); the types are model.h's. */
#ifndef SL_SRIOV_MODEL_H
#define SL_SRIOV_MODEL_H

#include <jansson.h>

#include "model.h"

/* SR-IOV of physical (a physical PIF) for net, which must have no PIF or
 * VIF yet; makes its logical PIF (plugged). uuids may be NULL. */
struct sl_sriov *sl_model_sriov_add(struct sl_model *m, const char *uuid,
				    const char *logical_uuid,
				    struct sl_pif *physical,
				    struct sl_network *net, struct sl_err *err);
/* Remove it and its logical PIF (no VLAN or VIF may be left on it). */
void sl_model_sriov_remove(struct sl_model *m, struct sl_sriov *s);
struct sl_sriov *sl_model_sriov_find(const struct sl_model *m,
				     const char *uuid);
/* VIFs holding a VF of s. */
unsigned int sl_model_sriov_vifs(const struct sl_model *m,
				 const struct sl_sriov *s);

#endif
