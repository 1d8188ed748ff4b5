/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LACP state machines on their own: two bonds of two ports each exchange
 * the PDUs they encode until the aggregate forms; a partner that goes
 * quiet expires; a member facing another system stays out; malformed PDUs
 * and the PDU rate limit; marker responses.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lacp.h"

static const struct rte_ether_addr sys_a = { { 0x02, 0, 0, 0, 0, 0xa } };
static const struct rte_ether_addr sys_b = { { 0x02, 0, 0, 0, 0, 0xb } };
static const struct rte_ether_addr sys_c = { { 0x02, 0, 0, 0, 0, 0xc } };

/* Each end's ports, their links, and the time. */
struct pair {
	struct sl_lacp_port a[2], b[2];
	bool up[2];
	uint64_t now;
};

static void
pair_init(struct pair *p, bool fast)
{
	memset(p, 0, sizeof(*p));
	for (uint16_t i = 0; i < 2; i++) {
		sl_lacp_init(&p->a[i], &sys_a, 1, i + 1, fast);
		sl_lacp_init(&p->b[i], &sys_b, 7, i + 1, fast);
		p->up[i] = true;
	}
	p->now = 1000;
}

/* What each side sends reaches the other over link i, for ms milliseconds. */
static void
run(struct pair *p, uint64_t ms)
{
	uint8_t pdu[SL_LACP_PDU_LEN];

	for (uint64_t end = p->now + ms; p->now < end; p->now += 10) {
		struct sl_lacp_port *ap[2] = { &p->a[0], &p->a[1] };
		struct sl_lacp_port *bp[2] = { &p->b[0], &p->b[1] };

		for (int i = 0; i < 2; i++) {
			sl_lacp_expire(&p->a[i], p->up[i], p->now);
			sl_lacp_expire(&p->b[i], p->up[i], p->now);
		}
		sl_lacp_select(ap, 2, p->up);
		sl_lacp_select(bp, 2, p->up);
		for (int i = 0; i < 2; i++) {
			if (!p->up[i])
				continue;
			if (sl_lacp_tx_due(&p->a[i], p->now)) {
				sl_lacp_encode(&p->a[i], pdu, p->now);
				assert_int_equal(sl_lacp_rx(&p->b[i], pdu, sizeof(pdu), p->now), 0);
			}
			if (sl_lacp_tx_due(&p->b[i], p->now)) {
				sl_lacp_encode(&p->b[i], pdu, p->now);
				assert_int_equal(sl_lacp_rx(&p->a[i], pdu, sizeof(pdu), p->now), 0);
			}
		}
	}
}

static void
aggregate_forms(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, true);
	run(&p, 3000);
	for (int i = 0; i < 2; i++) {
		assert_true(sl_lacp_distributing(&p.a[i]));
		assert_true(sl_lacp_collecting(&p.a[i]));
		assert_true(sl_lacp_distributing(&p.b[i]));
		assert_memory_equal(&p.a[i].partner.sys, &sys_b, sizeof(sys_b));
		assert_int_equal(p.a[i].partner.key, 7);
		assert_int_equal(p.a[i].partner.port, i + 1);
		assert_false(p.a[i].actor.state & SL_LACP_DEFAULTED);
	}
}

static void
link_down_leaves_the_aggregate(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, true);
	run(&p, 3000);
	p.up[0] = false;
	run(&p, 100);
	assert_false(p.a[0].partner_valid);
	assert_false(sl_lacp_distributing(&p.a[0]));
	assert_true(sl_lacp_distributing(&p.a[1]));	/* the other goes on */
}

static void
quiet_partner_expires(void **state)
{
	struct pair p;
	uint8_t pdu[SL_LACP_PDU_LEN];

	(void)state;
	pair_init(&p, true);
	run(&p, 3000);
	/* b stops talking on link 0 (its software died): a keeps the partner
	 * for the short timeout (3 s), not longer */
	uint64_t quiet = p.now;

	sl_lacp_encode(&p.b[0], pdu, quiet);	/* its last word */
	assert_int_equal(sl_lacp_rx(&p.a[0], pdu, sizeof(pdu), quiet), 0);
	while (p.now < quiet + 2900) {
		sl_lacp_expire(&p.a[0], true, p.now);
		p.now += 10;
	}
	assert_true(p.a[0].partner_valid);
	p.now = quiet + 3100;
	assert_true(sl_lacp_expire(&p.a[0], true, p.now));
	assert_false(p.a[0].partner_valid);
	/* out of the aggregate, and it says so at once */
	struct sl_lacp_port *ap[2] = { &p.a[0], &p.a[1] };

	sl_lacp_select(ap, 2, p.up);
	assert_true(p.a[0].actor.state & SL_LACP_DEFAULTED);
	assert_false(p.a[0].actor.state & SL_LACP_SYNC);
	assert_true(sl_lacp_tx_due(&p.a[0], p.now));
	sl_lacp_encode(&p.a[0], pdu, p.now);
	assert_true(pdu[2 + 16] & SL_LACP_DEFAULTED);
}

