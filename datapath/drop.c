/* SPDX-License-Identifier: BSD-3-Clause */
#include "sl_drop.h"

static const char *const names[] = {
#define SL_DROP_NAME(id, name, help) [SL_DROP_##id] = name,
	SL_DROP_REASONS(SL_DROP_NAME)
#undef SL_DROP_NAME
};

static const char *const helps[] = {
#define SL_DROP_HELP(id, name, help) [SL_DROP_##id] = help,
	SL_DROP_REASONS(SL_DROP_HELP)
#undef SL_DROP_HELP
};

const char *
sl_drop_name(enum sl_drop reason)
{
	return reason < SL_DROP__COUNT ? names[reason] : "none";
}

const char *
sl_drop_help(enum sl_drop reason)
{
	return reason < SL_DROP__COUNT ? helps[reason] : "";
}
