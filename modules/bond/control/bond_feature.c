/* SPDX-License-Identifier: BSD-3-Clause */
/* Bonds as the core sees them (feature.h): their commands, the LACP frames
 * the datapath hands over, and the link-monitoring and LACP timers. */
#include "bond_model.h"
#include "bond_runtime.h"
#include "ctl.h"
#include "feature.h"
#include "bond_feature.h"
#include "report.h"
#include "runtime.h"
#include "sl_meta.h"

/* Slow protocols (LACPDUs, markers) are the bonds'. */
static bool
bond_punt(struct sl_runtime *rt, struct rte_mbuf *m, uint64_t now_ms,
	  bool *changed)
{
	(void)changed;		/* LACP changes show at the next tick */
	if (sl_meta(m)->ether_type != SL_ETHER_TYPE_SLOW)
		return false;
	sl_bonding_punt(rt, m, now_ms);
	return true;
}

/* every bond whose port is open: its members and how frames are spread */
static int
bond_fill_snapshot(struct sl_runtime *rt, struct sl_snapshot *s)
{
	struct sl_bond *b;

	TAILQ_FOREACH(b, sl_bonds(rt->model), next)
		if (b->master->ep.port_id != SL_PORT_NONE)
			sl_bonding_fill(rt, b, s);
	return 0;
}

static void
bond_sync(struct sl_runtime *rt)
{
	struct sl_bond *b;

	TAILQ_FOREACH(b, sl_bonds(rt->model), next)
		sl_bonding_sync(rt, b);
}

/* At exit: the duplicate filters of broadcast bonds (the datapath that
 * used them is gone). */
static void
bond_stop(struct sl_runtime *rt)
{
	if (!sl_bonds_rt(rt))
		return;	/* the runtime stopped before its state was made */
	for (uint16_t i = 0; i < SL_MAX_BONDS; i++)
		sl_bonding_forget(rt, i);
}

/* every bond, each with its PIF */
static unsigned int
bond_reset_networking(struct sl_runtime *rt, json_t *result)
{
	struct sl_bond *b;
	unsigned int n = 0;

	while ((b = TAILQ_FIRST(sl_bonds(rt->model)))) {
		n += sl_runtime_vlans_destroy_on(rt, b->master);
		sl_runtime_bond_destroy(rt, b);
		n++;	/* the bond's PIF */
	}
	json_object_set_new(result, "bonds-removed", json_integer(n));
	return n;
}

/* A bond's row: its members' traffic and the logical port's own drops. */
static json_t *
bond_port_row(const struct sl_runtime *rt, const struct sl_worker_stats *sum,
	      const struct sl_endpoint *ep)
{
	const struct sl_bond *b = ep->is_vif ? NULL : sl_bond_of_pif(SL_PIF_OF(ep));
	struct sl_port_counters c, t = { 0 };
	char mac[SL_MAC_STR_LEN];
	bool link = false;

	if (ep->is_vif || !b)
		return NULL;
	sl_runtime_port_counters(rt, sum, ep->port_id, &t);
	for (unsigned int i = 0; i < b->nb_slaves; i++) {
		uint16_t pid = b->slaves[i]->ep.port_id;

		if (pid >= SL_MAX_PORTS)
			continue;
		sl_runtime_port_counters(rt, sum, pid, &c);
		t.rx_packets += c.rx_packets;
		t.rx_bytes += c.rx_bytes;
		t.tx_packets += c.tx_packets;
		t.tx_bytes += c.tx_bytes;
		t.tx_dropped += c.tx_dropped;
		link |= sl_bonds_rt(rt)->bond[b->index].m[i].up;
	}
	sl_mac_format(mac, &ep->mac);
	return sl_report_with_counters(
		json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:i, s:s}",
			  "device", ep->device, "class", "PIF", "uuid", ep->uuid,
			  "network", ep->network->bridge, "port-id", ep->port_id,
			  "kind", "bond", "MAC", mac, "link", link ? "up" : "down",
			  "MTU", ep->mtu, "mode", sl_bond_mode_name(b->mode)),
		&t);
}

static void
bond_metrics(const struct sl_runtime *rt, const struct sl_worker_stats *sum,
	     json_t *families)
{
	(void)sum;
	sl_bonding_metrics(rt, families);
}

const struct sl_feature sl_bond_feature = {
	.name = "bond",
	.model_part = &sl_bond_model_part,
	.runtime_size = sizeof(struct sl_bonds_rt),
	.handlers = sl_bond_handlers,
	.pif_key = "bond-master-of",
	.load_pif = sl_bond_load_pif,
	.save_pif = sl_bond_save_pif,
	.pif_fields = sl_bond_pif_fields,
	.pif_record = sl_bond_pif_record,
	.stop = bond_stop,
	.sync = bond_sync,
	.fill_snapshot = bond_fill_snapshot,
	.reset_networking = bond_reset_networking,
	.port_row = bond_port_row,
	.metrics = bond_metrics,
	.punt = bond_punt,
	.fast_tick = sl_bonding_tick,
};
