/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Starting, publishing and ending captures (capture.h). The control
 * thread is the only one that changes the set the workers see: a new set
 * is built whole and swapped in through RCU, and what an ended capture's
 * tap used (ring, pool, filter, counters) is freed only after the grace
 * period, once no worker can still be copying into it.
 */
/* rte_pcapng is experimental in DPDK 22.11 */
#define ALLOW_EXPERIMENTAL_API
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_pcapng.h>

#include "capture.h"
#include "log.h"
#include "model.h"
#include "sl_dp.h"

/* Copies in flight per capture: the ring, and a pool with room for a
 * full ring, the workers' caches and the writer's burst. A frame longer
 * than a copy's buffer takes several (rte_pktmbuf_copy chains them). */
#define RING_SIZE 1024
#define POOL_SIZE 2047
#define POOL_CACHE 32
#define COPY_FRAME_BYTES 2048u

/* ---- the set the workers see ------------------------------------------ */

static int
publish(struct sl_runtime *rt)
{
	struct sl_captures *cs = sl_captures(rt);
	struct sl_capture_set *set = NULL;

	for (unsigned int i = 0; i < cs->n; i++) {
		const struct sl_capture *c = cs->v[i];
		struct sl_capture_tap *t;

		if (c->slot < 0)
			continue;
		if (!set && !(set = rte_zmalloc("sl_capture_set", sizeof(*set),
						RTE_CACHE_LINE_SIZE)))
			return -ENOMEM;
		t = &set->tap[c->slot];
		*t = (struct sl_capture_tap){
			.bpf = c->compiled.bpf, .jit = c->compiled.jit,
			.ring = c->ring, .pool = c->pool,
			.snaplen = c->snaplen, .counters = c->counters,
			.base_tsc = c->base_tsc, .base_ns = c->start_ns,
			.tsc_hz = rte_get_tsc_hz(),
		};
		if (c->rx)
			set->rx[c->port] |= (uint8_t)(1u << c->slot);
		if (c->tx)
			set->tx[c->port] |= (uint8_t)(1u << c->slot);
	}
	/* no capture: NULL, and the workers pay one branch a burst */
	rte_free(sl_dp_publish_capture(rt->dp, set));
	return 0;
}

/* ---- a capture's resources --------------------------------------------- */

static void
free_resources(struct sl_capture *c)
{
	void *m;

	while (c->ring && rte_ring_dequeue(c->ring, &m) == 0)
		rte_pktmbuf_free(m);
	rte_ring_free(c->ring);
	rte_mempool_free(c->pool);
	rte_free(c->counters);
	sl_capture_filter_free(&c->compiled);
	c->ring = NULL;
	c->pool = NULL;
	c->counters = NULL;
}

static int
make_resources(struct sl_runtime *rt, struct sl_capture *c,
	       struct sl_err *err)
{
	char name[RTE_MEMZONE_NAMESIZE];
	int socket = (int)rte_socket_id();

	snprintf(name, sizeof(name), "sl_cap_ring%u", c->id);
	c->ring = rte_ring_create(name, RING_SIZE, socket, RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "sl_cap_pool%u", c->id);
	c->pool = rte_pktmbuf_pool_create(name, POOL_SIZE, POOL_CACHE, 0,
		(uint16_t)rte_pcapng_mbuf_size(c->snaplen < COPY_FRAME_BYTES ?
					       c->snaplen : COPY_FRAME_BYTES),
		socket);
	c->nb_workers = rt->dp->nb_workers;
	c->counters = rte_zmalloc("sl_cap_counters",
				  c->nb_workers * sizeof(*c->counters),
				  RTE_CACHE_LINE_SIZE);
	if (!c->ring || !c->pool || !c->counters)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "capture: no memory for its ring and copies: %s",
				  rte_strerror(rte_errno));
	return 0;
}

/* DPDK 22.11 sets rte_pcapng's clock at its first copy, from the TSC of
 * that moment: were that a worker's, a TSC read a little earlier by
 * another would come out centuries ahead (capture.c). One copy here,
 * before any worker makes one, sets it. */
static void
set_pcapng_clock(struct sl_capture *c)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(c->pool), *cp = NULL;
	char *data = m ? rte_pktmbuf_append(m, RTE_ETHER_MIN_LEN) : NULL;

	if (data) {
		memset(data, 0, RTE_ETHER_MIN_LEN);
		cp = rte_pcapng_copy(c->port, 0, m, c->pool, RTE_ETHER_MIN_LEN,
				     rte_rdtsc(), RTE_PCAPNG_DIRECTION_UNKNOWN);
	}
	rte_pktmbuf_free(cp);
	rte_pktmbuf_free(m);
}

/* ---- the port ------------------------------------------------------------ */

