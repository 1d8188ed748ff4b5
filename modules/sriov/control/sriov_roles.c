/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What SR-IOV's PIFs and VIFs are to the core (role.h): an SR-IOV
 * network's own PIF stands for the network on its PF and has no port; a
 * VF's VIF is a piece of the NIC the guest holds, with no port either. And
 * what the PIF and VIF records say of them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sriov_model.h"
#include "sriov_feature.h"
#include "sriov_runtime.h"

static int
pif_refuse(const struct sl_model *m, const struct sl_endpoint *ep,
	   enum sl_role_action a, const void *arg, struct sl_err *err)
{
	const struct sl_sriov *s = ep->role_of;
	const struct sl_network *net = arg;

	switch (a) {
	case SL_ACT_FORGET:
	case SL_ACT_SET_DEVARGS:
		return sl_err_set(err, SL_E_PIF_IS_SRIOV,
				  "PIF %s is the SR-IOV network's own: network-sriov-destroy uuid=%s instead",
				  ep->uuid, s->uuid);
	case SL_ACT_SET_OFFLOADS:
		return sl_err_set(err, SL_E_OFFLOAD_NOT_SUPPORTED,
				  "other-config: PIF %s is the SR-IOV network's own: it has no port of sluice's; set ethtool-* on its PF",
				  ep->uuid);
	case SL_ACT_TAG:
		if (sl_model_network_pifs(m, net) || sl_model_network_vifs(m, net))
			return sl_err_set(err, SL_E_NETWORK_INCOMPATIBLE_WITH_SRIOV,
					  "network-uuid: network %s already has PIFs or VIFs; a VLAN of an SR-IOV network starts empty",
					  net->bridge);
		return 0;
	case SL_ACT_NETWORK_DESTROY:
		return sl_err_set(err, sl_model_network_vifs(m, net) ?
				  SL_E_NETWORK_CONTAINS_VIF : SL_E_NETWORK_CONTAINS_PIF,
				  "network %s (%s) is an SR-IOV network: vif-destroy its VIFs, then network-sriov-destroy uuid=%s",
				  net->uuid, net->bridge, s->uuid);
	default:
		return 0;
	}
}

/* An SR-IOV network's ports are its PF's logical PIF (or a VLAN on it)
 * and VFs; sluice switches none of them, so nothing else may join it. */
static int
pif_refuse_join(const struct sl_model *m, const struct sl_pif *p,
		const struct sl_endpoint_spec *spec, bool is_vif,
		enum sl_role_action a, struct sl_err *err)
{
	const struct sl_network *net = p->ep.network;

	(void)m;
	if (a == SL_ACT_MOVE_IN)
		return sl_err_set(err, SL_E_NETWORK_INCOMPATIBLE_WITH_SRIOV,
				  "network-uuid: network %s is an SR-IOV network: a VIF joins it by vif-create, as a VF",
				  net->bridge);
	if (is_vif && spec->role != &sl_sriov_vf_role)
		return sl_err_set(err, SL_E_NETWORK_INCOMPATIBLE_WITH_SRIOV,
				  "devargs: network %s is an SR-IOV network: its VIFs are VFs, not ports of sluice; give no devargs",
				  net->bridge);
	if (!is_vif)
		return sl_err_set(err, SL_E_NETWORK_INCOMPATIBLE_WITH_SRIOV,
				  "network-uuid: network %s is an SR-IOV network: its only PIF is its PF's",
				  net->bridge);
	return 0;
}

static void
pif_describe(const struct sl_endpoint *ep, char *buf, size_t len)
{
	(void)ep;
	snprintf(buf, len, "an SR-IOV network's own PIF");
}

const struct sl_role sl_sriov_pif_role = {
	.port = SL_ROLE_NO_PORT,
	.vlans_alike = true,
	.refuse = pif_refuse,
	.refuse_join = pif_refuse_join,
	.describe = pif_describe,
	.taken_code = SL_E_PIF_IS_NOT_PHYSICAL,
};

