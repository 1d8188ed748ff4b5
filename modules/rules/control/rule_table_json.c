/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "rule_table.h"
#include "sdn_args.h"

json_t *
sl_rule_to_json(const struct sl_rule *r)
{
	char prefix[24], cookie[24], mac[RTE_ETHER_ADDR_FMT_SIZE] = "";

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
