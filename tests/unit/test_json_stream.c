/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The JSON-RPC stream of the database connection (json_stream.h): texts
 * back to back with no delimiter, cut anywhere by the socket, strings
 * holding brackets and escaped quotes, and what is not JSON-RPC refused
 * with a sentence (the connection then closes), never a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "json_stream.h"

struct got {
	json_t *msgs;
};

static void
collect(void *arg, json_t *msg)
{
	struct got *g = arg;

	json_array_append(g->msgs, msg);
}

/* Feed bytes in pieces of step; read after each piece. Returns the
 * stream's last read result; msgs holds what came out. */
static int
feed(const char *bytes, size_t step, json_t *msgs, char *why, size_t len)
{
	struct sl_json_stream s;
	struct got g = { msgs };
	int sv[2], rc = 0;
	size_t n = strlen(bytes);

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	sl_json_stream_init(&s, sv[0]);
	for (size_t off = 0; off < n && rc == 0; off += step) {
		size_t k = n - off < step ? n - off : step;

		assert_int_equal(write(sv[1], bytes + off, k), (ssize_t)k);
		rc = sl_json_stream_read(&s, collect, &g, why, len);
	}
	close(sv[1]);
	sl_json_stream_close(&s);
	return rc;
}

static const char two[] =
	"{\"id\":1,\"result\":{\"a\":\"} ] { [\"}}\n"
	"  {\"method\":\"echo\",\"params\":[\"x\\\"}\\\\\"],\"id\":\"e\"}";

static void
test_split_anywhere(void **state)
{
	(void)state;
	for (size_t step = 1; step <= sizeof(two); step++) {
		json_t *msgs = json_array();
		char why[128] = "";

		assert_int_equal(feed(two, step, msgs, why, sizeof(why)), 0);
		assert_int_equal(json_array_size(msgs), 2);
		assert_string_equal(json_string_value(json_object_get(
			json_object_get(json_array_get(msgs, 0), "result"), "a")),
			"} ] { [");
		assert_string_equal(json_string_value(json_array_get(json_object_get(
			json_array_get(msgs, 1), "params"), 0)), "x\"}\\");
		json_decref(msgs);
	}
}

static void
test_refused(void **state)
{
	static const struct {
		const char *bytes, *why;
	} bad[] = {
		{ "[1,2]", "where a JSON-RPC message should start" },
		{ "{\"a\":1} x", "where a JSON-RPC message should start" },
		{ "{\"a\":tru}", "is not JSON" },
		{ "{\"a\":1]", "is not JSON" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *msgs = json_array();
		char why[128] = "";

		assert_int_equal(feed(bad[i].bytes, 64, msgs, why, sizeof(why)), -1);
		assert_non_null(strstr(why, bad[i].why));
		json_decref(msgs);
	}
}

static void
test_send_and_close(void **state)
{
	struct sl_json_stream s;
	int sv[2];
	char why[128] = "", buf[256];
	json_t *msg = json_pack("{s:s, s:[s], s:i}", "method", "lock",
				"params", "ovs_vswitchd", "id", 7);
	ssize_t n;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	sl_json_stream_init(&s, sv[0]);
	assert_int_equal(sl_json_stream_send(&s, msg, why, sizeof(why)), 0);
	assert_false(sl_json_stream_pending(&s));
	n = read(sv[1], buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "{\"method\":\"lock\",\"params\":[\"ovs_vswitchd\"],\"id\":7}");
	/* the peer goes: a sentence, not a crash */
	close(sv[1]);
	assert_int_equal(sl_json_stream_read(&s, NULL, NULL, why, sizeof(why)), -1);
	assert_string_equal(why, "the peer closed the connection");
	sl_json_stream_close(&s);
	json_decref(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_anywhere),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_send_and_close),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
