/* SPDX-License-Identifier: BSD-3-Clause */
/* Port life cycle over DPDK ethdev: probe, configure, start, stop, remove. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_pci.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "devargs.h"
#include "pool_census.h"
#include "xsk_queue.h"
#include "sl_port.h"

static int
fail(char *err, size_t errlen, int rc, const char *what, const char *devname)
{
	snprintf(err, errlen, "%s %s: %s", what, devname, rte_strerror(-rc));
	return rc;
}

/* The device name DPDK gives the port: the devargs up to the first comma
 * (the vdev instance name), or the canonical PCI address ("03:00.0" becomes
 * "0000:03:00.0"). */
static void
devname_of(const char *devargs, char *out, size_t outlen)
{
	struct rte_pci_addr addr;
	size_t len = strcspn(devargs, ",");

	if (len >= outlen)
		len = outlen - 1;
	memcpy(out, devargs, len);
	out[len] = '\0';
	if (rte_pci_addr_parse(out, &addr) == 0)
		rte_pci_device_name(&addr, out, outlen);
}

/*
 * DPDK 22.11's af_xdp PMD frees a queue's memory (its umem) when the
 * queue's set-up fails, and again when the port is closed: a use after
 * free that corrupts the heap (it showed as a crash much later, in an
 * unrelated rte_free). Such a port is therefore never closed. It is kept,
 * by name, and set up again on the next attach of the same device, which
 * gives its queue new memory.
 */
static char kept_af_xdp[SL_MAX_PORTS][RTE_ETH_NAME_MAX_LEN];

static int
kept_index(const char *devname)
{
	for (int i = 0; i < SL_MAX_PORTS; i++)
		if (strcmp(kept_af_xdp[i], devname) == 0)
			return i;
	return -1;
}

static void
keep_af_xdp(const struct sl_port *port)
{
	int i = kept_index(port->devname);

	if (i < 0)
		i = kept_index("");
	if (i >= 0)
		snprintf(kept_af_xdp[i], sizeof(kept_af_xdp[i]), "%s",
			 port->devname);
}

bool
sl_port_af_xdp_kept(void)
{
	for (int i = 0; i < SL_MAX_PORTS; i++)
		if (kept_af_xdp[i][0])
			return true;
	return false;
}

/* EAL may have probed a PCI device already (it is on the allow list); the
 * port then exists and is only looked up. */
static int
find_or_probe(struct sl_port *port, const char *devargs, char *err,
	      size_t errlen)
{
	const char *bus = port->kind == SL_PORT_KIND_PCI ? "pci" : "vdev";
	uint16_t pid;
	int rc, kept;

	if (rte_eth_dev_get_port_by_name(port->devname, &pid) == 0) {
		kept = kept_index(port->devname);
		if (kept >= 0) {
			kept_af_xdp[kept][0] = '\0';
			port->port_id = pid;
			port->probed_by_us = true;
			return 0;
		}
		if (port->kind != SL_PORT_KIND_PCI) {
			snprintf(err, errlen, "device %s is already attached",
				 port->devname);
			return -EEXIST;
		}
		port->port_id = pid;
		port->probed_by_us = false;
		return 0;
	}
	rc = rte_dev_probe(devargs);
	if (rc < 0)
		return fail(err, errlen, rc, "cannot probe", port->devname);
	if (rte_eth_dev_get_port_by_name(port->devname, &pid) != 0) {
		snprintf(err, errlen, "probed %s but it has no ethdev port",
			 port->devname);
		rte_eal_hotplug_remove(bus, port->devname);
		return -ENODEV;
	}
	port->port_id = pid;
	port->probed_by_us = true;
	return 0;
}

static uint16_t
max_mtu_of(const struct rte_eth_dev_info *info)
{
	/* ethdev's own reckoning: the frame limit less the L2 overhead the
	 * PMD counts (its max_rx_pktlen - max_mtu, or Ethernet + CRC) */
	uint32_t overhead = info->max_mtu != UINT16_MAX &&
				    info->max_rx_pktlen > info->max_mtu ?
			    info->max_rx_pktlen - info->max_mtu :
			    RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
	uint32_t by_frame = info->max_rx_pktlen > overhead ?
			    info->max_rx_pktlen - overhead : 0;

	return (uint16_t)RTE_MIN((uint32_t)info->max_mtu, by_frame);
}

uint16_t
sl_port_max_mtu(const struct sl_port *port)
{
	struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(port->port_id, &info) != 0)
		return 0;
	return max_mtu_of(&info);
}

