/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>

#include "fuzz_switch.h"
#include "sl_pipeline.h"

/* The switch, as sluicectl lines ("$N": the uuid line N made). */
static const char *const setup[] = {
	/* 1 */ "network-create name-label=lan bridge=xenbr50",
	/* 2 */ "pif-introduce device=eth0 devargs=net_null0,no-rx=1 network-uuid=$1",
	/* 3 */ "pif-plug uuid=$2",
	/* 4 */ "network-create name-label=v10 bridge=xenbr51",
	/* 5 */ "vlan-create pif-uuid=$2 vlan=10 network-uuid=$4",
	/* 6 */ "vif-create network-uuid=$1 mac=02:00:00:00:00:01 device=vif1.0 devargs=net_null1,no-rx=1",
	/* 7 */ "vif-plug uuid=$6",
	/* 8 */ "vif-create network-uuid=$4 mac=02:00:00:00:00:02 device=vif2.0 devargs=net_null2,no-rx=1",
	/* 9 */ "vif-plug uuid=$8",
	/* a */ "pif-introduce device=eth1 devargs=net_null3,no-rx=1",
	/* b */ "pif-introduce device=eth2 devargs=net_null4,no-rx=1",
	/* c */ "network-create name-label=bonded bridge=xenbr52",
	/* d */ "bond-create network-uuid=$c pif-uuids=$a,$b mode=balance-slb",
	/* e */ "vif-create network-uuid=$c mac=02:00:00:00:00:03 device=vif3.0 devargs=net_null5,no-rx=1",
	/* f */ "vif-plug uuid=$e",
	/* g */ "pif-introduce device=eth3 devargs=net_null6,no-rx=1",
	/* h */ "pif-reconfigure-ip uuid=$g mode=static IP=192.0.2.1 netmask=255.255.255.0",
	/* i */ "pif-param-set uuid=$g other-config:static-neighbours=192.0.2.2/02:00:00:00:aa:01",
	/* j */ "pif-plug uuid=$g",
	/* k */ "network-create name-label=vx bridge=xenbr53",
	/* l */ "tunnel-create pif-uuid=$g network-uuid=$k protocol=vxlan key=100",
	/* m */ "tunnel-remote-add uuid=$l remote=192.0.2.2",
	/* n */ "vif-create network-uuid=$k mac=02:00:00:00:00:04 device=vif4.0 devargs=net_null7,no-rx=1",
	/* o */ "vif-plug uuid=$n",
	/* p */ "network-create name-label=gr bridge=xenbr54",
	/* q */ "tunnel-create pif-uuid=$g network-uuid=$p protocol=gre key=200",
	/* r */ "tunnel-remote-add uuid=$q remote=192.0.2.2",
	/* s */ "vif-create network-uuid=$p mac=02:00:00:00:00:05 device=vif5.0 devargs=net_null8,no-rx=1",
	/* t */ "vif-plug uuid=$s",
	/* u */ "add-rule bridge=xenbr50 mac=02:00:00:00:00:01 ipRange=10.0.0.0/8 direction=to protocol=tcp port=22 allow=false",
	/* v */ "add-rule bridge=xenbr53 mac=02:00:00:00:00:04 ipRange=0.0.0.0/0 direction=from protocol=udp port=53 allow=true",
	/* w */ "add-rule bridge=xenbr52 mac=02:00:00:00:00:03 ipRange=10.1.0.0/16 direction=to protocol=icmp allow=false",
	NULL,
};

/* "a=b c=d" as a request line */
static char *
request(const char *cmd)
{
	char *line = malloc(strlen(cmd) * 2 + 64), *o = line;
	const char *p = strchr(cmd, ' ');

	o += sprintf(o, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%.*s\",\"params\":{",
		     (int)(p ? p - cmd : (long)strlen(cmd)), cmd);
	for (bool first = true; p && *p; first = false) {
		const char *key = p + 1, *eq = strchr(key, '='), *end;

		end = strchr(eq, ' ');
		if (!end)
			end = eq + strlen(eq);
		o += sprintf(o, "%s\"%.*s\":\"%.*s\"", first ? "" : ",",
			     (int)(eq - key), key, (int)(end - eq - 1), eq + 1);
		p = end;
	}
	strcpy(o, "}}");
	return line;
}

