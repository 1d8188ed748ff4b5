/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A guest as the switch sees it, for tests: a DPDK process with one
 * virtio-user port (the guest's virtio NIC) speaking vhost-user to sluiced.
 * It waits for the link, sends the frames of a pcap file, and writes every
 * frame it receives to another pcap file (flushed per frame) until SIGTERM,
 * or with --until-link-down until the switch goes away ("vm-peer: link
 * down", exit 0). It uses libpcap and DPDK only, nothing of sluice.
 *
 * Why not wait for the next switch, as QEMU does in server mode: DPDK
 * 22.11's virtio-user takes a switch back once but not twice (after the
 * first reconnect its link interrupt fires on the closed connection, each
 * firing sets one more disconnect alarm, they close the descriptor twice
 * and the interrupt thread panics: epoll_ctl: Bad file descriptor), and
 * removing and probing the port again races the same alarm. A test that
 * needs the guest across a switch restart starts the peer again on the
 * same socket path (test_vhost.py).
 *
 *   sl-vm-peer --vdev 'net_virtio_user0,path=S[,server=1],mac=M'
 *              [--send IN.pcap] --recv OUT.pcap [--prefix NAME]
 */
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
send_trace(uint16_t port, struct rte_mempool *mp, const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p = pcap_open_offline(path, errbuf);
	int sent = 0;

	if (!p) {
		fprintf(stderr, "vm-peer: %s\n", errbuf);
		return -1;
	}
	while (!stop && pcap_next_ex(p, &h, &data) == 1) {
		struct rte_mbuf *m = NULL, *last = NULL;
		uint32_t off = 0;

		/* a frame longer than one buffer goes as a chain (jumbo) */
		while (off < h->caplen) {
			struct rte_mbuf *seg = rte_pktmbuf_alloc(mp);
			uint16_t n = (uint16_t)RTE_MIN(h->caplen - off,
						       (uint32_t)rte_pktmbuf_tailroom(seg));

			if (!seg) {
				fprintf(stderr, "vm-peer: out of buffers\n");
				rte_pktmbuf_free(m);
				pcap_close(p);
				return -1;
			}
			memcpy(rte_pktmbuf_append(seg, n), data + off, n);
			off += n;
			if (!m)
				m = seg;
			else if (rte_pktmbuf_chain(m, seg) != 0) {
				rte_pktmbuf_free(seg);
				rte_pktmbuf_free(m);
				pcap_close(p);
				return -1;
			}
			last = seg;
		}
		(void)last;
		/* the ring may be full for a moment: retry, never drop */
		while (!stop && rte_eth_tx_burst(port, 0, &m, 1) == 0)
			usleep(100);
		sent++;
	}
	pcap_close(p);
	return sent;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vdev", required_argument, NULL, 'v' },
		{ "send", required_argument, NULL, 's' },
		{ "recv", required_argument, NULL, 'r' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "until-link-down", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *vdev = NULL, *send = NULL, *recv = NULL,
		   *prefix = "sl-vm-peer";
	char prefix_arg[128], vdev_arg[1024];
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	struct rte_eth_link link;
	pcap_dumper_t *dump;
	pcap_t *dead;
	uint16_t port = 0;
	unsigned int polls = 0;
	bool until_down = false;
	int c, sent = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'v': vdev = optarg; break;
		case 's': send = optarg; break;
		case 'r': recv = optarg; break;
		case 'p': prefix = optarg; break;
		case 'u': until_down = true; break;
		default: return 2;
		}
	}
	if (!vdev || !recv) {
		fprintf(stderr, "usage: sl-vm-peer --vdev ARGS [--send F] --recv F\n");
		return 2;
	}
	snprintf(prefix_arg, sizeof(prefix_arg), "--file-prefix=%s", prefix);
	snprintf(vdev_arg, sizeof(vdev_arg), "--vdev=%s", vdev);
	/* --no-huge: virtio-user shares its anonymous memory with the vhost
	 * side by fd; --in-memory would not (DPDK 22.11). */
	char *eal[] = { "sl-vm-peer", "--no-huge", "-m", "128", "--no-pci",
			"--no-shconf", "-l", "0", prefix_arg, vdev_arg,
			"--log-level=lib.*:warning", "--log-level=pmd.*:warning",
			NULL };
	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "vm-peer: EAL init failed\n");
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	/* virtio-user writes to a switch that went away: an error, not death */
	signal(SIGPIPE, SIG_IGN);
	mp = rte_pktmbuf_pool_create("vm_pool", 4095, 64, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	memset(&conf, 0, sizeof(conf));
	/* jumbo frames as chains of 2 KB buffers, both ways */
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	conf.rxmode.mtu = 9000;
	if (!mp || rte_eth_dev_count_avail() != 1 ||
	    rte_eth_dev_configure(port, 1, 1, &conf) < 0 ||
	    rte_eth_rx_queue_setup(port, 0, 256, 0, NULL, mp) < 0 ||
	    rte_eth_tx_queue_setup(port, 0, 256, 0, NULL) < 0 ||
	    rte_eth_dev_start(port) < 0) {
		fprintf(stderr, "vm-peer: cannot start the virtio-user port\n");
		return 1;
	}
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	dump = pcap_dump_open(dead, recv);
	if (!dump) {
		fprintf(stderr, "vm-peer: %s\n", pcap_geterr(dead));
		return 1;
	}
	do {
		rte_eth_link_get_nowait(port, &link);
		if (link.link_status != RTE_ETH_LINK_UP)
			usleep(10000);
	} while (!stop && link.link_status != RTE_ETH_LINK_UP);
	printf("vm-peer: link up\n");
	fflush(stdout);
	if (send) {
		sent = send_trace(port, mp, send);
		if (sent < 0)
			return 1;
	}
	printf("vm-peer: sent %d\n", sent);
	fflush(stdout);
	while (!stop) {
		struct rte_mbuf *pkts[32];
		uint16_t n = rte_eth_rx_burst(port, 0, pkts, 32);

		for (uint16_t i = 0; i < n; i++) {
			struct pcap_pkthdr h = { .caplen = pkts[i]->pkt_len,
						 .len = pkts[i]->pkt_len };
			u_char buf[RTE_MBUF_DEFAULT_BUF_SIZE * 8];
			const void *d = rte_pktmbuf_read(pkts[i], 0,
							 RTE_MIN(pkts[i]->pkt_len,
								 sizeof(buf)), buf);

			gettimeofday(&h.ts, NULL);
			pcap_dump((u_char *)dump, &h, d);
			pcap_dump_flush(dump);
			rte_pktmbuf_free(pkts[i]);
		}
		if (n == 0)
			usleep(100);
		/* every 10 ms: the link, as a guest's driver hears of it */
		if (until_down && ++polls % 100 == 0) {
			rte_eth_link_get_nowait(port, &link);
			if (link.link_status != RTE_ETH_LINK_UP) {
				printf("vm-peer: link down\n");
				fflush(stdout);
				/* not through the port's close: virtio-user
				 * has an interrupt on its listening socket
				 * by now, and closing that socket under it
				 * panics DPDK 22.11's interrupt thread */
				pcap_dump_close(dump);
				_exit(0);
			}
		}
	}
	pcap_dump_close(dump);
	pcap_close(dead);
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	rte_eal_cleanup();
	return 0;
}
