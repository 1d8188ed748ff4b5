/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the sdncontroller plugin's arguments
 * (modules/rules/control/sdn_args.c), as the XAPI plugin and add-rule pass
 * them: any strings for any keys, for each of the plugin's three
 * functions. The parser must never read past a string, overflow, or
 * accept what it then cannot print back (a cookie round trip is checked).
 *
 * Input: byte 0 picks the function; the rest is "key=value" pairs
 * separated by NUL bytes (a key without '=' has an empty value).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sdn_args.h"

#define MAX_ARGS 16

struct args {
	const char *key[MAX_ARGS], *value[MAX_ARGS];
	unsigned int n;
};

static const char *
get(const void *ctx, const char *key)
{
	const struct args *a = ctx;

	for (unsigned int i = 0; i < a->n; i++)
		if (strcmp(a->key[i], key) == 0)
			return a->value[i];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_sdn_args out;
	struct sl_err err = { 0 };
	struct args a = { .n = 0 };
	char *text, *p, *end;

	if (size < 1)
		return 0;
	/* NUL-terminated copies, exactly as long as the input */
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	for (p = text, end = text + size - 1; p < end && a.n < MAX_ARGS;
	     p += strlen(p) + 1) {
		char *eq = strchr(p, '=');

		a.key[a.n] = p;
		a.value[a.n++] = eq ? (*eq = '\0', eq + 1) : "";
	}
	if (sl_sdn_parse((enum sl_sdn_fn)(data[0] % 3), get, &a, &out, &err) == 0 &&
	    out.cookie) {
		char buf[24];
		uint64_t back;

		sl_sdn_cookie_text(out.cookie, buf, sizeof(buf));
		if (!sl_sdn_cookie_parse(buf, &back) || back != out.cookie)
			abort();	/* a cookie that does not print back */
	}
	free(text);
	return 0;
}
