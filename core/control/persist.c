/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The state file and its journal (persist.h). A change is found by
 * comparing the model with what the files hold, key by key of the state
 * file's root and item by item of a feature's list, rather than by each
 * command saying what it touched: a command, a feature acting on its own
 * (the database, an OpenFlow controller) and a side effect (a network's
 * rules going with it) are all recorded the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feature.h"
#include "jsonfile.h"
#include "log.h"
#include "persist.h"

int
sl_persist_journal_path(const char *state_path, char *buf, size_t len)
{
	return snprintf(buf, len, "%s.journal", state_path) >= (int)len ? -1 : 0;
}

/* ---- what the files hold, and what changed ----------------------------- */

/* The keys of a scan of the model, as struct sl_persist keeps them. */
struct scan {
	unsigned int nb_keys;
	struct sl_persist_key keys[SL_PERSIST_MAX_KEYS];
};

static void
keys_free(struct sl_persist_key *keys, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		free(keys[i].items);
}

/* false when out of memory */
static bool
hash_json(const json_t *v, uint64_t *h)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	if (!text)
		return false;
	*h = sl_state_hash(SL_STATE_HASH_START, text, strlen(text));
	free(text);
	return true;
}

static const struct sl_persist_key *
held(const struct sl_persist *p, const char *key)
{
	for (unsigned int i = 0; i < p->nb_keys; i++)
		if (strcmp(p->keys[i].key, key) == 0)
			return &p->keys[i];
	return NULL;
}

/* change's object part ("set", "put", "del"), made when first wanted. */
static json_t *
part(json_t *change, const char *name)
{
	json_t *o = json_object_get(change, name);

	if (!o) {
		o = json_object();
		json_object_set_new(change, name, o);
	}
	return o;
}

static struct sl_persist_key *
scan_key(struct scan *s, const char *key, const struct sl_feature *f,
	 struct sl_err *err)
{
	struct sl_persist_key *k;

	if (s->nb_keys == SL_PERSIST_MAX_KEYS ||
	    strlen(key) >= sizeof(k->key)) {
		sl_err_set(err, SL_E_INTERNAL_ERROR,
			   "%s: too many keys in the state file or too long a name",
			   key);
		return NULL;
	}
	k = &s->keys[s->nb_keys++];
	memset(k, 0, sizeof(*k));
	snprintf(k->key, sizeof(k->key), "%s", key);
	k->feature = f;
	return k;
}

/* A whole value: in change's "set" when its hash is not the files'. */
static void
diff_value(const struct sl_persist *p, struct sl_persist_key *k, json_t *v,
	   json_t *change)
{
	const struct sl_persist_key *old = held(p, k->key);
	bool known = !v || hash_json(v, &k->hash);

	k->absent = !v;
	if (!known)	/* not hashed: unlike what the files hold, saved again */
		k->hash = old ? ~old->hash : 0;
	if (change && (!known || !old || old->absent != k->absent ||
		       old->hash != k->hash))
		json_object_set(part(change, "set"), k->key, v ? v : json_null());
}

static int
by_id(const void *a, const void *b)
{
	const struct sl_state_item *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static void
add_item(json_t *change, const char *op, const char *key, json_t *v)
{
	json_t *list = json_object_get(part(change, op), key);

	if (!list) {
		list = json_array();
		json_object_set_new(part(change, op), key, list);
	}
	json_array_append_new(list, v);
}

/* A feature's items: the ones added or changed in change's "put", the
 * ones gone in its "del" (both lists of the files' and the model's are in
 * id order: one pass over them). */
static int
diff_items(const struct sl_persist *p, const struct sl_model *m,
	   struct sl_persist_key *k, json_t *change, struct sl_err *err)
{
	const struct sl_persist_key *old = held(p, k->key);
	const struct sl_state_item *was = old ? old->items : NULL;
	size_t nw = old ? old->n : 0, i = 0, j = 0;

	if (k->feature->state_items(m, &k->items, &k->n) < 0)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "out of memory listing %s", k->key);
	for (size_t x = 0; x < k->n; x++)
		k->items[x].index = x;
	qsort(k->items, k->n, sizeof(*k->items), by_id);
	while (change && (i < nw || j < k->n)) {
		const struct sl_state_item *now = j < k->n ? &k->items[j] : NULL;
		bool same_id, same;
		json_t *o;

		if (!now || (i < nw && was[i].id < now->id)) {
			add_item(change, "del", k->key,
				 json_integer((json_int_t)was[i++].id));
			continue;
		}
		same_id = i < nw && was[i].id == now->id;
		same = same_id && was[i].hash == now->hash;
		i += same_id;
		j++;
		if (same)
			continue;
		o = k->feature->state_item(m, now->index);
		if (!o)	/* the files keep what they hold: saved next time */
			return sl_err_set(err, SL_E_INTERNAL_ERROR,
					  "out of memory saving %s", k->key);
		add_item(change, "put", k->key, o);
	}
	return 0;
}

