/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A restart's carry-over (warm.c): what a clean exit saves beside the
 * state file for the next sluiced to start with, so that a restart does
 * not flood every unicast frame until the FDB has learned again, nor
 * reset the flows' counters that dump-flows shows: the learned MACs
 * (network, MAC, port by its name, age) and each feature's part (the
 * rules' counters, by flow). The file is read once at the next start and
 * removed; entries of networks or ports that are gone are skipped, and
 * MACs whose age has passed the FDB's aging time meanwhile are not
 * learned again.
 */
#ifndef SL_WARM_H
#define SL_WARM_H

#include "runtime.h"

/* state_path's carry-over file into buf. */
void sl_warm_path(const char *state_path, char *buf, size_t len);
/* The learned MACs as the file lists them (a new reference). */
json_t *sl_warm_fdb(const struct sl_runtime *rt);
/* At a clean exit, the workers stopped, the ports still attached; or at
 * the end of a takeover (takeover.h), the ports closed already: fdb is
 * then the learned MACs listed before the first port left (detaching a
 * port forgets its MACs). NULL: the FDB as it is. */
void sl_warm_save(const struct sl_runtime *rt, const char *path, json_t *fdb);
/* At start, the ports attached, before the workers start; after a
 * takeover, once the ports are taken over (the workers run: the saved
 * counters add to what this process counted meanwhile). */
void sl_warm_load(struct sl_runtime *rt, const char *path);

#endif
