/* SPDX-License-Identifier: BSD-3-Clause */
/* trace: the frame in a buffer of the switch's pool, then through the
 * stages on a private worker (sl_trace_private). */
#include <string.h>

#include "trace_ctl.h"

int
sl_trace_run(struct sl_runtime *rt, uint16_t rx_port, const uint8_t *frame,
	     size_t len, struct sl_trace_result *out, struct sl_err *err)
{
	const struct sl_snapshot *s = sl_dp_snapshot(rt->dp);
	struct rte_mbuf *m;
	char *data;

	if (!s || rx_port >= SL_MAX_PORTS || !s->ports[rx_port].nb_txq)
		return sl_err_set(err, SL_E_PORT_NOT_TRACEABLE,
				  "in_port: the port is not in the datapath yet (see stats)");
	m = rte_pktmbuf_alloc(rt->pool);
	if (!m)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "trace: the packet pool is empty");
	if (len > rte_pktmbuf_tailroom(m)) {
		uint32_t room = rte_pktmbuf_tailroom(m);

		rte_pktmbuf_free(m);
		return sl_err_set(err, SL_E_TRACE_PACKET_INVALID,
				  "packet: %zu bytes do not fit in one buffer of the pool (%u)",
				  len, room);
	}
	data = rte_pktmbuf_append(m, (uint16_t)len);
	memcpy(data, frame, len);
	if (sl_trace_private(rt->dp, s, rt->pool, sl_trace_rt(rt)->punt,
			     rx_port, m, out) < 0)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "trace: out of memory for its worker");
	return 0;
}
