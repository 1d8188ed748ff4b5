/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-tracegen: seeded, reproducible pcap traces for the demo and the
 * bench. Same arguments, same bytes.
 *
 *   sluice-tracegen --out F [--count N] [--flows N] [--size 64|imix|N]
 *                   [--vlan TAG] [--src-mac M] [--src-macs N]
 *                   [--dst-mac M[,M...]] [--broadcast PCT] [--unknown PCT]
 *                   [--malformed PCT] [--proto udp|tcp] [--seed S]
 *                   [--src-ip A.B.C.D]
 *                   [--encap vxlan|gre --key N --outer SRC_IP,DST_IP,DST_MAC]
 *
 * Frames go to the --dst-mac addresses in turn; --broadcast and --unknown
 * percent of them go to ff:ff:ff:ff:ff:ff and to MACs nobody has; the
 * --malformed percent cycle through the malformations sluice drops by name.
 * Flows are distinct IPv4 5-tuples, taken in turn (a trace of at least
 * --flows frames has every one); sources are --src-macs MACs counting up
 * from --src-mac (default 02:5a:00:00:00:00), taken at random; with
 * --src-ip every frame comes from that address (a guest's own, as VIF
 * locking allows it) and flows differ by ports and destination. --encap
 * wraps every frame as a remote host's tunnel packet to DST_IP (VXLAN to
 * UDP 4789 or GRE with a key, outer IPv4 with DF); --size is then the
 * inner frame's.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "sl_cli.h"

#include "sl_cli.h"

#define MAX_FRAME 9018
#define MAX_DSTS 64

struct opts {
	const char *out;
	unsigned long count, flows, src_macs;
	int size;		/* bytes on the wire without FCS; 0: IMIX */
	int vlan;		/* -1: untagged */
	unsigned int broadcast, unknown, malformed;	/* percent */
	int tcp;
	uint64_t seed;
	uint8_t src[6];
	uint32_t src_ip;	/* host order; 0: from the flow */
	uint8_t dst[MAX_DSTS][6];
	unsigned int nb_dst;
	int encap;		/* 0: none, else ENCAP_* */
	uint32_t key, outer_src, outer_dst;	/* host order */
	uint8_t outer_mac[6];
};

enum { ENCAP_VXLAN = 1, ENCAP_GRE };
#define OUTER_MAX 50	/* Ethernet + IPv4 + UDP + VXLAN */

/* splitmix64: small, fast, and the same everywhere */
static uint64_t
next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

static uint16_t
ip_checksum(const uint8_t *h, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* The simple IMIX: 7 x 64, 4 x 570, 1 x 1518 bytes (with FCS). */
static int
frame_size(const struct opts *o, uint64_t r)
{
	static const int imix[12] = { 60, 60, 60, 60, 60, 60, 60,
				      566, 566, 566, 566, 1514 };

	return o->size ? o->size : imix[r % 12];
}

/* Write one good frame of len bytes into f; returns its length. */
static int
build(const struct opts *o, uint8_t *f, int len, const uint8_t dst[6],
      unsigned long src_idx, unsigned long flow)
{
	int l2 = 14 + (o->vlan >= 0 ? 4 : 0), l4len = o->tcp ? 20 : 8;
	uint8_t *ip, *l4;
	int min = l2 + 20 + l4len;

	if (len < min)
		len = min;
	memset(f, 0, (size_t)len);
	memcpy(f, dst, 6);
	memcpy(f + 6, o->src, 6);
	/* add src_idx to the base MAC's last four bytes */
	for (int i = 11, carry = 0; i >= 8; i--, src_idx >>= 8) {
		int v = f[i] + (int)(src_idx & 0xff) + carry;

		f[i] = (uint8_t)v;
		carry = v >> 8;
	}
	if (o->vlan >= 0) {
		put16(f + 12, 0x8100);
		put16(f + 14, (uint16_t)o->vlan);
	}
	put16(f + l2 - 2, 0x0800);
	ip = f + l2;
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(len - l2));
	ip[8] = 64;
	ip[9] = o->tcp ? 6 : 17;
	/* the flow index spread over addresses and ports: distinct 5-tuples */
	ip[12] = 10;
	ip[13] = (uint8_t)(flow >> 16);
	ip[14] = (uint8_t)(flow >> 8);
	ip[15] = (uint8_t)flow;
	if (o->src_ip) {
		uint32_t a = htonl(o->src_ip);

		memcpy(ip + 12, &a, 4);
	}
	ip[16] = 172;
	ip[17] = 16;
	ip[18] = (uint8_t)(flow >> 24);
	ip[19] = 1;
	put16(ip + 10, ip_checksum(ip, 20));
	l4 = ip + 20;
	put16(l4, (uint16_t)(1024 + flow % 50000));
	put16(l4 + 2, o->tcp ? 80 : 5001);
	if (o->tcp)
		l4[12] = 5 << 4;
	else
		put16(l4 + 4, (uint16_t)(len - l2 - 20));
	return len;
}

