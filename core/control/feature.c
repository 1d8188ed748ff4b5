/* SPDX-License-Identifier: BSD-3-Clause */
/* What the core asks of every feature at once (feature.h). */
#include <stdio.h>

#include "feature.h"
#include "runtime.h"

int
sl_features_check_other_config(const struct sl_feature *const *features,
			       enum sl_object_kind kind, json_t *oc,
			       struct sl_err *err)
{
	SL_FEATURE_FOREACH(f, features)
		if ((*f)->check_other_config &&
		    (*f)->check_other_config(kind, oc, err) < 0)
			return -1;
	return 0;
}

bool
sl_features_other_config_changed(const struct sl_feature *const *features,
				 enum sl_object_kind kind, json_t *before,
				 json_t *after)
{
	bool changed = false;

	SL_FEATURE_FOREACH(f, features)
		if ((*f)->other_config_changed)
			changed |= (*f)->other_config_changed(kind, before, after);
	return changed;
}

bool
sl_features_port_name(const struct sl_runtime *rt, uint16_t port, char *buf,
		      size_t len)
{
	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->port_name && (*f)->port_name(rt, port, buf, len))
			return true;
	return false;
}

bool
sl_runtime_port_name(const struct sl_runtime *rt, uint16_t port, char *buf,
		     size_t len)
{
	const struct sl_endpoint *ep = sl_model_endpoint_by_port(rt->model, port);

	if (ep) {
		snprintf(buf, len, "%s", ep->device);
		return true;
	}
	return sl_features_port_name(rt, port, buf, len);
}

bool
sl_features_ready(const struct sl_runtime *rt)
{
	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->ready && !(*f)->ready(rt))
			return false;
	return true;
}

int
sl_features_refuse_pif(const struct sl_feature *const *features,
		       const struct sl_model *m, const struct sl_pif *p,
		       enum sl_role_action a, struct sl_err *err)
{
	SL_FEATURE_FOREACH(f, features)
		if ((*f)->refuse_pif && (*f)->refuse_pif(m, p, a, err) < 0)
			return -1;
	return 0;
}
