/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The running switch: the packet pool, the datapath, the open ports, and the
 * reconciliation that makes them match the model (sl_runtime_apply).
 */
#ifndef SL_RUNTIME_H
#define SL_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "feature.h"
#include "model.h"
#include "sl_cli.h"
#include "sl_dp.h"
#include "sl_port.h"

struct sl_loop;
struct sl_worker_load;

struct sl_persist;

struct sl_runtime {
	struct sl_model *model;
	/* the features, in meson.build's module order; NULL-terminated */
	const struct sl_feature *const *features;
	/* each feature's runtime state of its own (runtime_size bytes),
	 * in the same order: sl_feature_runtime() */
	void *feature_rt[SL_MAX_FEATURES];
	uint64_t punt_unclaimed;	/* handed over, but no feature's */
	struct sl_dp *dp;
	struct rte_mempool *pool;
	uint16_t nb_workers;
	unsigned int worker_lcore[SL_MAX_WORKERS];
	bool workers_running;
	bool pci;		/* the EAL scans PCI (not --no-pci) */
	struct sl_port ports[SL_MAX_PORTS];	/* by port id; free: SL_PORT_NONE */
	struct rte_ring *handoff[SL_MAX_PORTS];
	uint16_t rx_owner[SL_MAX_PORTS];	/* worker polling the port */
	/* a port id's counters when it was attached: ids are reused, the
	 * workers' counters are not reset */
	struct sl_port_counters baseline[SL_DP_MAX_PORTS];
	uint64_t drop_baseline[SL_DP_MAX_PORTS][SL_DROP__COUNT];
	uint64_t fdb_aged;
	/* A takeover's ports that are open but out of the snapshot
	 * (enum sl_standby, runtime_standby.c). */
	uint8_t standby[SL_MAX_PORTS];
	struct sl_worker_load *load;	/* worker_load.h */
	uint64_t start_tsc;
	uint64_t start_ms;	/* sl_runtime_now_ms() at start */
	/* Pools of ports whose PMD keeps rx buffers (sl_port_kind_keeps_rx_
	 * buffers). Kept until exit, because another port's tx ring may still
	 * hold their buffers after their own port closed; a detached port's
	 * pool is reused by the next such port. */
	struct rte_mempool *port_pool[SL_MAX_PORTS];
	struct rte_mempool *spare_pool[SL_MAX_PORTS];
	unsigned int nb_spare, pools_made;
	uint64_t kept_by_pmds;	/* counted at exit */
	/* While a takeover runs, the new sluiced's pid (takeover.h): the
	 * state must not change (the two processes hold the same model), so
	 * what changes it from outside the control socket (the database, an
	 * OpenFlow FLOW_MOD or PORT_MOD) waits or is refused. 0: none. */
	int frozen_for;
	/* What main/ gives the features, set before sl_runtime_init(),
	 * which keeps it. */
	struct sl_runtime_host {
		/* the values of the features' daemon options, by index
		 * (sl_cli.h); read them with sl_runtime_option() */
		const char *const *option_values;
		/* the control loop, for a feature's own file descriptors
		 * (the database connection) */
		struct sl_loop *loop;
		/* the state file and its journal (NULL: nothing is saved),
		 * where sl_runtime_save_state() saves a change */
		struct sl_persist *persist;
		/* sluiced --takeover (takeover.h): what a feature listens on
		 * outside sluice is the old sluiced's until it has exited,
		 * which it has when ports_ready is called: open it then */
		bool takeover;
	} host;
};

/* The runtime state of its own feature f keeps in rt (zeroed when the
 * runtime starts, freed when it stops), or NULL if f is not running. */
void *sl_feature_runtime(const struct sl_runtime *rt, const struct sl_feature *f);

/* Milliseconds on a monotonic clock (bond timers, LACP). */
uint64_t sl_runtime_now_ms(void);

/* Creates the pool and the datapath. Returns 0 or -1 with err set. */
int sl_runtime_init(struct sl_runtime *rt, struct sl_model *m,
		    const struct sl_feature *const *features,
		    uint16_t nb_workers, unsigned int nb_mbufs, bool pci,
		    struct sl_err *err);
/* Detaches every port, frees the datapath and the per-port pools (counting
 * in kept_by_pmds what PMDs never gave back); workers must be stopped. The
 * main pool is left for the caller to check and free. */
void sl_runtime_fini(struct sl_runtime *rt);

/*
 * Make the datapath match the model: attach the PIFs and VIFs that should
 * be, detach the others, publish a new snapshot, keep static FDB entries for
 * VIF MACs. A port that cannot be attached keeps its reason in ep->error and
 * does not stop the others. Returns how many failed to attach.
 */
int sl_runtime_apply(struct sl_runtime *rt);
/* A new snapshot of the same ports (bond, LACP or neighbour state
 * changed). */
void sl_runtime_republish(struct sl_runtime *rt);
/* Every few milliseconds from the control loop: frames the datapath handed
 * over (LACP, ARP, pings), bonds, tunnels' neighbours. */
