/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PIF and VIF commands. Both are ports of a network, so plugging,
 * unplugging and their parameters work the same way; what differs (how one
 * is made and forgotten, the management flag) is kept apart.
 */
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>

#include "ctl.h"
#include "offloads.h"

struct ep_class {
	const char *name;
	struct sl_endpoint *(*find)(struct sl_ctl *ctl, const struct sl_args *a,
				    struct sl_err *err);
	json_t *(*record)(const struct sl_ctl *ctl, const struct sl_endpoint *ep);
};

static struct sl_endpoint *
find_pif(struct sl_ctl *ctl, const struct sl_args *a, struct sl_err *err)
{
	struct sl_pif *p = sl_arg_pif(ctl, a, err);

	return p ? &p->ep : NULL;
}

static struct sl_endpoint *
find_vif(struct sl_ctl *ctl, const struct sl_args *a, struct sl_err *err)
{
	struct sl_vif *v = sl_arg_vif(ctl, a, err);

	return v ? &v->ep : NULL;
}

static json_t *
pif_record(const struct sl_ctl *ctl, const struct sl_endpoint *ep)
{
	return sl_pif_record(ctl->rt->features, ctl->model, SL_PIF_OF(ep));
}

static json_t *
vif_record(const struct sl_ctl *ctl, const struct sl_endpoint *ep)
{
	return sl_vif_record(ctl->rt->features, ctl->model, SL_VIF_OF(ep));
}

static const struct ep_class pif_class = { "PIF", find_pif, pif_record };
static const struct ep_class vif_class = { "VIF", find_vif, vif_record };

/* ---- shared ------------------------------------------------------------- */

static int
ep_plug(struct sl_ctl *ctl, struct sl_args *a, const struct ep_class *c,
	json_t **result, struct sl_err *err)
{
	struct sl_endpoint *ep = c->find(ctl, a, err);

	if (!ep || sl_runtime_plug(ctl->rt, ep, err) < 0)
		return -1;
	*result = json_null();
	return 0;
}

static int
ep_param_get(struct sl_ctl *ctl, struct sl_args *a, const struct ep_class *c,
	     json_t **result, struct sl_err *err)
{
	struct sl_endpoint *ep = c->find(ctl, a, err);
	json_t *rec;
	int rc;

	if (!ep)
		return -1;
	rec = c->record(ctl, ep);
	rc = sl_param_get(a, rec, result, err);
	json_decref(rec);
	return rc;
}

static int
ep_param_list(struct sl_ctl *ctl, struct sl_args *a, const struct ep_class *c,
	      json_t **result, struct sl_err *err)
{
	struct sl_endpoint *ep = c->find(ctl, a, err);

	if (!ep)
		return -1;
	*result = c->record(ctl, ep);
	return 0;
}

/* Fields shown but owned by the switch or by how the object was made. */
static const char *const read_only[] = {
	"device", "MAC", "network-uuid", "bridge", "MTU", "VLAN",
	"currently-attached", NULL
};

/* devargs and other-config, common to both classes. The new other-config
 * is checked whole before it replaces the old one; offload changes on a
 * plugged port re-open it, and a refusal puts the old settings back. */
static int
ep_param_set(struct sl_ctl *ctl, struct sl_args *a, struct sl_endpoint *ep,
	     struct sl_err *err)
{
	const char *devargs = sl_arg(a, "devargs");
	struct sl_offloads off;
	json_t *oc, *old;
	bool replug;

