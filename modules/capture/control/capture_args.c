/* SPDX-License-Identifier: BSD-3-Clause */
/* The capture command's arguments: each failure names the argument and
 * what would be right. */
#include <limits.h>
#include <string.h>

#include "capture.h"

/* A day: longer is more likely a typo than a wish. */
#define DURATION_MAX_S 86400

static int
parse_direction(const char *s, struct sl_capture_req *req, struct sl_err *err)
{
	req->rx = req->tx = true;
	if (!s || strcmp(s, "both") == 0)
		return 0;
	if (strcmp(s, "in") == 0) {
		req->tx = false;
		return 0;
	}
	if (strcmp(s, "out") == 0) {
		req->rx = false;
		return 0;
	}
	return sl_err_set(err, SL_E_INVALID_VALUE,
			  "direction: '%s' is not in, out or both", s);
}

int
sl_capture_parse_req(const struct sl_args *a, struct sl_capture_req *req,
		     struct sl_err *err)
{
	const char *s;
	long v;

	memset(req, 0, sizeof(*req));
	req->snaplen = SL_CAPTURE_SNAPLEN_MAX;
	if (sl_arg_required(a, "port", &req->device, err) < 0 ||
	    parse_direction(sl_arg(a, "direction"), req, err) < 0)
		return -1;
	if ((s = sl_arg(a, "count"))) {
		if (sl_parse_long("count", s, 1, LONG_MAX, &v, err) < 0)
			return -1;
		req->count = (uint64_t)v;
	}
	if ((s = sl_arg(a, "duration"))) {
		if (sl_parse_long("duration", s, 1, DURATION_MAX_S, &v, err) < 0)
			return -1;
		req->duration_s = (uint64_t)v;
	}
	if ((s = sl_arg(a, "snaplen"))) {
		if (sl_parse_long("snaplen", s, SL_CAPTURE_SNAPLEN_MIN,
				  SL_CAPTURE_SNAPLEN_MAX, &v, err) < 0)
			return -1;
		req->snaplen = (uint32_t)v;
	}
	s = sl_arg(a, "filter");
	if (s && strlen(s) >= SL_CAPTURE_FILTER_MAX)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "filter: longer than %d characters",
				  SL_CAPTURE_FILTER_MAX - 1);
	/* an empty filter is no filter, as tcpdump takes it */
	req->filter = s && *s ? s : NULL;
	return 0;
}
