/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_log.h>
#include <rte_mempool.h>

#include "eal.h"
#include "eal_fixture.h"
#include "fuzz_daemon.h"
#include "sl_cli.h"
#include "sl_features.h"

static const char *option_values[SL_MAX_FEATURE_OPTIONS];

static void
set_option(const char *name, const char *value)
{
	const struct sl_option_spec *o;

	for (unsigned int i = 0; i < SL_MAX_FEATURE_OPTIONS &&
				 (o = sl_feature_option(i)); i++)
		if (strcmp(o->name, name) == 0)
			option_values[i] = value;
}

void
fuzz_daemon_eal(const char *prefix)
{
	if (sl_test_eal_init_lcores(prefix, "0@0,1@0") < 0)
		abort();
	/* its runtime directory (the telemetry socket) is of no use here, and
	 * libFuzzer's exits skip rte_eal_cleanup: gone now, or one is left
	 * in /var/run/dpdk per run */
	sl_eal_runtime_dir_remove(rte_eal_get_runtime_dir());
	rte_log_set_global_level(RTE_LOG_EMERG);
	/* no sysfs at all: SR-IOV finds no PF, and nothing is left behind
	 * (libFuzzer's exits skip atexit) */
	set_option("sysfs-root", "/nonexistent/sluice-fuzz-sysfs");
	set_option("sriov-dry-run", "/dev/null");
}

void
fuzz_daemon_start(struct fuzz_daemon *d)
{
	struct sl_err err = { 0 };

	*d = (struct fuzz_daemon){ .verbose = getenv("SL_FUZZ_VERBOSE") != NULL };
	d->model = sl_model_new(sl_features);
	if (!d->model)
		abort();
	d->rt.host.option_values = option_values;
	if (sl_runtime_init(&d->rt, d->model, sl_features, 1, 2047, false,
			    &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		abort();
	}
	sl_runtime_apply(&d->rt);
	d->ctl = (struct sl_ctl){ .rt = &d->rt, .model = d->model,
				  .host = { .socket_path = "/nonexistent/fuzz.sock",
					    .eal_file_prefix = "fuzz" } };
}

void
fuzz_daemon_stop(struct fuzz_daemon *d)
{
	for (unsigned int n = 0; n < FUZZ_DAEMON_LINES; n++)
		free(d->uuids[n]);
	json_decref(d->ctl.stats_mark);
	sl_runtime_fini(&d->rt);
	rte_mempool_free(d->rt.pool);
	sl_model_free(d->model);
}

/* "$1".."$9" name lines 1 to 9, "$a".."$w" lines 10 to 32 */
static unsigned int
line_of(char c)
{
	if (c >= '1' && c <= '9')
		return (unsigned int)(c - '1');
	if (c >= 'a' && c < 'a' + FUZZ_DAEMON_LINES - 9)
		return (unsigned int)(c - 'a') + 9;
	return FUZZ_DAEMON_LINES;
}

static char *
substitute(const struct fuzz_daemon *d, const char *line, size_t len,
	   size_t *out_len)
{
	char *out = malloc(len * 18 + 1), *o = out;	/* "$1" -> 36 chars */

	if (!out)
		abort();
	for (size_t i = 0; i < len; i++) {
		unsigned int n = i + 1 < len ? line_of(line[i + 1]) : FUZZ_DAEMON_LINES;

		if (line[i] == '$' && n < FUZZ_DAEMON_LINES) {
			if (d->uuids[n]) {
				memcpy(o, d->uuids[n], strlen(d->uuids[n]));
				o += strlen(d->uuids[n]);
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

bool
fuzz_daemon_line(struct fuzz_daemon *d, const char *line, size_t len)
{
	size_t n;
	char *text = substitute(d, line, len, &n);
	/* as the server does: an empty line is no request */
	char *answer = n ? sl_ctl_handle(&d->ctl, text, n, NULL) : NULL;
	json_t *a = answer ? json_loads(answer, 0, NULL) : NULL;
	const char *made = json_string_value(json_object_get(a, "result"));
	bool ok = a && !json_object_get(a, "error");

	if (d->verbose)
		fprintf(stderr, "%s\n", answer ? answer : "(no answer)");
	if (d->lines < FUZZ_DAEMON_LINES)
		d->uuids[d->lines++] = made ? strdup(made) : NULL;
	json_decref(a);
	free(answer);
	free(text);
	return ok;
}