/* The model's keys into s; with change, what differs from the files. */
static int
scan(const struct sl_persist *p, const struct sl_model *m, struct scan *s,
     json_t *change, struct sl_err *err)
{
	json_t *core = sl_state_core_to_json(m, p->features), *v;
	const char *key;
	int rc = 0;

	s->nb_keys = 0;
	if (!core)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "out of memory saving the state");
	json_object_foreach(core, key, v) {
		struct sl_persist_key *k;

		if (strcmp(key, SL_STATE_FORMAT_KEY) == 0)
			continue;
		k = scan_key(s, key, NULL, err);
		if (!k) {
			rc = -1;
			break;
		}
		diff_value(p, k, v, change);
	}
	json_decref(core);
	SL_FEATURE_FOREACH(f, p->features) {
		struct sl_persist_key *k;

		if (rc < 0 || !(*f)->state_key)
			continue;
		k = scan_key(s, (*f)->state_key, *f, err);
		if (!k)
			rc = -1;
		else if ((*f)->state_items && (*f)->state_item)
			rc = diff_items(p, m, k, change, err);
		else {
			k->feature = NULL;
			v = (*f)->save_state(m);
			diff_value(p, k, v, change);
			json_decref(v);
		}
	}
	if (rc < 0)
		keys_free(s->keys, s->nb_keys);
	return rc;
}

/* What the files hold now: s's. */
static void
adopt(struct sl_persist *p, struct scan *s)
{
	keys_free(p->keys, p->nb_keys);
	memcpy(p->keys, s->keys, s->nb_keys * sizeof(*s->keys));
	p->nb_keys = s->nb_keys;
	s->nb_keys = 0;
}

/* ---- saving ------------------------------------------------------------ */

int
sl_persist_compact(struct sl_persist *p, const struct sl_model *m,
		   struct sl_err *err)
{
	json_t *root = sl_state_to_json(m, p->features);
	uint64_t gen = p->generation + 1;
	struct stat st;
	struct scan s;
	int rc;

	/* a journal of the old generation no longer applies: a crash
	 * before the new one starts leaves it stale, and ignored */
	json_object_set_new(root, SL_JOURNAL_GENERATION_KEY,
			    json_integer((json_int_t)gen));
	rc = sl_json_write_atomic(p->state_path, root);
	json_decref(root);
	if (rc < 0) {
		p->compact_at_exit = true;
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "cannot write state file %s: %s", p->state_path,
				  strerror(-rc));
	}
	p->generation = gen;
	p->state_bytes = stat(p->state_path, &st) == 0 ? st.st_size : 0;
	p->journal_changes = 0;
	p->last_change = 0;
	p->compact_at_exit = false;
	rc = sl_journal_reset(&p->journal, p->journal_path, gen);
	if (rc < 0)
		SL_LOG(WARNING, "cannot start the journal %s: %s; the next change rewrites the state file\n",
		       p->journal_path, strerror(-rc));
	if (scan(p, m, &s, NULL, err) < 0) {
		/* what the files hold is not known: write them whole next */
		sl_journal_close(&p->journal);
		return 0;
	}
	adopt(p, &s);
	return 0;
}

