/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: a trace's packet= (modules/trace/control/
 * trace_packet.c), hex or a field list, as a client sends it. The parser
 * must never read past the string or write past the frame, and what it
 * accepts must be a frame of at least an Ethernet header within the
 * buffer it was given.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace_packet.h"

/* small on purpose: a field list whose frame outgrows it must be refused */
#define CAP 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	uint8_t *frame = malloc(CAP);
	struct sl_err err = { 0 };
	size_t len = 0;

	if (!text || !frame)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (sl_trace_packet_parse(text, frame, CAP, &len, &err) == 0) {
		if (len < 14 || len > CAP)
			abort();
	} else if (!err.code || !err.msg[0]) {
		abort();	/* a refusal says why */
	}
	free(text);
	free(frame);
	return 0;
}
