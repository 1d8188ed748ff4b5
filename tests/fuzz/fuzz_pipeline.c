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
#include <string.h>

#include "fuzz_switch.h"
#include "sl_dp.h"

#define FRAME_HEADER 6

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
