/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "e2e.h"

extern char **environ;

static void
sleep_s(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s,
			       .tv_nsec = (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static bool
log_says(const char *path, const char *text)
{
	char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

static int64_t
mtime_ns(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return 0;
	return (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

/* SIGUSR1, then the stats file it writes. */
static json_t *
sample(pid_t pid, const char *stats_path)
{
	int64_t before = mtime_ns(stats_path);

	kill(pid, SIGUSR1);
	for (int i = 0; i < 1000; i++) {
		if (mtime_ns(stats_path) != before) {
			json_t *j = json_load_file(stats_path, 0, NULL);

			if (j)
				return j;
		}
		sleep_s(0.01);
	}
	return NULL;
}

static uint64_t
u(json_t *o, const char *k)
{
	return (uint64_t)json_integer_value(json_object_get(o, k));
}

struct counts {
	double uptime;
	uint64_t rx, tx, busy;
};

static void
counts_of(json_t *st, const char *in_device, struct counts *c)
{
	json_t *p;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->uptime = json_real_value(json_object_get(st, "uptime-s"));
	c->rx = u(json_object_get(st, "datapath"), "packets");
	json_array_foreach(json_object_get(st, "ports"), i, p)
		if (strcmp(json_string_value(json_object_get(p, "device")), in_device) != 0 &&
		    strcmp(json_string_value(json_object_get(p, "kind")), "bond") != 0)
			c->tx += u(p, "tx-packets");
	json_array_foreach(json_object_get(st, "workers"), i, p)
		c->busy += u(p, "busy-cycles");
}

int
sl_e2e_run(const struct sl_e2e_conf *c, struct sl_e2e_result *r,
	   char *err, size_t errlen)
{
	char sock[512], stats[512], logp[512], mbufs[16];
	const char *argv[16];
	posix_spawn_file_actions_t fa;
	struct counts a, b;
	json_t *s0 = NULL, *s1 = NULL;
	pid_t pid;
	int rc, status, argc = 0;

	memset(r, 0, sizeof(*r));
	snprintf(sock, sizeof(sock), "%s/sluiced.sock", c->workdir);
	snprintf(stats, sizeof(stats), "%s/stats.json", c->workdir);
	snprintf(logp, sizeof(logp), "%s/sluiced.log", c->workdir);
	snprintf(mbufs, sizeof(mbufs), "%u", c->mbufs);
	unlink(stats);
	argv[argc++] = c->sluiced;
	argv[argc++] = "--state";
	argv[argc++] = c->state;
	argv[argc++] = "--socket";
	argv[argc++] = sock;
	argv[argc++] = "--stats-file";
	argv[argc++] = stats;
	argv[argc++] = "--workers";
	argv[argc++] = "1";
	argv[argc++] = "--mbufs";
	argv[argc++] = mbufs;
	if (c->ovsdb) {
		argv[argc++] = "--ovsdb";
		argv[argc++] = c->ovsdb;
	}
	argv[argc] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, logp,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	rc = posix_spawn(&pid, c->sluiced, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		snprintf(err, errlen, "cannot run %s: %s", c->sluiced, strerror(rc));
		return -1;
	}
	for (int i = 0; !log_says(logp, "sluiced: ready"); i++) {
		if (i == 6000 || waitpid(pid, &status, WNOHANG) == pid) {
			snprintf(err, errlen, "sluiced did not start: see %s", logp);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		sleep_s(0.01);
	}
	sleep_s(c->warmup_s);
	s0 = sample(pid, stats);
	sleep_s(c->window_s);
	s1 = sample(pid, stats);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	if (!s0 || !s1) {
		snprintf(err, errlen, "sluiced wrote no stats: see %s", logp);
		rc = -1;
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "sluiced exited badly (status %d): see %s",
			 status, logp);
		rc = -1;
		goto out;
	}
	counts_of(s0, c->in_device, &a);
	counts_of(s1, c->in_device, &b);
	r->seconds = b.uptime - a.uptime;
	r->rx_packets = b.rx - a.rx;
	r->tx_packets = b.tx - a.tx;
	r->busy_cycles = b.busy - a.busy;
	r->tsc_hz = (double)u(json_object_get(s1, "datapath"), "tsc-hz");
	rc = 0;
out:
	json_decref(s0);
	json_decref(s1);
	return rc;
}
