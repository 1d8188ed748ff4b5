/* SPDX-License-Identifier: BSD-3-Clause */
/* The kernel's RCU grace periods expedited around port opens and closes
 * (rcu_expedite.h says why). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "rcu_expedite.h"

#define RCU_EXPEDITED "/sys/kernel/rcu_expedited"

static struct {
	bool enabled;
	bool set_by_us;	/* to be put back at the end of the batch */
	char marker[PATH_MAX];
} ex;

/* '0' or '1' as the kernel has it; 0 if it cannot be read. */
static char
read_setting(void)
{
	char c = 0;
	int fd = open(RCU_EXPEDITED, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c;
}

static int
write_setting(char c)
{
	int fd = open(RCU_EXPEDITED, O_WRONLY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, &c, 1) != 1)
		rc = -errno;
	close(fd);
	return rc;
}

void
sl_rcu_expedite_setup(bool enabled, const char *marker)
{
	ex.enabled = enabled;
	ex.marker[0] = '\0';
	if (marker && snprintf(ex.marker, sizeof(ex.marker), "%s", marker) >=
		      (int)sizeof(ex.marker))
		ex.marker[0] = '\0';
	if (!ex.marker[0] || access(ex.marker, F_OK) != 0)
		return;
	/* a sluiced was killed while it had the setting at 1 */
	if (write_setting('0') == 0)
		SL_LOG(NOTICE, "%s set back to 0: the last sluiced was stopped while it had it at 1 (%s)\n",
		       RCU_EXPEDITED, ex.marker);
	unlink(ex.marker);
}

void
sl_rcu_expedite_begin(void)
{
	int fd, rc;

	if (!ex.enabled || ex.set_by_us || read_setting() != '0')
		return;
	if (ex.marker[0]) {
		fd = open(ex.marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0) {
			SL_LOG(INFO, "RCU grace periods not expedited: cannot create %s: %s\n",
			       ex.marker, strerror(errno));
			return;
		}
		close(fd);
	}
	rc = write_setting('1');
	if (rc < 0) {
		/* not root, or /sys read-only: ports open at the normal pace */
		SL_LOG(INFO, "RCU grace periods not expedited: %s: %s\n",
		       RCU_EXPEDITED, strerror(-rc));
		ex.enabled = false;
		if (ex.marker[0])
			unlink(ex.marker);
		return;
	}
	ex.set_by_us = true;
}

void
sl_rcu_expedite_end(void)
{
	int rc;

	if (!ex.set_by_us)
		return;
	ex.set_by_us = false;
	rc = write_setting('0');
	if (rc < 0) {
		SL_LOG(WARNING, "cannot set %s back to 0: %s\n", RCU_EXPEDITED,
		       strerror(-rc));
		return;	/* the marker stays: the next start tries again */
	}
	if (ex.marker[0])
		unlink(ex.marker);
	SL_LOG(DEBUG, "RCU grace periods were expedited while ports opened or closed; %s is 0 again\n",
	       RCU_EXPEDITED);
}
