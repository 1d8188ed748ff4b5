/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The object model, in the names XCP-ng operators know: networks, PIFs
 * (physical interfaces) and VIFs (virtual interfaces of guests). It holds what
 * the operator asked for; core/control/runtime.c makes the datapath match it.
 * The objects of bonds, tunnels, SR-IOV networks and rules are here too for
 * now, with their functions in their modules (modules/<feature>/control).
 */
#ifndef SL_MODEL_H
#define SL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include <jansson.h>
#include <rte_ether.h>

#include "routes.h"
#include "rule_table.h"
#include "sl_error.h"
#include "sl_port.h"
#include "sl_sriov.h"

#define SL_UUID_LEN 36
#define SL_NAME_LABEL_MAX 256
#define SL_BRIDGE_MAX 16	/* a Linux interface name */
#define SL_MTU_MIN 68
#define SL_MTU_MAX 9216
#define SL_MTU_DEFAULT 1500
#define SL_MAX_NETWORKS 4094	/* datapath network ids 0..4093 */

struct sl_network {
	TAILQ_ENTRY(sl_network) next;
	char uuid[SL_UUID_LEN + 1];
	char name_label[SL_NAME_LABEL_MAX];
	char name_description[SL_NAME_LABEL_MAX];
	char bridge[SL_BRIDGE_MAX];
	uint16_t mtu;
	json_t *other_config;	/* object of string values */
	uint16_t dp_id;		/* datapath network id; runtime only */
};

/* What a PIF and a VIF have in common: a port of a network. */
struct sl_endpoint {
	char uuid[SL_UUID_LEN + 1];
	char device[SL_DEVICE_NAME_MAX];
	char devargs[SL_DEVARGS_MAX];
	struct rte_ether_addr mac;
	bool mac_set;		/* false: a PIF takes its device's MAC */
	struct sl_network *network;
	uint16_t mtu;
	bool plugged;		/* wanted attached (xe's currently-attached) */
	json_t *other_config;
	bool is_vif;
	/* runtime only */
	uint16_t port_id;	/* SL_PORT_NONE while not attached */
	char error[SL_ERRMSG_MAX];	/* why the last attach failed */
};

/* The PIF or VIF an endpoint is part of. */
#define SL_PIF_OF(epp) \
	((struct sl_pif *)((char *)(epp) - offsetof(struct sl_pif, ep)))
#define SL_VIF_OF(epp) \
	((struct sl_vif *)((char *)(epp) - offsetof(struct sl_vif, ep)))

struct sl_vlan;
struct sl_bond;
struct sl_sriov;
struct sl_tunnel;

/*
 * A PIF is physical (it owns a port, opened from its devargs), a VLAN's PIF
 * (it rides on the port of the PIF carrying its tag) or a bond's PIF (the
 * bond's logical port over its members' ports). Only physical PIFs have
 * devargs.
 */
struct sl_pif {
	TAILQ_ENTRY(sl_pif) next;
	struct sl_endpoint ep;
	int vlan;		/* -1 for a physical PIF, else its VLAN tag */
	bool management;
	struct sl_vlan *vlan_master_of;	/* a VLAN PIF: its VLAN */
	struct sl_bond *bond_master_of;	/* a bond's PIF: its bond */
	struct sl_bond *bond_slave_of;	/* a member: its bond */
	struct sl_sriov *sriov_logical_of; /* an SR-IOV network's own PIF */
	struct sl_tunnel *tunnel_access_of; /* a tunnel's PIF on its network */
	struct sl_ip_config ip;	/* pif-reconfigure-ip (transport PIFs) */
};

#define SL_BOND_MIN_MEMBERS 2
#define SL_BOND_MAX_SLAVES 8
#define SL_MODEL_MAX_BONDS 16

enum sl_bond_mode {
	SL_BOND_BALANCE_SLB,	/* XAPI's default */
	SL_BOND_ACTIVE_BACKUP,
	SL_BOND_BALANCE_TCP,
	SL_BOND_LACP,
	SL_BOND_BROADCAST,
	SL_BOND_MODE_COUNT
};

/* Bond.properties, parsed. */
struct sl_bond_props {
	uint32_t miimon_ms, downdelay_ms, updelay_ms, rebalance_ms;
	bool hash_tcpudp;	/* LACP hashing_algorithm=tcpudp_ports */
	bool lacp_fast;		/* lacp-time=fast */
	bool fallback_ab;	/* lacp-fallback-ab */
	bool relay;		/* broadcast: repeat between members (mesh) */
};

struct sl_bond {
	TAILQ_ENTRY(sl_bond) next;
	char uuid[SL_UUID_LEN + 1];
	uint16_t index;		/* its logical port is SL_BOND_PORT(index) */
	struct sl_pif *master;
	struct sl_pif *slaves[SL_BOND_MAX_SLAVES];
	unsigned int nb_slaves;
	enum sl_bond_mode mode;
	json_t *properties;	/* as given: strings */
	struct sl_bond_props props;
};

