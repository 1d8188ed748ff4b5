/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Errors the control plane reports: an XAPI-style name, a stable number (the
 * JSON-RPC error code) and one plain sentence that names the argument.
 */
#ifndef SL_ERROR_H
#define SL_ERROR_H

#include <stdarg.h>

#define SL_ERRORS(X)                                                          \
	/* the sdncontroller plugin's codes, kept for its callers */         \
	X(RULE_PARAMETER_INVALID, 1)                                          \
	X(RULE_PORT_MISSING, 2)                                               \
	X(RULE_REFUSED, 3)                                                    \
	X(RULE_NOTHING_TO_BUILD, 4)                                           \
	X(INVALID_VALUE, 1000)                                                \
	X(MISSING_PARAMETER, 1001)                                            \
	X(UNKNOWN_PARAMETER, 1002)                                            \
	X(HANDLE_INVALID, 1003)                                               \
	X(MAC_INVALID, 1004)                                                  \
	X(MTU_INVALID, 1005)                                                  \
	X(DEVICE_ALREADY_EXISTS, 1006)                                        \
	X(UUID_ALREADY_EXISTS, 1007)                                          \
	X(BRIDGE_ALREADY_EXISTS, 1008)                                        \
	X(LIMIT_REACHED, 1009)                                                \
	X(STATE_FILE_INVALID, 1010)                                           \
	X(NETWORK_CONTAINS_PIF, 1011)                                         \
	X(NETWORK_CONTAINS_VIF, 1012)                                         \
	X(PIF_IS_MANAGEMENT_INTERFACE, 1013)                                  \
	X(OPERATION_NOT_ALLOWED, 1014)                                        \
	X(ATTACH_FAILED, 1015)                                                \
	X(OFFLOAD_NOT_SUPPORTED, 1016)                                        \
	X(FIELD_READ_ONLY, 1017)                                              \
	X(STATE_NOT_SAVED, 1018)                                              \
	X(VLAN_TAG_INVALID, 1019)                                             \
	X(PIF_IS_VLAN, 1020)                                                  \
	X(PIF_VLAN_EXISTS, 1021)                                              \
	X(PIF_VLAN_STILL_EXISTS, 1022)                                        \
	X(MTU_CHECK_FAILED, 1023)                                             \
	X(PIF_ALREADY_BONDED, 1024)                                           \
	X(CANNOT_PLUG_BOND_SLAVE, 1025)                                       \
	X(PIF_IS_BOND_MASTER, 1026)                                           \
	X(BOND_MODE_INVALID, 1027)                                            \
	X(PIF_IS_NOT_PHYSICAL, 1028)                                          \
	X(PIF_IS_NOT_SRIOV_CAPABLE, 1029)                                     \
	X(NETWORK_SRIOV_ALREADY_ENABLED, 1030)                                \
	X(NETWORK_INCOMPATIBLE_WITH_SRIOV, 1031)                              \
	X(NETWORK_SRIOV_ENABLE_FAILED, 1032)                                  \
	X(NETWORK_SRIOV_IN_USE, 1033)                                         \
	X(NETWORK_SRIOV_INSUFFICIENT_CAPACITY, 1034)                          \
	X(NETWORK_SRIOV_VF_CONFIG_FAILED, 1035)                               \
	X(VM_HAS_SRIOV_VIF, 1036)                                             \
	X(PIF_IS_SRIOV, 1037)                                                 \
	X(TUNNEL_ALREADY_EXISTS, 1038)                                        \
	X(TUNNEL_KEY_IN_USE, 1039)                                            \
	X(TUNNEL_REMOTE_EXISTS, 1040)                                         \
	X(TUNNEL_REMOTE_UNKNOWN, 1041)                                        \
	X(PIF_IS_TUNNEL_ACCESS, 1042)                                         \
	X(NETWORK_HAS_TUNNEL, 1043)                                           \
	X(INTERNAL_ERROR, 1099)

enum sl_error_code {
	SL_OK = 0,
#define SL_ERR_ENUM(name, num) SL_E_##name = num,
	SL_ERRORS(SL_ERR_ENUM)
#undef SL_ERR_ENUM
};

struct sl_err {
	enum sl_error_code code;
	char msg[512];
};

const char *sl_error_name(enum sl_error_code code);

/* Record the error (the first one wins) and return -1. */
int sl_err_set(struct sl_err *err, enum sl_error_code code, const char *fmt,
	       ...) __attribute__((format(printf, 3, 4)));

#endif
