/* SPDX-License-Identifier: BSD-3-Clause */
/* trace-live in the workers (sl_trace.h): a watched port's burst taken
 * apart around the packets traced. */
/* rte_bpf is experimental in DPDK 22.11 */
#define ALLOW_EXPERIMENTAL_API
#include "sl_pipeline.h"
#include "sl_trace.h"

static inline bool
wanted(const struct sl_trace_live *tl, struct rte_mbuf *m)
{
	if (!tl->bpf)
		return true;
	return (tl->jit ? tl->jit(m) : rte_bpf_exec(tl->bpf, m)) != 0;
}

void
sl_trace_live_burst(struct sl_worker *w, const struct sl_snapshot *s,
		    struct sl_trace_live *tl, struct rte_mbuf **pkts,
		    uint16_t n)
{
	uint16_t from = 0;	/* the first packet not through yet */

	for (uint16_t i = 0; i < n; i++) {
		uint32_t slot;

		if (__atomic_load_n(&tl->claimed, __ATOMIC_RELAXED) >= tl->want)
			break;
		if (!wanted(tl, pkts[i])) {
			__atomic_fetch_add(&tl->filtered, 1, __ATOMIC_RELAXED);
			continue;
		}
		/* another worker may poll another queue of the port */
		slot = __atomic_fetch_add(&tl->claimed, 1, __ATOMIC_RELAXED);
		if (slot >= tl->want)
			break;
		if (i > from)
			sl_pipeline_untraced(w, s, tl->port, pkts + from, i - from);
		sl_pipeline_traced(w, s, tl->port, pkts[i], &tl->recs[slot]);
		__atomic_store_n(&tl->recs[slot].complete, true, __ATOMIC_RELEASE);
		from = i + 1;
	}
	if (from < n)
		sl_pipeline_untraced(w, s, tl->port, pkts + from, n - from);
}
