/* SPDX-License-Identifier: BSD-3-Clause */
/* The SR-IOV commands, declared once (sl_command_spec.h); their handlers
 * are in ../control/sriov_commands.c. */
#include "sl_command_spec.h"

#define REQ SL_PARAM_REQUIRED

SL_RECORD_PARAMS(sriov, "network-sriov");

static const struct sl_param_spec sriov_create_params[] = {
	{ "network-uuid", "<network>", REQ, "an empty network; its VIFs will be VFs" },
	{ "pif-uuid", "<physical PIF>", REQ, "the PF: a physical PIF of an SR-IOV capable NIC" },
	SL_PARAM_END,
};

static const struct sl_command_spec sriov_commands[] = {
	{ "network-sriov-create",
	  "Enable SR-IOV on the PIF's NIC (all its VFs) for an empty network; its VIFs will be VFs.",
	  sriov_create_params, SL_CMD_SAVES, SL_PRINT_VALUE, NULL },
	{ "network-sriov-destroy",
	  "Disable SR-IOV for the network (refused while VFs are assigned).",
	  sriov_uuid_params, SL_CMD_SAVES, SL_PRINT_VALUE, NULL },
	{ "network-sriov-list",
	  "List SR-IOV networks with their PFs and remaining capacity.",
	  sl_list_params, SL_CMD_FILTERS, SL_PRINT_RECORDS,
	  "uuid,network-uuid,physical-PIF,configuration-mode,requires-reboot,remaining-capacity" },
	{ "network-sriov-param-get", "Print one field of a network-sriov.",
	  sriov_get_params, 0, SL_PRINT_VALUE, NULL },
	{ "network-sriov-param-list",
	  "Print every field of a network-sriov, remaining-capacity included.",
	  sriov_uuid_params, 0, SL_PRINT_VALUE, NULL },
	SL_COMMANDS_END,
};

const struct sl_command_group sl_sriov_commands = {
	"sriov", "SR-IOV", sriov_commands,
};
