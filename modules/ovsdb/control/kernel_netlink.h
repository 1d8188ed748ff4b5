/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What sluice asks of the host kernel over rtnetlink (libmnl): which
 * interface and source address a tunnel's packets to a remote host leave
 * from, through which gateway, as OVS-DPDK reads its route table (the
 * kernel holds the management address: networkd puts it on the bridge's
 * internal port, so its routes are the host's); and removing an internal
 * port's tap, which outlives sluiced (persist) so that its addresses stay
 * across a restart.
 */
#ifndef SL_KERNEL_NETLINK_H
#define SL_KERNEL_NETLINK_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

struct sl_kernel_route {
	char ifname[IF_NAMESIZE];	/* the output interface */
	uint32_t src;			/* host order */
	int prefix_len;			/* of src on ifname */
	uint32_t gateway;		/* 0: the remote is on the link */
};

/* The route to dst (host order), from the address src when not 0 (ip
 * route get DST from SRC: src must be the host's, and is the route's
 * source then): 0, or -1 with why (a sentence). */
int sl_kernel_route_get(uint32_t dst, uint32_t src, struct sl_kernel_route *out,
			char *why, size_t len);
/* Remove the network device name: 0, or -1 with why. */
int sl_kernel_link_delete(const char *name, char *why, size_t len);

#endif
