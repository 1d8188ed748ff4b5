/* SPDX-License-Identifier: BSD-3-Clause */
/* network-sriov-create, -destroy, -list, -param-get, -param-list */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov_model.h"
#include "ctl.h"
#include "sriov_feature.h"
#include "sriov_runtime.h"
#include "log.h"

static const char *const sl_sriov_fields[] = {
	"uuid", "network-uuid", "physical-PIF", "logical-PIF", "PF",
	"configuration-mode", "requires-reboot", "total-VFs", "VFs",
	"remaining-capacity", "VIF-uuids", "message", NULL
};

static json_t *
sl_sriov_record(const struct sl_runtime *rt, const struct sl_sriov *s)
{
	json_t *vifs = json_array();
	const struct sl_vif *v;
	uint16_t vlan;

	TAILQ_FOREACH(v, &rt->model->vifs, next)
		if (sl_sriov_vf_of(v) &&
		    sl_model_network_sriov(rt->model, v->ep.network, &vlan) == s)
			json_array_append_new(vifs, json_string(v->ep.uuid));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:i, s:i, s:o, s:s}",
			 "uuid", s->uuid,
			 "network-uuid", s->logical->ep.network->uuid,
			 "physical-PIF", s->physical->ep.uuid,
			 "logical-PIF", s->logical->ep.uuid,
			 "PF", s->pf ? s->pf->dir : "",
			 "configuration-mode", sl_sriov_mode_name(s->mode),
			 "requires-reboot", s->requires_reboot,
			 "total-VFs", s->pf ? (int)s->pf->total_vfs : 0,
			 "VFs", s->pf ? (int)s->pf->nb_vfs : 0,
			 "remaining-capacity",
			 (int)sl_runtime_sriov_capacity(rt, s),
			 "VIF-uuids", vifs, "message", s->error);
}

static struct sl_sriov *
sriov_arg(struct sl_ctl *ctl, const struct sl_args *a, struct sl_err *err)
{
	const char *uuid;
	struct sl_sriov *s;

	if (sl_arg_required(a, "uuid", &uuid, err) < 0 ||
	    sl_check_uuid("uuid", uuid, err) < 0)
		return NULL;
	s = sl_model_sriov_find(ctl->model, uuid);
	if (!s)
		sl_err_set(err, SL_E_HANDLE_INVALID,
			   "uuid: no network-sriov has uuid %s", uuid);
	return s;
}

static int
sriov_create(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	     struct sl_err *err)
{
	struct sl_network *n = sl_arg_network(ctl, a, "network-uuid", err);
	struct sl_pif *pf = n ? sl_arg_pif_named(ctl, a, "pif-uuid", err) : NULL;
	struct sl_sriov *s;

	if (!pf)
		return -1;
	s = sl_model_sriov_add(ctl->model, NULL, NULL, pf, n, err);
	if (!s)
		return -1;
	if (sl_runtime_sriov_enable(ctl->rt, s, err) < 0) {
		sl_model_sriov_remove(ctl->model, s);
		return -1;
	}
	SL_LOG(NOTICE, "SR-IOV on %s for network %s: %s mode, %u VFs%s\n",
	       s->physical->ep.device, n->bridge, sl_sriov_mode_name(s->mode),
	       s->pf->nb_vfs, s->requires_reboot ? ", requires a reboot" : "");
	*result = json_string(s->uuid);
	return 0;
}

static int
sriov_destroy(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	      struct sl_err *err)
{
	struct sl_sriov *s = sriov_arg(ctl, a, err);
	const struct sl_vlan *v;
	unsigned int used;

	if (!s)
		return -1;
	used = sl_model_sriov_vifs(ctl->model, s);
	if (used)
		return sl_err_set(err, SL_E_NETWORK_SRIOV_IN_USE,
				  "uuid: %u VF(s) of %s are assigned to VIFs; vif-destroy them first",
				  used, s->physical->ep.device);
	TAILQ_FOREACH(v, &ctl->model->vlans, next)
		if (v->tagged == s->logical)
			return sl_err_set(err, SL_E_PIF_VLAN_STILL_EXISTS,
					  "uuid: VLAN %u (%s) is on this SR-IOV network's PIF: vlan-destroy it first",
					  v->tag, v->uuid);
	sl_runtime_sriov_disable(ctl->rt, s);
	sl_model_sriov_remove(ctl->model, s);
	*result = json_null();
	return 0;
}

static int
sriov_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	   struct sl_err *err)
{
	json_t *all = json_array();
	const struct sl_sriov *s;

	TAILQ_FOREACH(s, sl_sriovs(ctl->model), next)
		json_array_append_new(all, sl_sriov_record(ctl->rt, s));
	return sl_list_filter(a, sl_sriov_fields, all, result, err);
}

static int
sriov_param_get(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		struct sl_err *err)
{
	struct sl_sriov *s = sriov_arg(ctl, a, err);
	json_t *rec;
	int rc;

	if (!s)
		return -1;
	rec = sl_sriov_record(ctl->rt, s);
	rc = sl_param_get(a, rec, result, err);
	json_decref(rec);
	return rc;
}

static int
sriov_param_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		 struct sl_err *err)
{
	struct sl_sriov *s = sriov_arg(ctl, a, err);

	if (!s)
		return -1;
	*result = sl_sriov_record(ctl->rt, s);
	return 0;
}

/* vif-create on an SR-IOV network: the VIF is a VF. No devargs, the
 * device named after the VF unless given, and the VF programmed before
 * the VIF exists. */
int
sl_sriov_vif_create(struct sl_ctl *ctl, struct sl_args *a, struct sl_network *n,
		    struct sl_endpoint_spec *spec, json_t **result,
		    struct sl_err *err)
{
	char device[SL_DEVICE_NAME_MAX + 16];
	struct sl_sriov_vf_user *u;
	struct sl_sriov *s;
	struct sl_vif *v;
	uint16_t vlan;

	s = sl_model_network_sriov(ctl->model, n, &vlan);
	if (!s)
		return 1;
	if (sl_arg(a, "devargs"))
		return sl_err_set(err, SL_E_NETWORK_INCOMPATIBLE_WITH_SRIOV,
				  "devargs: network %s is an SR-IOV network: its VIFs are VFs of %s, not ports of sluice; give no devargs",
				  n->bridge, s->physical->ep.device);
	u = calloc(1, sizeof(*u));
	if (!u)
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	u->vf = SL_VF_NONE;
	spec->devargs = "";
	spec->no_port = true;
	spec->plugged = false;
	spec->role = &sl_sriov_vf_role;
	spec->role_of = u;
	if (!sl_arg(a, "device")) {
		snprintf(device, sizeof(device), "%svf%d", s->physical->ep.device,
			 sl_runtime_sriov_free_vf(ctl->rt, s));
		spec->device = device;
	}
	v = sl_model_vif_add(ctl->model, spec, err);
	if (!v) {
		free(u);
		return -1;
	}
	if (sl_runtime_vf_assign(ctl->rt, v, err) < 0) {
		sl_model_vif_remove(ctl->model, v);	/* frees u */
		return -1;
	}
	*result = json_string(v->ep.uuid);
	return 0;
}

const struct sl_command sl_sriov_handlers[] = {
	{ "network-sriov-create", sriov_create },
	{ "network-sriov-destroy", sriov_destroy },
	{ "network-sriov-list", sriov_list },
	{ "network-sriov-param-get", sriov_param_get },
	{ "network-sriov-param-list", sriov_param_list },
	{ NULL, NULL },
};
