/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-process replay: a trace's frames go through the datapath's own burst
 * functions (sl_pipeline_burst, sl_tx_flush) on worker 0's context, from
 * the port the trace enters by, with no worker thread and no receive I/O;
 * what comes out goes to null ports, which free it.
 */
#ifndef SL_BENCH_REPLAY_H
#define SL_BENCH_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime.h"
#include "sl_stats.h"
#include "trace.h"

struct sl_replay_result {
	uint64_t passes, packets, bytes;
	uint64_t cycles;		/* TSC cycles inside the datapath */
	uint64_t hz;
	bool consistent;		/* every pass counted the same */
	uint64_t profiled_packets;
	uint64_t stage_cycles[SL_STAGE__COUNT];	/* over profiled_packets */
	/* per pass: drops by reason, packets out of each ethdev port */
	uint64_t drops[SL_DROP__COUNT];
	uint64_t tx[SL_DP_MAX_PORTS];
};

/*
 * One unmeasured pass (the FDB learns), then measured passes until min_s
 * seconds of datapath time, then as many again with stage profiling on.
 * Returns 0, or -1 with a sentence in err.
 */
int sl_replay_run(struct sl_runtime *rt, uint16_t in_port,
		  const struct sl_trace *t, double min_s,
		  struct sl_replay_result *r, char *err, size_t errlen);

#endif
