/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writes the reference that must not drift from the code, from the tables
 * the code itself uses:
 *
 *   sluiced.8, sluicectl.8, sluice-bench.1   the programs' declared options
 *                                            (sl_cli.h) and the command table
 *                                            (sl_command_spec.h)
 *   commands.md                              the command table
 *   drop-reasons.md                          SL_DROP_REASONS (sl_drop.h)
 *   error-codes.md                           SL_ERRORS (sl_error_codes.h)
 *   the bash completion of sluicectl         commands and parameter names
 *
 *   gen-reference DIR COMPLETION-FILE
 *
 * `make reference` writes them into docs/reference and
 * tools/completion/sluicectl; the test docs-reference fails when the
 * committed ones differ from what this writes.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "sl_cli.h"
#include "sl_command_spec.h"
#include "sl_drop.h"
#include "sl_error_codes.h"

#define GENERATED "made by docs/gen/gen_reference.c from the code; do not edit"

static const char *outdir;

static const char *completion_file;

static FILE *
open_path(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "gen-reference: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return f;
}

/* name in the output folder */
static FILE *
open_out(const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	return open_path(path);
}

static void
close_out(FILE *f)
{
	if (fclose(f) != 0) {
		fprintf(stderr, "gen-reference: write failed: %s\n", strerror(errno));
		exit(1);
	}
}

/* ---- roff ------------------------------------------------------------ */

/* Text for roff: backslashes and hyphens escaped, no line starting with
 * a control character. */
static void
roff(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

/* Paragraphs separated by blank lines, each one .PP. */
static void
roff_paragraphs(FILE *f, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *para = strndup(p, n);

		fputs(".PP\n", f);
		roff(f, para);
		fputc('\n', f);
		free(para);
		p += n;
		while (*p == '\n')
			p++;
	}
}

static void
roff_head(FILE *f, const struct sl_program_spec *p)
{
	const struct sl_option_spec *o;
	int key;

	fprintf(f, ".\\\" %s\n", GENERATED);
	fprintf(f, ".TH %s %d \"\" \"sluice %s\" \"sluice\"\n", p->name, p->section,
		SLUICE_VERSION);
	fputs(".SH NAME\n", f);
	roff(f, p->name);
	fputs(" \\- ", f);
	roff(f, p->summary);
	fputs("\n.SH SYNOPSIS\n.B ", f);
	roff(f, p->name);
	fputc(' ', f);
	roff(f, p->synopsis);
	fputs("\n.SH DESCRIPTION\n", f);
	roff_paragraphs(f, p->description);
	fputs(".SH OPTIONS\n", f);
	for (unsigned int i = 0; (o = sl_program_option(p, i, &key)); i++) {
		fputs(".TP\n.B \\-\\-", f);
		roff(f, o->name);
		if (o->arg) {
			fputs(" \\fI", f);
			roff(f, o->arg);
			fputs("\\fR", f);
		}
		fputc('\n', f);
		roff(f, o->help);
		fputc('\n', f);
	}
}

static void
roff_see_also(FILE *f, const char *see_also)
{
	fputs(".SH SEE ALSO\n", f);
	roff(f, see_also);
	fputc('\n', f);
}

static void
man_sluicectl(void)
{
	FILE *f = open_out("sluicectl.8");
	char usage[1024];

	roff_head(f, &sl_sluicectl_program);
	fputs(".SH COMMANDS\n", f);
	for (const struct sl_command_group *const *g = sl_command_groups; *g; g++) {
		if (!(*g)->commands[0].name)	/* a feature with options only */
			continue;
		fputs(".SS ", f);
		roff(f, (*g)->title);
		fputc('\n', f);
		for (const struct sl_command_spec *c = (*g)->commands; c->name; c++) {
			sl_command_usage(c, usage, sizeof(usage));
			fputs(".TP\n.B ", f);
			roff(f, c->name);
			if (*usage) {
				fputs("\n.I ", f);
				roff(f, usage);
				fputs("\n.br", f);
			}
			fputc('\n', f);
			roff(f, c->help);
			fputc('\n', f);
			for (const struct sl_param_spec *p = c->params; p->name; p++) {
				char synopsis[256];

				sl_param_synopsis(p, synopsis, sizeof(synopsis));
				fputs(".RS\n.TP\n.B ", f);
				roff(f, synopsis);
				fputc('\n', f);
				if (p->flags & SL_PARAM_REQUIRED)
					fputs("(required) ", f);
				roff(f, p->help);
				fputs("\n.RE\n", f);
			}
		}
	}
	fputs(".SH ENVIRONMENT\n.TP\n.B SLUICE_SOCKET\n"
	      "The control socket, unless \\-\\-socket is given.\n"
	      ".SH EXIT STATUS\n0 on success, 1 on any error. An error is printed "
	      "to standard error as \\fBError\\fR \\fIcode\\fR \\fINAME\\fR: "
	      "\\fIsentence\\fR; docs/reference/error\\-codes.md lists them.\n", f);
	roff_see_also(f, "sluiced(8), sluice-bench(1)");
	close_out(f);
}

