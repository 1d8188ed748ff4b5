/* SPDX-License-Identifier: BSD-3-Clause */
/* The capture commands' handlers (declared in ../api). */
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "ctl_server.h"

static int
capture(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	struct sl_err *err)
{
	struct sl_capture_req req;
	struct sl_capture *c;

	if (sl_capture_parse_req(a, &req, err) < 0)
		return -1;
	/* the daemon never opens a path for a client: it writes where the
	 * client could (sluicectl opens file= with the user's rights) */
	if (!a->peer || a->peer->fd < 0)
		return sl_err_set(err, SL_E_CAPTURE_NO_FILE,
				  "capture: no file descriptor came with the request (sluicectl opens file= and passes it)");
	c = sl_capture_start(ctl->rt, &req, &a->peer->fd, a->peer->conn_id, err);
	if (!c)
		return -1;
	*result = json_pack("{s:I}", "id", (json_int_t)c->id);
	return 0;
}

static int
capture_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	     struct sl_err *err)
{
	struct sl_captures *cs = sl_captures(ctl->rt);
	json_t *all = json_array();

	/* the latest counters, and finished writers reaped now rather than
	 * at the next tick */
	sl_capture_reap(ctl->rt);
	for (unsigned int i = 0; i < cs->n; i++)
		json_array_append_new(all, sl_capture_record(cs->v[i]));
	return sl_list_filter(a, sl_capture_fields, all, result, err);
}

static struct sl_capture *
capture_arg(struct sl_ctl *ctl, const struct sl_args *a, struct sl_err *err)
{
	const char *s = sl_arg(a, "id");
	struct sl_capture *c;
	long id;

	if (!s || sl_parse_long("id", s, 1, UINT32_MAX, &id, err) < 0)
		return s ? NULL : (sl_err_set(err, SL_E_MISSING_PARAMETER,
					      "id: this parameter is required"),
				   NULL);
	sl_capture_reap(ctl->rt);
	c = sl_capture_find(ctl->rt, (uint32_t)id);
	if (!c)
		sl_err_set(err, SL_E_CAPTURE_UNKNOWN,
			   "id: no capture has id %ld (see capture-list)", id);
	return c;
}

static int
capture_show(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	     struct sl_err *err)
{
	struct sl_capture *c = capture_arg(ctl, a, err);

	if (!c)
		return -1;
	*result = sl_capture_record(c);
	return 0;
}

static int
capture_stop(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	     struct sl_err *err)
{
	struct sl_capture *c = capture_arg(ctl, a, err);

	if (!c)
		return -1;
	/* the writer finishes the file in its own time (a slow pipe must
	 * not hold the control thread); capture-show tells when it is done */
	sl_capture_request_stop(c, "stopped (capture-stop)");
	*result = sl_capture_record(c);
	return 0;
}

const struct sl_command sl_capture_handlers[] = {
	{ "capture", capture },
	{ "capture-list", capture_list },
	{ "capture-show", capture_show },
	{ "capture-stop", capture_stop },
	{ NULL, NULL },
};
