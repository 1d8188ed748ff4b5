/* SPDX-License-Identifier: BSD-3-Clause */
/* The state journal: changes appended and replayed (the core's keys whole,
 * the rules one by one), a torn last line, a bad line, a stale journal,
 * compaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "journal.h"
#include "model.h"
#include "persist.h"
#include "rule_table.h"
#include "sl_features.h"
#include "state.h"

#define NET "11111111-1111-4111-8111-111111111111"

static const char base_state[] =
	"{\"sluice-state\": 1,"
	" \"networks\": [{\"uuid\": \"" NET "\", \"bridge\": \"xenbr0\"}],"
	" \"rules\": [" 
	"  {\"id\": 1, \"network-uuid\": \"" NET "\", \"mac\": \"\","
	"   \"direction\": \"to\", \"protocol\": \"tcp\", \"ipRange\": \"10.0.0.0/8\","
	"   \"port\": 22, \"allow\": false, \"priority\": 100, \"cookie\": \"0x1\"}]}";

struct files {
	char dir[32], state[64], journal[80];
};

static void
files_make(struct files *f)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/sl-test-journal-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->state, sizeof(f->state), "%s/state.json", f->dir);
	snprintf(f->journal, sizeof(f->journal), "%s.journal", f->state);
}

static void
files_remove(const struct files *f)
{
	char tmp[96];

	unlink(f->state);
	unlink(f->journal);
	snprintf(tmp, sizeof(tmp), "%s.tmp", f->journal);
	assert_int_equal(access(tmp, F_OK), -1);	/* none left */
	rmdir(f->dir);
}

static struct sl_model *
model_of(const char *text)
{
	json_t *root = json_loads(text, 0, NULL);
	struct sl_model *m = sl_model_new(sl_features);
	struct sl_err err = { 0 };

	assert_non_null(root);
	assert_int_equal(sl_state_from_json(m, sl_features, root, &err), 0);
	json_decref(root);
	return m;
}

/* A plugin rule with this id and port, added to m. */
static void
add_rule(struct sl_model *m, int id, int port)
{
	json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:i, s:s}",
			      "id", id, "network-uuid", NET, "mac", "",
			      "direction", "from", "protocol", "udp", "ipRange",
			      "192.168.0.0/16", "port", port, "allow", 0,
			      "priority", 200, "cookie", "0x0");
	struct sl_err err = { 0 };
	struct sl_rule r;

	assert_int_equal(sl_rule_from_json(m, o, &r, &err), 0);
	assert_int_equal(sl_rule_table_add(sl_model_rules(m), &r,
					   SL_E_INTERNAL_ERROR, "test", &err), 0);
	sl_rule_table_sort(sl_model_rules(m));
	json_decref(o);
}

static bool
id_is(const struct sl_rule *r, const void *ctx)
{
	return r->seq == *(const uint64_t *)ctx;
}

static void
remove_rule(struct sl_model *m, uint64_t id)
{
	assert_int_equal(sl_rule_table_remove_if(sl_model_rules(m), id_is, &id), 1);
}