static void
man_sluiced(void)
{
	FILE *f = open_out("sluiced.8");

	roff_head(f, &sl_sluiced_program);
	fputs(".SH SIGNALS\n.TP\n.B SIGUSR1\nwrite the counters to the "
	      "\\-\\-stats\\-file\n.TP\n.B SIGINT, SIGTERM\nstop: the workers "
	      "stop, the ports are closed, the state's journal is folded into the "
	      "state file\n", f);
	fputs(".SH FILES\n.TP\n.I " SL_DEFAULT_STATE "\nthe state file "
	      "(\\-\\-state)\n.TP\n.I " SL_DEFAULT_STATE ".journal\nthe changes "
	      "since the state file was last written whole, replayed at start "
	      "(sluicectl state\\-export prints both as one state file)\n"
	      ".TP\n.I " SL_DEFAULT_SOCKET "\nthe control socket "
	      "(\\-\\-socket)\n", f);
	roff_see_also(f, "sluicectl(8), sluice-bench(1)");
	close_out(f);
}

static void
man_bench(void)
{
	FILE *f = open_out("sluice-bench.1");

	roff_head(f, &sl_bench_program);
	roff_see_also(f, "sluiced(8), sluicectl(8), sluice-tracegen(1)");
	close_out(f);
}

static void
man_tracegen(void)
{
	FILE *f = open_out("sluice-tracegen.1");

	roff_head(f, &sl_tracegen_program);
	roff_see_also(f, "sluice-bench(1)");
	close_out(f);
}

static void
man_classifier_bench(void)
{
	FILE *f = open_out("sluice-classifier-bench.1");

	roff_head(f, &sl_classifier_bench_program);
	roff_see_also(f, "sluice-bench(1)");
	close_out(f);
}

/* ---- markdown -------------------------------------------------------- */

/* A table cell: '|' escaped. */
static void
md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void
commands_md(void)
{
	FILE *f = open_out("commands.md");
	char usage[1024];

	fprintf(f, "<!-- %s -->\n# sluicectl commands\n\n", GENERATED);
	fputs("Every command of the control socket, as `sluicectl help COMMAND` "
	      "shows it. `[...]` marks what may be left out. The JSON each "
	      "answers with is in [../json.md](../json.md).\n", f);
	for (const struct sl_command_group *const *g = sl_command_groups; *g; g++) {
		if (!(*g)->commands[0].name)	/* a feature with options only */
			continue;
		fprintf(f, "\n## %s\n", (*g)->title);
		for (const struct sl_command_spec *c = (*g)->commands; c->name; c++) {
			sl_command_usage(c, usage, sizeof(usage));
			fprintf(f, "\n### %s\n\n`sluicectl %s%s%s`\n\n%s\n", c->name,
				c->name, *usage ? " " : "", usage, c->help);
			if (!c->params[0].name)
				continue;
			fputs("\n| parameter | value | |\n|---|---|---|\n", f);
			for (const struct sl_param_spec *p = c->params; p->name; p++) {
				fputs("| `", f);
				md_cell(f, p->name);
				fputs("` | ", f);
				md_cell(f, sl_param_offered(p) ? p->value : "...");
				fprintf(f, " | %s", p->flags & SL_PARAM_REQUIRED ? "required: " : "");
				md_cell(f, p->help);
				fputs(" |\n", f);
			}
		}
	}
	close_out(f);
}

static void
drop_reasons_md(void)
{
	FILE *f = open_out("drop-reasons.md");

	fprintf(f, "<!-- %s -->\n# Drop reasons\n\n", GENERATED);
	fputs("Every packet the datapath drops is counted under one of these "
	      "names: `sluicectl stats` (drops), the `--stats-file`, DPDK "
	      "telemetry (/sluice/stats). They are declared once, in "
	      "core/datapath/include/sl_drop.h.\n\n", f);
	fputs("| drop reason | meaning |\n|---|---|\n", f);
#define SL_DROP_ROW(id, name, help) fprintf(f, "| `%s` | %s |\n", name, help);
	SL_DROP_REASONS(SL_DROP_ROW)
#undef SL_DROP_ROW
	close_out(f);
}

