/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A switch for the datapath's fuzz targets (fuzz_decap, fuzz_pipeline):
 * made once through the real control dispatch, as an operator would with
 * sluicectl, on null ports (net_null: what is sent is freed, nothing is
 * received), so that the snapshot is the one the runtime builds: a
 * network with a PIF and two VIFs, VLAN 10 on that PIF with a VIF, a
 * two-member SLB bond, flow rules, and a transport PIF carrying a VXLAN
 * (key 100) and a GRE (key 200) private network to one resolved remote,
 * each with a VIF. Bursts run on worker 0's state from the fuzzer's thread.
 */
#ifndef SL_FUZZ_SWITCH_H
#define SL_FUZZ_SWITCH_H

#include <stdint.h>

#include <rte_mbuf.h>

#include "fuzz_daemon.h"

#define FUZZ_SWITCH_MAX_PORTS 16

struct fuzz_switch {
	struct fuzz_daemon d;
	uint16_t ports[FUZZ_SWITCH_MAX_PORTS];	/* ethdev ports, in order */
	unsigned int nb_ports;
	uint16_t transport_port;	/* where tunnelled frames come in */
	struct rte_ether_addr transport_mac;
	uint32_t local_ip, remote_ip;	/* network order */
	unsigned int mbufs;		/* in use when idle */
};

/* EAL and switch; aborts if any step fails (saying which). */
void fuzz_switch_start(struct fuzz_switch *sw, const char *prefix);

/* vif locked as XAPI locks a guest, with a flow to uplink besides
 * (fuzz_switch_flows.c); aborts if it cannot be done. */
void fuzz_switch_lock_vif(struct fuzz_switch *sw, const char *vif,
			  const char *uplink);

/* A frame of len bytes from data, in nb_segs (1..4) segments split at the
 * given fractions (0..255 of what is left), segment i's data at an odd
 * address when bit i of odd is set (the first segment's never: PMDs put it
 * behind the headroom). NULL when the pool is empty. */
struct rte_mbuf *fuzz_switch_frame(struct fuzz_switch *sw, const uint8_t *data,
				   uint16_t len, unsigned int nb_segs,
				   const uint8_t *splits, unsigned int odd);

/* The burst through the whole pipeline as received on port, then what
 * the worker's loop does after it (the control thread's frames, the
 * transmit buffers flushed) and the control thread's 10 ms tick (punted
 * ARP and LACP). Aborts when a packet buffer did not come back. */
void fuzz_switch_burst(struct fuzz_switch *sw, uint16_t port,
		       struct rte_mbuf **pkts, uint16_t n);

#endif
