/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The state file: the model as JSON. Loading is strict (unknown keys, wrong
 * types and dangling references are errors that name the object), because a
 * state file that half-loads would silently drop a guest's network. Saving
 * is atomic (sl_json_write_atomic).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "feature.h"
#include "journal.h"
#include "jsonfile.h"
#include "state.h"

#define FORMAT_KEY SL_STATE_FORMAT_KEY
#define FORMAT_VERSION 1

static int
load_settings(json_t *root, struct sl_settings *s, struct sl_err *err)
{
	json_t *settings = json_object_get(root, "settings");
	json_int_t aging = s->fdb_aging_s, max = s->fdb_max_entries;
	json_error_t je;

	if (!settings)
		return 0;
	if (json_unpack_ex(settings, &je, JSON_STRICT,
			   "{s?I, s?I}", "fdb-aging-time", &aging,
			   "fdb-max-entries", &max) != 0)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID, "settings: %s",
				  je.text);
	if (aging < 1 || aging > 1000000)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "settings: fdb-aging-time %lld is outside 1..1000000 seconds",
				  (long long)aging);
	if (max < 16 || max > (1 << 24))
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "settings: fdb-max-entries %lld is outside 16..16777216",
				  (long long)max);
	s->fdb_aging_s = (uint32_t)aging;
	s->fdb_max_entries = (uint32_t)max;
	return 0;
}

static int
load_network(struct sl_model *m, json_t *o, struct sl_err *err)
{
	struct sl_network_spec spec = { 0 };
	json_error_t je;

	if (json_unpack_ex(o, &je, JSON_STRICT,
			   "{s:s, s?s, s?s, s:s, s?i, s?o}", "uuid", &spec.uuid,
			   "name-label", &spec.name_label, "name-description",
			   &spec.name_description, "bridge", &spec.bridge,
			   "MTU", &spec.mtu, "other-config",
			   &spec.other_config) != 0)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID, "%s", je.text);
	if (json_object_get(o, "MTU") && sl_check_mtu("MTU", spec.mtu, err) < 0)
		return -1;
	/* other-config is checked by the model, the features' keys too */
	return sl_model_network_add(m, &spec, err) ? 0 : -1;
}

/* A PIF's or a VIF's fields; a feature's VIF (role not NULL) has no port
 * when its role says so. */
static struct sl_endpoint *
load_endpoint_as(struct sl_model *m, json_t *o, bool is_vif,
		 const struct sl_role *role, void *role_of, struct sl_err *err)
{
	struct sl_endpoint_spec spec = {
		.vlan = -1, .plugged = true, .role = role, .role_of = role_of,
	};
	int plugged = 1, management = 0;
	struct sl_vif *v;
	struct sl_pif *p;
	json_error_t je;
	int rc;

	if (is_vif)
		rc = json_unpack_ex(o, &je, JSON_STRICT,
				    "{s:s, s:s, s:s, s:s, s:s, s?i, s?b, s?o}",
				    "uuid", &spec.uuid, "device", &spec.device,
				    "devargs", &spec.devargs, "MAC", &spec.mac,
				    "network-uuid", &spec.network_uuid, "MTU",
				    &spec.mtu, "currently-attached", &plugged,
				    "other-config", &spec.other_config);
	else
		rc = json_unpack_ex(o, &je, JSON_STRICT,
				    "{s:s, s:s, s:s, s?s, s:s, s?i, s?b, s?i, s?b, s?o}",
				    "uuid", &spec.uuid, "device", &spec.device,
				    "devargs", &spec.devargs, "MAC", &spec.mac,
				    "network-uuid", &spec.network_uuid, "VLAN",
				    &spec.vlan, "management", &management, "MTU",
				    &spec.mtu, "currently-attached", &plugged,
				    "other-config", &spec.other_config);
	if (rc != 0) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID, "%s", je.text);
		return NULL;
	}
	if (json_object_get(o, "MTU") && sl_check_mtu("MTU", spec.mtu, err) < 0)
		return NULL;
	spec.plugged = plugged;
	spec.management = management;
	if (role && role->port == SL_ROLE_NO_PORT) {
		spec.no_port = true;
		spec.plugged = false;
	}
	if (!is_vif) {
		p = sl_model_pif_add(m, &spec, err);
		return p ? &p->ep : NULL;
	}
	v = sl_model_vif_add(m, &spec, err);
	return v ? &v->ep : NULL;
}

