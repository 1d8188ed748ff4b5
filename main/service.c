/* SPDX-License-Identifier: BSD-3-Clause */
/* sluiced's side of systemd's notify protocol (service.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "service.h"

static const char *
plural(unsigned int n)
{
	return n == 1 ? "" : "s";
}

void
sl_service_summary(const struct sl_runtime *rt, char *out, size_t len)
{
	const struct sl_network *n;
	const struct sl_pif *p;
	const struct sl_vif *v;
	unsigned int nets = 0, up = 0, down = 0;

	TAILQ_FOREACH(n, &rt->model->networks, next)
		nets++;
	/* the ports asked for (plugged), whether they got one; a VF's VIF
	 * and a VLAN's PIF have no port of their own */
	TAILQ_FOREACH(p, &rt->model->pifs, next)
		if (p->ep.plugged && sl_pif_owns_port(p) &&
		    !sl_endpoint_has_no_port(&p->ep))
			p->ep.port_id == SL_PORT_NONE ? down++ : up++;
	TAILQ_FOREACH(v, &rt->model->vifs, next)
		if (v->ep.plugged && !sl_endpoint_has_no_port(&v->ep))
			v->ep.port_id == SL_PORT_NONE ? down++ : up++;
	snprintf(out, len, "%u network%s, %u port%s attached, %u not attached, %u worker%s",
		 nets, plural(nets), up, plural(up), down, rt->nb_workers,
		 plural(rt->nb_workers));
}

static void
notify(const char *what)
{
	int rc = sd_notify(0, what);

	/* 0: no service manager listens, which is fine */
	if (rc < 0)
		SL_LOG(WARNING, "cannot tell the service manager %.*s: %s\n",
		       (int)strcspn(what, "\n"), what, strerror(-rc));
}

static void
send_status(struct sl_service *s, const char *head)
{
	char msg[sizeof(s->status) + 32];

	snprintf(msg, sizeof(msg), "%sSTATUS=%s", head, s->status);
	notify(msg);
}

void
sl_service_ready(struct sl_service *s, const struct sl_runtime *rt)
{
	sl_service_summary(rt, s->status, sizeof(s->status));
	send_status(s, "READY=1\n");
}

void
sl_service_update(struct sl_service *s, const struct sl_runtime *rt)
{
	char now[sizeof(s->status)];

	sl_service_summary(rt, now, sizeof(now));
	if (strcmp(now, s->status) == 0)
		return;
	memcpy(s->status, now, sizeof(now));
	send_status(s, "");
}

void
sl_service_main_pid(struct sl_service *s)
{
	char msg[32];

	(void)s;
	snprintf(msg, sizeof(msg), "MAINPID=%d", (int)getpid());
	notify(msg);
}

void
sl_service_stopping(struct sl_service *s)
{
	snprintf(s->status, sizeof(s->status), "stopping");
	send_status(s, "STOPPING=1\n");
}
