/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private networks: tunnel-create, -destroy, -list, -param-*, the remotes
 * of a tunnel, and the underlay a tunnel rides on (pif-reconfigure-ip; the
 * static routes are the transport network's other-config).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tunnel_model.h"
#include "ctl.h"
#include "tunnel_feature.h"
#include "tunnel_runtime.h"

static const char *const sl_tunnel_fields[] = {
	"uuid", "access-PIF", "transport-PIF", "network-uuid", "protocol", "key",
	"remotes", "state", "status", "other-config", NULL
};

/* Why a tunnel carries no frames now, or NULL. */
static const char *
down_reason(const struct sl_runtime *rt, const struct sl_tunnel *t)
{
	const struct sl_pif *tp = t->transport;

	if (sl_runtime_tunnel_active(rt, t))
		return NULL;
	if (!t->access->ep.plugged)
		return "the access PIF is unplugged";
	if (!tp->ip.is_static)
		return "the transport PIF has no IP address (pif-reconfigure-ip)";
	return "the transport PIF is not attached";
}

/* How each remote is reached now: the next hop, by which route, its MAC,
 * and the remote's port and counters. */
static json_t *
remote_status(const struct sl_runtime *rt, const struct sl_tunnel *t)
{
	const struct sl_pif *tp = t->transport;
	struct sl_route routes[SL_ROUTES_MAX];
	unsigned int n = sl_model_pif_routes(tp, routes, SL_ROUTES_MAX);
	struct sl_next_hop hops[SL_TUNNEL_MAX_REMOTES];
	static struct sl_worker_stats sum;	/* large: not on the stack */
	json_t *out = json_array();

	sl_dp_stats_sum(rt->dp, &sum);
	/* on failure (no memory for the RIB) every hop reads "none" */
	sl_next_hops(&tp->ip, routes, n, t->remotes, t->nb_remotes, hops);
	for (unsigned int i = 0; i < t->nb_remotes; i++) {
		char remote[SL_IPV4_STR_LEN], hop[SL_IPV4_STR_LEN] = "",
		     via[64], net[SL_IPV4_STR_LEN], mac[SL_MAC_STR_LEN] = "";
		const struct sl_next_hop nh = hops[i];
		const struct sl_neighbour *nb = NULL;
		struct sl_port_counters c = { 0 };
		uint16_t port = SL_PORT_NONE;
		const char *arp = "none";

		sl_ipv4_format(remote, t->remotes[i]);
		if (nh.via != SL_VIA_NONE)
			sl_ipv4_format(hop, nh.ip);
		snprintf(via, sizeof(via), "%s", sl_next_hop_via_name(nh.via));
		if (nh.via == SL_VIA_STATIC) {
			sl_ipv4_format(net, nh.route.prefix);
			snprintf(via, sizeof(via), "static %s/%u", net, nh.route.len);
		}
		if (sl_runtime_vtep(rt, t, t->remotes[i], &port)) {
			sl_runtime_port_counters(rt, &sum, port, &c);
			if (nh.via != SL_VIA_NONE)
				nb = sl_underlay_find(rt, tp, nh.ip);
			arp = nb && nb->resolved ? "resolved" : "incomplete";
			if (nb && nb->resolved)
				sl_mac_format(mac, &nb->mac);
		}
		json_array_append_new(out,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:I, s:I, s:I}",
				  "remote", remote, "next-hop", hop, "via",
				  tp->ip.is_static ? via : "none (the transport PIF has no IP address)",
				  "ARP", arp, "next-hop-MAC", mac,
				  "port-id", port == SL_PORT_NONE ? -1 : port,
				  "rx-packets", (json_int_t)c.rx_packets,
				  "rx-dropped", (json_int_t)c.rx_dropped,
				  "tx-packets", (json_int_t)c.tx_packets,
				  "tx-bytes", (json_int_t)c.tx_bytes,
				  "tx-dropped", (json_int_t)c.tx_dropped));
	}
	return out;
}

static json_t *
sl_tunnel_record(const struct sl_runtime *rt, const struct sl_tunnel *t)
{
	json_t *remotes = json_array();
	const char *down = down_reason(rt, t);

	for (unsigned int i = 0; i < t->nb_remotes; i++) {
		char ip[SL_IPV4_STR_LEN];

		sl_ipv4_format(ip, t->remotes[i]);
		json_array_append_new(remotes, json_string(ip));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:s, s:o, s:O}",
			 "uuid", t->uuid, "access-PIF", t->access->ep.uuid,
			 "transport-PIF", t->transport->ep.uuid,
			 "network-uuid", t->access->ep.network->uuid,
			 "protocol", sl_tunnel_protocol_name(t->protocol),
			 "key", (json_int_t)t->key, "remotes", remotes,
			 "state", down ? down : "up",
			 "status", remote_status(rt, t),
			 "other-config", t->other_config);
}

