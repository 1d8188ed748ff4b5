/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The commands of the control socket, each declared once: its name, one
 * sentence of help, its parameters (name, what to give, required or not,
 * one line of help each) and how its result prints. Every feature declares
 * its own commands in its api/ part (modules/<feature>/api/); the core's
 * are in api/core_commands.c.
 *
 * From these tables come the daemon's argument checks, sluicectl's help,
 * list-commands, usage lines and printers (with or without a daemon), the
 * man pages and the bash completion (docs/reference/, made by
 * docs/gen/gen_reference.c).
 * They are plain data: sluicectl links them and nothing of the daemon.
 */
#ifndef SL_COMMAND_SPEC_H
#define SL_COMMAND_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "sl_error_codes.h"

enum sl_param_flags {
	SL_PARAM_REQUIRED = 1 << 0,
	/* the command's first argument may be this one's value alone,
	 * without NAME= (help pif-plug) */
	SL_PARAM_POSITIONAL = 1 << 1,
	/* a record's field that cannot be set: listed for its error
	 * (FIELD_READ_ONLY), not offered by usage or completion */
	SL_PARAM_READ_ONLY = 1 << 2,
	/* not a name but a stand-in for one (FIELD=VALUE of a *-list) */
	SL_PARAM_PLACEHOLDER = 1 << 3,
};

struct sl_param_spec {
	/* "uuid"; a name ending in ':' takes any KEY after it
	 * (other-config:KEY=VALUE) */
	const char *name;
	const char *value;	/* what to give, as usage shows it: "<network>" */
	unsigned int flags;	/* enum sl_param_flags */
	const char *help;	/* one line */
};

enum sl_command_flags {
	SL_CMD_SAVES = 1 << 0,		/* the state file is saved after success */
	/* The sdncontroller plugin's calls: keys it does not read are
	 * ignored, as the plugin ignores them, and the command reports a
	 * missing argument itself, with the plugin's codes. */
	SL_CMD_PLUGIN = 1 << 1,
	/* A list or object value is passed on as its JSON text (add-rules);
	 * elsewhere values are strings, numbers or booleans. */
	SL_CMD_JSON_VALUES = 1 << 2,
	/* *-list: any FIELD=VALUE of the records is a filter (the command
	 * checks the field names against its records). */
	SL_CMD_FILTERS = 1 << 3,
	/* answered from the table (sl_local_answer()): by sluicectl with
	 * no daemon, and by the daemon alike (help, list-commands) */
	SL_CMD_LOCAL = 1 << 4,
	/* changes the switch's networks, PIFs, VIFs, VLANs, bonds, tunnels
	 * or SR-IOV networks: refused while another owns them (sluiced
	 * --ovsdb: the Open_vSwitch database) */
	SL_CMD_TOPOLOGY = 1 << 5,
	/* writes to a file the client opens (capture's file=PATH|-): the
	 * client sends its descriptor with the request (SCM_RIGHTS) and
	 * the daemon never opens a path for it */
	SL_CMD_PASSES_FD = 1 << 6,
	/* runs on after its answer (a capture, a live trace): the client
	 * asks NAME-show on the same connection until its state is done,
	 * NAME-stop on Ctrl-C, and prints the last NAME-show; the daemon
	 * ends it when the connection closes */
	SL_CMD_FOLLOWED = 1 << 7,
};

/* How sluicectl prints a result for people (--json prints the JSON). */
enum sl_print_style {
	SL_PRINT_VALUE,		/* a value, a record, or records as xe does */
	SL_PRINT_RECORDS,	/* records, showing list_fields unless params= */
	SL_PRINT_STATS,		/* the counters table of stats */
	SL_PRINT_FDB,		/* the forwarding database table */
	SL_PRINT_HELP,		/* help's answer */
	SL_PRINT_LINES,		/* a list of strings, one a line */
	SL_PRINT_STDOUT,	/* the "stdout" text of the answer (dump-flows) */
	SL_PRINT_JSON,		/* indented JSON, to the file of file= if given */
};

struct sl_command_spec {
	const char *name;
	const char *help;		/* one sentence or two */
	const struct sl_param_spec *params;	/* ends with a NULL name */
	unsigned int flags;		/* enum sl_command_flags */
	enum sl_print_style print;
	const char *list_fields;	/* SL_PRINT_RECORDS: shown by default */
};

/* A command's printer of its own, for a result no style fits (a trace's
 * stages): sluicectl uses it instead of the command's style. */
struct sl_command_printer {
	const char *command;
	void (*print)(FILE *out, json_t *result);
};