static int
lines_of(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;

	assert_non_null(f);
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static void
append_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* What a kill -9 leaves: the files as they are, no compaction. */
static void
crash(struct sl_persist *p)
{
	sl_journal_close(&p->journal);
	for (unsigned int i = 0; i < p->nb_keys; i++)
		free(p->keys[i].items);
	p->nb_keys = 0;
}

/* A model loaded from the files, equal to m; info: what the journal had. */
static struct sl_model *
reload_equal(const struct files *f, const struct sl_model *m,
	     struct sl_journal_replay *info)
{
	struct sl_model *back = sl_model_new(sl_features);
	struct sl_persist p;
	struct sl_err err = { 0 };
	json_t *a, *b;

	assert_int_equal(sl_persist_load(&p, back, sl_features, f->state, info, &err), 0);
	a = sl_state_to_json(m, sl_features);
	b = sl_state_to_json(back, sl_features);
	if (!json_equal(a, b)) {
		char *x = json_dumps(a, 0), *y = json_dumps(b, 0);

		fail_msg("not the same state:\n%s\n%s", x, y);
	}
	json_decref(a);
	json_decref(b);
	crash(&p);
	return back;
}

/* A test's files, model and persistence. */
struct fixture {
	struct files f;
	struct sl_model *m;
	struct sl_persist p;
	struct sl_journal_replay info;
	struct sl_err err;
};

/* New files, no state file yet; the model's first commit writes it and
 * starts the journal. */
static void
start_fresh(struct fixture *x)
{
	struct sl_model *empty = sl_model_new(sl_features);

	memset(x, 0, sizeof(*x));
	x->m = model_of(base_state);
	files_make(&x->f);
	assert_int_equal(sl_persist_load(&x->p, empty, sl_features, x->f.state,
					 &x->info, &x->err), 1);
	sl_model_free(empty);
	assert_int_equal(sl_persist_commit(&x->p, x->m, &x->err), 0);
	assert_int_equal(lines_of(x->f.journal), 1);
}

static void
test_append_and_replay(void **state)
{
	struct fixture x;
	struct sl_model *back;

	(void)state;
	start_fresh(&x);
	add_rule(x.m, 7, 53);
	assert_int_equal(sl_persist_commit(&x.p, x.m, &x.err), 0);
	x.m->settings.fdb_aging_s = 120;
	assert_int_equal(sl_persist_commit(&x.p, x.m, &x.err), 0);
	remove_rule(x.m, 1);
	assert_int_equal(sl_persist_commit(&x.p, x.m, &x.err), 0);
	/* nothing changed: no line */
	assert_int_equal(sl_persist_commit(&x.p, x.m, &x.err), 0);
	assert_int_equal(lines_of(x.f.journal), 4);
	back = reload_equal(&x.f, x.m, &x.info);
	assert_int_equal(x.info.changes, 3);
	assert_false(x.info.stale);
	assert_int_equal(x.info.torn_line, 0);
	sl_model_free(back);
	/* compaction: the state file whole, the journal its first line */
	assert_int_equal(sl_persist_compact(&x.p, x.m, &x.err), 0);
	assert_int_equal(lines_of(x.f.journal), 1);
	back = reload_equal(&x.f, x.m, &x.info);
	assert_int_equal(x.info.changes, 0);
	sl_model_free(back);
	sl_persist_close(&x.p, x.m);
	files_remove(&x.f);
	sl_model_free(x.m);
}

static void
test_torn_tail(void **state)
{
	struct fixture x;
	struct sl_model *back, *again;

	(void)state;
	start_fresh(&x);
	add_rule(x.m, 9, 99);
	assert_int_equal(sl_persist_commit(&x.p, x.m, &x.err), 0);
	/* a crash in the middle of the next line */
	crash(&x.p);
	append_text(x.f.journal, "{\"change\": 2, \"put\": {\"rules\": [{\"id\"");
	back = sl_model_new(sl_features);
	assert_int_equal(sl_persist_load(&x.p, back, sl_features, x.f.state,
					 &x.info, &x.err), 0);
	assert_int_equal(x.info.changes, 1);
	assert_int_equal(x.info.torn_line, 3);
	/* never appended to after a torn line: the next change compacts */
	assert_int_equal(x.p.journal.fd, -1);
	add_rule(back, 10, 100);
	assert_int_equal(sl_persist_commit(&x.p, back, &x.err), 0);
	assert_int_equal(lines_of(x.f.journal), 1);
	sl_persist_close(&x.p, back);
	again = reload_equal(&x.f, back, &x.info);
	assert_int_equal(x.info.torn_line, 0);
	sl_model_free(again);
	sl_model_free(back);
	sl_model_free(x.m);
	files_remove(&x.f);
}

static void
test_bad_lines(void **state)
{
	static const struct {
		const char *line, *says;
	} bad[] = {
		{ "not json\n", "journal line 2 is not valid JSON" },
		{ "{\"change\": 1, \"put\": {\"rules\": [{\"port\": 1}]}}\n",
		  "journal line 2: put: rules[0]: an object with an integer id" },
		{ "{\"change\": 1, \"del\": {\"rules\": [\"x\"]}}\n",
		  "journal line 2: del: rules[0]: an integer id" },
		{ "{\"change\": 1, \"oops\": 1}\n", "journal line 2:" },
		{ "{\"change\": 1, \"set\": {\"journal-generation\": 9}}\n",
		  "not the journal's to change" },
		/* the loader's own checks apply to what the journal made */
		{ "{\"change\": 1, \"set\": {\"networks\": 5}}\n",
		  "networks: must be a list" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fixture x;
		struct sl_model *back = sl_model_new(sl_features);

		start_fresh(&x);
		sl_persist_close(&x.p, x.m);
		append_text(x.f.journal, bad[i].line);
		append_text(x.f.journal, "{\"change\": 2}\n");
		memset(&x.err, 0, sizeof(x.err));
		assert_int_equal(sl_persist_load(&x.p, back, sl_features, x.f.state,
						 &x.info, &x.err), -1);
		if (!strstr(x.err.msg, bad[i].says))
			fail_msg("%s: %s", bad[i].line, x.err.msg);
		assert_int_equal(x.err.code, SL_E_STATE_FILE_INVALID);
		sl_model_free(back);
		sl_model_free(x.m);
		files_remove(&x.f);
	}
}

/* A journal of an older state file (a crash between the state file's
 * rewrite and the journal's restart) is not applied. */
static void
test_stale_journal(void **state)
{
	static const char text[] =
		"{\"sluice-journal\": 1, \"generation\": 1}\n"
		"{\"change\": 1, \"del\": {\"rules\": [1]}}\n";
	json_t *root = json_loads(base_state, 0, NULL);
	struct sl_journal_replay info;
	struct sl_err err = { 0 };

	(void)state;
	json_object_set_new(root, SL_JOURNAL_GENERATION_KEY, json_integer(2));
	assert_int_equal(sl_journal_apply(root, text, strlen(text), &info, &err), 0);
	assert_true(info.stale);
	assert_int_equal(info.changes, 0);
	assert_int_equal(json_array_size(json_object_get(root, "rules")), 1);
	/* of its generation: applied */
	json_object_set_new(root, SL_JOURNAL_GENERATION_KEY, json_integer(1));
	assert_int_equal(sl_journal_apply(root, text, strlen(text), &info, &err), 0);
	assert_false(info.stale);
	assert_int_equal(info.changes, 1);
	assert_int_equal(json_array_size(json_object_get(root, "rules")), 0);
	json_decref(root);
}

/* put replaces the item with its id, or adds it; set replaces a key. */
static void
test_apply_ops(void **state)
{
	static const char text[] =
		"{\"sluice-journal\": 1, \"generation\": 0}\n"
		"{\"change\": 1, \"put\": {\"rules\": [{\"id\": 1, \"v\": 2}, {\"id\": 5}]}}\n"
		"{\"change\": 2, \"set\": {\"settings\": {\"fdb-aging-time\": 30}},"
		" \"del\": {\"rules\": [5]}}\n";
	json_t *root = json_loads("{\"rules\": [{\"id\": 1, \"v\": 1}, {\"id\": 2}]}", 0, NULL);
	json_t *want = json_loads("{\"rules\": [{\"id\": 1, \"v\": 2}, {\"id\": 2}],"
				  " \"settings\": {\"fdb-aging-time\": 30}}", 0, NULL);
	struct sl_journal_replay info;
	struct sl_err err = { 0 };

	(void)state;
	assert_int_equal(sl_journal_apply(root, text, strlen(text), &info, &err), 0);
	assert_int_equal(info.changes, 2);
	assert_true(json_equal(root, want));
	json_decref(root);
	json_decref(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_replay),
		cmocka_unit_test(test_torn_tail),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_stale_journal),
		cmocka_unit_test(test_apply_ops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
