/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-bench: how fast sluice's datapath switches a pcap trace.
 *
 *   sluice-bench --state FILE --trace FILE [--in DEVICE] [--filter EXPR]
 *                [--name NAME] [--min-time S] [--json]
 *                [--e2e [--warmup S] [--window S] [--sluiced PATH]
 *                       [--ovsdb REMOTE]]
 *
 * The state file is the daemon's: networks, PIFs, VIFs, VLANs, bonds. The
 * trace enters by the port of --in (default: the first PIF); every port is
 * a null port (no I/O) whatever its devargs say.
 *
 * In-process (default): the frames go through the daemon's own burst
 * functions on this thread, repeated until --min-time seconds of datapath
 * time; reported: Mpps and cycles per packet of datapath time, a breakdown
 * by stage, what each pass sent out of each port and dropped, and whether
 * every pass counted the same.
 *
 * --e2e: the real sluiced with one worker, its input port the trace
 * replayed without end (net_pcap infinite_rx), packets forwarded per second
 * over --window seconds of its own counters. With --ovsdb, sluiced takes its
 * switch from that database (bench/compare-ovs fills it with the same
 * topology and ports) and its state file is empty.
 */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_mempool.h>

#include "e2e.h"
#include "eal.h"
#include "sl_features.h"
#include "log.h"
#include "sl_cli.h"
#include "replay.h"
#include "runtime.h"
#include "sl_dp.h"
#include "sl_trace.h"
#include "state.h"
#include "trace.h"

struct bench_opts {
	const char *state, *trace, *in, *filter, *name, *sluiced, *ovsdb;
	double min_s, warmup_s, window_s;
	bool json, e2e, capture_idle, trace_idle;
};

static int
parse_seconds(const char *opt, const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	if (!*s || *end || !(*out > 0) || *out > 3600) {
		fprintf(stderr, "sluice-bench: %s: '%s' is not a number of seconds (0..3600]\n",
			opt, s);
		return -1;
	}
	return 0;
}

static int
parse_opts(int argc, char **argv, struct bench_opts *o)
{
	struct option lo[16];
	int c;

	*o = (struct bench_opts){ .min_s = 2, .warmup_s = 2, .window_s = 5 };
	if (sl_program_getopt(&sl_bench_program, lo, sizeof(lo) / sizeof(lo[0])) < 0)
		return -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's': o->state = optarg; break;
		case 't': o->trace = optarg; break;
		case 'i': o->in = optarg; break;
		case 'f': o->filter = optarg; break;
		case 'n': o->name = optarg; break;
		case 'j': o->json = true; break;
		case 'c': o->capture_idle = true; break;
		case 'T': o->trace_idle = true; break;
		case 'e': o->e2e = true; break;
		case 'd': o->sluiced = optarg; break;
		case 'o': o->ovsdb = optarg; break;
		case 'm':
			if (parse_seconds("--min-time", optarg, &o->min_s) < 0)
				return -1;
			break;
		case 'w':
			if (parse_seconds("--warmup", optarg, &o->warmup_s) < 0)
				return -1;
			break;
		case 'W':
			if (parse_seconds("--window", optarg, &o->window_s) < 0)
				return -1;
			break;
		case 'h':
			sl_program_usage(&sl_bench_program, stdout);
			return 1;
		default:
			fprintf(stderr, "sluice-bench: unknown or incomplete option '%s'\n",
				argv[optind - 1]);
			sl_program_usage(&sl_bench_program, stderr);
			return -1;
		}
	}
	if (!o->state || !o->trace || optind != argc) {
		fprintf(stderr, "sluice-bench: --state and --trace are required\n");
		sl_program_usage(&sl_bench_program, stderr);
		return -1;
	}
	if (!o->name)
		o->name = o->state;
	return 0;
}

/* The endpoint the trace enters by: --in, else the first physical PIF. */
static struct sl_endpoint *
input_endpoint(struct sl_model *m, const char *device)
{
	struct sl_pif *p;
	struct sl_vif *v;

	TAILQ_FOREACH(p, &m->pifs, next)
		if (sl_pif_owns_port(p) && (!device || strcmp(p->ep.device, device) == 0))
			return &p->ep;
	TAILQ_FOREACH(v, &m->vifs, next)
		if (device && strcmp(v->ep.device, device) == 0)
			return &v->ep;
	return NULL;
}

/* Every port a null port (no I/O); the input one, for --e2e, the trace
 * replayed without end. */
