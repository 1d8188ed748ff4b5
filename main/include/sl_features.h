/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_FEATURE_LIST_H
#define SL_FEATURE_LIST_H

#include "feature.h"

/* Every feature sluiced runs, NULL-terminated (made by the build from
 * meson.build's module list: main/features.c.in). */
extern const struct sl_feature *const sl_features[];

#endif
