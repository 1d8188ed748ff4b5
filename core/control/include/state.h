/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_STATE_H
#define SL_STATE_H

#include <jansson.h>

#include "model.h"

/* Load path into an empty model. Returns 0, 1 when the file does not exist
 * (nothing loaded), or -1 with err saying what is wrong and where. */
int sl_state_load(struct sl_model *m, const char *path, struct sl_err *err);
int sl_state_from_json(struct sl_model *m, json_t *root, struct sl_err *err);

json_t *sl_state_to_json(const struct sl_model *m);
/* Atomic: the file holds the old or the new state, never a mix. */
int sl_state_save(const struct sl_model *m, const char *path,
		  struct sl_err *err);

#endif
