/* SPDX-License-Identifier: BSD-3-Clause */
#include <getopt.h>
#include <grp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_server.h"
#include "log.h"
#include "options.h"
#include "sl_cli.h"

static int
parse_uint(const char *opt, const char *s, unsigned long min,
	   unsigned long max, unsigned long *out, FILE *err)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-')
		goto bad;
	v = strtoul(s, &end, 10);
	if (*end || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	fprintf(err, "sluiced: %s: '%s' is not a number in %lu..%lu\n", opt, s,
		min, max);
	return -1;
}

int
sl_options_parse(int argc, char **argv, struct sl_options *o, FILE *err)
{
	struct option longopts[32];
	unsigned long v;
	char *end;
	int c;

	*o = (struct sl_options){
		.socket_path = SL_DEFAULT_SOCKET,
		.state_path = SL_DEFAULT_STATE,
		.log_level = RTE_LOG_NOTICE,
		.mbufs = SL_DEFAULT_MBUFS,
		.socket_idle_timeout_s = SL_DEFAULT_SOCKET_IDLE_TIMEOUT_S,
		.socket_per_uid = SL_DEFAULT_SOCKET_PER_UID,
		.takeover_answer_s = SL_DEFAULT_TAKEOVER_ANSWER_S,
	};
	if (sl_program_getopt(&sl_sluiced_program, longopts,
			      sizeof(longopts) / sizeof(longopts[0])) < 0)
		return -1;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->socket_path = optarg;
			break;
		case 'g':
			o->socket_group = optarg;
			break;
		case 'S':
			o->state_path = optarg;
			break;
		case 't':
			if (parse_uint("--socket-idle-timeout", optarg, 0, 86400,
				       &v, err) < 0)
				return -1;
			o->socket_idle_timeout_s = (unsigned int)v;
			break;
		case 'u':
			if (parse_uint("--socket-clients-per-uid", optarg, 1,
				       SL_CTL_MAX_CLIENTS - SL_CTL_ROOT_SLOTS,
				       &v, err) < 0)
				return -1;
			o->socket_per_uid = (unsigned int)v;
			break;
		case 'w':
			if (parse_uint("--workers", optarg, 1, 126, &v, err) < 0)
				return -1;
			o->workers = (int)v;
			break;
		case 'e':
			o->eal_extra = optarg;
			break;
		case 'l':
			o->log_level = sl_log_level_parse(optarg);
			if (o->log_level < 0) {
				fprintf(err, "sluiced: --log-level: '%s' is not one of error, warning, notice, info, debug\n",
					optarg);
				return -1;
			}
			break;
		case 'd':
			o->duration_s = strtod(optarg, &end);
			if (!*optarg || *end || !isfinite(o->duration_s) ||
			    o->duration_s <= 0) {
				fprintf(err, "sluiced: --duration: '%s' is not a positive number of seconds\n",
					optarg);
				return -1;
			}
			break;
		case 'f':
			o->stats_file = optarg;
			break;
		case 'i':
			if (parse_uint("--stats-interval", optarg, 1, 86400, &v,
				       err) < 0)
				return -1;
			o->stats_interval_s = (unsigned int)v;
			break;
		case 'm':
			if (parse_uint("--mbufs", optarg, 1024, 4194303, &v,
				       err) < 0)
				return -1;
			o->mbufs = (unsigned int)v;
			break;
		case 'p':
			o->profile = true;
			break;
		case 'R':
			o->no_rcu_expedite = true;
			break;
		case 'T':
			o->takeover = true;
			break;
		case 'A':
			if (parse_uint("--takeover-answer-timeout", optarg, 1,
				       3600, &v, err) < 0)
				return -1;
			o->takeover_answer_s = (unsigned int)v;
			break;
		case 'I':
			if (parse_uint("--idle-sleep-max-us", optarg, 0, 10000,
				       &v, err) < 0)
				return -1;
			o->idle_sleep_max_us = (unsigned int)v;
			break;
		case 'h':
			sl_program_usage(&sl_sluiced_program, stdout);
			return 1;
		case 'V':
			printf("sluiced %s\n", SLUICE_VERSION);
			return 1;
		default:
			if (c >= SL_OPT_FEATURE &&
			    c < SL_OPT_FEATURE + SL_MAX_FEATURE_OPTIONS) {
				/* a feature's: the feature reads it */
				o->feature_values[c - SL_OPT_FEATURE] =
					optarg ? optarg : "";
				break;
			}
			fprintf(err, "sluiced: unknown or incomplete option '%s'\n",
				argv[optind - 1]);
			sl_program_usage(&sl_sluiced_program, err);
			return -1;
		}
	}
	if (!o->socket_group && getgrnam(SL_DEFAULT_SOCKET_GROUP))
		o->socket_group = SL_DEFAULT_SOCKET_GROUP;
	if (optind < argc) {
		fprintf(err, "sluiced: unexpected argument '%s'\n", argv[optind]);
		sl_program_usage(&sl_sluiced_program, err);
		return -1;
	}
	return 0;
}
