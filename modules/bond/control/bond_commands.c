/* SPDX-License-Identifier: BSD-3-Clause */
/* bond-create, -destroy, -list, -param-get/-set/-list, -show */
#include <stdlib.h>
#include <string.h>

#include "bond_model.h"
#include "ctl.h"
#include "bond_feature.h"
#include "bond_runtime.h"

static const char *const sl_bond_fields[] = {
	"uuid", "master", "slaves", "mode", "properties", "links-up", NULL
};

static json_t *
sl_bond_record(const struct sl_runtime *rt, const struct sl_bond *b)
{
	json_t *slaves = json_array();
	int up = 0;

	for (unsigned int i = 0; i < b->nb_slaves; i++) {
		json_array_append_new(slaves, json_string(b->slaves[i]->ep.uuid));
		up += sl_bonds_rt(rt)->bond[b->index].in_use && sl_bonds_rt(rt)->bond[b->index].m[i].up &&
		      sl_bonds_rt(rt)->bond[b->index].m[i].port != SL_PORT_NONE;
	}
	return json_pack("{s:s, s:s, s:o, s:s, s:O, s:i}", "uuid", b->uuid,
			 "master", b->master->ep.uuid, "slaves", slaves,
			 "mode", sl_bond_mode_name(b->mode),
			 "properties", b->properties, "links-up", up);
}

static struct sl_bond *
bond_arg(struct sl_ctl *ctl, const struct sl_args *a, struct sl_err *err)
{
	const char *uuid;
	struct sl_bond *b;

	if (sl_arg_required(a, "uuid", &uuid, err) < 0 ||
	    sl_check_uuid("uuid", uuid, err) < 0)
		return NULL;
	b = sl_model_bond_find(ctl->model, uuid);
	if (!b)
		sl_err_set(err, SL_E_HANDLE_INVALID, "uuid: no bond has uuid %s",
			   uuid);
	return b;
}

/* properties:KEY=VALUE arguments as a map, over base (may be NULL). */
static json_t *
properties_of(const struct sl_args *a, json_t *base)
{
	json_t *props = base ? json_deep_copy(base) : json_object(), *val;
	const char *key;

	json_object_foreach(a->params, key, val)
		if (strncmp(key, "properties:", 11) == 0)
			json_object_set(props, key + 11, val);
	return props;
}

static int
bond_create(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	    struct sl_err *err)
{
	struct sl_network *n = sl_arg_network(ctl, a, "network-uuid", err);
	struct sl_pif *slaves[SL_BOND_MAX_SLAVES + 1];
	enum sl_bond_mode mode = SL_BOND_BALANCE_SLB;
	const char *list, *mode_s = sl_arg(a, "mode");
	char *copy, *tok, *save = NULL;
	unsigned int nb = 0;
	struct sl_bond *b;
	json_t *props;

	if (!n || sl_arg_required(a, "pif-uuids", &list, err) < 0 ||
	    (mode_s && sl_bond_mode_parse("mode", mode_s, &mode, err) < 0))
		return -1;
	copy = strdup(list);
	if (!copy)
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct sl_endpoint *ep;

		if (sl_check_uuid("pif-uuids", tok, err) < 0)
			goto fail;
		ep = sl_model_endpoint_find(ctl->model, tok, false);
		if (!ep) {
			sl_err_set(err, SL_E_HANDLE_INVALID,
				   "pif-uuids: no PIF has uuid %s", tok);
			goto fail;
		}
		if (nb == SL_BOND_MAX_SLAVES) {
			sl_err_set(err, SL_E_INVALID_VALUE,
				   "pif-uuids: a bond has at most %d members",
				   SL_BOND_MAX_SLAVES);
			goto fail;
		}
		slaves[nb++] = SL_PIF_OF(ep);
	}
	free(copy);
	for (unsigned int i = 0; i < nb; i++)
		if (slaves[i]->management && slaves[i]->ep.network != n &&
		    n->mtu != SL_MTU_DEFAULT)
			return sl_err_set(err, SL_E_MTU_CHECK_FAILED,
					  "network-uuid: the management interface would move to MTU %u",
					  n->mtu);
	props = properties_of(a, NULL);
	b = sl_model_bond_add(ctl->model, NULL, NULL, n, slaves, nb, mode, props,
			      err);
	json_decref(props);
	if (!b)
		return -1;
	/* as XAPI: the bond is up at once; its members are its ports now */
	if (sl_runtime_plug(ctl->rt, &b->master->ep, err) < 0)
		return -1;
	*result = json_string(b->uuid);
	return 0;
