/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bonds in the model: XAPI's Bond, its modes and properties, a bond of 2
 * to 8 physical PIFs and its own PIF on a network.
 */
#include <stdlib.h>
#include <string.h>

#include "bond_model.h"
#include "feature.h"
#include "model.h"

static const char *const mode_names[SL_BOND_MODE_COUNT] = {
	[SL_BOND_BALANCE_SLB] = "balance-slb",
	[SL_BOND_ACTIVE_BACKUP] = "active-backup",
	[SL_BOND_BALANCE_TCP] = "balance-tcp",
	[SL_BOND_LACP] = "lacp",
	[SL_BOND_BROADCAST] = "broadcast",
};

const char *
sl_bond_mode_name(enum sl_bond_mode mode)
{
	return mode < SL_BOND_MODE_COUNT ? mode_names[mode] : "?";
}

int
sl_bond_mode_parse(const char *what, const char *s, enum sl_bond_mode *out,
		   struct sl_err *err)
{
	for (int i = 0; i < SL_BOND_MODE_COUNT; i++) {
		if (strcmp(s, mode_names[i]) == 0) {
			*out = (enum sl_bond_mode)i;
			return 0;
		}
	}
	return sl_err_set(err, SL_E_BOND_MODE_INVALID,
			  "%s: '%s' is not balance-slb, active-backup, balance-tcp, lacp or broadcast",
			  what, s);
}

static int
prop_ms(const char *key, const char *v, uint32_t *out, struct sl_err *err)
{
	char *end;
	unsigned long n;

	n = strtoul(v, &end, 10);
	if (!*v || *end || *v == '-' || n > 86400000UL)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "properties:%s: '%s' is not milliseconds (0..86400000)",
				  key, v);
	*out = (uint32_t)n;
	return 0;
}

static int
prop_bool(const char *key, const char *v, bool *out, struct sl_err *err)
{
	if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
		*out = v[0] == 't';
		return 0;
	}
	return sl_err_set(err, SL_E_INVALID_VALUE,
			  "properties:%s: '%s' is not true or false", key, v);
}

int
sl_bond_props_parse(json_t *props, struct sl_bond_props *out,
		    struct sl_err *err)
{
	const char *key;
	json_t *val;

	/* XAPI's defaults: miimon 100 ms, downdelay 200 ms, updelay 31 s,
	 * SLB rebalancing every 30 minutes, LACP falling back */
	*out = (struct sl_bond_props){
		.miimon_ms = 100, .downdelay_ms = 200, .updelay_ms = 31000,
		.rebalance_ms = 1800000, .fallback_ab = true, .relay = true,
	};
	json_object_foreach(props, key, val) {
		const char *v = json_string_value(val);
		int rc;

		if (!v)
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "properties:%s: values are strings", key);
		if (strcmp(key, "hashing_algorithm") == 0) {
			if (strcmp(v, "src_mac") != 0 && strcmp(v, "tcpudp_ports") != 0)
				return sl_err_set(err, SL_E_INVALID_VALUE,
						  "properties:hashing_algorithm: '%s' is not src_mac or tcpudp_ports",
						  v);
			out->hash_tcpudp = v[0] == 't';
			rc = 0;
		} else if (strcmp(key, "lacp-time") == 0) {
			if (strcmp(v, "fast") != 0 && strcmp(v, "slow") != 0)
				return sl_err_set(err, SL_E_INVALID_VALUE,
						  "properties:lacp-time: '%s' is not fast or slow", v);
			out->lacp_fast = v[0] == 'f';
			rc = 0;
		} else if (strcmp(key, "lacp-fallback-ab") == 0) {
			rc = prop_bool(key, v, &out->fallback_ab, err);
		} else if (strcmp(key, "relay") == 0) {
			rc = prop_bool(key, v, &out->relay, err);
		} else if (strcmp(key, "rebalance-interval") == 0) {
			rc = prop_ms(key, v, &out->rebalance_ms, err);
			/* as OVS: 0 turns it off; more often than every second
			 * would move sources on noise */
			if (rc == 0 && out->rebalance_ms && out->rebalance_ms < 1000)
				rc = sl_err_set(err, SL_E_INVALID_VALUE,
						"properties:rebalance-interval: at least 1000 ms, or 0 for never");
		} else if (strcmp(key, "miimon") == 0) {
			rc = prop_ms(key, v, &out->miimon_ms, err);
			if (rc == 0 && out->miimon_ms < 10)
				rc = sl_err_set(err, SL_E_INVALID_VALUE,
						"properties:miimon: at least 10 ms");
		} else if (strcmp(key, "downdelay") == 0) {
			rc = prop_ms(key, v, &out->downdelay_ms, err);
		} else if (strcmp(key, "updelay") == 0) {
			rc = prop_ms(key, v, &out->updelay_ms, err);
		} else {
			return sl_err_set(err, SL_E_UNKNOWN_PARAMETER,
					  "properties:%s: not a bond property (hashing_algorithm, lacp-time, lacp-fallback-ab, rebalance-interval, miimon, downdelay, updelay, relay)",
					  key);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

struct sl_bond *
sl_model_bond_find(const struct sl_model *m, const char *uuid)
{
	struct sl_bond *b;

	TAILQ_FOREACH(b, sl_bonds(m), next)
		if (strcmp(b->uuid, uuid) == 0)
			return b;
	return NULL;
}

static int
check_slave(const struct sl_model *m, struct sl_pif *const *slaves,
	    unsigned int i, struct sl_err *err)
{
	const struct sl_pif *p = slaves[i];
	const struct sl_vlan *v;

	if (sl_bond_with_member(p))
		return sl_err_set(err, SL_E_PIF_ALREADY_BONDED,
				  "pif-uuids: PIF %s is already in bond %s",
				  p->ep.uuid, sl_bond_with_member(p)->uuid);
	if (sl_bond_of_pif(p))
		return sl_err_set(err, SL_E_PIF_IS_BOND_MASTER,
				  "pif-uuids: PIF %s is a bond's own PIF", p->ep.uuid);
	if (p->vlan_master_of)
		return sl_err_set(err, SL_E_PIF_IS_VLAN,
				  "pif-uuids: PIF %s is a VLAN's PIF", p->ep.uuid);
	if (sl_role_refuse_taking(p, false, "pif-uuids",
				  "a bond's members are physical PIFs", err) < 0 ||
	    sl_features_refuse_pif(m->features, m, p, SL_ACT_TAKE, err) < 0)
		return -1;
	TAILQ_FOREACH(v, &m->vlans, next)
		if (v->tagged == p)
			return sl_err_set(err, SL_E_PIF_VLAN_STILL_EXISTS,
					  "pif-uuids: PIF %s carries VLAN %u; put VLANs on the bond instead",
					  p->ep.device, v->tag);
	for (unsigned int j = 0; j < i; j++)
		if (slaves[j] == p)
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "pif-uuids: PIF %s is given twice", p->ep.uuid);
	return 0;
}

struct sl_bond *
sl_model_bond_add(struct sl_model *m, const char *uuid, const char *master_uuid,
		  struct sl_network *net, struct sl_pif *const *slaves,
		  unsigned int n, enum sl_bond_mode mode, json_t *properties,
		  struct sl_err *err)
{
	struct sl_endpoint_spec spec = {
		.uuid = master_uuid, .devargs = "", .network_uuid = net->uuid,
		.vlan = -1, .no_port = true, .role = &sl_bond_pif_role,
	};
	char device[SL_DEVICE_NAME_MAX], mac[SL_MAC_STR_LEN];
	bool used[SL_MODEL_MAX_BONDS] = { false };
	struct sl_bond *b, *other;
	struct sl_pif *master;
	int index = -1;

