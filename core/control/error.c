/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>

#include "sl_error.h"

const char *
sl_error_name(enum sl_error_code code)
{
	switch (code) {
#define SL_ERR_NAME(name, num)                                                \
	case SL_E_##name:                                                     \
		return #name;
		SL_ERRORS(SL_ERR_NAME)
#undef SL_ERR_NAME
	case SL_OK:
		break;
	}
	return "OK";
}

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
