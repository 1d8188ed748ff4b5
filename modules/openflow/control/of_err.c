/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The error codes per version, as Open vSwitch sends them (its
 * ofp-errors.h): OF1.0 and 1.1 have no match or instruction error types of
 * their own, so OVS sends its Nicira codes in BAD_REQUEST (and a few odd
 * places); OF1.2+ uses the standard types or Nicira experimenter errors.
 * An error a version cannot carry becomes NXBRC_UNENCODABLE_ERROR, as OVS
 * does.
 */
#include "of_wire.h"

#define NX(t) { (t), 0, NX_VENDOR_ID }	/* NX1.2+: experimenter type t */
#define NXV(t, c) { (t), (c), NX_VENDOR_ID }	/* NX1.0-1.1: vendor error */
#define E(t, c) { (t), (c), 0 }
#define NONE { 0, 0, 1 }	/* not encodable in that version */

static const struct {
	const char *name;
	struct of_wire_err v10, v11, v13;
	bool unsupported;
} errs[OFE_N] = {
	[OFE_HELLO_INCOMPATIBLE] = { "OFPHFC_INCOMPATIBLE", E(0, 0), E(0, 0), E(0, 0), false },
	[OFE_BRC_BAD_VERSION] = { "OFPBRC_BAD_VERSION", E(1, 0), E(1, 0), E(1, 0), false },
	[OFE_BRC_BAD_TYPE] = { "OFPBRC_BAD_TYPE", E(1, 1), E(1, 1), E(1, 1), true },
	[OFE_BRC_BAD_STAT] = { "OFPBRC_BAD_STAT", E(1, 2), E(1, 2), E(1, 2), true },
	[OFE_BRC_BAD_VENDOR] = { "OFPBRC_BAD_VENDOR", E(1, 3), E(1, 3), E(1, 3), true },
	[OFE_BRC_BAD_SUBTYPE] = { "OFPBRC_BAD_SUBTYPE", E(1, 4), E(1, 4), E(1, 4), true },
	[OFE_BRC_EPERM] = { "OFPBRC_EPERM", E(1, 5), E(1, 5), E(1, 5), false },
	[OFE_BRC_BAD_LEN] = { "OFPBRC_BAD_LEN", E(1, 6), E(1, 6), E(1, 6), false },
	[OFE_BRC_BUFFER_UNKNOWN] = { "OFPBRC_BUFFER_UNKNOWN", E(1, 8), E(1, 8), E(1, 8), true },
	[OFE_BRC_BAD_TABLE_ID] = { "OFPBRC_BAD_TABLE_ID", NXV(1, 512), E(1, 9), E(1, 9), false },
	[OFE_BRC_BAD_PORT] = { "OFPBRC_BAD_PORT", NXV(1, 514), NXV(1, 514), E(1, 11), false },
	[OFE_NXBRC_NXM_INVALID] = { "NXBRC_NXM_INVALID", NXV(1, 256), NXV(1, 256), NX(2), false },
	[OFE_NXBRC_MUST_BE_ZERO] = { "NXBRC_MUST_BE_ZERO", NXV(1, 515), NXV(1, 515), NX(4), false },
	[OFE_BAC_BAD_TYPE] = { "OFPBAC_BAD_TYPE", E(2, 0), E(2, 0), E(2, 0), true },
	[OFE_BAC_BAD_LEN] = { "OFPBAC_BAD_LEN", E(2, 1), E(2, 1), E(2, 1), false },
	[OFE_BAC_BAD_VENDOR] = { "OFPBAC_BAD_VENDOR", E(2, 2), E(2, 2), E(2, 2), true },
	[OFE_BAC_BAD_OUT_PORT] = { "OFPBAC_BAD_OUT_PORT", E(2, 4), E(2, 4), E(2, 4), false },
	[OFE_BAC_TOO_MANY] = { "OFPBAC_TOO_MANY", E(2, 7), E(2, 7), E(2, 7), true },
	[OFE_BIC_UNKNOWN_INST] = { "OFPBIC_UNKNOWN_INST", NONE, E(3, 0), E(3, 0), true },
	[OFE_BIC_UNSUP_INST] = { "OFPBIC_UNSUP_INST", NXV(2, 257), E(3, 1), E(3, 1), true },
	[OFE_BIC_BAD_LEN] = { "OFPBIC_BAD_LEN", NONE, NONE, E(3, 7), false },
	[OFE_BMC_BAD_TYPE] = { "OFPBMC_BAD_TYPE", NONE, E(4, 0), E(4, 0), true },
	[OFE_BMC_BAD_LEN] = { "OFPBMC_BAD_LEN", NONE, E(4, 1), E(4, 1), false },
	[OFE_BMC_BAD_TAG] = { "OFPBMC_BAD_TAG", NONE, E(4, 2), E(4, 2), false },
	[OFE_BMC_BAD_DL_ADDR_MASK] = { "OFPBMC_BAD_DL_ADDR_MASK", NONE, E(4, 3), E(4, 3), false },
	[OFE_BMC_BAD_NW_ADDR_MASK] = { "OFPBMC_BAD_NW_ADDR_MASK", NONE, E(4, 4), E(4, 4), false },
	[OFE_BMC_BAD_WILDCARDS] = { "OFPBMC_BAD_WILDCARDS", NXV(1, 262), E(4, 5), E(4, 5), false },
	[OFE_BMC_BAD_FIELD] = { "OFPBMC_BAD_FIELD", NXV(0, 263), E(4, 6), E(4, 6), true },
	[OFE_BMC_BAD_VALUE] = { "OFPBMC_BAD_VALUE", NXV(1, 258), E(4, 7), E(4, 7), false },
	[OFE_BMC_BAD_MASK] = { "OFPBMC_BAD_MASK", NXV(1, 259), NXV(1, 259), E(4, 8), false },
	[OFE_BMC_BAD_PREREQ] = { "OFPBMC_BAD_PREREQ", NXV(1, 260), NXV(1, 260), E(4, 9), false },
	[OFE_BMC_DUP_FIELD] = { "OFPBMC_DUP_FIELD", NXV(1, 261), NXV(1, 261), E(4, 10), false },
	[OFE_FMFC_UNKNOWN] = { "OFPFMFC_UNKNOWN", NONE, E(5, 0), E(5, 0), false },
	[OFE_FMFC_TABLE_FULL] = { "OFPFMFC_TABLE_FULL", E(3, 0), E(5, 1), E(5, 1), false },
	[OFE_FMFC_BAD_TABLE_ID] = { "OFPFMFC_BAD_TABLE_ID", NONE, E(5, 2), E(5, 2), false },
	[OFE_FMFC_OVERLAP] = { "OFPFMFC_OVERLAP", E(3, 1), E(5, 3), E(5, 3), false },
	[OFE_FMFC_EPERM] = { "OFPFMFC_EPERM", E(3, 2), E(5, 4), E(5, 4), false },
	[OFE_FMFC_BAD_TIMEOUT] = { "OFPFMFC_BAD_TIMEOUT", NONE, E(5, 5), E(5, 5), false },
	[OFE_FMFC_BAD_EMERG_TIMEOUT] = { "OFPFMFC_BAD_EMERG_TIMEOUT", E(3, 3), NONE, NONE, true },
	[OFE_FMFC_BAD_COMMAND] = { "OFPFMFC_BAD_COMMAND", E(3, 4), E(5, 6), E(5, 6), false },
	[OFE_FMFC_BAD_FLAGS] = { "OFPFMFC_BAD_FLAGS", NXV(3, 258), NXV(5, 258), E(5, 7), false },
	[OFE_PMFC_BAD_PORT] = { "OFPPMFC_BAD_PORT", E(4, 0), E(7, 0), E(7, 0), false },
	[OFE_PMFC_BAD_HW_ADDR] = { "OFPPMFC_BAD_HW_ADDR", E(4, 1), E(7, 1), E(7, 1), false },
	[OFE_PMFC_BAD_CONFIG] = { "OFPPMFC_BAD_CONFIG", NONE, E(7, 2), E(7, 2), false },
};

