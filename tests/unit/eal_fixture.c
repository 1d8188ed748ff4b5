/* SPDX-License-Identifier: BSD-3-Clause */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "eal_fixture.h"
#include "sl_meta.h"
#include "sl_port.h"

static struct rte_mempool *pool;

/* The EAL's runtime directory (/var/run/dpdk/<prefix>: its telemetry
 * sockets) outlives the process: removed at exit, or every unit test run
 * leaves one behind per test program. Not rte_eal_cleanup(): the fuzz
 * targets exit with their switch still running. */
static char runtime_dir[PATH_MAX];

static void
remove_runtime_dir(void)
{
	char path[PATH_MAX + 256];
	struct dirent *e;
	DIR *d;

	d = opendir(runtime_dir);
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", runtime_dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(runtime_dir);
}

int
sl_test_eal_init(const char *prefix)
{
	return sl_test_eal_init_lcores(prefix, "0");
}

int
sl_test_eal_init_lcores(const char *prefix, const char *lcores)
{
	char file_prefix[64], lcore_arg[64];
	char *argv[] = { "test", "--no-huge", "--no-shconf", "--no-pci",
			 "-m", "512", lcore_arg, file_prefix,
			 "--log-level=lib.*:error", "--log-level=pmd.*:error", NULL };

	snprintf(file_prefix, sizeof(file_prefix), "--file-prefix=%s-%d",
		 prefix, getpid());
	snprintf(lcore_arg, sizeof(lcore_arg), "--lcores=%s", lcores);
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0)
		return -1;
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	atexit(remove_runtime_dir);
	pool = sl_pktpool_create("test_pool", 4095, SL_META_PRIV_SIZE,
				 RTE_MBUF_DEFAULT_BUF_SIZE);
	return pool ? 0 : -1;
}

struct rte_mempool *
sl_test_pool(void)
{
	return pool;
}
