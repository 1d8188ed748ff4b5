/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the frame parser (core/datapath/parse.c) and the flow
 * key the OpenFlow lists read from a frame (ARP, IPv6 extension headers,
 * neighbour discovery: modules/rules/datapath/flow_key.c), on any bytes a
 * port may deliver, in a chain of 1 to 4 segments split at any offset,
 * each later segment's data at an even or an odd address. The parser must
 * never read past a segment or out of alignment (ASan and UBSan watch).
 *
 * The first segment's data starts at an even address, as every PMD puts
 * it (behind DPDK's 128-byte headroom): the datapath reads the Ethernet
 * header in place there (struct rte_ether_hdr is 2-byte aligned). Where a
 * segment boundary falls is the sender's doing, hence any offset after.
 *
 * The mbufs are made by hand (no EAL, no pool): a segment's buffer is
 * exactly as long as its data, so a read one byte too far is ASan's. The
 * flow key is read only from a frame the parser kept, as in the datapath.
 *
 * Input: byte 0: segments (bits 0-1, plus one) and odd addresses for the
 * second and fourth segments, or the third (bit 2);
 * bytes 1-3: where the segments split (each a fraction of the frame);
 * byte 4: the VLAN the port carries the network with (0: untagged); the
 * rest: the frame.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "parse.h"
#include "sl_flows.h"

#define HEADER 5
#define MAX_SEGS 4

static struct rte_mbuf *
segment(const uint8_t *data, uint16_t len, int odd)
{
	/* the mbuf and its private area (the packet's metadata) */
	struct rte_mbuf *m = calloc(1, sizeof(*m) + SL_META_PRIV_SIZE);
	/* not a byte more than the data: a read past it is ASan's */
	uint8_t *buf = malloc(len + odd ? (size_t)len + (size_t)odd : 1);

	if (!m || !buf) {
		free(m);
		free(buf);
		return NULL;
	}
	memcpy(buf + odd, data, len);
	m->buf_addr = buf;
	m->buf_len = (uint16_t)(len + odd);
	m->data_off = (uint16_t)odd;
	m->data_len = len;
	m->priv_size = SL_META_PRIV_SIZE;
	m->refcnt = 1;
	m->nb_segs = 1;
	return m;
}

static void
chain_free(struct rte_mbuf *m)
{
	while (m) {
		struct rte_mbuf *next = m->next;

		free(m->buf_addr);
		free(m);
		m = next;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_mbuf *head = NULL, **tail = &head;
	uint32_t cuts[MAX_SEGS + 1], nsegs, len, at = 0;
	int odd;
	uint16_t tag;

	if (size < HEADER || size - HEADER > UINT16_MAX)
		return 0;
	nsegs = (data[0] & 3) + 1;
	odd = (data[0] >> 2) & 1;
	tag = data[4] ? data[4] : SL_TAG_UNTAGGED;
	len = (uint32_t)(size - HEADER);
	/* split points: a fraction of the frame each, in order */
	cuts[0] = 0;
	for (uint32_t i = 1; i < nsegs; i++) {
		uint32_t c = len * data[i] / 256;

		cuts[i] = c < cuts[i - 1] ? cuts[i - 1] : c;
	}
	cuts[nsegs] = len;
	for (uint32_t i = 0; i < nsegs; i++) {
		struct rte_mbuf *m = segment(data + HEADER + cuts[i],
					     (uint16_t)(cuts[i + 1] - cuts[i]),
					     i ? odd ^ (int)(i & 1) : 0);

		if (!m) {
			chain_free(head);
			return 0;
		}
		*tail = m;
		tail = &m->next;
		at++;
	}
	head->nb_segs = (uint16_t)at;
	head->pkt_len = len;

	struct sl_pkt_meta *md = sl_meta(head);

	md->in_port = 1;
	md->network = SL_NETWORK_NONE;
	if (sl_parse_pkt(head, md) == SL_DROP_NONE) {
		struct sl_flow_key key;

		sl_flow_key_of(head, tag, &key);
	}
	chain_free(head);
	return 0;
}
