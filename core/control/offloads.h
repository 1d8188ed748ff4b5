/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_OFFLOADS_H
#define SL_OFFLOADS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "sl_error.h"

struct sl_offloads {
	uint64_t rx, tx;	/* RTE_ETH_{RX,TX}_OFFLOAD_* wanted on */
	bool no_sg;		/* ethtool-sg=off */
};

/*
 * XAPI's other-config:ethtool-{rx,tx,sg,tso,gso,gro,lro}=on|off as DPDK
 * offloads. Keys left out keep the PMD default (off, but scatter-gather on
 * where the PMD has it). gso/gro are software features sluice does not have
 * and LRO would merge frames a switch must forward as received: asking for
 * them "on" is refused. Returns 0 or -1 with err naming the key.
 */
int sl_offloads_parse(json_t *other_config, struct sl_offloads *out,
		      struct sl_err *err);
/* Whether two other-config maps ask for different offloads. */
bool sl_offloads_differ(json_t *a, json_t *b);

#endif
