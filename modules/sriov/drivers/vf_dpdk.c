/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A VF's MAC, VLAN and spoof checking through DPDK's PF API, when DPDK
 * drives the PF. The API is per PMD; each function refuses (-ENOTSUP) a
 * port of another PMD, so the first family that accepts the port is the
 * PF's. ixgbe (82599/X5xx) and i40e (X710/XL710) are the PFs DPDK can
 * program VFs of.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_pmd_i40e.h>
#include <rte_pmd_ixgbe.h>

#include "sl_sriov.h"

struct pf_api {
	const char *family;
	int (*set_mac)(uint16_t port, uint16_t vf, struct rte_ether_addr *mac);
	int (*set_vlan_insert)(uint16_t port, uint16_t vf, uint16_t vlan);
	int (*set_anti_spoof)(uint16_t port, uint16_t vf, uint8_t on);
};

static const struct pf_api apis[] = {
	{ "ixgbe", rte_pmd_ixgbe_set_vf_mac_addr, rte_pmd_ixgbe_set_vf_vlan_insert,
	  rte_pmd_ixgbe_set_vf_mac_anti_spoof },
	{ "i40e", rte_pmd_i40e_set_vf_mac_addr, rte_pmd_i40e_set_vf_vlan_insert,
	  rte_pmd_i40e_set_vf_mac_anti_spoof },
};

static int
apply(const struct pf_api *api, uint16_t port_id, const struct sl_vf_config *c,
      const char **step)
{
	struct rte_ether_addr mac = c->mac;
	int rc;

	/* the PMDs take no zero MAC: a released VF keeps its last one until
	 * the next assignment overwrites it */
	*step = "MAC";
	if (!rte_is_zero_ether_addr(&mac)) {
		rc = api->set_mac(port_id, c->vf, &mac);
		if (rc < 0)
			return rc;
	}
	*step = "VLAN";
	rc = api->set_vlan_insert(port_id, c->vf, c->vlan);
	if (rc < 0)
		return rc;
	*step = "spoof checking";
	return api->set_anti_spoof(port_id, c->vf, c->spoofchk);
}

int
sl_vf_dpdk_apply(uint16_t port_id, const struct sl_vf_config *c, char *why,
		 size_t why_len)
{
	struct rte_eth_dev_info info = { 0 };
	const char *step = "";

	for (size_t i = 0; i < RTE_DIM(apis); i++) {
		int rc = apply(&apis[i], port_id, c, &step);

		if (rc == -ENOTSUP)
			continue;
		if (rc < 0)
			snprintf(why, why_len, "the %s PMD refused VF %u's %s on port %u: %s",
				 apis[i].family, c->vf, step, port_id, strerror(-rc));
		return rc;
	}
	rte_eth_dev_info_get(port_id, &info);
	snprintf(why, why_len,
		 "port %u (%s) has no PF API: sluice programs the VFs of ixgbe and i40e PFs driven by DPDK",
		 port_id, info.driver_name ? info.driver_name : "?");
	return -ENOTSUP;
}
