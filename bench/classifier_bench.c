/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-classifier-bench: sluice's rule classifier beside DPDK's rte_acl
 * on the same rules, the rules XCP-ng's plugin makes (one IPv4 prefix of
 * /8 to /32 on one side, a protocol, a port or none, network-wide or for
 * one guest's MAC), measured the same way: build time, and lookup cycles
 * per packet for one flow, for a million distinct 5-tuples between one
 * pair of guests on one network, and for a million packets of random
 * networks and guests too. Both answer every lookup; the answers are
 * compared.
 *
 *   sluice-classifier-bench [--rules N[,N...]] [--flows N] [--json]
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <rte_acl.h>
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>

#include "classifier.h"
#include "sl_cli.h"

#define NETWORKS 16
#define GUESTS 100

/* What rte_acl reads: network order, grouped in 4-byte words; the first
 * field one byte, alone in its word (rte_acl reads just that byte of it). */
struct acl_key {
	uint8_t ipv4;		/* 1 for every IPv4 packet */
	uint8_t pad[3];
	uint16_t proto;		/* enum sl_cls_proto */
	uint16_t network;
	uint32_t src, dst;
	uint16_t sport, dport;
	uint16_t smac_hi, dmac_hi;
	uint32_t smac_lo, dmac_lo;
};

enum { F_IPV4, F_PROTO, F_NET, F_SRC, F_DST, F_SPORT, F_DPORT,
       F_SMAC_HI, F_DMAC_HI, F_SMAC_LO, F_DMAC_LO, NB_FIELDS };

#define FIELD(t, sz, f, in, member) \
	{ .type = RTE_ACL_FIELD_TYPE_##t, .size = sz, .field_index = f, \
	  .input_index = in, .offset = offsetof(struct acl_key, member) }

static const struct rte_acl_field_def acl_fields[NB_FIELDS] = {
	FIELD(BITMASK, 1, F_IPV4, 0, ipv4),
	FIELD(BITMASK, 2, F_PROTO, 1, proto),
	FIELD(BITMASK, 2, F_NET, 1, network),
	FIELD(MASK, 4, F_SRC, 2, src),
	FIELD(MASK, 4, F_DST, 3, dst),
	FIELD(RANGE, 2, F_SPORT, 4, sport),
	FIELD(RANGE, 2, F_DPORT, 4, dport),
	FIELD(BITMASK, 2, F_SMAC_HI, 5, smac_hi),
	FIELD(BITMASK, 2, F_DMAC_HI, 5, dmac_hi),
	FIELD(BITMASK, 4, F_SMAC_LO, 6, smac_lo),
	FIELD(BITMASK, 4, F_DMAC_LO, 7, dmac_lo),
};

RTE_ACL_RULE_DEF(acl_rule, NB_FIELDS);

static uint64_t seed = 0x2545f4914f6cdd1dull;

static uint64_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static struct rte_ether_addr
guest(unsigned int i)
{
	return (struct rte_ether_addr){ { 0x02, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i } };
}

/* Rules as the plugin makes them: a third per guest, the rest network
 * wide; half with a port on TCP or UDP. */
static void
make_rules(struct sl_cls_rule *r, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		static const uint8_t protos[] = { SL_CLS_IP, SL_CLS_TCP, SL_CLS_UDP,
						  SL_CLS_ICMP, SL_CLS_TCP, SL_CLS_UDP };
		uint8_t proto = protos[rnd() % RTE_DIM(protos)];

		r[i] = (struct sl_cls_rule){
			.rank = i, .network = (uint16_t)(rnd() % NETWORKS),
			.has_mac = rnd() % 3 == 0, .mac = guest((unsigned int)(rnd() % GUESTS)),
			.side = (uint8_t)(rnd() % 2), .proto = proto,
			.port = (proto == SL_CLS_TCP || proto == SL_CLS_UDP) ?
					(int32_t)(1 + rnd() % 1024) : -1,
			.addr = (uint32_t)rnd(), .plen = (uint8_t)(8 + rnd() % 25),
		};
	}
}

static void
make_keys(struct sl_cls_key *k, uint32_t n)
{
	static const uint8_t protos[] = { SL_CLS_TCP, SL_CLS_UDP, SL_CLS_ICMP, SL_CLS_IP };

	for (uint32_t i = 0; i < n; i++)
		k[i] = (struct sl_cls_key){
			.network = (uint16_t)(rnd() % NETWORKS),
			.proto = protos[rnd() % RTE_DIM(protos)],
			.src_mac = guest((unsigned int)(rnd() % GUESTS)),
			.dst_mac = guest((unsigned int)(rnd() % GUESTS)),
			.src = (uint32_t)rnd(), .dst = (uint32_t)rnd(),
			.sport = (uint16_t)(1 + rnd() % 1024),
			.dport = (uint16_t)(1 + rnd() % 1024),
		};
}

