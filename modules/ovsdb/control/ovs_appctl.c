/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ovs-appctl -t ovs-vswitchd, answered by sluiced: OVS's unixctl protocol
 * (JSON-RPC over a Unix socket, the same stream as the database's) on
 * $OVS_RUNDIR/ovs-vswitchd.<pid>.ctl, the pid in ovs-vswitchd.pid, where
 * ovs-appctl looks. It answers what XCP-ng's networkd asks (bond/show,
 * whose "member X: enabled" and "active member ... (X)" lines it parses),
 * version, bond/list and list-commands; anything else gets OVS's error.
 * The pidfile is held as OVS holds it (a write lock, which ovs-appctl
 * checks), and a running ovs-vswitchd's is never taken over.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "bond_model.h"
#include "bond_runtime.h"
#include "log.h"
#include "ovsdb.h"

#define APPCTL_OF(w) \
	((struct sl_appctl_client *)((char *)(w) - offsetof(struct sl_appctl_client, watch)))
#define OVSDB_OF_LISTEN(w) \
	((struct sl_ovsdb *)((char *)(w) - offsetof(struct sl_ovsdb, appctl.listen)))

/* ---- the answers -------------------------------------------------------- */

/* OVS's names: a LACP bond is balance-tcp or balance-slb by its hashing. */
static const char *
ovs_mode(const struct sl_bond *b)
{
	if (b->mode == SL_BOND_LACP)
		return b->props.hash_tcpudp ? "balance-tcp" : "balance-slb";
	return sl_bond_mode_name(b->mode);
}

static void
show_bond(struct sl_runtime *rt, const struct sl_bond *b, FILE *f)
{
	json_t *show = sl_bonding_show(rt, b), *m;
	const char *lacp = json_string_value(json_object_get(show, "lacp"));
	json_t *members = json_object_get(show, "members");
	char mac[SL_MAC_STR_LEN];
	size_t i;

	fprintf(f, "---- %s ----\n", b->master->ep.device);
	fprintf(f, "bond_mode: %s\n", ovs_mode(b));
	fprintf(f, "updelay: %u ms\n", b->props.updelay_ms);
	fprintf(f, "downdelay: %u ms\n", b->props.downdelay_ms);
	fprintf(f, "lacp_status: %s\n", !lacp ? "off" :
		strcmp(lacp, "negotiated") == 0 ? "negotiated" : "configured");
	fprintf(f, "lacp_fallback_ab: %s\n", b->props.fallback_ab ? "true" : "false");
	json_array_foreach(members, i, m)
		if (json_is_true(json_object_get(m, "active"))) {
			sl_mac_format(mac, &b->slaves[i]->ep.mac);
			fprintf(f, "active member mac: %s(%s)\n", mac,
				json_string_value(json_object_get(m, "device")));
		}
	json_array_foreach(members, i, m) {
		bool enabled = strcmp(json_string_value(json_object_get(m, "state")),
				      "enabled") == 0;

		fprintf(f, "\nmember %s: %s\n",
			json_string_value(json_object_get(m, "device")),
			enabled ? "enabled" : "disabled");
		if (json_is_true(json_object_get(m, "active")))
			fprintf(f, "  active member\n");
		fprintf(f, "  may_enable: %s\n", enabled ? "true" : "false");
	}
	json_decref(show);
}