	for (const char *const *f = read_only; *f; f++)
		if (sl_arg(a, *f))
			return sl_err_set(err, SL_E_FIELD_READ_ONLY,
					  "%s: this field is read-only", *f);
	if (devargs) {
		if (!ep->is_vif && SL_PIF_OF(ep)->vlan_master_of)
			return sl_err_set(err, SL_E_PIF_IS_VLAN,
					  "devargs: a VLAN's PIF rides on the port of the PIF carrying it");
		if (sl_role_refuse(ctl->model, ep, SL_ACT_SET_DEVARGS, NULL,
				   err) < 0)
			return -1;
		if (ep->port_id != SL_PORT_NONE)
			return sl_err_set(err, SL_E_OPERATION_NOT_ALLOWED,
					  "devargs: %s is plugged; unplug it to change its port",
					  ep->device);
		if (sl_check_devargs("devargs", devargs, err) < 0)
			return -1;
	}
	oc = json_deep_copy(ep->other_config);
	if (sl_other_config_set(a, oc, err) < 0 ||
	    sl_offloads_parse(oc, &off, err) < 0 ||
	    sl_features_check_other_config(ctl->rt->features,
					   ep->is_vif ? SL_OBJ_VIF : SL_OBJ_PIF,
					   oc, err) < 0) {
		json_decref(oc);
		return -1;
	}
	/* offloads belong to a port of one's own */
	if (!ep->is_vif && SL_PIF_OF(ep)->vlan_master_of &&
	    sl_offloads_differ(ep->other_config, oc)) {
		json_decref(oc);
		return sl_err_set(err, SL_E_OFFLOAD_NOT_SUPPORTED,
				  "other-config: a VLAN's PIF has no port of its own: set ethtool-* on the PIF carrying it");
	}
	if (sl_offloads_differ(ep->other_config, oc) &&
	    sl_role_refuse(ctl->model, ep, SL_ACT_SET_OFFLOADS, NULL, err) < 0) {
		json_decref(oc);
		return -1;
	}
	/* nothing refused: the change is made (devargs are for an
	 * unplugged port, used when it is plugged) */
	if (devargs)
		snprintf(ep->devargs, sizeof(ep->devargs), "%s", devargs);
	replug = ep->port_id != SL_PORT_NONE &&
		 sl_offloads_differ(ep->other_config, oc);
	if (replug) {
		/* refuse before touching a port that carries traffic */
		char why[SL_ERRMSG_MAX];

		if (sl_port_offloads_check(&ctl->rt->ports[ep->port_id], off.rx,
					   off.tx, why, sizeof(why)) < 0) {
			json_decref(oc);
			return sl_err_set(err, SL_E_OFFLOAD_NOT_SUPPORTED,
					  "other-config: %s", why);
		}
	}
	old = ep->other_config;
	ep->other_config = oc;
	if (replug) {
		struct sl_err why = { 0 }, ignore = { 0 };

		if (sl_runtime_replug(ctl->rt, ep, &why) < 0) {
			char reason[SL_ERRMSG_MAX];

			snprintf(reason, sizeof(reason), "%s", ep->error);
			ep->other_config = old;
			sl_runtime_plug(ctl->rt, ep, &ignore);
			json_decref(oc);
			return sl_err_set(err, SL_E_OFFLOAD_NOT_SUPPORTED,
					  "other-config: %s; the old settings are kept",
					  reason);
		}
	}
	/* a feature may act on its keys (a tunnel's next hop) */
	if (sl_features_other_config_changed(ctl->rt->features,
					     ep->is_vif ? SL_OBJ_VIF : SL_OBJ_PIF,
					     old, oc))
		sl_runtime_apply(ctl->rt);
	json_decref(old);
	return 0;
}

static int
ep_param_remove(struct sl_ctl *ctl, struct sl_args *a,
		const struct ep_class *c, json_t **result, struct sl_err *err)
{
	struct sl_endpoint *ep = c->find(ctl, a, err);
	json_t *before;
	int rc;

	if (!ep)
		return -1;
	before = json_deep_copy(ep->other_config);
	rc = sl_other_config_remove(a, ep->other_config, err);
	/* dropping an ethtool key goes back to the default: re-open */
	if (rc == 0 && ep->port_id != SL_PORT_NONE &&
	    sl_offloads_differ(before, ep->other_config))
		rc = sl_runtime_replug(ctl->rt, ep, err);
	if (rc == 0 &&
	    sl_features_other_config_changed(ctl->rt->features,
					     ep->is_vif ? SL_OBJ_VIF : SL_OBJ_PIF,
					     before, ep->other_config))
		sl_runtime_apply(ctl->rt);
	json_decref(before);
	if (rc < 0)
		return -1;
	*result = json_null();
	return 0;
}

/* ---- PIFs --------------------------------------------------------------- */

