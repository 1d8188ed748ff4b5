/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands of the control socket: one JSON-RPC method per sluicectl command,
 * each a function over the model and the runtime. ctl_rpc.c checks the
 * envelope and the parameter names, calls the command, and saves the state
 * after every change.
 */
#ifndef SL_CTL_H
#define SL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "model.h"
#include "runtime.h"
#include "sl_error.h"

struct sl_ctl_server;
struct sl_peer;

/* How the daemon was started, as status reports it (main/ fills it in:
 * the control layer knows nothing of the options or the EAL). */
struct sl_ctl_host {
	const char *socket_path;
	const char *state_path;		/* NULL: no state file */
	const char *eal_file_prefix;
	bool hugepages;
};

struct sl_ctl {
	struct sl_runtime *rt;
	struct sl_model *model;
	struct sl_ctl_host host;
	struct sl_ctl_server *server;
	uint64_t requests, failures;
};

/* A command's arguments: the params object, every value a string. */
struct sl_args {
	json_t *params;
};

typedef int (*sl_cmd_fn)(struct sl_ctl *ctl, struct sl_args *a,
			 json_t **result, struct sl_err *err);

struct sl_command {
	const char *name;
	sl_cmd_fn fn;
	const char *usage;		/* "uuid=<uuid> param-name=<name>" */
	const char *help;		/* one sentence */
	/* Accepted parameter names, NULL-terminated; a name ending in ':'
	 * accepts any key with that prefix (other-config:). NULL: the command
	 * checks its parameters itself (the filters of *-list). */
	const char *const *params;
	unsigned int flags;		/* enum sl_command_flags */
};

enum sl_command_flags {
	SL_CMD_SAVES = 1 << 0,		/* save the state file after success */
	/* The sdncontroller plugin's calls: keys it does not read are
	 * ignored, as the plugin ignores them. */
	SL_CMD_IGNORES_UNKNOWN = 1 << 1,
	/* A list or object value is passed on as its JSON text (add-rules);
	 * elsewhere values are strings, numbers or booleans. */
	SL_CMD_JSON_VALUES = 1 << 2,
};

/* Every command group, NULL-terminated; a group ends with a NULL name. */
extern const struct sl_command *const sl_command_groups[];
const struct sl_command *sl_command_find(const char *name);

/* Answer one request line (an sl_rpc_handler). */
char *sl_ctl_handle(void *ctl, const char *line, size_t len,
		    const struct sl_peer *peer);

/* ---- arguments (ctl_args.c) ---------------------------------------- */

const char *sl_arg(const struct sl_args *a, const char *key);
int sl_arg_required(const struct sl_args *a, const char *key,
		    const char **out, struct sl_err *err);
/* The object named by uuid=. */
struct sl_network *sl_arg_network(struct sl_ctl *ctl, const struct sl_args *a,
				  const char *key, struct sl_err *err);
struct sl_pif *sl_arg_pif(struct sl_ctl *ctl, const struct sl_args *a,
			  struct sl_err *err);
/* The PIF named by another key (pif-uuid=). */
struct sl_pif *sl_arg_pif_named(struct sl_ctl *ctl, const struct sl_args *a,
				const char *key, struct sl_err *err);
struct sl_vif *sl_arg_vif(struct sl_ctl *ctl, const struct sl_args *a,
			  struct sl_err *err);
int sl_parse_bool(const char *what, const char *s, bool *out,
		  struct sl_err *err);
int sl_parse_long(const char *what, const char *s, long min, long max,
		  long *out, struct sl_err *err);

/* ---- records (ctl_records.c) ---------------------------------------- */

json_t *sl_network_record(const struct sl_model *m, const struct sl_network *n);
json_t *sl_pif_record(const struct sl_model *m, const struct sl_pif *p);
json_t *sl_vif_record(const struct sl_vif *v);
json_t *sl_vlan_record(const struct sl_vlan *v);
json_t *sl_bond_record(const struct sl_runtime *rt, const struct sl_bond *b);


/* The fields of each kind of record, NULL-terminated. */
extern const char *const sl_network_fields[];
extern const char *const sl_pif_fields[];
extern const char *const sl_vif_fields[];
extern const char *const sl_vlan_fields[];
extern const char *const sl_bond_fields[];

/* *-list: records matching the field=value filters in a (each a name in
 * fields), reduced to the fields of params= (comma-separated, or "all").
 * Takes the records. */
int sl_list_filter(const struct sl_args *a, const char *const *fields,
		   json_t *records, json_t **result, struct sl_err *err);
/* *-param-get: a field of a record, or one key of a map field. */
int sl_param_get(const struct sl_args *a, json_t *record, json_t **result,
		 struct sl_err *err);
/* Apply the other-config:KEY=VALUE arguments to a map. */
int sl_other_config_set(const struct sl_args *a, json_t *map,
			struct sl_err *err);
/* *-param-remove param-name=other-config param-key=KEY */
int sl_other_config_remove(const struct sl_args *a, json_t *map,
			   struct sl_err *err);

/* Commands are grouped by object: ctl_network.c, ctl_endpoint.c,
 * ctl_host.c. Each file exports its table. */
extern const struct sl_command sl_network_commands[];
extern const struct sl_command sl_pif_commands[];
extern const struct sl_command sl_vif_commands[];
extern const struct sl_command sl_vlan_commands[];
extern const struct sl_command sl_bond_commands[];
extern const struct sl_command sl_host_commands[];
extern const struct sl_command sl_rule_commands[];
extern const struct sl_command sl_sriov_commands[];
extern const struct sl_command sl_tunnel_commands[];
extern const char *const sl_tunnel_fields[];
json_t *sl_tunnel_record(const struct sl_runtime *rt, const struct sl_tunnel *t);
extern const char *const sl_sriov_fields[];
json_t *sl_sriov_record(const struct sl_runtime *rt, const struct sl_sriov *s);
extern const char *const sl_rule_fields[];
json_t *sl_rule_record(const struct sl_runtime *rt, const struct sl_rule *r);

#endif
