/* SPDX-License-Identifier: BSD-3-Clause */
/* Names of what the datapath counts: drop reasons, stages. */
#include "sl_drop.h"
#include "sl_stats.h"

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

static const char *const stage_names[] = {
#define SL_STAGE_NAME(id, name, help) [SL_STAGE_##id] = name,
	SL_STAGES(SL_STAGE_NAME)
#undef SL_STAGE_NAME
};

const char *
sl_stage_name(enum sl_stage stage)
{
	return stage < SL_STAGE__COUNT ? stage_names[stage] : "none";
}
