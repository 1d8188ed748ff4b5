/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-tracegen's command line, declared once (sl_cli.h): --help,
 * getopt and sluice-tracegen(1) come from this table. */
#include "sl_cli.h"

static const struct sl_option_spec options[] = {
	{ "out", "FILE", 'o', "the pcap file to write (required)" },
	{ "count", "N", 'n', "frames (1000)" },
	{ "flows", "N", 'f', "distinct IPv4 5-tuples, taken in turn (1)" },
	{ "size", "64|imix|N", 's', "frame size with FCS, or the IMIX mix (64)" },
	{ "vlan", "TAG", 'v', "an 802.1Q tag on every frame" },
	{ "src-mac", "MAC", 'M', "the first source MAC (02:5a:00:00:00:00)" },
	{ "src-macs", "N", 'm', "source MACs counting up from --src-mac, taken at random (1)" },
	{ "dst-mac", "MAC[,MAC...]", 'd', "destinations, in turn (02:00:00:00:00:01)" },
	{ "broadcast", "PCT", 'b', "percent of frames to ff:ff:ff:ff:ff:ff" },
	{ "unknown", "PCT", 'u', "percent of frames to MACs nobody has" },
	{ "malformed", "PCT", 'x', "percent of frames malformed, cycling through what sluice drops by name" },
	{ "proto", "udp|tcp", 'p', "the L4 protocol (udp)" },
	{ "seed", "S", 'S', "the random seed: same arguments, same bytes (1)" },
	{ "src-ip", "A.B.C.D", 'I', "every frame from this address (flows differ by ports and destination)" },
	{ "encap", "vxlan|gre", 'e', "wrap every frame as a remote host's tunnel packet (--size is the inner frame's)" },
	{ "key", "N", 'k', "--encap: the VNI or GRE key" },
	{ "outer", "SRC_IP,DST_IP,DST_MAC", 'O', "--encap: the outer IPv4 addresses and destination MAC" },
	{ "help", NULL, 'h', "print this and exit" },
	{ NULL, NULL, 0, NULL },
};

const struct sl_program_spec sl_tracegen_program = {
	.name = "sluice-tracegen",
	.section = 1,
	.summary = "write seeded, reproducible pcap traces for sluice's demo and bench",
	.synopsis = "--out FILE [options]",
	.description =
		"sluice-tracegen writes a pcap trace of --count frames: same "
		"arguments, same bytes. Frames go to the --dst-mac addresses in "
		"turn; --broadcast and --unknown percent of them go to the "
		"broadcast address and to MACs nobody has; --malformed percent "
		"cycle through the malformations sluice drops by name. Flows are "
		"distinct IPv4 5-tuples, taken in turn.\n\n"
		"sluice-bench(1) replays such traces through sluice's datapath; "
		"make demo and make bench make theirs with it.",
	.options = options,
};