/* The text of a command, or NULL with *error set (OVS's sentences). */
static char *
answer(struct sl_ovsdb *o, const char *method, const json_t *params,
       char **error)
{
	const char *arg = json_string_value(json_array_get(params, 0));
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	const struct sl_bond *b;
	bool found = false;

	if (!f)
		return NULL;
	if (strcmp(method, "version") == 0) {
		fprintf(f, "sluiced (sluice) %s, in the place of ovs-vswitchd\n",
			SLUICE_VERSION);
	} else if (strcmp(method, "list-commands") == 0) {
		fprintf(f, "The available commands are:\n  bond/list\n  bond/show [port]\n  list-commands\n  version\n");
	} else if (strcmp(method, "bond/list") == 0) {
		fprintf(f, "bond\ttype\trecircID\tmembers\n");
		TAILQ_FOREACH(b, sl_bonds(o->rt->model), next) {
			fprintf(f, "%s\t%s\t-1\t", b->master->ep.device, ovs_mode(b));
			for (unsigned int i = 0; i < b->nb_slaves; i++)
				fprintf(f, "%s%s", i ? ", " : "", b->slaves[i]->ep.device);
			fputc('\n', f);
		}
	} else if (strcmp(method, "bond/show") == 0) {
		TAILQ_FOREACH(b, sl_bonds(o->rt->model), next)
			if (!arg || strcmp(arg, b->master->ep.device) == 0) {
				show_bond(o->rt, b, f);
				found = true;
			}
		if (arg && !found) {
			fclose(f);
			free(text);
			*error = strdup("no such bond");
			return NULL;
		}
	} else {
		fclose(f);
		free(text);
		if (asprintf(error, "\"%s\" is not a valid command (use \"list-commands\" to see a list of valid commands)",
			     method) < 0)
			*error = NULL;
		return NULL;
	}
	fclose(f);
	return text;
}

/* ---- the socket --------------------------------------------------------- */

static void
client_close(struct sl_appctl_client *c)
{
	sl_loop_del(c->o->rt->host.loop, &c->watch);
	sl_json_stream_close(&c->stream);
	c->o->appctl.clients[c->slot] = NULL;
	free(c);
}

static void
on_request(void *arg, json_t *msg)
{
	struct sl_appctl_client *c = arg;
	const char *method = json_string_value(json_object_get(msg, "method"));
	json_t *id = json_object_get(msg, "id"), *reply;
	char *error = NULL, *text = NULL, why[128];

	if (!method || !id)
		return;
	text = answer(c->o, method, json_object_get(msg, "params"), &error);
	if (text)
		reply = json_pack("{s:s, s:n, s:O}", "result", text, "error", "id", id);
	else
		reply = json_pack("{s:n, s:s, s:O}", "result", "error",
				  error ? error : "out of memory", "id", id);
	free(text);
	free(error);
	if (!reply || sl_json_stream_send(&c->stream, reply, why, sizeof(why)) < 0)
		c->failed = true;
	json_decref(reply);
}

static void
on_client(struct sl_watch *w, uint32_t events)
{
	struct sl_appctl_client *c = APPCTL_OF(w);
	char why[128];

	if ((events & EPOLLOUT) &&
	    sl_json_stream_flush(&c->stream, why, sizeof(why)) < 0) {
		client_close(c);
		return;
	}
	if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
	    sl_json_stream_read(&c->stream, on_request, c, why, sizeof(why)) < 0) {
		client_close(c);	/* ovs-appctl closes after its answer */
		return;
	}
	if (c->failed) {
		client_close(c);
		return;
	}
	sl_loop_mod(c->o->rt->host.loop, &c->watch,
		    EPOLLIN | (sl_json_stream_pending(&c->stream) ? EPOLLOUT : 0));
}

static void
on_accept(struct sl_watch *w, uint32_t events)
{
	struct sl_ovsdb *o = OVSDB_OF_LISTEN(w);
	struct sl_appctl_client *c;
	int fd, slot = -1;

	(void)events;
	fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	for (int i = 0; i < SL_APPCTL_CLIENTS && slot < 0; i++)
		if (!o->appctl.clients[i])
			slot = i;
	c = slot >= 0 ? calloc(1, sizeof(*c)) : NULL;
	if (!c) {
		close(fd);	/* busy: ovs-appctl says the connection failed */
		return;
	}
	c->o = o;
	c->slot = slot;
	sl_json_stream_init(&c->stream, fd);
	c->watch.fd = fd;
	c->watch.fn = on_client;
	if (sl_loop_add(o->rt->host.loop, &c->watch, EPOLLIN) < 0) {
		sl_json_stream_close(&c->stream);
		free(c);
		return;
	}
	o->appctl.clients[slot] = c;
}

