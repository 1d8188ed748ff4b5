/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * End-to-end: the real sluiced with one worker, its input port a pcap
 * trace replayed without end (net_pcap infinite_rx) and its other ports
 * null; packets forwarded per second over a window of its own counters.
 */
#ifndef SL_BENCH_E2E_H
#define SL_BENCH_E2E_H

#include <stddef.h>
#include <stdint.h>

struct sl_e2e_conf {
	const char *sluiced;	/* the daemon to run */
	const char *state;	/* its state file, ports already mapped */
	const char *ovsdb;	/* NULL, or sluiced --ovsdb's remote */
	const char *workdir;	/* socket, stats file and log go here */
	const char *in_device;	/* not counted as output */
	unsigned int mbufs;
	double warmup_s, window_s;
};

struct sl_e2e_result {
	double seconds;		/* of the window, by the daemon's clock */
	uint64_t rx_packets;	/* taken in by the datapath in the window */
	uint64_t tx_packets;	/* sent out of the other ports */
	uint64_t busy_cycles;	/* the worker's, in the window */
	double tsc_hz;
};

/* Returns 0, or -1 with a sentence in err (and the daemon's log kept in
 * workdir). */
int sl_e2e_run(const struct sl_e2e_conf *c, struct sl_e2e_result *r,
	       char *err, size_t errlen);

#endif
