/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Each reader below accepts exactly what the plugin's regular expression or
 * Python conversion accepts, so a caller that worked against the plugin
 * gets the same answer here.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sl_cls_rule.h"
#include "sdn_args.h"

static const char *const fn_names[] = {
	[SL_SDN_ADD_RULE] = "add_rule",
	[SL_SDN_DEL_RULE] = "del_rule",
	[SL_SDN_DUMP_FLOWS] = "dump_flows",
};

const char *
sl_sdn_fn_name(enum sl_sdn_fn fn)
{
	return fn_names[fn];
}

/* A parameter failed: code 1, the plugin's prefix, then its sentence. */
static int __attribute__((format(printf, 3, 4)))
bad(enum sl_sdn_fn fn, struct sl_err *err, const char *fmt, ...)
{
	char what[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return sl_err_set(err, SL_E_RULE_PARAMETER_INVALID,
			  "%s: Failed to get parameters: %s", fn_names[fn], what);
}

static bool
is_word_char(unsigned char c)
{
	/* Python's \w on text: letters, digits, underscore; bytes of
	 * non-ASCII characters count as letters. */
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* \b\w+\d+\b matched at the start: the leading run of word characters is
 * at least two long and ends in a digit. */
static bool
bridge_ok(const char *s)
{
	size_t n = 0;

	while (is_word_char((unsigned char)s[n]))
		n++;
	return n >= 2 && isdigit((unsigned char)s[n - 1]);
}

/* Python's re '$' also matches before one final newline. */
static size_t
regex_len(const char *s)
{
	size_t n = strlen(s);

	return n && s[n - 1] == '\n' ? n - 1 : n;
}

static bool
hex_digit(char c)
{
	return isxdigit((unsigned char)c) != 0;
}

/* ^([0-9A-Fa-f]{2}:){5}([0-9A-Fa-f]{2})$ with the whole text matched. */
static bool
mac_parse(const char *s, struct rte_ether_addr *mac)
{
	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		const char *b = s + 3 * i;

		if (!hex_digit(b[0]) || !hex_digit(b[1]) ||
		    (i < 5 && b[2] != ':'))
			return false;
		sscanf(b, "%2hhx", &mac->addr_bytes[i]);
	}
	return true;
}

/* 1 to 3 decimal digits worth at most 255, as the octet alternatives of
 * the plugin's expression allow (leading zeros included). */
static const char *
octet(const char *s, uint32_t *v)
{
	int n = 0;

	*v = 0;
	while (n < 3 && isdigit((unsigned char)s[n]))
		*v = *v * 10 + (uint32_t)(s[n++] - '0');
	return n && *v <= 255 ? s + n : NULL;
}

/* ^(octet\.){3}octet(/\d{1,2})?$: an address and a prefix of 0..99 (the
 * expression allows two digits; Open vSwitch refuses above 32). */
static bool
iprange_parse(const char *s, uint32_t *addr, int *plen)
{
	const char *end = s + regex_len(s);
	uint32_t v;

	*addr = 0;
	for (int i = 0; i < 4; i++) {
		s = octet(s, &v);
		if (!s || (i < 3 && *s++ != '.'))
			return false;
		*addr = *addr << 8 | v;
	}
	*plen = 32;
	if (s == end)
		return true;
	if (*s++ != '/' || !isdigit((unsigned char)s[0]))
		return false;
	*plen = s[0] - '0';
	if (isdigit((unsigned char)s[1]))
		*plen = *plen * 10 + (s[1] - '0'), s++;
	return s + 1 == end;
}

/* Python's int(text) for base 10: blanks around, a sign, digits. */
static bool
python_int(const char *s, long *out)
{
	long v = 0;
	bool neg = false, digits = false;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; isdigit((unsigned char)*s); s++, digits = true)
		if (v < 1000000)	/* anything bigger is out of range anyway */
			v = v * 10 + (*s - '0');
	while (isspace((unsigned char)*s))
		s++;
	*out = neg ? -v : v;
	return digits && !*s;
}

static bool
u16_text(const char *s, long *v)
{
	return python_int(s, v) && *v >= 0 && *v <= 65535;
}

/* ^0x0*([0-9a-fA-F]{1,16})$ */
bool
sl_sdn_cookie_parse(const char *s, uint64_t *cookie)
{
	size_t n = regex_len(s), i = 2, digits;

	if (n < 3 || s[0] != '0' || s[1] != 'x')
		return false;
	while (i < n - 1 && s[i] == '0')
		i++;
	digits = n - i;
	if (digits > 16)
		return false;
	*cookie = 0;
	for (; i < n; i++) {
		if (!hex_digit(s[i]))
			return false;
		*cookie = *cookie << 4 |
			  (uint64_t)(isdigit((unsigned char)s[i]) ?
					     s[i] - '0' :
					     tolower((unsigned char)s[i]) - 'a' + 10);
	}
	return true;
}

void
sl_sdn_cookie_text(uint64_t cookie, char *buf, size_t len)
{
	snprintf(buf, len, "0x%" PRIx64, cookie);
}

