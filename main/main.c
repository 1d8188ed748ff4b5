/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluiced: EAL start-up, the model from the state file, the datapath and its
 * workers, and on the main lcore the control loop: the control socket,
 * signals, and a one-second tick (FDB aging, telemetry, --stats-interval,
 * --duration, the status shown by systemd); systemd's watchdog.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_lcore.h>

#include "ctl.h"
#include "ctl_server.h"
#include "eal.h"
#include "sl_features.h"
#include "jsonfile.h"
#include "log.h"
#include "loop.h"
#include "options.h"
#include "report.h"
#include "persist.h"
#include "rcu_expedite.h"
#include "runtime.h"
#include "service.h"
#include "sl_port.h"
#include "state.h"
#include "state_loader.h"
#include "sl_stats_text.h"
#include "takeover_client.h"
#include "telemetry.h"
#include "warm.h"
#include "watchdog.h"

/* Exit status when packet buffers did not all come back: a leak is a bug,
 * and tests must see it. */
#define EXIT_MBUF_LEAK 70

struct daemon {
	struct sl_options opt;
	struct sl_eal_plan eal;
	struct sl_model *model;
	struct sl_persist persist;
	struct sl_runtime rt;
	struct sl_loop loop;
	struct sl_watch signals, tick, fast_tick;
	struct sl_ctl ctl;
	struct sl_ctl_server *server;
	struct sl_service service;
	struct sl_watchdog watchdog;
	uint64_t ticks;
	bool owns_prefix;	/* its EAL runtime directory: ours to remove */
	bool started;		/* the workers ran: a carry-over is worth saving */
	bool ready_told;	/* READY=1 sent to the service manager */
	/* --takeover: the old sluiced's ports are not all ours yet; until
	 * then nothing of ours may replace its carry-over */
	bool taking_over;
	bool main_pid_told;	/* --takeover: MAINPID= sent */
};

#define DAEMON_OF(w, field) \
	((struct daemon *)((char *)(w) - offsetof(struct daemon, field)))

static void
write_stats(const struct daemon *d, json_t *stats)
{
	int rc;

	if (!d->opt.stats_file)
		return;
	rc = sl_json_write_atomic(d->opt.stats_file, stats);
	if (rc < 0)
		SL_LOG(ERR, "cannot write stats file %s: %s\n",
		       d->opt.stats_file, strerror(-rc));
}

/* The counters, into the log: every line of the table with the log's
 * time or priority. */
static void
dump_stats(const struct daemon *d)
{
	json_t *stats = sl_report_stats(&d->rt);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f) {
		sl_stats_print(f, stats);
		if (fclose(f) == 0)
			SL_LOG(NOTICE, "counters:\n%s", text);
		free(text);
	}
	write_stats(d, stats);
	json_decref(stats);
}

static void
on_signal(struct sl_watch *w, uint32_t events)
{
	struct daemon *d = DAEMON_OF(w, signals);
	struct signalfd_siginfo si;

	(void)events;
	while (read(w->fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGUSR1:
			dump_stats(d);
			break;
		case SIGHUP:
			SL_LOG(NOTICE, "SIGHUP ignored: change the configuration through the control socket\n");
			break;
		default:
			SL_LOG(NOTICE, "%s received, stopping\n",
			       strsignal((int)si.ssi_signo));
			d->loop.stop = true;
			return;
		}
	}
}

