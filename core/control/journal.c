/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The state journal (journal.h): replaying it onto a state file's JSON, and
 * appending to it. The replay works on the JSON, not on the model, so that
 * the model's loader checks the result as it checks any state file.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "jsonfile.h"

#define JOURNAL_FORMAT 1

uint64_t
sl_journal_generation_of(const json_t *root)
{
	json_t *g = json_object_get(root, SL_JOURNAL_GENERATION_KEY);

	return json_is_integer(g) && json_integer_value(g) > 0 ?
	       (uint64_t)json_integer_value(g) : 0;
}

/* ---- replay ------------------------------------------------------------ */

/* A list the journal puts objects into, held as an object keyed by the
 * items' ids while the journal is replayed (a put or a del is then one
 * look-up), and made a list again at the end. */
static json_t *
items_of(json_t *root, json_t *maps, const char *key, struct sl_err *err)
{
	json_t *map = json_object_get(maps, key), *list, *o;
	size_t i;

	if (map)
		return map;
	list = json_object_get(root, key);
	if (list && !json_is_array(list)) {
		sl_err_set(err, SL_E_STATE_FILE_INVALID,
			   "%s: the state file's value is not a list", key);
		return NULL;
	}
	map = json_object();
	json_array_foreach(list, i, o) {
		json_t *id = json_object_get(o, "id");
		char name[24];

		if (!json_is_integer(id)) {
			json_decref(map);
			sl_err_set(err, SL_E_STATE_FILE_INVALID,
				   "%s[%zu]: no integer id to put or delete it by",
				   key, i);
			return NULL;
		}
		snprintf(name, sizeof(name), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(id));
		json_object_set(map, name, o);
	}
	json_object_set_new(maps, key, map);
	return map;
}

static int
id_name(json_t *id, char *name, size_t len)
{
	if (!json_is_integer(id))
		return -1;
	snprintf(name, len, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
	return 0;
}

static int
apply_items(json_t *root, json_t *maps, json_t *ops, bool put,
	    struct sl_err *err)
{
	const char *key;
	json_t *list, *v;
	size_t i;

	if (!ops)
		return 0;
	if (!json_is_object(ops))
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "%s: must be an object of lists", put ? "put" : "del");
	json_object_foreach(ops, key, list) {
		json_t *map;

		if (!json_is_array(list))
			return sl_err_set(err, SL_E_STATE_FILE_INVALID,
					  "%s: %s: must be a list", put ? "put" : "del", key);
		map = items_of(root, maps, key, err);
		if (!map)
			return -1;
		json_array_foreach(list, i, v) {
			char name[24];

			if (id_name(put ? json_object_get(v, "id") : v, name,
				    sizeof(name)) < 0)
				return sl_err_set(err, SL_E_STATE_FILE_INVALID,
						  "%s: %s[%zu]: %s", put ? "put" : "del", key, i,
						  put ? "an object with an integer id is wanted" :
							"an integer id is wanted");
			if (put)
				json_object_set(map, name, v);
			else
				json_object_del(map, name);
		}
	}
	return 0;
}

static int
apply_change(json_t *root, json_t *maps, json_t *change, struct sl_err *err)
{
	json_t *set = NULL, *put = NULL, *del = NULL, *v;
	json_int_t n;
	json_error_t je;
	const char *key;

	if (json_unpack_ex(change, &je, JSON_STRICT, "{s:I, s?o, s?o, s?o}",
			   "change", &n, "set", &set, "put", &put, "del", &del) != 0)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID, "%s", je.text);
	if (set && !json_is_object(set))
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "set: must be an object");
	json_object_foreach(set, key, v) {
		/* a whole key: what was put into its list before is gone */
		json_object_del(maps, key);
		if (strcmp(key, SL_JOURNAL_GENERATION_KEY) == 0)
			return sl_err_set(err, SL_E_STATE_FILE_INVALID,
					  "set: %s is not the journal's to change", key);
		if (json_is_null(v))
			json_object_del(root, key);
		else
			json_object_set(root, key, v);
	}
	if (apply_items(root, maps, del, false, err) < 0 ||
	    apply_items(root, maps, put, true, err) < 0)
		return -1;
	return 0;
}

static int
check_header(json_t *line, const json_t *root, struct sl_journal_replay *info,
	     struct sl_err *err)
{
	json_int_t format, gen;
	json_error_t je;

