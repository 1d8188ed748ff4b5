/* SPDX-License-Identifier: BSD-3-Clause */
/* The port interface: recognising kinds, naming vdevs, the checks made
 * before probing, and a real open/close of null and pcap ports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_mbuf.h>

#include "devargs.h"
#include "eal_fixture.h"
#include "pool_census.h"
#include "sl_port.h"
#include "xsk_queue.h"

static void
test_kinds(void **state)
{
	(void)state;
	assert_int_equal(sl_port_kind_of("net_pcap,rx_pcap=a"), SL_PORT_KIND_PCAP);
	assert_int_equal(sl_port_kind_of("net_pcap7"), SL_PORT_KIND_PCAP);
	assert_int_equal(sl_port_kind_of("net_af_packet,iface=x"), SL_PORT_KIND_AF_PACKET);
	assert_int_equal(sl_port_kind_of("net_af_xdp0,iface=x"), SL_PORT_KIND_AF_XDP);
	assert_int_equal(sl_port_kind_of("net_vhost,iface=/s"), SL_PORT_KIND_VHOST);
	assert_int_equal(sl_port_kind_of("net_tap"), SL_PORT_KIND_TAP);
	assert_int_equal(sl_port_kind_of("net_null,no-rx=1"), SL_PORT_KIND_NULL);
	assert_int_equal(sl_port_kind_of("net_ring0"), SL_PORT_KIND_RING);
	assert_int_equal(sl_port_kind_of("0000:03:00.0"), SL_PORT_KIND_PCI);
	assert_int_equal(sl_port_kind_of("03:00.1,rxq=2"), SL_PORT_KIND_PCI);
	assert_int_equal(sl_port_kind_of("net_bonding0,mode=0"), SL_PORT_KIND_OTHER);
	assert_false(sl_devargs_is_pci("net_pcap0"));
	assert_false(sl_devargs_is_pci("eth0"));
	assert_string_equal(sl_port_kind_name(SL_PORT_KIND_VHOST), "vhost-user");
}

static void
test_normalize(void **state)
{
	char out[SL_DEVARGS_MAX];

	(void)state;
	assert_int_equal(sl_port_devargs_normalize("vif_3.0", "net_pcap,rx_pcap=/a",
						   out, sizeof(out)), 0);
	assert_string_equal(out, "net_pcap_vif_3_0,rx_pcap=/a");
	assert_int_equal(sl_port_devargs_normalize("pif_eth0", "net_null", out,
						   sizeof(out)), 0);
	assert_string_equal(out, "net_null_pif_eth0");
	/* an instance name the operator chose is kept */
	assert_int_equal(sl_port_devargs_normalize("x", "net_pcap3,iface=a", out,
						   sizeof(out)), 0);
	assert_string_equal(out, "net_pcap3,iface=a");
	assert_int_equal(sl_port_devargs_normalize("x", "0000:01:00.0", out,
						   sizeof(out)), 0);
	assert_string_equal(out, "0000:01:00.0");
	assert_int_equal(sl_port_devargs_normalize("x", "net_pcap,rx_pcap=/a", out, 10),
			 -ENAMETOOLONG);
	assert_int_equal(sl_port_devargs_normalize("x", ",a=b", out, sizeof(out)),
			 -EINVAL);
}

static void
test_devargs_get(void **state)
{
	char v[64];

	(void)state;
	assert_int_equal(sl_devargs_get("net_pcap,rx_pcap=/a/b,tx_pcap=/c", "tx_pcap",
					v, sizeof(v)), 0);
	assert_string_equal(v, "/c");
	assert_int_equal(sl_devargs_get("net_pcap,rx_pcap=/a", "iface", v, sizeof(v)),
			 -ENOENT);
	assert_int_equal(sl_devargs_get("net_null", "size", v, sizeof(v)), -ENOENT);
	assert_int_equal(sl_devargs_get("net_x,k=0123456789", "k", v, 4),
			 -ENAMETOOLONG);
}

static struct sl_port_conf
conf(void)
{
	struct sl_port_conf c = {
		.pool = sl_test_pool(), .nb_txq = 2, .nb_rxd = 256,
		.nb_txd = 256, .mtu = 1500,
	};
	return c;
}

static void
test_checks_before_probing(void **state)
{
	struct sl_port_conf c = conf();
	struct sl_port p;
	char err[SL_ERRMSG_MAX];

	(void)state;
	err[0] = '\0';
	assert_int_equal(sl_port_open(&p, "net_af_packet_a,iface=nosuchif0", &c,
				      err, sizeof(err)), -ENODEV);
	assert_string_equal(err, "network interface 'nosuchif0' does not exist");
	err[0] = '\0';
	assert_true(sl_port_open(&p, "net_af_xdp_a", &c, err, sizeof(err)) < 0);
	assert_string_equal(err, "devargs need iface=<interface>");
	err[0] = '\0';
	assert_true(sl_port_open(&p, "net_pcap_a,rx_pcap=/nonexistent/x.pcap", &c,
				 err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "cannot read rx_pcap file '/nonexistent/x.pcap'"));
	err[0] = '\0';
	assert_true(sl_port_open(&p, "net_vhost_a", &c, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "iface=<vhost-user socket path>"));
}

