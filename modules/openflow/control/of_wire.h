/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The OpenFlow engine's private helpers: big-endian reads from a bounded
 * input, a growable output buffer, and the wire constants the codecs
 * share. Reads never go past the bytes given: every decoder checks the
 * length first and reads through these.
 */
#ifndef SL_OF_WIRE_H
#define SL_OF_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "of_proto.h"

/* ---- reading: callers have checked the length ---- */
static inline uint16_t
of_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
of_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
of_get64(const uint8_t *p)
{
	return (uint64_t)of_get32(p) << 32 | of_get32(p + 4);
}

static inline void
of_set16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
of_set32(uint8_t *p, uint32_t v)
{
	of_set16(p, (uint16_t)(v >> 16));
	of_set16(p + 2, (uint16_t)v);
}

static inline void
of_set64(uint8_t *p, uint64_t v)
{
	of_set32(p, (uint32_t)(v >> 32));
	of_set32(p + 4, (uint32_t)v);
}

/* ---- writing: a growable buffer; an allocation failure sets oom and
 * later writes are dropped, so encoders need not check each call ---- */
struct of_buf {
	uint8_t *data;
	size_t len, cap;
	bool oom;
};

/* Room for n more bytes at the end (zeroed); NULL after a failure. */
uint8_t *of_buf_put(struct of_buf *b, size_t n);
void of_buf_put8(struct of_buf *b, uint8_t v);
void of_buf_put16(struct of_buf *b, uint16_t v);
void of_buf_put32(struct of_buf *b, uint32_t v);
void of_buf_put64(struct of_buf *b, uint64_t v);
void of_buf_put_bytes(struct of_buf *b, const void *p, size_t n);
/* Zeros up to the next multiple of 8 from start. */
void of_buf_pad8(struct of_buf *b, size_t start);
void of_buf_free(struct of_buf *b);
/* A message header at the end; returns its offset for of_msg_end. */
size_t of_msg_start(struct of_buf *b, uint8_t version, uint8_t type,
		    uint32_t xid);
/* Writes the length of the message that began at off. */
void of_msg_end(struct of_buf *b, size_t off);

/* ---- wire constants ---- */
#define OFP_HEADER_LEN 8
#define OF_MAX_MSG 65535u

/* Message types, OF1.0 numbering */
enum {
	OFPT10_HELLO = 0, OFPT10_ERROR = 1, OFPT10_ECHO_REQUEST = 2,
	OFPT10_ECHO_REPLY = 3, OFPT10_VENDOR = 4,
	OFPT10_FEATURES_REQUEST = 5, OFPT10_FEATURES_REPLY = 6,
	OFPT10_GET_CONFIG_REQUEST = 7, OFPT10_GET_CONFIG_REPLY = 8,
	OFPT10_SET_CONFIG = 9, OFPT10_PACKET_IN = 10,
	OFPT10_FLOW_REMOVED = 11, OFPT10_PORT_STATUS = 12,
	OFPT10_PACKET_OUT = 13, OFPT10_FLOW_MOD = 14, OFPT10_PORT_MOD = 15,
	OFPT10_STATS_REQUEST = 16, OFPT10_STATS_REPLY = 17,
	OFPT10_BARRIER_REQUEST = 18, OFPT10_BARRIER_REPLY = 19,
	OFPT10_QUEUE_GET_CONFIG_REQUEST = 20,
};

/* Message types, OF1.1 and 1.3 numbering (the same up to 23) */
enum {
	OFPT11_FLOW_REMOVED = 11, OFPT11_PACKET_OUT = 13,
	OFPT11_FLOW_MOD = 14, OFPT11_GROUP_MOD = 15, OFPT11_PORT_MOD = 16,
	OFPT11_TABLE_MOD = 17, OFPT11_STATS_REQUEST = 18,
	OFPT11_STATS_REPLY = 19, OFPT11_BARRIER_REQUEST = 20,
	OFPT11_BARRIER_REPLY = 21, OFPT11_QUEUE_GET_CONFIG_REQUEST = 22,
	OFPT13_ROLE_REQUEST = 24, OFPT13_ROLE_REPLY = 25,
	OFPT13_GET_ASYNC_REQUEST = 26, OFPT13_GET_ASYNC_REPLY = 27,
	OFPT13_SET_ASYNC = 28, OFPT13_METER_MOD = 29,
};

