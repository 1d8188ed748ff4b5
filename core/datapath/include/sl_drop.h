/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every reason the datapath drops a packet, declared once. The enum, the
 * names shown by stats/telemetry and their one-line explanations all come
 * from this list, so a new drop cannot be added without a name.
 */
#ifndef SL_DROP_H
#define SL_DROP_H

#define SL_DROP_REASONS(X)                                                    \
	X(ETH_TRUNCATED, "eth_truncated",                                     \
	  "frame shorter than an Ethernet header")                            \
	X(ETH_SPLIT, "eth_split",                                             \
	  "Ethernet header split across buffers (unsupported layout)")        \
	X(SRC_MAC_INVALID, "src_mac_invalid",                                 \
	  "source MAC is multicast, broadcast or all zeros")                  \
	X(VLAN_TRUNCATED, "vlan_truncated", "VLAN tag cut short")             \
	X(VLAN_TOO_DEEP, "vlan_too_deep", "more than two stacked VLAN tags")  \
	X(IPV4_TRUNCATED, "ipv4_truncated",                                   \
	  "IPv4 header cut short by the end of the frame")                    \
	X(IPV4_BAD_VERSION, "ipv4_bad_version",                               \
	  "EtherType IPv4 but version is not 4")                              \
	X(IPV4_BAD_IHL, "ipv4_bad_ihl", "IPv4 header length below 20 bytes")  \
	X(IPV4_BAD_TOTAL_LENGTH, "ipv4_bad_total_length",                     \
	  "IPv4 total length beyond the frame or below the header length")    \
	X(L4_TRUNCATED, "l4_truncated",                                       \
	  "TCP/UDP/ICMP header cut short by the IPv4 total length")           \
	X(ARP_TRUNCATED, "arp_truncated", "ARP packet cut short")             \
	X(PORT_DOWN, "port_down",                                             \
	  "received on a port taken down administratively (OpenFlow "         \
	  "PORT_MOD down, ovs-ofctl mod-port PORT down)")                     \
	X(PORT_NO_NETWORK, "port_no_network",                                 \
	  "untagged frame on a port whose untagged traffic no network takes") \
	X(VLAN_UNCLAIMED, "vlan_unclaimed",                                   \
	  "tagged with a VLAN no network of the port carries")                \
	X(VLAN_SERVICE_TAG, "vlan_service_tag",                               \
	  "outer 802.1ad/QinQ service tag (S-tags are not terminated)")      \
	X(RX_OVERSIZE, "rx_oversize",                                         \
	  "longer than the ingress port's MTU")                               \
	X(MTU_EXCEEDED, "mtu_exceeded",                                       \
	  "longer than the egress port's MTU (never truncated)")              \
	X(NO_HEADROOM, "no_headroom",                                         \
	  "no room in the buffer to push a VLAN tag")                         \
	X(SLOW_PROTOCOL, "slow_protocol",                                     \
	  "LACP or marker frame on a port that does not speak LACP")          \
	X(BOND_INACTIVE_MEMBER, "bond_inactive_member",                       \
	  "received on a bond member that does not carry traffic now")        \
	X(BOND_FLOOD_MEMBER, "bond_flood_member",                             \
	  "broadcast/multicast on a bond member other than the one taking them") \
	X(BOND_REFLECTED, "bond_reflected",                                   \
	  "came back in on a bond from a MAC this host has on another port")  \
	X(BOND_DUPLICATE, "bond_duplicate",                                   \
	  "second copy of a frame on a broadcast bond")                       \
	X(BOND_NO_MEMBER, "bond_no_member",                                   \
	  "no member of the bond can transmit")                               \
	X(PUNT_FULL, "punt_full",                                             \
	  "control thread's queue of LACP, ARP and ping frames is full")                    \
	X(RULE_DENY, "rule_deny",                                             \
	  "a flow rule with allow=false, or an OpenFlow flow without "        \
	  "actions, matched (counted on the rule too)")                       \
	X(FLOW_OUTPUT_OFF_NETWORK, "flow_output_off_network",                 \
	  "an OpenFlow flow's output port does not carry the frame's network")\
	X(FLOW_TABLE_MISS, "flow_table_miss",                                 \
	  "no flow of the bridge's table matched, and the bridge has no "     \
	  "priority-0 NORMAL flow (deleted, or fail_mode=secure)")            \
	X(LINK_LOCAL, "link_local",                                           \
	  "IEEE 802.1 link-local frame (STP, LACP, LLDP): never forwarded")  \
	X(HAIRPIN, "hairpin",                                                 \
	  "destination MAC is learned on the port the frame came from")       \
	X(FLOOD_EMPTY, "flood_empty",                                         \
	  "flooded in a network with no other port")                         \
	X(MBUF_EXHAUSTED, "mbuf_exhausted",                                   \
	  "no packet buffer left to copy a flooded frame")                    \
	X(TX_QUEUE_FULL, "tx_queue_full",                                     \
	  "the egress port's transmit queue refused the packet")              \
	X(TUNNEL_FRAGMENT, "tunnel_fragment",                                 \
	  "fragment of a tunnel packet to a local endpoint (not reassembled)") \
	X(TUNNEL_BAD_HEADER, "tunnel_bad_header",                             \
	  "VXLAN without the I flag, GRE without key, not version 0, "        \
	  "with routing or not Ethernet, or the inner frame cut short")       \
	X(TUNNEL_UNKNOWN_KEY, "tunnel_unknown_key",                           \
	  "VXLAN VNI or GRE key of no private network of this host")          \
	X(TUNNEL_UNKNOWN_REMOTE, "tunnel_unknown_remote",                     \
	  "tunnel packet from an address that is not a remote of that "       \
	  "private network")                                                  \
	X(VTEP_UNHANDLED, "vtep_unhandled",                                   \
	  "to a local tunnel endpoint, but not VXLAN, GRE, ARP or ping")      \
	X(TUNNEL_SPLIT_HORIZON, "tunnel_split_horizon",                       \
	  "from one remote to another in a private network that does not "    \
	  "relay (a full mesh)")                                              \
	X(TUNNEL_UNRESOLVED, "tunnel_unresolved",                             \
	  "the next hop toward the remote has no MAC yet (ARP pending) or no " \
	  "route")                                                            \
	X(TUNNEL_MTU_EXCEEDED, "tunnel_mtu_exceeded",                         \
	  "too long for the transport MTU once encapsulated (never "          \
	  "fragmented; DF senders get ICMP fragmentation needed)")            \
	X(INJECT_STALE, "inject_stale",                                       \
	  "a frame the control thread sends (ARP, LACP) whose port or "       \
	  "network was gone when a worker took it")

enum sl_drop {
#define SL_DROP_ENUM(id, name, help) SL_DROP_##id,
	SL_DROP_REASONS(SL_DROP_ENUM)
#undef SL_DROP_ENUM
	SL_DROP__COUNT,
	SL_DROP_NONE = SL_DROP__COUNT,	/* keep going */
	SL_DROP_TAKEN,	/* handed elsewhere (the control thread): neither
			 * forwarded nor dropped, and no longer ours */
};

const char *sl_drop_name(enum sl_drop reason);
const char *sl_drop_help(enum sl_drop reason);

#endif
