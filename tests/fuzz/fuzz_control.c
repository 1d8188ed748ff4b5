/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: request lines of the control socket through the real
 * dispatch (sl_ctl_handle: the envelope, the parameters checked against
 * the command table, every command's handler) on a real model and runtime,
 * as sluiced has them, with every feature, but no port: sl_port_open is
 * wrapped (-Wl,--wrap) to refuse, so nothing is ever attached or written
 * to a device, SR-IOV looks at an empty sysfs, and no state file is saved.
 * Each input starts from an empty model, so that a finding replays alone.
 *
 * Input: request lines separated by '\n' (at most MAX_LINES), handled in
 * turn on the same model, so that a network made by one line is there for
 * the next: "$N" in a line stands for the uuid line N answered with.
 * SL_FUZZ_VERBOSE=1 prints each answer (replaying a finding).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_log.h>
#include <rte_mempool.h>

#include "ctl.h"
#include "eal_fixture.h"
#include "sl_cli.h"
#include "sl_features.h"
#include "sl_port.h"

#define MAX_LINES 16

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int __wrap_sl_port_open(struct sl_port *port, const char *devargs,
			const struct sl_port_conf *conf, char *err,
			size_t errlen);

static const char *option_values[SL_MAX_FEATURE_OPTIONS];
static char sysfs[64];
static bool verbose;

/* No port is ever opened: the fuzzer must not make tap devices, write
 * pcap files or take a NIC. */
int
__wrap_sl_port_open(struct sl_port *port, const char *devargs,
		    const struct sl_port_conf *conf, char *err, size_t errlen)
{
	(void)port;
	(void)devargs;
	(void)conf;
	snprintf(err, errlen, "no ports in the fuzzer");
	return -1;
}

static void
remove_sysfs(void)
{
	rmdir(sysfs);
}

static void
set_option(const char *name, const char *value)
{
	const struct sl_option_spec *o;

	for (unsigned int i = 0; i < SL_MAX_FEATURE_OPTIONS &&
				 (o = sl_feature_option(i)); i++)
		if (strcmp(o->name, name) == 0)
			option_values[i] = value;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sl_test_eal_init_lcores("fuzz-control", "0@0,1@0") < 0)
		abort();
	rte_log_set_global_level(RTE_LOG_EMERG);
	/* an empty directory: SR-IOV finds no PF there */
	snprintf(sysfs, sizeof(sysfs), "/tmp/sluice-fuzz-sysfs-XXXXXX");
	if (!mkdtemp(sysfs))
		abort();
	atexit(remove_sysfs);
	set_option("sysfs-root", sysfs);
	set_option("sriov-dry-run", "/dev/null");
	verbose = getenv("SL_FUZZ_VERBOSE") != NULL;
	return 0;
}

/* A line with each "$N" (N a digit) replaced by the uuid line N answered
 * with (1 is the first; nothing if it answered none): object ids are
 * random, so that is how a line names what an earlier one made. */
static char *
substitute(const char *line, size_t len, char *const uuids[MAX_LINES],
	   size_t *out_len)
{
	char *out = malloc(len * 18 + 1), *o = out;	/* "$1" -> 36 chars */

	if (!out)
		abort();
	for (size_t i = 0; i < len; i++) {
		unsigned int n = i + 1 < len ? (unsigned int)(line[i + 1] - '1') : MAX_LINES;

		if (line[i] == '$' && n < MAX_LINES) {
			if (uuids[n]) {
				memcpy(o, uuids[n], strlen(uuids[n]));
				o += strlen(uuids[n]);
			}
			i++;
			continue;
		}
		*o++ = line[i];
	}
	*o = '\0';
	*out_len = (size_t)(o - out);
	return out;
}

/* What an answer made: its result when a string (a uuid). */
static char *
made(const char *answer)
{
	json_t *a = answer ? json_loads(answer, 0, NULL) : NULL;
	const char *r = json_string_value(json_object_get(a, "result"));
	char *copy = r ? strdup(r) : NULL;

	json_decref(a);
	return copy;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_model *model = sl_model_new(sl_features);
	struct sl_runtime rt = { 0 };
	struct sl_err err = { 0 };
	char *uuids[MAX_LINES] = { NULL };
	const char *p = (const char *)data, *end = p + size;
	struct sl_ctl ctl;

	if (!model)
		abort();
	rt.host.option_values = option_values;
	if (sl_runtime_init(&rt, model, sl_features, 1, 1023, false, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		abort();
	}
	sl_runtime_apply(&rt);
	ctl = (struct sl_ctl){ .rt = &rt, .model = model,
			       .host = { .socket_path = "/nonexistent/fuzz.sock",
					 .eal_file_prefix = "fuzz" } };
	for (unsigned int n = 0; n < MAX_LINES && p < end; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p), line_len;
		char *line = substitute(p, len, uuids, &line_len), *answer;

		p = nl ? nl + 1 : end;
		/* as the server does: an empty line is no request */
		answer = line_len ? sl_ctl_handle(&ctl, line, line_len, NULL) : NULL;
		if (verbose)
			printf("%s\n", answer ? answer : "(no answer)");
		uuids[n] = made(answer);
		free(answer);
		free(line);
	}
	for (unsigned int n = 0; n < MAX_LINES; n++)
		free(uuids[n]);
	json_decref(ctl.stats_mark);
	sl_runtime_fini(&rt);
	rte_mempool_free(rt.pool);
	sl_model_free(model);
	return 0;
}
