/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <string.h>

#include <rte_telemetry.h>

#include "telemetry.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *latest;	/* immutable once published; refcounts are atomic */

void
sl_telemetry_update(json_t *stats)
{
	json_t *old;

	json_incref(stats);
	pthread_mutex_lock(&lock);
	old = latest;
	latest = stats;
	pthread_mutex_unlock(&lock);
	json_decref(old);
}

static json_t *
take(void)
{
	json_t *st;

	pthread_mutex_lock(&lock);
	st = json_incref(latest);
	pthread_mutex_unlock(&lock);
	return st;
}

/* The flat values of a JSON object as a telemetry dict. DPDK 22.11's
 * telemetry carries no floating point: a real (uptime-s, busy-pct) is
 * rounded to the nearest integer of the unit its name says; the control
 * socket's stats and the Prometheus metrics have the fractions. */
static void
add_flat(struct rte_tel_data *d, json_t *o)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v) {
		if (json_is_integer(v))
			rte_tel_data_add_dict_u64(d, key, (uint64_t)json_integer_value(v));
		else if (json_is_real(v) && json_real_value(v) >= 0)
			rte_tel_data_add_dict_u64(d, key,
						  (uint64_t)(json_real_value(v) + 0.5));
		else if (json_is_string(v))
			rte_tel_data_add_dict_string(d, key, json_string_value(v));
	}
}

/* A port's key in /sluice/ports. Telemetry's names allow only letters,
 * digits, '_' and '/' (and 22.11 has no list of dicts), so "vif1.0" and
 * "xapi-1" could never be keys and were left out: the others become '_'
 * ("vif1_0"), the exact name stays in the entry's "device", and a key
 * another port took already gets the port id after it. */
static void
port_key(json_t *taken, const char *device, json_int_t port_id, char *key,
	 size_t len)
{
	snprintf(key, len, "%s", device);
	for (char *c = key; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '/')
			*c = '_';
	if (json_object_get(taken, key))
		snprintf(key + strlen(key), len - strlen(key), "_%" JSON_INTEGER_FORMAT,
			 port_id);
	json_object_set_new(taken, key, json_true());
}

static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	json_t *st = take(), *p, *taken = json_object();
	size_t i;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	json_array_foreach(json_object_get(st, "ports"), i, p) {
		struct rte_tel_data *c = rte_tel_data_alloc();
		char key[RTE_TEL_MAX_STRING_LEN];

		if (!c)
			break;
		rte_tel_data_start_dict(c);
		add_flat(c, p);
		port_key(taken, json_string_value(json_object_get(p, "device")),
			 json_integer_value(json_object_get(p, "port_id")), key,
			 sizeof(key));
		if (rte_tel_data_add_dict_container(d, key, c, 0) < 0)
			rte_tel_data_free(c);
	}
	json_decref(taken);
	json_decref(st);
	return 0;
}

static int
tel_port(const char *cmd, const char *params, struct rte_tel_data *d)
{
	json_t *st = take(), *p;
	size_t i;
	int rc = -EINVAL;

	(void)cmd;
	json_array_foreach(json_object_get(st, "ports"), i, p) {
		if (params && strcmp(params,
				     json_string_value(json_object_get(p, "device"))) == 0) {
			rte_tel_data_start_dict(d);
			add_flat(d, p);
			rc = 0;
			break;
		}
	}
	json_decref(st);
	return rc;
}

static int
tel_drops(const char *cmd, const char *params, struct rte_tel_data *d)
{
	json_t *st = take();

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	add_flat(d, json_object_get(st, "drops"));
	json_decref(st);
	return 0;
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	json_t *st = take(), *w;
	const char *key;
	json_t *sub;
	size_t i;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	add_flat(d, st);
	json_object_foreach(st, key, sub) {
		struct rte_tel_data *c;

		if (!json_is_object(sub) || strcmp(key, "drops") == 0)
			continue;
		c = rte_tel_data_alloc();
		if (!c)
			break;
		rte_tel_data_start_dict(c);
		add_flat(c, sub);
		if (rte_tel_data_add_dict_container(d, key, c, 0) < 0)
			rte_tel_data_free(c);	/* a name telemetry refuses */
	}
	json_array_foreach(json_object_get(st, "workers"), i, w) {
		struct rte_tel_data *c = rte_tel_data_alloc();
		char name[32];

		if (!c)
			break;
		rte_tel_data_start_dict(c);
		add_flat(c, w);
		snprintf(name, sizeof(name), "worker%zu", i);
		if (rte_tel_data_add_dict_container(d, name, c, 0) < 0)
			rte_tel_data_free(c);
	}
	json_decref(st);
	return 0;
}

int
sl_telemetry_init(void)
{
	if (rte_telemetry_register_cmd("/sluice/ports", tel_ports,
				       "Counters of every attached port, by device name ('_' for '.', '-'). No parameters") ||
	    rte_telemetry_register_cmd("/sluice/port", tel_port,
				       "Counters of one port. Parameter: device name") ||
	    rte_telemetry_register_cmd("/sluice/drops", tel_drops,
				       "Packets dropped, by reason. No parameters") ||
	    rte_telemetry_register_cmd("/sluice/stats", tel_stats,
				       "Switch-wide counters: FDB, datapath, workers. No parameters"))
		return -EINVAL;
	return 0;
}

void
sl_telemetry_fini(void)
{
	sl_telemetry_update(NULL);
}
