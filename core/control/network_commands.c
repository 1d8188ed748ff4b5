/* SPDX-License-Identifier: BSD-3-Clause */
/* network-create, -destroy, -list, -param-get/-set/-list/-remove */
#include <string.h>

#include "ctl.h"

static int
network_create(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	       struct sl_err *err)
{
	struct sl_network_spec spec = {
		.name_description = sl_arg(a, "name-description"),
		.bridge = sl_arg(a, "bridge"),
	};
	json_t *oc = json_object();
	struct sl_network *n;
	const char *mtu = sl_arg(a, "MTU");
	long v;

	if (sl_arg_required(a, "name-label", &spec.name_label, err) < 0 ||
	    (mtu && sl_parse_long("MTU", mtu, SL_MTU_MIN, SL_MTU_MAX, &v, err) < 0) ||
	    sl_other_config_set(a, oc, err) < 0) {
		json_decref(oc);
		return -1;
	}
	spec.mtu = mtu ? (int)v : 0;
	spec.other_config = oc;
	n = sl_model_network_add(ctl->model, &spec, err);
	json_decref(oc);
	if (!n)
		return -1;
	sl_runtime_apply(ctl->rt);
	*result = json_string(n->uuid);
	return 0;
}

static int
network_destroy(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		struct sl_err *err)
{
	struct sl_network *n = sl_arg_network(ctl, a, "uuid", err);
	unsigned int pifs, vifs;
	const struct sl_pif *p;

	if (!n)
		return -1;
	/* a feature's PIF on it says how the network can go */
	TAILQ_FOREACH(p, &ctl->model->pifs, next)
		if (p->ep.network == n &&
		    sl_role_refuse(ctl->model, &p->ep, SL_ACT_NETWORK_DESTROY,
				   n, err) < 0)
			return -1;
	pifs = sl_model_network_pifs(ctl->model, n);
	vifs = sl_model_network_vifs(ctl->model, n);
	if (pifs)
		return sl_err_set(err, SL_E_NETWORK_CONTAINS_PIF,
				  "network %s (%s) still has %u PIF(s): pif-forget them first",
				  n->uuid, n->bridge, pifs);
	if (vifs)
		return sl_err_set(err, SL_E_NETWORK_CONTAINS_VIF,
				  "network %s (%s) still has %u VIF(s): vif-destroy them first",
				  n->uuid, n->bridge, vifs);
	if (sl_runtime_network_destroy(ctl->rt, n, err) < 0)
		return -1;
	*result = json_null();
	return 0;
}

static int
network_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	     struct sl_err *err)
{
	json_t *all = json_array();
	const struct sl_network *n;

	TAILQ_FOREACH(n, &ctl->model->networks, next)
		json_array_append_new(all, sl_network_record(ctl->model, n));
	return sl_list_filter(a, sl_network_fields, all, result, err);
}

static int
network_param_get(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		  struct sl_err *err)
{
	struct sl_network *n = sl_arg_network(ctl, a, "uuid", err);
	json_t *rec;
	int rc;

	if (!n)
		return -1;
	rec = sl_network_record(ctl->model, n);
	rc = sl_param_get(a, rec, result, err);
	json_decref(rec);
	return rc;
}

static int
network_param_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		   struct sl_err *err)
{
	struct sl_network *n = sl_arg_network(ctl, a, "uuid", err);

	if (!n)
		return -1;
	*result = sl_network_record(ctl->model, n);
	return 0;
}

static bool
port_too_small(struct sl_ctl *ctl, const struct sl_endpoint *ep, long mtu,
	       struct sl_err *err)
{
	uint16_t max;

	if (ep->port_id == SL_PORT_NONE)
		return false;
	max = sl_runtime_port_max_mtu(ctl->rt, ep->port_id);
	if (mtu <= max)
		return false;
	sl_err_set(err, SL_E_MTU_CHECK_FAILED,
		   "MTU: %s %s is on a port whose PMD carries at most %u",
		   ep->is_vif ? "VIF" : "PIF", ep->device, max);
	return true;
}

