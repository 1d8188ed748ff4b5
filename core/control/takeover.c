/* SPDX-License-Identifier: BSD-3-Clause */
/* What both sides of a takeover upgrade do to their endpoints
 * (takeover.h). */
#include "takeover.h"

bool
sl_takeover_has_device(const struct sl_endpoint *ep)
{
	if (sl_endpoint_has_no_port(ep))
		return false;
	if (ep->is_vif)
		return true;
	return sl_pif_owns_port(SL_PIF_OF((struct sl_endpoint *)ep)) &&
	       !(ep->role && ep->role->port == SL_ROLE_LOGICAL_PORT);
}

unsigned int
sl_takeover_hand_all(struct sl_runtime *rt)
{
	struct sl_pif *p;
	struct sl_vif *v;
	unsigned int open = 0;

	TAILQ_FOREACH(p, &rt->model->pifs, next)
		if (sl_takeover_has_device(&p->ep) && !p->ep.handed_over) {
			open += p->ep.port_id != SL_PORT_NONE;
			p->ep.handed_over = true;
		}
	TAILQ_FOREACH(v, &rt->model->vifs, next)
		if (sl_takeover_has_device(&v->ep) && !v->ep.handed_over) {
			open += v->ep.port_id != SL_PORT_NONE;
			v->ep.handed_over = true;
		}
	/* one snapshot without them all, then one grace period */
	sl_runtime_apply(rt);
	return open;
}

int
sl_takeover_take_all(struct sl_runtime *rt)
{
	struct sl_pif *p;
	struct sl_vif *v;

	TAILQ_FOREACH(p, &rt->model->pifs, next)
		p->ep.handed_over = false;
	TAILQ_FOREACH(v, &rt->model->vifs, next)
		v->ep.handed_over = false;
	sl_runtime_standby_clear(rt);	/* still open: back as they are */
	return sl_runtime_apply(rt);
}