/* Turn a good frame into one of the malformations sluice drops by name. */
static int
malform(const struct opts *o, uint8_t *f, int len, unsigned long k)
{
	int l2 = 14 + (o->vlan >= 0 ? 4 : 0);

	switch (k % 5) {
	case 0:		/* eth_truncated */
		return 10;
	case 1:		/* ipv4_bad_ihl */
		f[l2] = 0x44;
		return len;
	case 2:		/* ipv4_bad_total_length */
		put16(f + l2 + 2, (uint16_t)(len + 100));
		return len;
	case 3:		/* ipv4_truncated */
		return l2 + 12;
	default:	/* src_mac_invalid */
		f[6] = 0x01;
		return len;
	}
}

/* Put a remote's outer headers in front of the inner frame at f +
 * OUTER_MAX; returns where the packet starts and sets *len. */
static uint8_t *
encapsulate(const struct opts *o, uint8_t *f, int *len, unsigned long flow)
{
	int hdr = o->encap == ENCAP_VXLAN ? 50 : 42;
	uint8_t *p = f + OUTER_MAX - hdr, *ip = p + 14, *t = ip + 20;
	static const uint8_t src_mac[6] = { 0x02, 0x0e, 0, 0, 0, 0x02 };

	memset(p, 0, (size_t)hdr);
	memcpy(p, o->outer_mac, 6);
	memcpy(p + 6, src_mac, 6);
	put16(p + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(*len + hdr - 14));
	put16(ip + 6, 0x4000);	/* DF */
	ip[8] = 64;
	ip[9] = o->encap == ENCAP_VXLAN ? 17 : 47;
	for (int i = 0; i < 4; i++) {
		ip[12 + i] = (uint8_t)(o->outer_src >> (24 - 8 * i));
		ip[16 + i] = (uint8_t)(o->outer_dst >> (24 - 8 * i));
	}
	put16(ip + 10, ip_checksum(ip, 20));
	if (o->encap == ENCAP_VXLAN) {
		put16(t, (uint16_t)(49152 | (flow & 0x3fff)));
		put16(t + 2, 4789);
		put16(t + 4, (uint16_t)(*len + 16));
		t[8] = 0x08;
		t[12] = (uint8_t)(o->key >> 16);
		t[13] = (uint8_t)(o->key >> 8);
		t[14] = (uint8_t)o->key;
	} else {
		put16(t, 0x2000);
		put16(t + 2, 0x6558);
		for (int i = 0; i < 4; i++)
			t[4 + i] = (uint8_t)(o->key >> (24 - 8 * i));
	}
	*len += hdr;
	return p;
}