/* As XCP-ng names the network of a new PIF: ethN gets xenbrN when free. */
static struct sl_network *
network_for_device(struct sl_ctl *ctl, const char *device, struct sl_err *err)
{
	struct sl_network_spec spec = { 0 };
	char bridge[SL_BRIDGE_MAX], label[SL_NAME_LABEL_MAX];
	struct sl_network *n;
	unsigned int num;
	char tail;

	if (sscanf(device, "eth%u%c", &num, &tail) == 1) {
		snprintf(bridge, sizeof(bridge), "xenbr%u", num);
		TAILQ_FOREACH(n, &ctl->model->networks, next)
			if (strcmp(n->bridge, bridge) == 0)
				break;
		if (!n)
			goto make;
	}
	for (num = 0;; num++) {
		snprintf(bridge, sizeof(bridge), "xenbr%u", num);
		TAILQ_FOREACH(n, &ctl->model->networks, next)
			if (strcmp(n->bridge, bridge) == 0)
				break;
		if (!n)
			break;
	}
make:
	snprintf(label, sizeof(label), "Pool-wide network associated with %s",
		 device);
	spec.bridge = bridge;
	spec.name_label = label;
	return sl_model_network_add(ctl->model, &spec, err);
}

static int
pif_introduce(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	      struct sl_err *err)
{
	struct sl_endpoint_spec spec = {
		.mac = sl_arg(a, "mac"), .network_uuid = sl_arg(a, "network-uuid"),
		.vlan = -1,
	};
	struct sl_network *made = NULL;
	struct sl_offloads off;
	struct sl_pif *p;
	json_t *oc = json_object();

	if (sl_arg_required(a, "device", &spec.device, err) < 0 ||
	    sl_arg_required(a, "devargs", &spec.devargs, err) < 0 ||
	    sl_check_device("device", spec.device, err) < 0 ||
	    sl_check_devargs("devargs", spec.devargs, err) < 0 ||
	    (spec.mac && sl_check_mac("mac", spec.mac, &(struct rte_ether_addr){ 0 }, err) < 0) ||
	    (spec.network_uuid && !sl_arg_network(ctl, a, "network-uuid", err)) ||
	    sl_other_config_set(a, oc, err) < 0 ||
	    sl_offloads_parse(oc, &off, err) < 0)
		goto fail;
	if (!spec.network_uuid) {
		made = network_for_device(ctl, spec.device, err);
		if (!made)
			goto fail;
		spec.network_uuid = made->uuid;
	}
	spec.other_config = oc;
	p = sl_model_pif_add(ctl->model, &spec, err);
	if (!p) {
		if (made)
			sl_model_network_remove(ctl->model, made);
		goto fail;
	}
	json_decref(oc);
	sl_runtime_apply(ctl->rt);
	*result = json_string(p->ep.uuid);
	return 0;
fail:
	json_decref(oc);
	return -1;
}

static int
refuse_management(const struct sl_pif *p, const char *what, struct sl_err *err)
{
	if (!p->management)
		return 0;
	return sl_err_set(err, SL_E_PIF_IS_MANAGEMENT_INTERFACE,
			  "PIF %s (%s) is the management interface; %s it only after pif-param-set management=false",
			  p->ep.uuid, p->ep.device, what);
}

static int
pif_plug(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	 struct sl_err *err)
{
	struct sl_pif *p = sl_arg_pif(ctl, a, err);

	if (!p || sl_role_refuse(ctl->model, &p->ep, SL_ACT_PLUG, NULL, err) < 0)
		return -1;
	/* a VLAN's PIF needs the PIF carrying its tag */
	if (p->vlan_master_of &&
	    sl_runtime_plug(ctl->rt, &p->vlan_master_of->tagged->ep, err) < 0)
		return -1;
	if (sl_runtime_plug(ctl->rt, &p->ep, err) < 0)
		return -1;
	*result = json_null();
	return 0;
}

static int
pif_unplug(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	   struct sl_err *err)
{
	struct sl_pif *p = sl_arg_pif(ctl, a, err);

	if (!p || refuse_management(p, "unplug", err) < 0 ||
	    sl_role_refuse(ctl->model, &p->ep, SL_ACT_UNPLUG, NULL, err) < 0)
		return -1;
	sl_runtime_unplug(ctl->rt, &p->ep);
	*result = json_null();
	return 0;
}

/* A PIF that carries VLANs stays until they go; a VLAN's PIF goes with
 * its VLAN. */
static int
refuse_vlans(struct sl_ctl *ctl, const struct sl_pif *p, struct sl_err *err)
{
	const struct sl_vlan *v;

	if (p->vlan_master_of)
		return sl_err_set(err, SL_E_PIF_IS_VLAN,
				  "PIF %s is VLAN %d's: vlan-destroy uuid=%s instead",
				  p->ep.uuid, p->vlan, p->vlan_master_of->uuid);
	TAILQ_FOREACH(v, &ctl->model->vlans, next)
		if (v->tagged == p)
			return sl_err_set(err, SL_E_PIF_VLAN_STILL_EXISTS,
					  "PIF %s still carries VLAN %u (%s): vlan-destroy it first",
					  p->ep.device, v->tag, v->uuid);
	return 0;
}