struct of_wire_err
of_err_encode(enum of_err e, uint8_t version)
{
	struct of_wire_err w;

	if (e <= OFE_NONE || e >= OFE_N)
		e = OFE_BRC_EPERM;
	w = version == SL_OFP10 ? errs[e].v10 :
	    version == SL_OFP11 ? errs[e].v11 : errs[e].v13;
	if (w.exp == 1) {
		/* NXBRC_UNENCODABLE_ERROR: NX1.0-1.1(1,521), NX1.2+(10) */
		struct of_wire_err u10 = NXV(1, 521), u13 = NX(10);

		w = version >= SL_OFP13 ? u13 : u10;
	}
	return w;
}

bool
of_err_is_unsupported(enum of_err e)
{
	return e > OFE_NONE && e < OFE_N && errs[e].unsupported;
}

const char *
of_err_name(enum of_err e)
{
	return e > OFE_NONE && e < OFE_N ? errs[e].name : "?";
}

struct of_wire_err
of_err_from_api(const struct sl_of_error *err, uint8_t version)
{
	struct of_wire_err w = { err->type, err->code, 0 };
	bool v11 = version >= SL_OFP11;

	switch (err->type) {
	case SL_OFPET_FLOW_MOD_FAILED:
		w.type = v11 ? 5 : 3;
		break;
	case SL_OFPET_PORT_MOD_FAILED:
		/* 1.0 has BAD_PORT and BAD_HW_ADDR only; BAD_CONFIG and
		 * BAD_ADVERTISE came with 1.1, and OVS sends what 1.0
		 * cannot say as NXBRC_UNENCODABLE_ERROR */
		if (!v11 && err->code > 1)
			return of_err_encode(OFE_PMFC_BAD_CONFIG, version);
		w.type = v11 ? 7 : 4;
		break;
	case SL_OFPET_BAD_INSTRUCTION:
		w.type = v11 ? 3 : 1;
		break;
	case SL_OFPET_BAD_MATCH:
		w.type = v11 ? 4 : 1;
		break;
	default:
		break;
	}
	return w;
}

