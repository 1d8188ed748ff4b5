/* SPDX-License-Identifier: BSD-3-Clause */
/* A pool's buffers counted by pointer (pool_census.h). Control thread
 * only: it empties the pool for a moment. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pool_census.h"

#define BULK 64

static int
by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return (x > y) - (x < y);
}

/* Every buffer this thread can take from mp, into objs (room for
 * mp->size); how many. Buffers in other lcores' caches are not seen,
 * before or after: they were not the PMD's to take. */
static unsigned int
drain(struct rte_mempool *mp, void **objs)
{
	unsigned int n = 0;

	while (n + BULK <= mp->size &&
	       rte_mempool_get_bulk(mp, objs + n, BULK) == 0)
		n += BULK;
	while (n < mp->size && rte_mempool_get(mp, objs + n) == 0)
		n++;
	return n;
}

int
sl_pool_census_take(struct rte_mempool *mp, struct sl_pool_census *c)
{
	c->objs = malloc(sizeof(void *) * mp->size);
	c->n = 0;
	if (!c->objs)
		return -ENOMEM;
	c->n = drain(mp, c->objs);
	rte_mempool_put_bulk(mp, c->objs, c->n);
	qsort(c->objs, c->n, sizeof(void *), by_address);
	return 0;
}

unsigned int
sl_pool_census_mend(struct rte_mempool *mp, const struct sl_pool_census *c)
{
	struct sl_pool_census now;
	unsigned int returned = 0, j = 0;

	if (!c->objs || sl_pool_census_take(mp, &now) < 0)
		return 0;
	for (unsigned int i = 0; i < c->n; i++) {
		while (j < now.n && (uintptr_t)now.objs[j] < (uintptr_t)c->objs[i])
			j++;
		if (j < now.n && now.objs[j] == c->objs[i])
			continue;
		rte_mempool_put(mp, c->objs[i]);
		returned++;
	}
	sl_pool_census_free(&now);
	return returned;
}

void
sl_pool_census_free(struct sl_pool_census *c)
{
	free(c->objs);
	c->objs = NULL;
	c->n = 0;
}