/* The same keys' 5-tuples, all between keys[0]'s guests on its network. */
static void
make_tuples(const struct sl_cls_key *keys, struct sl_cls_key *tuples, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		tuples[i] = keys[i];
		tuples[i].network = keys[0].network;
		tuples[i].src_mac = keys[0].src_mac;
		tuples[i].dst_mac = keys[0].dst_mac;
	}
}

static void
acl_key_of(const struct sl_cls_key *k, struct acl_key *a)
{
	uint32_t lo;
	uint16_t hi;

	memset(a, 0, sizeof(*a));
	a->ipv4 = k->proto != SL_CLS_ARP;
	a->proto = rte_cpu_to_be_16(k->proto);
	a->network = rte_cpu_to_be_16(k->network);
	a->src = rte_cpu_to_be_32(k->src);
	a->dst = rte_cpu_to_be_32(k->dst);
	a->sport = rte_cpu_to_be_16(k->sport);
	a->dport = rte_cpu_to_be_16(k->dport);
	/* a MAC as a 16-bit and a 32-bit field, in wire order */
	memcpy(&hi, k->src_mac.addr_bytes, 2);
	memcpy(&lo, k->src_mac.addr_bytes + 2, 4);
	a->smac_hi = hi;
	a->smac_lo = lo;
	memcpy(&hi, k->dst_mac.addr_bytes, 2);
	memcpy(&lo, k->dst_mac.addr_bytes + 2, 4);
	a->dmac_hi = hi;
	a->dmac_lo = lo;
}

static void
acl_rule_of(const struct sl_cls_rule *r, uint32_t n, struct acl_rule *a)
{
	bool to = r->side == SL_CLS_TO;
	int prefix = to ? F_DST : F_SRC, port = to ? F_DPORT : F_SPORT;
	int mac_hi = to ? F_SMAC_HI : F_DMAC_HI, mac_lo = to ? F_SMAC_LO : F_DMAC_LO;

	memset(a, 0, sizeof(*a));
	a->data.category_mask = 1;
	a->data.priority = (int32_t)(n - r->rank);	/* higher wins */
	a->data.userdata = r->rank + 1;			/* 0 is "no match" */
	if (r->proto == SL_CLS_IP) {
		a->field[F_IPV4].value.u8 = 1;
		a->field[F_IPV4].mask_range.u8 = 0xff;
	} else {
		a->field[F_PROTO].value.u16 = r->proto;
		a->field[F_PROTO].mask_range.u16 = 0xffff;
	}
	a->field[F_NET].value.u16 = r->network;
	a->field[F_NET].mask_range.u16 = 0xffff;
	a->field[prefix].value.u32 = r->plen ? r->addr & ~0u << (32 - r->plen) : 0;
	a->field[prefix].mask_range.u32 = r->plen;
	a->field[F_SPORT].mask_range.u16 = 0xffff;
	a->field[F_DPORT].mask_range.u16 = 0xffff;
	if (r->port >= 0)
		a->field[port].value.u16 = a->field[port].mask_range.u16 = (uint16_t)r->port;
	if (r->has_mac) {
		const uint8_t *b = r->mac.addr_bytes;

		a->field[mac_hi].value.u16 = (uint16_t)(b[0] << 8 | b[1]);
		a->field[mac_hi].mask_range.u16 = 0xffff;
		a->field[mac_lo].value.u32 = (uint32_t)b[2] << 24 | (uint32_t)b[3] << 16 |
					     (uint32_t)b[4] << 8 | b[5];
		a->field[mac_lo].mask_range.u32 = UINT32_MAX;
	}
}

struct result {
	uint32_t rules;
	double sl_build_ms, acl_build_ms;
	/* cycles/packet: one flow, many 5-tuples, many random keys */
	double sl_1flow, sl_tuples, sl_many, acl_1flow, acl_tuples, acl_many;
	uint64_t mismatches;
};

#define BURST 32
#define ONE_FLOW_KEYS 1024

/* Each figure is the best of TRIALS passes over the keys: on a shared
 * machine a pass is only ever slowed down by others, never sped up. */
#define TRIALS 5