/* A VF's VIF has no port in sluice, and cannot leave this host's NIC. */
static int
vf_refuse(const struct sl_model *m, const struct sl_endpoint *ep,
	  enum sl_role_action a, const void *arg, struct sl_err *err)
{
	const struct sl_sriov_vf_user *u = ep->role_of;
	const char *what;
	enum sl_error_code code = SL_E_OPERATION_NOT_ALLOWED;

	(void)m;
	(void)arg;
	switch (a) {
	case SL_ACT_PLUG:
	case SL_ACT_UNPLUG:
		what = "its traffic goes between the guest and the NIC, not through sluice: there is no port to plug";
		break;
	case SL_ACT_MOVE:
		what = "it is not live-migratable and cannot move; vif-destroy it and vif-create one where it should be";
		code = SL_E_VM_HAS_SRIOV_VIF;
		break;
	default:
		return 0;
	}
	return sl_err_set(err, code, "VIF %s is VF %d (PCI %s) of an SR-IOV network: %s",
			  ep->uuid, u->vf, u->pci[0] ? u->pci : "?", what);
}

static void
vf_release(struct sl_runtime *rt, struct sl_endpoint *ep)
{
	sl_runtime_vf_release(rt, SL_VIF_OF(ep));
}

static void
vf_forget(struct sl_endpoint *ep)
{
	free(ep->role_of);
}

const struct sl_role sl_sriov_vf_role = {
	.port = SL_ROLE_NO_PORT,
	.refuse = vf_refuse,
	.release = vf_release,
	.forget = vf_forget,
	.taken_code = SL_E_OPERATION_NOT_ALLOWED,
};

/* A PF stays, and is bonded with nothing, while SR-IOV is enabled on it
 * (as XAPI: an SR-IOV PIF cannot be bonded). */
int
sl_sriov_refuse_pif(const struct sl_model *m, const struct sl_pif *p,
		    enum sl_role_action a, struct sl_err *err)
{
	const struct sl_sriov *s;

	if (a != SL_ACT_FORGET && a != SL_ACT_SET_DEVARGS && a != SL_ACT_TAKE)
		return 0;
	TAILQ_FOREACH(s, sl_sriovs(m), next)
		if (s->physical == p)
			return sl_err_set(err, SL_E_PIF_IS_SRIOV,
					  "PIF %s has SR-IOV enabled (network-sriov %s): network-sriov-destroy it first",
					  p->ep.device, s->uuid);
	return 0;
}

const char *const sl_sriov_pif_fields[] = {
	"sriov-physical-PIF-of", "sriov-logical-PIF-of", NULL
};

void
sl_sriov_pif_record(const struct sl_model *m, const struct sl_pif *p,
		    json_t *r)
{
	const struct sl_sriov *s, *own = sl_sriov_of_pif(p);
	const char *physical_of = "";

	TAILQ_FOREACH(s, sl_sriovs(m), next)
		if (s->physical == p)
			physical_of = s->uuid;
	json_object_set_new(r, "sriov-physical-PIF-of", json_string(physical_of));
	json_object_set_new(r, "sriov-logical-PIF-of",
			    json_string(own ? own->uuid : ""));
}

const char *const sl_sriov_vif_fields[] = {
	"VF", "VF-PCI", "live-migratable", NULL
};

void
sl_sriov_vif_record(const struct sl_model *m, const struct sl_vif *v,
		    json_t *r)
{
	const struct sl_sriov_vf_user *u = sl_sriov_vf_of(v);

	(void)m;
	/* "" rather than -1: xe shows no VF as an empty field */
	json_object_set_new(r, "VF", !u || u->vf == SL_VF_NONE ?
				     json_string("") : json_integer(u->vf));
	json_object_set_new(r, "VF-PCI", json_string(u ? u->pci : ""));
	/* a VF is a piece of this host's NIC: the guest cannot take it along */
	json_object_set_new(r, "live-migratable", json_boolean(!u));
}
