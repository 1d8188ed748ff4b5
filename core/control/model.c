/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "feature.h"
#include "model.h"

struct sl_model *
sl_model_new(const struct sl_feature *const *features)
{
	struct sl_model *m = calloc(1, sizeof(*m));
	unsigned int k = 0;

	if (!m)
		return NULL;
	TAILQ_INIT(&m->networks);
	TAILQ_INIT(&m->pifs);
	TAILQ_INIT(&m->vifs);
	TAILQ_INIT(&m->vlans);
	m->settings.fdb_aging_s = 300;
	m->settings.fdb_max_entries = 65536;
	m->features = features;
	SL_FEATURE_FOREACH(f, features) {
		const struct sl_model_part *kind = (*f)->model_part;

		if (!kind)
			continue;
		if (k == SL_MODEL_MAX_PARTS ||
		    !(m->parts[k].data = calloc(1, kind->size))) {
			sl_model_free(m);
			return NULL;
		}
		m->parts[k].kind = kind;
		if (kind->init)
			kind->init(m->parts[k].data);
		k++;
	}
	return m;
}

void *
sl_model_part(const struct sl_model *m, const struct sl_model_part *kind)
{
	for (unsigned int k = 0; k < SL_MODEL_MAX_PARTS && m->parts[k].kind; k++)
		if (m->parts[k].kind == kind)
			return m->parts[k].data;
	return NULL;
}

static void
endpoint_release(struct sl_endpoint *ep)
{
	json_decref(ep->other_config);
}

/* The endpoint leaves the model: its feature's object forgets it. */
static void
endpoint_forget(struct sl_endpoint *ep)
{
	if (ep->role && ep->role->forget)
		ep->role->forget(ep);
	ep->role = NULL;
	ep->role_of = NULL;
}

void
sl_model_free(struct sl_model *m)
{
	struct sl_network *n;
	struct sl_vlan *vl;
	struct sl_pif *p;
	struct sl_vif *v;

	if (!m)
		return;
	/* while the features' objects are still there */
	TAILQ_FOREACH(p, &m->pifs, next)
		endpoint_forget(&p->ep);
	TAILQ_FOREACH(v, &m->vifs, next)
		endpoint_forget(&v->ep);
	while ((vl = TAILQ_FIRST(&m->vlans))) {
		TAILQ_REMOVE(&m->vlans, vl, next);
		free(vl);
	}
	for (unsigned int k = 0; k < SL_MODEL_MAX_PARTS && m->parts[k].kind; k++) {
		if (m->parts[k].kind->fini)
			m->parts[k].kind->fini(m->parts[k].data);
		free(m->parts[k].data);
	}
	while ((p = TAILQ_FIRST(&m->pifs))) {
		TAILQ_REMOVE(&m->pifs, p, next);
		endpoint_release(&p->ep);
		free(p);
	}
	while ((v = TAILQ_FIRST(&m->vifs))) {
		TAILQ_REMOVE(&m->vifs, v, next);
		endpoint_release(&v->ep);
		free(v);
	}
	while ((n = TAILQ_FIRST(&m->networks))) {
		TAILQ_REMOVE(&m->networks, n, next);
		json_decref(n->other_config);
		free(n);
	}
	free(m);
}

/* ---- validation ---------------------------------------------------- */

static bool
all_chars(const char *s, const char *extra)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(extra, *s))
			return false;
	return true;
}

int
sl_check_uuid(const char *what, const char *s, struct sl_err *err)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (strlen(s) != SL_UUID_LEN)
		goto bad;
	for (size_t i = 0; i < SL_UUID_LEN; i++)
		if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			goto bad;
	return 0;
bad:
	return sl_err_set(err, SL_E_INVALID_VALUE,
			  "%s: '%s' is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
			  what, s);
}

int
sl_check_mac(const char *what, const char *s, struct rte_ether_addr *mac,
	     struct sl_err *err)
{
	/* rte_ether_unformat_addr also takes "xxxx:xxxx:xxxx"; XAPI and the
	 * sdncontroller plugin only take six colon-separated pairs. */
	bool shape = strlen(s) == 17;

