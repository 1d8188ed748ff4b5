/* SPDX-License-Identifier: BSD-3-Clause */
/* SR-IOV networks in the model: which PF serves which network, and which
 * VIF holds which VF. What the PF itself says is sriov_runtime.c's. */
#include <stdlib.h>
#include <string.h>

#include "sriov_model.h"
#include "model.h"

struct sl_sriov *
sl_model_sriov_find(const struct sl_model *m, const char *uuid)
{
	struct sl_sriov *s;

	TAILQ_FOREACH(s, &m->sriovs, next)
		if (strcmp(s->uuid, uuid) == 0)
			return s;
	return NULL;
}

static int
check_physical(const struct sl_model *m, const struct sl_pif *p,
	       struct sl_err *err)
{
	const struct sl_sriov *s;

	if (p->vlan_master_of || p->sriov_logical_of)
		return sl_err_set(err, SL_E_PIF_IS_NOT_PHYSICAL,
				  "pif-uuid: PIF %s is a %s's PIF: SR-IOV is enabled on a physical PIF",
				  p->ep.uuid, p->vlan_master_of ? "VLAN" : "SR-IOV network");
	if (p->bond_master_of || p->bond_slave_of)
		return sl_err_set(err, SL_E_PIF_ALREADY_BONDED,
				  "pif-uuid: PIF %s is %s: SR-IOV is enabled on a PIF that is not bonded",
				  p->ep.device, p->bond_master_of ? "a bond" : "a bond member");
	TAILQ_FOREACH(s, &m->sriovs, next)
		if (s->physical == p)
			return sl_err_set(err, SL_E_NETWORK_SRIOV_ALREADY_ENABLED,
					  "pif-uuid: SR-IOV is already enabled on %s for network %s (network-sriov %s)",
					  p->ep.device, s->logical->ep.network->uuid,
					  s->uuid);
	return 0;
}

struct sl_sriov *
sl_model_sriov_add(struct sl_model *m, const char *uuid,
		   const char *logical_uuid, struct sl_pif *physical,
		   struct sl_network *net, struct sl_err *err)
{
	struct sl_endpoint_spec spec = {
		.uuid = logical_uuid, .device = physical->ep.device,
		.devargs = "", .network_uuid = net->uuid, .vlan = -1,
		.plugged = true, .no_port = true, .shares_device = true,
	};
	char mac[SL_MAC_STR_LEN];
	struct sl_sriov *s;

	if (check_physical(m, physical, err) < 0)
		return NULL;
	if (sl_model_network_pifs(m, net) || sl_model_network_vifs(m, net)) {
		sl_err_set(err, SL_E_NETWORK_INCOMPATIBLE_WITH_SRIOV,
			   "network-uuid: network %s already has PIFs or VIFs; an SR-IOV network starts empty",
			   net->bridge);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
		return NULL;
	}
	if (sl_model_take_uuid(m, uuid, s->uuid, err) < 0) {
		free(s);
		return NULL;
	}
	if (physical->ep.mac_set) {
		sl_mac_format(mac, &physical->ep.mac);
		spec.mac = mac;
	}
	s->logical = sl_model_pif_add(m, &spec, err);
	if (!s->logical) {
		free(s);
		return NULL;
	}
	s->physical = physical;
	s->logical->sriov_logical_of = s;
	TAILQ_INSERT_TAIL(&m->sriovs, s, next);
	return s;
}

void
sl_model_sriov_remove(struct sl_model *m, struct sl_sriov *s)
{
	TAILQ_REMOVE(&m->sriovs, s, next);
	sl_model_pif_remove(m, s->logical);
	free(s->pf);
	free(s);
}

struct sl_sriov *
sl_model_network_sriov(const struct sl_model *m, const struct sl_network *n,
		       uint16_t *vlan)
{
	const struct sl_pif *p;

	TAILQ_FOREACH(p, &m->pifs, next) {
		if (p->ep.network != n || !sl_pif_is_sriov(p))
			continue;
		if (p->sriov_logical_of) {
			*vlan = 0;
			return p->sriov_logical_of;
		}
		*vlan = p->vlan_master_of->tag;
		return p->vlan_master_of->tagged->sriov_logical_of;
	}
	return NULL;
}

struct sl_vif *
sl_model_sriov_vf_user(const struct sl_model *m, const struct sl_sriov *s,
		       int index)
{
	struct sl_vif *v;
	uint16_t vlan;

	TAILQ_FOREACH(v, &m->vifs, next)
		if (v->vf == index &&
		    sl_model_network_sriov(m, v->ep.network, &vlan) == s)
			return v;
	return NULL;
}

unsigned int
sl_model_sriov_vifs(const struct sl_model *m, const struct sl_sriov *s)
{
	const struct sl_vif *v;
	unsigned int k = 0;
	uint16_t vlan;

	TAILQ_FOREACH(v, &m->vifs, next)
		if (v->vf != SL_VF_NONE &&
		    sl_model_network_sriov(m, v->ep.network, &vlan) == s)
			k++;
	return k;
}
