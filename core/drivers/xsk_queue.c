/* SPDX-License-Identifier: BSD-3-Clause */
/* Is an interface's queue free for AF_XDP (xsk_queue.h). */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_xdp.h>

#include "xsk_queue.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif
#ifndef SOL_XDP
#define SOL_XDP 283
#endif

#define PROBE_CHUNK 2048
#define PROBE_RING 2		/* the smallest a ring may be */

static int
set_ring(int fd, int opt)
{
	int size = PROBE_RING;

	return setsockopt(fd, SOL_XDP, opt, &size, sizeof(size));
}

enum sl_xsk_queue
sl_xsk_queue_probe(const char *ifname, uint32_t queue)
{
	long page = sysconf(_SC_PAGESIZE);
	struct sockaddr_xdp sxdp = {
		.sxdp_family = AF_XDP,
		.sxdp_ifindex = if_nametoindex(ifname),
		.sxdp_queue_id = queue,
		.sxdp_flags = XDP_ZEROCOPY,
	};
	struct xdp_umem_reg reg = { .chunk_size = PROBE_CHUNK };
	enum sl_xsk_queue answer = SL_XSK_QUEUE_UNKNOWN;
	void *area = NULL;
	int fd;

	if (!sxdp.sxdp_ifindex || page <= 0 ||
	    posix_memalign(&area, (size_t)page, (size_t)page) != 0)
		return SL_XSK_QUEUE_UNKNOWN;
	fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
	reg.addr = (uintptr_t)area;
	reg.len = (uint64_t)page;
	if (fd >= 0 &&
	    setsockopt(fd, SOL_XDP, XDP_UMEM_REG, &reg, sizeof(reg)) == 0 &&
	    set_ring(fd, XDP_UMEM_FILL_RING) == 0 &&
	    set_ring(fd, XDP_UMEM_COMPLETION_RING) == 0 &&
	    set_ring(fd, XDP_RX_RING) == 0) {
		if (bind(fd, (struct sockaddr *)&sxdp, sizeof(sxdp)) == 0)
			answer = SL_XSK_QUEUE_TAKEN;
		else if (errno == EBUSY)
			answer = SL_XSK_QUEUE_BUSY;
		else if (errno == EOPNOTSUPP)
			answer = SL_XSK_QUEUE_FREE;
	}
	if (fd >= 0)
		close(fd);
	free(area);	/* the kernel pins its own reference to the page */
	return answer;
}
