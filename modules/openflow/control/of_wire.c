/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The output buffer the encoders write into. An allocation failure marks
 * the buffer (oom) instead of failing each call: the caller checks once
 * when the message is complete and drops it.
 */
#include <stdlib.h>
#include <string.h>

#include "of_wire.h"

uint8_t *
of_buf_put(struct of_buf *b, size_t n)
{
	uint8_t *p;

	if (b->oom)
		return NULL;
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap - b->len < n) {
			if (cap > SIZE_MAX / 2) {
				b->oom = true;
				return NULL;
			}
			cap *= 2;
		}
		p = realloc(b->data, cap);
		if (!p) {
			b->oom = true;
			return NULL;
		}
		b->data = p;
		b->cap = cap;
	}
	p = b->data + b->len;
	memset(p, 0, n);
	b->len += n;
	return p;
}

void
of_buf_put8(struct of_buf *b, uint8_t v)
{
	uint8_t *p = of_buf_put(b, 1);

	if (p)
		*p = v;
}

void
of_buf_put16(struct of_buf *b, uint16_t v)
{
	uint8_t *p = of_buf_put(b, 2);

	if (p)
		of_set16(p, v);
}

void
of_buf_put32(struct of_buf *b, uint32_t v)
{
	uint8_t *p = of_buf_put(b, 4);

	if (p)
		of_set32(p, v);
}

void
of_buf_put64(struct of_buf *b, uint64_t v)
{
	uint8_t *p = of_buf_put(b, 8);

	if (p)
		of_set64(p, v);
}

void
of_buf_put_bytes(struct of_buf *b, const void *src, size_t n)
{
	uint8_t *p = of_buf_put(b, n);

	if (p && n)
		memcpy(p, src, n);
}

void
of_buf_pad8(struct of_buf *b, size_t start)
{
	size_t n = (b->len - start) % 8;

	if (n)
		of_buf_put(b, 8 - n);
}

void
of_buf_free(struct of_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

size_t
of_msg_start(struct of_buf *b, uint8_t version, uint8_t type, uint32_t xid)
{
	size_t off = b->len;
	uint8_t *p = of_buf_put(b, OFP_HEADER_LEN);

	if (p) {
		p[0] = version;
		p[1] = type;
		of_set32(p + 4, xid);
	}
	return off;
}

void
of_msg_end(struct of_buf *b, size_t off)
{
	size_t n = b->len - off;

	if (b->oom)
		return;
	/* Encoders keep each message within 64 KB; a longer one is a bug
	 * the length field cannot express, so cap rather than wrap. */
	of_set16(b->data + off + 2, (uint16_t)(n > OF_MAX_MSG ? OF_MAX_MSG : n));
}
