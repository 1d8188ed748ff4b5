/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: request lines of the control socket through the real
 * dispatch (sl_ctl_handle: the envelope, the parameters checked against
 * the command table, every command's handler) on a real model and runtime,
 * as sluiced has them, with every feature, but no port: sl_port_open is
 * wrapped (-Wl,--wrap) to refuse, so nothing is ever attached or written
 * to a device (fuzz_daemon.h says what else stays in the process). Each
 * input starts from an empty model, so that a finding replays alone.
 *
 * Input: request lines separated by '\n' (at most MAX_LINES), handled in
 * turn on the same model, so that a network made by one line is there for
 * the next: "$N" in a line stands for the uuid line N answered with.
 * SL_FUZZ_VERBOSE=1 prints each answer (replaying a finding).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_daemon.h"
#include "sl_port.h"

#define MAX_LINES 16

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int __wrap_sl_port_open(struct sl_port *port, const char *devargs,
			const struct sl_port_conf *conf, char *err,
			size_t errlen);

/* No port is ever opened: the fuzzer must not make tap devices, write
 * pcap files or take a NIC. */
int
__wrap_sl_port_open(struct sl_port *port, const char *devargs,
		    const struct sl_port_conf *conf, char *err, size_t errlen)
{
	(void)port;
	(void)devargs;
	(void)conf;
	snprintf(err, errlen, "no ports in the fuzzer");
	return -1;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_daemon_eal("fuzz-control");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct fuzz_daemon d;

	fuzz_daemon_start(&d);
	for (unsigned int n = 0; n < MAX_LINES && p < end; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		fuzz_daemon_line(&d, p, (size_t)((nl ? nl : end) - p));
		p = nl ? nl + 1 : end;
	}
	fuzz_daemon_stop(&d);
	return 0;
}