static struct sl_tunnel *
tunnel_arg(struct sl_ctl *ctl, const struct sl_args *a, struct sl_err *err)
{
	const char *uuid;
	struct sl_tunnel *t;

	if (sl_arg_required(a, "uuid", &uuid, err) < 0 ||
	    sl_check_uuid("uuid", uuid, err) < 0)
		return NULL;
	t = sl_model_tunnel_find(ctl->model, uuid);
	if (!t)
		sl_err_set(err, SL_E_HANDLE_INVALID, "uuid: no tunnel has uuid %s",
			   uuid);
	return t;
}

static int
tunnel_create(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	      struct sl_err *err)
{
	struct sl_pif *transport = sl_arg_pif_named(ctl, a, "pif-uuid", err);
	struct sl_network *n;
	enum sl_tunnel_protocol protocol = SL_TUNNEL_GRE;	/* XAPI's default */
	const char *proto = sl_arg(a, "protocol"), *key_s = sl_arg(a, "key");
	struct sl_tunnel *t;
	long key = -1;

	if (!transport || !(n = sl_arg_network(ctl, a, "network-uuid", err)) ||
	    (proto && sl_tunnel_protocol_parse(proto, &protocol, err) < 0) ||
	    (key_s && sl_parse_long("key", key_s, 0, 4294967295L, &key, err) < 0))
		return -1;
	t = sl_model_tunnel_add(ctl->model, NULL, NULL, transport, n, protocol,
				key, err);
	if (!t)
		return -1;
	sl_runtime_apply(ctl->rt);
	*result = json_string(t->uuid);
	return 0;
}

static int
tunnel_destroy(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	       struct sl_err *err)
{
	struct sl_tunnel *t = tunnel_arg(ctl, a, err);

	if (!t)
		return -1;
	sl_model_tunnel_remove(ctl->model, t);
	sl_runtime_apply(ctl->rt);
	*result = json_null();
	return 0;
}

static int
tunnel_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
	    struct sl_err *err)
{
	json_t *all = json_array();
	const struct sl_tunnel *t;

	TAILQ_FOREACH(t, sl_tunnels(ctl->model), next)
		json_array_append_new(all, sl_tunnel_record(ctl->rt, t));
	return sl_list_filter(a, sl_tunnel_fields, all, result, err);
}

static int
tunnel_param_get(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		 struct sl_err *err)
{
	struct sl_tunnel *t = tunnel_arg(ctl, a, err);
	json_t *rec;
	int rc;

	if (!t)
		return -1;
	rec = sl_tunnel_record(ctl->rt, t);
	rc = sl_param_get(a, rec, result, err);
	json_decref(rec);
	return rc;
}

static int
tunnel_param_list(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		  struct sl_err *err)
{
	struct sl_tunnel *t = tunnel_arg(ctl, a, err);

	if (!t)
		return -1;
	*result = sl_tunnel_record(ctl->rt, t);
	return 0;
}

/* other-config:relay, if there, is true or false. */
static int
check_relay(json_t *oc, struct sl_err *err)
{
	json_t *v = json_object_get(oc, "relay");
	const char *s = json_string_value(v);

	if (v && (!s || (strcmp(s, "true") != 0 && strcmp(s, "false") != 0)))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "other-config:relay: '%s' is not true or false",
				  s ? s : "");
	return 0;
}

static int
tunnel_param_set(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		 struct sl_err *err)
{
	static const char *const read_only[] = {
		"access-PIF", "transport-PIF", "network-uuid", "protocol", "key",
		"remotes", "state", "status", NULL
	};
	struct sl_tunnel *t = tunnel_arg(ctl, a, err);
	json_t *oc;

	if (!t)
		return -1;
	for (const char *const *f = read_only; *f; f++)
		if (sl_arg(a, *f))
			return sl_err_set(err, SL_E_FIELD_READ_ONLY,
					  "%s: this field is read-only%s", *f,
					  strcmp(*f, "remotes") == 0 ?
					  "; use tunnel-remote-add and tunnel-remote-remove" : "");
	oc = json_deep_copy(t->other_config);
	if (sl_other_config_set(a, oc, err) < 0 || check_relay(oc, err) < 0) {
		json_decref(oc);
		return -1;
	}
	json_decref(t->other_config);
	t->other_config = oc;
	sl_runtime_apply(ctl->rt);
	*result = json_null();
	return 0;
}

