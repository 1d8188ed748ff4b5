/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the whole pipeline (parse, bond receive rules, ingress
 * with VLANs and tunnel decapsulation, flow rules, learning and lookup,
 * egress with VLAN tags, bond member choice and encapsulation, transmit)
 * on one burst of any frames, received on any port of a fixed switch
 * made through the real control plane (fuzz_switch.h: VLAN, bond, rules,
 * VXLAN and GRE tunnels), then what the control thread does with what was
 * punted. ASan and UBSan watch every read; every packet buffer must come
 * back to the pool (the datapath frees or sends what it drops).
 *
 * The switch lives across inputs (what it learned stays, as in sluiced).
 * With bit 7 of byte 0 set, the first frame is also given to the trace
 * command first (packet= in hex, in_port the burst's port), which runs it
 * through the same stages on a private worker and reports them; it must
 * leave every packet buffer back in the pool too.
 *
 * Input: byte 0: the port the burst comes in on (of the switch's ethdev
 * ports, modulo their number); then frames, each: 2 bytes of length
 * (little-endian, clamped to what is left), 1 byte of segments (bits 0-1,
 * plus one) and odd addresses (bits 2-4), 3 bytes of split points, and
 * the frame's bytes. At most a burst's worth of frames. A destination MAC
 * 02:00:00:00:ee:ee stands for the transport PIF's (a null port's MAC is
 * random), so that a seed's tunnelled frames reach decapsulation.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_switch.h"
#include "sl_dp.h"

#define FRAME_HEADER 6
/* the longest frame handed to trace, in bytes */
#define TRACE_MAX 1500

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_switch sw;
static const uint8_t transport_alias[RTE_ETHER_ADDR_LEN] = { 2, 0, 0, 0, 0xee, 0xee };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_switch_start(&sw, "fuzz-pipeline");
	return 0;
}

/* The trace command on frame, as a client would send it. */
static void
trace(uint16_t port, const uint8_t *frame, size_t len)
{
	const struct sl_endpoint *ep = sl_model_endpoint_by_port(sw.d.rt.model, port);
	static char line[2 * TRACE_MAX + 256];
	int at;

	if (!ep || len > TRACE_MAX)
		return;
	at = snprintf(line, sizeof(line),
		      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"trace\","
		      "\"params\":{\"in_port\":\"%s\",\"packet\":\"", ep->device);
	for (size_t i = 0; i < len; i++)
		at += snprintf(line + at, sizeof(line) - (size_t)at, "%02x", frame[i]);
	at += snprintf(line + at, sizeof(line) - (size_t)at, "\"}}");
	fuzz_daemon_line(&sw.d, line, (size_t)at);
	if (rte_mempool_in_use_count(sw.d.rt.pool) != sw.mbufs) {
		fprintf(stderr, "fuzz pipeline: the trace kept %d packet buffers\n",
			rte_mempool_in_use_count(sw.d.rt.pool) - (int)sw.mbufs);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_mbuf *pkts[SL_BURST];
	uint16_t n = 0, port;
	size_t at = 1;

	if (size < 1)
		return 0;
	port = sw.ports[data[0] % sw.nb_ports];
	while (n < SL_BURST && at + FRAME_HEADER <= size) {
		const uint8_t *h = data + at;
		size_t len = (size_t)h[0] | (size_t)h[1] << 8;
		struct rte_mbuf *m;

		at += FRAME_HEADER;
		if (len > size - at)
			len = size - at;
		if (n == 0 && (data[0] & 0x80))
			trace(port, data + at, len);
		m = fuzz_switch_frame(&sw, data + at, (uint16_t)len,
				      (h[2] & 3u) + 1, h + 3, h[2] >> 2 & 7u);
		at += len;
		if (!m)
			break;
		if (rte_pktmbuf_data_len(m) >= RTE_ETHER_ADDR_LEN &&
		    memcmp(rte_pktmbuf_mtod(m, void *), transport_alias,
			   RTE_ETHER_ADDR_LEN) == 0)
			memcpy(rte_pktmbuf_mtod(m, void *), &sw.transport_mac,
			       RTE_ETHER_ADDR_LEN);
		pkts[n++] = m;
	}
	if (n)
		fuzz_switch_burst(&sw, port, pkts, n);
	return 0;
}