static double
time_sl(const struct sl_classifier *c, const struct sl_cls_key *keys,
	uint32_t nb_keys, uint32_t *out)
{
	double best = 0;

	for (int trial = 0; trial < TRIALS; trial++) {
		uint64_t t0 = rte_rdtsc_precise(), n = 0;
		double cycles;

		for (uint32_t i = 0; i + BURST <= nb_keys; i += BURST, n += BURST)
			sl_cls_lookup_burst(c, keys + i, out + i, BURST);
		cycles = (double)(rte_rdtsc_precise() - t0) / (double)n;
		best = trial == 0 ? cycles : RTE_MIN(best, cycles);
	}
	return best;
}

static double
time_acl(const struct rte_acl_ctx *ctx, const struct acl_key *keys,
	 uint32_t nb_keys, uint32_t *out)
{
	const uint8_t *data[BURST];
	double best = 0;

	for (int trial = 0; trial < TRIALS; trial++) {
		uint64_t t0 = rte_rdtsc_precise(), n = 0;
		double cycles;

		for (uint32_t i = 0; i + BURST <= nb_keys; i += BURST, n += BURST) {
			for (int k = 0; k < BURST; k++)
				data[k] = (const uint8_t *)&keys[i + k];
			rte_acl_classify(ctx, data, out + i, BURST, 1);
		}
		cycles = (double)(rte_rdtsc_precise() - t0) / (double)n;
		best = trial == 0 ? cycles : RTE_MIN(best, cycles);
	}
	return best;
}

static int
measure(uint32_t nb_rules, uint32_t nb_flows, struct result *res)
{
	struct sl_cls_rule *rules = calloc(nb_rules, sizeof(*rules));
	struct acl_rule *arules = calloc(nb_rules, sizeof(*arules));
	struct sl_cls_key *keys = calloc(nb_flows, sizeof(*keys)), *one;
	struct sl_cls_key *tuples = calloc(nb_flows, sizeof(*tuples));
	struct acl_key *akeys = calloc(nb_flows, sizeof(*akeys)), *aone;
	uint32_t *sl_out = calloc(nb_flows, sizeof(uint32_t));
	uint32_t *acl_out = calloc(nb_flows, sizeof(uint32_t)), *one_out;
	struct rte_acl_param ap = {
		.socket_id = SOCKET_ID_ANY, .rule_size = RTE_ACL_RULE_SZ(NB_FIELDS),
		.max_rule_num = nb_rules,
	};
	struct rte_acl_config cfg = { .num_categories = 1, .num_fields = NB_FIELDS };
	struct sl_classifier *c;
	struct rte_acl_ctx *ctx;
	char name[32];
	uint64_t t0;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	res->rules = nb_rules;
	if (!rules || !arules || !keys || !tuples || !akeys || !sl_out || !acl_out)
		goto out;
	make_rules(rules, nb_rules);
	make_keys(keys, nb_flows);
	for (uint32_t i = 0; i < nb_flows; i++)
		acl_key_of(&keys[i], &akeys[i]);

	t0 = rte_rdtsc_precise();
	c = sl_cls_build(rules, nb_rules);
	res->sl_build_ms = (double)(rte_rdtsc_precise() - t0) * 1e3 / (double)rte_get_tsc_hz();
	if (!c)
		goto out;

	snprintf(name, sizeof(name), "bench_acl_%u", nb_rules);
	ap.name = name;
	memcpy(cfg.defs, acl_fields, sizeof(acl_fields));
	for (uint32_t i = 0; i < nb_rules; i++)
		acl_rule_of(&rules[i], nb_rules, &arules[i]);
	t0 = rte_rdtsc_precise();
	ctx = rte_acl_create(&ap);
	if (!ctx || rte_acl_add_rules(ctx, (struct rte_acl_rule *)arules, nb_rules) < 0 ||
	    rte_acl_build(ctx, &cfg) < 0) {
		fprintf(stderr, "sluice-classifier-bench: rte_acl could not build %u rules\n",
			nb_rules);
		rte_acl_free(ctx);
		sl_cls_free(c);
		goto out;
	}
	res->acl_build_ms = (double)(rte_rdtsc_precise() - t0) * 1e3 / (double)rte_get_tsc_hz();

	/* one flow: the same key over and over (answers of its own: there
	 * may be fewer flows than ONE_FLOW_KEYS) */
	one = calloc(ONE_FLOW_KEYS, sizeof(*one));
	aone = calloc(ONE_FLOW_KEYS, sizeof(*aone));
	one_out = calloc(ONE_FLOW_KEYS, sizeof(*one_out));
	for (int i = 0; one && aone && i < ONE_FLOW_KEYS; i++) {
		one[i] = keys[0];
		aone[i] = akeys[0];
	}
	if (one && aone && one_out) {
		res->sl_1flow = time_sl(c, one, ONE_FLOW_KEYS, one_out);
		res->acl_1flow = time_acl(ctx, aone, ONE_FLOW_KEYS, one_out);
	}
	free(one);
	free(aone);
	free(one_out);
	for (int set = 0; set < 2; set++) {
		double *sl = set ? &res->sl_many : &res->sl_tuples;
		double *acl = set ? &res->acl_many : &res->acl_tuples;

		if (set == 0) {
			make_tuples(keys, tuples, nb_flows);
			for (uint32_t i = 0; i < nb_flows; i++)
				acl_key_of(&tuples[i], &akeys[i]);
		} else {
			for (uint32_t i = 0; i < nb_flows; i++)
				acl_key_of(&keys[i], &akeys[i]);
		}
		*sl = time_sl(c, set ? keys : tuples, nb_flows, sl_out);
		*acl = time_acl(ctx, akeys, nb_flows, acl_out);
		for (uint32_t i = 0; i < nb_flows; i++)
			res->mismatches += sl_out[i] !=
					   (acl_out[i] ? acl_out[i] - 1 : SL_CLS_NONE);
	}
	rte_acl_free(ctx);
	sl_cls_free(c);
	rc = 0;
out:
	free(rules);
	free(arules);
	free(keys);
	free(tuples);
	free(akeys);
	free(sl_out);
	free(acl_out);
	return rc;
}

