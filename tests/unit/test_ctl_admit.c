/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Who the control socket takes (ctl_admit.c): one uid but root holds at
 * most its cap, the last slots are root's, and each refusal says which
 * limit it hit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ctl_admit.h"

static void
test_per_uid_cap(void **state)
{
	char msg[256];

	(void)state;
	assert_int_equal(sl_ctl_admit(1000, 10, 63, 64, msg, sizeof(msg)), SL_CTL_ADMIT);
	assert_int_equal(sl_ctl_admit(1000, 10, 64, 64, msg, sizeof(msg)), SL_CTL_REFUSE_UID);
	assert_non_null(strstr(msg, "too many control connections for uid 1000: it has 64 open"));
	assert_non_null(strstr(msg, "--socket-clients-per-uid"));
	/* root has no cap of its own */
	assert_int_equal(sl_ctl_admit(0, 10, 200, 64, msg, sizeof(msg)), SL_CTL_ADMIT);
}

static void
test_slots_kept_for_root(void **state)
{
	unsigned int last = SL_CTL_MAX_CLIENTS - SL_CTL_ROOT_SLOTS;
	char msg[256];

	(void)state;
	assert_int_equal(sl_ctl_admit(1000, last - 1, 0, 64, msg, sizeof(msg)), SL_CTL_ADMIT);
	assert_int_equal(sl_ctl_admit(1000, last, 0, 64, msg, sizeof(msg)), SL_CTL_REFUSE_FULL);
	assert_non_null(strstr(msg, "the last 4 kept for root"));
	/* the full slots are said before the cap: that is what to wait for */
	assert_int_equal(sl_ctl_admit(1000, last, 64, 64, msg, sizeof(msg)), SL_CTL_REFUSE_FULL);
	for (unsigned int n = last; n < SL_CTL_MAX_CLIENTS; n++)
		assert_int_equal(sl_ctl_admit(0, n, n, 64, msg, sizeof(msg)), SL_CTL_ADMIT);
	assert_int_equal(sl_ctl_admit(0, SL_CTL_MAX_CLIENTS, 0, 64, msg, sizeof(msg)),
			 SL_CTL_REFUSE_FULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_uid_cap),
		cmocka_unit_test(test_slots_kept_for_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
