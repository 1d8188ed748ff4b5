/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "log.h"
#include "monotonic.h"
#include "offloads.h"
#include "persist.h"
#include "rcu_expedite.h"
#include "runtime.h"
#include "runtime_port.h"
#include "sl_clock.h"
#include "worker_load.h"

#define NB_RXD 1024
#define NB_TXD 1024
#define HANDOFF_RING_SIZE 1024
/* A port with its own pool: its rx ring, what the PMD keeps at close, and
 * bursts in flight elsewhere. */
#define PORT_POOL_MBUFS 8191

int
sl_runtime_init(struct sl_runtime *rt, struct sl_model *m,
		const struct sl_feature *const *features, uint16_t nb_workers,
		unsigned int nb_mbufs, bool pci, struct sl_err *err)
{
	struct sl_fdb_conf fdb = {
		.max_entries = m->settings.fdb_max_entries,
		.aging_s = m->settings.fdb_aging_s,
	};
	/* set by the caller: start() may read them */
	const struct sl_runtime_host host = rt->host;
	unsigned int lcore, i = 0;

	memset(rt, 0, sizeof(*rt));
	rt->host = host;
	rt->model = m;
	rt->features = features;
	rt->nb_workers = nb_workers;
	rt->pci = pci;
	rt->start_tsc = rte_get_tsc_cycles();
	rt->start_ms = sl_runtime_now_ms();
	for (uint16_t p = 0; p < SL_MAX_PORTS; p++)
		rt->ports[p].port_id = SL_PORT_NONE;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (i < nb_workers)
			rt->worker_lcore[i++] = lcore;
	}
	if (i < nb_workers)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "EAL gave %u worker lcores, %u wanted", i,
				  nb_workers);
	rt->pool = sl_pktpool_create("sl_pkts", nb_mbufs, SL_META_PRIV_SIZE,
				     RTE_MBUF_DEFAULT_BUF_SIZE);
	if (!rt->pool)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "cannot create a pool of %u packet buffers: %s",
				  nb_mbufs, rte_strerror(rte_errno));
	rt->dp = sl_dp_create(nb_workers, rt->pool, &fdb);
	if (!rt->dp) {
		rte_mempool_free(rt->pool);
		rt->pool = NULL;
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "cannot create the datapath: %s",
				  strerror(errno));
	}
	if (sl_worker_load_init(rt) < 0)
		SL_LOG(WARNING, "no memory for the workers' load windows: stats leaves them out\n");
	SL_FEATURE_FOREACH(f, rt->features) {
		size_t k = (size_t)(f - rt->features);

		if (k >= SL_MAX_FEATURES)
			return sl_err_set(err, SL_E_INTERNAL_ERROR,
					  "more than %d features", SL_MAX_FEATURES);
		if ((*f)->runtime_size &&
		    !(rt->feature_rt[k] = calloc(1, (*f)->runtime_size)))
			return sl_err_set(err, SL_E_INTERNAL_ERROR,
					  "no memory for %s's runtime state",
					  (*f)->name);
	}
	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->start && (*f)->start(rt, err) < 0)
			return -1;
	return 0;
}

const char *
sl_runtime_option(const struct sl_runtime *rt, const char *name)
{
	const struct sl_option_spec *o;

	for (unsigned int i = 0; rt->host.option_values && i < SL_MAX_FEATURE_OPTIONS &&
				 (o = sl_feature_option(i)); i++)
		if (strcmp(o->name, name) == 0)
			return rt->host.option_values[i];
	return NULL;
}

int
sl_runtime_save_state(const struct sl_runtime *rt, struct sl_err *err)
{
	if (!rt->host.persist)
		return 0;
	return sl_persist_commit(rt->host.persist, rt->model, err);
}

void *
sl_feature_runtime(const struct sl_runtime *rt, const struct sl_feature *f)
{
	SL_FEATURE_FOREACH(g, rt->features)
		if (*g == f)
			return rt->feature_rt[g - rt->features];
	return NULL;
}

