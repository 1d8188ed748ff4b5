/* SPDX-License-Identifier: BSD-3-Clause */
/* IPv4 addresses as the control plane reads and writes them, and a PIF's
 * IPv4 configuration (pif-reconfigure-ip). Host byte order throughout. */
#ifndef SL_IPV4_H
#define SL_IPV4_H

#include <stdbool.h>
#include <stdint.h>

#define SL_IPV4_STR_LEN 16

/* A dotted IPv4 address, strictly (four decimal parts 0..255, no leading
 * zeros beyond three digits, nothing after). */
bool sl_ipv4_parse(const char *s, uint32_t *out);
void sl_ipv4_format(char out[SL_IPV4_STR_LEN], uint32_t ip);
/* A netmask's prefix length, or -1 when its bits are not contiguous. */
int sl_netmask_len(uint32_t mask);

/* A PIF's IPv4 configuration (pif-reconfigure-ip). */
struct sl_ip_config {
	bool is_static;		/* false: mode None, no address */
	uint32_t ip, netmask, gateway;	/* gateway 0: none */
};

#endif
