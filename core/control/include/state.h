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

/* The root's key that holds the format's version. */
#define SL_STATE_FORMAT_KEY "sluice-state"

/* Load path into an empty model. Returns 0, 1 when the file does not exist
 * (nothing loaded), or -1 with err saying what is wrong and where. */
int sl_state_load(struct sl_model *m, const struct sl_feature *const *features,
		  const char *path, struct sl_err *err);
int sl_state_from_json(struct sl_model *m,
		       const struct sl_feature *const *features, json_t *root,
		       struct sl_err *err);

/* A state file's JSON, or NULL with err saying why (not readable, not
 * JSON: where). */
json_t *sl_state_read(const char *path, struct sl_err *err);

json_t *sl_state_to_json(const struct sl_model *m,
			 const struct sl_feature *const *features);
/* The same without the features' own keys of the root (state_key). */
json_t *sl_state_core_to_json(const struct sl_model *m,
			      const struct sl_feature *const *features);
/* Atomic: the file holds the old or the new state, never a mix. */
int sl_state_save(const struct sl_model *m,
		  const struct sl_feature *const *features, const char *path,
		  struct sl_err *err);

/* An item of a feature's list in the state file (struct sl_feature's
 * state_items): its "id" and a hash of everything the state file holds of
 * it (sl_state_hash), so that the journal records only the items that
 * changed. index: where it is in the feature's list, for state_item. */
struct sl_state_item {
	uint64_t id, hash;
	size_t index;
};
/* FNV-1a over n bytes of p, going on from h (SL_STATE_HASH_START). */
#define SL_STATE_HASH_START 0xcbf29ce484222325ULL
uint64_t sl_state_hash(uint64_t h, const void *p, size_t n);

/* What every PIF a VLAN or a feature made (a bond's, a tunnel's, an
 * SR-IOV network's) has in the state file, read by the core and taken out
 * of its object before the feature's load_pif reads the rest. The core
 * gives the PIF load_pif makes (with this uuid, on this network) the rest
 * afterwards: its device name, plugged, management, MTU, other-config. */
struct sl_state_pif {
	char uuid[SL_UUID_LEN + 1];
	char device[SL_DEVICE_NAME_MAX];
	struct sl_network *network;
	int vlan;			/* "VLAN": -1 when not given */
	int mtu;			/* 0: the network's */
	bool plugged, management;
	json_t *other_config;		/* NULL: none */
};
/* A VIF's object of "vifs" (the feature's own keys taken out) added as a
 * VIF of role (no port when the role has none), or NULL with err. For the
 * features' load_vif. */
struct sl_vif *sl_state_load_vif(struct sl_model *m, json_t *o,
				 const struct sl_role *role, void *role_of,
				 struct sl_err *err);

#endif
