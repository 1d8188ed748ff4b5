/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet capture in the control plane. A capture is asked for by a
 * control client, which passes the file descriptor to write to; the
 * control thread compiles its filter, makes its ring and pool, starts its
 * writer thread and publishes a new capture set to the workers. The
 * writer ends on count, duration, capture-stop, the client's connection
 * closing, or a write error; the control thread then joins it (every
 * fast tick), publishes a set without the capture and frees what the
 * workers used once none can see it (RCU).
 */
#ifndef SL_CAPTURE_CONTROL_H
#define SL_CAPTURE_CONTROL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ctl.h"
#include "feature.h"
#include "runtime.h"
#include "sl_capture.h"
#include "sl_error.h"

/* Finished captures kept for capture-list and capture-show (the client
 * reads its summary there), the oldest forgotten first. */
#define SL_CAPTURE_KEEP_DONE 32
#define SL_CAPTURE_FILTER_MAX 1024
#define SL_CAPTURE_SNAPLEN_MAX 65535
#define SL_CAPTURE_SNAPLEN_MIN 64

/* What a capture command asked for (capture_args.c). */
struct sl_capture_req {
	const char *device;
	bool rx, tx;
	const char *filter;	/* NULL: none */
	uint64_t count;		/* 0: no limit */
	uint64_t duration_s;	/* 0: no limit */
	uint32_t snaplen;
};

int sl_capture_parse_req(const struct sl_args *a, struct sl_capture_req *req,
			 struct sl_err *err);

/* A compiled filter (capture_filter.c): the eBPF program and its JIT. */
struct sl_capture_filter {
	struct rte_bpf *bpf;
	uint64_t (*jit)(void *mbuf);	/* NULL: interpreted */
};

/* Compile a tcpdump expression for frames of snaplen bytes; -1 with err
 * (libpcap's own message) if it is not one. */
int sl_capture_filter_compile(const char *expr, uint32_t snaplen,
			      struct sl_capture_filter *out,
			      struct sl_err *err);
void sl_capture_filter_free(struct sl_capture_filter *f);

enum sl_capture_state {
	SL_CAPTURE_RUNNING,
	SL_CAPTURE_STOPPING,	/* asked to end; the writer is finishing */
	SL_CAPTURE_DONE,
};

struct sl_capture {
	uint32_t id;
	int slot;			/* its tap in the set; -1 once done */
	char device[64];
	uint16_t port;
	bool rx, tx;
	char filter[SL_CAPTURE_FILTER_MAX];
	uint64_t count, duration_s;
	uint32_t snaplen;
	uint64_t conn_id;		/* the client that started it */
	uint64_t start_ns;		/* CLOCK_REALTIME */
	uint64_t base_tsc;		/* the TSC at start_ns */
	uint64_t start_ms;		/* sl_runtime_now_ms() */

	/* what the workers use, freed once none can see it */
	struct sl_capture_filter compiled;
	struct rte_ring *ring;
	struct rte_mempool *pool;
	struct sl_capture_counters *counters;	/* [nb_workers] */
	uint16_t nb_workers;

	/* the writer thread and what it shares with the control thread */
	pthread_t writer;
	bool writer_started;
	struct rte_pcapng *pcapng;	/* owns the file descriptor */
	bool stop;			/* __atomic: control → writer */
	char stop_reason[64];		/* written before stop is set */
	bool finished;			/* __atomic: writer → control */
	uint64_t written;		/* __atomic: frames in the file */
	char reason[128];		/* why it ended: the writer's until finished */
	/* the counters' sums when it ended (DONE) */
	struct sl_capture_counters final;
	enum sl_capture_state state;
};

/* The feature's runtime state (sl_feature_runtime). */
struct sl_captures {
	struct sl_runtime *rt;
	uint32_t next_id;
	struct sl_capture *v[SL_CAPTURE_MAX + SL_CAPTURE_KEEP_DONE];
	unsigned int n;
};

extern const struct sl_feature sl_capture_feature;

static inline struct sl_captures *
sl_captures(const struct sl_runtime *rt)
{
	return sl_feature_runtime(rt, &sl_capture_feature);
}

/* capture_runtime.c */
/* Start a capture writing to *fd for the client conn_id; *fd is set to
 * -1 once the capture's file has it (closed with the file), even when
 * the capture then fails to start. */
struct sl_capture *sl_capture_start(struct sl_runtime *rt,
				    const struct sl_capture_req *req, int *fd,
				    uint64_t conn_id, struct sl_err *err);
struct sl_capture *sl_capture_find(struct sl_runtime *rt, uint32_t id);
/* Ask it to end (its file gets its statistics and is closed). */
void sl_capture_request_stop(struct sl_capture *c, const char *reason);
/* Join the writers that ended, take their captures out of the set. */
void sl_capture_reap(struct sl_runtime *rt);
/* Stop the captures whose device lost its port (sync: before a new
 * port may take its id). */
void sl_capture_port_check(struct sl_runtime *rt);
/* Every capture ended and freed (the daemon stops). */
void sl_capture_stop_all(struct sl_runtime *rt);
/* The sums of a capture's counters over the workers (or its final ones). */
void sl_capture_sum(const struct sl_capture *c, struct sl_capture_counters *out);

/* capture_writer.c: the writer thread's body (arg: the capture). */
void *sl_capture_writer(void *arg);
/* The wall clock in ns since the epoch, as pcapng's timestamps are. */
uint64_t sl_capture_now_ns(void);

/* capture_records.c */
json_t *sl_capture_record(const struct sl_capture *c);
extern const char *const sl_capture_fields[];

#endif
