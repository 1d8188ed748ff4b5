/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SR-IOV at run time: the PF behind a network-sriov, its VF count, and the
 * programming of the VFs that VIFs hold. VF traffic never enters sluice;
 * what sluice owns is which VF is whose, and what the NIC is told about it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_pci.h>

#include "sriov_model.h"
#include "sriov_runtime.h"
#include "devargs.h"
#include "log.h"
#include "runtime.h"

/* Where a PIF's PF is: a kernel netdev (iface= of af_xdp/af_packet) or the
 * PCI address DPDK opened. */
struct pf_name {
	char netdev[IF_NAMESIZE];
	char pci[SL_PCI_ADDR_MAX];
};

static int
pf_name_of(const struct sl_pif *p, struct pf_name *out, struct sl_err *err)
{
	char first[SL_DEVARGS_MAX];
	struct rte_pci_addr addr;

	memset(out, 0, sizeof(*out));
	if (sl_devargs_get(p->ep.devargs, "iface", out->netdev,
			   sizeof(out->netdev)) == 0)
		return 0;
	snprintf(first, sizeof(first), "%s", p->ep.devargs);
	first[strcspn(first, ",")] = '\0';
	if (rte_pci_addr_parse(first, &addr) == 0) {
		rte_pci_device_name(&addr, out->pci, sizeof(out->pci));
		return 0;
	}
	return sl_err_set(err, SL_E_PIF_IS_NOT_SRIOV_CAPABLE,
			  "pif-uuid: PIF %s (%s) is neither a kernel netdev (iface=) nor a PCI device: it has no SR-IOV",
			  p->ep.device, p->ep.devargs);
}

/* --sysfs-root (sriov_commands_spec.c): where the PFs are read. */
static const char *
sysfs_root(const struct sl_runtime *rt)
{
	const char *root = sl_runtime_option(rt, "sysfs-root");

	return root ? root : "/sys";
}

/* Copy a message, cut to fit. */
static void
set_text(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static const char *
pf_label(const struct pf_name *n)
{
	return n->netdev[0] ? n->netdev : n->pci;
}

int
sl_runtime_sriov_enable(struct sl_runtime *rt, struct sl_sriov *s,
			struct sl_err *err)
{
	char why[SL_SRIOV_WHY_MAX] = "";
	struct pf_name name;
	struct sl_sriov_pf *pf;
	const char *drv;

	s->error[0] = '\0';
	if (pf_name_of(s->physical, &name, err) < 0) {
		snprintf(s->error, sizeof(s->error), "%s", err->msg);
		return -1;
	}
	pf = s->pf ? s->pf : calloc(1, sizeof(*pf));
	if (!pf)
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	s->pf = pf;
	if (sl_sriov_pf_read(sysfs_root(rt), name.netdev[0] ? name.netdev : NULL,
			     name.netdev[0] ? NULL : name.pci, pf, why,
			     sizeof(why)) < 0) {
		free(s->pf);
		s->pf = NULL;
		snprintf(s->error, sizeof(s->error), "%s", why);
		return sl_err_set(err, SL_E_PIF_IS_NOT_SRIOV_CAPABLE,
				  "pif-uuid: %s", why);
	}
	s->mode = SL_SRIOV_MODE_SYSFS;
	s->requires_reboot = false;
	/* as XAPI: every VF the PF has */
	if (sl_sriov_pf_set_numvfs(pf, pf->total_vfs, why, sizeof(why)) < 0) {
		s->mode = SL_SRIOV_MODE_MODPROBE;
		s->requires_reboot = pf->nb_vfs == 0;
		/* VFs made by the module's max_vfs serve as they are */
		if (!s->requires_reboot)
			return 0;
		drv = pf->driver[0] ? pf->driver : "<driver>";
		snprintf(s->error, sizeof(s->error),
			 "%.160s: the %s driver takes its VF count as a module parameter (max_vfs): "
			 "put 'options %s max_vfs=%u' in /etc/modprobe.d/%s.conf, then reload the driver or reboot",
			 why, drv, drv, pf->total_vfs, drv);
		SL_LOG(WARNING, "SR-IOV on %s: %s\n", pf_label(&name), s->error);
	}
	return 0;
}

void
sl_runtime_sriov_disable(struct sl_runtime *rt, struct sl_sriov *s)
{
	char why[SL_SRIOV_WHY_MAX];

	(void)rt;
	if (!s->pf || s->mode != SL_SRIOV_MODE_SYSFS)
		return;
	if (sl_sriov_pf_set_numvfs(s->pf, 0, why, sizeof(why)) < 0)
		SL_LOG(WARNING, "SR-IOV of %s: %s\n", s->physical->ep.device, why);
}

unsigned int
sl_runtime_sriov_capacity(const struct sl_runtime *rt, const struct sl_sriov *s)
{
	unsigned int used = sl_model_sriov_vifs(rt->model, s);

	if (!s->pf || s->pf->nb_vfs < used)
		return 0;
	return s->pf->nb_vfs - used;
}

static const struct sl_sriov_vf *
vf_of(const struct sl_sriov *s, int index)
{
	if (!s->pf)
		return NULL;
	for (unsigned int i = 0; i < s->pf->nb_vfs; i++)
		if (s->pf->vfs[i].index == index)
			return &s->pf->vfs[i];
	return NULL;
}

/* --sriov-dry-run: one JSON line per VF setting, for hosts with no NIC to
 * take them (the tests). */
static int
record(const struct sl_runtime *rt, const char *pf, const char *pci,
       const struct sl_vf_config *c, const char *action, char *why,
       size_t len)
{
	char mac[SL_MAC_STR_LEN];
	json_t *line;
	FILE *f = fopen(sl_runtime_option(rt, "sriov-dry-run"), "ae");
	int rc = 0;

	if (!f) {
		rc = -errno;
		snprintf(why, len, "--sriov-dry-run %s: %s", sl_runtime_option(rt, "sriov-dry-run"),
			 strerror(-rc));
		return rc;
	}
	sl_mac_format(mac, &c->mac);
	line = json_pack("{s:s, s:s, s:i, s:s, s:s, s:i, s:b}", "action", action,
			 "PF", pf, "VF", c->vf, "PCI", pci, "MAC", mac, "VLAN",
			 c->vlan, "spoofchk", c->spoofchk);
	if (json_dumpf(line, f, JSON_COMPACT) < 0 || fputc('\n', f) == EOF)
		rc = -EIO;
	json_decref(line);
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc < 0)
		snprintf(why, len, "--sriov-dry-run %s: cannot write", sl_runtime_option(rt, "sriov-dry-run"));
	return rc;
}