static int
parse_direction(enum sl_sdn_fn fn, const char *s, struct sl_sdn_args *out,
		struct sl_err *err)
{
	/* lower(), split("/"), then "to" in parts / "from" in parts */
	const char *p = s;

	out->to = out->from = false;
	for (;;) {
		size_t n = strcspn(p, "/");

		if (n == 2 && strncasecmp(p, "to", 2) == 0)
			out->to = true;
		else if (n == 4 && strncasecmp(p, "from", 4) == 0)
			out->from = true;
		if (!p[n])
			break;
		p += n + 1;
	}
	if (!out->to && !out->from)
		return bad(fn, err, "'%s' is not a valid direction", s);
	return 0;
}

static int
parse_protocol(enum sl_sdn_fn fn, const char *s, struct sl_sdn_args *out,
	       struct sl_err *err)
{
	static const struct {
		const char *name;
		uint8_t proto;
	} protos[] = {
		{ "tcp", SL_CLS_TCP }, { "udp", SL_CLS_UDP },
		{ "icmp", SL_CLS_ICMP }, { "ip", SL_CLS_IP },
		{ "arp", SL_CLS_ARP },
	};
	char lower[64];
	size_t i;

	for (i = 0; s[i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char)tolower((unsigned char)s[i]);
	lower[i] = '\0';
	for (size_t k = 0; k < RTE_DIM(protos); k++) {
		if (!s[i] && strcmp(lower, protos[k].name) == 0) {
			out->proto = protos[k].proto;
			return 0;
		}
	}
	return bad(fn, err, "'%s%s' is not a supported protocol", lower,
		   s[i] ? "..." : "");
}

int
sl_sdn_parse(enum sl_sdn_fn fn, sl_sdn_get_fn get, const void *ctx,
	     struct sl_sdn_args *out, struct sl_err *err)
{
	const char *v;
	int plen = 32;
	long n;

	*out = (struct sl_sdn_args){
		.port = -1, .priority = SL_SDN_DEFAULT_PRIORITY,
	};
	v = out->bridge = get(ctx, "bridge");
	if (!v)
		return bad(fn, err, "bridge parameter is missing");
	if (!bridge_ok(v))
		return bad(fn, err, "'%s' is not a valid bridge name", v);
	if (fn == SL_SDN_DUMP_FLOWS)
		return 0;

	v = get(ctx, "mac");
	if (v) {
		if (!mac_parse(v, &out->mac))
			return bad(fn, err, "'%s' is not a valid MAC", v);
		out->has_mac = true;
	}
	v = get(ctx, "direction");
	if (!v)
		return bad(fn, err, "direction parameter is missing");
	if (parse_direction(fn, v, out, err) < 0)
		return -1;
	v = get(ctx, "protocol");
	if (!v)
		return bad(fn, err, "protocol parameter is missing");
	if (parse_protocol(fn, v, out, err) < 0)
		return -1;
	v = get(ctx, "ipRange");
	if (!v)
		return bad(fn, err, "ipRange parameter is missing");
	if (!iprange_parse(v, &out->addr, &plen))
		return bad(fn, err, "'%s' is not a valid IP range", v);
	v = get(ctx, "port");
	if (v) {
		if (!u16_text(v, &n))
			return bad(fn, err, "'%s' is not a valid port", v);
		out->port = (int32_t)n;
	}
	if (fn == SL_SDN_ADD_RULE) {
		v = get(ctx, "allow");
		if (!v)
			return bad(fn, err, "allow parameter is missing");
		if (strcasecmp(v, "true") != 0 && strcasecmp(v, "false") != 0)
			return bad(fn, err,
				   "allow parameter should be true or false, not '%s'",
				   v);
		out->allow = strcasecmp(v, "true") == 0;
		v = get(ctx, "priority");
		if (v) {
			if (!u16_text(v, &n))
				return bad(fn, err, "'%s' is not a valid priority", v);
			out->priority = (uint16_t)n;
		}
	}
	v = get(ctx, "cookie");
	if (v && !sl_sdn_cookie_parse(v, &out->cookie))
		return bad(fn, err, "'%s' is not a valid cookie", v);

	/* the plugin's own check after parsing */
	if ((out->proto == SL_CLS_TCP || out->proto == SL_CLS_UDP) &&
	    out->port < 0)
		return sl_err_set(err, SL_E_RULE_PORT_MISSING,
				  "%s: No port provided, tcp and udp requires one",
				  fn_names[fn]);
	/* what the plugin hands to ovs-ofctl, which refuses it */
	if (plen > 32)
		return sl_err_set(err, SL_E_RULE_REFUSED,
				  "%s: the switch refused the rule: prefix /%d is longer than 32",
				  fn_names[fn], plen);
	if (out->port >= 0 && out->proto != SL_CLS_TCP &&
	    out->proto != SL_CLS_UDP && out->proto != SL_CLS_ICMP)
		return sl_err_set(err, SL_E_RULE_REFUSED,
				  "%s: the switch refused the rule: a port needs protocol tcp, udp or icmp",
				  fn_names[fn]);
	out->plen = (uint8_t)plen;
	return 0;
}
