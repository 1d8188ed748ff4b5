/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "rule_table.h"
#include "sdn_args.h"

static void
hex_of(const void *p, size_t n, char *out)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static bool
hex_to(const char *s, void *p, size_t n)
{
	uint8_t *b = p;

	if (!s || strlen(s) != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return false;
		b[i] = (uint8_t)v;
	}
	return true;
}

/* An OpenFlow flow's record: key and mask as hex (the layout of
 * sl_flow_key.h), with the text ovs-ofctl would print beside them for a
 * reader (never read back). */
static json_t *
flow_to_json(const struct sl_rule *r)
{
	const struct sl_flow *f = r->flow;
	char key[2 * sizeof(f->key) + 1], mask[2 * sizeof(f->mask) + 1];
	char match[512], actions[128], cookie[24];
	json_t *out = json_array();

	hex_of(&f->key, sizeof(f->key), key);
	hex_of(&f->mask, sizeof(f->mask), mask);
	sl_flow_match_text(&f->key, &f->mask, match, sizeof(match));
	sl_flow_actions_text(f, actions, sizeof(actions));
	sl_sdn_cookie_text(r->cookie, cookie, sizeof(cookie));
	for (unsigned i = 0; i < f->nb_out; i++)
		json_array_append_new(out, json_integer(f->out[i]));
	return json_pack("{s:I, s:s, s:i, s:s, s:{s:s, s:s, s:o, s:i, s:i, s:i, s:s, s:s}}",
			 "id", (json_int_t)r->seq, "network-uuid",
			 r->network->uuid, "priority", r->priority, "cookie",
			 cookie, "flow", "key", key, "mask", mask, "outputs",
			 out, "idle-timeout", f->idle_timeout, "hard-timeout",
			 f->hard_timeout, "flags", f->flags, "match", match,
			 "actions", actions);
}

static int
flow_from_json(const struct sl_model *m, json_t *o, struct sl_rule *r,
	       struct sl_err *err)
{
	const char *net_uuid, *cookie, *key, *mask, *match, *actions;
	json_int_t id, prio, idle, hard, flags;
	json_t *outs, *v;
	json_error_t je;
	struct sl_flow *f;
	size_t i;

	if (json_unpack_ex(o, &je, JSON_STRICT,
			   "{s:I, s:s, s:I, s:s, s:{s:s, s:s, s:o, s:I, s:I, s:I, s:s, s:s}}",
			   "id", &id, "network-uuid", &net_uuid, "priority",
			   &prio, "cookie", &cookie, "flow", "key", &key,
			   "mask", &mask, "outputs", &outs, "idle-timeout",
			   &idle, "hard-timeout", &hard, "flags", &flags,
			   "match", &match, "actions", &actions) != 0)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID, "%s", je.text);
	memset(r, 0, sizeof(*r));
	r->network = sl_model_network_find(m, net_uuid);
	if (!r->network)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "network-uuid: no network has uuid %s", net_uuid);
	if (id < 1 || prio < 0 || prio > 65535 || !json_is_array(outs) ||
	    json_array_size(outs) > SL_FLOW_MAX_OUTPUTS ||
	    !sl_sdn_cookie_parse(cookie, &r->cookie))
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "a flow's id, priority, cookie or outputs are out of range");
	f = sl_flow_new();
	if (!f)
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	if (!hex_to(key, &f->key, sizeof(f->key)) ||
	    !hex_to(mask, &f->mask, sizeof(f->mask))) {
		sl_flow_unref(f);
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "a flow's key or mask is not %zu hex digits",
				  2 * sizeof(f->key));
	}
	json_array_foreach(outs, i, v)
		f->out[f->nb_out++] = (uint16_t)json_integer_value(v);
	f->idle_timeout = (uint16_t)idle;
	f->hard_timeout = (uint16_t)hard;
	f->flags = (uint16_t)flags;
	r->seq = (uint64_t)id;
	r->priority = (uint16_t)prio;
	r->slot = SL_RULE_NO_SLOT;
	r->allow = sl_flow_is_normal(f);
	r->flow = f;	/* the caller's reference: sl_rule_table_add takes one */
	return 0;
}