static bool
wants_port(const struct sl_endpoint *ep)
{
	if (ep->handed_over)
		return false;
	/* a feature's endpoint with no port (a VF's VIF: the guest has the
	 * NIC itself) */
	if (ep->role && ep->role->port == SL_ROLE_NO_PORT)
		return false;
	/* a bond's member: up while its bond's PIF is */
	if (ep->role && ep->role->wants_port)
		return ep->role->wants_port(ep);
	return ep->plugged && ep->network;
}

/* A feature's logical port (a bond's PIF). */
static bool
is_logical(const struct sl_endpoint *ep)
{
	return ep->role && ep->role->port == SL_ROLE_LOGICAL_PORT;
}

/* The logical port a PIF of a feature serves (a member: its bond's), or
 * SL_PORT_NONE. */
static uint16_t
served_port(const struct sl_endpoint *ep)
{
	const struct sl_role *r = ep->role;

	if (!r || r->port != SL_ROLE_OWN_PORT || !r->logical_port)
		return SL_PORT_NONE;
	return r->logical_port(ep->role_of);
}

static const char *
role(const struct sl_endpoint *ep)
{
	return ep->is_vif ? "VIF" : "PIF";
}

/* A spare pool with most of its buffers still there, or a new one. */
static struct rte_mempool *
take_port_pool(struct sl_runtime *rt)
{
	char name[RTE_MEMPOOL_NAMESIZE];

	for (unsigned int i = 0; i < rt->nb_spare; i++) {
		struct rte_mempool *mp = rt->spare_pool[i];

		if (rte_mempool_avail_count(mp) >= mp->size / 2) {
			rt->spare_pool[i] = rt->spare_pool[--rt->nb_spare];
			return mp;
		}
	}
	if (rt->nb_spare == RTE_DIM(rt->spare_pool))
		return NULL;
	snprintf(name, sizeof(name), "sl_port_pool_%u", rt->pools_made++);
	return sl_pktpool_create(name, PORT_POOL_MBUFS, SL_META_PRIV_SIZE,
				 RTE_MBUF_DEFAULT_BUF_SIZE);
}

static void
retire_port_pool(struct sl_runtime *rt, struct rte_mempool *mp)
{
	if (mp)
		rt->spare_pool[rt->nb_spare++] = mp;
}

/* A port's receive queue stays with one worker while the port is attached:
 * were it to move between snapshots, a worker still on the old snapshot and
 * one on the new could poll it at the same time. */
static uint16_t
least_loaded_worker(const struct sl_runtime *rt)
{
	unsigned int load[SL_MAX_WORKERS] = { 0 };
	uint16_t best = 0;

	for (uint16_t pid = 0; pid < SL_MAX_PORTS; pid++)
		if (rt->ports[pid].port_id != SL_PORT_NONE)
			load[rt->rx_owner[pid]]++;
	for (uint16_t w = 1; w < rt->nb_workers; w++)
		if (load[w] < load[best])
			best = w;
	return best;
}

/* The ports serving one logical port (a bond's members) are polled by
 * one worker: its duplicate discard and its receive rules see all of the
 * bond's frames in one thread. */
static uint16_t
owner_for(const struct sl_runtime *rt, const struct sl_endpoint *ep)
{
	uint16_t serves = served_port(ep);
	const struct sl_pif *p;

	if (serves == SL_PORT_NONE)
		return least_loaded_worker(rt);
	TAILQ_FOREACH(p, &rt->model->pifs, next) {
		uint16_t pid = p->ep.port_id;

		if (&p->ep != ep &&
		    served_port(&p->ep) == serves && pid < SL_MAX_PORTS &&
		    rt->ports[pid].port_id != SL_PORT_NONE)
			return rt->rx_owner[pid];
	}
	return least_loaded_worker(rt);
}