static int
program(struct sl_runtime *rt, const struct sl_sriov *s,
	const struct sl_vf_config *c, const char *action, char *why, size_t len)
{
	const struct sl_sriov_vf *vf = vf_of(s, c->vf);
	struct sl_err ignore = { 0 };
	struct pf_name name;

	if (pf_name_of(s->physical, &name, &ignore) < 0) {
		set_text(why, len, ignore.msg);
		return -ENODEV;
	}
	if (sl_runtime_option(rt, "sriov-dry-run"))
		return record(rt, pf_label(&name), vf ? vf->pci : "", c, action,
			      why, len);
	if (name.netdev[0])
		return sl_vf_netlink_apply(name.netdev, c, why, len);
	if (s->physical->ep.port_id == SL_PORT_NONE) {
		snprintf(why, len,
			 "PF %s (%s) is not plugged: DPDK programs its VFs through its port; pif-plug it",
			 s->physical->ep.device, name.pci);
		return -ENODEV;
	}
	return sl_vf_dpdk_apply(s->physical->ep.port_id, c, why, len);
}

static void
config_of(const struct sl_vif *v, uint16_t vlan, struct sl_vf_config *c)
{
	*c = (struct sl_vf_config){
		.vf = (uint16_t)sl_sriov_vf_index(v), .mac = v->ep.mac, .vlan = vlan,
		.spoofchk = true,
	};
}

static void
note_pci(const struct sl_sriov *s, struct sl_vif *v)
{
	struct sl_sriov_vf_user *u = sl_sriov_vf_of(v);
	const struct sl_sriov_vf *vf = vf_of(s, u->vf);

	snprintf(u->pci, sizeof(u->pci), "%s", vf ? vf->pci : "");
}

int
sl_runtime_sriov_free_vf(const struct sl_runtime *rt, const struct sl_sriov *s)
{
	if (!s->pf || s->requires_reboot)
		return -1;
	for (unsigned int i = 0; i < s->pf->nb_vfs; i++)
		if (!sl_model_sriov_vf_user(rt->model, s, s->pf->vfs[i].index))
			return s->pf->vfs[i].index;
	return -1;
}

