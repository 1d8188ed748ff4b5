/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_kvargs.h>

#include "devargs.h"

int
sl_devargs_get(const char *devargs, const char *key, char *out, size_t outlen)
{
	const char *args = strchr(devargs, ',');
	struct rte_kvargs *kv;
	const char *val;
	int rc = -ENOENT;

	if (!args)
		return -ENOENT;
	kv = rte_kvargs_parse(args + 1, NULL);
	if (!kv)
		return -EINVAL;
	val = rte_kvargs_get(kv, key);
	if (val) {
		int n = snprintf(out, outlen, "%s", val);
		rc = n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
	}
	rte_kvargs_free(kv);
	return rc;
}
