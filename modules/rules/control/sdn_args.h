/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The arguments of XCP-ng's sdncontroller plugin (add_rule, del_rule,
 * dump_flows), read the way the plugin reads them: every value a string,
 * in the plugin's order (the first failure wins), with its error codes and
 * messages word for word (../shared/reference/sdncontroller-rules.md).
 *
 * Pure parsing: what a bridge name means is the caller's business.
 */
#ifndef SL_SDN_ARGS_H
#define SL_SDN_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "sl_error.h"

enum sl_sdn_fn {
	SL_SDN_ADD_RULE,
	SL_SDN_DEL_RULE,
	SL_SDN_DUMP_FLOWS,
};

#define SL_SDN_DEFAULT_PRIORITY 32768

struct sl_sdn_args {
	const char *bridge;	/* borrowed from the caller's arguments */
	bool has_mac;
	struct rte_ether_addr mac;
	bool to, from;
	uint8_t proto;		/* enum sl_cls_proto */
	uint32_t addr;		/* host order, as given (host bits kept) */
	uint8_t plen;		/* 0..32 */
	int32_t port;		/* -1: none */
	bool allow;
	uint16_t priority;	/* SL_SDN_DEFAULT_PRIORITY when not given */
	uint64_t cookie;	/* 0 when not given */
};

/* Where the arguments come from: the string value of key, or NULL. */
typedef const char *(*sl_sdn_get_fn)(const void *ctx, const char *key);

/* The plugin's function name ("add_rule", ...), for messages. */
const char *sl_sdn_fn_name(enum sl_sdn_fn fn);

/*
 * Read the arguments of fn. On failure returns -1 with err holding the
 * plugin's code and message: 1 (RULE_PARAMETER_INVALID) for a parameter,
 * 2 (RULE_PORT_MISSING) for tcp/udp without a port, 3 (RULE_REFUSED) for
 * what the plugin passes on but Open vSwitch refuses (a prefix over 32, a
 * port on ip or arp).
 */
int sl_sdn_parse(enum sl_sdn_fn fn, sl_sdn_get_fn get, const void *ctx,
		 struct sl_sdn_args *out, struct sl_err *err);

/* A cookie as the plugin normalises it: "0x" and lower-case hex digits
 * without leading zeros. */
void sl_sdn_cookie_text(uint64_t cookie, char *buf, size_t len);
/* A cookie as the plugin takes it ("0x2a"): false if it is not one. */
bool sl_sdn_cookie_parse(const char *s, uint64_t *cookie);

#endif
