/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Objects as records (what *-list, *-param-get and *-param-list show), and
 * the generic parts of those commands: filters, params=, map keys. Records
 * hold only what the operator configured and what the object is
 * (currently-attached), never counters, so the same state gives the same
 * records after a restart.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

const char *const sl_network_fields[] = {
	"uuid", "name-label", "name-description", "bridge", "MTU",
	"other-config", "PIF-uuids", "VIF-uuids", NULL
};
static const char *const endpoint_fields[] = {
	"uuid", "device", "MAC", "network-uuid", "bridge", "MTU", "devargs",
	"currently-attached", "other-config", NULL
};
/* a PIF's: the features' fields come between these two */
static const char *const pif_fields[] = {
	"VLAN", "management", "VLAN-master-of", "VLAN-slave-of", NULL
};
static const char *const pif_ip_fields[] = {
	"IP-configuration-mode", "IP", "netmask", "gateway", NULL
};

static size_t
append_fields(const char **out, size_t n, size_t max,
	      const char *const *fields)
{
	for (; fields && *fields && n + 1 < max; fields++)
		out[n++] = *fields;
	out[n] = NULL;
	return n;
}

void
sl_endpoint_fields(const struct sl_feature *const *features, bool is_vif,
		   const char **out, size_t max)
{
	size_t n = append_fields(out, 0, max, endpoint_fields);

	if (!is_vif)
		n = append_fields(out, n, max, pif_fields);
	SL_FEATURE_FOREACH(f, features)
		n = append_fields(out, n, max, is_vif ? (*f)->vif_fields :
							(*f)->pif_fields);
	if (!is_vif)
		append_fields(out, n, max, pif_ip_fields);
}

static bool
is_field(const char *const *fields, const char *name)
{
	for (; *fields; fields++)
		if (strcmp(*fields, name) == 0)
			return true;
	return false;
}

static json_t *
map_of(json_t *oc)
{
	return oc ? json_deep_copy(oc) : json_object();
}

json_t *
sl_network_record(const struct sl_model *m, const struct sl_network *n)
{
	json_t *pifs = json_array(), *vifs = json_array();
	const struct sl_pif *p;
	const struct sl_vif *v;

	TAILQ_FOREACH(p, &m->pifs, next)
		if (p->ep.network == n)
			json_array_append_new(pifs, json_string(p->ep.uuid));
	TAILQ_FOREACH(v, &m->vifs, next)
		if (v->ep.network == n)
			json_array_append_new(vifs, json_string(v->ep.uuid));
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o}",
			 "uuid", n->uuid, "name-label", n->name_label,
			 "name-description", n->name_description,
			 "bridge", n->bridge, "MTU", n->mtu,
			 "other-config", map_of(n->other_config),
			 "PIF-uuids", pifs, "VIF-uuids", vifs);
}

static json_t *
endpoint_record(const struct sl_endpoint *ep)
{
	char mac[SL_MAC_STR_LEN] = "";

	if (ep->mac_set || ep->port_id != SL_PORT_NONE)
		sl_mac_format(mac, &ep->mac);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:b, s:o}",
			 "uuid", ep->uuid, "device", ep->device, "MAC", mac,
			 "network-uuid", ep->network->uuid,
			 "bridge", ep->network->bridge, "MTU", ep->mtu,
			 "devargs", ep->devargs,
			 "currently-attached", ep->port_id != SL_PORT_NONE,
			 "other-config", map_of(ep->other_config));
}

/* As xe shows them: mode None or Static, empty fields when unset. */
static void
ip_fields(json_t *r, const struct sl_ip_config *ip)
{
	char a[SL_IPV4_STR_LEN] = "", m[SL_IPV4_STR_LEN] = "",
	     g[SL_IPV4_STR_LEN] = "";

	if (ip->is_static) {
		sl_ipv4_format(a, ip->ip);
		sl_ipv4_format(m, ip->netmask);
		if (ip->gateway)
			sl_ipv4_format(g, ip->gateway);
	}
	json_object_set_new(r, "IP-configuration-mode",
			    json_string(ip->is_static ? "Static" : "None"));
	json_object_set_new(r, "IP", json_string(a));
	json_object_set_new(r, "netmask", json_string(m));
	json_object_set_new(r, "gateway", json_string(g));
}

json_t *
sl_pif_record(const struct sl_feature *const *features,
	      const struct sl_model *m, const struct sl_pif *p)
{
	json_t *r = endpoint_record(&p->ep), *slave_of = json_array();
	const struct sl_vlan *v;

	TAILQ_FOREACH(v, &m->vlans, next)
		if (v->tagged == p)
			json_array_append_new(slave_of, json_string(v->uuid));
	json_object_set_new(r, "VLAN", json_integer(p->vlan));
	json_object_set_new(r, "management", json_boolean(p->management));
	json_object_set_new(r, "VLAN-master-of",
			    json_string(p->vlan_master_of ? p->vlan_master_of->uuid : ""));
	json_object_set_new(r, "VLAN-slave-of", slave_of);
	SL_FEATURE_FOREACH(f, features)
		if ((*f)->pif_record)
			(*f)->pif_record(m, p, r);
	ip_fields(r, &p->ip);
	return r;
}

json_t *
sl_vif_record(const struct sl_feature *const *features,
	      const struct sl_model *m, const struct sl_vif *v)
{
	json_t *r = endpoint_record(&v->ep);

	SL_FEATURE_FOREACH(f, features)
		if ((*f)->vif_record)
			(*f)->vif_record(m, v, r);
	return r;
}