int
sl_runtime_port_attach(struct sl_runtime *rt, struct sl_endpoint *ep)
{
	struct sl_port_conf conf = {
		.pool = rt->pool,
		.nb_txq = rt->nb_workers,
		.nb_rxd = NB_RXD,
		.nb_txd = NB_TXD,
		.mtu = ep->mtu,
	};
	char name[SL_DEVICE_NAME_MAX + 8], devargs[SL_DEVARGS_MAX];
	struct sl_worker_stats sum;
	struct sl_offloads off;
	struct sl_err oerr = { 0 };
	struct sl_port port;
	uint16_t pid;
	int rc;

	ep->error[0] = '\0';
	if (!rt->pci && sl_devargs_is_pci(ep->devargs)) {
		snprintf(ep->error, sizeof(ep->error),
			 "this sluiced runs without PCI (no PCI PIF in its state file at start-up); restart it to attach PCI devices");
		goto fail;
	}
	if (sl_offloads_parse(ep->other_config, &off, &oerr) < 0) {
		snprintf(ep->error, sizeof(ep->error), "%.*s",
			 (int)sizeof(ep->error) - 1, oerr.msg);
		goto fail;
	}
	conf.rx_offloads = off.rx;
	conf.tx_offloads = off.tx;
	conf.no_multi_segs = off.no_sg;
	/* "pif_eth0"/"vif_3_0": a PIF and a VIF may share a device name */
	snprintf(name, sizeof(name), "%s_%s", ep->is_vif ? "vif" : "pif",
		 ep->device);
	rc = sl_port_devargs_normalize(name, ep->devargs, devargs,
				       sizeof(devargs));
	if (rc < 0) {
		snprintf(ep->error, sizeof(ep->error),
			 "devargs too long once named");
		goto fail;
	}
	if (sl_port_kind_keeps_rx_buffers(sl_port_kind_of(devargs))) {
		conf.pool = take_port_pool(rt);
		if (!conf.pool) {
			snprintf(ep->error, sizeof(ep->error),
				 "cannot create a packet pool for the port: %s",
				 rte_strerror(rte_errno));
			goto fail;
		}
	}
	sl_rcu_expedite_begin();	/* put back at the end of the batch */
	rc = sl_port_open(&port, devargs, &conf, ep->error, sizeof(ep->error));
	if (rc < 0)
		goto fail_pool;
	pid = port.port_id;
	if (pid >= SL_MAX_PORTS) {	/* cannot happen: ethdev's own bound */
		sl_port_close(&port);
		snprintf(ep->error, sizeof(ep->error), "port id out of range");
		goto fail_pool;
	}
	if (port.nb_txq < rt->nb_workers) {
		char rname[RTE_RING_NAMESIZE];

		snprintf(rname, sizeof(rname), "sl_handoff_%u", pid);
		rt->handoff[pid] = rte_ring_create(rname, HANDOFF_RING_SIZE,
						   (int)rte_socket_id(),
						   RING_F_SC_DEQ);
		if (!rt->handoff[pid]) {
			sl_port_close(&port);
			snprintf(ep->error, sizeof(ep->error),
				 "cannot create the tx hand-off ring: %s",
				 rte_strerror(rte_errno));
			goto fail_pool;
		}
	}
	rt->ports[pid] = port;
	if (conf.pool != rt->pool)
		rt->port_pool[pid] = conf.pool;
	rt->rx_owner[pid] = owner_for(rt, ep);
	sl_dp_stats_sum(rt->dp, &sum);
	rt->baseline[pid] = sum.port[pid];
	memcpy(rt->drop_baseline[pid], sum.port_drops[pid],
	       sizeof(rt->drop_baseline[pid]));
	ep->port_id = pid;
	/* A PIF's MAC is configuration: the first one its device has is kept
	 * (and saved), and given back to the device on later attaches. */
	if (!ep->is_vif && ep->mac_set &&
	    !rte_is_same_ether_addr(&ep->mac, &port.mac) &&
	    sl_port_set_mac(&rt->ports[pid], &ep->mac) < 0)
		SL_LOG(NOTICE, "PIF %s: the PMD keeps its own MAC\n", ep->device);
	/* On a tap VIF the host kernel is the guest: its interface takes the
	 * VIF's MAC, the one the switch holds as the guest's. */
	if (ep->is_vif && port.kind == SL_PORT_KIND_TAP &&
	    sl_port_set_mac(&rt->ports[pid], &ep->mac) < 0)
		SL_LOG(WARNING, "VIF %s: cannot give the tap the VIF's MAC\n",
		       ep->device);
	if (!ep->mac_set) {
		ep->mac = port.mac;
		ep->mac_set = true;
	}
	SL_LOG(NOTICE, "%s %s attached as port %u (%s, %s) on %s\n", role(ep),
	       ep->device, pid, sl_port_kind_name(port.kind), port.devname,
	       ep->network->bridge);
	if (port.queue_held_ms)
		SL_LOG(NOTICE, "%s %s: its interface's queue was held by a closing socket for %u ms\n",
		       role(ep), ep->device, port.queue_held_ms);
	return 0;
fail_pool:
	if (conf.pool != rt->pool)
		retire_port_pool(rt, conf.pool);
fail:
	SL_LOG(ERR, "%s %s cannot be attached: %s\n", role(ep), ep->device,
	       ep->error);
	return -1;
}