int
main(int argc, char **argv)
{
	struct option lo[8];
	char rules_arg[256] = "100,1000,10000";
	char *eal[] = { argv[0], "--no-huge", "-m", "2048", "--no-pci", "--no-telemetry",
			"--log-level=lib.*:3", "--file-prefix=sluice-clsbench", NULL };
	uint32_t flows = 1000000;
	bool json = false;
	json_t *all = json_array();
	int c, bad = 0;

	if (sl_program_getopt(&sl_classifier_bench_program, lo,
			      sizeof(lo) / sizeof(lo[0])) < 0)
		return 2;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'r': snprintf(rules_arg, sizeof(rules_arg), "%s", optarg); break;
		case 'f': flows = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'j': json = true; break;
		case 'h':
			sl_program_usage(&sl_classifier_bench_program, stdout);
			return 0;
		default:
			sl_program_usage(&sl_classifier_bench_program, stderr);
			return 2;
		}
	}
	if (flows < BURST) {
		fprintf(stderr, "sluice-classifier-bench: --flows: at least %d\n", BURST);
		return 2;
	}
	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "sluice-classifier-bench: EAL initialisation failed\n");
		return 1;
	}
	if (!json)
		printf("| rules | sluice build ms | rte_acl build ms | sluice cycles/pkt: 1 flow | %u 5-tuples | %u random | rte_acl: 1 flow | %u 5-tuples | %u random | answers differ |\n|---|---|---|---|---|---|---|---|---|---|\n",
		       flows, flows, flows, flows);
	for (char *tok = strtok(rules_arg, ","); tok; tok = strtok(NULL, ",")) {
		struct result r;

		if (measure((uint32_t)strtoul(tok, NULL, 10), flows, &r) < 0) {
			bad = 1;
			continue;
		}
		bad |= r.mismatches != 0;
		if (json)
			json_array_append_new(all, json_pack(
				"{s:i, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:I}", "rules", r.rules,
				"sluice_build_ms", r.sl_build_ms, "acl_build_ms", r.acl_build_ms,
				"sluice_1flow", r.sl_1flow, "sluice_tuples", r.sl_tuples,
				"sluice_many", r.sl_many, "acl_1flow", r.acl_1flow,
				"acl_tuples", r.acl_tuples, "acl_many", r.acl_many,
				"mismatches", (json_int_t)r.mismatches));
		else
			printf("| %u | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %" PRIu64 " |\n",
			       r.rules, r.sl_build_ms, r.acl_build_ms, r.sl_1flow, r.sl_tuples,
			       r.sl_many, r.acl_1flow, r.acl_tuples, r.acl_many, r.mismatches);
	}
	if (json) {
		json_dumpf(all, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(all);
	rte_eal_cleanup();
	return bad;
}