json_t *
sl_rule_to_json(const struct sl_rule *r)
{
	char prefix[24], cookie[24], mac[RTE_ETHER_ADDR_FMT_SIZE] = "";

	if (r->flow)
		return flow_to_json(r);
	sl_rule_prefix_text(r, prefix, sizeof(prefix));
	sl_sdn_cookie_text(r->cookie, cookie, sizeof(cookie));
	if (r->has_mac)
		sl_rule_mac_text(r, mac, sizeof(mac));
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:i, s:s}",
			 "id", (json_int_t)r->seq, "network-uuid",
			 r->network->uuid, "mac", mac, "direction",
			 r->side == SL_CLS_TO ? "to" : "from", "protocol",
			 sl_rule_proto_name(r->proto), "ipRange", prefix,
			 "port", r->port, "allow", r->allow, "priority",
			 r->priority, "cookie", cookie);
}

/* The record's fields are read with the plugin's own readers, so a state
 * file can hold nothing add-rule would refuse. */
struct record_args {
	json_t *o;
	char port[16], priority[16];
};

static const char *
record_get(const void *ctx, const char *key)
{
	const struct record_args *ra = ctx;

	if (strcmp(key, "bridge") == 0)
		return "state0";	/* not in the record; any valid name */
	if (strcmp(key, "port") == 0)
		return ra->port[0] ? ra->port : NULL;
	if (strcmp(key, "priority") == 0)
		return ra->priority;
	if (strcmp(key, "mac") == 0) {
		const char *mac = json_string_value(json_object_get(ra->o, "mac"));

		return mac && *mac ? mac : NULL;
	}
	return json_string_value(json_object_get(ra->o, key));
}

int
sl_rule_from_json(const struct sl_model *m, json_t *o, struct sl_rule *r,
		  struct sl_err *err)
{
	struct record_args ra = { .o = o };
	const char *net_uuid, *mac, *dir, *proto, *range, *cookie;
	json_int_t id, port, prio;
	int allow;
	json_error_t je;
	struct sl_sdn_args a;
	struct sl_network *n;
	json_t *args;
	int rc;

	if (json_object_get(o, "flow"))
		return flow_from_json(m, o, r, err);
	if (json_unpack_ex(o, &je, JSON_STRICT,
			   "{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:I, s:s}",
			   "id", &id, "network-uuid", &net_uuid, "mac", &mac,
			   "direction", &dir, "protocol", &proto, "ipRange",
			   &range, "port", &port, "allow", &allow, "priority",
			   &prio, "cookie", &cookie) != 0)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID, "%s", je.text);
	n = sl_model_network_find(m, net_uuid);
	if (!n)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "network-uuid: no network has uuid %s", net_uuid);
	if (id < 1 || port < -1 || port > 65535 || prio < 0 || prio > 65535 ||
	    (strcmp(dir, "to") != 0 && strcmp(dir, "from") != 0))
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "id, port, priority or direction out of range");
	if (port >= 0)
		snprintf(ra.port, sizeof(ra.port), "%d", (int)port);
	snprintf(ra.priority, sizeof(ra.priority), "%d", (int)prio);
	/* allow as the plugin takes it */
	args = json_pack("{s:s, s:s, s:s, s:s, s:s}", "direction", dir,
			 "protocol", proto, "ipRange", range, "allow",
			 allow ? "true" : "false", "cookie", cookie);
	if (mac && *mac)
		json_object_set_new(args, "mac", json_string(mac));
	ra.o = args;
	rc = sl_sdn_parse(SL_SDN_ADD_RULE, record_get, &ra, &a, err);
	json_decref(args);
	if (rc < 0)
		return -1;
	*r = sl_rule_make(&a, n, strcmp(dir, "to") == 0 ? SL_CLS_TO : SL_CLS_FROM);
	r->seq = (uint64_t)id;
	return 0;
}