static void
map_ports(struct sl_model *m, struct sl_endpoint *in, const char *trace_path)
{
	struct sl_pif *p;
	struct sl_vif *v;

	TAILQ_FOREACH(p, &m->pifs, next)
		if (sl_pif_owns_port(p))
			snprintf(p->ep.devargs, sizeof(p->ep.devargs), "net_null,no-rx=1");
	TAILQ_FOREACH(v, &m->vifs, next)
		snprintf(v->ep.devargs, sizeof(v->ep.devargs), "net_null,no-rx=1");
	if (trace_path)
		snprintf(in->devargs, sizeof(in->devargs),
			 "net_pcap,rx_pcap=%s,infinite_rx=1", trace_path);
}

static double
avg_size(const struct sl_trace *t)
{
	return (double)t->bytes / (double)t->nb_frames;
}

static int
report_replay(const struct bench_opts *o, const struct sl_model *m,
	      const struct sl_trace *t, const struct sl_replay_result *r)
{
	double secs = (double)r->cycles / (double)r->hz;
	double mpps = (double)r->packets / secs / 1e6;
	double cpp = (double)r->cycles / (double)r->packets;
	json_t *stages = json_object(), *drops = json_object(), *out = json_object();

	for (int st = 0; st < SL_STAGE__COUNT; st++)
		json_object_set_new(stages, sl_stage_name(st),
				    json_real((double)r->stage_cycles[st] /
					      (double)r->profiled_packets));
	for (int d = 0; d < SL_DROP__COUNT; d++)
		if (r->drops[d])
			json_object_set_new(drops, sl_drop_name(d),
					    json_integer((json_int_t)r->drops[d]));
	for (uint16_t p = 0; p < SL_MAX_PORTS; p++) {
		const struct sl_endpoint *ep = sl_model_endpoint_by_port(m, p);

		if (ep && r->tx[p])
			json_object_set_new(out, ep->device,
					    json_integer((json_int_t)r->tx[p]));
	}
	if (o->json) {
		json_t *j = json_pack("{s:s, s:s, s:{s:I, s:f}, s:I, s:I, s:f, s:f, s:f,"
				      " s:f, s:I, s:b, s:b, s:b, s:o, s:o, s:o}",
			"name", o->name, "mode", "in-process",
			"trace", "frames", (json_int_t)t->nb_frames,
			"avg_bytes", avg_size(t),
			"passes", (json_int_t)r->passes,
			"packets", (json_int_t)r->packets,
			"seconds", secs, "mpps", mpps, "cycles_per_packet", cpp,
			"gbps", (double)r->bytes * 8 / secs / 1e9,
			"tsc_hz", (json_int_t)r->hz,
			"consistent", r->consistent,
			"capture_idle", o->capture_idle,
			"trace_idle", o->trace_idle,
			"stages", stages, "drops_per_pass", drops,
			"out_per_pass", out);

		/* a format that does not match its values makes nothing: say
		 * so rather than print nothing and succeed */
		if (!j) {
			fprintf(stderr, "sluice-bench: the results could not be put in JSON\n");
			return -1;
		}
		json_dumpf(j, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(j);
		return 0;
	}
	printf("%s: %zu frames (%.0f B on average), %" PRIu64 " passes, %" PRIu64
	       " packets in %.3f s of datapath time\n",
	       o->name, t->nb_frames, avg_size(t), r->passes, r->packets, secs);
	printf("  %.2f Mpps, %.0f cycles/packet (TSC %.2f GHz); %s\n", mpps, cpp,
	       (double)r->hz / 1e9,
	       r->consistent ? "every pass counted the same" :
			       "PASSES COUNTED DIFFERENTLY");
	printf("  cycles/packet by stage:");
	for (int st = 0; st < SL_STAGE__COUNT; st++)
		printf(" %s %.1f", sl_stage_name(st),
		       (double)r->stage_cycles[st] / (double)r->profiled_packets);
	printf("\n  out per pass:");
	{
		const char *k;
		json_t *v;

		json_object_foreach(out, k, v)
			printf(" %s %" PRIu64, k, (uint64_t)json_integer_value(v));
		printf("\n  drops per pass:%s", json_object_size(drops) ? "" : " none");
		json_object_foreach(drops, k, v)
			printf(" %s %" PRIu64, k, (uint64_t)json_integer_value(v));
	}
	printf("\n");
	json_decref(stages);
	json_decref(drops);
	json_decref(out);
	return 0;
}

static int
run_in_process(const struct bench_opts *o, struct sl_model *m,
	       struct sl_endpoint *in, const struct sl_trace *t,
	       const char *workdir)
{
	struct sl_options so = { 0 };
	struct sl_eal_plan plan;
	struct sl_runtime rt = { 0 };	/* no host: no features' options */
	struct sl_replay_result r;
	struct sl_err err = { 0 };
	struct sl_capture_set *idle = NULL;
	struct sl_trace_live elsewhere = { .port = UINT16_MAX };
	char sock[PATH_MAX], msg[256] = "";
	unsigned int avail, size;
	int rc = -1;

	/* the daemon's EAL line: same memory, one worker lcore (this
	 * thread runs the datapath; the worker is never launched) */
	snprintf(sock, sizeof(sock), "%s/bench.sock", workdir);
	so.socket_path = sock;
	so.workers = 1;
	so.mbufs = SL_DEFAULT_MBUFS;
	so.log_level = RTE_LOG_WARNING;
	so.eal_extra = "--no-telemetry";
	map_ports(m, in, NULL);
	if (sl_eal_plan_build(&so, m, &plan, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "sluice-bench: %s\n", msg);
		return -1;
	}
	if (rte_eal_init(plan.argc, plan.argv) < 0) {
		fprintf(stderr, "sluice-bench: DPDK EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	sl_log_init(RTE_LOG_WARNING);
	if (sl_runtime_init(&rt, m, sl_features, 1, so.mbufs, false, &err) < 0) {
		fprintf(stderr, "sluice-bench: %s\n", err.msg);
		goto out;
	}
	if (sl_runtime_apply(&rt) > 0 || in->port_id == SL_PORT_NONE) {
		fprintf(stderr, "sluice-bench: the scenario's ports did not all attach%s%s\n",
			in->error[0] ? ": " : "", in->error);
		goto fini;
	}
	/* a capture set whose taps watch none of the scenario's ports: the
	 * workers load it, test the port's mask and go on, as they do while
	 * a capture runs on another port (no capture: the set is NULL) */
	if (o->capture_idle &&
	    !(idle = rte_zmalloc("bench_capture", sizeof(*idle), RTE_CACHE_LINE_SIZE))) {
		fprintf(stderr, "sluice-bench: no memory for --capture-idle\n");
		goto fini;
	}
	sl_dp_publish_capture(rt.dp, idle);
	/* a live trace on a port id no port has: the workers load it,
	 * compare the port and go on, as while a trace-live waits on
	 * another port (none: the pointer is NULL) */
	if (o->trace_idle)
		sl_dp_publish_trace(rt.dp, &elsewhere);
	if (sl_replay_run(&rt, in->port_id, t, o->min_s, &r, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "sluice-bench: %s\n", msg);
		goto fini;
	}
	rc = report_replay(o, m, t, &r);
fini:
	sl_dp_publish_capture(rt.dp, NULL);
	sl_dp_publish_trace(rt.dp, NULL);
	rte_free(idle);
	sl_runtime_fini(&rt);
	avail = rte_mempool_avail_count(rt.pool);
	size = rt.pool->size;
	rte_mempool_free(rt.pool);
	if (avail != size) {
		fprintf(stderr, "sluice-bench: %u packet buffers were not returned\n",
			size - avail);
		rc = -1;
	}
out:
	rte_eal_cleanup();
	sl_eal_plan_free(&plan);
	return rc;
}

/* sluiced beside sluice-bench in the build tree or the install, else PATH. */
static const char *
find_sluiced(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *rel[] = { "../main/sluiced", "sluiced" };

	if (n > 0) {
		self[n] = '\0';
		for (size_t i = 0; i < 2; i++) {
			char dir[PATH_MAX];

			snprintf(dir, sizeof(dir), "%s", self);
			snprintf(buf, len, "%s/%s", dirname(dir), rel[i]);
			if (access(buf, X_OK) == 0)
				return buf;
		}
	}
	return "sluiced";
}

static int
run_e2e(const struct bench_opts *o, struct sl_model *m, struct sl_endpoint *in,
	const struct sl_trace *t, const char *workdir)
{
	char state[PATH_MAX], trace[PATH_MAX], daemon[PATH_MAX], msg[512] = "";
	struct sl_e2e_conf c = {
		.workdir = workdir, .in_device = in->device,
		.warmup_s = o->warmup_s, .window_s = o->window_s,
	};
	struct sl_e2e_result r;
	struct sl_err err = { 0 };
	uint64_t segs = 0;
	double mpps;

	if (!realpath(o->trace, trace)) {
		fprintf(stderr, "sluice-bench: %s: %s\n", o->trace, strerror(errno));
		return -1;
	}
	map_ports(m, in, trace);
	snprintf(state, sizeof(state), "%s/state.json", workdir);
	if (o->ovsdb) {	/* the database makes the switch */
		struct sl_model *empty = sl_model_new(sl_features);
		int rc = empty ? sl_state_save(empty, sl_features, state, &err) : -1;

		sl_model_free(empty);
		if (rc < 0) {
			fprintf(stderr, "sluice-bench: %s\n", empty ? err.msg : "out of memory");
			return -1;
		}
	} else if (sl_state_save(m, sl_features, state, &err) < 0) {
		fprintf(stderr, "sluice-bench: %s\n", err.msg);
		return -1;
	}
	/* net_pcap holds the whole trace in buffers, one per 2 KB */
	for (size_t i = 0; i < t->nb_frames; i++)
		segs += (t->frames[i].len + 2047) / 2048;
	c.mbufs = (unsigned int)RTE_MIN(segs + SL_DEFAULT_MBUFS, 4194303ull);
	c.state = state;
	c.ovsdb = o->ovsdb;
	c.sluiced = o->sluiced ? o->sluiced : find_sluiced(daemon, sizeof(daemon));
	if (sl_e2e_run(&c, &r, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "sluice-bench: %s\n", msg);
		return -1;
	}
	mpps = (double)r.tx_packets / r.seconds / 1e6;
	if (o->json) {
		json_t *j = json_pack("{s:s, s:s, s:{s:I, s:f}, s:f, s:I, s:I, s:f, s:f, s:f}",
			"name", o->name, "mode", "end-to-end",
			"trace", "frames", (json_int_t)t->nb_frames, "avg_bytes", avg_size(t),
			"seconds", r.seconds,
			"rx_packets", (json_int_t)r.rx_packets,
			"tx_packets", (json_int_t)r.tx_packets,
			"mpps", mpps,
			"rx_mpps", (double)r.rx_packets / r.seconds / 1e6,
			"cycles_per_packet",
			r.rx_packets ? (double)r.busy_cycles / (double)r.rx_packets : 0.0);

		json_dumpf(j, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(j);
		return 0;
	}
	printf("%s (end to end, sluiced, 1 worker): %.2f Mpps out of %.2f Mpps in over %.1f s, %.0f cycles/packet of busy worker time\n",
	       o->name, mpps, (double)r.rx_packets / r.seconds / 1e6, r.seconds,
	       r.rx_packets ? (double)r.busy_cycles / (double)r.rx_packets : 0.0);
	return 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

int
main(int argc, char **argv)
{
	struct bench_opts o;
	struct sl_trace t = { 0 };
	struct sl_model *m;
	struct sl_endpoint *in;
	struct sl_err err = { 0 };
	char msg[512] = "", workdir[] = "/tmp/sluice-bench-XXXXXX";
	int rc = parse_opts(argc, argv, &o);

	if (rc != 0)
		return rc > 0 ? 0 : 2;
	m = sl_model_new(sl_features);
	if (!m) {
		fprintf(stderr, "sluice-bench: out of memory\n");
		return 1;
	}
	rc = -1;
	if (sl_state_load(m, sl_features, o.state, &err) != 0) {
		fprintf(stderr, "sluice-bench: %s\n",
			err.msg[0] ? err.msg : "no such state file");
		goto out;
	}
	in = input_endpoint(m, o.in);
	if (!in) {
		fprintf(stderr, "sluice-bench: %s%s%s\n",
			o.in ? "no PIF or VIF has device " : "the state file has no PIF",
			o.in ? o.in : "", o.in ? "" : ": say which port with --in");
		goto out;
	}
	if (sl_trace_load(&t, o.trace, o.filter, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "sluice-bench: %s\n", msg);
		goto out;
	}
	if (!mkdtemp(workdir)) {
		fprintf(stderr, "sluice-bench: cannot make a work directory: %s\n",
			strerror(errno));
		goto out;
	}
	rc = o.e2e ? run_e2e(&o, m, in, &t, workdir) :
		     run_in_process(&o, m, in, &t, workdir);
	/* a failed run keeps the daemon's log for the reader */
	if (rc == 0)
		nftw(workdir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
out:
	sl_trace_free(&t);
	sl_model_free(m);
	return rc == 0 ? 0 : 1;
}