void
sl_runtime_port_detach(struct sl_runtime *rt, uint16_t pid)
{
	struct rte_ring *r = rt->handoff[pid];
	void *m;

	/* The snapshot without this port is published and no worker can
	 * still hold it: nothing else touches the port or its ring now. */
	if (r) {
		while (rte_ring_dequeue(r, &m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(r);
		rt->handoff[pid] = NULL;
	}
	sl_rcu_expedite_begin();	/* put back at the end of the batch */
	sl_port_close(&rt->ports[pid]);
	retire_port_pool(rt, rt->port_pool[pid]);
	rt->port_pool[pid] = NULL;
	sl_fdb_flush(rt->dp->fdb, pid, SL_FDB_ANY, true);
	SL_LOG(NOTICE, "port %u detached\n", pid);
}

static void
port_fields(struct sl_runtime *rt, struct sl_snapshot *s,
	    const struct sl_endpoint *ep)
{
	struct sl_dp_port *dport = &s->ports[ep->port_id];

	dport->nb_txq = rt->ports[ep->port_id].nb_txq;
	dport->is_vif = ep->is_vif;
	sl_snapshot_set_handoff(s, ep->port_id, rt->handoff[ep->port_id]);
}

/* The VLAN 0 PIF riding on a PIF's port, if active: it takes the port's
 * untagged traffic in place of the PIF's own network. */
static const struct sl_pif *
native_vlan_of(const struct sl_model *m, const struct sl_pif *tagged)
{
	const struct sl_vlan *v;

	TAILQ_FOREACH(v, &m->vlans, next)
		if (v->tagged == tagged && v->tag == 0 &&
		    v->untagged->ep.port_id != SL_PORT_NONE)
			return v->untagged;
	return NULL;
}

static struct sl_snapshot *
build_snapshot(struct sl_runtime *rt, const bool *detaching)
{
	struct sl_model *m = rt->model;
	struct sl_snapshot *s;
	struct sl_pif *pif;
	struct sl_vif *vif;
	int rc = 0;

	s = sl_snapshot_alloc(sl_model_dp_id_bound(m), rt->nb_workers);
	if (!s)
		return NULL;
	TAILQ_FOREACH(pif, &m->pifs, next) {
		const struct sl_endpoint *ep = &pif->ep;

		if (ep->port_id == SL_PORT_NONE ||
		    (ep->port_id < SL_MAX_PORTS &&
		     (detaching[ep->port_id] || rt->standby[ep->port_id])))
			continue;
		if (served_port(ep) != SL_PORT_NONE) {
			port_fields(rt, s, ep);	/* switched as its bond */
			continue;
		}
		if (sl_pif_owns_port(pif)) {
			if (!is_logical(ep))
				port_fields(rt, s, ep);
			if (!native_vlan_of(m, pif))
				rc |= sl_snapshot_join(s, ep->port_id,
						       ep->network->dp_id,
						       SL_TAG_UNTAGGED, ep->mtu);
		} else {
			rc |= sl_snapshot_join(s, ep->port_id, ep->network->dp_id,
					       pif->vlan ? (uint16_t)pif->vlan :
							   SL_TAG_UNTAGGED,
					       ep->mtu);
		}
	}
	TAILQ_FOREACH(vif, &m->vifs, next) {
		const struct sl_endpoint *ep = &vif->ep;

		if (ep->port_id == SL_PORT_NONE || detaching[ep->port_id] ||
		    rt->standby[ep->port_id])
			continue;
		port_fields(rt, s, ep);
		rc |= sl_snapshot_join(s, ep->port_id, ep->network->dp_id,
				       SL_TAG_UNTAGGED, ep->mtu);
	}
	if (rc) {
		sl_snapshot_free(s);
		errno = ENOMEM;
		return NULL;
	}
	/* each feature's part: bonds' members, tunnels' remotes, ... */
	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->fill_snapshot && (*f)->fill_snapshot(rt, s) < 0) {
			sl_snapshot_free(s);
			errno = ENOMEM;
			return NULL;
		}
	for (uint16_t pid = 0; pid < SL_MAX_PORTS; pid++) {
		struct sl_dp_worker_plan *plan;

		if (rt->ports[pid].port_id == SL_PORT_NONE || detaching[pid] ||
		    rt->standby[pid])
			continue;
		plan = &s->workers[rt->rx_owner[pid]];
		plan->rxq[plan->nb_rxq++] = (struct sl_dp_rxq){ pid, 0 };
	}
	return s;
}

static int
sync_endpoint(struct sl_runtime *rt, struct sl_endpoint *ep)
{
	if (!wants_port(ep) || ep->port_id != SL_PORT_NONE)
		return 0;
	return sl_runtime_port_attach(rt, ep) < 0 ? 1 : 0;
}

/* A feature's logical port (a bond's PIF) is its port while plugged. */
static void
sync_logical(struct sl_pif *p)
{
	p->ep.port_id = p->ep.plugged ? p->ep.role->logical_port(p->ep.role_of) :
					SL_PORT_NONE;
}

/* A VLAN's PIF is active while plugged and its tagged PIF is attached. */
static void
sync_vlan(struct sl_pif *p)
{
	const struct sl_endpoint *parent = &p->vlan_master_of->tagged->ep;

	p->ep.port_id = wants_port(&p->ep) ? parent->port_id : SL_PORT_NONE;
	p->ep.mac = parent->mac;
	p->ep.mac_set = parent->mac_set;
	p->ep.error[0] = '\0';
	if (wants_port(&p->ep) && parent->port_id == SL_PORT_NONE)
		snprintf(p->ep.error, sizeof(p->ep.error),
			 "the PIF carrying VLAN %d (%s) is not attached",
			 p->vlan, parent->device);
}

/* The PMD's MTU is the largest of the networks the port carries; each
 * network's own is enforced per packet. */
static void
sync_port_mtus(struct sl_runtime *rt)
{
	uint16_t want[SL_DP_MAX_PORTS] = { 0 };
	const struct sl_pif *p;
	const struct sl_vif *v;

	TAILQ_FOREACH(p, &rt->model->pifs, next)
		if (p->ep.port_id < SL_DP_MAX_PORTS)
			want[p->ep.port_id] = RTE_MAX(want[p->ep.port_id], p->ep.mtu);
	TAILQ_FOREACH(v, &rt->model->vifs, next)
		if (v->ep.port_id < SL_MAX_PORTS)
			want[v->ep.port_id] = RTE_MAX(want[v->ep.port_id], v->ep.mtu);
	/* a bond's members carry every network of the bond */
	TAILQ_FOREACH(p, &rt->model->pifs, next) {
		uint16_t serves = served_port(&p->ep), pid = p->ep.port_id;

		if (serves < SL_DP_MAX_PORTS && pid < SL_MAX_PORTS)
			want[pid] = RTE_MAX(want[pid], want[serves]);
	}
	for (uint16_t pid = 0; pid < SL_MAX_PORTS; pid++) {
		struct sl_port *port = &rt->ports[pid];

		if (port->port_id == SL_PORT_NONE || !want[pid] ||
		    port->mtu == want[pid])
			continue;
		if (sl_port_set_mtu(port, want[pid]) < 0)
			SL_LOG(WARNING, "port %u: the PMD refused MTU %u; sluice enforces it\n",
			       pid, want[pid]);
	}
}

int
sl_runtime_apply(struct sl_runtime *rt)
{
	struct sl_model *m = rt->model;
	bool detaching[SL_MAX_PORTS] = { false };
	struct sl_snapshot *s, *old;
	struct sl_pif *pif;
	struct sl_vif *vif;
	int failures = 0;

	for (uint16_t pid = 0; pid < SL_MAX_PORTS; pid++) {
		struct sl_endpoint *ep;

		/* a takeover's port out of the snapshot stays as it is */
		if (rt->ports[pid].port_id == SL_PORT_NONE || rt->standby[pid])
			continue;
		ep = sl_model_endpoint_by_port(m, pid);
		if (!ep || !wants_port(ep)) {
			detaching[pid] = true;
			if (ep)
				ep->port_id = SL_PORT_NONE;
		}
	}
	TAILQ_FOREACH(pif, &m->pifs, next)
		if (is_logical(&pif->ep))
			sync_logical(pif);
		else if (sl_pif_owns_port(pif))
			failures += sync_endpoint(rt, &pif->ep);
	TAILQ_FOREACH(vif, &m->vifs, next)
		failures += sync_endpoint(rt, &vif->ep);
	TAILQ_FOREACH(pif, &m->pifs, next)
		if (sl_endpoint_has_no_port(&pif->ep))
			pif->ep.port_id = SL_PORT_NONE;
		else if (!sl_pif_owns_port(pif))
			sync_vlan(pif);
	sync_port_mtus(rt);
	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->sync)
			(*f)->sync(rt);

	s = build_snapshot(rt, detaching);
	if (!s) {
		SL_LOG(ERR, "cannot build a datapath snapshot: %s\n",
		       strerror(errno));
		sl_rcu_expedite_end();
		return failures + 1;
	}
	old = sl_dp_publish(rt->dp, s);
	sl_snapshot_free(old);
	SL_LOG(DEBUG, "snapshot %" PRIu64 " in force: %u networks, %u workers; %d port(s) failed to attach\n",
	       s->version, s->nb_networks, s->nb_workers, failures);
	for (uint16_t pid = 0; pid < SL_MAX_PORTS; pid++)
		if (detaching[pid])
			sl_runtime_port_detach(rt, pid);
	sl_rcu_expedite_end();
	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->published)
			(*f)->published(rt);
	/* A VIF's own MAC is known before the guest sends a frame. */
	TAILQ_FOREACH(vif, &m->vifs, next)
		if (vif->ep.port_id != SL_PORT_NONE &&
		    sl_fdb_add_static(rt->dp->fdb, vif->ep.network->dp_id,
				      &vif->ep.mac, vif->ep.port_id) < 0)
			SL_LOG(WARNING, "VIF %s: no room for its static FDB entry\n",
			       vif->ep.device);
	return failures;
}