static void
test_vhost_socket_cleanup(void **state)
{
	char path[] = "/tmp/sl-test-vhost-XXXXXX", err[SL_ERRMSG_MAX] = "";
	char args[128];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	(void)state;
	/* a regular file where the socket should go is refused */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(args, sizeof(args), "net_vhost_a,iface=%s", path);
	assert_int_equal(sl_port_kind_check(SL_PORT_KIND_VHOST, args, err,
					    sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "is not a socket"));
	unlink(path);
	/* a stale socket of an earlier run is removed */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	assert_int_equal(sl_port_kind_check(SL_PORT_KIND_VHOST, args, err,
					    sizeof(err)), 0);
	assert_int_equal(access(path, F_OK), -1);
	/* client mode never touches the path */
	snprintf(args, sizeof(args), "net_vhost_a,iface=%s,client=1", "/etc/hostname");
	assert_int_equal(sl_port_kind_check(SL_PORT_KIND_VHOST, args, err,
					    sizeof(err)), 0);
}

static void
test_open_close_null(void **state)
{
	struct sl_port_conf c = conf();
	struct sl_port p;
	struct sl_port_hw_stats st;
	char err[SL_ERRMSG_MAX] = "";
	unsigned int avail = rte_mempool_avail_count(sl_test_pool());
	uint16_t pid;

	(void)state;
	assert_int_equal(sl_port_open(&p, "net_null_t1,no-rx=1", &c, err,
				      sizeof(err)), 0);
	assert_int_equal(p.kind, SL_PORT_KIND_NULL);
	assert_string_equal(p.devname, "net_null_t1");
	assert_int_equal(p.nb_rxq, 1);
	assert_int_equal(p.nb_txq, 2);
	assert_true(p.probed_by_us);
	assert_true(sl_port_link_up(&p));
	assert_int_equal(sl_port_hw_stats_get(&p, &st), 0);
	/* the same device twice is refused by name */
	struct sl_port again;

	assert_int_equal(sl_port_open(&again, "net_null_t1", &c, err,
				      sizeof(err)), -EEXIST);
	assert_string_equal(err, "device net_null_t1 is already attached");
	pid = p.port_id;
	sl_port_close(&p);
	assert_int_equal(p.port_id, SL_PORT_NONE);
	assert_false(rte_eth_dev_is_valid_port(pid));
	assert_int_equal(rte_mempool_avail_count(sl_test_pool()), avail);
	/* and it can come back under the same name */
	assert_int_equal(sl_port_open(&p, "net_null_t1,no-rx=1", &c, err,
				      sizeof(err)), 0);
	sl_port_close(&p);
}

/* What a failed af_xdp set-up takes is given back; what was taken before
 * the census (in flight elsewhere) is not. */
static void
test_pool_census(void **state)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("census", 1023, 0, 0,
							 RTE_MBUF_DEFAULT_BUF_SIZE,
							 SOCKET_ID_ANY);
	struct rte_mbuf *before[10], *lost[300];
	struct sl_pool_census c;

	(void)state;
	assert_non_null(mp);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, before, 10), 0);
	assert_int_equal(sl_pool_census_take(mp, &c), 0);
	assert_int_equal(c.n, 1013);
	assert_int_equal(rte_mempool_avail_count(mp), 1013);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, lost, 300), 0);
	assert_int_equal(sl_pool_census_mend(mp, &c), 300);
	assert_int_equal(rte_mempool_avail_count(mp), 1013);
	assert_int_equal(sl_pool_census_mend(mp, &c), 0);	/* nothing twice */
	sl_pool_census_free(&c);
	rte_pktmbuf_free_bulk(before, 10);
	assert_int_equal(rte_mempool_avail_count(mp), 1023);
	rte_mempool_free(mp);
}

static void
test_xsk_queue_probe(void **state)
{
	(void)state;
	assert_int_equal(sl_xsk_queue_probe("no-such-if0", 0),
			 SL_XSK_QUEUE_UNKNOWN);
	/* lo has no zero-copy: a free queue refuses the mode */
	assert_int_equal(sl_xsk_queue_probe("lo", 0), SL_XSK_QUEUE_FREE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_devargs_get),
		cmocka_unit_test(test_checks_before_probing),
		cmocka_unit_test(test_vhost_socket_cleanup),
		cmocka_unit_test(test_open_close_null),
		cmocka_unit_test(test_pool_census),
		cmocka_unit_test(test_xsk_queue_probe),
	};

	if (sl_test_eal_init("test-port") < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
