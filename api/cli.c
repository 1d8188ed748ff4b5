/* SPDX-License-Identifier: BSD-3-Clause */
/* --help and getopt from a program's declared options (sl_cli.h). */
#include <string.h>

#include "sl_cli.h"
#include "sl_command_spec.h"

const struct sl_option_spec *
sl_feature_option(unsigned int i)
{
	for (const struct sl_command_group *const *g = sl_command_groups; *g; g++)
		for (const struct sl_option_spec *o = (*g)->daemon_options;
		     o && o->name; o++)
			if (i-- == 0)
				return o;
	return NULL;
}

const struct sl_option_spec *
sl_program_option(const struct sl_program_spec *p, unsigned int i, int *key)
{
	const struct sl_option_spec *o;
	unsigned int own = 0;

	while (p->options[own].name)
		own++;
	if (i < own) {
		*key = p->options[i].key;
		return &p->options[i];
	}
	if (!p->feature_options || i - own >= SL_MAX_FEATURE_OPTIONS ||
	    !(o = sl_feature_option(i - own)))
		return NULL;
	*key = SL_OPT_FEATURE + (int)(i - own);
	return o;
}

void
sl_program_usage(const struct sl_program_spec *p, FILE *f)
{
	const struct sl_option_spec *o;
	int key;

	fprintf(f, "usage: %s %s\n", p->name, p->synopsis);
	for (unsigned int i = 0; (o = sl_program_option(p, i, &key)); i++) {
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
	const struct sl_option_spec *o;
	unsigned int i;
	int key;

	for (i = 0; (o = sl_program_option(p, i, &key)); i++) {
		if (i + 1 >= n) {
			fprintf(stderr, "%s: its options do not fit a getopt table of %zu\n",
				p->name, n);
			return -1;
		}
		/* getopt would take the first of two of a name: the other's
		 * value would be lost */
		for (unsigned int j = 0; j < i; j++)
			if (strcmp(out[j].name, o->name) == 0) {
				fprintf(stderr, "%s: option --%s is declared twice\n",
					p->name, o->name);
				return -1;
			}
		out[i] = (struct option){ o->name,
					  o->arg ? required_argument : no_argument,
					  NULL, key };
	}
	out[i] = (struct option){ NULL, 0, NULL, 0 };
	if (p->feature_options && sl_feature_option(SL_MAX_FEATURE_OPTIONS)) {
		fprintf(stderr, "%s: the features declare more than %d daemon options\n",
			p->name, SL_MAX_FEATURE_OPTIONS);
		return -1;
	}
	return 0;
}
