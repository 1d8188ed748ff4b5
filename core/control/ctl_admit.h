/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Who the control socket takes, by the numbers: so that clients that
 * connect and say nothing cannot lock everyone out, one uid may hold only
 * so many connections, and the last few slots are kept for root (the
 * XAPI plugin, an operator's sluicectl). The idle timeout
 * (ctl_server.c) frees the slots of connections that stay silent.
 */
#ifndef SL_CTL_ADMIT_H
#define SL_CTL_ADMIT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctl_server.h"	/* SL_CTL_MAX_CLIENTS, SL_CTL_ROOT_SLOTS */

enum sl_ctl_admit {
	SL_CTL_ADMIT,
	SL_CTL_REFUSE_FULL,	/* every slot this uid may use is taken */
	SL_CTL_REFUSE_UID,	/* this uid has per_uid connections */
};

/* May a peer of uid connect, while total connections are open and of_uid
 * of them are its uid's? Root is never capped per uid. On a refusal, msg
 * gets the sentence the peer is answered with. */
enum sl_ctl_admit sl_ctl_admit(uid_t uid, unsigned int total,
			       unsigned int of_uid, unsigned int per_uid,
			       char *msg, size_t len);

#endif
