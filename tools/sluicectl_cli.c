/* SPDX-License-Identifier: BSD-3-Clause */
/* sluicectl's command line, declared once (sl_cli.h): --help, getopt and
 * sluicectl(8) come from this table and the command table. */
#include "sl_cli.h"
#include "sluice_api.h"

static const struct sl_option_spec options[] = {
	{ "socket", "PATH", 's',
	  "the control socket (default $SLUICE_SOCKET, else " SLUICE_DEFAULT_SOCKET ")" },
	{ "json", NULL, 'j', "print the answer as JSON (anywhere on the line)" },
	{ "minimal", NULL, 'M',
	  "a *-list prints its uuids comma-separated, as xe --minimal (anywhere on the line)" },
	{ "timeout", "SECONDS", 't', "wait this long for the answer (default " SL_STR(SLUICE_DEFAULT_TIMEOUT_S) ")" },
	{ "help", NULL, 'h', "print this and exit" },
	{ "version", NULL, 'V', "print the version and exit" },
	{ NULL, NULL, 0, NULL },
};

const struct sl_program_spec sl_sluicectl_program = {
	.name = "sluicectl",
	.section = 8,
	.summary = "the command line of the sluice virtual switch",
	.synopsis = "[options] COMMAND [KEY=VALUE ...]",
	.description =
		"sluicectl sends one command to sluiced(8) over its control socket "
		"and prints the answer, in the manner of XCP-ng's xe: records as "
		"aligned fields, lists as records separated by blank lines. "
		"KEY=@FILE takes the value from FILE (add-rules rules=@rules.json).\n\n"
		"help, help COMMAND and list-commands need no daemon: the command "
		"table is compiled in. Errors go to standard error as "
		"\"Error CODE NAME: sentence\"; the exit status is 0 on success and "
		"1 on any error.",
	.options = options,
};