static void
error_codes_md(void)
{
	FILE *f = open_out("error-codes.md");

	fprintf(f, "<!-- %s -->\n# Error codes\n\n", GENERATED);
	fputs("Every error the control socket answers with has one shape, "
	      "`{\"code\": N, \"message\": \"sentence\", \"data\": {\"name\": "
	      "\"NAME\"}}`, and sluicectl prints it as `Error N NAME: sentence`. "
	      "The sentence names the argument and says what is wrong; the code "
	      "and the name are stable. Codes below 0 are JSON-RPC's own, 1 to 4 "
	      "the sdncontroller plugin's, 1000 and up sluice's. Declared once, "
	      "in api/include/sl_error_codes.h.\n\n", f);
	fputs("| code | name | meaning |\n|---|---|---|\n", f);
#define SL_ERR_ROW(name, num, meaning) \
	fprintf(f, "| %d | `%s` | %s |\n", (int)(num), #name, meaning);
	SL_ERRORS(SL_ERR_ROW)
#undef SL_ERR_ROW
	close_out(f);
}

/* ---- bash completion ------------------------------------------------- */

static void
completion(void)
{
	FILE *f = open_path(completion_file);
	const struct sl_program_spec *prog = &sl_sluicectl_program;

	fprintf(f, "# bash completion of sluicectl: %s.\n", GENERATED);
	fputs("# Completes options, command names and each command's parameter\n"
	      "# names (KEY=), from the command table.\n\n", f);
	fputs("_sluicectl_commands=\"", f);
	for (const struct sl_command_group *const *g = sl_command_groups; *g; g++)
		for (const struct sl_command_spec *c = (*g)->commands; c->name; c++)
			fprintf(f, "%s%s", g == sl_command_groups && c == (*g)->commands ? "" : " ",
				c->name);
	fputs("\"\n_sluicectl_options=\"", f);
	for (const struct sl_option_spec *o = prog->options; o->name; o++)
		fprintf(f, "%s--%s", o == prog->options ? "" : " ", o->name);
	fputs("\"\n\n_sluicectl_params() {\n\tcase $1 in\n", f);
	for (const struct sl_command_group *const *g = sl_command_groups; *g; g++)
		for (const struct sl_command_spec *c = (*g)->commands; c->name; c++) {
			fprintf(f, "\t%s) echo \"", c->name);
			for (const struct sl_param_spec *p = c->params; p->name; p++) {
				if (!sl_param_offered(p) ||
				    (p->flags & SL_PARAM_PLACEHOLDER))
					continue;
				fprintf(f, "%s%s%s", p == c->params ? "" : " ", p->name,
					sl_param_is_prefix(p) ? "" : "=");
			}
			fputs("\" ;;\n", f);
		}
	fputs("\tesac\n}\n\n", f);
	/* the options that take a value, and the commands whose first
	 * argument is a command's name (help), from the tables */
	fputs("_sluicectl_valued=\"", f);
	for (const struct sl_option_spec *o = prog->options; o->name; o++)
		if (o->arg)
			fprintf(f, " --%s", o->name);
	fputs(" \"\n_sluicectl_of_commands=\"", f);
	for (const struct sl_command_group *const *g = sl_command_groups; *g; g++)
		for (const struct sl_command_spec *c = (*g)->commands; c->name; c++)
			if (c->params[0].name &&
			    (c->params[0].flags & SL_PARAM_POSITIONAL) &&
			    strcmp(c->params[0].value, "<command>") == 0)
				fprintf(f, " %s", c->name);
	fputs(" \"\n\n", f);
	fputs("_sluicectl() {\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} cmd= i\n"
	      "\t# the word being typed, split on spaces only (bash splits on = and :)\n"
	      "\tlocal word=${COMP_LINE:0:COMP_POINT}\n"
	      "\tword=${word##* }\n"
	      "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "\t\tcase ${COMP_WORDS[i]} in\n"
	      "\t\t-*) [[ $_sluicectl_valued == *\" ${COMP_WORDS[i]} \"* ]] && ((i++)) ;;\n"
	      "\t\t*) cmd=${COMP_WORDS[i]}; break ;;\n"
	      "\t\tesac\n"
	      "\tdone\n"
	      "\tCOMPREPLY=()\n"
	      "\tif [[ $word == *[=:]* ]]; then\n"
	      "\t\treturn 0\t# a value: nothing to offer\n"
	      "\telif [[ $cur == -* ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$_sluicectl_options\" -- \"$cur\"))\n"
	      "\telif [[ -z $cmd ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$_sluicectl_commands\" -- \"$cur\"))\n"
	      "\telif [[ $_sluicectl_of_commands == *\" $cmd \"* ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$_sluicectl_commands\" -- \"$cur\"))\n"
	      "\telse\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$(_sluicectl_params \"$cmd\")\" -- \"$cur\"))\n"
	      "\t\t# KEY= and other-config: take their value without a space\n"
	      "\t\t[[ ${COMPREPLY[0]} == *[=:] ]] && compopt -o nospace 2>/dev/null\n"
	      "\tfi\n"
	      "\treturn 0\n"
	      "}\n"
	      "complete -F _sluicectl sluicectl\n", f);
	close_out(f);
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen-reference DIR COMPLETION-FILE\n");
		return 2;
	}
	outdir = argv[1];
	completion_file = argv[2];
	man_sluiced();
	man_sluicectl();
	man_bench();
	man_tracegen();
	man_classifier_bench();
	commands_md();
	drop_reasons_md();
	error_codes_md();
	completion();
	return 0;
}