static void
other_system_stays_out(void **state)
{
	struct pair p;
	struct sl_lacp_port c;
	uint8_t pdu[SL_LACP_PDU_LEN];

	(void)state;
	pair_init(&p, true);
	run(&p, 3000);
	/* link 1 now faces a third system: it leaves the aggregate */
	sl_lacp_init(&c, &sys_c, 3, 1, true);
	sl_lacp_encode(&c, pdu, p.now);
	assert_int_equal(sl_lacp_rx(&p.a[1], pdu, sizeof(pdu), p.now), 0);
	struct sl_lacp_port *ap[2] = { &p.a[0], &p.a[1] };

	sl_lacp_select(ap, 2, p.up);
	assert_true(p.a[0].actor.state & SL_LACP_SYNC);
	assert_false(p.a[1].actor.state & SL_LACP_SYNC);
	assert_false(sl_lacp_distributing(&p.a[1]));
}

static void
malformed_pdus_are_counted(void **state)
{
	struct sl_lacp_port a;
	uint8_t pdu[SL_LACP_PDU_LEN];

	(void)state;
	sl_lacp_init(&a, &sys_a, 1, 1, false);
	sl_lacp_encode(&a, pdu, 0);
	assert_int_equal(sl_lacp_rx(&a, pdu, 10, 0), -EINVAL);	/* short */
	pdu[2] = 9;						/* not an actor TLV */
	assert_int_equal(sl_lacp_rx(&a, pdu, sizeof(pdu), 0), -EINVAL);
	pdu[2] = 1;
	pdu[23] = 19;						/* partner length */
	assert_int_equal(sl_lacp_rx(&a, pdu, sizeof(pdu), 0), -EINVAL);
	assert_int_equal(a.rx_bad, 3);
	assert_int_equal(a.rx, 0);
	assert_false(a.partner_valid);
}

static void
no_more_than_three_a_second(void **state)
{
	struct sl_lacp_port a;
	uint8_t pdu[SL_LACP_PDU_LEN];
	int sent = 0;

	(void)state;
	sl_lacp_init(&a, &sys_a, 1, 1, true);
	for (uint64_t t = 1000; t < 2000; t++) {
		a.ntt = true;	/* something changes every millisecond */
		if (sl_lacp_tx_due(&a, t)) {
			sl_lacp_encode(&a, pdu, t);
			sent++;
		}
	}
	assert_in_range(sent, 1, 3);
}

static void
slow_partner_slow_pdus(void **state)
{
	struct pair p;
	uint64_t before;

	(void)state;
	pair_init(&p, false);
	run(&p, 3000);
	assert_true(sl_lacp_distributing(&p.a[0]));
	/* both asked for the long timeout: a PDU every 30 s, not every second */
	before = p.a[0].tx;
	run(&p, 10000);
	assert_true(p.a[0].tx - before <= 1);
	assert_true(sl_lacp_distributing(&p.a[0]));
}

static void
marker_response(void **state)
{
	uint8_t pdu[SL_LACP_PDU_LEN] = { SL_SLOW_SUBTYPE_MARKER, 1, 1, 16 };

	(void)state;
	assert_int_equal(sl_lacp_marker_response(pdu, sizeof(pdu)), 0);
	assert_int_equal(pdu[2], 2);	/* marker response TLV */
	pdu[0] = SL_SLOW_SUBTYPE_LACP;
	assert_int_equal(sl_lacp_marker_response(pdu, sizeof(pdu)), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aggregate_forms),
		cmocka_unit_test(link_down_leaves_the_aggregate),
		cmocka_unit_test(quiet_partner_expires),
		cmocka_unit_test(other_system_stays_out),
		cmocka_unit_test(malformed_pdus_are_counted),
		cmocka_unit_test(no_more_than_three_a_second),
		cmocka_unit_test(slow_partner_slow_pdus),
		cmocka_unit_test(marker_response),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
