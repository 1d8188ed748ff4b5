/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture's control part: the capture command's arguments (each refusal
 * names the argument), and the filter path (libpcap's pcap_compile, DPDK's
 * rte_bpf_convert and rte_bpf_load) run on frames built here: what a
 * tcpdump expression takes and leaves, libpcap's own message for one that
 * is not, a frame in two segments read whole.
 */
#define ALLOW_EXPERIMENTAL_API
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <rte_bpf.h>
#include <rte_mbuf.h>

#include "capture.h"
#include "eal_fixture.h"

/* ---- arguments ----------------------------------------------------------- */

static int
parse(struct sl_capture_req *req, struct sl_err *err, const char *json)
{
	struct sl_args a = { .params = json_loads(json, 0, NULL) };
	int rc;

	assert_non_null(a.params);
	memset(err, 0, sizeof(*err));
	rc = sl_capture_parse_req(&a, req, err);
	/* the strings point into params: checked before it goes */
	if (rc == 0 && req->filter)
		assert_string_equal(req->filter, json_string_value(
			json_object_get(a.params, "filter")));
	json_decref(a.params);
	return rc;
}

static void
test_args_defaults(void **state)
{
	struct sl_capture_req req;
	struct sl_err err;

	(void)state;
	assert_int_equal(parse(&req, &err, "{\"port\": \"vif1.0\"}"), 0);
	assert_true(req.rx && req.tx);
	assert_null(req.filter);
	assert_int_equal(req.count, 0);
	assert_int_equal(req.duration_s, 0);
	assert_int_equal(req.snaplen, SL_CAPTURE_SNAPLEN_MAX);
	assert_int_equal(parse(&req, &err, "{\"port\": \"a\", \"direction\": \"in\", "
			       "\"count\": \"7\", \"duration\": \"3\", \"snaplen\": \"64\", "
			       "\"filter\": \"udp\"}"), 0);
	assert_true(req.rx && !req.tx);
	assert_int_equal(req.count, 7);
	assert_int_equal(req.duration_s, 3);
	assert_int_equal(req.snaplen, 64);
	assert_int_equal(parse(&req, &err, "{\"port\": \"a\", \"direction\": \"out\", \"filter\": \"\"}"), 0);
	assert_true(!req.rx && req.tx);
	assert_null(req.filter);	/* empty: none, as tcpdump */
}

static void
refused(const char *json, enum sl_error_code code, const char *text)
{
	struct sl_capture_req req;
	struct sl_err err;

	assert_int_equal(parse(&req, &err, json), -1);
	assert_int_equal(err.code, code);
	assert_non_null(strstr(err.msg, text));
}

static void
test_args_refused(void **state)
{
	(void)state;
	refused("{}", SL_E_MISSING_PARAMETER, "port: this parameter is required");
	refused("{\"port\": \"a\", \"direction\": \"up\"}", SL_E_INVALID_VALUE,
		"direction: 'up' is not in, out or both");
	refused("{\"port\": \"a\", \"count\": \"0\"}", SL_E_INVALID_VALUE, "count: '0'");
	refused("{\"port\": \"a\", \"count\": \"-1\"}", SL_E_INVALID_VALUE, "count: '-1'");
	refused("{\"port\": \"a\", \"count\": \"ten\"}", SL_E_INVALID_VALUE, "count: 'ten'");
	refused("{\"port\": \"a\", \"duration\": \"86401\"}", SL_E_INVALID_VALUE,
		"duration: '86401' is not a whole number in 1..86400");
	refused("{\"port\": \"a\", \"snaplen\": \"63\"}", SL_E_INVALID_VALUE,
		"snaplen: '63' is not a whole number in 64..65535");
	refused("{\"port\": \"a\", \"snaplen\": \"65536\"}", SL_E_INVALID_VALUE, "snaplen");
}

/* ---- the filter ---------------------------------------------------------- */

/* An Ethernet/IPv4/UDP frame to dport, in one mbuf or split in two. */
static struct rte_mbuf *
udp_frame(uint16_t dport, bool split)
{
	static const uint8_t head[] = {
		0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 30, 0, 0, 0, 0, 64, 17, 0, 0,
		10, 0, 0, 1, 10, 0, 0, 2,
		0x30, 0x39, 0, 0, 0, 10, 0, 0, 'h', 'i',
	};
	uint8_t f[sizeof(head)];
	struct rte_mbuf *m = rte_pktmbuf_alloc(sl_test_pool()), *m2;
	size_t first = split ? 20 : sizeof(f);

	memcpy(f, head, sizeof(f));
	f[36] = (uint8_t)(dport >> 8);
	f[37] = (uint8_t)dport;
	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, (uint16_t)first), f, first);
	if (split) {
		/* the ports lie in the second segment */
		m2 = rte_pktmbuf_alloc(sl_test_pool());
		assert_non_null(m2);
		memcpy(rte_pktmbuf_append(m2, (uint16_t)(sizeof(f) - first)),
		       f + first, sizeof(f) - first);
		assert_int_equal(rte_pktmbuf_chain(m, m2), 0);
	}
	return m;
}

static bool
takes(const struct sl_capture_filter *f, struct rte_mbuf *m, bool interpreted)
{
	uint64_t rc = interpreted || !f->jit ? rte_bpf_exec(f->bpf, m) : f->jit(m);

	rte_pktmbuf_free(m);
	return rc != 0;
}

static void
test_filter_takes_and_leaves(void **state)
{
	struct sl_capture_filter f;
	struct sl_err err = { 0 };

	(void)state;
	assert_int_equal(sl_capture_filter_compile("udp dst port 5001", 65535, &f, &err), 0);
	assert_non_null(f.bpf);
	for (int interp = 0; interp < 2; interp++) {
		assert_true(takes(&f, udp_frame(5001, false), interp));
		assert_false(takes(&f, udp_frame(5002, false), interp));
		assert_true(takes(&f, udp_frame(5001, true), interp));
		assert_false(takes(&f, udp_frame(5002, true), interp));
	}
	sl_capture_filter_free(&f);
	assert_null(f.bpf);
	assert_int_equal(sl_capture_filter_compile("tcp or arp", 65535, &f, &err), 0);
	assert_false(takes(&f, udp_frame(5001, false), false));
	sl_capture_filter_free(&f);
}

static void
test_filter_libpcap_message(void **state)
{
	struct sl_capture_filter f;
	struct sl_err err = { 0 };

	(void)state;
	assert_int_equal(sl_capture_filter_compile("udp and", 65535, &f, &err), -1);
	assert_int_equal(err.code, SL_E_CAPTURE_FILTER_INVALID);
	/* libpcap's own words after the expression */
	assert_non_null(strstr(err.msg, "filter: 'udp and': "));
	assert_non_null(strstr(err.msg, "syntax error"));
	assert_null(f.bpf);
	memset(&err, 0, sizeof(err));
	assert_int_equal(sl_capture_filter_compile("ether host 1:2", 65535, &f, &err), -1);
	assert_int_equal(err.code, SL_E_CAPTURE_FILTER_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args_defaults),
		cmocka_unit_test(test_args_refused),
		cmocka_unit_test(test_filter_takes_and_leaves),
		cmocka_unit_test(test_filter_libpcap_message),
	};

	if (sl_test_eal_init("test-capture") < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
