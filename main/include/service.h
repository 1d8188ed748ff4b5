/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluiced under a service manager (systemd's Type=notify, sd_notify(3)):
 * readiness, a one-line status, stopping. Without NOTIFY_SOCKET every call
 * does nothing.
 */
#ifndef SL_SERVICE_H
#define SL_SERVICE_H

#include <stddef.h>

#include "runtime.h"

struct sl_service {
	char status[256];	/* the last STATUS= sent */
};

/* READY=1 with the status: once the state is restored and every port is
 * attached or has failed with its reason logged. */
void sl_service_ready(struct sl_service *s, const struct sl_runtime *rt);
/* STATUS= again, if it changed (ports come and go). */
void sl_service_update(struct sl_service *s, const struct sl_runtime *rt);
/* MAINPID= this process: after a takeover (sluiced --takeover) systemd
 * follows the new sluiced, not the old one that exits. */
void sl_service_main_pid(struct sl_service *s);
/* STOPPING=1: systemd waits for the exit instead of calling it a crash. */
void sl_service_stopping(struct sl_service *s);
/* "2 networks, 3 ports attached, 1 not attached, 1 worker" */
void sl_service_summary(const struct sl_runtime *rt, char *out, size_t len);

#endif