int
sl_runtime_vf_assign(struct sl_runtime *rt, struct sl_vif *v,
		     struct sl_err *err)
{
	struct sl_sriov_vf_user *u = sl_sriov_vf_of(v);
	char why[SL_SRIOV_WHY_MAX] = "";
	struct sl_vf_config c;
	struct sl_sriov *s;
	uint16_t vlan = 0;

	s = sl_model_network_sriov(rt->model, v->ep.network, &vlan);
	if (!s)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "network %s is not an SR-IOV network",
				  v->ep.network->bridge);
	if (!s->pf)
		return sl_err_set(err, SL_E_NETWORK_SRIOV_ENABLE_FAILED,
				  "network-uuid: SR-IOV of %s is not available: %s",
				  s->physical->ep.device, s->error);
	if (s->requires_reboot)
		return sl_err_set(err, SL_E_NETWORK_SRIOV_ENABLE_FAILED,
				  "network-uuid: SR-IOV of %s requires a reboot: %s",
				  s->physical->ep.device, s->error);
	u->vf = sl_runtime_sriov_free_vf(rt, s);
	if (u->vf < 0) {
		u->vf = SL_VF_NONE;
		return sl_err_set(err, SL_E_NETWORK_SRIOV_INSUFFICIENT_CAPACITY,
				  "network-uuid: every VF of %s is assigned (%u of %u); destroy a VIF of network-sriov %s first",
				  s->physical->ep.device, s->pf->nb_vfs,
				  s->pf->nb_vfs, s->uuid);
	}
	config_of(v, vlan, &c);
	if (program(rt, s, &c, "assign", why, sizeof(why)) < 0) {
		u->vf = SL_VF_NONE;
		return sl_err_set(err, SL_E_NETWORK_SRIOV_VF_CONFIG_FAILED,
				  "cannot program VF %u of %s: %s", c.vf,
				  s->physical->ep.device, why);
	}
	note_pci(s, v);
	SL_LOG(INFO, "VIF %s: VF %d of %s (%s)\n", v->ep.uuid, u->vf,
	       s->physical->ep.device, u->pci);
	return 0;
}

void
sl_runtime_vf_release(struct sl_runtime *rt, struct sl_vif *v)
{
	struct sl_sriov_vf_user *u = sl_sriov_vf_of(v);
	char why[SL_SRIOV_WHY_MAX] = "";
	struct sl_vf_config c;
	struct sl_sriov *s;
	uint16_t vlan;

	if (!u || u->vf == SL_VF_NONE)
		return;
	s = sl_model_network_sriov(rt->model, v->ep.network, &vlan);
	if (s) {
		config_of(v, 0, &c);
		memset(&c.mac, 0, sizeof(c.mac));
		if (program(rt, s, &c, "release", why, sizeof(why)) < 0)
			SL_LOG(WARNING, "VF %d of %s could not be cleared: %s\n",
			       u->vf, s->physical->ep.device, why);
	}
	u->vf = SL_VF_NONE;
	u->pci[0] = '\0';
}

void
sl_runtime_sriov_restore(struct sl_runtime *rt)
{
	struct sl_sriov *s;
	struct sl_vif *v;

	TAILQ_FOREACH(s, sl_sriovs(rt->model), next) {
		struct sl_err err = { 0 };

		if (sl_runtime_sriov_enable(rt, s, &err) < 0)
			SL_LOG(ERR, "SR-IOV of %s cannot be enabled again: %s\n",
			       s->physical->ep.device, err.msg);
	}
	TAILQ_FOREACH(v, &rt->model->vifs, next) {
		char why[SL_SRIOV_WHY_MAX] = "";
		struct sl_vf_config c;
		uint16_t vlan = 0;
		int vf = sl_sriov_vf_index(v);

		if (vf == SL_VF_NONE)
			continue;
		v->ep.error[0] = '\0';
		s = sl_model_network_sriov(rt->model, v->ep.network, &vlan);
		if (!vf_of(s, vf)) {
			snprintf(v->ep.error, sizeof(v->ep.error),
				 "VF %d of %s is not there (%.120s)", vf,
				 s->physical->ep.device,
				 s->error[0] ? s->error : "fewer VFs than before");
		} else {
			config_of(v, vlan, &c);
			if (program(rt, s, &c, "restore", why, sizeof(why)) < 0)
				snprintf(v->ep.error, sizeof(v->ep.error), "%s", why);
			note_pci(s, v);
		}
		if (v->ep.error[0])
			SL_LOG(ERR, "VIF %s: %s\n", v->ep.uuid, v->ep.error);
	}
}
