/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The state file read while the EAL starts. Both take a good part of a
 * start (10,000 rules: 50-120 ms to read; the EAL: 170-200 ms, a 100 ms
 * TSC calibration among it) and each is most of a restart's traffic gap,
 * so a start that can runs them side by side: the state on a thread of
 * its own, the EAL on the main thread.
 *
 * It can when the EAL's arguments do not depend on the state: they do
 * only through a PCI PIF (its devargs go on the EAL's allow-list, and
 * without one the EAL runs with --no-pci). Whether the files may hold one
 * is told from their text, before they are parsed: every "devargs" value
 * in the state file and its journal. A value that is a PCI address, or
 * one the scan cannot read plainly (an escape), and the start reads the
 * state first, as before. The loader neither logs nor calls DPDK (the
 * EAL registers log types as it loads its plugins): what it has to say is
 * said by the caller after the join.
 */
#ifndef SL_STATE_LOADER_H
#define SL_STATE_LOADER_H

#include <pthread.h>
#include <stdbool.h>

#include "feature.h"
#include "journal.h"
#include "model.h"
#include "persist.h"
#include "sl_error.h"

/* Whether the state file or its journal may name a PCI device: true also
 * when they cannot be scanned (the serial start then says why). */
bool sl_state_may_need_pci(const char *state_path);

struct sl_state_loader {
	pthread_t thread;
	struct sl_persist *persist;
	struct sl_model *model;
	const struct sl_feature *const *features;
	const char *state_path;
	/* sl_persist_load's */
	int rc;
	struct sl_journal_replay replay;
	struct sl_err err;
};

/* Read the state into model on a thread of its own (signals blocked
 * already: the thread inherits the mask). 0, or -errno (nothing started). */
int sl_state_loader_start(struct sl_state_loader *l, struct sl_persist *p,
			  struct sl_model *m,
			  const struct sl_feature *const *features,
			  const char *state_path);

/* Wait for it: sl_persist_load's return, with its replay and error. */
int sl_state_loader_join(struct sl_state_loader *l,
			 struct sl_journal_replay *replay, struct sl_err *err);

#endif