fail:
	free(copy);
	return -1;
}

static int
bond_destroy(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	     struct sl_err *err)
{
	struct sl_bond *b = bond_arg(ctl, a, err);
	const struct sl_vlan *v;

	if (!b)
		return -1;
	TAILQ_FOREACH(v, &ctl->model->vlans, next)
		if (v->tagged == b->master)
			return sl_err_set(err, SL_E_PIF_VLAN_STILL_EXISTS,
					  "bond %s still carries VLAN %u (%s): vlan-destroy it first",
					  b->master->ep.device, v->tag, v->uuid);
	/* its PIF goes: a feature using it (a tunnel over it) says no */
	if (sl_features_refuse_pif(ctl->rt->features, ctl->model, b->master,
				   SL_ACT_FORGET, err) < 0)
		return -1;
	sl_runtime_bond_destroy(ctl->rt, b);
	*result = json_null();
	return 0;
}

static int
bond_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	  struct sl_err *err)
{
	json_t *all = json_array();
	const struct sl_bond *b;

	TAILQ_FOREACH(b, sl_bonds(ctl->model), next)
		json_array_append_new(all, sl_bond_record(ctl->rt, b));
	return sl_list_filter(a, sl_bond_fields, all, result, err);
}

static int
bond_param_get(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	       struct sl_err *err)
{
	struct sl_bond *b = bond_arg(ctl, a, err);
	json_t *rec;
	int rc;

	if (!b)
		return -1;
	rec = sl_bond_record(ctl->rt, b);
	rc = sl_param_get(a, rec, result, err);
	json_decref(rec);
	return rc;
}

static int
bond_param_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		struct sl_err *err)
{
	struct sl_bond *b = bond_arg(ctl, a, err);

	if (!b)
		return -1;
	*result = sl_bond_record(ctl->rt, b);
	return 0;
}

/* Mode and properties change live: the next snapshot carries them. */
static int
bond_param_set(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	       struct sl_err *err)
{
	struct sl_bond *b = bond_arg(ctl, a, err);
	const char *mode_s = sl_arg(a, "mode");
	enum sl_bond_mode mode;
	struct sl_bond_props props;
	json_t *map;

	if (!b)
		return -1;
	mode = b->mode;
	if (mode_s && sl_bond_mode_parse("mode", mode_s, &mode, err) < 0)
		return -1;
	map = properties_of(a, b->properties);
	if (sl_bond_props_parse(map, &props, err) < 0) {
		json_decref(map);
		return -1;
	}
	json_decref(b->properties);
	b->properties = map;
	b->props = props;
	b->mode = mode;
	sl_runtime_apply(ctl->rt);
	*result = json_null();
	return 0;
}

static int
bond_show(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	  struct sl_err *err)
{
	struct sl_bond *b = bond_arg(ctl, a, err);

	if (!b)
		return -1;
	*result = sl_bonding_show(ctl->rt, b);
	return 0;
}

const struct sl_command sl_bond_handlers[] = {
	{ "bond-create", bond_create },
	{ "bond-destroy", bond_destroy },
	{ "bond-list", bond_list },
	{ "bond-param-get", bond_param_get },
	{ "bond-param-list", bond_param_list },
	{ "bond-param-set", bond_param_set },
	{ "bond-show", bond_show },
	{ NULL, NULL },
};
