/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Errors the control plane reports: a code of sl_error_codes.h (its name and
 * number) and one plain sentence that names the argument.
 */
#ifndef SL_ERROR_H
#define SL_ERROR_H

#include <stdarg.h>

#include "sl_error_codes.h"

struct sl_err {
	enum sl_error_code code;
	char msg[512];
};

/* Record the error (the first one wins) and return -1. */
int sl_err_set(struct sl_err *err, enum sl_error_code code, const char *fmt,
	       ...) __attribute__((format(printf, 3, 4)));

#endif
