/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The state file: the model as JSON. The core reads and writes its own
 * objects; each feature of features (NULL-terminated) its PIFs and its own
 * key of the root (struct sl_feature's state hooks).
 */
#ifndef SL_STATE_H
#define SL_STATE_H

#include <jansson.h>

#include "model.h"

struct sl_feature;

/* Load path into an empty model. Returns 0, 1 when the file does not exist
 * (nothing loaded), or -1 with err saying what is wrong and where. */
int sl_state_load(struct sl_model *m, const struct sl_feature *const *features,
		  const char *path, struct sl_err *err);
int sl_state_from_json(struct sl_model *m,
		       const struct sl_feature *const *features, json_t *root,
		       struct sl_err *err);

json_t *sl_state_to_json(const struct sl_model *m,
			 const struct sl_feature *const *features);
/* Atomic: the file holds the old or the new state, never a mix. */
int sl_state_save(const struct sl_model *m,
		  const struct sl_feature *const *features, const char *path,
		  struct sl_err *err);

/* What the state file says of a PIF a VLAN, a bond, a tunnel or an SR-IOV
 * network made: plugged, management, MTU (0: the network's), other-config
 * (NULL: none), checked as the model checks it: 0, or -1 with err. For
 * the features' load_pif. */
int sl_state_saved_fields(const struct sl_model *m, struct sl_pif *p,
			  int plugged, int management, int mtu, json_t *oc,
			  struct sl_err *err);
/* A VIF's object of "vifs" (the feature's own keys taken out) added as a
 * VIF of role (no port when the role has none), or NULL with err. For the
 * features' load_vif. */
struct sl_vif *sl_state_load_vif(struct sl_model *m, json_t *o,
				 const struct sl_role *role, void *role_of,
				 struct sl_err *err);

#endif
