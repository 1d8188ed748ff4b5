/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace as the datapath sees it. A traced packet goes alone (a
 * burst of one) through the pipeline's real stage functions
 * (sl_pipeline_traced), and between stages what each did is noted in a
 * record: whether the packet went on, the drop reason the stage counted,
 * the metadata it left; at the end, the frames queued for sending (each
 * out port's copy as it will leave: tag pushed, encapsulated) and the
 * counter the rules stage bumped (the rule that matched).
 *
 * Two users: `trace` runs a made-up frame on a private worker of the
 * control thread (it learns nothing, hands nothing to the control thread
 * and sends nothing), and `trace-live` has the workers trace the next
 * real packets of a port (sl_trace_live: published through RCU like the
 * captures; NULL, the usual case, costs one predictable branch a burst).
 */
#ifndef SL_TRACE_H
#define SL_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_bpf.h>
#include <rte_mbuf.h>

#include "sl_drop.h"
#include "sl_meta.h"

struct sl_worker;
struct sl_snapshot;

enum sl_trace_stage {
	SL_TRACE_PARSE,
	SL_TRACE_BOND,		/* the packet came in on a bond member */
	SL_TRACE_INGRESS,	/* network, tag popped, decapsulation */
	SL_TRACE_RULES,
	SL_TRACE_L2,
	SL_TRACE_EGRESS,
	SL_TRACE__COUNT
};

/* Bytes of each frame a record keeps (the headers, for the report). */
#define SL_TRACE_FRAME_BYTES 160
/* Out ports a record keeps the frame of (a flood's copies beyond: counted) */
#define SL_TRACE_MAX_OUTPUTS 16

struct sl_traced_frame {
	uint32_t len;		/* the whole frame's */
	uint16_t kept;		/* bytes in head */
	uint8_t head[SL_TRACE_FRAME_BYTES];
};

struct sl_trace_step {
	bool ran;
	bool went_on;		/* the packet left the stage for the next */
	uint16_t drop;		/* enum sl_drop the stage counted; NONE */
	struct sl_pkt_meta md;	/* as the stage left it (went_on) */
};

struct sl_trace_output {
	uint16_t port;		/* the ethdev port it is queued on */
	struct sl_traced_frame frame;
};

struct sl_trace_record {
	bool complete;		/* __atomic: filled (the worker's release) */
	uint16_t rx_port;
	uint16_t worker;
	uint64_t tsc;
	struct sl_traced_frame in;
	struct sl_trace_step step[SL_TRACE__COUNT];
	/* the frame after ingress when it was decapsulated (the inner) */
	bool decapsulated;
	struct sl_traced_frame inner;
	/* the rules stage's counter (sl_rules.h: SL_RULE_KEY_*) */
	uint32_t rule_key;
	uint16_t nb_out;	/* outputs queued, all of them */
	struct sl_trace_output out[SL_TRACE_MAX_OUTPUTS];
	/* every reason counted along the way, in stages or not (an output
	 * refused by one port of a flood): how many */
	uint64_t drops[SL_DROP__COUNT];
	/* scratch: the worker's drop counters before the stage */
	uint64_t before[SL_DROP__COUNT];
};

/* pipeline.c calls these around and between the stages of a traced
 * burst (of one packet). */
void sl_trace_begin(struct sl_worker *w, const struct sl_snapshot *s,
		    struct sl_trace_record *rec, uint16_t rx_port,
		    struct rte_mbuf *m);
void sl_trace_step(struct sl_worker *w, struct sl_trace_record *rec,
		   enum sl_trace_stage stage, struct rte_mbuf **pkts,
		   uint16_t n);
void sl_trace_end(struct sl_worker *w, struct sl_trace_record *rec);

/* What a trace of the control thread's found besides the record: how
 * many frames the stages handed over (to punt). Drops, refused copies
 * included, are the record's. */
struct sl_trace_result {
	struct sl_trace_record rec;
	unsigned int punted;
};

struct sl_dp;
struct rte_ring;

/* Run m, come in on rx_port, through the stages of dp as it is now (s,
 * its snapshot) on a worker of the caller's own (trace_worker.c): the
 * FDB is looked up, not learned in; what would be sent, or handed to
 * the control thread (on punt instead), is looked at and freed. m is
 * consumed. -1 (ENOMEM) without a worker. */
int sl_trace_private(struct sl_dp *dp, const struct sl_snapshot *s,
		     struct rte_mempool *pool, struct rte_ring *punt,
		     uint16_t rx_port, struct rte_mbuf *m,
		     struct sl_trace_result *out);

/*
 * trace-live: the workers trace the next packets of one port that pass
 * the filter, each in a record of its own, up to want. A packet traced
 * goes on as it would have: it is forwarded, learned, counted. The
 * packets of its burst before and after it go through the stages as
 * usual, in their order.
 */
struct sl_trace_live {
	uint16_t port;			/* the ethdev port whose rx is traced */
	const struct rte_bpf *bpf;	/* the filter; NULL: every packet */
	uint64_t (*jit)(void *mbuf);	/* the filter compiled; NULL: interpret */
	uint32_t want;
	uint32_t claimed;		/* __atomic: records handed out */
	uint64_t filtered;		/* __atomic: packets the filter refused */
	struct sl_trace_record *recs;	/* [want] */
};

/* A burst of tl->port's packets with a live trace on the port. */
void sl_trace_live_burst(struct sl_worker *w, const struct sl_snapshot *s,
			 struct sl_trace_live *tl, struct rte_mbuf **pkts,
			 uint16_t n);

/* Copy m's first bytes into f. */
void sl_trace_copy_frame(const struct rte_mbuf *m, struct sl_traced_frame *f);

#endif
