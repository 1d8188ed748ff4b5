/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How two OpenFlow matches relate, as OpenFlow's flow_mod and flow stats
 * select flows: strict (the same match) and non-strict (the flow is at
 * least as specific as the filter and agrees with it), plus the out_port
 * test of deletes and stats. Pure functions over sl_flow_key; matches are
 * expected normalized (key & mask == key), as the engine decodes them.
 */
#ifndef SL_OF_FLOW_REL_H
#define SL_OF_FLOW_REL_H

#include <stdbool.h>
#include <stdint.h>

#include "of_proto.h"
#include "sl_flow_key.h"

/* The same match: equal masks and equal values under them. */
bool sl_flow_match_equal(const struct sl_flow_key *key1,
			 const struct sl_flow_key *mask1,
			 const struct sl_flow_key *key2,
			 const struct sl_flow_key *mask2);

/* The filter selects the flow: every bit the filter matches, the flow
 * matches too, with the same value. A catch-all filter covers all. */
bool sl_flow_match_covers(const struct sl_flow_key *filter_key,
			  const struct sl_flow_key *filter_mask,
			  const struct sl_flow_key *flow_key,
			  const struct sl_flow_key *flow_mask);

/* out_port SL_OFPP_NONE: any flow; else the flow must output there. */
bool sl_flow_outputs_to(const struct sl_of_actions *a, uint16_t out_port);

/* cookie_mask 0: any; else (flow_cookie & mask) == (cookie & mask). */
bool sl_flow_cookie_matches(uint64_t flow_cookie, uint64_t cookie,
			    uint64_t cookie_mask);

#endif
