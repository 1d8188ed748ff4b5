/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON texts over a stream socket (json_stream.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_stream.h"

void
sl_json_stream_init(struct sl_json_stream *s, int fd)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
}

void
sl_json_stream_close(struct sl_json_stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->in);
	free(s->out);
	sl_json_stream_init(s, -1);
}

static int
grow(char **buf, size_t *cap, size_t need)
{
	size_t cap2 = *cap ? *cap : 4096;
	char *b;

	while (cap2 < need)
		cap2 *= 2;
	if (cap2 == *cap)
		return 0;
	b = realloc(*buf, cap2);
	if (!b)
		return -1;
	*buf = b;
	*cap = cap2;
	return 0;
}

/* Scan from s->scanned; call fn for each text that ends. 0, or -1 with
 * why on bytes that cannot be JSON-RPC. */
static int
scan(struct sl_json_stream *s, sl_json_stream_fn fn, void *arg, char *why,
     size_t len)
{
	size_t i;

	for (i = s->scanned; i < s->in_len; i++) {
		char c = s->in[i];

		if (s->in_string) {
			if (s->escaped)
				s->escaped = false;
			else if (c == '\\')
				s->escaped = true;
			else if (c == '"')
				s->in_string = false;
			continue;
		}
		if (s->depth == 0) {
			if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
				s->start = i + 1;
				continue;
			}
			/* a message is an object (RFC 7047 4.1) */
			if (c != '{') {
				snprintf(why, len, "the peer sent '%c' where a JSON-RPC message should start", c);
				return -1;
			}
		}
		if (c == '"') {
			s->in_string = true;
		} else if (c == '{' || c == '[') {
			s->depth++;
		} else if (c == '}' || c == ']') {
			json_error_t jerr;
			json_t *msg;

			if (--s->depth)
				continue;
			msg = json_loadb(s->in + s->start, i + 1 - s->start, 0,
					 &jerr);
			if (!msg) {
				snprintf(why, len, "the peer sent a message that is not JSON: %s",
					 jerr.text);
				return -1;
			}
			fn(arg, msg);
			json_decref(msg);
			s->start = i + 1;
		}
	}
	s->scanned = i;
	/* keep only the text not yet complete */
	if (s->start) {
		memmove(s->in, s->in + s->start, s->in_len - s->start);
		s->in_len -= s->start;
		s->scanned -= s->start;
		s->start = 0;
	}
	return 0;
}

int
sl_json_stream_read(struct sl_json_stream *s, sl_json_stream_fn fn, void *arg,
		    char *why, size_t len)
{
	for (;;) {
		ssize_t n;

		if (s->in_len == SL_JSON_STREAM_MAX) {
			snprintf(why, len, "the peer sent a message over %u MiB",
				 SL_JSON_STREAM_MAX >> 20);
			return -1;
		}
		if (s->in_cap - s->in_len < 4096 &&
		    grow(&s->in, &s->in_cap, s->in_len + 65536 > SL_JSON_STREAM_MAX ?
						     SL_JSON_STREAM_MAX : s->in_len + 65536) < 0) {
			snprintf(why, len, "out of memory");
			return -1;
		}
		n = read(s->fd, s->in + s->in_len, s->in_cap - s->in_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0) {
			snprintf(why, len, "%s", strerror(errno));
			return -1;
		}
		if (n == 0) {
			snprintf(why, len, "the peer closed the connection");
			return -1;
		}
		s->in_len += (size_t)n;
		if (scan(s, fn, arg, why, len) < 0)
			return -1;
	}
}

int
sl_json_stream_flush(struct sl_json_stream *s, char *why, size_t len)
{
	size_t done = 0;

	while (done < s->out_len) {
		ssize_t n = write(s->fd, s->out + done, s->out_len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0) {
			snprintf(why, len, "%s", strerror(errno));
			return -1;
		}
		done += (size_t)n;
	}
	memmove(s->out, s->out + done, s->out_len - done);
	s->out_len -= done;
	return 0;
}

int
sl_json_stream_send(struct sl_json_stream *s, const json_t *msg, char *why,
		    size_t len)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	size_t n;

	if (!text) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	n = strlen(text);
	if (grow(&s->out, &s->out_cap, s->out_len + n) < 0) {
		free(text);
		snprintf(why, len, "out of memory");
		return -1;
	}
	memcpy(s->out + s->out_len, text, n);
	s->out_len += n;
	free(text);
	return sl_json_stream_flush(s, why, len);
}
