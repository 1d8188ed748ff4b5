/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluicectl: the command line of sluice, in the manner of xe.
 *
 *   sluicectl [--socket PATH] [--json] [--minimal] [--timeout SECONDS] COMMAND [KEY=VALUE ...]
 *
 * One JSON-RPC request per run over the control socket (sluice_api.h).
 * What each command takes and how its result prints comes from the command
 * table (sl_command_spec.h), compiled in: help, list-commands and --version
 * need no daemon. Output is for people unless --json; errors go to stderr
 * with a code, a name and a sentence; the exit status is 0 on success, 1 on
 * any error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "sl_cli.h"
#include "sl_command_spec.h"
#include "sl_rpc.h"
#include "sl_stats_text.h"
#include "sluice_api.h"
#include "sluicectl.h"

/* --help: the options, then the way to the commands. */
static void
print_usage(FILE *f)
{
	sl_program_usage(&sl_sluicectl_program, f);
	fputs("KEY=@FILE takes the value from FILE (add-rules rules=@rules.json).\n"
	      "sluicectl help lists the commands; sluicectl help COMMAND explains one.\n",
	      f);
}

/* ---- printing for people ---------------------------------------------- */

/* A value the way xe shows it: maps as "k: v; k2: v2", lists comma-separated. */
static char *
text_of(json_t *v)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	const char *key;
	json_t *item;
	size_t i;

	if (!f)
		return NULL;
	if (json_is_string(v))
		fputs(json_string_value(v), f);
	else if (json_is_integer(v))
		fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		fprintf(f, "%.3f", json_real_value(v));
	else if (json_is_boolean(v))
		fputs(json_is_true(v) ? "true" : "false", f);
	else if (json_is_object(v)) {
		bool first = true;

		json_object_foreach(v, key, item) {
			char *t = text_of(item);

			fprintf(f, "%s%s: %s", first ? "" : "; ", key, t ? t : "");
			free(t);
			first = false;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, item) {
			char *t = text_of(item);

			fprintf(f, "%s%s", i ? ", " : "", t ? t : "");
			free(t);
		}
	}
	fclose(f);
	return s;
}

static bool
field_wanted(const char *fields, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = fields; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == n && strncmp(p, key, n) == 0)
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

/* A record as xe prints one: the names right-aligned on the colon, uuid
 * first and flush left. fields limits the fields (NULL: all). */
static void
print_record(json_t *rec, const char *fields)
{
	const char *key;
	json_t *v;
	int width = 0;

	json_object_foreach(rec, key, v)
		if (!fields || field_wanted(fields, key))
			width = (int)strlen(key) > width ? (int)strlen(key) : width;
	json_object_foreach(rec, key, v) {
		char *t;

		if (fields && !field_wanted(fields, key))
			continue;
		t = text_of(v);
		if (strcmp(key, "uuid") == 0)
			printf("%-*s: %s\n", width, key, t ? t : "");
		else
			printf("%*s: %s\n", width, key, t ? t : "");
		free(t);
	}
}


static void
print_fdb(json_t *entries)
{
	json_t *e;
	size_t i;

	printf("%-10s %-17s %-12s %-4s %-7s %s\n", "bridge", "MAC", "port",
	       "", "type", "age");
	json_array_foreach(entries, i, e)
		printf("%-10s %-17s %-12s %-4s %-7s %" PRIu64 "\n", sl_rec_str(e, "bridge"),
		       sl_rec_str(e, "MAC"), sl_rec_str(e, "device"), sl_rec_str(e, "class"),
		       json_is_true(json_object_get(e, "static")) ? "static" : "learned",
		       sl_rec_u64(e, "age-s"));
}

/* help COMMAND: usage, help, and a line for each parameter. */
static void
print_command_help(const struct sl_command_spec *c)
{
	char line[1024];

	sl_command_usage(c, line, sizeof(line));
	printf("%s %s\n  %s\n", c->name, line, c->help);
	if (c->params[0].name)
		printf("\n");
	for (const struct sl_param_spec *p = c->params; p->name; p++) {
		sl_param_synopsis(p, line, sizeof(line));
		printf("  %-30s %s%s\n", line,
		       p->flags & SL_PARAM_REQUIRED ? "(required) " : "", p->help);
	}
}

