/* SPDX-License-Identifier: BSD-3-Clause */
/* IPv4 addresses in text (ipv4.h). */
#include <stdio.h>

#include "ipv4.h"

bool
sl_ipv4_parse(const char *s, uint32_t *out)
{
	uint32_t ip = 0;

	for (int part = 0; part < 4; part++) {
		unsigned int v = 0, digits = 0;

		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned int)(*s++ - '0');
			digits++;
		}
		if (!digits || digits > 3 || v > 255)
			return false;
		ip = ip << 8 | v;
		if (part < 3 && *s++ != '.')
			return false;
	}
	if (*s)
		return false;
	*out = ip;
	return true;
}

void
sl_ipv4_format(char out[SL_IPV4_STR_LEN], uint32_t ip)
{
	snprintf(out, SL_IPV4_STR_LEN, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 255,
		 ip >> 8 & 255, ip & 255);
}

int
sl_netmask_len(uint32_t mask)
{
	int len = __builtin_popcount(mask);

	return mask == (len ? ~0u << (32 - len) : 0) ? len : -1;
}
