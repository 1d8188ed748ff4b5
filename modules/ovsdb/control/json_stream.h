/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JSON-RPC over a stream socket as OVS speaks it (RFC 7047 section 4, and
 * OVS's unixctl): JSON texts one after another, with no length and no
 * delimiter. jansson parses a complete text but cannot say where a text
 * ends in a stream, so this file finds the ends itself (brackets counted
 * outside strings) and hands each text to jansson. Writes never block:
 * what the socket does not take waits in a buffer.
 */
#ifndef SL_JSON_STREAM_H
#define SL_JSON_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* A text larger than this is refused (the connection is closed): the
 * largest database reply sluice expects is a few MB. */
#define SL_JSON_STREAM_MAX (64u << 20)

struct sl_json_stream {
	int fd;
	char *in;
	size_t in_len, in_cap;
	size_t scanned;		/* bytes of in[] already scanned */
	size_t start;		/* where the text being scanned starts */
	unsigned int depth;
	bool in_string, escaped;
	char *out;
	size_t out_len, out_cap;
};

typedef void (*sl_json_stream_fn)(void *arg, json_t *msg);

void sl_json_stream_init(struct sl_json_stream *s, int fd);
/* Close the socket and free the buffers. */
void sl_json_stream_close(struct sl_json_stream *s);
/* Read what the socket has and call fn for each complete text (fn takes
 * no reference; it may not close the stream). 0 while the connection
 * lives; -1 with why (a sentence) when it ended or sent what is not
 * JSON. */
int sl_json_stream_read(struct sl_json_stream *s, sl_json_stream_fn fn,
			void *arg, char *why, size_t len);
/* Queue msg and write what the socket takes: 0, or -1 with why. */
int sl_json_stream_send(struct sl_json_stream *s, const json_t *msg,
			char *why, size_t len);
/* Write what is queued: 0, or -1 with why. */
int sl_json_stream_flush(struct sl_json_stream *s, char *why, size_t len);
/* Whether bytes wait for the socket (watch it for EPOLLOUT). */
static inline bool
sl_json_stream_pending(const struct sl_json_stream *s)
{
	return s->out_len > 0;
}

#endif