/* Everything is checked before anything changes: a bad argument leaves the
 * network as it was. */
static int
network_param_set(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		  struct sl_err *err)
{
	struct sl_network *n = sl_arg_network(ctl, a, "uuid", err);
	const char *label = sl_arg(a, "name-label"),
		   *desc = sl_arg(a, "name-description"), *mtu = sl_arg(a, "MTU");
	json_t *oc;
	long v = 0;

	if (!n)
		return -1;
	if (sl_arg(a, "bridge"))
		return sl_err_set(err, SL_E_FIELD_READ_ONLY,
				  "bridge: a network's bridge cannot be changed");
	if ((label && sl_check_text("name-label", label, SL_NAME_LABEL_MAX, err) < 0) ||
	    (desc && sl_check_text("name-description", desc, SL_NAME_LABEL_MAX, err) < 0) ||
	    (mtu && sl_parse_long("MTU", mtu, SL_MTU_MIN, SL_MTU_MAX, &v, err) < 0))
		return -1;
	if (mtu && v != SL_MTU_DEFAULT) {
		const struct sl_pif *p;

		/* as XCP-ng: the management interface keeps the standard MTU */
		TAILQ_FOREACH(p, &ctl->model->pifs, next)
			if (p->ep.network == n && p->management)
				return sl_err_set(err, SL_E_MTU_CHECK_FAILED,
						  "MTU: network %s carries the management interface (PIF %s), whose MTU stays %d",
						  n->bridge, p->ep.device, SL_MTU_DEFAULT);
	}
	if (mtu && n->mtu != v) {
		const struct sl_pif *p;
		const struct sl_vif *vf;

		/* every attached port of the network must carry the new MTU */
		TAILQ_FOREACH(p, &ctl->model->pifs, next)
			if (p->ep.network == n && port_too_small(ctl, &p->ep, v, err))
				return -1;
		TAILQ_FOREACH(vf, &ctl->model->vifs, next)
			if (vf->ep.network == n && port_too_small(ctl, &vf->ep, v, err))
				return -1;
	}
	oc = json_deep_copy(n->other_config);
	/* a feature's bad key (a route) rejects the whole; the old stays */
	if (sl_other_config_set(a, oc, err) < 0 ||
	    sl_features_check_other_config(ctl->rt->features, SL_OBJ_NETWORK,
					   oc, err) < 0) {
		json_decref(oc);
		return -1;
	}
	json_decref(n->other_config);
	n->other_config = oc;
	if (label)
		snprintf(n->name_label, sizeof(n->name_label), "%s", label);
	if (desc)
		snprintf(n->name_description, sizeof(n->name_description), "%s", desc);
	if (mtu && n->mtu != v) {
		struct sl_pif *p;
		struct sl_vif *vf;

		/* as in XAPI, every port of the network takes its MTU */
		n->mtu = (uint16_t)v;
		TAILQ_FOREACH(p, &ctl->model->pifs, next)
			if (p->ep.network == n)
				p->ep.mtu = n->mtu;
		TAILQ_FOREACH(vf, &ctl->model->vifs, next)
			if (vf->ep.network == n)
				vf->ep.mtu = n->mtu;
	}
	/* static routes (and an MTU) take effect at once: tunnels' next
	 * hops are chosen again */
	sl_runtime_apply(ctl->rt);
	*result = json_null();
	return 0;
}

static int
network_param_remove(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		     struct sl_err *err)
{
	struct sl_network *n = sl_arg_network(ctl, a, "uuid", err);

	if (!n || sl_other_config_remove(a, n->other_config, err) < 0)
		return -1;
	sl_runtime_apply(ctl->rt);	/* a static route may have gone */
	*result = json_null();
	return 0;
}

const struct sl_command sl_network_handlers[] = {
	{ "network-create", network_create },
	{ "network-destroy", network_destroy },
	{ "network-list", network_list },
	{ "network-param-get", network_param_get },
	{ "network-param-list", network_param_list },
	{ "network-param-set", network_param_set },
	{ "network-param-remove", network_param_remove },
	{ NULL, NULL },
};
