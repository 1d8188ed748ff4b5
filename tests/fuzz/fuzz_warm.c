/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: a restart's carry-over file (core/control/warm.c), as
 * the next sluiced reads it, on the fuzz switch (fuzz_switch.h: networks,
 * ports, an FDB and rules to carry the MACs and counters into). "$L" in
 * the input stands for the uuid of the switch's first network, so that
 * entries can name a network that exists. The file is read and removed;
 * what it taught the FDB is forgotten before the next input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdb.h"
#include "fuzz_switch.h"
#include "warm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_switch sw;
static char path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_switch_start(&sw, "fuzz-warm");
	snprintf(path, sizeof(path), "/tmp/sluice-fuzz-warm-%d", (int)getpid());
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *lan = sw.d.uuids[0];
	FILE *f = fopen(path, "w");

	if (!f)
		abort();
	for (size_t i = 0; i < size; i++) {
		if (data[i] == '$' && i + 1 < size && data[i + 1] == 'L') {
			fputs(lan, f);
			i++;
		} else {
			fputc(data[i], f);
		}
	}
	fclose(f);
	sl_warm_load(&sw.d.rt, path);
	if (access(path, F_OK) == 0)
		abort();	/* read once, then gone */
	sl_fdb_flush(sw.d.rt.dp->fdb, SL_FDB_ANY, SL_FDB_ANY, false);
	return 0;
}