/* A feature's PIF goes with its object (bond-destroy, tunnel-destroy,
 * ...), and a PIF its objects use (a tunnel's transport, an SR-IOV PF)
 * stays while they do: the role and the features say so. */
static int
refuse_features(struct sl_ctl *ctl, const struct sl_pif *p,
		enum sl_role_action a, struct sl_err *err)
{
	if (sl_role_refuse(ctl->model, &p->ep, a, NULL, err) < 0)
		return -1;
	return sl_features_refuse_pif(ctl->rt->features, ctl->model, p, a, err);
}

static int
pif_forget(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	   struct sl_err *err)
{
	struct sl_pif *p = sl_arg_pif(ctl, a, err);

	if (!p || refuse_management(p, "forget", err) < 0 ||
	    refuse_features(ctl, p, SL_ACT_FORGET, err) < 0 ||
	    refuse_vlans(ctl, p, err) < 0)
		return -1;
	sl_runtime_pif_forget(ctl->rt, p);
	*result = json_null();
	return 0;
}

static int
pif_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	 struct sl_err *err)
{
	const char *fields[SL_RECORD_MAX_FIELDS];
	json_t *all = json_array();
	const struct sl_pif *p;

	TAILQ_FOREACH(p, &ctl->model->pifs, next)
		json_array_append_new(all, pif_record(ctl, &p->ep));
	sl_endpoint_fields(ctl->rt->features, false, fields, SL_RECORD_MAX_FIELDS);
	return sl_list_filter(a, fields, all, result, err);
}

static int
pif_param_get(struct sl_ctl *ctl, struct sl_args *a, json_t **r, struct sl_err *e)
{
	return ep_param_get(ctl, a, &pif_class, r, e);
}

static int
pif_param_list(struct sl_ctl *ctl, struct sl_args *a, json_t **r, struct sl_err *e)
{
	return ep_param_list(ctl, a, &pif_class, r, e);
}

static int
pif_param_remove(struct sl_ctl *ctl, struct sl_args *a, json_t **r,
		 struct sl_err *e)
{
	return ep_param_remove(ctl, a, &pif_class, r, e);
}

static int
pif_param_set(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	      struct sl_err *err)
{
	struct sl_pif *p = sl_arg_pif(ctl, a, err), *other;
	const char *mgmt = sl_arg(a, "management");
	bool want = false;

	if (!p || (mgmt && sl_parse_bool("management", mgmt, &want, err) < 0) ||
	    (sl_arg(a, "devargs") &&
	     sl_features_refuse_pif(ctl->rt->features, ctl->model, p,
				    SL_ACT_SET_DEVARGS, err) < 0))
		return -1;
	/* as XCP-ng: the management interface keeps the standard MTU */
	if (want && p->ep.mtu != SL_MTU_DEFAULT)
		return sl_err_set(err, SL_E_MTU_CHECK_FAILED,
				  "management: PIF %s has MTU %u; the management interface needs %d",
				  p->ep.device, p->ep.mtu, SL_MTU_DEFAULT);
	if (ep_param_set(ctl, a, &p->ep, err) < 0)
		return -1;
	if (mgmt) {
		/* a host has one management interface */
		if (want)
			TAILQ_FOREACH(other, &ctl->model->pifs, next)
				other->management = false;
		p->management = want;
	}
	*result = json_null();
	return 0;
}

/* Kernel netdevs and DPDK ports sluice could attach, and who uses them. */
static const char *
user_of_iface(struct sl_ctl *ctl, const char *ifname)
{
	char needle[IF_NAMESIZE + 8];
	const struct sl_pif *p;
	const struct sl_vif *v;

	snprintf(needle, sizeof(needle), "iface=%s", ifname);
	TAILQ_FOREACH(p, &ctl->model->pifs, next) {
		const char *hit = strstr(p->ep.devargs, needle);

		if (hit && (hit[strlen(needle)] == '\0' || hit[strlen(needle)] == ','))
			return p->ep.uuid;
	}
	TAILQ_FOREACH(v, &ctl->model->vifs, next) {
		const char *hit = strstr(v->ep.devargs, needle);

		if (hit && (hit[strlen(needle)] == '\0' || hit[strlen(needle)] == ','))
			return v->ep.uuid;
	}
	return "";
}

