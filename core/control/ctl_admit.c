/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>

#include "ctl_admit.h"

enum sl_ctl_admit
sl_ctl_admit(uid_t uid, unsigned int total, unsigned int of_uid,
	     unsigned int per_uid, char *msg, size_t len)
{
	unsigned int slots = uid == 0 ? SL_CTL_MAX_CLIENTS :
			     SL_CTL_MAX_CLIENTS - SL_CTL_ROOT_SLOTS;

	if (total >= slots) {
		snprintf(msg, len,
			 "too many control clients at once: %u connections open, %u slots, the last %u kept for root; try again",
			 total, SL_CTL_MAX_CLIENTS, SL_CTL_ROOT_SLOTS);
		return SL_CTL_REFUSE_FULL;
	}
	if (uid != 0 && of_uid >= per_uid) {
		snprintf(msg, len,
			 "too many control connections for uid %u: it has %u open, the most one uid may have (sluiced --socket-clients-per-uid); close some or try again",
			 (unsigned int)uid, of_uid);
		return SL_CTL_REFUSE_UID;
	}
	return SL_CTL_ADMIT;
}