/* Stats / multipart types */
enum {
	OFPST_DESC = 0, OFPST_FLOW = 1, OFPST_AGGREGATE = 2, OFPST_TABLE = 3,
	OFPST_PORT = 4, OFPST_QUEUE = 5,
	OFPST10_PORT_DESC = 13,	/* OVS's extension to 1.0 and 1.1 */
	OFPMP13_TABLE_FEATURES = 12, OFPMP13_PORT_DESC = 13,
	OFPST_VENDOR = 0xffff,
};
#define OFPSF_REPLY_MORE 1

/* Nicira */
#define NX_VENDOR_ID 0x00002320u
#define ONF_VENDOR_ID 0x4f4e4600u
enum {
	NXT_ROLE_REQUEST = 10, NXT_ROLE_REPLY = 11,
	NXT_SET_FLOW_FORMAT = 12, NXT_FLOW_MOD_TABLE_ID = 15,
	NXT_SET_PACKET_IN_FORMAT = 16, NXT_FLOW_MOD = 13,
	NXT_FLOW_REMOVED = 14, NXT_SET_ASYNC_CONFIG = 19,
	NXT_SET_CONTROLLER_ID = 20,
};
enum { NXST_FLOW = 0, NXST_AGGREGATE = 1 };
enum { NXFF_OPENFLOW10 = 0, NXFF_NXM = 2 };

/* OF1.0 wildcards */
#define OFPFW10_IN_PORT (1u << 0)
#define OFPFW10_DL_VLAN (1u << 1)
#define OFPFW10_DL_SRC (1u << 2)
#define OFPFW10_DL_DST (1u << 3)
#define OFPFW10_DL_TYPE (1u << 4)
#define OFPFW10_NW_PROTO (1u << 5)
#define OFPFW10_TP_SRC (1u << 6)
#define OFPFW10_TP_DST (1u << 7)
#define OFPFW10_NW_SRC_SHIFT 8
#define OFPFW10_NW_DST_SHIFT 14
#define OFPFW10_DL_VLAN_PCP (1u << 20)
#define OFPFW10_NW_TOS (1u << 21)
#define OFPFW10_ALL ((1u << 22) - 1)
#define OFP10_MATCH_LEN 40

/* OF1.1 standard match */
#define OFPFW11_IN_PORT (1u << 0)
#define OFPFW11_DL_VLAN (1u << 1)
#define OFPFW11_DL_VLAN_PCP (1u << 2)
#define OFPFW11_DL_TYPE (1u << 3)
#define OFPFW11_NW_TOS (1u << 4)
#define OFPFW11_NW_PROTO (1u << 5)
#define OFPFW11_TP_SRC (1u << 6)
#define OFPFW11_TP_DST (1u << 7)
#define OFPFW11_MPLS_LABEL (1u << 8)
#define OFPFW11_MPLS_TC (1u << 9)
#define OFP11_MATCH_LEN 88
#define OFPVID11_ANY 0xfffe
#define OFPVID11_NONE 0xffff
#define OFPMT_STANDARD 0
#define OFPMT_OXM 1

/* Ethernet and IP numbers the match rules use */
#define ETH_TYPE_IP 0x0800
#define ETH_TYPE_ARP 0x0806
#define ETH_TYPE_RARP 0x8035
#define ETH_TYPE_IPV6 0x86dd
#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_ICMPV6_ 58
#define IPPROTO_SCTP_ 132
#define ND_SOLICIT 135
#define ND_ADVERT 136

