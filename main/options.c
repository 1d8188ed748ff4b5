/* SPDX-License-Identifier: BSD-3-Clause */
#include <getopt.h>
#include <grp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "options.h"

static const char usage[] =
	"usage: sluiced [options]\n"
	"  --socket PATH          control socket (default " SL_DEFAULT_SOCKET ")\n"
	"  --socket-group GROUP   may use the socket besides root (default "
	SL_DEFAULT_SOCKET_GROUP " if it exists)\n"
	"  --state PATH           state file (default " SL_DEFAULT_STATE ")\n"
	"  --workers N            worker lcores (default: one per core but one)\n"
	"  --eal \"ARGS\"           extra DPDK EAL arguments\n"
	"  --log-level L          error|warning|notice|info|debug (default notice)\n"
	"  --duration SECONDS     stop by itself after this long\n"
	"  --stats-file PATH      write JSON stats there on SIGUSR1 and at exit\n"
	"  --stats-interval S     log a stats line every S seconds\n"
	"  --mbufs N              packet buffers in the pool (default 65535)\n"
	"  --profile              count cycles per datapath stage (in stats)\n"
	"  --sysfs-root DIR       where sysfs is, for SR-IOV PFs (default /sys)\n"
	"  --sriov-dry-run FILE   record VF settings in FILE (JSON lines) instead\n"
	"                         of programming them: for hosts without an\n"
	"                         SR-IOV NIC (tests)\n"
	"  --help, --version\n";

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
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "socket-group", required_argument, NULL, 'g' },
		{ "state", required_argument, NULL, 'S' },
		{ "workers", required_argument, NULL, 'w' },
		{ "eal", required_argument, NULL, 'e' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "duration", required_argument, NULL, 'd' },
		{ "stats-file", required_argument, NULL, 'f' },
		{ "stats-interval", required_argument, NULL, 'i' },
		{ "mbufs", required_argument, NULL, 'm' },
		{ "profile", no_argument, NULL, 'p' },
		{ "sysfs-root", required_argument, NULL, 'Y' },
		{ "sriov-dry-run", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	char *end;
	int c;

	*o = (struct sl_options){
		.socket_path = SL_DEFAULT_SOCKET,
		.state_path = SL_DEFAULT_STATE,
		.log_level = RTE_LOG_NOTICE,
		.mbufs = SL_DEFAULT_MBUFS,
		.sysfs_root = "/sys",
	};
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
		case 'Y':
			o->sysfs_root = optarg;
			break;
		case 'D':
			o->sriov_dry_run = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		case 'V':
			printf("sluiced %s\n", SLUICE_VERSION);
			return 1;
		default:
			fprintf(err, "sluiced: unknown or incomplete option '%s'\n%s",
				argv[optind - 1], usage);
			return -1;
		}
	}
	if (!o->socket_group && getgrnam(SL_DEFAULT_SOCKET_GROUP))
		o->socket_group = SL_DEFAULT_SOCKET_GROUP;
	if (optind < argc) {
		fprintf(err, "sluiced: unexpected argument '%s'\n%s", argv[optind],
			usage);
		return -1;
	}
	return 0;
}
