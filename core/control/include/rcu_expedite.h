/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel's RCU grace periods, expedited while sluiced opens and closes
 * ports. An af_packet port costs five synchronize_net() calls (two ring
 * set-ups to open; the rings and the socket to close), each a whole grace
 * period: 10-40 ms apiece on a busy host, most of a restart's traffic gap
 * with a few ports. With /sys/kernel/rcu_expedited at 1 each takes well
 * under a millisecond (IPIs instead of waiting for every CPU to pass a
 * quiescent state), so sluiced sets it for those moments only and puts it
 * back: a host that runs other latency-sensitive work is not left with
 * expedited grace periods (which interrupt every CPU) for good.
 *
 * A marker file says the setting is sluiced's, so that a sluiced killed in
 * such a moment has the next one put it back. A host whose operator set
 * rcu_expedited to 1 keeps it; sluiced never turns it off then.
 */
#ifndef SL_RCU_EXPEDITE_H
#define SL_RCU_EXPEDITE_H

#include <stdbool.h>

/* enabled: false with --no-rcu-expedite. marker: where to say the setting
 * is ours (NULL: nowhere, no recovery after a kill). Puts back what a
 * killed sluiced left set. */
void sl_rcu_expedite_setup(bool enabled, const char *marker);

/* Before a port is opened or closed: expedite, if not done already. */
void sl_rcu_expedite_begin(void);

/* After a batch of ports: put the setting back, if it was changed. */
void sl_rcu_expedite_end(void);

#endif