static int
remote_change(struct sl_ctl *ctl, struct sl_args *a, bool add,
	      json_t **result, struct sl_err *err)
{
	struct sl_tunnel *t = tunnel_arg(ctl, a, err);
	const char *remote;

	if (!t || sl_arg_required(a, "remote", &remote, err) < 0)
		return -1;
	if ((add ? sl_tunnel_remote_add(ctl->model, t, remote, err) :
		   sl_tunnel_remote_remove(t, remote, err)) < 0)
		return -1;
	sl_runtime_apply(ctl->rt);
	*result = json_null();
	return 0;
}

static int
remote_add(struct sl_ctl *ctl, struct sl_args *a, json_t **r, struct sl_err *e)
{
	return remote_change(ctl, a, true, r, e);
}

static int
remote_remove(struct sl_ctl *ctl, struct sl_args *a, json_t **r,
	      struct sl_err *e)
{
	return remote_change(ctl, a, false, r, e);
}

static int
ipv4_arg(const struct sl_args *a, const char *key, bool required, uint32_t *out,
	 struct sl_err *err)
{
	const char *s = sl_arg(a, key);

	*out = 0;
	if (!s && !required)
		return 0;
	if (!s)
		return sl_err_set(err, SL_E_MISSING_PARAMETER,
				  "%s: mode=static needs it", key);
	if (!sl_ipv4_parse(s, out))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "%s: '%s' is not an IPv4 address", key, s);
	return 0;
}

/* XAPI's PIF.reconfigure_ip, for the address a tunnel's packets leave
 * from. sluice answers ARP for it on the PIF's port; the kernel never
 * sees it. */
static int
pif_reconfigure_ip(struct sl_ctl *ctl, struct sl_args *a, json_t **result,
		   struct sl_err *err)
{
	struct sl_pif *p = sl_arg_pif(ctl, a, err);
	struct sl_ip_config ip = { 0 };
	const char *mode;

	if (!p || sl_arg_required(a, "mode", &mode, err) < 0)
		return -1;
	if (strcasecmp(mode, "none") == 0) {
		if (sl_arg(a, "IP") || sl_arg(a, "netmask") || sl_arg(a, "gateway"))
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "mode: none takes no IP, netmask or gateway");
	} else if (strcasecmp(mode, "static") == 0) {
		ip.is_static = true;
		if (ipv4_arg(a, "IP", true, &ip.ip, err) < 0 ||
		    ipv4_arg(a, "netmask", true, &ip.netmask, err) < 0 ||
		    ipv4_arg(a, "gateway", false, &ip.gateway, err) < 0)
			return -1;
		if (sl_netmask_len(ip.netmask) < 1 || sl_netmask_len(ip.netmask) > 30)
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "netmask: %s is not a netmask of /1../30",
					  sl_arg(a, "netmask"));
		if ((ip.ip & ~ip.netmask) == 0 || (ip.ip | ip.netmask) == UINT32_MAX)
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "IP: %s is its subnet's network or broadcast address",
					  sl_arg(a, "IP"));
		if (ip.gateway && (ip.gateway & ip.netmask) != (ip.ip & ip.netmask))
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "gateway: %s is not on %s's subnet",
					  sl_arg(a, "gateway"), sl_arg(a, "IP"));
	} else if (strcasecmp(mode, "dhcp") == 0) {
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "mode: sluice runs no DHCP client on a PIF; give mode=static");
	} else {
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "mode: '%s' is not static or none", mode);
	}
	/* a PIF with no port: an SR-IOV network's (or a VLAN on it), a
	 * tunnel's */
	if (sl_endpoint_has_no_port(&p->ep))
		return sl_err_set(err, SL_E_OPERATION_NOT_ALLOWED,
				  "uuid: PIF %s stands for a network; give the address to the PIF that carries it",
				  p->ep.uuid);
	p->ip = ip;
	sl_runtime_apply(ctl->rt);
	*result = json_null();
	return 0;
}

const struct sl_command sl_tunnel_handlers[] = {
	{ "tunnel-create", tunnel_create },
	{ "tunnel-destroy", tunnel_destroy },
	{ "tunnel-list", tunnel_list },
	{ "tunnel-param-get", tunnel_param_get },
	{ "tunnel-param-list", tunnel_param_list },
	{ "tunnel-param-set", tunnel_param_set },
	{ "tunnel-remote-add", remote_add },
	{ "tunnel-remote-remove", remote_remove },
	{ "pif-reconfigure-ip", pif_reconfigure_ip },
	{ NULL, NULL },
};
