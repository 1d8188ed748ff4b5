/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_log.h>
#include <rte_mbuf.h>

#include "eal.h"
#include "sl_meta.h"

/* Bytes one packet buffer takes in the pool, rounded up. */
#define MBUF_FOOTPRINT                                                        \
	(sizeof(struct rte_mbuf) + SL_META_PRIV_SIZE + RTE_MBUF_DEFAULT_BUF_SIZE)
/* What the EAL, rings, hash tables and snapshots need beside the pool. */
#define OVERHEAD_MB 256	/* includes two rule-sets of 131072 rules */

static int
add(struct sl_eal_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
add(struct sl_eal_plan *p, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (p->argc >= SL_EAL_MAX_ARGS - 1)
		return -1;
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	p->owned[p->argc] = s;
	p->argv[p->argc++] = s;
	p->argv[p->argc] = NULL;
	return 0;
}

void
sl_eal_file_prefix(const char *socket_path, char *out, size_t outlen)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	if (strcmp(socket_path, SL_DEFAULT_SOCKET) == 0) {
		snprintf(out, outlen, "sluice");
		return;
	}
	for (const char *c = socket_path; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	snprintf(out, outlen, "sluice-%08x", h);
}

/* Free hugepage memory in MB, 0 if none. */
static unsigned long
hugepage_free_mb(void)
{
	unsigned long free_pages = 0, size_kb = 0;
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	/* --in-memory takes hugepages through memfd: no hugetlbfs mount is
	 * needed, only free pages */
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "HugePages_Free: %lu", &free_pages);
		sscanf(line, "Hugepagesize: %lu kB", &size_kb);
	}
	fclose(f);
	return free_pages * size_kb / 1024;
}

static int
add_lcores(struct sl_eal_plan *p, const struct sl_options *o, char *err,
	   size_t errlen)
{
	cpu_set_t set;
	int cpus[CPU_SETSIZE], ncpu = 0;
	char map[2048];
	size_t len = 0;

	if (sched_getaffinity(0, sizeof(set), &set) != 0) {
		snprintf(err, errlen, "cannot read the CPU affinity: %s",
			 strerror(errno));
		return -1;
	}
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			cpus[ncpu++] = c;
	p->nb_workers = o->workers ? (unsigned int)o->workers :
				     (unsigned int)RTE_MAX(ncpu - 1, 1);
	/* lcore 0 (control) on the first allowed CPU, workers on the next
	 * ones; more workers than CPUs share them (a warning is logged). */
	for (unsigned int l = 0; l <= p->nb_workers; l++)
		len += (size_t)snprintf(map + len, sizeof(map) - len, "%s%u@%d",
					l ? "," : "", l, cpus[l % ncpu]);
	if (len >= sizeof(map)) {
		snprintf(err, errlen, "too many workers for the lcore map");
		return -1;
	}
	return add(p, "--lcores=%s", map);
}

static int
add_devices(struct sl_eal_plan *p, const struct sl_model *m)
{
	const struct sl_pif *pif;

	if (!m)	/* the state is known to name no PCI device */
		return add(p, "--no-pci");
	TAILQ_FOREACH(pif, &m->pifs, next) {
		if (!sl_devargs_is_pci(pif->ep.devargs))
			continue;
		p->pci = true;
		if (add(p, "-a") < 0 || add(p, "%s", pif->ep.devargs) < 0)
			return -1;
	}
	return p->pci ? 0 : add(p, "--no-pci");
}

static int
add_extra(struct sl_eal_plan *p, const char *extra)
{
	char *copy, *tok, *save = NULL;
	int rc = 0;

	if (!extra)
		return 0;
	copy = strdup(extra);
	if (!copy)
		return -1;
	for (tok = strtok_r(copy, " \t", &save); tok && rc == 0;
	     tok = strtok_r(NULL, " \t", &save))
		rc = add(p, "%s", tok);
	free(copy);
	return rc;
}

int
sl_eal_plan_build(const struct sl_options *o, const struct sl_model *m,
		  struct sl_eal_plan *p, char *err, size_t errlen)
{
	/* an eighth more for the pool's own headers, padding and ring */
	unsigned long need_mb = (unsigned long)o->mbufs * MBUF_FOOTPRINT / 1024 *
				9 / 8 / 1024 + OVERHEAD_MB;
	/* Without hugepages memory comes in 4 KB pages and a buffer may not
	 * straddle two: each takes a page of its own. */
	unsigned long need_small_mb = (unsigned long)o->mbufs * 4096 / 1024 *
				      9 / 8 / 1024 + OVERHEAD_MB;
	/* DPDK's own logs follow ours but stop at info: their debug level
	 * floods the log on every packet path. */
	int dpdk_level = RTE_MIN(o->log_level, (int)RTE_LOG_INFO);

	memset(p, 0, sizeof(*p));
	sl_eal_file_prefix(o->socket_path, p->file_prefix,
			   sizeof(p->file_prefix));
	/* a takeover runs beside the sluiced of that prefix */
	if (o->takeover) {
		size_t n = strlen(p->file_prefix);

		snprintf(p->file_prefix + n, sizeof(p->file_prefix) - n,
			 "-takeover-%d", (int)getpid());
	}
	p->hugepages = hugepage_free_mb() >= need_mb;
	if (!p->hugepages)
		need_mb = need_small_mb;
	p->memory_mb = (unsigned int)need_mb;
	if (add(p, "sluiced") < 0 || add_lcores(p, o, err, errlen) < 0 ||
	    add(p, "--file-prefix=%s", p->file_prefix) < 0)
		goto fail;
	/* No shared config files: a crashed daemon leaves nothing to clean
	 * and several daemons never collide. --in-memory implies it. */
	if (p->hugepages ? add(p, "--in-memory") < 0 :
			   add(p, "--no-huge") < 0 || add(p, "--no-shconf") < 0 ||
			   add(p, "-m") < 0 || add(p, "%lu", need_mb) < 0)
		goto fail;
	if (add_devices(p, m) < 0 ||
	    add(p, "--log-level=lib.*:%d", dpdk_level) < 0 ||
	    add(p, "--log-level=pmd.*:%d", dpdk_level) < 0 ||
	    add(p, "--log-level=user*:%d", dpdk_level) < 0 ||
	    add_extra(p, o->eal_extra) < 0)
		goto fail;
	return 0;
fail:
	if (!err[0])
		snprintf(err, errlen, "too many EAL arguments");
	sl_eal_plan_free(p);
	return -1;
}

void
sl_eal_plan_free(struct sl_eal_plan *p)
{
	for (int i = 0; i < p->argc; i++)
		free(p->owned[i]);
	p->argc = 0;
}