uint64_t
sl_runtime_now_ms(void)
{
	return sl_monotonic_ms();
}

void
sl_runtime_republish(struct sl_runtime *rt)
{
	bool none[SL_MAX_PORTS] = { false };
	struct sl_snapshot *s = build_snapshot(rt, none);

	if (!s) {
		SL_LOG(ERR, "cannot build a datapath snapshot: %s\n",
		       strerror(errno));
		return;
	}
	sl_snapshot_free(sl_dp_publish(rt->dp, s));
}

/* Frames the datapath handed over (LACP, the tunnels' ARP and pings) to
 * the feature they are for. Returns true when the datapath needs a new
 * snapshot. */
static bool
punt_drain(struct sl_runtime *rt, uint64_t now)
{
	struct rte_mbuf *pkts[32];
	unsigned int n;
	bool changed = false;

	while ((n = rte_ring_sc_dequeue_burst(rt->dp->punt, (void **)pkts,
					      RTE_DIM(pkts), NULL)) > 0)
		for (unsigned int i = 0; i < n; i++) {
			bool taken = false;

			SL_FEATURE_FOREACH(f, rt->features)
				if ((*f)->punt &&
				    (taken = (*f)->punt(rt, pkts[i], now, &changed)))
					break;
			if (!taken) {
				rt->punt_unclaimed++;
				rte_pktmbuf_free(pkts[i]);
			}
		}
	return changed;
}

