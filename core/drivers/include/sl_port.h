/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one port interface of sluice. Every kind of port (pcap trace, ring,
 * null, tap, af_packet, af_xdp, vhost-user, PCI NIC) is a DPDK ethdev, so a
 * port is opened from DPDK devargs and driven through the same calls; what
 * differs per kind (checks before probing, naming) lives in port_kind.c.
 */
#ifndef SL_PORT_H
#define SL_PORT_H

#include "xsk_fds.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <net/if.h>

#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

/* Debian's DPDK is built with RTE_MAX_ETHPORTS = 32: the hard limit of ports
 * (PIFs + VIFs + bond members) one daemon can drive. */
#define SL_MAX_PORTS RTE_MAX_ETHPORTS
#define SL_PORT_NONE UINT16_MAX

#define SL_DEVICE_NAME_MAX 64
#define SL_DEVARGS_MAX 1024
#define SL_ERRMSG_MAX 256

enum sl_port_kind {
	SL_PORT_KIND_PCAP,
	SL_PORT_KIND_RING,
	SL_PORT_KIND_NULL,
	SL_PORT_KIND_TAP,
	SL_PORT_KIND_AF_PACKET,
	SL_PORT_KIND_AF_XDP,
	SL_PORT_KIND_VHOST,
	SL_PORT_KIND_PCI,
	SL_PORT_KIND_OTHER,	/* any other DPDK vdev (net_bonding, ...) */
	SL_PORT_KIND_COUNT
};

struct sl_port_conf {
	struct rte_mempool *pool;	/* rx buffers */
	uint16_t nb_txq;		/* wanted: one per worker */
	uint16_t nb_rxd;
	uint16_t nb_txd;
	uint16_t mtu;
	/* RTE_ETH_{RX,TX}_OFFLOAD_* the operator asked for; opening fails
	 * with a sentence when the PMD cannot do one of them */
	uint64_t rx_offloads;
	uint64_t tx_offloads;
	bool no_multi_segs;	/* scatter-gather turned off (ethtool-sg=off) */
};

struct sl_port {
	uint16_t port_id;		/* DPDK ethdev port id */
	enum sl_port_kind kind;
	char devname[RTE_ETH_NAME_MAX_LEN];	/* DPDK's name (net_pcap_vif_1) */
	struct rte_ether_addr mac;
	uint16_t mtu;
	uint16_t nb_rxq;
	uint16_t nb_txq;		/* what the device granted, <= wanted */
	char ifname[IF_NAMESIZE];	/* the kernel netdev behind it, if any */
	uint64_t rx_offloads;		/* what is configured */
	uint64_t tx_offloads;
	bool probed_by_us;		/* hot-plugged: removed again on close */
	bool mtu_set_by_pmd;		/* false: the PMD has no MTU setting */
	bool rxq_setup_failed;		/* (af_xdp: never closed, port.c) */
	unsigned int queue_held_ms;	/* af_xdp: its queue found held */
	struct sl_xsk_fds xsk;		/* af_xdp: its sockets (xsk_fds.h) */
};

struct sl_port_hw_stats {
	uint64_t ipackets, opackets, ibytes, obytes;
	uint64_t imissed, ierrors, oerrors, rx_nombuf;
};

const char *sl_port_kind_name(enum sl_port_kind kind);
enum sl_port_kind sl_port_kind_of(const char *devargs);
bool sl_devargs_is_pci(const char *devargs);

/*
 * Give the vdev a name unique in this process: "net_pcap,rx_pcap=a" for
 * object "vif-1" becomes "net_pcap_vif_1,rx_pcap=a". Devargs that already
 * carry an instance name ("net_pcap7,...") or a PCI address are kept.
 * Returns 0 or -ENAMETOOLONG/-EINVAL.
 */
int sl_port_devargs_normalize(const char *object_name, const char *devargs,
			      char *out, size_t outlen);

/*
 * Open a port: check the kind's prerequisites, probe the device (unless EAL
 * already did, for PCI), configure one rx queue and up to conf->nb_txq tx
 * queues, enable promiscuous mode, start it. On failure returns -errno and
 * a sentence in err.
 */
int sl_port_open(struct sl_port *port, const char *devargs,
		 const struct sl_port_conf *conf, char *err, size_t errlen);
void sl_port_close(struct sl_port *port);
/* Whether an af_xdp port whose queue set-up failed is kept open (port.c):
 * closing it, as rte_eal_cleanup does, frees its memory a second time. */
bool sl_port_af_xdp_kept(void);

int sl_port_set_mtu(struct sl_port *port, uint16_t mtu);
/* The largest MTU the port's PMD carries (tap, af_packet and af_xdp stop
 * below jumbo sizes in DPDK 22.11). */
uint16_t sl_port_max_mtu(const struct sl_port *port);
/* Give the port this MAC. Returns 0, or -ENOTSUP when the PMD has no such
 * setting (the port keeps its own). */
int sl_port_set_mac(struct sl_port *port, const struct rte_ether_addr *mac);
/* 0 when the port's PMD can do these offloads, else -ENOTSUP and a
 * sentence naming the missing ones. */
int sl_port_offloads_check(const struct sl_port *port, uint64_t rx,
			   uint64_t tx, char *err, size_t errlen);
/* "ipv4_cksum,udp_cksum" for a set of offload bits. */
void sl_port_offload_names(uint64_t bits, bool rx, char *out, size_t outlen);
/* The link: for ports over a kernel netdev (af_packet, af_xdp, whose PMDs
 * always say "up") the netdev's own carrier. */
bool sl_port_link_up(const struct sl_port *port);
/* A kernel netdev's MAC and whether it is up with a carrier (ioctls: they
 * see the caller's network namespace, as sysfs does not always). */
int sl_netdev_info(const char *ifname, struct rte_ether_addr *mac, bool *running);
uint32_t sl_port_link_speed(const struct sl_port *port);
int sl_port_hw_stats_get(const struct sl_port *port,
			 struct sl_port_hw_stats *st);

/*
 * Whether a kind keeps rx buffers it cannot give back: DPDK 22.11's af_xdp
 * PMD builds its UMEM over the rx mempool and does not return the buffers
 * left in its fill ring when the port is closed. Such a port gets a pool of
 * its own so the main pool never drains.
 */
bool sl_port_kind_keeps_rx_buffers(enum sl_port_kind kind);

/* Kind-specific checks run before probing (port_kind.c). */
int sl_port_kind_check(enum sl_port_kind kind, const char *devargs,
		       char *err, size_t errlen);

static inline uint16_t
sl_port_rx_burst(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		 uint16_t n)
{
	return rte_eth_rx_burst(port_id, queue, pkts, n);
}

static inline uint16_t
sl_port_tx_burst(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		 uint16_t n)
{
	return rte_eth_tx_burst(port_id, queue, pkts, n);
}

/* The mbuf pool every port receives into; priv_size holds the datapath's
 * per-packet metadata. */
struct rte_mempool *sl_pktpool_create(const char *name, unsigned int n,
				      uint16_t priv_size, uint16_t data_room);

#endif
