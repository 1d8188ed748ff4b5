/* SPDX-License-Identifier: BSD-3-Clause */
/* Commands about the whole switch: status, stats, the FDB, network reset,
 * and the commands themselves. */
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>

#include "ctl.h"
#include "feature.h"
#include "log.h"
#include "persist.h"
#include "ctl_server.h"
#include "report.h"
#include "sl_clock.h"
#include "state.h"
#include "stats_mark.h"

static int
status(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
       struct sl_err *err)
{
	const struct sl_runtime *rt = ctl->rt;
	unsigned int nets = 0, pifs = 0, vifs = 0, attached = 0;
	const struct sl_network *n;
	const struct sl_pif *p;
	const struct sl_vif *v;
	json_t *lcores = json_array();

	(void)a;
	(void)err;
	TAILQ_FOREACH(n, &ctl->model->networks, next)
		nets++;
	TAILQ_FOREACH(p, &ctl->model->pifs, next) {
		pifs++;
		attached += p->ep.port_id != SL_PORT_NONE;
	}
	TAILQ_FOREACH(v, &ctl->model->vifs, next) {
		vifs++;
		attached += v->ep.port_id != SL_PORT_NONE;
	}
	for (uint16_t i = 0; i < rt->nb_workers; i++)
		json_array_append_new(lcores, json_integer(rt->worker_lcore[i]));
	*result = json_pack("{s:s, s:f, s:i, s:o, s:s, s:s, s:s, s:s,"
			    " s:i, s:i, s:i, s:i, s:I, s:I, s:i, s:I, s:I, s:I}",
			    "version", SLUICE_VERSION,
			    "uptime-s",
			    (double)(rte_get_tsc_cycles() - rt->start_tsc) /
				    (double)rte_get_tsc_hz(),
			    "workers", rt->nb_workers, "worker-lcores", lcores,
			    "memory", ctl->host.hugepages ? "hugepages (--in-memory)" : "--no-huge",
			    "eal-file-prefix", ctl->host.eal_file_prefix,
			    "socket", ctl->host.socket_path,
			    "state-file", ctl->host.state_path ? ctl->host.state_path : "",
			    "networks", nets, "PIFs", pifs, "VIFs", vifs,
			    "attached-ports", attached,
			    "fdb-entries", (json_int_t)sl_fdb_count(rt->dp->fdb),
			    "snapshot-version", (json_int_t)sl_dp_snapshot(rt->dp)->version,
			    "control-clients",
			    ctl->server ? sl_ctl_server_clients(ctl->server) : 0u,
			    "control-requests", (json_int_t)ctl->requests,
			    "control-failures", (json_int_t)ctl->failures,
			    "refused-peers",
			    (json_int_t)(ctl->server ? sl_ctl_server_refused(ctl->server) : 0));
	/* how much a start would replay (persist.h) */
	if (rt->host.persist) {
		json_object_set_new(*result, "journal-changes",
				    json_integer(rt->host.persist->journal_changes));
		json_object_set_new(*result, "journal-bytes",
				    json_integer((json_int_t)rt->host.persist->journal.size));
	}
	json_object_set_new(*result, "idle-sleep-max-us",
			    json_integer(rt->dp->workers[0].idle_sleep_max_us));
	if (ctl->server) {
		struct sl_ctl_server_counts c = sl_ctl_server_counts(ctl->server);

		json_object_set_new(*result, "control-refused-full",
				    json_integer((json_int_t)c.refused_full));
		json_object_set_new(*result, "control-refused-per-uid",
				    json_integer((json_int_t)c.refused_per_uid));
		json_object_set_new(*result, "control-idle-closed",
				    json_integer((json_int_t)c.idle_closed));
	}
	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->status)
			(*f)->status(rt, *result);
	return 0;
}

static int
stats(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
      struct sl_err *err)
{
	(void)a;
	(void)err;
	*result = sl_stats_since(sl_report_stats(ctl->rt), ctl->stats_mark);
	json_object_set_new(*result, "mbufs",
			    json_pack("{s:I, s:I}", "pool-size",
				      (json_int_t)ctl->rt->pool->size, "available",
				      (json_int_t)rte_mempool_avail_count(ctl->rt->pool)));
	return 0;
}