	for (size_t i = 0; shape && i < 17; i++)
		shape = i % 3 == 2 ? s[i] == ':' : isxdigit((unsigned char)s[i]);
	if (!shape || rte_ether_unformat_addr(s, mac) != 0)
		return sl_err_set(err, SL_E_MAC_INVALID,
				  "%s: '%s' is not a MAC address (aa:bb:cc:dd:ee:ff)",
				  what, s);
	if (rte_is_multicast_ether_addr(mac))
		return sl_err_set(err, SL_E_MAC_INVALID,
				  "%s: '%s' is a multicast address; a port needs a unicast MAC",
				  what, s);
	return 0;
}

int
sl_check_mtu(const char *what, long mtu, struct sl_err *err)
{
	if (mtu < SL_MTU_MIN || mtu > SL_MTU_MAX)
		return sl_err_set(err, SL_E_MTU_INVALID,
				  "%s: %ld is outside %d..%d", what, mtu,
				  SL_MTU_MIN, SL_MTU_MAX);
	return 0;
}

/* 1..max-1 letters, digits and the characters of extra. */
static int
check_name(const char *what, const char *noun, const char *s, size_t max,
	   const char *extra, struct sl_err *err)
{
	char allowed[32] = "";
	size_t n = 0;

	if (*s && strlen(s) < max && all_chars(s, extra))
		return 0;
	for (const char *c = extra; *c && n + 6 < sizeof(allowed); c++)
		n += (size_t)snprintf(allowed + n, sizeof(allowed) - n,
				      ", '%c'", *c);
	return sl_err_set(err, SL_E_INVALID_VALUE,
			  "%s: '%s' is not a %s (1..%zu letters, digits%s)",
			  what, s, noun, max - 1, allowed);
}

int
sl_check_device(const char *what, const char *s, struct sl_err *err)
{
	return check_name(what, "device name", s, SL_DEVICE_NAME_MAX, "_.:-",
			  err);
}

int
sl_check_devargs(const char *what, const char *s, struct sl_err *err)
{
	if (!*s || strlen(s) >= SL_DEVARGS_MAX)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "%s: DPDK devargs must be 1..%d characters",
				  what, SL_DEVARGS_MAX - 1);
	for (const char *c = s; *c; c++)
		if (!isgraph((unsigned char)*c))
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "%s: DPDK devargs may not contain spaces or control characters",
					  what);
	return 0;
}

int
sl_check_bridge(const char *what, const char *s, struct sl_err *err)
{
	return check_name(what, "bridge name", s, SL_BRIDGE_MAX, "_.-", err);
}

int
sl_check_text(const char *what, const char *s, size_t max, struct sl_err *err)
{
	if (strlen(s) >= max)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "%s: longer than %zu characters", what,
				  max - 1);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "%s: control characters are not allowed",
					  what);
	return 0;
}

void
sl_mac_format(char out[SL_MAC_STR_LEN], const struct rte_ether_addr *mac)
{
	const uint8_t *b = mac->addr_bytes;

	snprintf(out, SL_MAC_STR_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", b[0],
		 b[1], b[2], b[3], b[4], b[5]);
}

