/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Match relations (of_flow_rel.h), word by word over the 96-byte key:
 * the layout is fixed (sl_flow_key.h) and padding is zero in both keys
 * and masks, so whole words compare as the fields do.
 */
#include <string.h>

#include "of_flow_rel.h"

static void
words(const struct sl_flow_key *k, uint64_t w[SL_FLOW_KEY_WORDS])
{
	memcpy(w, k, sizeof(*k));
}

bool
sl_flow_match_equal(const struct sl_flow_key *key1,
		    const struct sl_flow_key *mask1,
		    const struct sl_flow_key *key2,
		    const struct sl_flow_key *mask2)
{
	uint64_t k1[SL_FLOW_KEY_WORDS], m1[SL_FLOW_KEY_WORDS];
	uint64_t k2[SL_FLOW_KEY_WORDS], m2[SL_FLOW_KEY_WORDS];

	words(key1, k1);
	words(mask1, m1);
	words(key2, k2);
	words(mask2, m2);
	for (size_t i = 0; i < SL_FLOW_KEY_WORDS; i++)
		if (m1[i] != m2[i] || (k1[i] & m1[i]) != (k2[i] & m2[i]))
			return false;
	return true;
}

bool
sl_flow_match_covers(const struct sl_flow_key *filter_key,
		     const struct sl_flow_key *filter_mask,
		     const struct sl_flow_key *flow_key,
		     const struct sl_flow_key *flow_mask)
{
	uint64_t fk[SL_FLOW_KEY_WORDS], fm[SL_FLOW_KEY_WORDS];
	uint64_t rk[SL_FLOW_KEY_WORDS], rm[SL_FLOW_KEY_WORDS];

	words(filter_key, fk);
	words(filter_mask, fm);
	words(flow_key, rk);
	words(flow_mask, rm);
	for (size_t i = 0; i < SL_FLOW_KEY_WORDS; i++) {
		/* the flow must match at least the filter's bits ... */
		if (fm[i] & ~rm[i])
			return false;
		/* ... and agree on them */
		if ((fk[i] ^ rk[i]) & fm[i])
			return false;
	}
	return true;
}

bool
sl_flow_outputs_to(const struct sl_of_actions *a, uint16_t out_port)
{
	if (out_port == SL_OFPP_NONE)
		return true;
	for (unsigned i = 0; i < a->n && i < SL_OF_MAX_OUTPUTS; i++)
		if (a->out[i] == out_port)
			return true;
	return false;
}

bool
sl_flow_cookie_matches(uint64_t flow_cookie, uint64_t cookie,
		       uint64_t cookie_mask)
{
	return ((flow_cookie ^ cookie) & cookie_mask) == 0;
}
