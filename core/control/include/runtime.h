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

#include "bond_runtime.h"
#include "feature.h"
#include "model.h"
#include "routes.h"
#include "rule_table.h"
#include "sl_dp.h"
#include "sl_port.h"

/* Counter slots of rules: free ones, and what each read when handed out. */
struct sl_rule_slots {
	uint32_t *free;		/* stack of free slots */
	uint32_t nb_free;
	uint8_t *mark;		/* scratch, all 0 between commits */
	struct sl_rule_counter *base;	/* [SL_RULES_MAX] */
};

/* A remote tunnel endpoint: the datapath port SL_VTEP_PORT(its index). */
struct sl_vtep_rt {
	bool used;
	const struct sl_pif *transport;
	enum sl_tunnel_protocol protocol;
	uint32_t remote;		/* host order */
	struct sl_next_hop hop;		/* via SL_VIA_NONE: no route */
};

/* A transport PIF that carries tunnels now (an address, a port). */
struct sl_transport_rt {
	const struct sl_pif *pif;
	uint16_t port;			/* datapath port */
	uint16_t network;		/* datapath network id */
};

/* A next hop on a transport PIF's subnet, resolved by sluice's own ARP. */
struct sl_neighbour {
	const struct sl_pif *pif;
	uint32_t ip;			/* host order */
	struct rte_ether_addr mac;
	bool resolved;
	bool wanted;			/* a remote is reached through it */
	bool is_static;			/* other-config:static-neighbours */
	unsigned int unanswered;	/* requests since the last reply */
	uint64_t next_probe_ms;
};

struct sl_underlay_counters {
	uint64_t arp_requests_sent, arp_replies_sent, arp_replies_received;
	uint64_t pings_answered, neighbours_lost, not_sent;
	uint64_t not_answered;	/* punted, but no longer ours or unreadable */
};

struct sl_runtime {
	struct sl_model *model;
	/* the features, in main/features.c's order; NULL-terminated */
	const struct sl_feature *const *features;
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
	uint64_t fdb_aged;
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
	struct sl_bond_rt bond_rt[SL_MAX_BONDS];
	struct sl_rule_slots rule_slots;
	/* NORMAL counters of a network id when its network was destroyed */
	struct sl_rule_counter normal_base[SL_RULES_NETWORKS];
	uint64_t rules_update_us;	/* last build + publish */
	uint64_t rules_updates;
	/* private networks (modules/tunnel: tunnel_runtime.c, underlay.c) */
	struct sl_vtep_rt vteps[SL_MAX_VTEPS];
	bool vtep_released[SL_MAX_VTEPS];	/* flushed after the publish */
	struct sl_transport_rt transports[SL_MAX_TRANSPORTS];
	uint16_t nb_transports;
	struct sl_neighbour neighbours[SL_MAX_VTEPS];
	unsigned int nb_neighbours;
	struct sl_underlay_counters underlay;
	const char *sysfs_root;		/* SR-IOV PFs are read there */
	const char *sriov_dry_run;	/* NULL, or VF settings go there */
};

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

/* ---- flow rules (modules/rules/control/rules_runtime.c) ---- */
int sl_runtime_rules_init(struct sl_runtime *rt, struct sl_err *err);
void sl_runtime_rules_fini(struct sl_runtime *rt);
/*
 * Put next (a changed copy of the model's rules) in force: it is sorted,
 * its new rules get counter slots, a rule-set is built from it and
 * published, and it replaces the model's table (next is emptied). On
 * failure nothing changed: the model's rules stay in force and next is the
 * caller's to free.
 */
int sl_runtime_rules_commit(struct sl_runtime *rt, struct sl_rule_table *next,
			    struct sl_err *err);
/* The rules of the state file are in force before any port opens. */
int sl_runtime_rules_restore(struct sl_runtime *rt, struct sl_err *err);
/* A rule's counters since it was added. */
void sl_runtime_rule_counter(const struct sl_runtime *rt,
			     const struct sl_rule *r, struct sl_rule_counter *out);
/* Packets of a network no rule matched. */
void sl_runtime_normal_counter(const struct sl_runtime *rt, uint16_t dp_id,
			       struct sl_rule_counter *out);
/* A network is going: its rules go first, before its id can be reused.
 * -1 with err if they cannot (the network must then stay). */
int sl_runtime_rules_drop_network(struct sl_runtime *rt, struct sl_network *n,
				  struct sl_err *err);

/* ---- private networks (modules/tunnel/control/tunnel_runtime.c) ---- */
/*
 * Which transport PIFs carry tunnels now and which remote endpoints they
 * reach (each a datapath port, kept while it is wanted), each remote's
 * next hop, and the neighbours to resolve. Part of sl_runtime_apply.
 */