void
sl_runtime_fast_tick(struct sl_runtime *rt)
{
	uint64_t now = sl_runtime_now_ms();
	bool republish = punt_drain(rt, now);
	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->fast_tick)
			republish |= (*f)->fast_tick(rt, now);
	if (republish)
		sl_runtime_republish(rt);
}

int
sl_runtime_plug(struct sl_runtime *rt, struct sl_endpoint *ep,
		struct sl_err *err)
{
	if (ep->port_id != SL_PORT_NONE)
		return 0;
	ep->plugged = true;
	sl_runtime_apply(rt);
	if (ep->port_id != SL_PORT_NONE)
		return 0;
	ep->plugged = false;
	return sl_err_set(err, SL_E_ATTACH_FAILED, "%s %s cannot be attached: %s",
			  role(ep), ep->device, ep->error);
}

void
sl_runtime_unplug(struct sl_runtime *rt, struct sl_endpoint *ep)
{
	ep->plugged = false;
	sl_runtime_apply(rt);
}

int
sl_runtime_replug(struct sl_runtime *rt, struct sl_endpoint *ep,
		  struct sl_err *err)
{
	sl_runtime_unplug(rt, ep);
	return sl_runtime_plug(rt, ep, err);
}

int
sl_runtime_network_destroy(struct sl_runtime *rt, struct sl_network *n,
			   struct sl_err *err)
{
	/* nothing of a feature may outlive its network (a rule): if it
	 * cannot go, neither does the network */
	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->network_gone && (*f)->network_gone(rt, n, err) < 0)
			return -1;
	sl_fdb_flush(rt->dp->fdb, SL_FDB_ANY, n->dp_id, true);
	sl_model_network_remove(rt->model, n);
	sl_runtime_apply(rt);
	return 0;
}