struct sl_vif *
sl_state_load_vif(struct sl_model *m, json_t *o, const struct sl_role *role,
		  void *role_of, struct sl_err *err)
{
	struct sl_endpoint *ep = load_endpoint_as(m, o, true, role, role_of, err);

	return ep ? SL_VIF_OF(ep) : NULL;
}

static int
load_endpoint(struct sl_model *m, json_t *o, bool is_vif, struct sl_err *err)
{
	return load_endpoint_as(m, o, is_vif, NULL, NULL, err) ? 0 : -1;
}

/* What every PIF a VLAN or a feature made has (struct sl_state_pif),
 * taken out of o. */
static int
take_made_pif(struct sl_model *m, json_t *o, struct sl_state_pif *pif,
	      struct sl_err *err)
{
	static const char *const keys[] = {
		"uuid", "device", "network-uuid", "VLAN", "management", "MTU",
		"currently-attached", "other-config", NULL
	};
	const char *uuid, *device, *net_uuid;
	int vlan = -1, mtu = 0, plugged = 1, management = 0;
	json_t *oc = NULL;
	json_error_t je;

	memset(pif, 0, sizeof(*pif));
	if (json_unpack_ex(o, &je, 0, "{s:s, s:s, s:s, s?i, s?b, s?i, s?b, s?o}",
			   "uuid", &uuid, "device", &device, "network-uuid",
			   &net_uuid, "VLAN", &vlan, "management", &management,
			   "MTU", &mtu, "currently-attached", &plugged,
			   "other-config", &oc) != 0)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID, "%s", je.text);
	if (sl_check_uuid("uuid", uuid, err) < 0 ||
	    sl_check_device("device", device, err) < 0 ||
	    (json_object_get(o, "MTU") && sl_check_mtu("MTU", mtu, err) < 0))
		return -1;
	pif->network = sl_model_network_find(m, net_uuid);
	if (!pif->network)
		return sl_err_set(err, SL_E_HANDLE_INVALID,
				  "network-uuid: no network has uuid %s", net_uuid);
	snprintf(pif->uuid, sizeof(pif->uuid), "%s", uuid);
	snprintf(pif->device, sizeof(pif->device), "%s", device);
	pif->vlan = vlan;
	pif->mtu = mtu;
	pif->plugged = plugged;
	pif->management = management;
	pif->other_config = json_incref(oc);
	for (const char *const *k = keys; *k; k++)
		json_object_del(o, *k);
	return 0;
}

/* The rest of what the state file says of a PIF made (p): its device
 * name (a bond's may have been renamed; a VLAN's and an SR-IOV network's
 * are the device of the PIF under them), plugged, management, MTU and
 * other-config, checked as the model checks them. */
static int
apply_made_pif(const struct sl_model *m, struct sl_pif *p,
	       const struct sl_state_pif *pif, struct sl_err *err)
{
	const struct sl_role *kind = sl_pif_kind(p);
	json_t *copy = NULL;

	if (strcmp(pif->device, p->ep.device) != 0) {
		if (p->vlan_master_of || (kind && kind->vlans_alike))
			return sl_err_set(err, SL_E_STATE_FILE_INVALID,
					  "device: this PIF has the device of the PIF it rides on (%s)",
					  p->ep.device);
		snprintf(p->ep.device, sizeof(p->ep.device), "%s", pif->device);
	}
	if (pif->other_config &&
	    !(copy = sl_model_other_config(m, SL_OBJ_PIF, pif->other_config, err)))
		return -1;
	p->ep.plugged = pif->plugged;
	p->management = pif->management;
	if (pif->mtu)
		p->ep.mtu = (uint16_t)pif->mtu;
	if (copy) {
		json_decref(p->ep.other_config);
		p->ep.other_config = copy;
	}
	return 0;
}

/* A VLAN's PIF: it comes after the PIF carrying its tag. */
static struct sl_pif *
load_vlan_pif(struct sl_model *m, json_t *o, const struct sl_state_pif *pif,
	      struct sl_err *err)
{
	const char *vlan_uuid, *tagged_uuid;
	struct sl_endpoint *tagged;
	json_error_t je;
	struct sl_vlan *v;

	if (json_unpack_ex(o, &je, JSON_STRICT, "{s:s, s:s}", "VLAN-master-of",
			   &vlan_uuid, "tagged-PIF", &tagged_uuid) != 0) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID, "%s", je.text);
		return NULL;
	}
	tagged = sl_model_endpoint_find(m, tagged_uuid, false);
	if (!tagged) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID,
			   "tagged-PIF: no PIF %s before this one", tagged_uuid);
		return NULL;
	}
	v = sl_model_vlan_add(m, vlan_uuid, pif->uuid, SL_PIF_OF(tagged),
			      pif->vlan, pif->network, err);
	return v ? v->untagged : NULL;
}

