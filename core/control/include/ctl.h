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
#include "takeover.h"

struct sl_ctl_server;
struct sl_feature;
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
	json_t *stats_mark;	/* stats at the last stats-clear, or NULL */
	struct sl_takeover takeover;	/* a new sluiced taking over */
};

/* A command's arguments: the params object, every value a string; and
 * who asked (NULL when not through the socket): its connection and a
 * descriptor it passed, which a command that keeps it takes by setting
 * peer->fd to -1 (ctl_server.h). */
struct sl_args {
	json_t *params;
	struct sl_peer *peer;
};

typedef int (*sl_cmd_fn)(struct sl_ctl *ctl, struct sl_args *a,
			 json_t **result, struct sl_err *err);

/* A command's handler. What the command takes and how it prints is
 * declared once, in its sl_command_spec (api/, sl_command_spec.h); the
 * handler is bound to it by name. A SL_CMD_LOCAL command (help) has no
 * handler: its answer is sl_local_answer()'s. */
struct sl_command {
	const char *name;
	sl_cmd_fn fn;
};

/* A command: its declaration and its handler. */
struct sl_command_ref {
	const struct sl_command_spec *spec;
	sl_cmd_fn fn;
};

/* The command of that name, its declaration and its handler (the core's
 * or a feature's of features, NULL-terminated), or false. */
bool sl_command_find(const struct sl_feature *const *features,
		     const char *name, struct sl_command_ref *out);

/* Answer one request line (an sl_rpc_handler). */
char *sl_ctl_handle(void *ctl, const char *line, size_t len,
		    struct sl_peer *peer);
/* A client's connection closed (the server's closed callback): every
 * feature's peer_gone. */
void sl_ctl_peer_gone(void *ctl, uint64_t conn_id);

/* ---- arguments (command_args.c) ---------------------------------------- */

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

/* ---- records (command_records.c) ---------------------------------------- */

json_t *sl_network_record(const struct sl_model *m, const struct sl_network *n);
/* A PIF's or a VIF's: the core's fields, then each feature's. */
json_t *sl_pif_record(const struct sl_feature *const *features,
		      const struct sl_model *m, const struct sl_pif *p);
json_t *sl_vif_record(const struct sl_feature *const *features,
		      const struct sl_model *m, const struct sl_vif *v);

/* The fields of a network's records, NULL-terminated. */
extern const char *const sl_network_fields[];
/* At most this many fields in a PIF's or a VIF's records. */
#define SL_RECORD_MAX_FIELDS 64
/* The fields of a PIF's (is_vif false) or a VIF's records, the features'
 * included, into out (NULL-terminated; max entries at most). */
void sl_endpoint_fields(const struct sl_feature *const *features, bool is_vif,
			const char **out, size_t max);

/* *-list: records matching the field=value filters in a (each a name in
 * fields), reduced to the fields of params= (comma-separated, or "all").
 * Takes the records. */
int sl_list_filter(const struct sl_args *a, const char *const *fields,
		   json_t *records, json_t **result, struct sl_err *err);
/* The same over n items whose records are made only when the filters keep
 * them (rule-list: 10,000 rules): field gives one field's value of item i
 * (a new reference, NULL when it has none), record its whole record. */
struct sl_list_source {
	size_t n;
	json_t *(*field)(void *ctx, size_t i, const char *field);
	json_t *(*record)(void *ctx, size_t i);
	void *ctx;
};
int sl_list_filter_from(const struct sl_args *a, const char *const *fields,
			const struct sl_list_source *src, json_t **result,
			struct sl_err *err);
/* *-param-get: a field of a record, or one key of a map field. */
int sl_param_get(const struct sl_args *a, json_t *record, json_t **result,
		 struct sl_err *err);
/* Apply the other-config:KEY=VALUE arguments to a map. */
int sl_other_config_set(const struct sl_args *a, json_t *map,
			struct sl_err *err);
/* *-param-remove param-name=other-config param-key=KEY */
int sl_other_config_remove(const struct sl_args *a, json_t *map,
			   struct sl_err *err);

/* The core's handlers, a table per kind of object: network_commands.c,
 * endpoint_commands.c (PIFs and VIFs), vlan_commands.c, host_commands.c.
 * A feature's come with its struct sl_feature (feature.h). */
extern const struct sl_command sl_network_handlers[];
extern const struct sl_command sl_pif_handlers[];
extern const struct sl_command sl_vif_handlers[];
extern const struct sl_command sl_vlan_handlers[];
extern const struct sl_command sl_host_handlers[];
extern const struct sl_command sl_takeover_handlers[];

/* ---- a takeover upgrade, the old process's side (takeover_commands.c) -- */

/* While a new sluiced takes the ports over, a command that changes the
 * state is refused (TAKEOVER_IN_PROGRESS): 0 or -1 with err. */
int sl_takeover_refuse(const struct sl_ctl *ctl, const struct sl_command_spec *c,
		       struct sl_err *err);
/* A connection closed: if it was the new sluiced's before it was done,
 * take the ports back. */
void sl_takeover_peer_gone(struct sl_ctl *ctl, uint64_t conn_id);
/* At exit. */
void sl_takeover_fini(struct sl_ctl *ctl);

#endif