	if (json_unpack_ex(line, &je, JSON_STRICT, "{s:I, s:I}",
			   SL_JOURNAL_FORMAT_KEY, &format, "generation", &gen) != 0)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "not the journal's first line: %s", je.text);
	if (format != JOURNAL_FORMAT)
		return sl_err_set(err, SL_E_STATE_FILE_INVALID,
				  "journal format %lld is not %d", (long long)format,
				  JOURNAL_FORMAT);
	info->header = true;
	info->stale = gen < 0 || (uint64_t)gen != sl_journal_generation_of(root);
	return 0;
}

/* The lists held as objects (items_of) made lists again. */
static void
put_back(json_t *root, json_t *maps)
{
	const char *key;
	json_t *map, *o;

	json_object_foreach(maps, key, map) {
		const char *id;
		json_t *list = json_array();

		json_object_foreach(map, id, o)
			json_array_append(list, o);
		json_object_set_new(root, key, list);
	}
}

int
sl_journal_apply(json_t *root, const char *text, size_t len,
		 struct sl_journal_replay *info, struct sl_err *err)
{
	json_t *maps = json_object();
	unsigned int lineno = 0;
	size_t pos = 0;
	int rc = 0;

	memset(info, 0, sizeof(*info));
	while (pos < len && rc == 0 && !info->stale) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct sl_err e = { 0 };
		json_error_t je;
		json_t *line;

		lineno++;
		if (!nl) {	/* cut short by a crash while appending */
			info->torn_line = lineno;
			break;
		}
		line = json_loadb(text + pos, end - pos, JSON_REJECT_DUPLICATES, &je);
		pos = end + 1;
		if (!line) {
			rc = sl_err_set(err, SL_E_STATE_FILE_INVALID,
					"journal line %u is not valid JSON (column %d): %s",
					lineno, je.column, je.text);
			break;
		}
		if (lineno == 1)
			rc = check_header(line, root, info, &e);
		else if (apply_change(root, maps, line, &e) == 0)
			info->changes++;
		else
			rc = -1;
		json_decref(line);
		if (rc < 0)
			sl_err_set(err, SL_E_STATE_FILE_INVALID, "journal line %u: %s",
				   lineno, e.msg);
	}
	if (rc == 0)
		put_back(root, maps);
	json_decref(maps);
	return rc;
}

/* ---- appending --------------------------------------------------------- */

int
sl_journal_reset(struct sl_journal *j, const char *path, uint64_t generation)
{
	json_t *head = json_pack("{s:i, s:I}", SL_JOURNAL_FORMAT_KEY,
				 JOURNAL_FORMAT, "generation",
				 (json_int_t)generation);
	int rc;

	sl_journal_close(j);
	rc = head ? sl_json_write_atomic_flags(path, head, JSON_COMPACT) : -ENOMEM;
	json_decref(head);
	return rc < 0 ? rc : sl_journal_open(j, path);
}

int
sl_journal_open(struct sl_journal *j, const char *path)
{
	off_t size;

	sl_journal_close(j);
	j->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (j->fd < 0)
		return -errno;
	size = lseek(j->fd, 0, SEEK_END);
	if (size < 0) {
		int rc = -errno;

		sl_journal_close(j);
		return rc;
	}
	j->size = size;
	return 0;
}

int
sl_journal_append(struct sl_journal *j, json_t *change)
{
	char *text = json_dumps(change, JSON_COMPACT);
	size_t len, done = 0;
	int rc = 0;

	if (j->fd < 0) {
		free(text);
		return -EBADF;
	}
	if (!text)
		return -ENOMEM;
	len = strlen(text);
	text[len++] = '\n';	/* json_dumps's terminating NUL's place */
	while (done < len && rc == 0) {
		ssize_t n = write(j->fd, text + done, len - done);

		if (n > 0)
			done += (size_t)n;
		else if (n < 0 && errno != EINTR)
			rc = -errno;
		else if (n == 0)
			rc = -EIO;
	}
	free(text);
	if (rc == 0 && fdatasync(j->fd) != 0)
		rc = -errno;
	if (rc == 0) {
		j->size += (off_t)len;
		return 0;
	}
	/* half a line would make every later line unreadable */
	if (ftruncate(j->fd, j->size) != 0)
		sl_journal_close(j);
	return rc;
}

void
sl_journal_close(struct sl_journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	j->size = 0;
}