/* A PIF's IPv4 configuration, the same on every kind of PIF: taken out of
 * its object before the kind's own reader sees it. */
static const char *const ip_keys[] = {
	"IP-configuration-mode", "IP", "netmask", "gateway", NULL
};

static int
take_ip_config(json_t *o, struct sl_ip_config *ip, struct sl_err *err)
{
	const char *mode = NULL, *a = "", *mask = "", *gw = "";
	json_error_t je;
	json_t *only = json_object();

	memset(ip, 0, sizeof(*ip));
	for (const char *const *k = ip_keys; *k; k++) {
		if (json_object_get(o, *k))
			json_object_set(only, *k, json_object_get(o, *k));
		json_object_del(o, *k);
	}
	if (json_unpack_ex(only, &je, JSON_STRICT, "{s?s, s?s, s?s, s?s}",
			   "IP-configuration-mode", &mode, "IP", &a, "netmask",
			   &mask, "gateway", &gw) != 0) {
		json_decref(only);
		return sl_err_set(err, SL_E_STATE_FILE_INVALID, "%s", je.text);
	}
	if (mode && strcmp(mode, "Static") == 0) {
		ip->is_static = true;
		if (!sl_ipv4_parse(a, &ip->ip) || !sl_ipv4_parse(mask, &ip->netmask) ||
		    sl_netmask_len(ip->netmask) < 0 ||
		    (*gw && !sl_ipv4_parse(gw, &ip->gateway))) {
			json_decref(only);
			return sl_err_set(err, SL_E_STATE_FILE_INVALID,
					  "IP: %s/%s gateway '%s' is not an IPv4 configuration",
					  a, mask, gw);
		}
	} else if (mode && strcmp(mode, "None") != 0) {
		json_decref(only);
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "IP-configuration-mode: '%s' is not Static or None", mode);
	}
	json_decref(only);
	return 0;
}

enum list_kind { NETWORKS, PIFS, VIFS };

/* The feature whose PIFs (or VIFs) have the key of o, or NULL. */
static const struct sl_feature *
owner_of(const struct sl_feature *const *features, json_t *o, bool is_vif)
{
	SL_FEATURE_FOREACH(f, features) {
		const char *key = is_vif ? (*f)->vif_key : (*f)->pif_key;

		if (key && json_object_get(o, key))
			return *f;
	}
	return NULL;
}

/* A PIF a VLAN or a feature (a bond's, a tunnel's) made. */
static int
load_made_pif(struct sl_model *m, const struct sl_feature *const *features,
	      json_t *o, struct sl_err *err)
{
	const struct sl_feature *owner = owner_of(features, o, false);
	struct sl_state_pif pif;
	struct sl_pif *p;
	int rc;

	if (take_made_pif(m, o, &pif, err) < 0)
		return -1;
	p = owner ? owner->load_pif(m, o, &pif, err) :
		    load_vlan_pif(m, o, &pif, err);
	rc = p ? apply_made_pif(m, p, &pif, err) : -1;
	json_decref(pif.other_config);
	return rc;
}

static int
load_list(struct sl_model *m, const struct sl_feature *const *features,
	  json_t *root, const char *key, enum list_kind kind,
	  struct sl_err *err)
{
	json_t *list = json_object_get(root, key), *o;
	size_t i;

	if (!list)
		return 0;
	if (!json_is_array(list))
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "%s: must be a list", key);
	json_array_foreach(list, i, o) {
		struct sl_err e = { 0 };
		struct sl_ip_config ip = { 0 };
		const struct sl_feature *owner;
		char uuid[SL_UUID_LEN + 1] = "";
		json_t *own = NULL;
		int rc;

		if (kind == PIFS) {
			/* a copy: the caller's JSON stays as it was */
			own = json_copy(o);
			o = own;
			if (take_ip_config(o, &ip, &e) < 0) {
				json_decref(own);
				return sl_err_set(err, SL_E_STATE_FILE_INVALID,
						  "%s[%zu]: %s", key, i, e.msg);
			}
			/* to find the PIF made: a reader may take keys out */
			snprintf(uuid, sizeof(uuid), "%s",
				 json_string_value(json_object_get(o, "uuid")) ?: "");
		}
		if (kind == NETWORKS)
			rc = load_network(m, o, &e);
		else if (kind == PIFS && (json_object_get(o, "tagged-PIF") ||
					  owner_of(features, o, false)))
			rc = load_made_pif(m, features, o, &e);
		else if (kind == VIFS && (owner = owner_of(features, o, true)))
			rc = owner->load_vif(m, o, &e);	/* a VF's */
		else
			rc = load_endpoint(m, o, kind == VIFS, &e);
		if (rc == 0 && own) {
			struct sl_endpoint *ep = sl_model_endpoint_find(m, uuid, false);

			if (ep)
				SL_PIF_OF(ep)->ip = ip;
			else	/* a reader made it under another uuid: a bug */
				rc = sl_err_set(&e, SL_E_INTERNAL_ERROR,
						"uuid: no PIF %s was made", uuid);
		}
		json_decref(own);
		if (rc < 0)
			return sl_err_set(err, SL_E_STATE_FILE_INVALID,
					  "%s[%zu]: %s", key, i, e.msg);
	}
	return 0;
}

