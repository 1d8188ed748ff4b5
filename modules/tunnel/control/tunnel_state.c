/* SPDX-License-Identifier: BSD-3-Clause */
/* Tunnels in the state file: a tunnel is its access PIF's object in
 * "pifs", after its transport PIF's. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "tunnel_model.h"
#include "model.h"
#include "state.h"
#include "tunnel_feature.h"

/* A tunnel's access PIF: after its transport PIF. */
struct sl_pif *
sl_tunnel_load_pif(struct sl_model *m, json_t *o, const struct sl_state_pif *pif,
		   struct sl_err *err)
{
	const char *t_uuid, *tp_uuid, *proto_s;
	json_t *remotes = NULL, *t_oc = NULL, *item;
	enum sl_tunnel_protocol proto;
	json_int_t key;
	struct sl_endpoint *tp;
	struct sl_tunnel *t;
	json_error_t je;
	size_t i;

	if (json_unpack_ex(o, &je, JSON_STRICT, "{s:s, s:s, s:s, s:I, s?o, s?o}",
			   "tunnel-access-PIF-of", &t_uuid,
			   "tunnel-transport-PIF", &tp_uuid, "tunnel-protocol",
			   &proto_s, "tunnel-key", &key, "tunnel-remotes", &remotes,
			   "tunnel-other-config", &t_oc) != 0) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID, "%s", je.text);
		return NULL;
	}
	tp = sl_model_endpoint_find(m, tp_uuid, false);
	if (!tp) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID,
			   "tunnel-transport-PIF: no PIF %s before this one", tp_uuid);
		return NULL;
	}
	if (sl_tunnel_protocol_parse(proto_s, &proto, err) < 0)
		return NULL;
	if (key < 0) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID,
			   "tunnel-key: %lld is not a key", (long long)key);
		return NULL;
	}
	if (remotes && !json_is_array(remotes)) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID,
			   "tunnel-remotes: must be a list of IPv4 addresses");
		return NULL;
	}
	if (t_oc && !json_is_object(t_oc)) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID,
			   "tunnel-other-config: must be an object");
		return NULL;
	}
	t = sl_model_tunnel_add(m, t_uuid, pif->uuid, SL_PIF_OF(tp), pif->network,
				proto, key, err);
	if (!t)
		return NULL;
	json_array_foreach(remotes, i, item)
		if (sl_tunnel_remote_add(m, t, json_string_value(item) ?: "", err) < 0)
			return NULL;
	if (t_oc) {
		json_decref(t->other_config);
		t->other_config = json_deep_copy(t_oc);
	}
	return t->access;
}

/* A tunnel's access PIF in the state file: the tunnel and its remotes. */
void
sl_tunnel_save_pif(const struct sl_pif *p, json_t *o)
{
	const struct sl_tunnel *t = sl_tunnel_of_pif(p);
	json_t *remotes;

	if (!t)
		return;
	remotes = json_array();

	for (unsigned int i = 0; i < t->nb_remotes; i++) {
		char ip[SL_IPV4_STR_LEN];

		sl_ipv4_format(ip, t->remotes[i]);
		json_array_append_new(remotes, json_string(ip));
	}
	json_object_set_new(o, "tunnel-access-PIF-of", json_string(t->uuid));
	json_object_set_new(o, "tunnel-transport-PIF", json_string(t->transport->ep.uuid));
	json_object_set_new(o, "tunnel-protocol",
			    json_string(sl_tunnel_protocol_name(t->protocol)));
	json_object_set_new(o, "tunnel-key", json_integer(t->key));
	json_object_set_new(o, "tunnel-remotes", remotes);
	json_object_set_new(o, "tunnel-other-config", json_deep_copy(t->other_config));
}