void sl_runtime_fast_tick(struct sl_runtime *rt);

/*
 * Plug or unplug one PIF or VIF now. Plugging fails (ATTACH_FAILED, the
 * port's reason) and leaves it unplugged when its port cannot be attached.
 */
int sl_runtime_plug(struct sl_runtime *rt, struct sl_endpoint *ep,
		    struct sl_err *err);
void sl_runtime_unplug(struct sl_runtime *rt, struct sl_endpoint *ep);
/* Unplug then plug again, to re-open the port with new settings; if that
 * fails the endpoint stays unplugged and err says why. */
int sl_runtime_replug(struct sl_runtime *rt, struct sl_endpoint *ep,
		      struct sl_err *err);
/* Forget a network with no port left: its FDB entries go before its
 * datapath id can be given to another network. */
int sl_runtime_network_destroy(struct sl_runtime *rt, struct sl_network *n,
			       struct sl_err *err);
void sl_runtime_pif_forget(struct sl_runtime *rt, struct sl_pif *p);
void sl_runtime_vif_destroy(struct sl_runtime *rt, struct sl_vif *v);
void sl_runtime_vlan_destroy(struct sl_runtime *rt, struct sl_vlan *v);
/* Destroy every VLAN tagged on tagged (reset-networking); how many. */
unsigned int sl_runtime_vlans_destroy_on(struct sl_runtime *rt,
					 const struct sl_pif *tagged);

/* Save a change of the model (persist.h: one journal line on disk before
 * it returns), after a command that changes it (ctl_rpc.c) or a change no
 * command made (the database's); 0, or -1 with err. Nothing to do without
 * a state file. */
int sl_runtime_save_state(const struct sl_runtime *rt, struct sl_err *err);

/* The value given to sluiced for a feature's daemon option name ("" for
 * one that takes none), or NULL when it was not given. */
const char *sl_runtime_option(const struct sl_runtime *rt, const char *name);

int sl_runtime_start_workers(struct sl_runtime *rt);
void sl_runtime_stop_workers(struct sl_runtime *rt);

/*
 * A takeover's ports (takeover.h) that are open but out of the snapshot,
 * so that af_packet's open and close are not part of the gap: two packet
 * sockets may share an interface, so the new process opens its own
 * before the old lets the port go, and the old closes its own only at
 * its exit: an af_packet close takes tens of milliseconds (the kernel's
 * grace period), which would delay its next answer. Other kinds
 * (af_xdp's queue, vhost-user's and tap's one user) are closed before
 * the other side opens them.
 */
enum sl_standby {
	SL_STANDBY_NONE,
	SL_STANDBY_OPENING,	/* the new side's: opened, not yet polled */
	SL_STANDBY_CLOSING,	/* the old side's: closed at exit */
};
/* Whether ep's port may be open in both processes at once (af_packet). */
bool sl_runtime_port_shareable(const struct sl_endpoint *ep);
/* The new side, ep handed over: open its port out of the snapshot; 0 or
 * -1 (ep->error says why, and the port is left to a plain attach). */
int sl_runtime_standby_open(struct sl_runtime *rt, struct sl_endpoint *ep);
/* The new side, once the old one let it go: what the port received
 * meanwhile went through the old one as well and is dropped (how many
 * frames); then the port joins the snapshot. */
unsigned int sl_runtime_standby_take(struct sl_runtime *rt,
				     struct sl_endpoint *ep);
/* The old side: ep handed over, its shareable port leaves the snapshot
 * at the next apply and stays open, unpolled, until exit (the kernel
 * drops what its ring cannot hold). */
void sl_runtime_standby_release(struct sl_runtime *rt, struct sl_endpoint *ep);
/* Every standby port back in the snapshot if its endpoint wants it
 * (a takeover that went away); the next apply sorts the rest. */
void sl_runtime_standby_clear(struct sl_runtime *rt);

/* Once a second from the control loop: FDB aging. */
void sl_runtime_tick(struct sl_runtime *rt);

/* The ethdev port of a PIF's or VIF's device, for a command that works on
 * a port's frames (capture, trace; its parameter is param): -1 with err
 * HANDLE_INVALID (no such device) or not_own (not attached, or no port of
 * its own: a bond's or a tunnel's PIF). */
int sl_runtime_device_port(const struct sl_runtime *rt, const char *param,
			   const char *device, enum sl_error_code not_own,
			   struct sl_err *err);

/* The largest MTU a datapath port carries: a bond's is its members'. */
uint16_t sl_runtime_port_max_mtu(const struct sl_runtime *rt, uint16_t port);
/* Packets dropped for reason r charged to a port since it was attached. */
uint64_t sl_runtime_port_drops(const struct sl_runtime *rt,
			       const struct sl_worker_stats *sum, uint16_t pid,
			       enum sl_drop r);
/* Counters of a port since it was attached. */
void sl_runtime_port_counters(const struct sl_runtime *rt,
			      const struct sl_worker_stats *sum,
			      uint16_t port_id, struct sl_port_counters *out);

#endif