/* ---- the list of captures -------------------------------------------------- */

static int
free_slot(const struct sl_captures *cs)
{
	unsigned int used = 0;

	for (unsigned int i = 0; i < cs->n; i++)
		if (cs->v[i]->slot >= 0)
			used |= 1u << cs->v[i]->slot;
	for (int s = 0; s < SL_CAPTURE_MAX; s++)
		if (!(used & (1u << s)))
			return s;
	return -1;
}

static void
forget(struct sl_captures *cs, unsigned int i)
{
	free(cs->v[i]);
	memmove(&cs->v[i], &cs->v[i + 1], (cs->n - i - 1) * sizeof(cs->v[0]));
	cs->n--;
}

/* Room in the list: the oldest finished capture goes. */
static void
make_room(struct sl_captures *cs)
{
	for (unsigned int i = 0; cs->n == RTE_DIM(cs->v) && i < cs->n; i++)
		if (cs->v[i]->state == SL_CAPTURE_DONE)
			forget(cs, i);
}

struct sl_capture *
sl_capture_find(struct sl_runtime *rt, uint32_t id)
{
	struct sl_captures *cs = sl_captures(rt);

	for (unsigned int i = 0; i < cs->n; i++)
		if (cs->v[i]->id == id)
			return cs->v[i];
	return NULL;
}

/* ---- start ---------------------------------------------------------------- */

/* The pcapng section header: the OS, sluice, and what the capture is, so
 * the file says which of its interface blocks (one per DPDK port, named
 * by DPDK) is the device. */
static struct rte_pcapng *
open_file(struct sl_capture *c, int fd)
{
	char os[sizeof(((struct utsname *)0)->sysname) +
		sizeof(((struct utsname *)0)->release)];
	char comment[SL_CAPTURE_FILTER_MAX + 256];
	struct utsname u;
	uint16_t p, index = 0;

	if (uname(&u) == 0)
		snprintf(os, sizeof(os), "%s %s", u.sysname, u.release);
	else
		snprintf(os, sizeof(os), "Linux");
	/* rte_pcapng numbers the interfaces as it lists the ports */
	RTE_ETH_FOREACH_DEV(p)
		if (p < c->port)
			index++;
	snprintf(comment, sizeof(comment),
		 "sluice capture %u: device %s is interface %u (DPDK port %u), direction %s, filter '%s'",
		 c->id, c->device, index, c->port,
		 c->rx && c->tx ? "both" : c->rx ? "in" : "out", c->filter);
	return rte_pcapng_fdopen(fd, os, NULL, "sluice " SLUICE_VERSION, comment);
}

static int
start_writer(struct sl_capture *c, int *fd, struct sl_err *err)
{
	char name[16];
	int rc;

	c->pcapng = open_file(c, *fd);
	if (!c->pcapng)
		return sl_err_set(err, SL_E_INVALID_VALUE,
				  "file: cannot write the pcapng header: %s",
				  strerror(errno ? errno : rte_errno));
	*fd = -1;	/* the file's now, closed with it */
	rc = pthread_create(&c->writer, NULL, sl_capture_writer, c);
	if (rc != 0) {
		rte_pcapng_close(c->pcapng);
		c->pcapng = NULL;
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "capture: cannot start its writer thread: %s",
				  strerror(rc));
	}
	snprintf(name, sizeof(name), "sl-capture-%u", c->id % 1000);
	pthread_setname_np(c->writer, name);
	c->writer_started = true;
	return 0;
}

struct sl_capture *
sl_capture_start(struct sl_runtime *rt, const struct sl_capture_req *req,
		 int *fd, uint64_t conn_id, struct sl_err *err)
{
	struct sl_captures *cs = sl_captures(rt);
	struct sl_capture *c;
	int port = sl_runtime_device_port(rt, "port", req->device,
					  SL_E_PORT_NOT_CAPTURABLE, err);
	int slot = free_slot(cs);

	if (port < 0)
		return NULL;
	make_room(cs);
	if (slot < 0 || cs->n == RTE_DIM(cs->v)) {
		sl_err_set(err, SL_E_LIMIT_REACHED,
			   "capture: %d captures are running already; stop one (capture-list, capture-stop)",
			   SL_CAPTURE_MAX);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		sl_err_set(err, SL_E_INTERNAL_ERROR, "out of memory");
		return NULL;
	}
	*c = (struct sl_capture){
		.id = ++cs->next_id, .slot = -1, .port = (uint16_t)port,
		.rx = req->rx, .tx = req->tx, .count = req->count,
		.duration_s = req->duration_s, .snaplen = req->snaplen,
		.conn_id = conn_id, .start_ns = sl_capture_now_ns(),
		.base_tsc = rte_rdtsc(), .start_ms = sl_runtime_now_ms(),
	};
	snprintf(c->device, sizeof(c->device), "%s", req->device);
	snprintf(c->filter, sizeof(c->filter), "%s", req->filter ? req->filter : "");
	if ((req->filter && sl_capture_filter_compile(req->filter, req->snaplen,
						      &c->compiled, err) < 0) ||
	    make_resources(rt, c, err) < 0 || start_writer(c, fd, err) < 0)
		goto fail;
	set_pcapng_clock(c);
	c->slot = slot;
	cs->v[cs->n++] = c;
	if (publish(rt) < 0) {
		/* the writer ends on its own; reaped as any other */
		c->slot = -1;
		sl_capture_request_stop(c, "out of memory");
		SL_LOG(ERR, "capture %u: no memory for the capture set\n", c->id);
		return c;
	}
	SL_LOG(INFO, "capture %u started on %s (port %u)%s%s\n", c->id,
	       c->device, c->port, c->filter[0] ? ", filter " : "", c->filter);
	return c;
fail:
	free_resources(c);
	free(c);
	return NULL;
}

