/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Keeping the model on disk: the state file, written whole now and then
 * (a compaction), and its journal (journal.h), to which every change
 * appends only what it changed, found by comparing the model with what
 * the files hold (a hash per key of the state file's root, and per item of
 * a feature's list: struct sl_feature's state_items). A command's answer
 * waits for its line to be on disk, so an acknowledged change outlives a
 * crash, at the cost of one small append instead of the whole state.
 */
#ifndef SL_PERSIST_H
#define SL_PERSIST_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "journal.h"
#include "model.h"
#include "state.h"

struct sl_feature;

/* The journal is compacted once it is larger than the state file (its
 * replay would then cost more than a load) and than this. */
#define SL_PERSIST_COMPACT_MIN_BYTES (256u * 1024)

/* What the files hold of one key of the state file's root. */
struct sl_persist_key {
	char key[32];			/* the core's or a feature's state_key */
	const struct sl_feature *feature;	/* with state_items, or NULL */
	uint64_t hash;			/* of the whole value (no feature) */
	bool absent;			/* the feature saves no value */
	struct sl_state_item *items;	/* [n] by id (a feature's) */
	size_t n;
};

/* the core's keys and one per feature (feature.h's SL_MAX_FEATURES) */
#define SL_PERSIST_MAX_KEYS (8 + 16)

struct sl_persist {
	const char *state_path;
	char journal_path[PATH_MAX];
	const struct sl_feature *const *features;
	struct sl_journal journal;	/* fd -1: the next change compacts */
	uint64_t generation;		/* of the state file and its journal */
	uint64_t last_change;		/* the number of the last line */
	unsigned int journal_changes;	/* lines since the last compaction */
	off_t state_bytes;		/* the state file's size */
	bool compact_at_exit;		/* the journal has changes, or is not whole */
	unsigned int nb_keys;
	struct sl_persist_key keys[SL_PERSIST_MAX_KEYS];
};

/* The journal's path for a state file's (PATH.journal) into buf. */
int sl_persist_journal_path(const char *state_path, char *buf, size_t len);

/* Load the state file at state_path and replay its journal into m (empty),
 * and get ready to save m's changes. Returns 0, 1 when there is no state
 * file (nothing loaded), or -1 with err (the files are left as they are).
 * info says what the journal held (log it: torn last line, stale). */
int sl_persist_load(struct sl_persist *p, struct sl_model *m,
		    const struct sl_feature *const *features,
		    const char *state_path, struct sl_journal_replay *info,
		    struct sl_err *err);
/* Save what changed in m since the last save: one journal line on disk
 * before it returns (the whole state when the journal cannot take it or
 * has grown past its size). 0, or -1 with err; what failed to be saved is
 * saved by the next call, which compares with what the files hold. */
int sl_persist_commit(struct sl_persist *p, const struct sl_model *m,
		      struct sl_err *err);
/* Write the whole state file and start an empty journal. */
int sl_persist_compact(struct sl_persist *p, const struct sl_model *m,
		       struct sl_err *err);
/* At a clean exit: compacted if the journal has changes, then closed. */
void sl_persist_close(struct sl_persist *p, const struct sl_model *m);

#endif