/* The log types module= names: "dpdk" is DPDK's libraries and drivers. */
static int
log_patterns(const char *module, const char *out[2])
{
	if (strcmp(module, "dpdk") == 0) {
		out[0] = "lib.*";
		out[1] = "pmd.*";
		return 2;
	}
	out[0] = module;
	return 1;
}

static void
add_levels(json_t *out, const char *pattern)
{
	json_t *levels = sl_log_levels(pattern);

	json_array_extend(out, levels);
	json_decref(levels);
}

/* log-level [set=LEVEL] [module=PATTERN]: the levels of the types module
 * names (after setting them) */
static int
log_level(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	  struct sl_err *err)
{
	const char *set = sl_arg(a, "set"), *module = sl_arg(a, "module");
	const char *patterns[2];
	int level = set ? sl_log_level_parse(set) : 0, n;

	(void)ctl;
	if (set && level < 0)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "set: '%s' is not a level (emergency, alert, critical, error, warning, notice, info, debug)",
				  set);
	if (!module)
		module = set ? "sluice" : "*";
	n = log_patterns(module, patterns);
	*result = json_array();
	for (int i = 0; i < n; i++)
		add_levels(*result, patterns[i]);
	if (json_array_size(*result) == 0) {
		json_decref(*result);
		*result = NULL;
		return sl_err_set(err, SL_E_HANDLE_INVALID,
				  "module: no log type is named '%s' (log-level lists them)",
				  module);
	}
	if (!set)
		return 0;
	for (int i = 0; i < n; i++)
		if (rte_log_set_level_pattern(patterns[i], (uint32_t)level) < 0) {
			json_decref(*result);
			*result = NULL;
			return sl_err_set(err, SL_E_INTERNAL_ERROR,
					  "module: DPDK could not set the level of '%s' (out of memory)",
					  patterns[i]);
		}
	SL_LOG(NOTICE, "log level of %s set to %s\n", module, set);
	json_decref(*result);
	*result = json_array();
	for (int i = 0; i < n; i++)
		add_levels(*result, patterns[i]);
	return 0;
}

/* stats counts from now on (stats_mark.h); "" back */
static int
stats_clear(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	    struct sl_err *err)
{
	(void)a;
	(void)err;
	json_decref(ctl->stats_mark);
	ctl->stats_mark = sl_report_stats(ctl->rt);
	*result = json_string("");
	return 0;
}

/* bridge= or network-uuid=, or neither (every network). */
static int
network_filter(struct sl_ctl *ctl, const struct sl_args *a,
	       struct sl_network **out, struct sl_err *err)
{
	const char *bridge = sl_arg(a, "bridge");
	struct sl_network *n;

	*out = NULL;
	if (sl_arg(a, "network-uuid")) {
		*out = sl_arg_network(ctl, a, "network-uuid", err);
		return *out ? 0 : -1;
	}
	if (!bridge)
		return 0;
	TAILQ_FOREACH(n, &ctl->model->networks, next)
		if (strcmp(n->bridge, bridge) == 0) {
			*out = n;
			return 0;
		}
	return sl_err_set(err, SL_E_HANDLE_INVALID,
			  "bridge: no network has bridge %s", bridge);
}

struct fdb_dump {
	struct sl_ctl *ctl;
	const struct sl_network *only;
	json_t *out;
	uint32_t now;
};

static void
dump_entry(const struct sl_fdb_key *k, union sl_fdb_entry e, void *arg)
{
	struct fdb_dump *d = arg;
	const struct sl_network *n = sl_model_network_by_dp_id(d->ctl->model,
							       k->network);
	const struct sl_endpoint *ep = sl_model_endpoint_by_port(d->ctl->model,
								 e.port);
	char mac[SL_MAC_STR_LEN], remote[SL_IPV4_STR_LEN] = "";
	const char *class = ep ? (ep->is_vif ? "VIF" : "PIF") : "";

	if (!n || (d->only && n != d->only))
		return;
	sl_mac_format(mac, &k->mac);
	/* learned from a feature's port: a remote host of a private network */
	if (!ep && sl_features_port_name(d->ctl->rt, e.port, remote,
					 sizeof(remote)))
		class = "remote";
	json_array_append_new(d->out,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:I}",
			  "bridge", n->bridge, "network-uuid", n->uuid,
			  "MAC", mac, "device", ep ? ep->device : "",
			  "class", class, "remote", remote,
			  "static", (e.flags & SL_FDB_STATIC) != 0,
			  "age-s", (json_int_t)(d->now - e.seen_s)));
}