/* ---- end ------------------------------------------------------------------ */

void
sl_capture_request_stop(struct sl_capture *c, const char *reason)
{
	if (c->state != SL_CAPTURE_RUNNING)
		return;
	snprintf(c->stop_reason, sizeof(c->stop_reason), "%s", reason);
	c->state = SL_CAPTURE_STOPPING;
	__atomic_store_n(&c->stop, true, __ATOMIC_RELEASE);
}

void
sl_capture_sum(const struct sl_capture *c, struct sl_capture_counters *out)
{
	if (c->state == SL_CAPTURE_DONE) {
		*out = c->final;
		return;
	}
	memset(out, 0, sizeof(*out));
	for (uint16_t w = 0; c->counters && w < c->nb_workers; w++) {
		const struct sl_capture_counters *k = &c->counters[w];

		out->seen += __atomic_load_n(&k->seen, __ATOMIC_RELAXED);
		out->filtered += __atomic_load_n(&k->filtered, __ATOMIC_RELAXED);
		out->copied += __atomic_load_n(&k->copied, __ATOMIC_RELAXED);
		out->dropped += __atomic_load_n(&k->dropped, __ATOMIC_RELAXED);
	}
}

/* Out of the set, then (no worker can see it) its resources freed. */
static void
finish(struct sl_runtime *rt, bool wait)
{
	struct sl_captures *cs = sl_captures(rt);
	bool republish = false;

	for (unsigned int i = 0; i < cs->n; i++) {
		struct sl_capture *c = cs->v[i];

		if (c->state == SL_CAPTURE_DONE ||
		    !(wait || __atomic_load_n(&c->finished, __ATOMIC_ACQUIRE)))
			continue;
		pthread_join(c->writer, NULL);
		c->writer_started = false;
		republish |= c->slot >= 0;
		c->slot = -1;
	}
	if (republish && publish(rt) < 0)
		SL_LOG(ERR, "capture: no memory for the capture set\n");
	for (unsigned int i = 0; i < cs->n; i++) {
		struct sl_capture *c = cs->v[i];

		if (c->state == SL_CAPTURE_DONE || c->writer_started)
			continue;
		sl_capture_sum(c, &c->final);
		free_resources(c);
		c->state = SL_CAPTURE_DONE;
		SL_LOG(INFO, "capture %u on %s ended: %s\n", c->id, c->device,
		       c->reason);
	}
}

void
sl_capture_reap(struct sl_runtime *rt)
{
	finish(rt, false);
}

void
sl_capture_stop_all(struct sl_runtime *rt)
{
	struct sl_captures *cs = sl_captures(rt);

	if (!cs)
		return;
	for (unsigned int i = 0; i < cs->n; i++)
		sl_capture_request_stop(cs->v[i], "sluiced stopped");
	finish(rt, true);
	while (cs->n)
		forget(cs, cs->n - 1);
}

void
sl_capture_port_check(struct sl_runtime *rt)
{
	struct sl_captures *cs = sl_captures(rt);
	bool republish = false;

	for (unsigned int i = 0; i < cs->n; i++) {
		struct sl_capture *c = cs->v[i];
		const struct sl_endpoint *ep;

		if (c->slot < 0)
			continue;
		ep = sl_model_endpoint_by_device(rt->model, c->device);
		if (ep && ep->port_id == c->port)
			continue;
		/* its port id may be another device's from now on */
		c->slot = -1;
		republish = true;
		sl_capture_request_stop(c, "port detached");
	}
	if (republish && publish(rt) < 0)
		SL_LOG(ERR, "capture: no memory for the capture set\n");
}