static int
pif_scan(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	 struct sl_err *err)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	json_t *out = json_array();
	uint16_t pid;

	(void)a;
	(void)err;
	RTE_ETH_FOREACH_DEV(pid) {
		char name[RTE_ETH_NAME_MAX_LEN], mac[SL_MAC_STR_LEN];
		struct rte_ether_addr ea;

		if (ctl->rt->ports[pid].port_id != SL_PORT_NONE)
			continue;	/* one of ours */
		rte_eth_dev_get_name_by_port(pid, name);
		rte_eth_macaddr_get(pid, &ea);
		sl_mac_format(mac, &ea);
		json_array_append_new(out,
			json_pack("{s:s, s:s, s:s, s:s, s:s}", "device", name,
				  "kind", "dpdk-port", "MAC", mac,
				  "in-use-by", "", "devargs", name));
	}
	for (i = ifs; i && i->if_index; i++) {
		char mac[SL_MAC_STR_LEN] = "", devargs[64];
		struct rte_ether_addr ea;
		bool running = false;
		const char *state;

		if (strcmp(i->if_name, "lo") == 0)
			continue;
		if (sl_netdev_info(i->if_name, &ea, &running) == 0)
			sl_mac_format(mac, &ea);
		state = running ? "up" : "down";
		snprintf(devargs, sizeof(devargs), "net_af_xdp,iface=%s", i->if_name);
		json_array_append_new(out,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "device",
				  i->if_name, "kind", "kernel-netdev", "MAC", mac,
				  "operstate", state, "in-use-by",
				  user_of_iface(ctl, i->if_name), "devargs", devargs));
	}
	if (ifs)
		if_freenameindex(ifs);
	*result = out;
	return 0;
}

/* ---- VIFs --------------------------------------------------------------- */

static int
vif_create(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	   struct sl_err *err)
{
	struct sl_endpoint_spec spec = { .vlan = -1 };
	struct sl_offloads off;
	struct sl_network *n;
	struct sl_vif *v;
	json_t *oc = json_object();
	int rc;

	if (sl_arg_required(a, "network-uuid", &spec.network_uuid, err) < 0 ||
	    !(n = sl_arg_network(ctl, a, "network-uuid", err)) ||
	    sl_arg_required(a, "mac", &spec.mac, err) < 0 ||
	    sl_other_config_set(a, oc, err) < 0 ||
	    sl_offloads_parse(oc, &off, err) < 0)
		goto fail;
	spec.other_config = oc;
	spec.device = sl_arg(a, "device");
	/* a feature's network may make its VIFs its own way (VFs) */
	SL_FEATURE_FOREACH(f, ctl->rt->features) {
		if (!(*f)->vif_create)
			continue;
		rc = (*f)->vif_create(ctl, a, n, &spec, result, err);
		if (rc != 1) {
			json_decref(oc);
			return rc;
		}
	}
	if (sl_arg_required(a, "device", &spec.device, err) < 0 ||
	    sl_arg_required(a, "devargs", &spec.devargs, err) < 0)
		goto fail;
	v = sl_model_vif_add(ctl->model, &spec, err);
	json_decref(oc);
	if (!v)
		return -1;
	*result = json_string(v->ep.uuid);
	return 0;
fail:
	json_decref(oc);
	return -1;
}

static int
vif_destroy(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	    struct sl_err *err)
{
	struct sl_vif *v = sl_arg_vif(ctl, a, err);

	if (!v)
		return -1;
	if (v->ep.port_id != SL_PORT_NONE)
		return sl_err_set(err, SL_E_OPERATION_NOT_ALLOWED,
				  "VIF %s is plugged: vif-unplug it first",
				  v->ep.uuid);
	if (v->ep.role && v->ep.role->release)
		v->ep.role->release(ctl->rt, &v->ep);
	sl_runtime_vif_destroy(ctl->rt, v);
	*result = json_null();
	return 0;
}

static int
vif_plug(struct sl_ctl *ctl, struct sl_args *a, json_t **r, struct sl_err *e)
{
	struct sl_vif *v = sl_arg_vif(ctl, a, e);

	if (!v || sl_role_refuse(ctl->model, &v->ep, SL_ACT_PLUG, NULL, e) < 0)
		return -1;
	return ep_plug(ctl, a, &vif_class, r, e);
}