int
sl_persist_commit(struct sl_persist *p, const struct sl_model *m,
		  struct sl_err *err)
{
	json_t *change;
	struct scan s;
	int rc;

	if (p->journal.fd < 0)
		return sl_persist_compact(p, m, err);
	change = json_pack("{s:I}", "change", (json_int_t)p->last_change + 1);
	if (scan(p, m, &s, change, err) < 0) {
		json_decref(change);
		return -1;
	}
	if (json_object_size(change) == 1) {	/* nothing changed */
		json_decref(change);
		keys_free(s.keys, s.nb_keys);
		return 0;
	}
	rc = sl_journal_append(&p->journal, change);
	json_decref(change);
	if (rc < 0) {
		/* the files still hold what they held: the next commit
		 * records this change with its own */
		keys_free(s.keys, s.nb_keys);
		p->compact_at_exit = true;
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "cannot append to the journal %s: %s",
				  p->journal_path, strerror(-rc));
	}
	adopt(p, &s);
	p->last_change++;
	p->journal_changes++;
	p->compact_at_exit = true;
	if (p->journal.size > p->state_bytes &&
	    p->journal.size > (off_t)SL_PERSIST_COMPACT_MIN_BYTES) {
		struct sl_err e = { 0 };

		if (sl_persist_compact(p, m, &e) < 0)
			SL_LOG(WARNING, "%s (the journal holds every change)\n", e.msg);
	}
	return 0;
}

/* ---- loading ----------------------------------------------------------- */

int
sl_persist_load(struct sl_persist *p, struct sl_model *m,
		const struct sl_feature *const *features,
		const char *state_path, struct sl_journal_replay *info,
		struct sl_err *err)
{
	struct sl_err e = { 0 };
	size_t len = 0;
	json_t *root;
	char *text;
	struct scan s;
	int rc;

	memset(p, 0, sizeof(*p));
	memset(info, 0, sizeof(*info));
	p->journal.fd = -1;
	p->state_path = state_path;
	p->features = features;
	if (sl_persist_journal_path(state_path, p->journal_path,
				    sizeof(p->journal_path)) < 0)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "state file %s: the path is too long", state_path);
	if (access(state_path, F_OK) != 0 && errno == ENOENT)
		return 1;	/* its first change writes it */
	root = sl_state_read(state_path, err);
	if (!root)
		return -1;
	p->generation = sl_journal_generation_of(root);
	text = sl_file_read_all(p->journal_path, &len);
	if (!text && errno != ENOENT) {
		json_decref(root);
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "journal %s cannot be read: %s", p->journal_path,
				  strerror(errno));
	}
	rc = text ? sl_journal_apply(root, text, len, info, &e) : 0;
	free(text);
	if (rc < 0) {
		json_decref(root);
		return sl_err_set(err, SL_E_STATE_FILE_INVALID, "journal %s: %s",
				  p->journal_path, e.msg);
	}
	rc = sl_state_from_json(m, features, root, &e);
	json_decref(root);
	if (rc < 0)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID, "state file %s%s: %s",
				  state_path, info->changes ? " with its journal" : "",
				  e.msg);
	p->journal_changes = info->changes;
	p->last_change = info->changes;
	/* appended to only when whole and of this state file; else the
	 * first change writes both afresh */
	if (info->header && !info->stale && !info->torn_line &&
	    sl_journal_open(&p->journal, p->journal_path) == 0 &&
	    scan(p, m, &s, NULL, &e) == 0)
		adopt(p, &s);
	else
		sl_journal_close(&p->journal);
	p->compact_at_exit = p->journal.fd < 0 || p->journal_changes > 0;
	return 0;
}

void
sl_persist_close(struct sl_persist *p, const struct sl_model *m)
{
	struct sl_err err = { 0 };

	if (p->compact_at_exit && sl_persist_compact(p, m, &err) < 0)
		SL_LOG(ERR, "%s\n", err.msg);
	sl_journal_close(&p->journal);
	keys_free(p->keys, p->nb_keys);
	p->nb_keys = 0;
}
