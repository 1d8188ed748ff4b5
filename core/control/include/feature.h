/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A feature as the core sees it. The core names no feature: each one
 * (modules/<feature>/control/<feature>_feature.c) fills a struct
 * sl_feature, the build lists them (meson.build's modules), and the runtime and the control
 * socket call every feature of the list, in its order, through these
 * hooks. Any hook may be NULL. What a PIF or a VIF is to a feature (a
 * bond's member, a VF) is the endpoint's role (role.h).
 */
#ifndef SL_FEATURE_H
#define SL_FEATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <rte_mbuf.h>

#include "model.h"
#include "role.h"
#include "sl_error.h"
#include "sl_stats.h"

struct sl_args;
struct sl_command;
struct sl_command_spec;
struct sl_ctl;
struct sl_endpoint;
struct sl_endpoint_spec;
struct sl_model;
struct sl_network;
struct sl_pif;
struct sl_runtime;
struct sl_state_item;
struct sl_state_pif;
struct sl_vif;
struct sl_snapshot;


/* At most this many features in a list. */
#define SL_MAX_FEATURES 16

struct sl_feature {
	const char *name;
	/* Its objects in the model (bonds, rules, ...): made and freed with
	 * the model (sl_model_part()). */
	const struct sl_model_part *model_part;
	/* Bytes of runtime state of its own, zeroed when the runtime starts
	 * and freed when it stops (sl_feature_runtime()): what the feature
	 * keeps between calls, which the core need not know. */
	size_t runtime_size;
	/* The handlers of its commands (declared in its api/ part). */
	const struct sl_command *handlers;
	/* The state file. A key of the root of its own (the rules): read
	 * once the core's objects are loaded, written with them (save_state
	 * returning NULL: no key). */
	const char *state_key;
	int (*load_state)(struct sl_model *m, json_t *value, struct sl_err *err);
	json_t *(*save_state)(const struct sl_model *m);
	/* When that value is a list of objects, each with an integer "id",
	 * whose order load_state does not depend on (the rules): its items,
	 * so that the journal (persist.h) records only those a change added,
	 * changed or removed, not the whole list. state_items gives them (a
	 * malloc'd array, or -1 out of memory), state_item the object of the
	 * index-th as save_state writes it. NULL: the whole value is recorded
	 * when it changes. */
	int (*state_items)(const struct sl_model *m,
			   struct sl_state_item **items, size_t *n);
	json_t *(*state_item)(const struct sl_model *m, size_t index);
	/* PIFs of its own in "pifs" (a bond's, a tunnel's): an object with
	 * the key pif_key is read by load_pif, which makes the PIF (uuid and
	 * network: pif's) and returns it, or NULL with err. The core took
	 * out what every PIF has (state.h: struct sl_state_pif) and the IP
	 * configuration, and applies them. save_pif adds its fields to a
	 * saved PIF that is its (the core leaves out devargs and MAC: it has
	 * no port of its own), and leaves the others. */
	const char *pif_key;
	struct sl_pif *(*load_pif)(struct sl_model *m, json_t *o,
				   const struct sl_state_pif *pif,
				   struct sl_err *err);
	void (*save_pif)(const struct sl_pif *p, json_t *o);
	/* The same for VIFs of its own in "vifs" (a VF's: key "VF"). */
	const char *vif_key;
	int (*load_vif)(struct sl_model *m, json_t *o, struct sl_err *err);
	void (*save_vif)(const struct sl_vif *v, json_t *o);
	/* Fields of its own in pif-list's and vif-list's records (NULL-
	 * terminated), and their values for any PIF or VIF ("" or an empty
	 * list where it is not the feature's). */
	const char *const *pif_fields;
	void (*pif_record)(const struct sl_model *m, const struct sl_pif *p,
			   json_t *record);
	const char *const *vif_fields;
	void (*vif_record)(const struct sl_model *m, const struct sl_vif *v,
			   json_t *record);
	/* -1 with err when its objects use p, a PIF with no role, in a way
	 * that forbids a (a tunnel's transport PIF, an SR-IOV PF cannot be
	 * forgotten or change its devargs). */
	int (*refuse_pif)(const struct sl_model *m, const struct sl_pif *p,
			  enum sl_role_action a, struct sl_err *err);
	/* vif-create on a network of the feature's (an SR-IOV network: the
	 * VIF is a VF): 1 if n is not its, else 0 with *result or -1 with
	 * err. spec holds what the command gave. */
	int (*vif_create)(struct sl_ctl *ctl, struct sl_args *a,
			  struct sl_network *n, struct sl_endpoint_spec *spec,
			  json_t **result, struct sl_err *err);
	/* With the runtime: after the model is loaded, before any port
	 * opens; stop may be called without start having succeeded. */
	int (*start)(struct sl_runtime *rt, struct sl_err *err);
	void (*stop)(struct sl_runtime *rt);
	/* At start-up, once the ports are attached (a PF DPDK drives is
	 * programmed through its port): what it sets up outside sluice. */
	void (*ports_ready)(struct sl_runtime *rt);
	/* Part of every apply, once the ports are opened or closed as the
	 * model says and before the snapshot is built: its runtime state. */
	void (*sync)(struct sl_runtime *rt);
	/* Its part of a new datapath snapshot (the ports and networks are
	 * in it already); 0, or -1 when out of memory. */
	int (*fill_snapshot)(struct sl_runtime *rt, struct sl_snapshot *s);
	/* After a snapshot is published and the ports it dropped are
	 * closed: what no worker can use any more. */
	void (*published)(struct sl_runtime *rt);
	/* A network is about to go: what of the feature is on it goes
	 * first (a network's rules). -1 with err (out of memory) keeps the
	 * network, with nothing of the feature's changed; the features
	 * before it in the list have dropped their part already, so a
	 * reason to keep a network is not given here but by a role
	 * (SL_ACT_NETWORK_DESTROY), before anything changes. */
	int (*network_gone)(struct sl_runtime *rt, struct sl_network *n,
			    struct sl_err *err);
	/* reset-networking: forget its objects made of PIFs (bonds,
	 * tunnels, SR-IOV networks, and the VLANs on their own PIFs) and say
	 * how many in result ("bonds-removed"); returns how many PIFs went
	 * with them. Called in the reverse order of the feature list, before
	 * the core forgets the remaining VLANs and PIFs. */
	unsigned int (*reset_networking)(struct sl_runtime *rt, json_t *result);
	/* Keys of an object's other-config that are the feature's (a
	 * network's static-routes, a PIF's static-neighbours): 0 if oc's
	 * are valid, else -1 with err (the object is then left as it was). */
	int (*check_other_config)(enum sl_object_kind kind, json_t *oc,
				  struct sl_err *err);
	/* An object's other-config changed from before to after: true when
	 * the runtime must apply again (a tunnel's next hop). */
	bool (*other_config_changed)(enum sl_object_kind kind, json_t *before,
				     json_t *after);
	/* The name of a datapath port that is the feature's, not an
	 * endpoint's (a private network's remote: its address), into buf;
	 * false if the port is not its. */
	bool (*port_name)(const struct sl_runtime *rt, uint16_t port, char *buf,
			  size_t len);
	/* A frame a worker handed to the control thread: false if it is not
	 * the feature's; true if it took it (and freed it). *changed is set
	 * when the datapath needs a new snapshot. */
	bool (*punt)(struct sl_runtime *rt, struct rte_mbuf *m, uint64_t now_ms,
		     bool *changed);
	/* Every few milliseconds, its timers: true when the datapath needs a
	 * new snapshot. */
	bool (*fast_tick)(struct sl_runtime *rt, uint64_t now_ms);
	/* The row of stats' ports for a PIF the feature made (a bond's: its
	 * members' traffic), or NULL if ep is not its. */
	json_t *(*port_row)(const struct sl_runtime *rt,
			    const struct sl_worker_stats *sum,
			    const struct sl_endpoint *ep);
	/* Its part of stats: keys of its own in stats. */
	void (*report)(const struct sl_runtime *rt,
		       const struct sl_worker_stats *sum, json_t *stats);
	/* Its metrics for the Prometheus exporter: families of its own in
	 * families (metric.h). */
	void (*metrics)(const struct sl_runtime *rt,
			const struct sl_worker_stats *sum, json_t *families);
	/* A restart's carry-over (warm.h): what of its runtime state the
	 * next sluiced should start with (the rules' counters), saved at a
	 * clean exit under its name, and given back at the next start once
	 * the ports are attached and before the workers start. */
	json_t *(*warm_save)(const struct sl_runtime *rt);
	void (*warm_load)(struct sl_runtime *rt, json_t *saved);
	/* Whether what the service manager's READY=1 waits for is done on
	 * its side (the database's first contents made into the model);
	 * NULL: done at start. */
	bool (*ready)(const struct sl_runtime *rt);
	/* Its part of status: keys of its own in status. */
	void (*status)(const struct sl_runtime *rt, json_t *status);
	/* A control client's connection closed (struct sl_peer's conn_id):
	 * what it started and no one else may stop goes (a capture). */
	void (*peer_gone)(struct sl_runtime *rt, uint64_t conn_id);
	/* -1 with err when a command may not run now (another owner of the
	 * switch's topology: the database refuses SL_CMD_TOPOLOGY). */
	int (*refuse_command)(const struct sl_runtime *rt,
			      const struct sl_command_spec *cmd,
			      struct sl_err *err);
};

/* Every feature's check of oc (-1 with err at the first that refuses). */
int sl_features_check_other_config(const struct sl_feature *const *features,
				   enum sl_object_kind kind, json_t *oc,
				   struct sl_err *err);
/* Whether any feature wants the runtime to apply again after the change. */
bool sl_features_other_config_changed(const struct sl_feature *const *features,
				      enum sl_object_kind kind, json_t *before,
				      json_t *after);
/* A datapath port's name into buf: its PIF's or VIF's device, or a
 * feature's name for it (a remote's address); false if it has none. */
bool sl_runtime_port_name(const struct sl_runtime *rt, uint16_t port,
			  char *buf, size_t len);
/* A feature's name of a datapath port into buf (rt's features), or
 * false. */
bool sl_features_port_name(const struct sl_runtime *rt, uint16_t port,
			   char *buf, size_t len);

/* Whether every feature is ready (its ready hook, or none). */
bool sl_features_ready(const struct sl_runtime *rt);

/* Every feature's refusal of a on p (refuse_pif), or 0. */
int sl_features_refuse_pif(const struct sl_feature *const *features,
			   const struct sl_model *m, const struct sl_pif *p,
			   enum sl_role_action a, struct sl_err *err);

/* Every feature of a NULL-terminated list. */
#define SL_FEATURE_FOREACH(f, list) \
	for (const struct sl_feature *const *f = (list); *f; f++)

#endif
