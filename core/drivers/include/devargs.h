/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_DEVARGS_H
#define SL_DEVARGS_H

#include <stddef.h>

/* Value of key in DPDK devargs ("name,k1=v1,k2=v2"), parsed with rte_kvargs.
 * Returns 0, -ENOENT when the key is absent, -ENAMETOOLONG when it does not
 * fit in out, -EINVAL when the devargs do not parse. */
int sl_devargs_get(const char *devargs, const char *key, char *out,
		   size_t outlen);

#endif
