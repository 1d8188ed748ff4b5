/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SR-IOV physical functions (PFs) and their virtual functions (VFs).
 *
 * A PF is found in sysfs: <root>/class/net/<netdev>/device when the kernel
 * drives it, <root>/bus/pci/devices/<PCI address> when DPDK does. Its VFs
 * are enabled by writing sriov_numvfs (the kernel then makes a virtfn<N>
 * link per VF to its PCI device); drivers that take the VF count as a module
 * parameter (max_vfs) cannot, and need a reload or a reboot instead. The
 * sysfs root is a parameter so that tests can build a tree of their own:
 * this machine has no SR-IOV NIC.
 *
 * A VF's MAC, VLAN and spoof checking are set through the PF: rtnetlink
 * (RTM_SETLINK with IFLA_VFINFO_LIST) for a kernel PF, DPDK's PF API
 * (rte_pmd_ixgbe_*, rte_pmd_i40e_*) for a DPDK one.
 */
#ifndef SL_SRIOV_H
#define SL_SRIOV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#define SL_SRIOV_MAX_VFS 256	/* PCI SR-IOV: at most 256 functions */
#define SL_PCI_ADDR_MAX 32
#define SL_SYSFS_PATH_MAX 512
#define SL_SRIOV_WHY_MAX 256

enum sl_sriov_mode {
	SL_SRIOV_MODE_SYSFS,	/* sriov_numvfs is written */
	SL_SRIOV_MODE_MODPROBE,	/* the driver's max_vfs: reload or reboot */
};

struct sl_sriov_vf {
	uint16_t index;			/* N of virtfn<N> */
	char pci[SL_PCI_ADDR_MAX];	/* its PCI address */
};

struct sl_sriov_pf {
	char dir[SL_SYSFS_PATH_MAX];	/* the PF's PCI device in sysfs */
	char driver[64];		/* "" when no driver is bound */
	unsigned int total_vfs;		/* sriov_totalvfs */
	unsigned int num_vfs;		/* sriov_numvfs, as last read */
	unsigned int nb_vfs;		/* virtfn links found */
	struct sl_sriov_vf vfs[SL_SRIOV_MAX_VFS];
};

/*
 * Read a PF: exactly one of netdev (a kernel interface name) and pci (the
 * address DPDK opened). 0, or -errno with why saying what is missing.
 */
int sl_sriov_pf_read(const char *sysfs_root, const char *netdev,
		     const char *pci, struct sl_sriov_pf *pf, char *why,
		     size_t why_len);

/*
 * Give the PF n VFs by writing sriov_numvfs (0 first when it has another
 * non-zero count, as the kernel requires), then read its VFs again.
 * -errno with why when the write is refused: the driver then wants
 * max_vfs (SL_SRIOV_MODE_MODPROBE).
 */
int sl_sriov_pf_set_numvfs(struct sl_sriov_pf *pf, unsigned int n, char *why,
			   size_t why_len);

const char *sl_sriov_mode_name(enum sl_sriov_mode mode);

/* What a VF is given when it is assigned (and, with a zero MAC and VLAN 0,
 * when it is released). */
struct sl_vf_config {
	uint16_t vf;
	struct rte_ether_addr mac;
	uint16_t vlan;		/* 0: untagged */
	bool spoofchk;
};

/*
 * The RTM_SETLINK request that applies c to ifindex's VF: into buf (its
 * length returned), 0 when buf is too small. Kept apart from sending so
 * that its encoding can be tested.
 */
size_t sl_vf_netlink_build(void *buf, size_t len, int ifindex, uint32_t seq,
			   const struct sl_vf_config *c);
/* Send it for the kernel netdev pf_netdev and wait for the kernel's
 * answer. 0, or -errno with why (the kernel's own message when it gives
 * one). */
int sl_vf_netlink_apply(const char *pf_netdev, const struct sl_vf_config *c,
			char *why, size_t why_len);
/* Through DPDK's PF API of the PF's PMD (ixgbe, i40e). */
int sl_vf_dpdk_apply(uint16_t port_id, const struct sl_vf_config *c,
		     char *why, size_t why_len);

#endif