/* A field's value as the text an operator would type. */
static char *
as_text(json_t *v)
{
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_integer(v)) {
		char *s;

		return asprintf(&s, "%" JSON_INTEGER_FORMAT,
				json_integer_value(v)) < 0 ? NULL : s;
	}
	if (json_is_boolean(v))
		return strdup(json_is_true(v) ? "true" : "false");
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static bool
matches(json_t *have, const char *want)
{
	char *text = as_text(have);
	bool eq = text && strcmp(text, want) == 0;

	free(text);
	return eq;
}

/* params=uuid,name-label: keep those fields, in that order. */
static json_t *
select_fields(json_t *rec, const char *params)
{
	json_t *out = json_object();
	char *copy = strdup(params), *tok, *save = NULL;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		json_object_set(out, tok, json_object_get(rec, tok));
	free(copy);
	return out;
}

static int
check_params(const char *params, const char *const *fields, struct sl_err *err)
{
	char *copy = strdup(params), *tok, *save = NULL;
	int rc = 0;

	for (tok = strtok_r(copy, ",", &save); tok && rc == 0;
	     tok = strtok_r(NULL, ",", &save))
		if (!is_field(fields, tok))
			rc = sl_err_set(err, SL_E_UNKNOWN_PARAMETER,
					"params: there is no field '%s'", tok);
	free(copy);
	return rc;
}

/* A list of records already made: the source of sl_list_filter(). */
static json_t *
record_field(void *ctx, size_t i, const char *field)
{
	return json_incref(json_object_get(json_array_get(ctx, i), field));
}

static json_t *
record_whole(void *ctx, size_t i)
{
	return json_incref(json_array_get(ctx, i));
}

int
sl_list_filter(const struct sl_args *a, const char *const *fields,
	       json_t *records, json_t **result, struct sl_err *err)
{
	const struct sl_list_source src = {
		.n = json_array_size(records), .field = record_field,
		.record = record_whole, .ctx = records,
	};
	int rc = sl_list_filter_from(a, fields, &src, result, err);

	json_decref(records);
	return rc;
}

/* Whether item i has every field=value of a's filters. */
static bool
kept(const struct sl_args *a, const struct sl_list_source *src, size_t i)
{
	const char *key;
	json_t *val;

	json_object_foreach(a->params, key, val) {
		json_t *have;
		bool eq;

		if (strcmp(key, "params") == 0)
			continue;
		have = src->field(src->ctx, i, key);
		eq = matches(have, json_string_value(val));
		json_decref(have);
		if (!eq)
			return false;
	}
	return true;
}

int
sl_list_filter_from(const struct sl_args *a, const char *const *fields,
		    const struct sl_list_source *src, json_t **result,
		    struct sl_err *err)
{
	const char *params = sl_arg(a, "params"), *key;
	json_t *out, *val;

	/* every filter and every params= name must be a field */
	json_object_foreach(a->params, key, val)
		if (strcmp(key, "params") != 0 && !is_field(fields, key))
			return sl_err_set(err, SL_E_UNKNOWN_PARAMETER,
					  "%s: there is no such field to filter on",
					  key);
	if (params && strcmp(params, "all") != 0 &&
	    check_params(params, fields, err) < 0)
		return -1;
	out = json_array();
	for (size_t i = 0; i < src->n; i++) {
		json_t *rec;

		/* a record is made only for what the filters keep */
		if (!kept(a, src, i))
			continue;
		rec = src->record(src->ctx, i);
		if (params && strcmp(params, "all") != 0) {
			json_array_append_new(out, select_fields(rec, params));
			json_decref(rec);
		} else {
			json_array_append_new(out, rec);
		}
	}
	*result = out;
	return 0;
}

int
sl_param_get(const struct sl_args *a, json_t *record, json_t **result,
	     struct sl_err *err)
{
	const char *name, *key = sl_arg(a, "param-key");
	json_t *v;

	if (sl_arg_required(a, "param-name", &name, err) < 0)
		return -1;
	v = json_object_get(record, name);
	if (!v)
		return sl_err_set(err, SL_E_UNKNOWN_PARAMETER,
				  "param-name: there is no field '%s'", name);
	if (key) {
		if (!json_is_object(v))
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "param-key: field '%s' is not a map", name);
		v = json_object_get(v, key);
		if (!v)
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "param-key: %s has no key '%s'", name, key);
	}
	*result = json_incref(v);
	return 0;
}

#define OC_PREFIX "other-config:"

int
sl_other_config_set(const struct sl_args *a, json_t *map, struct sl_err *err)
{
	const char *key;
	json_t *val;

	json_object_foreach(a->params, key, val) {
		if (strncmp(key, OC_PREFIX, strlen(OC_PREFIX)) != 0)
			continue;
		if (key[strlen(OC_PREFIX)] == '\0')
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "other-config: give other-config:KEY=VALUE");
		if (sl_check_text(key, json_string_value(val), 1024, err) < 0)
			return -1;
		json_object_set(map, key + strlen(OC_PREFIX), val);
	}
	return 0;
}

int
sl_other_config_remove(const struct sl_args *a, json_t *map,
		       struct sl_err *err)
{
	const char *name, *key;

	if (sl_arg_required(a, "param-name", &name, err) < 0 ||
	    sl_arg_required(a, "param-key", &key, err) < 0)
		return -1;
	if (strcmp(name, "other-config") != 0)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "param-name: only other-config has keys to remove, not '%s'",
				  name);
	/* as xe: removing a key that is not there is not an error */
	json_object_del(map, key);
	return 0;
}