void
sl_uuid_generate(char out[SL_UUID_LEN + 1])
{
	uint8_t b[16];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);

		if (n > 0)
			got += (size_t)n;
		else if (errno != EINTR)
			abort();	/* no entropy source: nothing sane to do */
	}
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4 */
	b[8] = (b[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	snprintf(out, SL_UUID_LEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
}

void
sl_model_network_remove(struct sl_model *m, struct sl_network *n)
{
	TAILQ_REMOVE(&m->networks, n, next);
	m->dp_id_used[n->dp_id] = 0;
	json_decref(n->other_config);
	free(n);
}

void
sl_model_pif_remove(struct sl_model *m, struct sl_pif *p)
{
	TAILQ_REMOVE(&m->pifs, p, next);
	endpoint_forget(&p->ep);
	endpoint_release(&p->ep);
	free(p);
}

void
sl_model_vif_remove(struct sl_model *m, struct sl_vif *v)
{
	TAILQ_REMOVE(&m->vifs, v, next);
	endpoint_forget(&v->ep);
	endpoint_release(&v->ep);
	free(v);
}

unsigned int
sl_model_network_pifs(const struct sl_model *m, const struct sl_network *n)
{
	const struct sl_pif *p;
	unsigned int k = 0;

	TAILQ_FOREACH(p, &m->pifs, next)
		k += p->ep.network == n;
	return k;
}

unsigned int
sl_model_network_vifs(const struct sl_model *m, const struct sl_network *n)
{
	const struct sl_vif *v;
	unsigned int k = 0;

	TAILQ_FOREACH(v, &m->vifs, next)
		k += v->ep.network == n;
	return k;
}

/* ---- lookups --------------------------------------------------------- */

struct sl_network *
sl_model_network_find(const struct sl_model *m, const char *uuid)
{
	struct sl_network *n;

	TAILQ_FOREACH(n, &m->networks, next)
		if (strcmp(n->uuid, uuid) == 0)
			return n;
	return NULL;
}

struct sl_network *
sl_model_network_by_dp_id(const struct sl_model *m, uint16_t dp_id)
{
	struct sl_network *n;

	TAILQ_FOREACH(n, &m->networks, next)
		if (n->dp_id == dp_id)
			return n;
	return NULL;
}

struct sl_endpoint *
sl_model_endpoint_find(const struct sl_model *m, const char *uuid, bool is_vif)
{
	struct sl_pif *p;
	struct sl_vif *v;

	if (is_vif) {
		TAILQ_FOREACH(v, &m->vifs, next)
			if (strcmp(v->ep.uuid, uuid) == 0)
				return &v->ep;
		return NULL;
	}
	TAILQ_FOREACH(p, &m->pifs, next)
		if (strcmp(p->ep.uuid, uuid) == 0)
			return &p->ep;
	return NULL;
}

struct sl_endpoint *
sl_model_endpoint_by_port(const struct sl_model *m, uint16_t port_id)
{
	struct sl_pif *p;
	struct sl_vif *v;

	TAILQ_FOREACH(p, &m->pifs, next)
		if (p->ep.port_id == port_id && sl_pif_owns_port(p))
			return &p->ep;
	TAILQ_FOREACH(v, &m->vifs, next)
		if (v->ep.port_id == port_id)
			return &v->ep;
	return NULL;
}

struct sl_endpoint *
sl_model_endpoint_by_device(const struct sl_model *m, const char *device)
{
	struct sl_vif *v;
	struct sl_pif *p;

	TAILQ_FOREACH(v, &m->vifs, next)
		if (strcmp(v->ep.device, device) == 0)
			return &v->ep;
	TAILQ_FOREACH(p, &m->pifs, next)
		if (strcmp(p->ep.device, device) == 0 && p->vlan < 0)
			return &p->ep;
	return NULL;
}

uint16_t
sl_model_dp_id_bound(const struct sl_model *m)
{
	uint16_t bound = 0;

	for (uint16_t i = 0; i < SL_MAX_NETWORKS; i++)
		if (m->dp_id_used[i])
			bound = i + 1;
	return bound;
}

static bool
uuid_taken(const struct sl_model *m, const char *uuid)
{
	return sl_model_network_find(m, uuid) ||
	       sl_model_endpoint_find(m, uuid, false) ||
	       sl_model_endpoint_find(m, uuid, true);
}

static int
take_uuid(const struct sl_model *m, const char *given,
	  char out[SL_UUID_LEN + 1], struct sl_err *err)
{
	if (!given) {
		do
			sl_uuid_generate(out);
		while (uuid_taken(m, out));
		return 0;
	}
	if (sl_check_uuid("uuid", given, err) < 0)
		return -1;
	if (uuid_taken(m, given))
		return sl_err_set(err, SL_E_UUID_ALREADY_EXISTS,
				  "uuid: an object with uuid %s already exists",
				  given);
	snprintf(out, SL_UUID_LEN + 1, "%s", given);
	return 0;
}

int
sl_model_take_uuid(const struct sl_model *m, const char *given,
		   char out[SL_UUID_LEN + 1], struct sl_err *err)
{
	return take_uuid(m, given, out, err);
}

json_t *
sl_model_other_config(const struct sl_model *m, enum sl_object_kind kind,
		      json_t *given, struct sl_err *err)
{
	const char *key;
	json_t *val;

	if (!given)
		return json_object();
	if (!json_is_object(given)) {
		sl_err_set(err, SL_E_INVALID_VALUE,
			   "other-config: must be a map of key to string");
		return NULL;
	}
	json_object_foreach(given, key, val) {
		if (!json_is_string(val)) {
			sl_err_set(err, SL_E_INVALID_VALUE,
				   "other-config:%s: values must be strings", key);
			return NULL;
		}
	}
	/* the features' keys (a PIF's static-neighbours) */
	if (sl_features_check_other_config(m->features, kind, given, err) < 0)
		return NULL;
	return json_deep_copy(given);
}

/* ---- networks ------------------------------------------------------- */

static bool
bridge_taken(const struct sl_model *m, const char *bridge)
{
	struct sl_network *n;

	TAILQ_FOREACH(n, &m->networks, next)
		if (strcmp(n->bridge, bridge) == 0)
			return true;
	return false;
}

struct sl_network *
sl_model_network_add(struct sl_model *m, const struct sl_network_spec *spec,
		     struct sl_err *err)
{
	struct sl_network *n;
	int dp_id = -1;

	for (int i = 0; i < SL_MAX_NETWORKS && dp_id < 0; i++)
		if (!m->dp_id_used[i])
			dp_id = i;
	if (dp_id < 0) {
		sl_err_set(err, SL_E_LIMIT_REACHED,
			   "a host holds at most %d networks", SL_MAX_NETWORKS);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
		return NULL;
	}
	n->mtu = spec->mtu ? (uint16_t)spec->mtu : SL_MTU_DEFAULT;
	if (take_uuid(m, spec->uuid, n->uuid, err) < 0 ||
	    (spec->name_label &&
	     sl_check_text("name-label", spec->name_label,
			   sizeof(n->name_label), err) < 0) ||
	    (spec->name_description &&
	     sl_check_text("name-description", spec->name_description,
			   sizeof(n->name_description), err) < 0) ||
	    (spec->mtu && sl_check_mtu("MTU", spec->mtu, err) < 0))
		goto fail;
	if (spec->bridge) {
		if (sl_check_bridge("bridge", spec->bridge, err) < 0)
			goto fail;
		if (bridge_taken(m, spec->bridge)) {
			sl_err_set(err, SL_E_BRIDGE_ALREADY_EXISTS,
				   "bridge: network bridge %s already exists",
				   spec->bridge);
			goto fail;
		}
		snprintf(n->bridge, sizeof(n->bridge), "%s", spec->bridge);
	} else {
		/* XAPI names the bridges of networks it creates xapiN */
		for (int i = 0; !n->bridge[0] || bridge_taken(m, n->bridge); i++)
			snprintf(n->bridge, sizeof(n->bridge), "xapi%d", i);
	}
	n->other_config = sl_model_other_config(m, SL_OBJ_NETWORK,
						spec->other_config, err);
	if (!n->other_config)
		goto fail;
	snprintf(n->name_label, sizeof(n->name_label), "%s",
		 spec->name_label ? spec->name_label : "");
	snprintf(n->name_description, sizeof(n->name_description), "%s",
		 spec->name_description ? spec->name_description : "");
	n->dp_id = (uint16_t)dp_id;
	m->dp_id_used[dp_id] = 1;
	TAILQ_INSERT_TAIL(&m->networks, n, next);
	return n;
fail:
	free(n);
	return NULL;
}

/* ---- PIFs and VIFs ---------------------------------------------------- */

/* VIF devices are unique; a PIF device is unique per VLAN (a VLAN's PIF
 * has the device of the PIF carrying its tag). */
bool
sl_model_device_taken(const struct sl_model *m, const char *device, bool is_vif,
		      int vlan)
{
	struct sl_pif *p;
	struct sl_vif *v;

	if (is_vif) {
		TAILQ_FOREACH(v, &m->vifs, next)
			if (strcmp(v->ep.device, device) == 0)
				return true;
		return false;
	}
	TAILQ_FOREACH(p, &m->pifs, next)
		if (strcmp(p->ep.device, device) == 0 && p->vlan == vlan)
			return true;
	return false;
}

static const struct sl_vif *
vif_with_mac(const struct sl_model *m, const struct sl_network *net,
	     const struct rte_ether_addr *mac)
{
	const struct sl_vif *v;

	TAILQ_FOREACH(v, &m->vifs, next)
		if (v->ep.network == net &&
		    rte_is_same_ether_addr(&v->ep.mac, mac))
			return v;
	return NULL;
}

/* A feature's network (an SR-IOV network, a private network) says what
 * may join it, through the role of the PIF that makes it so. */
int
sl_model_network_refuses(const struct sl_model *m, const struct sl_network *net,
			 const struct sl_endpoint_spec *spec, bool is_vif,
			 enum sl_role_action a, struct sl_err *err)
{
	const struct sl_pif *p;

	TAILQ_FOREACH(p, &m->pifs, next) {
		const struct sl_role *r = sl_pif_kind(p);

		if (p->ep.network == net && r && r->refuse_join &&
		    r->refuse_join(m, p, spec, is_vif, a, err) < 0)
			return -1;
	}
	return 0;
}

static int
endpoint_init(struct sl_model *m, struct sl_endpoint *ep,
	      const struct sl_endpoint_spec *spec, bool is_vif,
	      struct sl_err *err)
{
	const char *kind = is_vif ? "VIF" : "PIF";

	ep->is_vif = is_vif;
	ep->port_id = SL_PORT_NONE;
	ep->plugged = spec->plugged;
	if (take_uuid(m, spec->uuid, ep->uuid, err) < 0)
		return -1;
	if (!spec->device)
		return sl_err_set(err, SL_E_MISSING_PARAMETER,
				  "device: a %s needs a device name", kind);
	if (sl_check_device("device", spec->device, err) < 0)
		return -1;
	if (!spec->shares_device &&
	    sl_model_device_taken(m, spec->device, is_vif, is_vif ? -1 : spec->vlan))
		return sl_err_set(err, SL_E_DEVICE_ALREADY_EXISTS,
				  "device: a %s with device %s already exists",
				  kind, spec->device);
	snprintf(ep->device, sizeof(ep->device), "%s", spec->device);
	if (!spec->devargs)
		return sl_err_set(err, SL_E_MISSING_PARAMETER,
				  "devargs: a %s needs DPDK devargs for its port",
				  kind);
	/* VLANs' and bonds' PIFs have no port of their own */
	if (!spec->no_port && sl_check_devargs("devargs", spec->devargs, err) < 0)
		return -1;
	snprintf(ep->devargs, sizeof(ep->devargs), "%s", spec->devargs);
	if (!spec->network_uuid)
		return sl_err_set(err, SL_E_MISSING_PARAMETER,
				  "network-uuid: a %s belongs to a network", kind);
	if (sl_check_uuid("network-uuid", spec->network_uuid, err) < 0)
		return -1;
	ep->network = sl_model_network_find(m, spec->network_uuid);
	if (!ep->network)
		return sl_err_set(err, SL_E_HANDLE_INVALID,
				  "network-uuid: no network has uuid %s",
				  spec->network_uuid);
	if (sl_model_network_refuses(m, ep->network, spec, is_vif,
				     SL_ACT_JOIN, err) < 0)
		return -1;
	ep->role = spec->role;
	ep->role_of = spec->role_of;
	if (spec->mac) {
		if (sl_check_mac("MAC", spec->mac, &ep->mac, err) < 0)
			return -1;
		ep->mac_set = true;
	} else if (is_vif) {
		return sl_err_set(err, SL_E_MISSING_PARAMETER,
				  "MAC: a VIF needs the guest's MAC address");
	}
	if (is_vif && vif_with_mac(m, ep->network, &ep->mac))
		return sl_err_set(err, SL_E_MAC_INVALID,
				  "MAC: %s is already the MAC of VIF %s on network %s",
				  spec->mac,
				  vif_with_mac(m, ep->network, &ep->mac)->ep.uuid,
				  ep->network->bridge);
	if (spec->mtu && sl_check_mtu("MTU", spec->mtu, err) < 0)
		return -1;
	ep->mtu = spec->mtu ? (uint16_t)spec->mtu : ep->network->mtu;
	ep->other_config = sl_model_other_config(m, is_vif ? SL_OBJ_VIF : SL_OBJ_PIF,
						 spec->other_config, err);
	return ep->other_config ? 0 : -1;
}

struct sl_pif *
sl_model_pif_add(struct sl_model *m, const struct sl_endpoint_spec *spec,
		 struct sl_err *err)
{
	struct sl_pif *p = calloc(1, sizeof(*p));

	if (!p) {
		sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
		return NULL;
	}
	if (endpoint_init(m, &p->ep, spec, false, err) < 0)
		goto fail;
	if (spec->vlan < -1 || spec->vlan > 4094) {
		sl_err_set(err, SL_E_INVALID_VALUE,
			   "VLAN: %d is outside -1..4094", spec->vlan);
		goto fail;
	}
	p->vlan = spec->vlan;
	p->management = spec->management;
	TAILQ_INSERT_TAIL(&m->pifs, p, next);
	return p;
fail:
	endpoint_release(&p->ep);
	free(p);
	return NULL;
}

struct sl_vif *
sl_model_vif_add(struct sl_model *m, const struct sl_endpoint_spec *spec,
		 struct sl_err *err)
{
	struct sl_vif *v = calloc(1, sizeof(*v));

	if (!v) {
		sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
		return NULL;
	}
	if (endpoint_init(m, &v->ep, spec, true, err) < 0) {
		endpoint_release(&v->ep);
		free(v);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&m->vifs, v, next);
	return v;
}

/* ---- VLANs --------------------------------------------------------------- */

struct sl_vlan *
sl_model_vlan_find(const struct sl_model *m, const char *uuid)
{
	struct sl_vlan *v;

	TAILQ_FOREACH(v, &m->vlans, next)
		if (strcmp(v->uuid, uuid) == 0)
			return v;
	return NULL;
}

struct sl_vlan *
sl_model_vlan_add(struct sl_model *m, const char *uuid, const char *pif_uuid,
		  struct sl_pif *tagged, long tag, struct sl_network *net,
		  struct sl_err *err)
{
	struct sl_endpoint_spec spec = {
		.uuid = pif_uuid, .device = tagged->ep.device, .devargs = "",
		.network_uuid = net->uuid, .vlan = (int)tag, .no_port = true,
	};
	struct sl_vlan *v, *other;
	struct sl_pif *p;
	char mac[SL_MAC_STR_LEN];

	if (tag < 0 || tag > SL_VLAN_MAX) {
		sl_err_set(err, SL_E_VLAN_TAG_INVALID,
			   "vlan: %ld is not a VLAN tag (0..%d; 0 is the untagged traffic)",
			   tag, SL_VLAN_MAX);
		return NULL;
	}
	if (tagged->vlan_master_of) {
		sl_err_set(err, SL_E_PIF_IS_VLAN,
			   "pif-uuid: PIF %s is itself a VLAN; tag its physical PIF instead",
			   tagged->ep.uuid);
		return NULL;
	}
	/* a feature's PIF: its role says whether it carries VLANs */
	if (sl_role_refuse(m, &tagged->ep, SL_ACT_TAG, net, err) < 0)
		return NULL;
	TAILQ_FOREACH(other, &m->vlans, next) {
		if (other->tagged == tagged && other->tag == tag) {
			sl_err_set(err, SL_E_PIF_VLAN_EXISTS,
				   "vlan: PIF %s already carries VLAN %ld (VLAN %s)",
				   tagged->ep.device, tag, other->uuid);
			return NULL;
		}
	}
	v = calloc(1, sizeof(*v));
	if (!v) {
		sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
		return NULL;
	}
	if (take_uuid(m, uuid, v->uuid, err) < 0) {
		free(v);
		return NULL;
	}
	if (tagged->ep.mac_set) {
		sl_mac_format(mac, &tagged->ep.mac);
		spec.mac = mac;
	}
	/* a VLAN of an SR-IOV network and the same VLAN switched by sluice
	 * on the PF are two things */
	spec.shares_device = tagged->ep.role && tagged->ep.role->vlans_alike;
	p = sl_model_pif_add(m, &spec, err);
	if (!p) {
		free(v);
		return NULL;
	}
	v->tagged = tagged;
	v->untagged = p;
	v->tag = (uint16_t)tag;
	p->vlan_master_of = v;
	TAILQ_INSERT_TAIL(&m->vlans, v, next);
	return v;
}

void
sl_model_vlan_remove(struct sl_model *m, struct sl_vlan *v)
{
	TAILQ_REMOVE(&m->vlans, v, next);
	sl_model_pif_remove(m, v->untagged);
	free(v);
}
