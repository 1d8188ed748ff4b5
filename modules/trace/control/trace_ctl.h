/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace in the control plane: trace (a made-up frame through the
 * real stages on a private worker, trace_run.c), its report
 * (trace_report.c), and the frame it is made of (trace_packet.c).
 */
#ifndef SL_TRACE_CONTROL_H
#define SL_TRACE_CONTROL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "capture.h"
#include "runtime.h"
#include "sl_error.h"
#include "sl_trace.h"
#include "trace_packet.h"


/* Run frame in on rx_port through the stages of the datapath as it is
 * now, without learning, sending or handing anything over. */
int sl_trace_run(struct sl_runtime *rt, uint16_t rx_port, const uint8_t *frame,
		 size_t len, struct sl_trace_result *out, struct sl_err *err);

/* The report of a record: each stage's decision, the outputs. */
json_t *sl_trace_report(const struct sl_runtime *rt,
			const struct sl_trace_record *rec);

/* trace-live (trace_live.c) */
#define SL_TRACE_LIVE_MAX 64	/* packets a live trace records at most */

enum sl_trace_live_state {
	SL_TRACE_LIVE_WAITING,	/* published: the workers fill its records */
	SL_TRACE_LIVE_DONE,	/* withdrawn; its records kept for show */
};

struct sl_trace_session {
	uint32_t id;
	char device[64];
	char filter[1024];
	uint64_t conn_id;		/* the client that started it */
	enum sl_trace_live_state state;
	char reason[64];		/* why it ended */
	struct sl_capture_filter compiled;
	struct sl_trace_live live;	/* what the workers see */
};

/* The id, or -1 with err (one at a time: TRACE_LIVE_BUSY). */
int sl_trace_live_start(struct sl_runtime *rt, const char *device,
			uint32_t count, const char *filter, uint64_t conn_id,
			struct sl_err *err);
struct sl_trace_session *sl_trace_live_find(const struct sl_runtime *rt,
					    uint32_t id);
/* {id, port, filter, count, recorded, filtered, state, reason, packets} */
json_t *sl_trace_live_record(const struct sl_runtime *rt,
			     const struct sl_trace_session *t);
void sl_trace_live_stop(struct sl_runtime *rt, struct sl_trace_session *t,
			const char *reason);
/* the feature's hooks: fast tick, a client gone, a port detached, exit */
void sl_trace_live_tick(struct sl_runtime *rt);
void sl_trace_live_peer_gone(struct sl_runtime *rt, uint64_t conn_id);
void sl_trace_live_port_check(struct sl_runtime *rt);
void sl_trace_live_fini(struct sl_runtime *rt);

/* The feature's runtime state. */
struct sl_trace_rt {
	struct rte_ring *punt;	/* a private worker's hand-overs */
	uint32_t next_id;
	struct sl_trace_session *session;	/* the last live trace */
};

extern const struct sl_feature sl_trace_feature;

static inline struct sl_trace_rt *
sl_trace_rt(const struct sl_runtime *rt)
{
	return sl_feature_runtime(rt, &sl_trace_feature);
}

#endif
