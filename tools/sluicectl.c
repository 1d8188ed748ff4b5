/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluicectl: the command line of sluice, in the manner of xe.
 *
 *   sluicectl [--socket PATH] [--json] [--timeout SECONDS] COMMAND [KEY=VALUE ...]
 *
 * One JSON-RPC request per run over the control socket (sluice_api.h).
 * Output is for people unless --json; errors go to stderr with the daemon's
 * code and sentence; the exit status is 0 on success, 1 on any error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "sluice_api.h"

static const char usage[] =
	"usage: sluicectl [--socket PATH] [--json] [--timeout SECONDS] COMMAND [KEY=VALUE ...]\n"
	"       sluicectl list-commands | help [COMMAND]\n"
	"KEY=@FILE takes the value from FILE (add-rules rules=@rules.json).\n";

/* Fields xe shows by default in its lists; params=all shows every field. */
static const struct {
	const char *command;
	const char *fields;
} list_defaults[] = {
	{ "network-list", "uuid,name-label,name-description,bridge" },
	{ "pif-list", "uuid,device,currently-attached,VLAN,network-uuid" },
	{ "vif-list", "uuid,device,MAC,currently-attached,network-uuid" },
	{ "network-sriov-list", "uuid,network-uuid,physical-PIF,configuration-mode,requires-reboot,remaining-capacity" },
};

