/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: what the Open_vSwitch database sends sluiced --ovsdb,
 * as it takes it: bytes from the socket through the JSON stream
 * (json_stream.c finds where each text ends), the monitor's reply and its
 * "update" notifications into the replica (ovsdb_replica.c), and the
 * replica read as bridges, ports, interfaces, VLANs, bonds and tunnels
 * (ovsdb_plan*.c, ovsdb_data.c). Any rows a database may hold must give a
 * plan or refusals, never a crash, an out-of-bounds read or a leak.
 *
 * What lies outside the decoder is stood in for below: the names' checks
 * (model.c's rules, restated), bond properties (accepted), the kernel's
 * routes (none: a tunnel's next hop stays unknown), discovered VLANs
 * (none).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "json_stream.h"
#include "kernel_netlink.h"
#include "ovsdb.h"
#include "ovsdb_plan.h"

/* ---- stand-ins ------------------------------------------------------- */

static int
name_check(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || strchr(s, '/') || strchr(s, ' '))
		return -1;
	return 0;
}

int
sl_check_device(const char *what, const char *s, struct sl_err *err)
{
	(void)what;
	(void)err;
	return name_check(s, 63);
}

int
sl_check_bridge(const char *what, const char *s, struct sl_err *err)
{
	(void)what;
	(void)err;
	return name_check(s, 15);
}

int
sl_bond_props_parse(json_t *props, struct sl_bond_props *out, struct sl_err *err)
{
	(void)props;
	(void)err;
	memset(out, 0, sizeof(*out));
	return 0;
}

int
sl_kernel_route_get(uint32_t dst, uint32_t src, struct sl_kernel_route *out,
		    char *why, size_t len)
{
	(void)dst;
	(void)src;
	(void)out;
	snprintf(why, len, "no kernel in the fuzzer");
	return -1;
}

const char *
sl_ovsdb_rundir(void)
{
	return "/nonexistent";
}

bool
sl_ovsdb_vlan_discovered(const struct sl_ovsdb *o, const char *bridge_uuid,
			 int tag)
{
	(void)o;
	(void)bridge_uuid;
	(void)tag;
	return false;
}

const char *
sl_tunnel_protocol_name(enum sl_tunnel_protocol p)
{
	return p ? "vxlan" : "gre";
}

/* ---- the target -------------------------------------------------------- */

/* a monitor reply ({"id", "result"}) or an "update" notification */
static void
on_message(void *arg, json_t *msg)
{
	struct sl_ovsdb *o = arg;
	json_t *params = json_object_get(msg, "params");

	if (json_is_object(json_object_get(msg, "result")))
		sl_ovsdb_replica_apply(o, json_object_get(msg, "result"));
	else if (json_is_array(params) && json_array_size(params) == 2)
		sl_ovsdb_replica_apply(o, json_array_get(params, 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sl_ovsdb o;
	struct sl_json_stream s;
	struct sl_ovsdb_plan plan;
	char why[256];
	int fds[2];

	/* a pipe holds 64 KiB: libFuzzer's inputs are smaller */
	if (size > 60000 || pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0)
		return 0;
	if (write(fds[1], data, size) != (ssize_t)size) {
		close(fds[0]);
		close(fds[1]);
		return 0;
	}
	close(fds[1]);
	memset(&o, 0, sizeof(o));
	o.tables = json_object();
	o.unsupported = json_array();
	sl_json_stream_init(&s, fds[0]);
	while (sl_json_stream_read(&s, on_message, &o, why, sizeof(why)) == 0)
		;
	sl_json_stream_close(&s);
	sl_ovsdb_plan_make(&o, &plan);
	sl_ovsdb_plan_free(&plan);
	json_decref(o.tables);
	json_decref(o.unsupported);
	return 0;
}