void sl_runtime_tunnels_sync(struct sl_runtime *rt);
/* The tunnels' part of a snapshot. Returns 0 or -ENOMEM. */
int sl_runtime_tunnels_fill(struct sl_runtime *rt, struct sl_snapshot *s);
/* After a publish: FDB entries of released remote ports go. */
void sl_runtime_tunnels_released(struct sl_runtime *rt);
/* The remote endpoint of a tunnel's remote (host order), or NULL. */
const struct sl_vtep_rt *sl_runtime_vtep(const struct sl_runtime *rt,
					 const struct sl_tunnel *t,
					 uint32_t remote, uint16_t *port);
/* The transport PIF pif as a local endpoint now, or NULL. */
const struct sl_transport_rt *sl_runtime_transport(const struct sl_runtime *rt,
						   const struct sl_pif *pif);
/* Whether frames of t's network travel (access PIF plugged, transport
 * PIF attached with an address). */
bool sl_runtime_tunnel_active(const struct sl_runtime *rt,
			      const struct sl_tunnel *t);

/* ---- the underlay's neighbours (underlay.c) ---- */
/* The neighbour ip (host order) on pif: found, or added (to be resolved
 * at once); NULL when the table is full. */
struct sl_neighbour *sl_underlay_want(struct sl_runtime *rt,
				      const struct sl_pif *pif, uint32_t ip);
const struct sl_neighbour *sl_underlay_find(const struct sl_runtime *rt,
					    const struct sl_pif *pif,
					    uint32_t ip);
/* A PIF's other-config:static-neighbours, if there, is a valid list. */
int sl_check_static_neighbours(json_t *other_config, struct sl_err *err);
/* Forget the neighbours no remote is reached through any more. */
void sl_underlay_forget_unwanted(struct sl_runtime *rt);
/* An ARP or ping for a local endpoint (from the punt ring); takes mb.
 * Returns true when a neighbour was resolved or changed. */
bool sl_underlay_punt(struct sl_runtime *rt, struct rte_mbuf *mb,
		      uint64_t now_ms);
/* ARP requests that are due; returns true when a neighbour was lost. */
bool sl_underlay_tick(struct sl_runtime *rt, uint64_t now_ms);

/* ---- SR-IOV (modules/sriov/control/sriov_runtime.c) ---- */
/*
 * Read s's PF and give it all its VFs (sysfs mode); a driver that refuses
 * sriov_numvfs puts s in modprobe mode (requires_reboot until its VFs
 * exist). -1 with err when the PF cannot be read.
 */
int sl_runtime_sriov_enable(struct sl_runtime *rt, struct sl_sriov *s,
			    struct sl_err *err);
/* Back to 0 VFs (sysfs mode); failures are logged. */
void sl_runtime_sriov_disable(struct sl_runtime *rt, struct sl_sriov *s);
/* VFs found on s's PF not held by a VIF. */
unsigned int sl_runtime_sriov_capacity(const struct sl_runtime *rt,
				       const struct sl_sriov *s);
/* The VF the next VIF of s would get, or -1. */
int sl_runtime_sriov_free_vf(const struct sl_runtime *rt,
			     const struct sl_sriov *s);
/* Give v (a new VIF of an SR-IOV network) the first free VF and program
 * its MAC, VLAN and spoof checking. -1 with err: v holds no VF. */
int sl_runtime_vf_assign(struct sl_runtime *rt, struct sl_vif *v,
			 struct sl_err *err);
/* Clear v's VF (zero MAC, no VLAN); v holds no VF afterwards. */
void sl_runtime_vf_release(struct sl_runtime *rt, struct sl_vif *v);
/* After a restart: enable every SR-IOV PF again and re-program every
 * assigned VF; what fails is logged and kept in the objects' errors. */
void sl_runtime_sriov_restore(struct sl_runtime *rt);

int sl_runtime_start_workers(struct sl_runtime *rt);
void sl_runtime_stop_workers(struct sl_runtime *rt);

/* Once a second from the control loop: FDB aging. */
void sl_runtime_tick(struct sl_runtime *rt);

/* The largest MTU a datapath port carries: a bond's is its members'. */
uint16_t sl_runtime_port_max_mtu(const struct sl_runtime *rt, uint16_t port);
/* Counters of a port since it was attached. */
void sl_runtime_port_counters(const struct sl_runtime *rt,
			      const struct sl_worker_stats *sum,
			      uint16_t port_id, struct sl_port_counters *out);

#endif