/* The helper of_proto.h offers callbacks: the code for their version. */
void
sl_of_error_set(struct sl_of_error *err, uint8_t version,
		enum sl_of_errcode which, const char *why)
{
	static const enum of_err map[] = {
		[SL_OF_ERR_TABLE_FULL] = OFE_FMFC_TABLE_FULL,
		[SL_OF_ERR_OVERLAP] = OFE_FMFC_OVERLAP,
		[SL_OF_ERR_FLOW_EPERM] = OFE_FMFC_EPERM,
		[SL_OF_ERR_BAD_OUT_PORT] = OFE_BAC_BAD_OUT_PORT,
		[SL_OF_ERR_PORT_BAD_PORT] = OFE_PMFC_BAD_PORT,
		[SL_OF_ERR_PORT_BAD_HW_ADDR] = OFE_PMFC_BAD_HW_ADDR,
		[SL_OF_ERR_EPERM] = OFE_BRC_EPERM,
	};
	enum of_err e = (size_t)which < sizeof(map) / sizeof(map[0]) ?
			map[which] : OFE_BRC_EPERM;
	struct of_wire_err w = of_err_encode(e, version ? version : SL_OFP10);
	size_t i = 0;

	/* back to the API's type numbering; code stays the wire's */
	switch (e) {
	case OFE_FMFC_TABLE_FULL: case OFE_FMFC_OVERLAP: case OFE_FMFC_EPERM:
		err->type = SL_OFPET_FLOW_MOD_FAILED;
		break;
	case OFE_PMFC_BAD_PORT: case OFE_PMFC_BAD_HW_ADDR:
		err->type = SL_OFPET_PORT_MOD_FAILED;
		break;
	default:
		err->type = w.type;
		break;
	}
	err->code = w.code;
	if (why)
		for (; why[i] && i < sizeof(err->why) - 1; i++)
			err->why[i] = why[i];
	err->why[i] = '\0';
}
