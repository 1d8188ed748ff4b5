/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The state journal: what changed since the state file was last written
 * whole, one JSON line per change, appended next to it (PATH.journal).
 *
 *   {"sluice-journal": 1, "generation": G}                 the first line
 *   {"change": N, "set": {KEY: VALUE}, "put": {KEY: [OBJ]}, "del": {KEY: [ID]}}
 *
 * "set" replaces a key of the state file's root (null: removes it); "put"
 * adds or replaces, in the list of a key, the object with the same "id";
 * "del" removes the objects with those ids. A journal belongs to the state
 * file whose "journal-generation" is G: the state file is rewritten with
 * G + 1 before the journal restarts, so a crash in between leaves a stale
 * journal, which is ignored (persist.c).
 */
#ifndef SL_JOURNAL_H
#define SL_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "sl_error.h"

#define SL_JOURNAL_FORMAT_KEY "sluice-journal"
#define SL_JOURNAL_GENERATION_KEY "journal-generation"

/* What a replay found. */
struct sl_journal_replay {
	unsigned int changes;	/* applied */
	bool header;		/* the journal had its first line */
	bool stale;		/* of another generation: nothing applied */
	unsigned int torn_line;	/* a last line cut short (ignored), or 0 */
};

/* Apply the journal's text (len bytes) to root, a state file's JSON, in
 * place. A last line without its newline (a crash while it was appended)
 * is not applied and is said in info->torn_line. Returns 0, or -1 with err
 * naming the line of any other line that is wrong. */
int sl_journal_apply(json_t *root, const char *text, size_t len,
		     struct sl_journal_replay *info, struct sl_err *err);
/* The generation a state file's JSON names (0 when none). */
uint64_t sl_journal_generation_of(const json_t *root);

/* A journal open for appending. */
struct sl_journal {
	int fd;			/* -1: none */
	off_t size;
};

/* Start path's journal afresh for generation: its first line only,
 * written atomically (a temporary file renamed). Returns 0 or -errno. */
int sl_journal_reset(struct sl_journal *j, const char *path,
		     uint64_t generation);
/* Open path's journal to append to it. Returns 0 or -errno. */
int sl_journal_open(struct sl_journal *j, const char *path);
/* Append change as one line and wait for it to be on disk (fdatasync).
 * Returns 0 or -errno; on failure the journal is cut back to what it was,
 * or closed (fd -1) if that fails too, never left with half a line. */
int sl_journal_append(struct sl_journal *j, json_t *change);
void sl_journal_close(struct sl_journal *j);

#endif
