/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 fragments through af_packet ports as they came, not reassembled.
 *
 * DPDK 22.11's af_packet PMD joins each of its sockets to a fanout group
 * with PACKET_FANOUT_FLAG_DEFRAG (hard-coded in rte_eth_af_packet.c, even
 * for one queue): the kernel then reassembles IPv4 fragments before the
 * socket sees them. A switch must forward fragments as the sender cut
 * them; reassembled, the datagram is over the network's MTU and sluice
 * drops it, so fragmented traffic (large UDP, NFS, DNS with EDNS) never
 * crossed an af_packet port. The PMD has no devarg for it, and a socket
 * can neither leave its fanout group nor change its flags.
 *
 * So sluiced defines setsockopt(): a PACKET_FANOUT request loses that
 * flag (the hash and the rollover stay), and every call goes on to libc's
 * (the next definition: RTLD_NEXT). The PMD is a plugin the EAL dlopen()s;
 * its setsockopt binds to this one because sluiced exports it
 * (main/exported.list). Without the flag a fragment that is not the first
 * has no ports to hash on, so with several queues one datagram's
 * fragments may reach different queues: sluiced gives af_packet ports one.
 */
#include <dlfcn.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

typedef int (*setsockopt_fn)(int, int, int, const void *, socklen_t);

int
setsockopt(int fd, int level, int optname, const void *optval,
	   socklen_t optlen)
{
	static setsockopt_fn next;
	setsockopt_fn fn = __atomic_load_n(&next, __ATOMIC_RELAXED);
	int arg;

	if (!fn) {
		fn = (setsockopt_fn)dlsym(RTLD_NEXT, "setsockopt");
		if (!fn) {
			errno = ENOSYS;
			return -1;
		}
		__atomic_store_n(&next, fn, __ATOMIC_RELAXED);
	}
	if (level == SOL_PACKET && optname == PACKET_FANOUT && optval &&
	    optlen == sizeof(int)) {
		/* the group id below, the type and flags above */
		arg = (int)((unsigned int)*(const int *)optval &
			    ~((unsigned int)PACKET_FANOUT_FLAG_DEFRAG << 16));
		optval = &arg;
	}
	return fn(fd, level, optname, optval, optlen);
}
