/* SPDX-License-Identifier: BSD-3-Clause */
/* A trace's packet= as a frame (trace_packet.c). */
#ifndef SL_TRACE_PACKET_H
#define SL_TRACE_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "sl_error.h"

/* The longest frame a trace takes: a jumbo frame with two tags. */
#define SL_TRACE_FRAME_MAX 9234

/* packet= as a frame into frame (cap bytes): hex, or a field list; its
 * length into *len. -1 with err (TRACE_PACKET_INVALID) if it is neither. */
int sl_trace_packet_parse(const char *text, uint8_t *frame, size_t cap,
			  size_t *len, struct sl_err *err);

#endif