/* XAPI's VLAN object: tag carried on the tagged PIF; untagged is the PIF of
 * the VLAN's network (its VLAN field is the tag). Tag 0 is the tagged PIF's
 * native, untagged traffic. */
struct sl_vlan {
	TAILQ_ENTRY(sl_vlan) next;
	char uuid[SL_UUID_LEN + 1];
	struct sl_pif *tagged;
	struct sl_pif *untagged;
	uint16_t tag;
};

#define SL_VF_NONE (-1)

struct sl_vif {
	TAILQ_ENTRY(sl_vif) next;
	struct sl_endpoint ep;
	int vf;		/* a VIF of an SR-IOV network: its VF, else SL_VF_NONE */
	char vf_pci[SL_PCI_ADDR_MAX];	/* runtime: the VF's PCI address */
};

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

struct sl_settings {
	uint32_t fdb_aging_s;
	uint32_t fdb_max_entries;
};

TAILQ_HEAD(sl_network_list, sl_network);
TAILQ_HEAD(sl_pif_list, sl_pif);
TAILQ_HEAD(sl_vif_list, sl_vif);
TAILQ_HEAD(sl_vlan_list, sl_vlan);
TAILQ_HEAD(sl_bond_list, sl_bond);
TAILQ_HEAD(sl_sriov_list, sl_sriov);

enum sl_tunnel_protocol { SL_TUNNEL_GRE, SL_TUNNEL_VXLAN };

#define SL_TUNNEL_MAX_REMOTES 64
#define SL_MODEL_MAX_TUNNELS 64
/* distinct (transport PIF, protocol, remote) over all tunnels */
#define SL_MODEL_MAX_REMOTE_ENDPOINTS 128
#define SL_VXLAN_VNI_MAX 0xffffffu

/*
 * XAPI's tunnel: a private network carried over a transport PIF to the
 * other hosts (remotes), in GRE or VXLAN with the network's key. As in
 * XAPI the network gets an access PIF (device tunnelN) standing for it.
 */
struct sl_tunnel {
	TAILQ_ENTRY(sl_tunnel) next;
	char uuid[SL_UUID_LEN + 1];
	uint16_t index;			/* tunnelN */
	struct sl_pif *access;
	struct sl_pif *transport;
	enum sl_tunnel_protocol protocol;
	uint32_t key;			/* GRE key or VXLAN VNI */
	uint32_t remotes[SL_TUNNEL_MAX_REMOTES];	/* IPv4, host order */
	unsigned int nb_remotes;
	json_t *other_config;
};
TAILQ_HEAD(sl_tunnel_list, sl_tunnel);

struct sl_model {
	struct sl_network_list networks;
	struct sl_pif_list pifs;
	struct sl_vif_list vifs;
	struct sl_vlan_list vlans;
	struct sl_bond_list bonds;
	struct sl_sriov_list sriovs;
	struct sl_tunnel_list tunnels;
	struct sl_settings settings;
	struct sl_rule_table rules;	/* flow rules, rank order */
	uint8_t dp_id_used[SL_MAX_NETWORKS];
};

/* Fields of a new object. Strings may be NULL for "not given". */
struct sl_network_spec {
	const char *uuid;	/* NULL: a new one is generated */
	const char *name_label;
	const char *name_description;
	const char *bridge;	/* NULL: the first free xenbrN */
	int mtu;		/* 0: default */
	json_t *other_config;	/* borrowed; copied */
};

struct sl_endpoint_spec {
	const char *uuid;
	const char *device;
	const char *devargs;
	const char *mac;	/* required for a VIF */
	const char *network_uuid;
	int mtu;		/* 0: the network's */
	bool plugged;
	json_t *other_config;
	/* PIF only */
	int vlan;
	bool management;
	bool no_port;	/* a VLAN's, bond's or SR-IOV VIF: no devargs */
	bool shares_device;	/* an SR-IOV logical PIF: its PF's device */
	bool tunnel_access;	/* a tunnel's access PIF */
};

struct sl_model *sl_model_new(void);
void sl_model_free(struct sl_model *m);

struct sl_network *sl_model_network_add(struct sl_model *m,
					const struct sl_network_spec *spec,
					struct sl_err *err);
struct sl_pif *sl_model_pif_add(struct sl_model *m,
				const struct sl_endpoint_spec *spec,
				struct sl_err *err);
struct sl_vif *sl_model_vif_add(struct sl_model *m,
				const struct sl_endpoint_spec *spec,
				struct sl_err *err);

/* Remove and free. The caller has detached the object's ports; a network
 * must have no PIF or VIF left (its datapath id becomes free again). */
void sl_model_network_remove(struct sl_model *m, struct sl_network *n);

#define SL_VLAN_MAX 4094
/* A VLAN and its PIF (unplugged) on net. uuids may be NULL (new ones);
 * tag 0..4094. */
