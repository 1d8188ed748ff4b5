/* SPDX-License-Identifier: BSD-3-Clause */
/* --help and getopt from a program's declared options (sl_cli.h). */
#include <string.h>

#include "sl_cli.h"

void
sl_program_usage(const struct sl_program_spec *p, FILE *f)
{
	fprintf(f, "usage: %s %s\n", p->name, p->synopsis);
	for (const struct sl_option_spec *o = p->options; o->name; o++) {
		char left[64];

		snprintf(left, sizeof(left), "--%s%s%s", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-24s %s\n", left, o->help);
	}
}

int
sl_program_getopt(const struct sl_program_spec *p, struct option *out,
		  size_t n)
{
	size_t i = 0;

	for (const struct sl_option_spec *o = p->options; o->name; o++, i++) {
		if (i + 1 >= n) {
			fprintf(stderr, "%s: its options do not fit a getopt table of %zu\n",
				p->name, n);
			return -1;
		}
		out[i] = (struct option){ o->name,
					  o->arg ? required_argument : no_argument,
					  NULL, o->key };
	}
	out[i] = (struct option){ NULL, 0, NULL, 0 };
	return 0;
}