/* help: every command, a line each, under its feature's title. */
static void
print_all_help(void)
{
	for (const struct sl_command_group *const *g = sl_command_groups; *g; g++) {
		if (!(*g)->commands[0].name)	/* a feature with options only */
			continue;
		printf("%s%s:\n", g == sl_command_groups ? "" : "\n", (*g)->title);
		for (const struct sl_command_spec *c = (*g)->commands; c->name; c++)
			printf("  %-26s %s\n", c->name, c->help);
	}
	printf("\nsluicectl help COMMAND for its parameters.\n");
}

/* records as xe prints them: blank lines between, fields limited to
 * fields (NULL: all) */
static void
print_records(json_t *r, const char *fields)
{
	json_t *item;
	size_t i;

	json_array_foreach(r, i, item) {
		if (i)
			printf("\n\n");
		print_record(item, fields);
	}
	if (json_array_size(r))
		printf("\n");
}

static void
print_value(json_t *r, const char *fields)
{
	char *t;

	if (json_is_null(r))
		return;
	if (json_is_array(r) && (json_array_size(r) == 0 ||
				 json_is_object(json_array_get(r, 0)))) {
		print_records(r, fields);
		return;
	}
	if (json_is_object(r)) {
		print_record(r, NULL);
		return;
	}
	t = text_of(r);
	puts(t ? t : "");
	free(t);
}

/* --minimal: the records' uuids, comma-separated, as xe --minimal; 1
 * (said) for records that have none (rule-list's: ids). */
static int
print_minimal(json_t *r)
{
	json_t *item;
	size_t i;

	json_array_foreach(r, i, item)
		if (!json_is_string(json_object_get(item, "uuid")))
			return fail("--minimal: these records have no uuid; give params=FIELD instead");
	json_array_foreach(r, i, item)
		printf("%s%s", i ? "," : "",
		       json_string_value(json_object_get(item, "uuid")));
	printf("\n");
	return 0;
}

/* r as the state file is written, to stdout or to path (a temporary
 * file renamed: a reader sees the whole file or none). */
static int
print_json(json_t *r, const char *path)
{
	size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
	char tmp[PATH_MAX];

	if (!path) {
		json_dumpf(r, stdout, flags);
		putchar('\n');
		return 0;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return fail("file: the path is too long");
	if (json_dump_file(r, tmp, flags) != 0 || rename(tmp, path) != 0) {
		int e = errno;

		unlink(tmp);
		return fail("file: cannot write %s: %s", path, strerror(e));
	}
	return 0;
}

/* 0, or 1 when it could not print (said). */
static int
print_result(const struct sl_command_spec *cmd, json_t *params, json_t *r,
	     bool minimal)
{
	const struct sl_command_printer *own;
	const char *fields = NULL;
	json_t *item;
	size_t i;

	if (minimal && json_is_array(r))
		return print_minimal(r);
	if (cmd && (own = sl_command_printer_find(cmd->name))) {
		own->print(stdout, r);
		return 0;
	}
	switch (cmd ? cmd->print : SL_PRINT_VALUE) {
	case SL_PRINT_STATS:
		sl_stats_print(stdout, r);
		return 0;
	case SL_PRINT_FDB:
		print_fdb(r);
		return 0;
	case SL_PRINT_STDOUT:
		if (json_is_object(r)) {
			/* the flows as ovs-ofctl prints them; --json for the envelope */
			fputs(json_string_value(json_object_get(r, "stdout")) ?: "", stdout);
			return 0;
		}
		break;
	case SL_PRINT_LINES:
		json_array_foreach(r, i, item)
			puts(json_string_value(item));
		return 0;
	case SL_PRINT_RECORDS:
		if (!json_object_get(params, "params"))
			fields = cmd->list_fields;
		break;
	case SL_PRINT_HELP:
		/* help of one command (an object) or of all, from the table */
		if (json_is_object(r))
			print_command_help(sl_command_spec_find(
				json_string_value(json_object_get(r, "command"))));
		else
			print_all_help();
		return 0;
	case SL_PRINT_JSON:
		return print_json(r, json_string_value(json_object_get(params, "file")));
	case SL_PRINT_VALUE:
		break;
	}
	print_value(r, fields);
	return 0;
}

/* ---- main ---------------------------------------------------------------- */

/* The text of a file as a string value, or for a command that takes JSON
 * values (add-rules) the list or object it holds, sent as it is: as a
 * string every quote of it would be escaped, a third more bytes. NULL
 * (error said) if unreadable. */
static json_t *
file_value(const char *key, const char *path, bool json_ok)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t size = 0;
	json_t *v = NULL;

	if (!f) {
		fail("%s: cannot read %s: %s", key, path, strerror(errno));
		return NULL;
	}
	FILE *mem = open_memstream(&text, &size);
	char buf[65536];
	size_t n;

	while (mem && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, mem);
	if (mem)
		fclose(mem);
	if (ferror(f) || !text)
		fail("%s: cannot read %s", key, path);
	else if (json_ok && (v = json_loadb(text, size, 0, NULL)) &&
		 !json_is_array(v) && !json_is_object(v))
		json_decref(v), v = NULL;
	/* anything else goes as text: the daemon says what is wrong in it */
	if (!v && text && !ferror(f) && !(v = json_stringn(text, size)))
		fail("%s: %s is not UTF-8 text", key, path);
	fclose(f);
	free(text);
	return v;
}

