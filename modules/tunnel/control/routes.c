/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_memory.h>
#include <rte_rib.h>

#include "routes.h"

/* One "net/prefix/gw" entry, cut to its own buffer. */
static int
parse_entry(char *e, unsigned int index, struct sl_route *r, struct sl_err *err)
{
	char *net = e, *len_s, *gw, *end;
	const char *full = e;
	char shown[96];
	long len;

	snprintf(shown, sizeof(shown), "%s", full);
	len_s = strchr(net, '/');
	gw = len_s ? strchr(len_s + 1, '/') : NULL;
	if (!len_s || !gw || strchr(gw + 1, '/'))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "other-config:static-routes: entry %u (%s) is not network/prefix-length/gateway; no route was changed",
				  index, shown);
	*len_s++ = '\0';
	*gw++ = '\0';
	if (!sl_ipv4_parse(net, &r->prefix))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "other-config:static-routes: entry %u (%s): %s is not an IPv4 network; no route was changed",
				  index, shown, net);
	errno = 0;
	len = strtol(len_s, &end, 10);
	if (!*len_s || *end || len < 0 || len > 32 || *len_s == '+' || *len_s == '-')
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "other-config:static-routes: entry %u (%s): prefix length %s is not 0..32; no route was changed",
				  index, shown, len_s);
	r->len = (uint8_t)len;
	if (r->prefix & ~rte_rib_depth_to_mask(r->len))
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "other-config:static-routes: entry %u (%s): %s has bits past /%ld; no route was changed",
				  index, shown, net, len);
	if (!sl_ipv4_parse(gw, &r->gateway) || r->gateway == 0)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "other-config:static-routes: entry %u (%s): gateway %s is not an IPv4 address; no route was changed",
				  index, shown, gw);
	return 0;
}

int
sl_routes_parse(const char *text, struct sl_route *out, unsigned int max,
		unsigned int *n, struct sl_err *err)
{
	char *copy = strdup(text), *save = NULL, *e;
	unsigned int count = 0;
	int rc = 0;

	if (!copy)
		return sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
	*n = 0;
	if (!*text)
		goto out;
	/* strsep, not strtok: an empty entry ("a,,b" or a trailing comma) is
	 * an error, not skipped */
	save = copy;
	while ((e = strsep(&save, ",")) != NULL) {
		if (count == max) {
			rc = sl_err_set(err, SL_E_INVALID_VALUE,
					"other-config:static-routes: more than %u routes; no route was changed",
					max);
			goto out;
		}
		if (!*e) {
			rc = sl_err_set(err, SL_E_INVALID_VALUE,
					"other-config:static-routes: entry %u is empty; no route was changed",
					count + 1);
			goto out;
		}
		rc = parse_entry(e, count + 1, &out[count], err);
		if (rc < 0)
			goto out;
		count++;
	}
	*n = count;
out:
	free(copy);
	return rc;
}

const char *
sl_next_hop_via_name(enum sl_next_hop_via via)
{
	static const char *const names[] = {
		[SL_VIA_NONE] = "none", [SL_VIA_CONNECTED] = "connected",
		[SL_VIA_STATIC] = "static", [SL_VIA_DEFAULT] = "default",
	};

	return names[via];
}

/* Next-hop values in the RIB: which kind, and which static route. */
#define NH_CONNECTED ((uint64_t)1 << 32)
#define NH_DEFAULT ((uint64_t)2 << 32)
#define NH_STATIC(i) (((uint64_t)3 << 32) | (i))

static int
add(struct rte_rib *rib, uint32_t prefix, uint8_t len, uint64_t nh)
{
	struct rte_rib_node *node = rte_rib_insert(rib, prefix, len);

	/* a route to the same prefix as another: the first one stays, as
	 * the kernel's `ip route add` refuses the second */
	if (!node)
		return rte_errno == EEXIST ? 0 : -rte_errno;
	return rte_rib_set_nh(node, nh);
}

/* The next hop a RIB gives for remote. */
static void
resolve(struct rte_rib *rib, const struct sl_ip_config *ip,
	const struct sl_route *routes, uint32_t remote, struct sl_next_hop *out)
{
	struct rte_rib_node *node = rte_rib_lookup(rib, remote);
	uint64_t nh = 0;

	memset(out, 0, sizeof(*out));
	if (!node || rte_rib_get_nh(node, &nh) < 0)
		return;
	if (nh == NH_CONNECTED) {
		out->via = SL_VIA_CONNECTED;
		out->ip = remote;
	} else if (nh == NH_DEFAULT) {
		out->via = SL_VIA_DEFAULT;
		out->ip = ip->gateway;
	} else {
		out->via = SL_VIA_STATIC;
		out->route = routes[(uint32_t)nh];
		out->ip = out->route.gateway;
	}
}

int
sl_next_hops(const struct sl_ip_config *ip, const struct sl_route *routes,
	     unsigned int nb_routes, const uint32_t *remotes, unsigned int nb,
	     struct sl_next_hop *out)
{
	static unsigned int made;
	struct rte_rib_conf conf = { .max_nodes = (int)(2 * nb_routes + 8) };
	char name[32];
	struct rte_rib *rib;
	int rc = 0, len;

	memset(out, 0, nb * sizeof(*out));
	if (!ip->is_static || nb == 0)
		return 0;
	snprintf(name, sizeof(name), "sl_nh_%u", made++);
	rib = rte_rib_create(name, SOCKET_ID_ANY, &conf);
	if (!rib)
		return -rte_errno;
	len = sl_netmask_len(ip->netmask);
	if (len >= 0)
		rc = add(rib, ip->ip & ip->netmask, (uint8_t)len, NH_CONNECTED);
	for (unsigned int i = 0; i < nb_routes && rc == 0; i++)
		rc = add(rib, routes[i].prefix, routes[i].len, NH_STATIC(i));
	if (rc == 0 && ip->gateway)
		rc = add(rib, 0, 0, NH_DEFAULT);
	for (unsigned int i = 0; i < nb && rc == 0; i++)
		resolve(rib, ip, routes, remotes[i], &out[i]);
	rte_rib_free(rib);
	return rc;
}
