/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every error the control socket answers with, declared once: an
 * XAPI-style name (data.name of the answer), a stable number (its code) and
 * what it means. The daemon's errors and the reference
 * (docs/reference/error-codes.md, made by docs/gen) come from this list;
 * sluicectl says its own usage errors as sentences on stderr.
 *
 * Codes below 0 are JSON-RPC's own (the request could not be taken); 1 to
 * 4 are the sdncontroller plugin's, kept for its callers; from 1000 on,
 * sluice's (the command was refused, the sentence says why).
 */
#ifndef SL_ERROR_CODES_H
#define SL_ERROR_CODES_H

#include "sluice_api.h"

#define SL_ERRORS(X)                                                          \
	X(PARSE_ERROR, SLUICE_RPC_PARSE_ERROR,                                \
	  "the request line is not JSON")                                     \
	X(INVALID_REQUEST, SLUICE_RPC_INVALID_REQUEST,                        \
	  "the request is not a JSON-RPC 2.0 request object")                 \
	X(UNKNOWN_COMMAND, SLUICE_RPC_METHOD_NOT_FOUND,                       \
	  "no command has that name (see list-commands)")                     \
	X(INVALID_PARAMS, SLUICE_RPC_INVALID_PARAMS,                          \
	  "the parameters are not an object")                                 \
	X(RPC_INTERNAL_ERROR, SLUICE_RPC_INTERNAL_ERROR,                      \
	  "the daemon could not answer (out of memory)")                      \
	X(PERMISSION_DENIED, SLUICE_RPC_PERMISSION_DENIED,                    \
	  "the peer is neither root nor in the socket's group")               \
	X(TOO_MANY_CLIENTS, SLUICE_RPC_TOO_MANY_CLIENTS,                      \
	  "the daemon serves as many clients as it can at once, or as many as one uid may have") \
	X(IDLE_TIMEOUT, SLUICE_RPC_IDLE_TIMEOUT,                              \
	  "the connection sent no complete request for the idle timeout and was closed") \
	/* the sdncontroller plugin's codes, kept for its callers */         \
	X(RULE_PARAMETER_INVALID, 1,                                          \
	  "a flow rule's argument is missing or malformed (the plugin's code 1)") \
	X(RULE_PORT_MISSING, 2,                                               \
	  "tcp or udp without a port (the plugin's code 2)")  \
	X(RULE_REFUSED, 3,                                                     \
	  "the switch refused the rule or knows no such bridge (the plugin's code 3)") \
	X(RULE_NOTHING_TO_BUILD, 4,                                           \
	  "a network-wide rule on a network with no VIF (the plugin's code 4)")                 \
	X(INVALID_VALUE, 1000, "a parameter's value is not valid")            \
	X(MISSING_PARAMETER, 1001, "a required parameter is missing")         \
	X(UNKNOWN_PARAMETER, 1002, "the command takes no such parameter")     \
	X(HANDLE_INVALID, 1003, "no object has that uuid or name")            \
	X(MAC_INVALID, 1004, "not a unicast MAC address")                     \
	X(MTU_INVALID, 1005, "an MTU outside 68..9216")                       \
	X(DEVICE_ALREADY_EXISTS, 1006, "another PIF or VIF has that device")  \
	X(UUID_ALREADY_EXISTS, 1007, "another object has that uuid")          \
	X(BRIDGE_ALREADY_EXISTS, 1008, "another network has that bridge")     \
	X(LIMIT_REACHED, 1009, "the host holds as many of those as it can")   \
	X(STATE_FILE_INVALID, 1010, "the state file cannot be read as sluice's") \
	X(NETWORK_CONTAINS_PIF, 1011, "the network still has a PIF")          \
	X(NETWORK_CONTAINS_VIF, 1012, "the network still has a VIF")          \
	X(PIF_IS_MANAGEMENT_INTERFACE, 1013,                                  \
	  "the PIF carries the host's management traffic")                    \
	X(OPERATION_NOT_ALLOWED, 1014,                                        \
	  "not in the object's present state (plugged, in use)")              \
	X(ATTACH_FAILED, 1015, "the port could not be opened or started")     \
	X(OFFLOAD_NOT_SUPPORTED, 1016, "the device cannot do that offload")   \
	X(FIELD_READ_ONLY, 1017, "the field cannot be changed")               \
	X(STATE_NOT_SAVED, 1018,                                              \
	  "the change is made but the state file could not be written")       \
	X(VLAN_TAG_INVALID, 1019, "a VLAN tag outside 0..4094")               \
	X(PIF_IS_VLAN, 1020, "the PIF is a VLAN's; use its parent PIF")       \
	X(PIF_VLAN_EXISTS, 1021, "the PIF already carries that tag")          \
	X(PIF_VLAN_STILL_EXISTS, 1022, "the PIF still carries VLANs")         \
	X(MTU_CHECK_FAILED, 1023, "a port cannot take the network's MTU")     \
	X(PIF_ALREADY_BONDED, 1024, "the PIF is a member of a bond already")  \
	X(CANNOT_PLUG_BOND_SLAVE, 1025, "a bond's member is plugged by its bond") \
	X(PIF_IS_BOND_MASTER, 1026, "the PIF is a bond's; destroy the bond")  \
	X(BOND_MODE_INVALID, 1027, "not a bond mode, or the wrong members for it") \
	X(PIF_IS_NOT_PHYSICAL, 1028, "the PIF is a VLAN's, a bond's or a tunnel's") \
	X(PIF_IS_NOT_SRIOV_CAPABLE, 1029, "the PIF's NIC has no SR-IOV VFs")  \
	X(NETWORK_SRIOV_ALREADY_ENABLED, 1030,                                \
	  "the network or the PIF has SR-IOV already")                        \
	X(NETWORK_INCOMPATIBLE_WITH_SRIOV, 1031,                              \
	  "the network has ports, VLANs or tunnels an SR-IOV network cannot") \
	X(NETWORK_SRIOV_ENABLE_FAILED, 1032, "the NIC's VFs could not be made") \
	X(NETWORK_SRIOV_IN_USE, 1033, "VFs of the network are assigned to VIFs") \
	X(NETWORK_SRIOV_INSUFFICIENT_CAPACITY, 1034, "no VF is left")         \
	X(NETWORK_SRIOV_VF_CONFIG_FAILED, 1035,                               \
	  "the VF's MAC or VLAN could not be set")                            \
	X(VM_HAS_SRIOV_VIF, 1036, "a VF cannot be moved to another network")  \
	X(PIF_IS_SRIOV, 1037, "the PIF is an SR-IOV network's")               \
	X(TUNNEL_ALREADY_EXISTS, 1038, "the network has a tunnel on that PIF") \
	X(TUNNEL_KEY_IN_USE, 1039, "another network's tunnel has that key")   \
	X(TUNNEL_REMOTE_EXISTS, 1040, "the tunnel has that remote already")   \
	X(TUNNEL_REMOTE_UNKNOWN, 1041, "the tunnel has no such remote")       \
	X(PIF_IS_TUNNEL_ACCESS, 1042, "the PIF is a tunnel's; destroy the tunnel") \
	X(NETWORK_HAS_TUNNEL, 1043, "the network is carried by a tunnel")     \
	X(DATABASE_OWNED, 1044,                                               \
	  "the Open_vSwitch database owns the bridges, ports and interfaces")   \
	X(CAPTURE_FILTER_INVALID, 1045,                                       \
	  "libpcap cannot compile the capture filter (its message says why)") \
	X(CAPTURE_UNKNOWN, 1046, "no capture has that id")                    \
	X(PORT_NOT_CAPTURABLE, 1047,                                          \
	  "the device has no port of its own to capture on (not attached, a bond's, a tunnel's)") \
	X(CAPTURE_NO_FILE, 1048,                                              \
	  "the capture request came without a file descriptor to write to")   \
	X(TRACE_PACKET_INVALID, 1060,                                         \
	  "the trace's packet is neither a frame in hex nor fields to build one of") \
	X(PORT_NOT_TRACEABLE, 1061,                                           \
	  "the device has no port of its own to trace from (not attached, a bond's, a tunnel's)") \
	X(TRACE_UNKNOWN, 1062, "no live trace has that id")                   \
	X(TRACE_LIVE_BUSY, 1063, "a live trace is waiting already; one at a time") \
	X(TAKEOVER_BUSY, 1064,                                                \
	  "another sluiced is taking this one's ports over already; one at a time") \
	X(TAKEOVER_STALE, 1065,                                               \
	  "the state changed since the new sluiced read it: start it again")  \
	X(TAKEOVER_IN_PROGRESS, 1066,                                         \
	  "a new sluiced is taking the ports over: the state is frozen until it is done") \
	X(INTERNAL_ERROR, 1099, "the daemon failed; its log says why")

enum sl_error_code {
	SL_OK = 0,
#define SL_ERR_ENUM(name, num, meaning) SL_E_##name = num,
	SL_ERRORS(SL_ERR_ENUM)
#undef SL_ERR_ENUM
};

/* The name of a code ("HANDLE_INVALID"), "OK" for 0, "UNKNOWN" for a
 * number not in the list. */
const char *sl_error_name(enum sl_error_code code);

#endif
