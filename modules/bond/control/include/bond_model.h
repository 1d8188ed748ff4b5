/* SPDX-License-Identifier: BSD-3-Clause */
/* Bonds in the model (bond_model.c): the bond feature's part of it, and
 * the roles of a bond's PIFs (bond_roles.c). */
#ifndef SL_BOND_MODEL_H
#define SL_BOND_MODEL_H

#include <jansson.h>

#include "model.h"

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

TAILQ_HEAD(sl_bond_list, sl_bond);

/* The bonds of a model (its bond part). */
extern const struct sl_model_part sl_bond_model_part;
static inline struct sl_bond_list *
sl_bonds(const struct sl_model *m)
{
	return sl_model_part(m, &sl_bond_model_part);
}

/* "balance-slb", "active-backup", "balance-tcp", "lacp", "broadcast". */
const char *sl_bond_mode_name(enum sl_bond_mode mode);
int sl_bond_mode_parse(const char *what, const char *s, enum sl_bond_mode *out,
		       struct sl_err *err);
/* Parse a properties map (string values) over the defaults; names the
 * property that is wrong. */
int sl_bond_props_parse(json_t *props, struct sl_bond_props *out,
			struct sl_err *err);
/* A bond of slaves (2..8 physical PIFs) and its PIF (unplugged) on net.
 * uuids may be NULL. The management interface moves to the bond. */
struct sl_bond *sl_model_bond_add(struct sl_model *m, const char *uuid,
				  const char *master_uuid,
				  struct sl_network *net,
				  struct sl_pif *const *slaves, unsigned int n,
				  enum sl_bond_mode mode, json_t *properties,
				  struct sl_err *err);
/* Remove a bond and its PIF (detached by the caller); the slaves are
 * PIFs of their own again. */
void sl_model_bond_remove(struct sl_model *m, struct sl_bond *b);
struct sl_bond *sl_model_bond_find(const struct sl_model *m, const char *uuid);

/* A bond's PIF, its logical port (role_of: its struct sl_bond), and a
 * bond's member (role_of: the bond it serves). */
extern const struct sl_role sl_bond_pif_role, sl_bond_member_role;

/* The bond whose PIF p is, or NULL. */
static inline struct sl_bond *
sl_bond_of_pif(const struct sl_pif *p)
{
	return p->ep.role == &sl_bond_pif_role ? p->ep.role_of : NULL;
}

/* The bond p is a member of, or NULL. */
static inline struct sl_bond *
sl_bond_with_member(const struct sl_pif *p)
{
	return p->ep.role == &sl_bond_member_role ? p->ep.role_of : NULL;
}

#endif
