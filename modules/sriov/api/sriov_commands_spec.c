/* SPDX-License-Identifier: BSD-3-Clause */
/* The SR-IOV commands and sluiced's SR-IOV options, declared once
 * (sl_command_spec.h, sl_cli.h); the handlers are in
 * ../control/sriov_commands.c, the options are read in
 * ../control/sriov_runtime.c. */
#include "sl_cli.h"
#include "sl_command_spec.h"

SL_RECORD_PARAMS(sriov, "network-sriov");

static const struct sl_param_spec sriov_create_params[] = {
	{ "network-uuid", "<network>", SL_REQ, "an empty network; its VIFs will be VFs" },
	{ "pif-uuid", "<physical PIF>", SL_REQ, "the PF: a physical PIF of an SR-IOV capable NIC" },
	SL_PARAM_END,
};

static const struct sl_command_spec sriov_commands[] = {
	{ "network-sriov-create",
	  "Enable SR-IOV on the PIF's NIC (all its VFs) for an empty network; its VIFs will be VFs.",
	  sriov_create_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
	{ "network-sriov-destroy",
	  "Disable SR-IOV for the network (refused while VFs are assigned).",
	  sriov_uuid_params, SL_CMD_SAVES | SL_CMD_TOPOLOGY, SL_PRINT_VALUE, NULL },
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

static const struct sl_option_spec sriov_options[] = {
	{ "sysfs-root", "DIR", 0, "where sysfs is, for SR-IOV PFs (default /sys)" },
	{ "sriov-dry-run", "FILE", 0,
	  "record VF settings in FILE (JSON lines) instead of programming them: for hosts without an SR-IOV NIC (tests)" },
	{ NULL, NULL, 0, NULL },
};

const struct sl_command_group sl_sriov_commands = {
	.name = "sriov",
	.title = "SR-IOV",
	.commands = sriov_commands,
	.daemon_options = sriov_options,
};
