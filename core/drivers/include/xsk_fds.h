/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The AF_XDP socket an af_xdp port leaves open when it closes. DPDK
 * 22.11's af_xdp PMD deletes a queue's socket with libxdp, which closes
 * the socket's fd only when it is not also its UMEM's fd, and the PMD
 * keeps that UMEM: the first (here the only) socket of each queue stays
 * open until the process exits, and with it the kernel's binding of the
 * interface's queue. The same daemon cannot attach that device again
 * (bind: EBUSY), and a takeover's new sluiced must wait for the old one
 * to exit. The fds an open creates are noted (with their inodes, as an fd
 * number is reused once closed) and the ones still open after the close
 * are closed by sluice.
 */
#ifndef SL_XSK_FDS_H
#define SL_XSK_FDS_H

#include <stdint.h>
#include <sys/types.h>

#define SL_XSK_FDS_MAX 8

struct sl_xsk_fds {
	unsigned int n;
	int fd[SL_XSK_FDS_MAX];
	ino_t ino[SL_XSK_FDS_MAX];
};

/* The process's AF_XDP sockets now. */
void sl_xsk_fds_scan(struct sl_xsk_fds *out);
/* Those of after that are not in before (what an open made), into out. */
void sl_xsk_fds_new(const struct sl_xsk_fds *before,
		    const struct sl_xsk_fds *after, struct sl_xsk_fds *out);
/* Close those of fds still open as the same socket; how many. */
unsigned int sl_xsk_fds_close(const struct sl_xsk_fds *fds);

#endif
