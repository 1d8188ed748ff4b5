/* SPDX-License-Identifier: BSD-3-Clause */
/* sluicectl's connection to the daemon (api's sl_ctl_client.h), its
 * failures said on stderr. */
#include <stdarg.h>
#include <stdio.h>

#include "sl_ctl_client.h"
#include "sluicectl.h"

int
fail(const char *fmt, ...)
{
	va_list ap;

	fputs("sluicectl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int
ctl_connect(const char *path)
{
	char err[256];
	int fd = sl_ctl_client_connect(path, err, sizeof(err));

	if (fd < 0)
		fail("%s", err);
	return fd;
}

/* One answer line, within timeout_ms. */
char *
ctl_read_line(int fd, int timeout_ms)
{
	char err[256];
	char *line = sl_ctl_client_read_line(fd, timeout_ms, err, sizeof(err));

	if (!line)
		fail("%s", err);
	return line;
}

int
ctl_send(int sock, const char *line, int pass_fd)
{
	return sl_ctl_client_send(sock, line, pass_fd);
}
