/* SPDX-License-Identifier: BSD-3-Clause */
/* A restart's carry-over (warm.h): the FDB's learned MACs and each
 * feature's part, in a JSON file beside the state file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fdb.h"
#include "jsonfile.h"
#include "log.h"
#include "sl_clock.h"
#include "warm.h"

#define FORMAT_KEY "sluice-warm"
#define FORMAT_VERSION 1

void
sl_warm_path(const char *state_path, char *buf, size_t len)
{
	snprintf(buf, len, "%s.warm", state_path);
}

struct fdb_out {
	const struct sl_runtime *rt;
	json_t *list;
	uint32_t now_s;
};

static void
save_entry(const struct sl_fdb_key *k, union sl_fdb_entry e, void *arg)
{
	struct fdb_out *o = arg;
	const struct sl_network *n = sl_model_network_by_dp_id(o->rt->model,
							       k->network);
	char mac[SL_MAC_STR_LEN], port[64];

	/* a VIF's MAC is made again from the VIF */
	if ((e.flags & SL_FDB_STATIC) || !n ||
	    !sl_runtime_port_name(o->rt, e.port, port, sizeof(port)))
		return;
	sl_mac_format(mac, &k->mac);
	json_array_append_new(o->list, json_pack("{s:s, s:s, s:s, s:I}",
		"network-uuid", n->uuid, "MAC", mac, "port", port,
		"age-s", (json_int_t)(o->now_s - e.seen_s)));
}

json_t *
sl_warm_fdb(const struct sl_runtime *rt)
{
	struct fdb_out o = { .rt = rt, .list = json_array(), .now_s = sl_clock_s() };

	if (o.list)
		sl_fdb_walk(rt->dp->fdb, save_entry, &o);
	return o.list;
}

void
sl_warm_save(const struct sl_runtime *rt, const char *path, json_t *fdb)
{
	json_t *list = fdb ? json_incref(fdb) : sl_warm_fdb(rt);
	json_t *root, *features = json_object();
	int rc;

	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->warm_save) {
			json_t *part = (*f)->warm_save(rt);

			if (part)
				json_object_set_new(features, (*f)->name, part);
		}
	root = json_pack("{s:i, s:I, s:o, s:o}", FORMAT_KEY, FORMAT_VERSION,
			 "saved-at", (json_int_t)time(NULL), "fdb", list,
			 "features", features);
	rc = root ? sl_json_write_replace(path, root) : -ENOMEM;
	if (rc < 0)
		SL_LOG(WARNING, "warm restart: cannot write %s: %s; the next start learns the FDB again and counts flows from zero\n",
		       path, strerror(-rc));
	else
		SL_LOG(INFO, "warm restart: %zu learned MACs and the counters saved in %s\n",
		       json_array_size(list), path);
	json_decref(root);
}

/* Every datapath port's name (sl_runtime_port_name; "" for none), made
 * once for the file: each name asks the model and the features. */
static void
port_names(const struct sl_runtime *rt, char (*names)[64])
{
	for (uint16_t p = 0; p < SL_DP_MAX_PORTS; p++)
		if (!sl_runtime_port_name(rt, p, names[p], sizeof(names[p])))
			names[p][0] = '\0';
}

/* A datapath port by its name, or -1. */
static int
port_named(char (*names)[64], const char *name)
{
	for (uint16_t p = 0; p < SL_DP_MAX_PORTS; p++)
		if (names[p][0] && strcmp(names[p], name) == 0)
			return p;
	return -1;
}

/* Learn the saved MACs again, each as old as it was plus the time the
 * switch was down; how many. */
static unsigned int
load_fdb(struct sl_runtime *rt, json_t *list, json_int_t down_s)
{
	uint32_t now_s = sl_clock_s(), aging = rt->dp->fdb->aging_s;
	struct sl_fdb_counters scratch = { 0 };
	unsigned int learned = 0;
	static char names[SL_DP_MAX_PORTS][64];	/* the control thread's */
	json_t *e;
	size_t i;

	port_names(rt, names);
	json_array_foreach(list, i, e) {
		const char *uuid = NULL, *mac_s = NULL, *port_s = NULL;
		json_int_t age = 0;
		struct rte_ether_addr mac;
		const struct sl_network *n;
		struct sl_fdb_key key;
		int port;

		if (json_unpack(e, "{s:s, s:s, s:s, s:I}", "network-uuid", &uuid,
				"MAC", &mac_s, "port", &port_s, "age-s", &age) != 0 ||
		    rte_ether_unformat_addr(mac_s, &mac) != 0 || age < 0)
			continue;
		age += down_s;
		n = sl_model_network_find(rt->model, uuid);
		port = n ? port_named(names, port_s) : -1;
		if (port < 0 || age >= aging || (json_int_t)now_s < age)
			continue;	/* gone, or aged out meanwhile */
		sl_fdb_key_set(&key, n->dp_id, &mac);
		learned += sl_fdb_learn(rt->dp->fdb, &key, false,
					(union sl_fdb_entry){ .u64 = 0 },
					(uint16_t)port, now_s - (uint32_t)age,
					&scratch);
	}
	return learned;
}

void
sl_warm_load(struct sl_runtime *rt, const char *path)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je), *features;
	json_int_t version = 0, saved_at = 0, down_s;
	unsigned int learned;

	if (!root) {
		if (access(path, F_OK) != 0)
			return;		/* a first start, or after a crash */
		SL_LOG(WARNING, "warm restart: %s is not readable JSON (%s, line %d): starting cold\n",
		       path, je.text, je.line);
		goto out;
	}
	if (json_unpack(root, "{s:I, s:I}", FORMAT_KEY, &version, "saved-at",
			&saved_at) != 0 || version != FORMAT_VERSION) {
		SL_LOG(WARNING, "warm restart: %s is not a carry-over of this version: starting cold\n",
		       path);
		goto out;
	}
	down_s = (json_int_t)time(NULL) - saved_at;
	if (down_s < 0)
		down_s = 0;
	learned = load_fdb(rt, json_object_get(root, "fdb"), down_s);
	features = json_object_get(root, "features");
	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->warm_load && json_object_get(features, (*f)->name))
			(*f)->warm_load(rt, json_object_get(features, (*f)->name));
	SL_LOG(NOTICE, "warm restart: %u of %zu learned MACs carried over from %s (down %lld s)\n",
	       learned, json_array_size(json_object_get(root, "fdb")), path,
	       (long long)down_s);
out:
	json_decref(root);
	/* read once: a later crash must not bring back what is old by then */
	if (unlink(path) < 0 && errno != ENOENT)
		SL_LOG(WARNING, "warm restart: cannot remove %s: %s\n", path,
		       strerror(errno));
}
