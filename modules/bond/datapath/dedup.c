/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include <rte_cycles.h>
#include <rte_malloc.h>

#include "dedup.h"
#include "sl_crc.h"

struct sl_dedup *
sl_dedup_create(uint32_t slots, uint32_t window_ms)
{
	struct sl_dedup *d;

	if (slots == 0 || (slots & (slots - 1))) {
		errno = EINVAL;
		return NULL;
	}
	d = rte_zmalloc("sl_dedup", sizeof(*d) + slots * sizeof(d->slot[0]),
			RTE_CACHE_LINE_SIZE);
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->mask = slots - 1;
	d->window_tsc = rte_get_tsc_hz() / 1000 * window_ms;
	return d;
}

void
sl_dedup_free(struct sl_dedup *d)
{
	rte_free(d);
}

/* Two CRC32Cs with different seeds over every byte, and the length. */
static uint64_t
signature(const struct rte_mbuf *m)
{
	uint32_t a = 0x9e3779b9, b = 0x85ebca6b;

	for (const struct rte_mbuf *seg = m; seg; seg = seg->next) {
		const void *p = rte_pktmbuf_mtod(seg, const void *);

		a = sl_crc32c(p, seg->data_len, a);
		b = sl_crc32c(p, seg->data_len, b ^ a);
	}
	return ((uint64_t)a << 32 | b) ^ m->pkt_len;
}

bool
sl_dedup_check(struct sl_dedup *d, const struct rte_mbuf *m, uint64_t now_tsc)
{
	uint64_t sig = signature(m);
	struct sl_dedup_slot *s = &d->slot[sig & d->mask];
	bool dup = s->sig == sig && now_tsc - s->tsc < d->window_tsc;

	s->sig = sig;
	s->tsc = now_tsc;
	return dup;
}