void
sl_runtime_pif_forget(struct sl_runtime *rt, struct sl_pif *p)
{
	sl_runtime_unplug(rt, &p->ep);
	sl_model_pif_remove(rt->model, p);
}

void
sl_runtime_vlan_destroy(struct sl_runtime *rt, struct sl_vlan *v)
{
	sl_runtime_unplug(rt, &v->untagged->ep);
	sl_model_vlan_remove(rt->model, v);
}

unsigned int
sl_runtime_vlans_destroy_on(struct sl_runtime *rt, const struct sl_pif *tagged)
{
	struct sl_vlan *v, *after;
	unsigned int n = 0;

	for (v = TAILQ_FIRST(&rt->model->vlans); v; v = after) {
		after = TAILQ_NEXT(v, next);
		if (v->tagged == tagged) {
			sl_runtime_vlan_destroy(rt, v);
			n++;
		}
	}
	return n;
}

void
sl_runtime_vif_destroy(struct sl_runtime *rt, struct sl_vif *v)
{
	sl_runtime_unplug(rt, &v->ep);
	sl_model_vif_remove(rt->model, v);
}

int
sl_runtime_start_workers(struct sl_runtime *rt)
{
	for (uint16_t i = 0; i < rt->nb_workers; i++) {
		int rc = rte_eal_remote_launch(sl_worker_main,
					       &rt->dp->workers[i],
					       rt->worker_lcore[i]);
		if (rc < 0) {
			sl_runtime_stop_workers(rt);
			return rc;
		}
	}
	rt->workers_running = true;
	return 0;
}

