/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where log lines go and how they look. DPDK's own stream writes every line
 * to stderr and to syslog, without a time: under systemd the journal gets
 * each line twice, and in a terminal nobody can tell when it happened. This
 * stream replaces it for every rte_log line, sluice's and DPDK's alike:
 * one copy on stderr, either with a syslog priority prefix that journald
 * reads (sd-daemon(3)) when stderr is the journal's, or after an ISO 8601
 * timestamp and the level name.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* One write(2) per message when it fits (the stream's lock already keeps
 * threads' messages apart): a reader of a pipe gets whole lines. */
#define OUT_MAX 8192
/* Big enough that one message reaches write_lines in one piece: a longer
 * one is cut where stdio flushes, and the cut ends a line. */
#define STREAM_BUFFER (64 * 1024)

static bool to_journal;

/* systemd sets JOURNAL_STREAM to the device and inode of the stream it
 * connected; stderr is the journal only if it is still that file (a
 * redirection in between makes it something else). */
static bool
stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	uint64_t dev, ino;
	struct stat st;
	char tail;

	if (!e || sscanf(e, "%" SCNu64 ":%" SCNu64 "%c", &dev, &ino, &tail) != 2)
		return false;
	return fstat(STDERR_FILENO, &st) == 0 && st.st_dev == dev &&
	       st.st_ino == ino;
}

/* The level of the message being written: a write that no rte_log call
 * made (a dump straight into the stream) has none, and is info. */
static int
current_level(void)
{
	int level = rte_log_cur_msg_loglevel();

	return level >= (int)RTE_LOG_EMERG && level <= (int)RTE_LOG_DEBUG ?
		       level : (int)RTE_LOG_INFO;
}

static const char *
level_name(int level)
{
	static const char *const names[] = {
		[RTE_LOG_EMERG] = "emerg", [RTE_LOG_ALERT] = "alert",
		[RTE_LOG_CRIT] = "crit", [RTE_LOG_ERR] = "err",
		[RTE_LOG_WARNING] = "warning", [RTE_LOG_NOTICE] = "notice",
		[RTE_LOG_INFO] = "info", [RTE_LOG_DEBUG] = "debug",
	};

	return names[level];
}

/* "2026-12-07T00:24:07.123+01:00 notice ": local time, as a person reads
 * the log next to other programs'. */
static int
timestamp(char *out, size_t len, int level)
{
	struct timespec ts;
	struct tm tm;
	char date[32], zone[8];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	if (strftime(zone, sizeof(zone), "%z", &tm) != 5)	/* +0100 */
		strcpy(zone, "+0000");
	return snprintf(out, len, "%s.%03ld%.3s:%s %s ", date,
			ts.tv_nsec / 1000000, zone, zone + 3, level_name(level));
}

static void
flush_out(const char *out, size_t len)
{
	while (len) {
		ssize_t n = write(STDERR_FILENO, out, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* nowhere left to say it */
		out += n;
		len -= (size_t)n;
	}
}

/* The stream's write: buf is one message (rte_log flushes after each),
 * of one or more lines; each line gets the prefix, and the last one its
 * newline if the message had none. */
static ssize_t
write_lines(void *cookie, const char *buf, size_t size)
{
	int level = current_level();
	char out[OUT_MAX], prefix[64];
	size_t used = 0, plen;
	const char *p = buf, *end = buf + size;

	(void)cookie;
	if (to_journal)
		/* syslog priorities are DPDK's levels less one */
		plen = (size_t)snprintf(prefix, sizeof(prefix), "<%d>",
					level - 1);
	else
		plen = (size_t)timestamp(prefix, sizeof(prefix), level);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);

		if (n == 0 && nl) {	/* an empty line says nothing */
			p = nl + 1;
			continue;
		}
		if (used + plen + n + 1 > sizeof(out)) {
			flush_out(out, used);
			used = 0;
		}
		if (plen + n + 1 > sizeof(out)) {	/* a huge line alone */
			flush_out(prefix, plen);
			flush_out(p, n);
			flush_out("\n", 1);
		} else {
			memcpy(out + used, prefix, plen);
			memcpy(out + used + plen, p, n);
			used += plen + n;
			out[used++] = '\n';
		}
		p += n + (nl ? 1 : 0);
	}
	flush_out(out, used);
	/* all of it taken: anything less is an error to stdio */
	return (ssize_t)size;
}

int
sl_log_open_stderr(void)
{
	static const cookie_io_functions_t fns = { .write = write_lines };
	FILE *f;

	to_journal = stderr_is_journal();
	f = fopencookie(NULL, "w", fns);
	if (!f)
		return -errno;
	if (setvbuf(f, NULL, _IOFBF, STREAM_BUFFER) != 0 ||
	    rte_openlog_stream(f) != 0) {
		fclose(f);
		return -EINVAL;
	}
	return 0;
}