static int
configure(struct sl_port *port, const struct sl_port_conf *conf, char *err,
	  size_t errlen)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf ec;
	uint16_t nb_rxd = conf->nb_rxd, nb_txd = conf->nb_txd;
	uint16_t pid = port->port_id;
	int rc;

	rc = rte_eth_dev_info_get(pid, &info);
	if (rc < 0)
		return fail(err, errlen, rc, "cannot query", port->devname);
	rc = sl_port_offloads_check(port, conf->rx_offloads, conf->tx_offloads,
				    err, errlen);
	if (rc < 0)
		return rc;
	memset(&ec, 0, sizeof(ec));
	ec.rxmode.offloads = conf->rx_offloads;
	ec.txmode.offloads = conf->tx_offloads;
	/* frames longer than one buffer (jumbo) arrive as chained mbufs */
	if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER)
		ec.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	/* a port that cannot carry its network's MTU would drop what the
	 * network allows: refuse it by name instead */
	if (conf->mtu > max_mtu_of(&info)) {
		snprintf(err, errlen,
			 "the %s PMD of %s carries an MTU of at most %u, not %u",
			 info.driver_name, port->devname, max_mtu_of(&info),
			 conf->mtu);
		return -EMSGSIZE;
	}
	if (conf->mtu >= info.min_mtu)
		ec.rxmode.mtu = conf->mtu;
	/* frames longer than one buffer (jumbo) need chained mbufs on tx */
	if ((info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) &&
	    !conf->no_multi_segs)
		ec.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	port->rx_offloads = ec.rxmode.offloads;
	port->tx_offloads = ec.txmode.offloads;
	port->nb_rxq = 1;
	port->nb_txq = RTE_MIN(conf->nb_txq, info.max_tx_queues);
	if (port->nb_txq == 0)
		port->nb_txq = 1;
	rc = rte_eth_dev_configure(pid, port->nb_rxq, port->nb_txq, &ec);
	if (rc < 0)
		return fail(err, errlen, rc, "cannot configure", port->devname);
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(pid, &nb_rxd, &nb_txd);
	if (rc < 0)
		return fail(err, errlen, rc, "cannot size rings of",
			    port->devname);
	rc = rte_eth_rx_queue_setup(pid, 0, nb_rxd, rte_eth_dev_socket_id(pid),
				    NULL, conf->pool);
	if (rc < 0) {
		port->rxq_setup_failed = true;
		return fail(err, errlen, rc, "cannot set up rx queue of",
			    port->devname);
	}
	for (uint16_t q = 0; q < port->nb_txq; q++) {
		rc = rte_eth_tx_queue_setup(pid, q, nb_txd,
					    rte_eth_dev_socket_id(pid), NULL);
		if (rc < 0)
			return fail(err, errlen, rc, "cannot set up tx queue of",
				    port->devname);
	}
	return 0;
}

/*
 * An interface's queue is free for a new AF_XDP socket 10-45 ms after
 * the last one on it closed (measured on veths; the kernel releases the
 * socket's pool after an RCU grace period and in deferred work): the next
 * user of the queue, after a pif-unplug or in a takeover, finds it busy
 * until then. The PMD may fail once but not twice (xsk_queue.h), so the
 * queue is asked first, every millisecond for at most this long, and the
 * PMD tries once: a port whose set-up failed is kept (above), and the
 * next attach of the device, later, is its second and last try.
 */
#define AF_XDP_QUEUE_WAIT_MS 1000
#define AF_XDP_PROBE_US 1000
/* after a probe that bound the queue itself (a zero-copy interface): its
 * own release, twice what was measured */
#define AF_XDP_PROBE_RELEASE_US 90000

/* Until the queue is free or the wait is over; how long it was found
 * held, in ms. */
static unsigned int
wait_queue_free(const struct sl_port *port, uint32_t queue, uint64_t end)
{
	uint64_t start = rte_get_timer_cycles(), held = 0;

	for (;;) {
		enum sl_xsk_queue q = sl_xsk_queue_probe(port->ifname, queue);

		if (q == SL_XSK_QUEUE_TAKEN)
			usleep(AF_XDP_PROBE_RELEASE_US);
		if (q != SL_XSK_QUEUE_BUSY || rte_get_timer_cycles() >= end)
			return (unsigned int)(held * 1000 / rte_get_timer_hz());
		usleep(AF_XDP_PROBE_US);
		held = rte_get_timer_cycles() - start;
	}
}

