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

	TAILQ_FOREACH(s, sl_sriovs(m), next)
		if (strcmp(s->uuid, uuid) == 0)
			return s;
	return NULL;
}

static int
check_physical(const struct sl_model *m, const struct sl_pif *p,
	       struct sl_err *err)
{
	const struct sl_sriov *s;

	if (p->vlan_master_of)
		return sl_err_set(err, SL_E_PIF_IS_NOT_PHYSICAL,
				  "pif-uuid: PIF %s is a VLAN's PIF: SR-IOV is enabled on a physical PIF",
				  p->ep.uuid);
	if (sl_role_refuse_taking(p, false, "pif-uuid",
				  "SR-IOV is enabled on a physical PIF that is not bonded",
				  err) < 0)
		return -1;
	TAILQ_FOREACH(s, sl_sriovs(m), next)
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
		.role = &sl_sriov_pif_role,
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
	spec.role_of = s;
	s->logical = sl_model_pif_add(m, &spec, err);
	if (!s->logical) {
		free(s);
		return NULL;
	}
	s->physical = physical;
	TAILQ_INSERT_TAIL(sl_sriovs(m), s, next);
	return s;
}

void
sl_model_sriov_remove(struct sl_model *m, struct sl_sriov *s)
{
	TAILQ_REMOVE(sl_sriovs(m), s, next);
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
		if (p->ep.network != n || sl_pif_kind(p) != &sl_sriov_pif_role)
			continue;
		if (!p->vlan_master_of) {
			*vlan = 0;
			return sl_sriov_of_pif(p);
		}
		*vlan = p->vlan_master_of->tag;
		return sl_sriov_of_pif(p->vlan_master_of->tagged);
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
		if (sl_sriov_vf_index(v) == index &&
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
		if (sl_sriov_vf_of(v) &&
		    sl_model_network_sriov(m, v->ep.network, &vlan) == s)
			k++;
	return k;
}

/* ---- the SR-IOV part of the model ---- */

static void
sriovs_init(void *part)
{
	TAILQ_INIT((struct sl_sriov_list *)part);
}

static void
sriovs_fini(void *part)
{
	struct sl_sriov_list *sriovs = part;
	struct sl_sriov *s;

	while ((s = TAILQ_FIRST(sriovs))) {
		TAILQ_REMOVE(sriovs, s, next);
		free(s->pf);
		free(s);
	}
}

const struct sl_model_part sl_sriov_model_part = {
	.size = sizeof(struct sl_sriov_list),
	.init = sriovs_init,
	.fini = sriovs_fini,
};
