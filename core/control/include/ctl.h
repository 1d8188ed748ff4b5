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
#include "sl_command_spec.h"
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

/* A command's handler. What the command takes and how it prints is
 * declared once, in its sl_command_spec (api/, sl_command_spec.h); the
 * handler is bound to it by name. */
struct sl_command {
	const char *name;
	sl_cmd_fn fn;
};

/* A command: its declaration and its handler. */
struct sl_command_ref {
	const struct sl_command_spec *spec;
	sl_cmd_fn fn;
};

/* Every table of handlers, NULL-terminated; a table ends with a NULL name. */
extern const struct sl_command *const sl_command_handlers[];
/* The command of that name (spec and handler), or false. */
bool sl_command_find(const char *name, struct sl_command_ref *out);

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

/* The handlers, a table per kind of object: network_commands.c,
 * endpoint_commands.c (PIFs and VIFs), vlan_commands.c, host_commands.c,
 * and each feature's <feature>_commands.c. */
extern const struct sl_command sl_network_handlers[];
extern const struct sl_command sl_pif_handlers[];
extern const struct sl_command sl_vif_handlers[];
extern const struct sl_command sl_vlan_handlers[];
extern const struct sl_command sl_bond_handlers[];
extern const struct sl_command sl_host_handlers[];
extern const struct sl_command sl_rule_handlers[];
extern const struct sl_command sl_sriov_handlers[];
extern const struct sl_command sl_tunnel_handlers[];
extern const char *const sl_tunnel_fields[];
json_t *sl_tunnel_record(const struct sl_runtime *rt, const struct sl_tunnel *t);
extern const char *const sl_sriov_fields[];
json_t *sl_sriov_record(const struct sl_runtime *rt, const struct sl_sriov *s);
extern const char *const sl_rule_fields[];
json_t *sl_rule_record(const struct sl_runtime *rt, const struct sl_rule *r);

#endif