/* Port numbers, OF1.1+ */
#define OFPP11_OFFSET 0xffff0000u
#define OFPP11_MAX 0xffffff00u

/* ---- the engine's errors, whatever the version; of_err.c maps them ---- */
enum of_err {
	OFE_NONE = 0,
	OFE_HELLO_INCOMPATIBLE,
	OFE_BRC_BAD_VERSION,
	OFE_BRC_BAD_TYPE,
	OFE_BRC_BAD_STAT,
	OFE_BRC_BAD_VENDOR,
	OFE_BRC_BAD_SUBTYPE,
	OFE_BRC_EPERM,
	OFE_BRC_BAD_LEN,
	OFE_BRC_BUFFER_UNKNOWN,
	OFE_BRC_BAD_TABLE_ID,
	OFE_BRC_BAD_PORT,
	OFE_NXBRC_NXM_INVALID,
	OFE_NXBRC_MUST_BE_ZERO,
	OFE_BAC_BAD_TYPE,
	OFE_BAC_BAD_LEN,
	OFE_BAC_BAD_VENDOR,
	OFE_BAC_BAD_OUT_PORT,
	OFE_BAC_TOO_MANY,
	OFE_BIC_UNKNOWN_INST,
	OFE_BIC_UNSUP_INST,
	OFE_BIC_BAD_LEN,
	OFE_BMC_BAD_TYPE,
	OFE_BMC_BAD_LEN,
	OFE_BMC_BAD_TAG,
	OFE_BMC_BAD_DL_ADDR_MASK,
	OFE_BMC_BAD_NW_ADDR_MASK,
	OFE_BMC_BAD_WILDCARDS,
	OFE_BMC_BAD_FIELD,
	OFE_BMC_BAD_VALUE,
	OFE_BMC_BAD_MASK,
	OFE_BMC_BAD_PREREQ,
	OFE_BMC_DUP_FIELD,
	OFE_FMFC_UNKNOWN,
	OFE_FMFC_TABLE_FULL,
	OFE_FMFC_BAD_TABLE_ID,
	OFE_FMFC_OVERLAP,
	OFE_FMFC_EPERM,
	OFE_FMFC_BAD_TIMEOUT,
	OFE_FMFC_BAD_EMERG_TIMEOUT,
	OFE_FMFC_BAD_COMMAND,
	OFE_FMFC_BAD_FLAGS,
	OFE_PMFC_BAD_PORT,
	OFE_PMFC_BAD_HW_ADDR,
	OFE_PMFC_BAD_CONFIG,
	OFE_N
};

/* An error as it goes on the wire. vendor != 0: a Nicira error, sent in
 * OF1.0/1.1 as NXET_VENDOR (0xb0c2) + {vendor, type, code} and in OF1.2+
 * as an experimenter error (type 0xffff, code = type, then vendor). */
struct of_wire_err {
	uint16_t type, code;
	uint32_t exp;	/* the vendor */
};

struct of_wire_err of_err_encode(enum of_err e, uint8_t version);
/* A callback's sl_of_error (type: enum sl_ofpet) for the wire. */
struct of_wire_err of_err_from_api(const struct sl_of_error *err,
				   uint8_t version);
/* Which category an error counts as: true = unsupported feature. */
bool of_err_is_unsupported(enum of_err e);
const char *of_err_name(enum of_err e);

/* Port numbers between OF1.0 (16 bits) and OF1.1+ (32 bits). */
static inline uint32_t
of_port_to11(uint16_t p)
{
	return p >= SL_OFPP_MAX ? OFPP11_OFFSET + p : p;
}

/* 0 on success, -1 for a number that has no 16-bit form. */
static inline int
of_port_from11(uint32_t p, uint16_t *out)
{
	if (p < SL_OFPP_MAX) {
		*out = (uint16_t)p;
		return 0;
	}
	if (p >= OFPP11_MAX) {
		*out = (uint16_t)(p - OFPP11_OFFSET);
		return 0;
	}
	return -1;
}

#endif