struct sl_vlan *sl_model_vlan_add(struct sl_model *m, const char *uuid,
				  const char *pif_uuid, struct sl_pif *tagged,
				  long tag, struct sl_network *net,
				  struct sl_err *err);
/* Remove a VLAN and its PIF (detached by the caller). */
void sl_model_vlan_remove(struct sl_model *m, struct sl_vlan *v);
struct sl_vlan *sl_model_vlan_find(const struct sl_model *m, const char *uuid);
/* Whether a PIF owns a datapath port (physical, or a bond's logical one)
 * or rides on another's (a VLAN's). */
static inline bool
sl_pif_owns_port(const struct sl_pif *p)
{
	return !p->vlan_master_of && !p->sriov_logical_of &&
	       !p->tunnel_access_of;
}

/* An SR-IOV network's PIF, or a VLAN on it: no traffic through sluice. */
static inline bool
sl_pif_is_sriov(const struct sl_pif *p)
{
	return p->sriov_logical_of ||
	       (p->vlan_master_of && p->vlan_master_of->tagged->sriov_logical_of);
}

/* Whether device is in use: VIF devices are unique; a PIF device is
 * unique per VLAN (vlan -1: a physical PIF). */
bool sl_model_device_taken(const struct sl_model *m, const char *device,
			   bool is_vif, int vlan);
/* A new object's uuid: given (checked, not in use) or generated. */
int sl_model_take_uuid(const struct sl_model *m, const char *given,
		       char out[SL_UUID_LEN + 1], struct sl_err *err);

/* A PIF with no port of sluice's: an SR-IOV network's, or a tunnel's
 * access PIF (its network's remote endpoints are ports of their own). */
static inline bool
sl_pif_has_no_port(const struct sl_pif *p)
{
	return sl_pif_is_sriov(p) || p->tunnel_access_of;
}

/* ---- what the core asks of tunnels and SR-IOV networks (their other
 * functions: modules/tunnel/control/include/tunnel_model.h,
 * modules/sriov/control/include/sriov_model.h) ---- */
/* The tunnel whose access PIF is on net, or NULL. */
struct sl_tunnel *sl_model_network_tunnel(const struct sl_model *m,
					  const struct sl_network *net);
/* The SR-IOV a network's VIFs take VFs of (and the VLAN tag they get),
 * or NULL. */
struct sl_sriov *sl_model_network_sriov(const struct sl_model *m,
					const struct sl_network *n,
					uint16_t *vlan);
/* The VIF holding VF index of s, or NULL. */
struct sl_vif *sl_model_sriov_vf_user(const struct sl_model *m,
				      const struct sl_sriov *s, int index);

void sl_model_pif_remove(struct sl_model *m, struct sl_pif *p);
void sl_model_vif_remove(struct sl_model *m, struct sl_vif *v);
/* PIFs or VIFs on a network. */
unsigned int sl_model_network_pifs(const struct sl_model *m,
				   const struct sl_network *n);
unsigned int sl_model_network_vifs(const struct sl_model *m,
				   const struct sl_network *n);

struct sl_network *sl_model_network_find(const struct sl_model *m,
					 const char *uuid);
struct sl_network *sl_model_network_by_dp_id(const struct sl_model *m,
					     uint16_t dp_id);
/* The PIF (is_vif false) or VIF with that uuid, or NULL. */
struct sl_endpoint *sl_model_endpoint_find(const struct sl_model *m,
					   const char *uuid, bool is_vif);
/* The PIF or VIF attached to a datapath port, or NULL. */
struct sl_endpoint *sl_model_endpoint_by_port(const struct sl_model *m,
					      uint16_t port_id);
/* Highest datapath network id in use + 1. */
uint16_t sl_model_dp_id_bound(const struct sl_model *m);

/* Validation shared by the state file and the commands. Each returns 0,
 * or -1 with err naming the argument. */
int sl_check_uuid(const char *what, const char *s, struct sl_err *err);
int sl_check_mac(const char *what, const char *s, struct rte_ether_addr *mac,
		 struct sl_err *err);
int sl_check_mtu(const char *what, long mtu, struct sl_err *err);
int sl_check_device(const char *what, const char *s, struct sl_err *err);
int sl_check_devargs(const char *what, const char *s, struct sl_err *err);
int sl_check_bridge(const char *what, const char *s, struct sl_err *err);
int sl_check_text(const char *what, const char *s, size_t max,
		  struct sl_err *err);

#define SL_MAC_STR_LEN 18
/* "aa:bb:cc:dd:ee:ff", lower case as XAPI writes MACs. */
void sl_mac_format(char out[SL_MAC_STR_LEN], const struct rte_ether_addr *mac);

/* A random (version 4) UUID. */
void sl_uuid_generate(char out[SL_UUID_LEN + 1]);

#endif