/* The parameter cmd's first argument may give without NAME=, or NULL. */
static const struct sl_param_spec *
positional_param(const struct sl_command_spec *cmd)
{
	for (const struct sl_param_spec *p = cmd ? cmd->params : NULL; p && p->name; p++)
		if (p->flags & SL_PARAM_POSITIONAL)
			return p;
	return NULL;
}

/* Parse the command's KEY=VALUE arguments into params; 0 or 1 (error
 * said). cmd is NULL for a command the table does not know. */
static int
parse_params(const struct sl_command_spec *cmd, int argc, char **argv,
	     json_t *params)
{
	const struct sl_param_spec *positional = positional_param(cmd);

	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		/* "help pif-plug" reads as help command=pif-plug */
		if (!eq && positional && i == 0) {
			json_object_set_new(params, positional->name, json_string(argv[i]));
			continue;
		}
		if (!eq || eq == argv[i])
			return fail("argument '%s' is not KEY=VALUE", argv[i]);
		*eq = '\0';
		if (json_object_get(params, argv[i]))
			return fail("%s is given twice", argv[i]);
		if (eq[1] == '@') {
			/* KEY=@FILE: the value is the file's text (add-rules) */
			json_t *v = file_value(argv[i], eq + 2, cmd &&
					       (cmd->flags & SL_CMD_JSON_VALUES));

			if (!v)
				return 1;
			json_object_set_new(params, argv[i], v);
			continue;
		}
		json_object_set_new(params, argv[i], json_string(eq + 1));
	}
	return 0;
}

/* A request over the socket's limit, said before it is sent: how big it
 * is, what the limit counts, and for a list (add-rules' batch) how many
 * of its items fit in one request. */
static int
too_big(const char *command, json_t *params, size_t len)
{
	const char *key;
	json_t *v;

	fail("%s: the request is %zu bytes; the control socket takes at most %d bytes a request (the whole JSON line, a KEY=@FILE list as compact JSON)",
	     command, len, SLUICE_MAX_REQUEST);
	json_object_foreach(params, key, v)
		if (json_array_size(v) > 1)
			fprintf(stderr, "sluicectl: %s holds %zu items: about %zu fit in one request; give them in several commands of at most that many (each applied all or nothing)\n",
				key, json_array_size(v),
				json_array_size(v) * (SLUICE_MAX_REQUEST - 1024) / len);
	return -1;
}

/* Send the request, return the answer line (NULL: error said). */
static char *
exchange(const char *path, json_t *req, int timeout_s)
{
	char *text = json_dumps(req, JSON_COMPACT), *line = NULL;
	int fd = -1;

	if (text && strlen(text) + 1 > SLUICE_MAX_REQUEST)
		too_big(json_string_value(json_object_get(req, "method")),
			json_object_get(req, "params"), strlen(text) + 1);
	else if (text)
		fd = ctl_connect(path);

	if (fd < 0) {
		free(text);
		return NULL;
	}
	if (ctl_send(fd, text, -1) < 0) {
		int e = errno;

		/* the daemon may have answered (and closed) before reading it */
		line = ctl_read_line(fd, 1000);
		if (!line)
			fail("cannot send the request: %s", strerror(e));
	} else {
		line = ctl_read_line(fd, timeout_s * 1000);
	}
	close(fd);
	free(text);
	return line;
}