	if (n < SL_BOND_MIN_MEMBERS || n > SL_BOND_MAX_SLAVES) {
		sl_err_set(err, SL_E_INVALID_VALUE,
			   "pif-uuids: a bond has %d to %d members, not %u",
			   SL_BOND_MIN_MEMBERS, SL_BOND_MAX_SLAVES, n);
		return NULL;
	}
	for (unsigned int i = 0; i < n; i++)
		if (check_slave(m, slaves, i, err) < 0)
			return NULL;
	TAILQ_FOREACH(other, sl_bonds(m), next)
		used[other->index] = true;
	for (int i = 0; i < SL_MODEL_MAX_BONDS && index < 0; i++)
		if (!used[i])
			index = i;
	if (index < 0) {
		sl_err_set(err, SL_E_LIMIT_REACHED, "a host holds at most %d bonds",
			   SL_MODEL_MAX_BONDS);
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
		return NULL;
	}
	b->properties = properties ? json_deep_copy(properties) : json_object();
	if (sl_model_take_uuid(m, uuid, b->uuid, err) < 0 ||
	    sl_bond_props_parse(b->properties, &b->props, err) < 0)
		goto fail;
	/* bond0, bond1, ... as XAPI names them */
	for (int i = 0;; i++) {
		snprintf(device, sizeof(device), "bond%d", i);
		if (!sl_model_device_taken(m, device, false, -1))
			break;
	}
	spec.device = device;
	/* the bond's MAC is its first member's (LACP's system id, RARP) */
	if (slaves[0]->ep.mac_set) {
		sl_mac_format(mac, &slaves[0]->ep.mac);
		spec.mac = mac;
	}
	spec.role_of = b;
	master = sl_model_pif_add(m, &spec, err);
	if (!master)
		goto fail;
	b->index = (uint16_t)index;
	b->master = master;
	b->mode = mode;
	b->nb_slaves = n;
	for (unsigned int i = 0; i < n; i++) {
		b->slaves[i] = slaves[i];
		slaves[i]->ep.role = &sl_bond_member_role;
		slaves[i]->ep.role_of = b;
		/* as XAPI: the management interface moves to the bond */
		if (slaves[i]->management)
			master->management = true;
		slaves[i]->management = false;
	}
	TAILQ_INSERT_TAIL(sl_bonds(m), b, next);
	return b;
fail:
	json_decref(b->properties);
	free(b);
	return NULL;
}

void
sl_model_bond_remove(struct sl_model *m, struct sl_bond *b)
{
	TAILQ_REMOVE(sl_bonds(m), b, next);
	for (unsigned int i = 0; i < b->nb_slaves; i++) {
		b->slaves[i]->ep.role = NULL;
		b->slaves[i]->ep.role_of = NULL;
	}
	if (b->master->management)
		b->slaves[0]->management = true;
	sl_model_pif_remove(m, b->master);
	json_decref(b->properties);
	free(b);
}

/* ---- the bond part of the model ---- */

static void
bonds_init(void *part)
{
	TAILQ_INIT((struct sl_bond_list *)part);
}

static void
bonds_fini(void *part)
{
	struct sl_bond_list *bonds = part;
	struct sl_bond *b;

	while ((b = TAILQ_FIRST(bonds))) {
		TAILQ_REMOVE(bonds, b, next);
		json_decref(b->properties);
		free(b);
	}
}

const struct sl_model_part sl_bond_model_part = {
	.size = sizeof(struct sl_bond_list),
	.init = bonds_init,
	.fini = bonds_fini,
};
