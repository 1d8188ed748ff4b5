/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
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

/* The flat values of a JSON object as a telemetry dict. */
static void
add_flat(struct rte_tel_data *d, json_t *o)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v) {
		if (json_is_integer(v))
			rte_tel_data_add_dict_u64(d, key, (uint64_t)json_integer_value(v));
		else if (json_is_real(v))
			/* telemetry has no floats in 22.11: hundredths */
			rte_tel_data_add_dict_u64(d, key,
						  (uint64_t)(json_real_value(v) * 100));
		else if (json_is_string(v))
			rte_tel_data_add_dict_string(d, key, json_string_value(v));
	}
}

static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	json_t *st = take(), *p;
	size_t i;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	json_array_foreach(json_object_get(st, "ports"), i, p) {
		struct rte_tel_data *c = rte_tel_data_alloc();

		if (!c)
			break;
		rte_tel_data_start_dict(c);
		add_flat(c, p);
		rte_tel_data_add_dict_container(d,
			json_string_value(json_object_get(p, "device")), c, 0);
	}
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
		rte_tel_data_add_dict_container(d, key, c, 0);
	}
	json_array_foreach(json_object_get(st, "workers"), i, w) {
		struct rte_tel_data *c = rte_tel_data_alloc();
		char name[32];

		if (!c)
			break;
		rte_tel_data_start_dict(c);
		add_flat(c, w);
		snprintf(name, sizeof(name), "worker%zu", i);
		rte_tel_data_add_dict_container(d, name, c, 0);
	}
	json_decref(st);
	return 0;
}

int
sl_telemetry_init(void)
{
	if (rte_telemetry_register_cmd("/sluice/ports", tel_ports,
				       "Counters of every attached port. No parameters") ||
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
