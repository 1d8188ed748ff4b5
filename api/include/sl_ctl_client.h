/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A client of sluiced's control socket, for sluicectl and for sluiced
 * --takeover: connect, send a request line (with a descriptor, for a
 * capture), read one answer line. Nothing is printed: what went wrong is
 * said in err, for each caller to say its own way.
 */
#ifndef SL_CTL_CLIENT_H
#define SL_CTL_CLIENT_H

#include <stddef.h>

/* A connected socket, or -1 with the reason in err. */
int sl_ctl_client_connect(const char *path, char *err, size_t errlen);
/* The line and its newline; pass_fd (>= 0) goes with its first bytes.
 * 0, or -1 with errno. */
int sl_ctl_client_send(int fd, const char *line, int pass_fd);
/* What arrived up to and with the first newline (and any bytes after it
 * in the same read), NUL-terminated, within timeout_ms; to be freed. NULL
 * with the reason in err. A signal does not end the wait. */
char *sl_ctl_client_read_line(int fd, int timeout_ms, char *err,
			      size_t errlen);

#endif
