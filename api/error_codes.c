/* SPDX-License-Identifier: BSD-3-Clause */
#include "sl_error_codes.h"

const char *
sl_error_name(enum sl_error_code code)
{
	switch (code) {
#define SL_ERR_NAME(name, num, meaning)                                       \
	case SL_E_##name:                                                     \
		return #name;
		SL_ERRORS(SL_ERR_NAME)
#undef SL_ERR_NAME
	case SL_OK:
		return "OK";
	}
	return "UNKNOWN";	/* not in the list: a bug, but named as one */
}