/* The process holding path's lock (a live pidfile), or 0. */
static pid_t
pidfile_holder(const char *path)
{
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (fcntl(fd, F_GETLK, &lk) < 0 || lk.l_type == F_UNLCK)
		lk.l_pid = 0;
	close(fd);
	return lk.l_pid;
}

/* Write our pid to the pidfile, held with a write lock for as long as
 * sluiced runs (ovs-appctl takes an unlocked pidfile for a stale one):
 * made beside it and renamed, so it is never seen half-written. */
static int
write_pidfile(struct sl_appctl *a)
{
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char tmp[sizeof(a->pidfile) + 8], line[32];
	int fd, n;

	snprintf(tmp, sizeof(tmp), "%s.tmp", a->pidfile);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	n = snprintf(line, sizeof(line), "%d\n", (int)getpid());
	if (fcntl(fd, F_SETLK, &lk) < 0 || write(fd, line, (size_t)n) != n ||
	    rename(tmp, a->pidfile) < 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	a->pidfile_fd = fd;
	return 0;
}

void
sl_ovsdb_appctl_start(struct sl_ovsdb *o)
{
	struct sl_appctl *a = &o->appctl;
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	pid_t other;
	int fd;

	a->listen.fd = -1;
	a->pidfile_fd = -1;
	snprintf(a->pidfile, sizeof(a->pidfile), "%s/ovs-vswitchd.pid", sl_ovsdb_rundir());
	other = pidfile_holder(a->pidfile);
	if (other > 0 && other != getpid()) {
		SL_LOG(WARNING, "ovs-appctl: %s names a running process (%d, ovs-vswitchd?); ovs-appctl -t ovs-vswitchd reaches it, not sluiced\n",
		       a->pidfile, (int)other);
		a->pidfile[0] = '\0';
		return;
	}
	if (snprintf(a->path, sizeof(a->path), "%s/ovs-vswitchd.%d.ctl", sl_ovsdb_rundir(),
		     (int)getpid()) >= (int)sizeof(un.sun_path)) {
		SL_LOG(WARNING, "ovs-appctl: %s/ovs-vswitchd.<pid>.ctl is too long a socket path\n",
		       sl_ovsdb_rundir());
		a->pidfile[0] = a->path[0] = '\0';
		return;
	}
	fd = sl_unix_listen(a->path, 16);
	if (fd < 0) {
		SL_LOG(WARNING, "ovs-appctl: cannot listen on %s: %s\n", a->path,
		       strerror(-fd));
		a->pidfile[0] = a->path[0] = '\0';
		return;
	}
	a->listen.fd = fd;
	a->listen.fn = on_accept;
	sl_loop_add(o->rt->host.loop, &a->listen, EPOLLIN);
	/* the pidfile last: ovs-appctl then finds a socket */
	if (write_pidfile(a) < 0) {
		SL_LOG(WARNING, "ovs-appctl: cannot write %s: %s\n", a->pidfile,
		       strerror(errno));
		a->pidfile[0] = '\0';
		return;
	}
	SL_LOG(NOTICE, "ovs-appctl -t ovs-vswitchd answered on %s\n", a->path);
}

void
sl_ovsdb_appctl_stop(struct sl_ovsdb *o)
{
	struct sl_appctl *a = &o->appctl;

	for (int i = 0; i < SL_APPCTL_CLIENTS; i++)
		if (a->clients[i])
			client_close(a->clients[i]);
	if (a->listen.fd >= 0) {
		sl_loop_del(o->rt->host.loop, &a->listen);
		close(a->listen.fd);
		a->listen.fd = -1;
		unlink(a->path);
	}
	if (a->pidfile_fd >= 0) {
		unlink(a->pidfile);
		close(a->pidfile_fd);
		a->pidfile_fd = -1;
	}
}