/* Print the answer; returns the exit status. */
int
show(const struct sl_command_spec *cmd, json_t *params, const char *line,
     bool as_json, bool minimal)
{
	json_t *ans = json_loads(line, 0, NULL), *err;
	int status = 1;

	if (!ans)
		return fail("sluiced answered something that is not JSON");
	err = json_object_get(ans, "error");
	if (err) {
		const char *name = json_string_value(
			json_object_get(json_object_get(err, "data"), "name"));

		fprintf(stderr, "Error %" JSON_INTEGER_FORMAT "%s%s: %s\n",
			json_integer_value(json_object_get(err, "code")),
			name ? " " : "", name ? name : "",
			json_string_value(json_object_get(err, "message")));
	} else if (as_json) {
		status = print_result_of(cmd, json_object_get(ans, "result"), true);
	} else {
		status = print_result(cmd, params, json_object_get(ans, "result"),
				      minimal);
	}
	json_decref(ans);
	return status;
}

int
print_result_of(const struct sl_command_spec *cmd, json_t *result,
		bool as_json)
{
	char *out;

	if (!as_json)
		return print_result(cmd, NULL, result, false);
	out = json_dumps(result, JSON_INDENT(2) | JSON_ENCODE_ANY |
			 JSON_PRESERVE_ORDER);
	puts(out ? out : "null");
	free(out);
	return 0;
}

/* Take --json and --minimal out of argv wherever they are (xe takes
 * --minimal after the command); returns the new argc. */
static int
take_anywhere_flags(int argc, char **argv, bool *as_json, bool *minimal)
{
	int n = 1;

	for (int i = 1; i < argc; i++) {
		/* and their unambiguous prefixes, as getopt takes them */
		size_t len = strlen(argv[i]);

		if (len > 3 && strncmp(argv[i], "--json", len) == 0)
			*as_json = true;
		else if (len > 3 && strncmp(argv[i], "--minimal", len) == 0)
			*minimal = true;
		else
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return n;
}

int
main(int argc, char **argv)
{
	struct option opts[16];
	const char *path = getenv("SLUICE_SOCKET"), *command;
	const struct sl_command_spec *cmd;
	json_t *params, *req;
	bool as_json = false, minimal = false;
	int timeout_s = SLUICE_DEFAULT_TIMEOUT_S, c, status = 1;
	char *line;

	if (!path)
		path = SLUICE_DEFAULT_SOCKET;
	argc = take_anywhere_flags(argc, argv, &as_json, &minimal);
	if (sl_program_getopt(&sl_sluicectl_program, opts,
			      sizeof(opts) / sizeof(opts[0])) < 0)
		return 1;
	/* stop at the command: what follows are its KEY=VALUE arguments */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 's': path = optarg; break;
		case 't':
			timeout_s = atoi(optarg);
			if (timeout_s <= 0)
				return fail("--timeout: '%s' is not a positive number of seconds", optarg);
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		case 'V':
			printf("sluicectl %s\n", SLUICE_VERSION);
			return 0;
		default:
			print_usage(stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		print_usage(stderr);
		return 1;
	}
	command = argv[optind++];
	cmd = sl_command_spec_find(command);
	if (minimal && !(cmd && cmd->print == SL_PRINT_RECORDS))
		return fail("--minimal: only a *-list prints uuids");
	params = json_object();
	if (parse_params(cmd, argc - optind, argv + optind, params) != 0) {
		json_decref(params);
		return 1;
	}
	if (cmd && (cmd->flags & SL_CMD_LOCAL)) {
		/* help, list-commands: the daemon's very answer, from the
		 * table compiled in, shown as any answer is */
		enum sl_error_code code;
		char msg[512];
		json_t *result = sl_local_answer(cmd, params, &code, msg, sizeof(msg));

		line = sl_rpc_answer(NULL, result, code, msg);
		json_decref(result);
		status = line ? show(cmd, params, line, as_json, minimal) :
				fail("out of memory");
		free(line);
		json_decref(params);
		return status;
	}
	if (cmd && (cmd->flags & SL_CMD_PASSES_FD)) {
		/* capture: its file opened here, then a wait for its end */
		status = ctl_capture(path, cmd, params, timeout_s, as_json);
		json_decref(params);
		return status;
	}
	if (cmd && (cmd->flags & SL_CMD_FOLLOWED)) {
		/* trace-live: a wait for its end, then its result */
		status = ctl_followed(path, cmd, params, timeout_s, as_json);
		json_decref(params);
		return status;
	}
	req = json_pack("{s:s, s:i, s:s, s:O}", "jsonrpc", "2.0", "id", 1,
			"method", command, "params", params);
	line = exchange(path, req, timeout_s);
	if (line)
		status = show(cmd, params, line, as_json, minimal);
	free(line);
	json_decref(req);
	json_decref(params);
	return status;
}
