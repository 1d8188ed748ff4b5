/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The four wire forms of a match, to and from sl_flow_key + mask:
 * OF1.0's ofp_match (40 bytes), OF1.1's standard match (88 bytes), and
 * the TLV forms, NXM (Nicira, OF1.0) and OXM (OF1.2+), which share one
 * decoder. Decoders follow Open vSwitch's rules: OF1.0 and OF1.1 silently
 * drop fields whose prerequisites are missing (OVS normalizes them away);
 * NXM and OXM check prerequisites in order and fail with BAD_PREREQ.
 * Fields sluice's key has no room for fail with BAD_FIELD.
 */
#ifndef SL_OF_MATCH_H
#define SL_OF_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_flow_key.h"
#include "of_wire.h"

/* p: OFP10_MATCH_LEN bytes. *wildcards_all: no OF1.0 field was matched
 * exactly-only (OF1.0 gives exact-match flows the top priority). */
enum of_err of_match10_decode(const uint8_t *p, struct sl_flow_key *key,
			      struct sl_flow_key *mask, bool *has_wildcards);
/* Leaves out what ofp_match cannot hold. */
void of_match10_encode(const struct sl_flow_key *key,
		       const struct sl_flow_key *mask, uint8_t *out);

/* p: OFP11_MATCH_LEN bytes (type and length already checked). */
enum of_err of_match11_decode(const uint8_t *p, struct sl_flow_key *key,
			      struct sl_flow_key *mask);
void of_match11_encode(const struct sl_flow_key *key,
		       const struct sl_flow_key *mask, uint8_t *out);

/* NXM or OXM entries, len bytes (unpadded). cookie/cookie_mask: where
 * NXM_NX_COOKIE may appear (NXST_FLOW, NXT_FLOW_MOD), else NULL. */
enum of_err of_tlv_decode(const uint8_t *p, size_t len,
			  struct sl_flow_key *key, struct sl_flow_key *mask,
			  uint64_t *cookie, uint64_t *cookie_mask);
/* Appends the entries (no padding); oxm: OF1.3's OXM headers, else
 * NXM's. Returns the length written. */
size_t of_tlv_encode(struct of_buf *b, const struct sl_flow_key *key,
		     const struct sl_flow_key *mask, bool oxm);

/* OF1.3 ofp_match: type OXM, length, entries, padding to 8. */
void of_match13_encode(struct of_buf *b, const struct sl_flow_key *key,
		       const struct sl_flow_key *mask);
/* p points at an ofp_match of avail bytes; *used: its padded length. */
enum of_err of_match13_decode(const uint8_t *p, size_t avail,
			      struct sl_flow_key *key,
			      struct sl_flow_key *mask, size_t *used);

/* The OXM headers of every field the decoder takes (TABLE_FEATURES'
 * MATCH and WILDCARDS properties); masks: maskable ones with hasmask.
 * Returns how many. */
size_t of_oxm_headers(struct of_buf *b, bool masks);

/* key &= mask, field by field. */
void of_key_apply_mask(struct sl_flow_key *key, const struct sl_flow_key *mask);

#endif