static int
fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
fail(const char *fmt, ...)
{
	va_list ap;

	fputs("sluicectl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int
connect_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fail("socket path %s is too long", path);
		return -1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int e = errno;

		if (e == ENOENT || e == ECONNREFUSED)
			fail("cannot connect to %s: %s (is sluiced running?)",
			     path, strerror(e));
		else if (e == EACCES)
			fail("cannot connect to %s: permission denied (the socket is for root and its group)",
			     path);
		else
			fail("cannot connect to %s: %s", path, strerror(e));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int
send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One answer line, within timeout_ms. */
static char *
read_line(int fd, int timeout_ms)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (buf) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct timespec now;
		long left;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = timeout_ms - ((now.tv_sec - start.tv_sec) * 1000 +
				     (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
			fail("no answer from sluiced within %d s", timeout_ms / 1000);
			break;
		}
		if (len + 1 >= cap) {
			char *b = realloc(buf, cap *= 2);

			if (!b)
				break;
			buf = b;
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n <= 0) {
			fail("sluiced closed the connection without an answer");
			break;
		}
		len += (size_t)n;
		buf[len] = '\0';
		if (memchr(buf, '\n', len))
			return buf;
	}
	free(buf);
	return NULL;
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

static uint64_t
u(json_t *o, const char *key)
{
	return (uint64_t)json_integer_value(json_object_get(o, key));
}

static const char *
s(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

static void
print_stats(json_t *st)
{
	json_t *p, *rules, *fdb = json_object_get(st, "fdb"), *dp = json_object_get(st, "datapath");
	const char *key;
	size_t i;
	bool any = false;

	/* the columns are named as the keys of the JSON (docs/json.md) */
	printf("%-12s %-4s %-8s %-10s %-4s %5s %12s %14s %10s %12s %14s %10s\n",
	       "device", "", "network", "kind", "link", "MTU", "rx-packets",
	       "rx-bytes", "rx-dropped", "tx-packets", "tx-bytes", "tx-dropped");
	json_array_foreach(json_object_get(st, "ports"), i, p)
		printf("%-12s %-4s %-8s %-10s %-4s %5" PRIu64 " %12" PRIu64 " %14" PRIu64
		       " %10" PRIu64 " %12" PRIu64 " %14" PRIu64 " %10" PRIu64 "\n",
		       s(p, "device"), s(p, "class"), s(p, "network"), s(p, "kind"),
		       s(p, "link"), u(p, "MTU"), u(p, "rx-packets"), u(p, "rx-bytes"),
		       u(p, "rx-dropped"), u(p, "tx-packets"), u(p, "tx-bytes"),
		       u(p, "tx-dropped"));
	json_array_foreach(json_object_get(st, "unattached"), i, p)
		printf("%-12s %-4s %-8s not attached: %s\n", s(p, "device"),
		       s(p, "class"), s(p, "network"), s(p, "error"));
	printf("\ndrops:");
	json_object_foreach(json_object_get(st, "drops"), key, p) {
		if (!json_integer_value(p))
			continue;
		printf(" %s=%" JSON_INTEGER_FORMAT, key, json_integer_value(p));
		any = true;
	}
	printf("%s\n", any ? "" : " none");
	printf("fdb: %" PRIu64 "/%" PRIu64 " entries, aging %" PRIu64 " s; learned %"
	       PRIu64 ", moved %" PRIu64 ", aged %" PRIu64 ", full %" PRIu64
	       ", static conflicts %" PRIu64 "\n",
	       u(fdb, "entries"), u(fdb, "max-entries"), u(fdb, "aging-time-s"),
	       u(fdb, "learned"), u(fdb, "moved"), u(fdb, "aged"), u(fdb, "full"),
	       u(fdb, "static-conflict"));
	if ((rules = json_object_get(st, "rules")))
		printf("rules: %" PRIu64 "/%" PRIu64 ", rule-set version %" PRIu64
		       ", last update %" PRIu64 " us\n", u(rules, "count"),
		       u(rules, "max"), u(rules, "version"),
		       u(rules, "last-update-us"));
	json_array_foreach(json_object_get(st, "workers"), i, p)
		printf("worker %" PRIu64 " (lcore %" PRIu64 "): busy %.1f%%, idle %.1f%%\n",
		       u(p, "id"), u(p, "lcore"),
		       json_real_value(json_object_get(p, "busy-pct")),
		       100.0 - json_real_value(json_object_get(p, "busy-pct")));
	printf("datapath: %" PRIu64 " packets, %.0f cycles/packet while busy\n",
	       u(dp, "packets"), json_real_value(json_object_get(dp, "cycles-per-packet")));
}

static void
print_fdb(json_t *entries)
{
	json_t *e;
	size_t i;

	printf("%-10s %-17s %-12s %-4s %-7s %s\n", "bridge", "MAC", "port",
	       "", "type", "age");
	json_array_foreach(entries, i, e)
		printf("%-10s %-17s %-12s %-4s %-7s %" PRIu64 "\n", s(e, "bridge"),
		       s(e, "MAC"), s(e, "device"), s(e, "class"),
		       json_is_true(json_object_get(e, "static")) ? "static" : "learned",
		       u(e, "age-s"));
}

static void
print_help(json_t *r)
{
	json_t *c;
	size_t i;

	if (json_is_object(r)) {
		printf("%s %s\n  %s\n", s(r, "command"), s(r, "usage"), s(r, "help"));
		return;
	}
	json_array_foreach(r, i, c)
		printf("%-22s %s\n", s(c, "command"), s(c, "help"));
}

static void
print_result(const char *command, json_t *params, json_t *r)
{
	const char *fields = NULL;
	json_t *item;
	size_t i;

	if (strcmp(command, "stats") == 0) {
		print_stats(r);
		return;
	}
	if (strcmp(command, "fdb-show") == 0) {
		print_fdb(r);
		return;
	}
	if (strcmp(command, "help") == 0) {
		print_help(r);
		return;
	}
	if (strcmp(command, "dump-flows") == 0 && json_is_object(r)) {
		/* the flows as ovs-ofctl prints them; --json for the envelope */
		fputs(json_string_value(json_object_get(r, "stdout")) ?: "", stdout);
		return;
	}
	if (strcmp(command, "list-commands") == 0) {
		json_array_foreach(r, i, item)
			puts(json_string_value(item));
		return;
	}
	for (size_t k = 0; k < sizeof(list_defaults) / sizeof(list_defaults[0]); k++)
		if (strcmp(command, list_defaults[k].command) == 0 &&
		    !json_object_get(params, "params"))
			fields = list_defaults[k].fields;
	if (json_is_null(r))
		return;
	if (json_is_array(r) && (json_array_size(r) == 0 ||
				 json_is_object(json_array_get(r, 0)))) {
		json_array_foreach(r, i, item) {
			if (i)
				printf("\n\n");
			print_record(item, fields);
		}
		if (json_array_size(r))
			printf("\n");
		return;
	}
	if (json_is_object(r)) {
		print_record(r, NULL);
		return;
	}
	char *t = text_of(r);

	puts(t ? t : "");
	free(t);
}

/* ---- main ---------------------------------------------------------------- */

/* The text of a file as a string value; NULL (error said) if unreadable. */
static json_t *
file_value(const char *key, const char *path)
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
	else if (!(v = json_stringn(text, size)))
		fail("%s: %s is not UTF-8 text", key, path);
	fclose(f);
	free(text);
	return v;
}

/* Parse COMMAND's KEY=VALUE arguments into params; 0 or 1 (error said). */
static int
parse_params(const char *command, int argc, char **argv, json_t *params)
{
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		/* "help pif-plug" reads as help command=pif-plug */
		if (!eq && strcmp(command, "help") == 0 && i == 0) {
			json_object_set_new(params, "command", json_string(argv[i]));
			continue;
		}
		if (!eq || eq == argv[i])
			return fail("argument '%s' is not KEY=VALUE", argv[i]);
		*eq = '\0';
		if (json_object_get(params, argv[i]))
			return fail("%s is given twice", argv[i]);
		if (eq[1] == '@') {
			/* KEY=@FILE: the value is the file's text (add-rules) */
			json_t *v = file_value(argv[i], eq + 2);

			if (!v)
				return 1;
			json_object_set_new(params, argv[i], v);
			continue;
		}
		json_object_set_new(params, argv[i], json_string(eq + 1));
	}
	return 0;
}

/* Send the request, return the answer line (NULL: error said). */
static char *
exchange(const char *path, json_t *req, int timeout_s)
{
	char *text = json_dumps(req, JSON_COMPACT), *line = NULL;
	int fd = text ? connect_socket(path) : -1;

	if (fd < 0) {
		free(text);
		return NULL;
	}
	if (send_all(fd, text, strlen(text)) < 0 || send_all(fd, "\n", 1) < 0) {
		int e = errno;

		/* the daemon may have answered (and closed) before reading it */
		line = read_line(fd, 1000);
		if (!line)
			fail("cannot send the request: %s", strerror(e));
	} else {
		line = read_line(fd, timeout_s * 1000);
	}
	close(fd);
	free(text);
	return line;
}

/* Print the answer; returns the exit status. */
static int
show(const char *command, json_t *params, const char *line, bool as_json)
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
		char *out = json_dumps(json_object_get(ans, "result"),
				       JSON_INDENT(2) | JSON_ENCODE_ANY |
				       JSON_PRESERVE_ORDER);

		puts(out ? out : "null");
		free(out);
		status = 0;
	} else {
		print_result(command, params, json_object_get(ans, "result"));
		status = 0;
	}
	json_decref(ans);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = getenv("SLUICE_SOCKET"), *command;
	json_t *params, *req;
	bool as_json = false;
	int timeout_s = 60, c, status = 1;
	char *line;

	if (!path)
		path = SLUICE_DEFAULT_SOCKET;
	/* stop at the command: what follows are its KEY=VALUE arguments */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 's': path = optarg; break;
		case 'j': as_json = true; break;
		case 't':
			timeout_s = atoi(optarg);
			if (timeout_s <= 0)
				return fail("--timeout: '%s' is not a positive number of seconds", optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return 1;
	}
	command = argv[optind++];
	params = json_object();
	if (parse_params(command, argc - optind, argv + optind, params) != 0) {
		json_decref(params);
		return 1;
	}
	req = json_pack("{s:s, s:i, s:s, s:O}", "jsonrpc", "2.0", "id", 1,
			"method", command, "params", params);
	line = exchange(path, req, timeout_s);
	if (line)
		status = show(command, params, line, as_json);
	free(line);
	json_decref(req);
	json_decref(params);
	return status;
}
