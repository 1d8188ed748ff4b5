/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A program's command line, declared once: its options (name, what each
 * takes, one line of help) and what it is. --help prints from it, getopt
 * reads its options from it, and the man pages are made from it
 * (docs/gen). sluiced, sluicectl and sluice-bench each declare one.
 */
#ifndef SL_CLI_H
#define SL_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A number's text, for a default in a help line. */
#define SL_STR_(x) #x
#define SL_STR(x) SL_STR_(x)

struct sl_option_spec {
	const char *name;	/* --name */
	const char *arg;	/* what it takes ("PATH"); NULL: nothing */
	int key;		/* what getopt_long returns for it */
	const char *help;	/* one line */
};

struct sl_program_spec {
	const char *name;		/* "sluiced" */
	int section;			/* its man page's section */
	const char *summary;		/* the man page's NAME line */
	const char *synopsis;		/* "[options]" */
	const char *description;	/* paragraphs, blank-line separated */
	const struct sl_option_spec *options;	/* ends with a NULL name */
	/* and every feature's daemon options (sl_command_group), after its
	 * own: sluiced's */
	bool feature_options;
};

/* At most this many daemon options over all the features; the i-th
 * (sl_feature_option()) has getopt key SL_OPT_FEATURE + i. main/ keeps
 * their values by that index; the features read them by name
 * (sl_runtime_option()). */
#define SL_MAX_FEATURE_OPTIONS 16

/* getopt_long's key of the i-th feature daemon option. */
#define SL_OPT_FEATURE 0x1000
/* The i-th daemon option of all the features' (in the order of
 * sl_command_groups), or NULL past the last. */
const struct sl_option_spec *sl_feature_option(unsigned int i);
/* The i-th option of p, its own then the features' (feature_options),
 * and its getopt key in *key; NULL past the last. */
const struct sl_option_spec *sl_program_option(const struct sl_program_spec *p,
					       unsigned int i, int *key);

extern const struct sl_program_spec sl_sluiced_program;
extern const struct sl_program_spec sl_sluicectl_program;
extern const struct sl_program_spec sl_bench_program;
extern const struct sl_program_spec sl_tracegen_program;
extern const struct sl_program_spec sl_classifier_bench_program;

/* "usage: NAME SYNOPSIS" and a line an option. */
void sl_program_usage(const struct sl_program_spec *p, FILE *f);

/* getopt_long's table of p's options into out (n entries, the last one
 * zero); 0, or -1 (said on stderr) if n is too small. */
int sl_program_getopt(const struct sl_program_spec *p, struct option *out,
		      size_t n);

#endif