/* Whether key is one of the state file's: the core's or a feature's. */
static bool
root_key_known(const struct sl_feature *const *features, const char *key)
{
	static const char *const core_keys[] = {
		FORMAT_KEY, "settings", "networks", "pifs", "vifs",
		SL_JOURNAL_GENERATION_KEY, NULL
	};

	for (const char *const *k = core_keys; *k; k++)
		if (strcmp(key, *k) == 0)
			return true;
	SL_FEATURE_FOREACH(f, features)
		if ((*f)->state_key && strcmp(key, (*f)->state_key) == 0)
			return true;
	return false;
}

int
sl_state_from_json(struct sl_model *m, const struct sl_feature *const *features,
		   json_t *root, struct sl_err *err)
{
	json_t *version, *value;
	const char *key;

	if (!json_is_object(root))
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "the state is not a JSON object");
	json_object_foreach(root, key, value)
		if (!root_key_known(features, key))
			return sl_err_set(err, SL_E_STATE_FILE_INVALID,
					  "%s: the state file has no such key", key);
	version = json_object_get(root, FORMAT_KEY);
	if (!json_is_integer(version))
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "%s: the format version is missing or not a number",
				  FORMAT_KEY);
	if (json_integer_value(version) != FORMAT_VERSION)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "format version %lld is not %d",
				  (long long)json_integer_value(version), FORMAT_VERSION);
	if (load_settings(root, &m->settings, err) < 0 ||
	    load_list(m, features, root, "networks", NETWORKS, err) < 0 ||
	    load_list(m, features, root, "pifs", PIFS, err) < 0 ||
	    load_list(m, features, root, "vifs", VIFS, err) < 0)
		return -1;
	/* the features' own keys (the rules), once the objects are there */
	SL_FEATURE_FOREACH(f, features)
		if ((*f)->state_key && (value = json_object_get(root, (*f)->state_key)) &&
		    (*f)->load_state(m, value, err) < 0)
			return -1;
	return 0;
}

json_t *
sl_state_read(const char *path, struct sl_err *err)
{
	json_error_t je;
	json_t *root;

	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (root)
		return root;
	if (je.line < 0)	/* could not be read at all */
		sl_err_set(err, SL_E_STATE_FILE_INVALID,
			   "state file %s cannot be read: %s", path, je.text);
	else
		sl_err_set(err, SL_E_STATE_FILE_INVALID,
			   "state file %s is not valid JSON (line %d, column %d): %s",
			   path, je.line, je.column, je.text);
	return NULL;
}

int
sl_state_load(struct sl_model *m, const struct sl_feature *const *features,
	      const char *path, struct sl_err *err)
{
	json_t *root;
	struct sl_err e = { 0 };
	int rc;

	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 1;
	root = sl_state_read(path, err);
	if (!root)
		return -1;
	rc = sl_state_from_json(m, features, root, &e);
	json_decref(root);
	if (rc < 0)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "state file %s: %s", path, e.msg);
	return 0;
}

/* ---- saving ------------------------------------------------------------ */

uint64_t
sl_state_hash(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}


static json_t *
other_config_of(json_t *oc)
{
	return oc ? json_incref(oc) : json_object();
}

static void
endpoint_fields(json_t *o, const struct sl_endpoint *ep)
{
	char mac[SL_MAC_STR_LEN];

	json_object_set_new(o, "uuid", json_string(ep->uuid));
	json_object_set_new(o, "device", json_string(ep->device));
	json_object_set_new(o, "devargs", json_string(ep->devargs));
	if (ep->mac_set) {
		sl_mac_format(mac, &ep->mac);
		json_object_set_new(o, "MAC", json_string(mac));
	}
	json_object_set_new(o, "network-uuid", json_string(ep->network->uuid));
	json_object_set_new(o, "MTU", json_integer(ep->mtu));
	json_object_set_new(o, "currently-attached", json_boolean(ep->plugged));
	json_object_set_new(o, "other-config", other_config_of(ep->other_config));
}