static int
parse_outer(const char *s, struct opts *o)
{
	char a[16], b[16], m[18];
	struct in_addr x, y;

	if (sscanf(s, "%15[^,],%15[^,],%17s", a, b, m) != 3 ||
	    inet_pton(AF_INET, a, &x) != 1 || inet_pton(AF_INET, b, &y) != 1 ||
	    parse_mac(m, o->outer_mac) < 0)
		return -1;
	o->outer_src = ntohl(x.s_addr);
	o->outer_dst = ntohl(y.s_addr);
	return 0;
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	struct option lo[20];
	int c;

	*o = (struct opts){ .count = 1000, .flows = 1, .src_macs = 1,
			    .size = 64, .vlan = -1, .seed = 1,
			    .src = { 0x02, 0x5a, 0, 0, 0, 0 } };
	if (sl_program_getopt(&sl_tracegen_program, lo, sizeof(lo) / sizeof(lo[0])) < 0)
		return -1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		char *tok, *save = NULL;

		switch (c) {
		case 'o': o->out = optarg; break;
		case 'n': o->count = strtoul(optarg, NULL, 10); break;
		case 'f': o->flows = strtoul(optarg, NULL, 10); break;
		case 'm': o->src_macs = strtoul(optarg, NULL, 10); break;
		case 'b': o->broadcast = (unsigned int)atoi(optarg); break;
		case 'u': o->unknown = (unsigned int)atoi(optarg); break;
		case 'x': o->malformed = (unsigned int)atoi(optarg); break;
		case 'S': o->seed = strtoull(optarg, NULL, 10); break;
		case 'p': o->tcp = strcmp(optarg, "tcp") == 0; break;
		case 'v': o->vlan = atoi(optarg); break;
		case 'k': o->key = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'e':
			o->encap = strcmp(optarg, "vxlan") == 0 ? ENCAP_VXLAN :
				   strcmp(optarg, "gre") == 0 ? ENCAP_GRE : -1;
			if (o->encap < 0) {
				fprintf(stderr, "sluice-tracegen: --encap: '%s' is not vxlan or gre\n",
					optarg);
				return -1;
			}
			break;
		case 'I': {
			struct in_addr a;

			if (inet_pton(AF_INET, optarg, &a) != 1 || !a.s_addr) {
				fprintf(stderr, "sluice-tracegen: bad --src-ip '%s'\n", optarg);
				return -1;
			}
			o->src_ip = ntohl(a.s_addr);
			break;
		}
		case 'O':
			if (parse_outer(optarg, o) < 0) {
				fprintf(stderr, "sluice-tracegen: bad --outer '%s'\n", optarg);
				return -1;
			}
			break;
		case 'M':
			if (parse_mac(optarg, o->src) < 0 || (o->src[0] & 1)) {
				fprintf(stderr, "sluice-tracegen: bad --src-mac '%s'\n", optarg);
				return -1;
			}
			break;
		case 's':
			/* 64 bytes with FCS is a 60-byte frame in a trace */
			o->size = strcmp(optarg, "imix") == 0 ? 0 : atoi(optarg) - 4;
			break;
		case 'd':
			for (tok = strtok_r(optarg, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				if (o->nb_dst == MAX_DSTS ||
				    parse_mac(tok, o->dst[o->nb_dst]) < 0) {
					fprintf(stderr, "sluice-tracegen: bad --dst-mac '%s'\n", tok);
					return -1;
				}
				o->nb_dst++;
			}
			break;
		case 'h':
			sl_program_usage(&sl_tracegen_program, stdout);
			return 1;
		default:
			sl_program_usage(&sl_tracegen_program, stderr);
			return -1;
		}
	}
	if (!o->out || o->flows == 0 || o->src_macs == 0 ||
	    (o->size != 0 && (o->size < 56 || o->size > MAX_FRAME)) ||
	    o->vlan > 4094 || o->broadcast + o->unknown + o->malformed > 100 ||
	    (o->encap && !o->outer_dst)) {
		sl_program_usage(&sl_tracegen_program, stderr);
		return -1;
	}
	if (o->nb_dst == 0) {
		static const uint8_t def[6] = { 0x02, 0, 0, 0, 0, 0x01 };

		memcpy(o->dst[0], def, 6);
		o->nb_dst = 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static uint8_t buf[OUTER_MAX + MAX_FRAME];
	uint8_t *frame = buf + OUTER_MAX;
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct opts o;
	pcap_t *dead;
	pcap_dumper_t *d;
	uint64_t rng;
	unsigned long bad = 0;
	int rc = parse_args(argc, argv, &o);

	if (rc != 0)
		return rc > 0 ? 0 : 2;	/* --help, or a bad argument (said) */
	rng = o.seed;
	dead = pcap_open_dead(DLT_EN10MB, OUTER_MAX + MAX_FRAME);
	d = pcap_dump_open(dead, o.out);
	if (!d) {
		fprintf(stderr, "sluice-tracegen: %s\n", pcap_geterr(dead));
		return 1;
	}
	for (unsigned long i = 0; i < o.count; i++) {
		uint64_t r = next_rand(&rng);
		unsigned int pct = (unsigned int)(r % 100);
		uint8_t unknown[6] = { 0x02, 0xee, 0, 0, 0, (uint8_t)(i % 251) };
		const uint8_t *dst = o.dst[i % o.nb_dst];
		const uint8_t *start;
		struct pcap_pkthdr h = { .ts = { .tv_sec = (time_t)(i / 1000000),
						 .tv_usec = (suseconds_t)(i % 1000000) } };
		int len;

		if (pct < o.broadcast)
			dst = bcast;
		else if (pct < o.broadcast + o.unknown)
			dst = unknown;
		len = build(&o, frame, frame_size(&o, r >> 8), dst,
			    (r >> 16) % o.src_macs, i % o.flows);
		if (pct >= 100 - o.malformed)
			len = malform(&o, frame, len, bad++);
		start = o.encap ? encapsulate(&o, buf, &len, i % o.flows) : frame;
		h.caplen = h.len = (bpf_u_int32)len;
		pcap_dump((u_char *)d, &h, start);
	}
	pcap_dump_close(d);
	pcap_close(dead);
	return 0;
}