void
fuzz_switch_start(struct fuzz_switch *sw, const char *prefix)
{
	const struct sl_snapshot *s;

	fuzz_daemon_eal(prefix);
	memset(sw, 0, sizeof(*sw));
	fuzz_daemon_start(&sw->d);
	for (unsigned int i = 0; setup[i]; i++) {
		char *line = request(setup[i]);

		if (!fuzz_daemon_line(&sw->d, line, strlen(line))) {
			fprintf(stderr, "fuzz switch: '%s' failed (SL_FUZZ_VERBOSE=1 says why)\n",
				setup[i]);
			abort();
		}
		free(line);
	}
	for (uint16_t p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (rte_eth_dev_is_valid_port(p) && sw->nb_ports < FUZZ_SWITCH_MAX_PORTS)
			sw->ports[sw->nb_ports++] = p;
	s = sl_dp_snapshot(sw->d.rt.dp);
	if (s->nb_transports != 1 || s->nb_remotes != 2 || !s->vteps[0].resolved) {
		fprintf(stderr, "fuzz switch: the tunnels are not up\n");
		abort();
	}
	fuzz_switch_lock_vif(sw, "vif1.0", "eth0");
	sw->transport_port = s->transports[0].port;
	sw->transport_mac = s->transports[0].mac;
	sw->local_ip = s->transports[0].ip;
	sw->remote_ip = s->vteps[0].ip;
	sw->mbufs = rte_mempool_in_use_count(sw->d.rt.pool);
}

struct rte_mbuf *
fuzz_switch_frame(struct fuzz_switch *sw, const uint8_t *data, uint16_t len,
		  unsigned int nb_segs, const uint8_t *splits, unsigned int odd)
{
	struct rte_mbuf *head = NULL;
	uint16_t left = len;

	for (unsigned int i = 0; i < nb_segs; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(sw->d.rt.pool);
		uint16_t n = i + 1 == nb_segs ? left :
			     (uint16_t)((uint32_t)left * splits[i] / 255);

		if (!m) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		n = RTE_MIN(n, (uint16_t)(rte_pktmbuf_tailroom(m) - 1));
		if (i && (odd >> i & 1))
			m->data_off++;
		memcpy(rte_pktmbuf_append(m, n), data + (len - left), n);
		left -= n;
		if (!head)
			head = m;
		else if (rte_pktmbuf_chain(head, m) < 0) {
			rte_pktmbuf_free(m);
			break;
		}
	}
	return head;
}

/* SL_FUZZ_VERBOSE: what became of the burst (replaying a finding, or
 * checking that a seed goes where it should) */
static void
say(const struct sl_worker_stats *before, const struct sl_worker_stats *after)
{
	for (int r = 0; r < SL_DROP__COUNT; r++)
		if (after->drops[r] != before->drops[r])
			fprintf(stderr, " dropped %s: %" PRIu64 "\n", sl_drop_name(r),
				after->drops[r] - before->drops[r]);
	for (uint16_t p = 0; p < SL_DP_MAX_PORTS; p++)
		if (after->port[p].tx_packets != before->port[p].tx_packets)
			fprintf(stderr, " sent on port %u: %" PRIu64 "\n", p,
				after->port[p].tx_packets - before->port[p].tx_packets);
}

void
fuzz_switch_burst(struct fuzz_switch *sw, uint16_t port,
		  struct rte_mbuf **pkts, uint16_t n)
{
	struct sl_worker *w = &sw->d.rt.dp->workers[0];
	const struct sl_snapshot *s = sl_dp_snapshot(sw->d.rt.dp);
	struct sl_worker_stats *before = sw->d.verbose ? malloc(sizeof(*before)) : NULL;

	if (before)
		*before = w->stats;

	sl_worker_clock(w, rte_rdtsc());
	sl_pipeline_burst(w, s, port, pkts, n);
	sl_tx_flush(w, s);
	/* what the control thread does with punted frames, and sends back */
	sl_runtime_fast_tick(&sw->d.rt);
	s = sl_dp_snapshot(sw->d.rt.dp);
	sl_tx_drain_inject(w, s);
	sl_tx_flush(w, s);
	if (before) {
		fprintf(stderr, "burst of %u on port %u:\n", n, port);
		say(before, &w->stats);
		free(before);
	}
	if (rte_mempool_in_use_count(sw->d.rt.pool) != sw->mbufs) {
		fprintf(stderr, "fuzz switch: %d packet buffers not returned\n",
			rte_mempool_in_use_count(sw->d.rt.pool) - (int)sw->mbufs);
		abort();
	}
}