static int
vif_unplug(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	   struct sl_err *err)
{
	struct sl_vif *v = sl_arg_vif(ctl, a, err);

	if (!v || sl_role_refuse(ctl->model, &v->ep, SL_ACT_UNPLUG, NULL, err) < 0)
		return -1;
	sl_runtime_unplug(ctl->rt, &v->ep);
	*result = json_null();
	return 0;
}

static int
vif_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	 struct sl_err *err)
{
	const char *fields[SL_RECORD_MAX_FIELDS];
	json_t *all = json_array();
	const struct sl_vif *v;

	TAILQ_FOREACH(v, &ctl->model->vifs, next)
		json_array_append_new(all, vif_record(ctl, &v->ep));
	sl_endpoint_fields(ctl->rt->features, true, fields, SL_RECORD_MAX_FIELDS);
	return sl_list_filter(a, fields, all, result, err);
}

static int
vif_param_get(struct sl_ctl *ctl, struct sl_args *a, json_t **r, struct sl_err *e)
{
	return ep_param_get(ctl, a, &vif_class, r, e);
}

static int
vif_param_list(struct sl_ctl *ctl, struct sl_args *a, json_t **r, struct sl_err *e)
{
	return ep_param_list(ctl, a, &vif_class, r, e);
}

static int
vif_param_remove(struct sl_ctl *ctl, struct sl_args *a, json_t **r,
		 struct sl_err *e)
{
	return ep_param_remove(ctl, a, &vif_class, r, e);
}

static int
vif_param_set(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	      struct sl_err *err)
{
	struct sl_vif *v = sl_arg_vif(ctl, a, err);

	if (!v || ep_param_set(ctl, a, &v->ep, err) < 0)
		return -1;
	*result = json_null();
	return 0;
}

/* XAPI's VIF.move: the VIF goes to another network, re-opened there so no
 * FDB entry of the old network survives. */
static int
vif_move(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	 struct sl_err *err)
{
	struct sl_vif *v = sl_arg_vif(ctl, a, err), *other;
	struct sl_network *n = sl_arg_network(ctl, a, "network-uuid", err);
	struct sl_endpoint_spec moved = { .vlan = -1 };
	bool plugged;

	if (!v || !n ||
	    sl_role_refuse(ctl->model, &v->ep, SL_ACT_MOVE, NULL, err) < 0 ||
	    sl_model_network_refuses(ctl->model, n, &moved, true,
				     SL_ACT_MOVE_IN, err) < 0)
		return -1;
	TAILQ_FOREACH(other, &ctl->model->vifs, next)
		if (other != v && other->ep.network == n &&
		    rte_is_same_ether_addr(&other->ep.mac, &v->ep.mac))
			return sl_err_set(err, SL_E_MAC_INVALID,
					  "network-uuid: VIF %s already has this MAC on %s",
					  other->ep.uuid, n->bridge);
	plugged = v->ep.port_id != SL_PORT_NONE;
	if (plugged)
		sl_runtime_unplug(ctl->rt, &v->ep);
	v->ep.network = n;
	v->ep.mtu = n->mtu;
	if (plugged && sl_runtime_plug(ctl->rt, &v->ep, err) < 0)
		return -1;
	*result = json_null();
	return 0;
}

const struct sl_command sl_pif_handlers[] = {
	{ "pif-introduce", pif_introduce },
	{ "pif-plug", pif_plug },
	{ "pif-unplug", pif_unplug },
	{ "pif-forget", pif_forget },
	{ "pif-list", pif_list },
	{ "pif-param-get", pif_param_get },
	{ "pif-param-list", pif_param_list },
	{ "pif-param-set", pif_param_set },
	{ "pif-param-remove", pif_param_remove },
	{ "pif-scan", pif_scan },
	{ NULL, NULL },
};

const struct sl_command sl_vif_handlers[] = {
	{ "vif-create", vif_create },
	{ "vif-destroy", vif_destroy },
	{ "vif-plug", vif_plug },
	{ "vif-unplug", vif_unplug },
	{ "vif-move", vif_move },
	{ "vif-list", vif_list },
	{ "vif-param-get", vif_param_get },
	{ "vif-param-list", vif_param_list },
	{ "vif-param-set", vif_param_set },
	{ "vif-param-remove", vif_param_remove },
	{ NULL, NULL },
};