json_t *
sl_state_core_to_json(const struct sl_model *m,
		      const struct sl_feature *const *features)
{
	json_t *root = json_object(), *nets = json_array(),
	       *pifs = json_array(), *vifs = json_array();
	const struct sl_network *n;
	const struct sl_pif *p;
	const struct sl_vif *v;

	json_object_set_new(root, FORMAT_KEY, json_integer(FORMAT_VERSION));
	json_object_set_new(root, "settings",
			    json_pack("{s:I, s:I}", "fdb-aging-time",
				      (json_int_t)m->settings.fdb_aging_s,
				      "fdb-max-entries",
				      (json_int_t)m->settings.fdb_max_entries));
	TAILQ_FOREACH(n, &m->networks, next)
		json_array_append_new(nets,
			json_pack("{s:s, s:s, s:s, s:s, s:i, s:o}",
				  "uuid", n->uuid, "name-label", n->name_label,
				  "name-description", n->name_description,
				  "bridge", n->bridge, "MTU", n->mtu,
				  "other-config",
				  other_config_of(n->other_config)));
	TAILQ_FOREACH(p, &m->pifs, next) {
		json_t *o = json_object();

		endpoint_fields(o, &p->ep);
		json_object_set_new(o, "VLAN", json_integer(p->vlan));
		json_object_set_new(o, "management",
				    json_boolean(p->management));
		/* a bond's or a tunnel's PIF: the feature's fields */
		SL_FEATURE_FOREACH(f, features)
			if ((*f)->save_pif)
				(*f)->save_pif(p, o);
		if (p->ip.is_static) {
			char a[SL_IPV4_STR_LEN], mask[SL_IPV4_STR_LEN],
			     gw[SL_IPV4_STR_LEN] = "";

			sl_ipv4_format(a, p->ip.ip);
			sl_ipv4_format(mask, p->ip.netmask);
			if (p->ip.gateway)
				sl_ipv4_format(gw, p->ip.gateway);
			json_object_set_new(o, "IP-configuration-mode", json_string("Static"));
			json_object_set_new(o, "IP", json_string(a));
			json_object_set_new(o, "netmask", json_string(mask));
			json_object_set_new(o, "gateway", json_string(gw));
		}
		/* a VLAN's or a feature's own PIF (not a member) rides on
		 * other ports: no port of its own, its MAC theirs */
		if (p->vlan_master_of ||
		    (p->ep.role && p->ep.role->port != SL_ROLE_OWN_PORT)) {
			json_object_del(o, "devargs");
			json_object_del(o, "MAC");
		}
		if (p->vlan_master_of) {
			json_object_set_new(o, "VLAN-master-of",
					    json_string(p->vlan_master_of->uuid));
			json_object_set_new(o, "tagged-PIF",
					    json_string(p->vlan_master_of->tagged->ep.uuid));
		}
		json_array_append_new(pifs, o);
	}
	TAILQ_FOREACH(v, &m->vifs, next) {
		json_t *o = json_object();

		endpoint_fields(o, &v->ep);
		/* a VF's: the feature's fields */
		SL_FEATURE_FOREACH(f, features)
			if ((*f)->save_vif)
				(*f)->save_vif(v, o);
		json_array_append_new(vifs, o);
	}
	json_object_set_new(root, "networks", nets);
	json_object_set_new(root, "pifs", pifs);
	json_object_set_new(root, "vifs", vifs);
	return root;
}

json_t *
sl_state_to_json(const struct sl_model *m,
		 const struct sl_feature *const *features)
{
	json_t *root = sl_state_core_to_json(m, features);

	SL_FEATURE_FOREACH(f, features)
		if ((*f)->state_key)
			json_object_set_new(root, (*f)->state_key, (*f)->save_state(m));
	return root;
}

int
sl_state_save(const struct sl_model *m, const struct sl_feature *const *features,
	      const char *path, struct sl_err *err)
{
	json_t *root = sl_state_to_json(m, features);
	int rc = sl_json_write_atomic(path, root);

	json_decref(root);
	if (rc < 0)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "cannot write state file %s: %s", path,
				  strerror(-rc));
	return 0;
}
