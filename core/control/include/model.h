/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The object model, in the names XCP-ng operators know: networks, PIFs
 * (physical interfaces) and VIFs (virtual interfaces of guests). It holds what
 * the operator asked for; core/control/runtime.c makes the datapath match it.
 * A feature's objects (bonds, tunnels, SR-IOV networks, rules) are its
 * part of the model (struct sl_model_part), their types in its module;
 * what a PIF or a VIF is to a feature is the endpoint's role (role.h).
 */
#ifndef SL_MODEL_H
#define SL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include <jansson.h>
#include <rte_ether.h>

#include "ipv4.h"
#include "role.h"
#include "sl_error.h"
#include "sl_port.h"

/* The objects with an other-config (whose keys a feature may read). */
enum sl_object_kind { SL_OBJ_NETWORK, SL_OBJ_PIF, SL_OBJ_VIF };

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
	/* What it is to a feature, if anything (role.h): the role and the
	 * feature's object (a bond's PIF: its bond). */
	const struct sl_role *role;
	void *role_of;
	/* runtime only */
	uint16_t port_id;	/* SL_PORT_NONE while not attached */
	char error[SL_ERRMSG_MAX];	/* why the last attach failed */
	/* A takeover upgrade (takeover.h): the port is the other sluiced's
	 * (handed over by the old one, not yet taken by the new one), so
	 * this process keeps it closed whatever the model wants. Never
	 * saved: the model is the same in both processes. */
	bool handed_over;
};

/* The PIF or VIF an endpoint is part of. */
#define SL_PIF_OF(epp) \
	((struct sl_pif *)((char *)(epp) - offsetof(struct sl_pif, ep)))
#define SL_VIF_OF(epp) \
	((struct sl_vif *)((char *)(epp) - offsetof(struct sl_vif, ep)))

struct sl_feature;
struct sl_vlan;

/*
 * A PIF is physical (it owns a port, opened from its devargs), a VLAN's PIF
 * (it rides on the port of the PIF carrying its tag) or a feature's (its
 * role says what it is: a bond's PIF is the bond's logical port over its
 * members' ports). Only physical PIFs have devargs.
 */
struct sl_pif {
	TAILQ_ENTRY(sl_pif) next;
	struct sl_endpoint ep;
	int vlan;		/* -1 for a physical PIF, else its VLAN tag */
	bool management;
	struct sl_vlan *vlan_master_of;	/* a VLAN PIF: its VLAN */
	struct sl_ip_config ip;	/* pif-reconfigure-ip (transport PIFs) */
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

struct sl_vif {
	TAILQ_ENTRY(sl_vif) next;
	struct sl_endpoint ep;
};

struct sl_settings {
	uint32_t fdb_aging_s;
	uint32_t fdb_max_entries;
};

TAILQ_HEAD(sl_network_list, sl_network);
TAILQ_HEAD(sl_pif_list, sl_pif);
TAILQ_HEAD(sl_vif_list, sl_vif);
TAILQ_HEAD(sl_vlan_list, sl_vlan);

/*
 * A feature's part of the model: its own objects (bonds, tunnels, SR-IOV
 * networks, rules), which the core does not know. Each feature with
 * objects declares one (struct sl_feature's model_part); the model makes
 * it when it is made and frees it with itself.
 */
struct sl_model_part {
	size_t size;
	void (*init)(void *part);	/* NULL: zeroed is empty */
	/* Free its objects (the endpoints have forgotten their roles). */
	void (*fini)(void *part);
};

#define SL_MODEL_MAX_PARTS 16

struct sl_model {
	struct sl_network_list networks;
	struct sl_pif_list pifs;
	struct sl_vif_list vifs;
	struct sl_vlan_list vlans;
	struct sl_settings settings;
	uint8_t dp_id_used[SL_MAX_NETWORKS];
	/* the features it was made with (their parts, their refusals) */
	const struct sl_feature *const *features;
	struct {
		const struct sl_model_part *kind;
		void *data;
	} parts[SL_MODEL_MAX_PARTS];
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
	bool no_port;	/* a VLAN's or a feature's: no devargs */
	bool shares_device;	/* an SR-IOV logical PIF: its PF's device */
	/* a feature's endpoint: its role and object (role.h) */
	const struct sl_role *role;
	void *role_of;
};

/* An empty model with the parts of features (NULL-terminated), or NULL. */
struct sl_model *sl_model_new(const struct sl_feature *const *features);
/* The part of kind (its feature's objects); NULL when the model was made
 * without its feature. */
void *sl_model_part(const struct sl_model *m, const struct sl_model_part *kind);
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
/* The role a PIF has, or a VLAN's PIF takes from the PIF carrying it
 * (role.h: vlans_alike), or NULL. */
static inline const struct sl_role *
sl_pif_kind(const struct sl_pif *p)
{
	const struct sl_role *r;

	if (!p->vlan_master_of)
		return p->ep.role;
	r = p->vlan_master_of->tagged->ep.role;
	return r && r->vlans_alike ? r : NULL;
}

/* Whether a PIF owns a datapath port (physical, a feature's logical one,
 * a member's) or rides on another's (a VLAN's), or has none. */
static inline bool
sl_pif_owns_port(const struct sl_pif *p)
{
	return !p->vlan_master_of &&
	       !(p->ep.role && p->ep.role->port == SL_ROLE_NO_PORT);
}

/* Whether device is in use: VIF devices are unique; a PIF device is
 * unique per VLAN (vlan -1: a physical PIF). */
bool sl_model_device_taken(const struct sl_model *m, const char *device,
			   bool is_vif, int vlan);
/* A new object's uuid: given (checked, not in use) or generated. */
int sl_model_take_uuid(const struct sl_model *m, const char *given,
		       char out[SL_UUID_LEN + 1], struct sl_err *err);

/* An endpoint with no port of sluice's: a feature's that has none (an
 * SR-IOV network's PIF, a tunnel's access PIF, a VF's VIF), or a VLAN on
 * such a PIF. */
static inline bool
sl_endpoint_has_no_port(const struct sl_endpoint *ep)
{
	const struct sl_role *r = ep->is_vif ? ep->role :
			sl_pif_kind((const struct sl_pif *)
				    ((const char *)ep - offsetof(struct sl_pif, ep)));

	return r && r->port == SL_ROLE_NO_PORT;
}

/* The first error a role on net gives to a new endpoint (a) or a VIF
 * moved there (SL_ACT_MOVE_IN): 0 or -1 with err. */
int sl_model_network_refuses(const struct sl_model *m,
			     const struct sl_network *net,
			     const struct sl_endpoint_spec *spec, bool is_vif,
			     enum sl_role_action a, struct sl_err *err);

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
/* The VIF, or the PIF (not a VLAN on it: they share its device), whose
 * device is device; NULL if none. */
struct sl_endpoint *sl_model_endpoint_by_device(const struct sl_model *m,
						const char *device);
/* Highest datapath network id in use + 1. */
uint16_t sl_model_dp_id_bound(const struct sl_model *m);

/* A copy of an object's other-config as given (NULL: empty), checked: a
 * map of strings whose keys the features accept (feature.h); NULL with
 * err if not. */
json_t *sl_model_other_config(const struct sl_model *m,
			      enum sl_object_kind kind, json_t *given,
			      struct sl_err *err);

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
