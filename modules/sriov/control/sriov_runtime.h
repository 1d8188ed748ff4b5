/* SPDX-License-Identifier: BSD-3-Clause */
/* SR-IOV at run time (sriov_runtime.c): the PFs and the VFs VIFs hold.
 * Private to the module. */
#ifndef SL_SRIOV_RUNTIME_H
#define SL_SRIOV_RUNTIME_H

#include "model.h"
#include "sriov_model.h"
#include "runtime.h"

/*
 * Read s's PF and give it all its VFs (sysfs mode); a driver that refuses
 * sriov_numvfs puts s in modprobe mode (requires_reboot until its VFs
 * exist). -1 with err when the PF cannot be read.
 */
int sl_runtime_sriov_enable(struct sl_runtime *rt, struct sl_sriov *s,
			    struct sl_err *err);
/* Back to 0 VFs (sysfs mode); failures are logged. */
void sl_runtime_sriov_disable(struct sl_runtime *rt, struct sl_sriov *s);
/* VFs found on s's PF not held by a VIF. */
unsigned int sl_runtime_sriov_capacity(const struct sl_runtime *rt,
				       const struct sl_sriov *s);
/* The VF the next VIF of s would get, or -1. */
int sl_runtime_sriov_free_vf(const struct sl_runtime *rt,
			     const struct sl_sriov *s);
/* Give v (a new VIF of an SR-IOV network) the first free VF and program
 * its MAC, VLAN and spoof checking. -1 with err: v holds no VF. */
int sl_runtime_vf_assign(struct sl_runtime *rt, struct sl_vif *v,
			 struct sl_err *err);
/* Clear v's VF (zero MAC, no VLAN); v holds no VF afterwards. */
void sl_runtime_vf_release(struct sl_runtime *rt, struct sl_vif *v);
/* After a restart: enable every SR-IOV PF again and re-program every
 * assigned VF; what fails is logged and kept in the objects' errors. */
void sl_runtime_sriov_restore(struct sl_runtime *rt);

#endif