static int
by_bridge_then_mac(const void *x, const void *y)
{
	json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	int c = strcmp(json_string_value(json_object_get(a, "bridge")),
		       json_string_value(json_object_get(b, "bridge")));

	return c ? c : strcmp(json_string_value(json_object_get(a, "MAC")),
			      json_string_value(json_object_get(b, "MAC")));
}

static int
fdb_show(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	 struct sl_err *err)
{
	struct fdb_dump d = { .ctl = ctl, .out = json_array(), .now = sl_clock_s() };
	struct sl_network *only;
	json_t **items, *sorted = json_array();
	size_t n, i;

	if (network_filter(ctl, a, &only, err) < 0) {
		json_decref(d.out);
		json_decref(sorted);
		return -1;
	}
	d.only = only;
	sl_fdb_walk(ctl->rt->dp->fdb, dump_entry, &d);
	n = json_array_size(d.out);
	items = calloc(n ? n : 1, sizeof(*items));
	for (i = 0; i < n; i++)
		items[i] = json_array_get(d.out, i);
	qsort(items, n, sizeof(*items), by_bridge_then_mac);
	for (i = 0; i < n; i++)
		json_array_append(sorted, items[i]);
	free(items);
	json_decref(d.out);
	*result = sorted;
	return 0;
}

static int
fdb_flush(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	  struct sl_err *err)
{
	struct sl_network *only;
	uint32_t n;

	if (network_filter(ctl, a, &only, err) < 0)
		return -1;
	/* learned entries only: a VIF's own MAC stays known */
	n = sl_fdb_flush(ctl->rt->dp->fdb, SL_FDB_ANY,
			 only ? only->dp_id : SL_FDB_ANY, false);
	*result = json_pack("{s:I}", "flushed", (json_int_t)n);
	return 0;
}

/* XAPI's network reset: PIFs go, and the VLANs, bonds, tunnels and SR-IOV
 * networks made of them; networks and VIFs stay (but VFs' VIFs, which are
 * pieces of a PF). */
static int
reset_networking(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		 struct sl_err *err)
{
	const struct sl_feature *const *features = ctl->rt->features;
	const struct sl_feature *const *f = features;
	struct sl_vlan *v;
	struct sl_pif *p;
	unsigned int n = 0, nv = 0;
	json_t *out = json_object();

	(void)a;
	(void)err;
	TAILQ_FOREACH(v, &ctl->model->vlans, next)
		nv++;
	/* the features' objects made of PIFs, each counted by its feature
	 * in out; in the reverse order of the list, so that what rides on
	 * an earlier feature's PIF (a tunnel on a bond's) goes first */
	while (*f)
		f++;
	while (f-- != features)
		if ((*f)->reset_networking)
			n += (*f)->reset_networking(ctl->rt, out);
	while ((v = TAILQ_FIRST(&ctl->model->vlans))) {
		sl_runtime_vlan_destroy(ctl->rt, v);
		n++;	/* the VLAN's PIF */
	}
	while ((p = TAILQ_FIRST(&ctl->model->pifs))) {
		sl_runtime_pif_forget(ctl->rt, p);
		n++;
	}
	json_object_set_new(out, "PIFs-removed", json_integer(n));
	json_object_set_new(out, "VLANs-removed", json_integer(nv));
	*result = out;
	return 0;
}

/* file= is sluicectl's: the daemon never writes a path a client names. */
static int
state_export(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	     struct sl_err *err)
{
	(void)a;
	*result = sl_state_to_json(ctl->model, ctl->rt->features);
	return *result ? 0 : sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
}

const struct sl_command sl_host_handlers[] = {
	{ "status", status },
	{ "stats", stats },
	{ "stats-clear", stats_clear },
	{ "log-level", log_level },
	{ "fdb-show", fdb_show },
	{ "fdb-flush", fdb_flush },
	{ "reset-networking", reset_networking },
	{ "state-export", state_export },
	{ NULL, NULL },
};
