/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include <strings.h>

#include <rte_ethdev.h>

#include "offloads.h"

#define PREFIX "ethtool-"

static const struct {
	const char *key;
	uint64_t rx, tx;
	bool sg;
	const char *refused;	/* why "on" is refused, or NULL */
} keys[] = {
	{ "rx", RTE_ETH_RX_OFFLOAD_CHECKSUM, 0, false, NULL },
	{ "tx", 0, RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
		   RTE_ETH_TX_OFFLOAD_TCP_CKSUM, false, NULL },
	{ "sg", 0, 0, true, NULL },
	{ "tso", 0, RTE_ETH_TX_OFFLOAD_TCP_TSO, false, NULL },
	{ "gso", 0, 0, false, "sluice does no software segmentation (GSO)" },
	{ "gro", 0, 0, false, "sluice does no software receive offload (GRO)" },
	{ "lro", 0, 0, false,
	  "LRO merges received frames, and a switch must forward them as they came" },
};

int
sl_offloads_parse(json_t *oc, struct sl_offloads *out, struct sl_err *err)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char name[32];
		const char *v;
		bool on;

		snprintf(name, sizeof(name), PREFIX "%s", keys[i].key);
		v = json_string_value(json_object_get(oc, name));
		if (!v)
			continue;
		if (strcasecmp(v, "on") == 0 || strcasecmp(v, "true") == 0)
			on = true;
		else if (strcasecmp(v, "off") == 0 || strcasecmp(v, "false") == 0)
			on = false;
		else
			return sl_err_set(err, SL_E_INVALID_VALUE,
					  "other-config:%s: '%s' is not on or off",
					  name, v);
		if (on && keys[i].refused)
			return sl_err_set(err, SL_E_OFFLOAD_NOT_SUPPORTED,
					  "other-config:%s=on: %s", name,
					  keys[i].refused);
		if (keys[i].sg) {
			out->no_sg = !on;
			continue;
		}
		if (on) {
			out->rx |= keys[i].rx;
			out->tx |= keys[i].tx;
		}
	}
	return 0;
}

bool
sl_offloads_differ(json_t *a, json_t *b)
{
	struct sl_offloads oa, ob;
	struct sl_err e = { 0 };

	if (sl_offloads_parse(a, &oa, &e) < 0 || sl_offloads_parse(b, &ob, &e) < 0)
		return true;
	return memcmp(&oa, &ob, sizeof(oa)) != 0;
}
