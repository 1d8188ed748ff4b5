/* SPDX-License-Identifier: BSD-3-Clause */
/* vlan-create, -destroy, -list, -param-get, -param-list */
#include <string.h>

#include "ctl.h"

static const char *const sl_vlan_fields[] = {
	"uuid", "tagged-PIF", "untagged-PIF", "tag", NULL
};

static json_t *
sl_vlan_record(const struct sl_vlan *v)
{
	return json_pack("{s:s, s:s, s:s, s:i}", "uuid", v->uuid, "tagged-PIF",
			 v->tagged->ep.uuid, "untagged-PIF", v->untagged->ep.uuid,
			 "tag", v->tag);
}

static struct sl_vlan *
vlan_arg(struct sl_ctl *ctl, const struct sl_args *a, struct sl_err *err)
{
	const char *uuid;
	struct sl_vlan *v;

	if (sl_arg_required(a, "uuid", &uuid, err) < 0 ||
	    sl_check_uuid("uuid", uuid, err) < 0)
		return NULL;
	v = sl_model_vlan_find(ctl->model, uuid);
	if (!v)
		sl_err_set(err, SL_E_HANDLE_INVALID, "uuid: no VLAN has uuid %s",
			   uuid);
	return v;
}

static int
vlan_create(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	    struct sl_err *err)
{
	struct sl_pif *tagged = sl_arg_pif_named(ctl, a, "pif-uuid", err);
	struct sl_network *n;
	struct sl_vlan *v;
	const char *tag_s;
	long tag;

	if (!tagged || sl_arg_required(a, "vlan", &tag_s, err) < 0)
		return -1;
	if (sl_parse_long("vlan", tag_s, -2147483647L, 2147483647L, &tag, err) < 0) {
		err->code = SL_E_VLAN_TAG_INVALID;
		return -1;
	}
	n = sl_arg_network(ctl, a, "network-uuid", err);
	if (!n)
		return -1;
	v = sl_model_vlan_add(ctl->model, NULL, NULL, tagged, tag, n, err);
	if (!v)
		return -1;
	/* The VLAN is in use at once where the PIF carrying it is, and as
	 * soon as that PIF is plugged where it is not yet: its PIF is plugged
	 * now, and waits for the port (stats' unattached says so). */
	if (tagged->ep.port_id != SL_PORT_NONE) {
		sl_runtime_plug(ctl->rt, &v->untagged->ep, err);
	} else {
		v->untagged->ep.plugged = true;
		sl_runtime_apply(ctl->rt);
	}
	*result = json_string(v->uuid);
	return 0;
}

static int
vlan_destroy(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	     struct sl_err *err)
{
	struct sl_vlan *v = vlan_arg(ctl, a, err);

	if (!v)
		return -1;
	if (v->untagged->management)
		return sl_err_set(err, SL_E_PIF_IS_MANAGEMENT_INTERFACE,
				  "VLAN %s carries the management interface; move it first",
				  v->uuid);
	/* its PIF goes: a feature using it (a tunnel over it) says no */
	if (sl_features_refuse_pif(ctl->rt->features, ctl->model, v->untagged,
				   SL_ACT_FORGET, err) < 0)
		return -1;
	sl_runtime_vlan_destroy(ctl->rt, v);
	*result = json_null();
	return 0;
}

static int
vlan_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	  struct sl_err *err)
{
	json_t *all = json_array();
	const struct sl_vlan *v;

	TAILQ_FOREACH(v, &ctl->model->vlans, next)
		json_array_append_new(all, sl_vlan_record(v));
	return sl_list_filter(a, sl_vlan_fields, all, result, err);
}

static int
vlan_param_get(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	       struct sl_err *err)
{
	struct sl_vlan *v = vlan_arg(ctl, a, err);
	json_t *rec;
	int rc;

	if (!v)
		return -1;
	rec = sl_vlan_record(v);
	rc = sl_param_get(a, rec, result, err);
	json_decref(rec);
	return rc;
}

static int
vlan_param_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		struct sl_err *err)
{
	struct sl_vlan *v = vlan_arg(ctl, a, err);

	if (!v)
		return -1;
	*result = sl_vlan_record(v);
	return 0;
}

const struct sl_command sl_vlan_handlers[] = {
	{ "vlan-create", vlan_create },
	{ "vlan-destroy", vlan_destroy },
	{ "vlan-list", vlan_list },
	{ "vlan-param-get", vlan_param_get },
	{ "vlan-param-list", vlan_param_list },
	{ NULL, NULL },
};