/* The set-up once the queue is free, and what a failed one took from the
 * pool given back (pool_census.h): the next try needs 4,096 buffers. */
static int
configure_af_xdp(struct sl_port *port, const char *devargs,
		 const struct sl_port_conf *conf, char *err, size_t errlen)
{
	uint64_t end = rte_get_timer_cycles() +
		       rte_get_timer_hz() * AF_XDP_QUEUE_WAIT_MS / 1000;
	char start_queue[16] = "0";
	struct sl_pool_census census;
	bool counted;
	int rc;

	sl_devargs_get(devargs, "start_queue", start_queue, sizeof(start_queue));
	port->queue_held_ms = wait_queue_free(port,
		(uint32_t)strtoul(start_queue, NULL, 10), end);
	counted = sl_pool_census_take(conf->pool, &census) == 0;
	port->rxq_setup_failed = false;	/* a kept port's memory is new */
	rc = configure(port, conf, err, errlen);
	if (rc < 0 && port->rxq_setup_failed && counted)
		sl_pool_census_mend(conf->pool, &census);
	sl_pool_census_free(&census);
	return rc;
}

int
sl_port_open(struct sl_port *port, const char *devargs,
	     const struct sl_port_conf *conf, char *err, size_t errlen)
{
	struct sl_xsk_fds xsk_before = { 0 };
	int rc;

	memset(port, 0, sizeof(*port));
	port->port_id = SL_PORT_NONE;
	port->kind = sl_port_kind_of(devargs);
	devname_of(devargs, port->devname, sizeof(port->devname));

	rc = sl_port_kind_check(port->kind, devargs, err, errlen);
	if (rc < 0)
		return rc;
	if (port->kind == SL_PORT_KIND_AF_XDP)
		sl_xsk_fds_scan(&xsk_before);
	if (port->kind == SL_PORT_KIND_AF_PACKET || port->kind == SL_PORT_KIND_AF_XDP)
		sl_devargs_get(devargs, "iface", port->ifname, sizeof(port->ifname));
	rc = find_or_probe(port, devargs, err, errlen);
	if (rc < 0)
		return rc;
	rc = port->kind == SL_PORT_KIND_AF_XDP ?
		     configure_af_xdp(port, devargs, conf, err, errlen) :
		     configure(port, conf, err, errlen);
	if (rc == 0)
		rc = sl_port_set_mtu(port, conf->mtu);
	if (rc < 0 && err[0] == '\0')
		fail(err, errlen, rc, "cannot set the MTU of", port->devname);
	if (rc == 0) {
		/* A switch port must see every destination MAC. Some PMDs
		 * (vhost, pcap) have no such setting and always do. */
		rc = rte_eth_promiscuous_enable(port->port_id);
		if (rc == -ENOTSUP)
			rc = 0;
		if (rc < 0)
			fail(err, errlen, rc, "cannot enable promiscuous mode on",
			     port->devname);
	}
	if (rc == 0) {
		rc = rte_eth_dev_start(port->port_id);
		if (rc < 0)
			fail(err, errlen, rc, "cannot start", port->devname);
	}
	if (rc == 0)
		rc = rte_eth_macaddr_get(port->port_id, &port->mac);
	if (rc < 0) {
		sl_port_close(port);
		return rc;
	}
	if (port->kind == SL_PORT_KIND_AF_XDP) {
		struct sl_xsk_fds now;

		sl_xsk_fds_scan(&now);
		sl_xsk_fds_new(&xsk_before, &now, &port->xsk);
	}
	return 0;
}

void
sl_port_close(struct sl_port *port)
{
	struct rte_eth_dev_info info;
	struct rte_device *dev = NULL;

	if (port->port_id == SL_PORT_NONE)
		return;
	if (port->kind == SL_PORT_KIND_AF_XDP && port->rxq_setup_failed) {
		keep_af_xdp(port);
		port->port_id = SL_PORT_NONE;
		return;
	}
	if (rte_eth_dev_info_get(port->port_id, &info) == 0)
		dev = info.device;
	rte_eth_dev_stop(port->port_id);
	rte_eth_dev_close(port->port_id);
	if (port->probed_by_us && dev)
		rte_dev_remove(dev);
	/* what the af_xdp PMD leaves open, the interface's queue bound */
	sl_xsk_fds_close(&port->xsk);
	port->xsk.n = 0;
	port->port_id = SL_PORT_NONE;
}

