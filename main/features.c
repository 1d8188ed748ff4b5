/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The features sluiced runs: the one place that names them. A new feature
 * is a folder of modules/ (docs/architecture.md, "How to add a feature"),
 * a line in meson.build's module list and a line here; the runtime and
 * the control socket call each through its struct sl_feature, in this
 * order. An explicit list, not constructors: a static library drops what
 * nothing references.
 */
#include <stddef.h>

#include "sl_features.h"

extern const struct sl_feature sl_bond_feature, sl_rules_feature,
	sl_tunnel_feature, sl_sriov_feature;

const struct sl_feature *const sl_features[] = {
	&sl_bond_feature,
	&sl_rules_feature,
	&sl_tunnel_feature,
	&sl_sriov_feature,
	NULL,
};