static void
on_tick(struct sl_watch *w, uint32_t events)
{
	struct daemon *d = DAEMON_OF(w, tick);
	uint64_t expirations;
	json_t *stats, *tel;

	(void)events;
	if (read(w->fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return;
	d->ticks += expirations;
	sl_runtime_tick(&d->rt);
	stats = sl_report_stats(&d->rt);
	tel = sl_report_telemetry_keys(stats);
	sl_telemetry_update(tel);
	json_decref(tel);
	json_decref(stats);
	sl_service_update(&d->service, &d->rt);
	if (d->opt.stats_interval_s && d->ticks % d->opt.stats_interval_s == 0)
		dump_stats(d);
	if (d->opt.duration_s > 0 && (double)d->ticks >= d->opt.duration_s) {
		SL_LOG(NOTICE, "ran for %.0f s as asked, stopping\n",
		       d->opt.duration_s);
		d->loop.stop = true;
	}
}

/* READY=1 to the service manager once the switch is what it was asked to
 * be: the state restored, the ports attached (or failed, said), and what
 * a feature waits for (the database's first contents). Once. */
static void
tell_ready(struct daemon *d)
{
	if (d->ready_told || !d->started || !sl_features_ready(&d->rt))
		return;
	d->ready_told = true;
	sl_service_ready(&d->service, &d->rt);
}

/* The features' timers (bonds' link monitoring and LACP, the tunnels'
 * ARP) and the frames the datapath hands over want a finer clock than the
 * tick: every 10 ms. */
static void
on_fast_tick(struct sl_watch *w, uint32_t events)
{
	struct daemon *d = DAEMON_OF(w, fast_tick);
	uint64_t expirations;

	(void)events;
	if (read(w->fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return;
	sl_runtime_fast_tick(&d->rt);
	tell_ready(d);
}

static int
block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGHUP);
	/* Before rte_eal_init: every thread EAL creates inherits the mask, so
	 * the signals reach the signalfd and nothing else. */
	signal(SIGPIPE, SIG_IGN);
	return pthread_sigmask(SIG_BLOCK, set, NULL);
}

static int
setup_loop(struct daemon *d, const sigset_t *sigs)
{
	struct itimerspec one_second = {
		.it_interval = { .tv_sec = 1 }, .it_value = { .tv_sec = 1 },
	};
	struct itimerspec ten_ms = {
		.it_interval = { .tv_nsec = 10000000 },
		.it_value = { .tv_nsec = 10000000 },
	};

	if (sl_loop_init(&d->loop) < 0)
		return -errno;
	d->signals.fd = signalfd(-1, sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	d->signals.fn = on_signal;
	d->tick.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	d->tick.fn = on_tick;
	d->fast_tick.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	d->fast_tick.fn = on_fast_tick;
	if (d->signals.fd < 0 || d->tick.fd < 0 || d->fast_tick.fd < 0 ||
	    timerfd_settime(d->tick.fd, 0, &one_second, NULL) < 0 ||
	    timerfd_settime(d->fast_tick.fd, 0, &ten_ms, NULL) < 0 ||
	    sl_loop_add(&d->loop, &d->signals, EPOLLIN) < 0 ||
	    sl_loop_add(&d->loop, &d->tick, EPOLLIN) < 0 ||
	    sl_loop_add(&d->loop, &d->fast_tick, EPOLLIN) < 0)
		return -errno;
	return 0;
}

/* Stop workers, report, close every port, and check that every packet
 * buffer came back to the pool. Returns the exit status. */
static int
shut_down(struct daemon *d)
{
	json_t *stats;
	unsigned int avail, size;
	bool all_back;

	/* handed over: the service is the new sluiced's now, and the files
	 * (the carry-over, the state) are as the new one reads them; a
	 * takeover that failed leaves the service to the old one */
	bool handed_over = d->ctl.takeover.done;

	if (!handed_over && !d->taking_over)
		sl_service_stopping(&d->service);
	sl_ctl_server_close(d->server);
	d->server = NULL;
	json_decref(d->ctl.stats_mark);
	d->ctl.stats_mark = NULL;
	sl_runtime_stop_workers(&d->rt);
	if (d->started && d->opt.state_path && !handed_over &&
	    !d->taking_over) {
		char warm[PATH_MAX];

		sl_warm_path(d->opt.state_path, warm, sizeof(warm));
		sl_warm_save(&d->rt, warm, NULL);
	}
	sl_takeover_fini(&d->ctl);
	stats = sl_report_stats(&d->rt);
	sl_telemetry_fini();
	sl_runtime_fini(&d->rt);
	avail = rte_mempool_avail_count(d->rt.pool);
	size = d->rt.pool->size;
	all_back = avail == size;
	json_object_set_new(stats, "mbufs",
			    json_pack("{s:I, s:I, s:b, s:I}", "pool-size",
				      (json_int_t)size, "available",
				      (json_int_t)avail, "all-returned",
				      all_back, "kept-by-af-xdp-pmd",
				      (json_int_t)d->rt.kept_by_pmds));
	printf("sluiced final counters:\n");
	sl_stats_print(stdout, stats);
	fflush(stdout);
	write_stats(d, stats);
	json_decref(stats);
	rte_mempool_free(d->rt.pool);
	if (!all_back) {
		SL_LOG(ERR, "%u packet buffers were not returned to the pool\n",
		       size - avail);
		return EXIT_MBUF_LEAK;
	}
	return EXIT_SUCCESS;
}

static int
open_server(struct daemon *d, const struct sl_ctl_server_conf *conf)
{
	struct sl_err err = { 0 };

	d->server = sl_ctl_server_open(&d->loop, conf, &err);
	if (!d->server) {
		SL_LOG(ERR, "%s\n", err.msg);
		return -1;
	}
	d->ctl.server = d->server;
	return 0;
}

/* The ports are attached (or failed, said): what the features set up
 * outside sluice (a PF that DPDK drives is programmed through its port),
 * and the carry-over of a restart or of a takeover (with_warm). */
static void
ports_ready(struct daemon *d, bool with_warm)
{
	SL_FEATURE_FOREACH(f, d->rt.features)
		if ((*f)->ports_ready)
			(*f)->ports_ready(&d->rt);
	if (with_warm && d->opt.state_path) {
		char warm[PATH_MAX];

		sl_warm_path(d->opt.state_path, warm, sizeof(warm));
		sl_warm_load(&d->rt, warm);
	}
}

/* systemd follows this pid from now: told before the old one's last
 * answer, for its exit must not look like the service's end. */
static void
tell_main_pid(void *arg)
{
	struct daemon *d = arg;

	if (!d->main_pid_told)
		sl_service_main_pid(&d->service);
	d->main_pid_told = true;
}

/* --takeover, the workers running on no port: the old sluiced's ports,
 * then its carry-over, then its socket. */
static int
take_over(struct daemon *d, struct sl_ctl_server_conf *sconf)
{
	struct sl_takeover_conf conf = {
		.path = d->opt.socket_path,
		.answer_timeout_ms = d->opt.takeover_answer_s * 1000,
		.before_the_end = tell_main_pid, .arg = d,
	};
	int rc = sl_takeover_ports(&d->rt, &d->persist, &conf);

	if (rc < 0)
		return -1;	/* refused: the old one goes on as it was */
	d->taking_over = false;
	/* 0: the old one went away mid-way, and wrote no carry-over */
	ports_ready(d, rc > 0);
	sconf->take_path = true;
	if (open_server(d, sconf) < 0)
		return -1;
	tell_main_pid(d);	/* if the old one went away before its end */
	return 0;
}

static int
start(struct daemon *d)
{
	struct sl_ctl_server_conf sconf = {
		.path = d->opt.socket_path, .group = d->opt.socket_group,
		.handler = sl_ctl_handle, .closed = sl_ctl_peer_gone,
		.arg = &d->ctl,
		.idle_timeout_s = d->opt.socket_idle_timeout_s,
		.per_uid = d->opt.socket_per_uid,
	};
	struct sl_err err = { 0 };
	char marker[PATH_MAX] = "";
	int failures;

	/* beside the state: a later sluiced of this host finds it */
	if (d->opt.state_path)
		snprintf(marker, sizeof(marker), "%s.rcu-expedited",
			 d->opt.state_path);
	sl_rcu_expedite_setup(!d->opt.no_rcu_expedite,
			      marker[0] ? marker : NULL);
	d->rt.host = (struct sl_runtime_host){
		.option_values = d->opt.feature_values,
		.loop = &d->loop,
		.persist = &d->persist,
		.takeover = d->opt.takeover,
	};
	if (sl_runtime_init(&d->rt, d->model, sl_features,
			    (uint16_t)d->eal.nb_workers,
			    d->opt.mbufs, d->eal.pci, &err) < 0) {
		SL_LOG(ERR, "%s\n", err.msg);
		return -1;
	}
	d->ctl = (struct sl_ctl){
		.rt = &d->rt, .model = d->model,
		.host = { .socket_path = d->opt.socket_path,
			  .state_path = d->opt.state_path,
			  .eal_file_prefix = d->eal.file_prefix,
			  .hugepages = d->eal.hugepages },
	};
	/* a takeover binds the socket last: until then the old one serves */
	if (!d->opt.takeover && open_server(d, &sconf) < 0)
		return -1;
	d->owns_prefix = true;
	if (sl_telemetry_init() < 0)
		SL_LOG(WARNING, "DPDK telemetry commands could not be registered\n");
	if (d->opt.takeover) {
		d->taking_over = true;
		sl_takeover_hand_all(&d->rt);	/* the old one's until asked */
	}
	failures = sl_runtime_apply(&d->rt);
	if (failures)
		SL_LOG(WARNING, "%d port(s) could not be attached; see above\n",
		       failures);
	sl_dp_profile(d->rt.dp, d->opt.profile);
	sl_dp_idle_sleep(d->rt.dp, d->opt.idle_sleep_max_us);
	if (!d->opt.takeover)
		ports_ready(d, true);
	if (sl_runtime_start_workers(&d->rt) < 0) {
		SL_LOG(ERR, "cannot launch the worker lcores\n");
		return -1;
	}
	d->started = true;
	if (d->opt.takeover && take_over(d, &sconf) < 0)
		return -1;
	SL_LOG(NOTICE, "ready: %u worker(s), %s memory, EAL file prefix %s, socket %s (group %s), state %s\n",
	       d->eal.nb_workers,
	       d->eal.hugepages ? "hugepage (--in-memory)" : "--no-huge",
	       d->eal.file_prefix, d->opt.socket_path,
	       d->opt.socket_group ? d->opt.socket_group : "root only",
	       d->opt.state_path);
	return 0;
}

/* What the state's journal held at start-up. */
static void
log_replay(const struct sl_persist *p, const struct sl_journal_replay *r)
{
	if (r->changes)
		SL_LOG(NOTICE, "replayed %u change(s) from the journal %s\n",
		       r->changes, p->journal_path);
	if (r->torn_line)
		SL_LOG(WARNING, "journal %s: line %u was cut short by a crash while it was written (a change that was never acknowledged): ignored\n",
		       p->journal_path, r->torn_line);
	if (r->stale)
		SL_LOG(NOTICE, "journal %s: of an older state file (a crash while the state file was rewritten): ignored\n",
		       p->journal_path);
}

int
main(int argc, char **argv)
{
	static struct daemon d;
	struct sl_err err = { 0 };
	char msg[256] = "", rundir[PATH_MAX], base_prefix[64];
	bool stale_rundir;
	unsigned int stale_takeovers;
	struct sl_journal_replay replay;
	struct sl_state_loader loader;
	bool side_by_side;
	sigset_t sigs;
	int rc, status;

	rc = sl_options_parse(argc, argv, &d.opt, stderr);
	if (rc != 0)
		return rc > 0 ? EXIT_SUCCESS : 2;
	rc = sl_log_open_stderr();
	if (rc < 0)
		fprintf(stderr, "sluiced: cannot set up the log: %s\n", strerror(-rc));
	/* first: nothing is worth building without a sluiced to take over */
	if (d.opt.takeover &&
	    sl_takeover_probe(d.opt.socket_path, msg, sizeof(msg)) < 0) {
		SL_LOG(ERR, "%s\n", msg);
		return EXIT_FAILURE;
	}
	d.model = sl_model_new(sl_features);
	if (!d.model)
		return EXIT_FAILURE;
	/* Before the state loader's thread and the EAL's: every thread
	 * inherits the mask, so the signals reach the signalfd alone. */
	if (block_signals(&sigs) != 0) {
		SL_LOG(ERR, "cannot block signals: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	/* The state is read beside the EAL's start when the EAL's arguments
	 * do not depend on it (state_loader.h), else before it. A broken
	 * file stops start-up and is left untouched. */
	side_by_side = !sl_state_may_need_pci(d.opt.state_path) &&
		       sl_state_loader_start(&loader, &d.persist, d.model,
					     sl_features, d.opt.state_path) == 0;
	if (!side_by_side) {
		rc = sl_persist_load(&d.persist, d.model, sl_features,
				     d.opt.state_path, &replay, &err);
		if (rc < 0) {
			SL_LOG(ERR, "%s\n", err.msg);
			return EXIT_FAILURE;
		}
	}
	if (sl_eal_plan_build(&d.opt, side_by_side ? NULL : d.model, &d.eal,
			      msg, sizeof(msg)) < 0) {
		SL_LOG(ERR, "%s\n", msg);
		if (side_by_side)
			sl_state_loader_join(&loader, &replay, &err);
		return EXIT_FAILURE;
	}
	/* a crashed daemon's runtime directory: gone before the EAL's own */
	sl_eal_runtime_dir(d.eal.file_prefix, rundir, sizeof(rundir));
	stale_rundir = sl_eal_runtime_dir_remove_stale(rundir);
	sl_eal_file_prefix(d.opt.socket_path, base_prefix, sizeof(base_prefix));
	stale_takeovers = sl_eal_takeover_dirs_remove_stale(base_prefix);
	if (rte_eal_init(d.eal.argc, d.eal.argv) < 0) {
		SL_LOG(ERR, "DPDK EAL initialisation failed: %s\n",
		       rte_strerror(rte_errno));
		if (side_by_side)
			sl_state_loader_join(&loader, &replay, &err);
		return EXIT_FAILURE;
	}
	if (side_by_side &&
	    (rc = sl_state_loader_join(&loader, &replay, &err)) < 0) {
		SL_LOG(ERR, "%s\n", err.msg);
		rte_eal_cleanup();
		sl_eal_runtime_dir_remove(rundir);
		return EXIT_FAILURE;
	}
	sl_log_init((uint32_t)d.opt.log_level);
	if (rc == 1)
		SL_LOG(NOTICE, "no state file at %s: starting with no networks\n",
		       d.opt.state_path);
	if (stale_rundir)
		SL_LOG(NOTICE, "removed %s, left by a sluiced that did not exit cleanly\n",
		       rundir);
	if (stale_takeovers)
		SL_LOG(NOTICE, "removed %u EAL runtime director%s of sluiced --takeover left by daemons that did not exit cleanly\n",
		       stale_takeovers, stale_takeovers == 1 ? "y" : "ies");
	if (sl_json_remove_stale_tmp(d.opt.state_path))
		SL_LOG(NOTICE, "removed %s.tmp, left by a save that did not finish (the state file itself is whole)\n",
		       d.opt.state_path);
	if (sl_json_remove_stale_tmp(d.persist.journal_path))
		SL_LOG(NOTICE, "removed %s.tmp, left by a journal restart that did not finish (the state file is whole)\n",
		       d.persist.journal_path);
	log_replay(&d.persist, &replay);
	if (d.eal.nb_workers + 1 > (unsigned int)sysconf(_SC_NPROCESSORS_ONLN))
		SL_LOG(WARNING, "%u workers share %ld CPUs: they will take turns\n",
		       d.eal.nb_workers, sysconf(_SC_NPROCESSORS_ONLN));
	if (setup_loop(&d, &sigs) < 0 || start(&d) < 0) {
		status = EXIT_FAILURE;
		if (d.rt.dp)
			shut_down(&d);
	} else {
		tell_ready(&d);
		rc = sl_watchdog_start(&d.watchdog, &d.loop, &d.rt);
		if (rc < 0)
			SL_LOG(WARNING, "systemd watchdog: %s\n", strerror(-rc));
		rc = sl_loop_run(&d.loop);
		if (rc < 0)
			SL_LOG(ERR, "control loop: %s\n", strerror(-rc));
		sl_watchdog_stop(&d.watchdog, &d.loop);
		/* the next start reads one file, not a journal to replay;
		 * handed over, the files are the new sluiced's */
		if (!d.ctl.takeover.done)
			sl_persist_close(&d.persist, d.model);
		status = shut_down(&d);
	}
	sl_loop_fini(&d.loop);
	sl_model_free(d.model);
	/* The EAL's cleanup closes every vdev: a kept af_xdp port (its
	 * queue's set-up failed, port.c) would free its queue's memory a
	 * second time and crash the exit. The process ends here anyway. */
	if (!sl_port_af_xdp_kept())
		rte_eal_cleanup();
	/* the prefix is ours only if the control socket was: a second
	 * sluiced on the same socket leaves the first one's directory */
	if (d.owns_prefix)
		sl_eal_runtime_dir_remove(rundir);
	sl_eal_plan_free(&d.eal);
	return status;
}