void
sl_runtime_stop_workers(struct sl_runtime *rt)
{
	sl_dp_stop(rt->dp);
	rte_eal_mp_wait_lcore();
	rt->workers_running = false;
}

void
sl_runtime_tick(struct sl_runtime *rt)
{
	rt->fdb_aged += sl_fdb_age(rt->dp->fdb, sl_clock_s());
	sl_worker_load_sample(rt);
}

int
sl_runtime_device_port(const struct sl_runtime *rt, const char *param,
		       const char *device, enum sl_error_code not_own,
		       struct sl_err *err)
{
	const struct sl_endpoint *ep = sl_model_endpoint_by_device(rt->model,
								   device);

	if (!ep)
		return sl_err_set(err, SL_E_HANDLE_INVALID,
				  "%s: no PIF or VIF has device '%s'", param,
				  device);
	if (ep->port_id != SL_PORT_NONE && ep->port_id < SL_MAX_PORTS &&
	    rte_eth_dev_is_valid_port(ep->port_id))
		return ep->port_id;
	if (ep->port_id == SL_PORT_NONE && (!ep->role ||
					    ep->role->port == SL_ROLE_OWN_PORT))
		return sl_err_set(err, not_own,
				  "%s: %s is not attached (plug it, or see stats for why)",
				  param, device);
	return sl_err_set(err, not_own,
			  "%s: %s has no DPDK port of its own (a bond's or a tunnel's PIF): use the PIFs that carry its frames (a bond's members, a tunnel's transport PIF)",
			  param, device);
}

uint16_t
sl_runtime_port_max_mtu(const struct sl_runtime *rt, uint16_t port)
{
	const struct sl_pif *p;
	uint16_t max = UINT16_MAX;

	if (port < SL_MAX_PORTS)
		return sl_port_max_mtu(&rt->ports[port]);
	/* a logical port's: the least of the ports serving it */
	TAILQ_FOREACH(p, &rt->model->pifs, next)
		if (served_port(&p->ep) == port && p->ep.port_id < SL_MAX_PORTS)
			max = RTE_MIN(max, sl_port_max_mtu(&rt->ports[p->ep.port_id]));
	return max;
}

void
sl_runtime_port_counters(const struct sl_runtime *rt,
			 const struct sl_worker_stats *sum, uint16_t pid,
			 struct sl_port_counters *out)
{
	const uint64_t *now = (const uint64_t *)&sum->port[pid];
	const uint64_t *base = (const uint64_t *)&rt->baseline[pid];
	uint64_t *o = (uint64_t *)out;

	for (size_t k = 0; k < sizeof(*out) / sizeof(uint64_t); k++)
		o[k] = now[k] - base[k];
}

uint64_t
sl_runtime_port_drops(const struct sl_runtime *rt,
		      const struct sl_worker_stats *sum, uint16_t pid,
		      enum sl_drop r)
{
	return sum->port_drops[pid][r] - rt->drop_baseline[pid][r];
}

void
sl_runtime_fini(struct sl_runtime *rt)
{
	if (!rt->dp)
		return;
	for (uint16_t pid = 0; pid < SL_MAX_PORTS; pid++)
		if (rt->ports[pid].port_id != SL_PORT_NONE)
			sl_runtime_port_detach(rt, pid);
	sl_rcu_expedite_end();
	sl_dp_free(rt->dp);
	rt->dp = NULL;
	sl_worker_load_fini(rt);
	SL_FEATURE_FOREACH(f, rt->features)
		if ((*f)->stop)
			(*f)->stop(rt);
	for (size_t i = 0; i < SL_MAX_FEATURES; i++) {
		free(rt->feature_rt[i]);
		rt->feature_rt[i] = NULL;
	}
	/* Every port is closed: what is missing from a port's pool now is
	 * what its PMD kept. */
	for (unsigned int i = 0; i < rt->nb_spare; i++) {
		struct rte_mempool *mp = rt->spare_pool[i];

		rt->kept_by_pmds += mp->size - rte_mempool_avail_count(mp);
		rte_mempool_free(mp);
	}
	rt->nb_spare = 0;
}