int
sl_port_set_mtu(struct sl_port *port, uint16_t mtu)
{
	int rc = rte_eth_dev_set_mtu(port->port_id, mtu);

	/* Trace files, rings and vhost have no MTU of their own; the datapath
	 * enforces the MTU for every port, so this is not an error. */
	port->mtu_set_by_pmd = rc == 0;
	if (rc == -ENOTSUP)
		rc = 0;
	if (rc == 0)
		port->mtu = mtu;
	return rc;
}

int
sl_port_offloads_check(const struct sl_port *port, uint64_t rx, uint64_t tx,
		       char *err, size_t errlen)
{
	struct rte_eth_dev_info info;
	char rxn[128], txn[128];
	int rc = rte_eth_dev_info_get(port->port_id, &info);

	if (rc < 0)
		return fail(err, errlen, rc, "cannot query", port->devname);
	if (!(rx & ~info.rx_offload_capa) && !(tx & ~info.tx_offload_capa))
		return 0;
	sl_port_offload_names(rx & ~info.rx_offload_capa, true, rxn, sizeof(rxn));
	sl_port_offload_names(tx & ~info.tx_offload_capa, false, txn, sizeof(txn));
	snprintf(err, errlen, "the %s PMD of %s cannot offload %s%s%s",
		 info.driver_name, port->devname, rxn,
		 rxn[0] && txn[0] ? "," : "", txn);
	return -ENOTSUP;
}

int
sl_port_set_mac(struct sl_port *port, const struct rte_ether_addr *mac)
{
	int rc = rte_eth_dev_default_mac_addr_set(port->port_id,
						  (struct rte_ether_addr *)mac);

	if (rc == 0)
		port->mac = *mac;
	return rc == -ENOTSUP ? -ENOTSUP : rc;
}

void
sl_port_offload_names(uint64_t bits, bool rx, char *out, size_t outlen)
{
	size_t n = 0;

	out[0] = '\0';
	for (int b = 0; b < 64 && n < outlen; b++) {
		uint64_t bit = 1ull << b;

		if (!(bits & bit))
			continue;
		n += (size_t)snprintf(out + n, outlen - n, "%s%s", n ? "," : "",
				      rx ? rte_eth_dev_rx_offload_name(bit) :
					   rte_eth_dev_tx_offload_name(bit));
	}
}

int
sl_netdev_info(const char *ifname, struct rte_ether_addr *mac, bool *running)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (running) {
		if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
			*running = (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
		else
			rc = -errno;
	}
	if (mac && rc == 0) {
		if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0)
			memcpy(mac->addr_bytes, ifr.ifr_hwaddr.sa_data, RTE_ETHER_ADDR_LEN);
		else
			rc = -errno;
	}
	close(fd);
	return rc;
}

bool
sl_port_link_up(const struct sl_port *port)
{
	struct rte_eth_link link;
	bool running = false;

	if (port->ifname[0])
		return sl_netdev_info(port->ifname, NULL, &running) == 0 && running;
	if (rte_eth_link_get_nowait(port->port_id, &link) != 0)
		return false;
	return link.link_status == RTE_ETH_LINK_UP;
}

uint32_t
sl_port_link_speed(const struct sl_port *port)
{
	struct rte_eth_link link;

	if (rte_eth_link_get_nowait(port->port_id, &link) != 0)
		return 0;
	return link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN ? 0 :
							     link.link_speed;
}

int
sl_port_hw_stats_get(const struct sl_port *port, struct sl_port_hw_stats *st)
{
	struct rte_eth_stats s;
	int rc = rte_eth_stats_get(port->port_id, &s);

	memset(st, 0, sizeof(*st));
	if (rc < 0)
		return rc;
	st->ipackets = s.ipackets;
	st->opackets = s.opackets;
	st->ibytes = s.ibytes;
	st->obytes = s.obytes;
	st->imissed = s.imissed;
	st->ierrors = s.ierrors;
	st->oerrors = s.oerrors;
	st->rx_nombuf = s.rx_nombuf;
	return 0;
}

struct rte_mempool *
sl_pktpool_create(const char *name, unsigned int n, uint16_t priv_size,
		  uint16_t data_room)
{
	/* The per-lcore cache keeps alloc/free off the shared ring on the
	 * fast path: 256 buffers, four bursts of a worker (SL_BURST). */
	return rte_pktmbuf_pool_create(name, n, 256,
				       RTE_ALIGN(priv_size, RTE_MBUF_PRIV_ALIGN),
				       data_room, rte_socket_id());
}
