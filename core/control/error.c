/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>

#include "sl_error.h"

int
sl_err_set(struct sl_err *err, enum sl_error_code code, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code != SL_OK)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}