/* A feature's commands, under a title for help and the man page. */
struct sl_command_group {
	const char *name;		/* "bond" */
	const char *title;		/* "Bonds" */
	const struct sl_command_spec *commands;	/* ends with a NULL name */
	/* sluiced's options of the feature (SR-IOV's --sysfs-root), ending
	 * with a NULL name; NULL: none. Their key is not used (sl_cli.h:
	 * SL_OPT_FEATURE). */
	const struct sl_option_spec *daemon_options;
	/* printers of its commands' own, ending with a NULL command; NULL:
	 * none */
	const struct sl_command_printer *printers;
};

/* Every group: the core's, each feature's, and the host's last;
 * NULL-terminated.
 * The build makes the list from the feature list (meson.build's modules):
 * feature NAME declares its group as sl_NAME_commands. */
extern const struct sl_command_group *const sl_command_groups[];

const struct sl_command_spec *sl_command_spec_find(const char *name);
/* The printer of its own of command name, or NULL. */
const struct sl_command_printer *sl_command_printer_find(const char *name);

/* The parameter of cmd that key names (a prefix parameter for
 * other-config:KEY), or NULL. */
const struct sl_param_spec *sl_param_spec_find(const struct sl_command_spec *cmd,
					       const char *key);

/* Whether p takes any KEY after its name (other-config:KEY=VALUE): its
 * name ends in ':'. */
bool sl_param_is_prefix(const struct sl_param_spec *p);
/* Whether usage and completion offer p (not read-only). */
bool sl_param_offered(const struct sl_param_spec *p);
/* "name=<value>", "other-config:KEY=VALUE", "name=..." (read-only) into
 * buf, as help, the man page and the reference show a parameter. */
void sl_param_synopsis(const struct sl_param_spec *p, char *buf, size_t len);
/* The usage line: "name=<value> [optional=<value>] ..." into buf; the
 * length it needed (as snprintf), so a caller can tell it was cut. */
size_t sl_command_usage(const struct sl_command_spec *cmd, char *buf,
			size_t len);

/* The usual marks of a parameter table. */
#define SL_REQ SL_PARAM_REQUIRED
#define SL_PARAM_READ_ONLY_FIELD(name) \
	{ name, "", SL_PARAM_READ_ONLY, "read-only: refused with FIELD_READ_ONLY" }
#define SL_PARAM_OTHER_CONFIG(what) \
	{ "other-config:", "KEY=VALUE", 0, "a key of the " what "'s other-config map" }

/* The answers of list-commands and help, the same from the daemon and
 * from sluicectl without one (command_json.c). */
json_t *sl_command_names_json(void);
/* {command, usage, help, params: [{name, value, required, help}]} */
json_t *sl_command_help_json(const struct sl_command_spec *c);
json_t *sl_command_help_all_json(void);
/* The answer of a SL_CMD_LOCAL command (help, list-commands) to params
 * (strings), the daemon's and sluicectl's alike; NULL with *code and msg
 * when refused (an unknown parameter, no such command). */
json_t *sl_local_answer(const struct sl_command_spec *cmd, json_t *params,
			enum sl_error_code *code, char *msg, size_t len);

/* The parameters every *-list takes. */
extern const struct sl_param_spec sl_list_params[];

/* The parameter lists every kind of record has, as xe's: NAME_uuid_params
 * (uuid=), NAME_get_params (uuid= param-name= [param-key=]) and
 * NAME_remove_params (uuid= param-name=other-config param-key=). what is
 * the record's name as help shows it ("network", "PIF"). */
/* not every kind of record has every command */
#define SL_UNUSED __attribute__((unused))
#define SL_PARAM_END { NULL, NULL, 0, NULL }
#define SL_PARAM_UUID(what)                                                  \
	{ "uuid", "<" what ">", SL_PARAM_REQUIRED, "the " what "'s uuid" }
#define SL_RECORD_PARAMS(name, what)                                         \
	static const struct sl_param_spec SL_UNUSED name##_uuid_params[] = { \
		SL_PARAM_UUID(what), SL_PARAM_END,                           \
	};                                                                   \
	static const struct sl_param_spec SL_UNUSED name##_get_params[] = { \
		SL_PARAM_UUID(what),                                         \
		{ "param-name", "<field>", SL_PARAM_REQUIRED,                \
		  "the field to print" },                                    \
		{ "param-key", "<key>", 0, "one key of a map field" },       \
		SL_PARAM_END,                                                \
	};                                                                   \
	static const struct sl_param_spec SL_UNUSED name##_remove_params[] = { \
		SL_PARAM_UUID(what),                                         \
		{ "param-name", "other-config", SL_PARAM_REQUIRED,           \
		  "the map field" },                                         \
		{ "param-key", "<key>", SL_PARAM_REQUIRED,                   \
		  "the key to remove" },                                     \
		SL_PARAM_END,                                                \
	}
#define SL_COMMANDS_END { NULL, NULL, NULL, 0, SL_PRINT_VALUE, NULL }

#endif
