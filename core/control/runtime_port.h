/* SPDX-License-Identifier: BSD-3-Clause */
/* Opening and closing one port of the runtime (runtime.c), for the
 * runtime's own files (runtime_standby.c). */
#ifndef SL_RUNTIME_PORT_H
#define SL_RUNTIME_PORT_H

#include "runtime.h"

/* Open ep's port (not yet in any snapshot): 0, or -1 with ep->error set
 * and logged. */
int sl_runtime_port_attach(struct sl_runtime *rt, struct sl_endpoint *ep);
/* Close port pid; no snapshot in force may hold it. */
void sl_runtime_port_detach(struct sl_runtime *rt, uint16_t pid);

#endif
