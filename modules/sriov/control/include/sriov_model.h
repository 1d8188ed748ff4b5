/* SPDX-License-Identifier: BSD-3-Clause */
/* SR-IOV networks in the model (sriov_model.c): the SR-IOV feature's part
 * of it, and the roles of its PIFs and VIFs (sriov_roles.c). */
#ifndef SL_SRIOV_MODEL_H
#define SL_SRIOV_MODEL_H

#include <jansson.h>

#include "model.h"
#include "sl_sriov.h"

/*
 * XAPI's network-sriov: SR-IOV enabled on a physical PIF (the PF) for a
 * network. As in XAPI, the network gets a logical PIF of the PF; a VLAN
 * on that PIF makes a VLAN network whose VIFs get VFs tagged with it. A VIF
 * of either network is a VF: its traffic goes straight to the NIC, not
 * through sluice.
 */
struct sl_sriov {
	TAILQ_ENTRY(sl_sriov) next;
	char uuid[SL_UUID_LEN + 1];
	struct sl_pif *physical;
	struct sl_pif *logical;
	/* runtime: what the PF said when it was last enabled */
	struct sl_sriov_pf *pf;		/* NULL: not read (see error) */
	enum sl_sriov_mode mode;
	bool requires_reboot;
	char error[768];	/* why it is unusable, and what to do */
};

TAILQ_HEAD(sl_sriov_list, sl_sriov);

/* The SR-IOV networks of a model (its SR-IOV part). */
extern const struct sl_model_part sl_sriov_model_part;
static inline struct sl_sriov_list *
sl_sriovs(const struct sl_model *m)
{
	return sl_model_part(m, &sl_sriov_model_part);
}

/* SR-IOV of physical (a physical PIF) for net, which must have no PIF or
 * VIF yet; makes its logical PIF (plugged). uuids may be NULL. */
struct sl_sriov *sl_model_sriov_add(struct sl_model *m, const char *uuid,
				    const char *logical_uuid,
				    struct sl_pif *physical,
				    struct sl_network *net, struct sl_err *err);
/* Remove it and its logical PIF (no VLAN or VIF may be left on it). */
void sl_model_sriov_remove(struct sl_model *m, struct sl_sriov *s);
struct sl_sriov *sl_model_sriov_find(const struct sl_model *m,
				     const char *uuid);
/* VIFs holding a VF of s. */
unsigned int sl_model_sriov_vifs(const struct sl_model *m,
				 const struct sl_sriov *s);
/* The SR-IOV a network's VIFs take VFs of (and the VLAN tag they get),
 * or NULL. */
struct sl_sriov *sl_model_network_sriov(const struct sl_model *m,
					const struct sl_network *n,
					uint16_t *vlan);
/* The VIF holding VF index of s, or NULL. */
struct sl_vif *sl_model_sriov_vf_user(const struct sl_model *m,
				      const struct sl_sriov *s, int index);

#define SL_VF_NONE (-1)

/* A VF's VIF: its role's object. */
struct sl_sriov_vf_user {
	int vf;				/* SL_VF_NONE until one is assigned */
	char pci[SL_PCI_ADDR_MAX];	/* runtime: where the NIC has it */
};

/* An SR-IOV network's own PIF (role_of: its struct sl_sriov), and a VF's
 * VIF (role_of: its struct sl_sriov_vf_user). */
extern const struct sl_role sl_sriov_pif_role, sl_sriov_vf_role;

/* The SR-IOV network whose own PIF p is, or NULL. */
static inline struct sl_sriov *
sl_sriov_of_pif(const struct sl_pif *p)
{
	return p->ep.role == &sl_sriov_pif_role ? p->ep.role_of : NULL;
}

/* v's VF, or NULL when v is no VF's VIF. */
static inline struct sl_sriov_vf_user *
sl_sriov_vf_of(const struct sl_vif *v)
{
	return v->ep.role == &sl_sriov_vf_role ? v->ep.role_of : NULL;
}

/* v's VF index, or SL_VF_NONE. */
static inline int
sl_sriov_vf_index(const struct sl_vif *v)
{
	const struct sl_sriov_vf_user *u = sl_sriov_vf_of(v);

	return u ? u->vf : SL_VF_NONE;
}

#endif
