/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A takeover upgrade: a new sluiced (sluiced --takeover, main/takeover.c)
 * starts beside the running one, builds everything but its ports, and
 * takes the ports over one at a time; the old one hands each over
 * (takeover-release, takeover_commands.c), saves the carry-over (warm.h)
 * once it has none left, and exits. docs/guide/operations.md tells the
 * sequence and why it is in this order.
 *
 * An endpoint whose port the other process holds is marked handed_over
 * (model.h): this process keeps it closed, and the model, the same in
 * both processes, is not touched, so nothing of it is saved.
 */
#ifndef SL_TAKEOVER_H
#define SL_TAKEOVER_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "runtime.h"

/* The old process's side, kept in struct sl_ctl. */
struct sl_takeover {
	bool active;		/* a new sluiced has released a port */
	bool done;		/* every port released, the carry-over saved */
	uint64_t conn_id;	/* its connection: the only one served */
	int pid;		/* its pid, for the log */
	/* the learned MACs before the first port left: detaching a port
	 * forgets its MACs, and the carry-over must list them all */
	json_t *fdb;
	unsigned int released;	/* ports closed for it */
};

/* Whether ep opens a device of its own (a physical PIF, a member, a
 * VIF): what a takeover hands over. Not a bond's logical port, a VLAN's
 * PIF, nor a PIF or VIF with no port of sluice's. */
bool sl_takeover_has_device(const struct sl_endpoint *ep);
/* Mark every such endpoint handed over and close the ports that were
 * open (one snapshot); how many were. */
unsigned int sl_takeover_hand_all(struct sl_runtime *rt);
/* Take every handed-over endpoint back and attach what the model wants;
 * how many failed to attach. */
int sl_takeover_take_all(struct sl_runtime *rt);

#endif
