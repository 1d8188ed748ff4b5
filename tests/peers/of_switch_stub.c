/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * of_switch_stub SOCKET_PATH [CONTROLLER_SOCKET_PATH]: the OpenFlow
 * engine (of_proto.h) behind a Unix socket with an in-memory flow table
 * and four fake ports (1-3 "p1".."p3", LOCAL "br0"), so the real
 * ovs-ofctl can be run against it ("ovs-ofctl add-flow unix:SOCK ...").
 * Connections on the second socket, if given, are controller connections
 * (they get FLOW_REMOVED).
 *
 * The table follows OVS's rules: an add replaces the flow of the same
 * match and priority; non-strict modify/delete select with
 * sl_flow_match_covers, strict ones by equal match and priority; the
 * cookie mask filters; delete and stats filter on out_port.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "of_flow_rel.h"
#include "of_proto.h"

#define MAX_FLOWS 4096
#define MAX_CONNS 64

struct flow {
	struct sl_of_flow_stats fs;
	struct timespec created;
};

static struct flow flows[MAX_FLOWS];
static size_t n_flows;
static struct sl_of_port ports[4];

struct conn {
	int fd;
	struct sl_of_conn *of;
};
static struct conn conns[MAX_CONNS];
static volatile sig_atomic_t stop;

static void
flow_age(const struct flow *f, uint32_t *sec, uint32_t *nsec)
{
	struct timespec now;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (now.tv_sec - f->created.tv_sec) * 1000000000LL +
	     (now.tv_nsec - f->created.tv_nsec);
	*sec = (uint32_t)(ns / 1000000000LL);
	*nsec = (uint32_t)(ns % 1000000000LL);
}

/* Tell every controller connection a flow went. */
static void
removed(const struct flow *f)
{
	struct sl_of_flow_stats fs = f->fs;

	flow_age(f, &fs.duration_sec, &fs.duration_nsec);
	for (int i = 0; i < MAX_CONNS; i++)
		if (conns[i].of)
			sl_of_conn_flow_removed(conns[i].of, &fs, SL_OFPRR_DELETE);
}

static uint64_t
dpid(void *ctx)
{
	(void)ctx;
	return 0x0000aabbccddeeffULL;
}

static int
get_ports(void *ctx, struct sl_of_port **out, size_t *n)
{
	(void)ctx;
	*out = malloc(sizeof(ports));
	if (!*out)
		return -1;
	memcpy(*out, ports, sizeof(ports));
	*n = 4;
	return 0;
}

static bool
selects(const struct sl_of_flow_mod *fm, const struct flow *f, bool strict)
{
	if (!sl_flow_cookie_matches(f->fs.cookie, fm->cookie, fm->cookie_mask))
		return false;
	if (strict)
		return f->fs.priority == fm->priority &&
		       sl_flow_match_equal(&fm->key, &fm->mask, &f->fs.key,
					   &f->fs.mask);
	return sl_flow_match_covers(&fm->key, &fm->mask, &f->fs.key, &f->fs.mask);
}

/* Two matches some packet could satisfy both of (CHECK_OVERLAP). */
static bool
overlaps(const struct sl_flow_key *k1, const struct sl_flow_key *m1,
	 const struct sl_flow_key *k2, const struct sl_flow_key *m2)
{
	const uint8_t *a = (const void *)k1, *am = (const void *)m1;
	const uint8_t *b = (const void *)k2, *bm = (const void *)m2;

	for (size_t i = 0; i < sizeof(*k1); i++)
		if ((a[i] ^ b[i]) & am[i] & bm[i])
			return false;
	return true;
}

static int
add(void *c, const struct sl_of_flow_mod *fm, uint64_t cookie,
    struct sl_of_error *err)
{
	struct flow *f = NULL;

	for (size_t i = 0; i < n_flows; i++) {
		struct flow *g = &flows[i];

		if (g->fs.priority == fm->priority &&
		    sl_flow_match_equal(&fm->key, &fm->mask, &g->fs.key, &g->fs.mask)) {
			f = g;	/* replaced, cookie and all (OVS) */
		} else if ((fm->flags & SL_OFPFF_CHECK_OVERLAP) &&
			   g->fs.priority == fm->priority &&
			   overlaps(&fm->key, &fm->mask, &g->fs.key, &g->fs.mask)) {
			sl_of_error_set(err, sl_of_conn_version(c), SL_OF_ERR_OVERLAP,
					"overlapping flow");
			return -1;
		}
	}
	if (!f) {
		if (n_flows == MAX_FLOWS) {
			sl_of_error_set(err, sl_of_conn_version(c),
					SL_OF_ERR_TABLE_FULL, "table full");
			return -1;
		}
		f = &flows[n_flows++];
	}
	memset(f, 0, sizeof(*f));
	f->fs.key = fm->key;
	f->fs.mask = fm->mask;
	f->fs.priority = fm->priority;
	f->fs.idle_timeout = fm->idle_timeout;
	f->fs.hard_timeout = fm->hard_timeout;
	f->fs.flags = fm->flags & SL_OFPFF_SEND_FLOW_REM;
	f->fs.cookie = cookie;
	f->fs.actions = fm->actions;
	clock_gettime(CLOCK_MONOTONIC, &f->created);
	return 0;
}

static int
flow_mod(void *ctx, struct sl_of_conn *c, const struct sl_of_flow_mod *fm,
	 struct sl_of_error *err)
{
	bool strict = fm->command == SL_OFPFC_MODIFY_STRICT ||
		      fm->command == SL_OFPFC_DELETE_STRICT;
	size_t n = 0;

	(void)ctx;
	switch (fm->command) {
	case SL_OFPFC_ADD:
		return add(c, fm, fm->cookie, err);
	case SL_OFPFC_MODIFY:
	case SL_OFPFC_MODIFY_STRICT:
		for (size_t i = 0; i < n_flows; i++) {
			struct flow *f = &flows[i];

			if (!selects(fm, f, strict))
				continue;
			f->fs.actions = fm->actions;
			if (fm->modify_cookie)
				f->fs.cookie = fm->new_cookie;
			n++;
		}
		if (!n && fm->modify_may_add)
			return add(c, fm, fm->new_cookie, err);
		return 0;
	default:	/* deletes */
		for (size_t i = 0; i < n_flows;) {
			struct flow *f = &flows[i];

			if (selects(fm, f, strict) &&
			    sl_flow_outputs_to(&f->fs.actions, fm->out_port)) {
				removed(f);
				flows[i] = flows[--n_flows];
			} else {
				i++;
			}
		}
		return 0;
	}
}

static int
flow_stats(void *ctx, const struct sl_of_flow_filter *flt,
	   struct sl_of_flow_stats **out, size_t *n, struct sl_of_error *err)
{
	(void)ctx;
	(void)err;
	*n = 0;
	*out = malloc((n_flows ? n_flows : 1) * sizeof(**out));
	if (!*out)
		return -1;
	for (size_t i = 0; i < n_flows; i++) {
		struct flow *f = &flows[i];
		struct sl_of_flow_stats *fs;

		if (!sl_flow_cookie_matches(f->fs.cookie, flt->cookie, flt->cookie_mask) ||
		    !sl_flow_match_covers(&flt->key, &flt->mask, &f->fs.key, &f->fs.mask) ||
		    !sl_flow_outputs_to(&f->fs.actions, flt->out_port))
			continue;
		fs = &(*out)[(*n)++];
		*fs = f->fs;
		flow_age(f, &fs->duration_sec, &fs->duration_nsec);
	}
	return 0;
}

static int
port_mod(void *ctx, uint16_t port_no, const uint8_t hw_addr[6],
	 uint32_t config, uint32_t mask, struct sl_of_error *err)
{
	(void)ctx;
	for (int i = 0; i < 4; i++) {
		if (ports[i].port_no != port_no)
			continue;
		if (memcmp(ports[i].hw_addr, hw_addr, 6)) {
			sl_of_error_set(err, SL_OFP10, SL_OF_ERR_PORT_BAD_HW_ADDR,
					"hw_addr differs");
			return -1;
		}
		ports[i].config = (ports[i].config & ~mask) | (config & mask);
		return 0;
	}
	sl_of_error_set(err, SL_OFP10, SL_OF_ERR_PORT_BAD_PORT, "no such port");
	return -1;
}

static const struct sl_of_switch_ops ops = {
	.datapath_id = dpid,
	.ports = get_ports,
	.flow_mod = flow_mod,
	.flow_stats = flow_stats,
	.port_mod = port_mod,
};

static int
listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
close_conn(struct conn *k)
{
	sl_of_conn_free(k->of);
	close(k->fd);
	k->of = NULL;
	k->fd = -1;
}

/* Writes what is queued; false when the peer is gone. */
static bool
flush(struct conn *k)
{
	for (;;) {
		size_t len;
		const void *p = sl_of_conn_output(k->of, &len);
		ssize_t w;

		if (!len)
			return true;
		w = send(k->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0)
			return errno == EAGAIN;
		sl_of_conn_consumed(k->of, (size_t)w);
	}
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int
main(int argc, char **argv)
{
	static const char *names[4] = { "p1", "p2", "p3", "br0" };
	int lfd[2] = { -1, -1 };

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s SOCKET_PATH [CONTROLLER_SOCKET_PATH]\n",
			argv[0]);
		return 2;
	}
	for (int i = 0; i < 4; i++) {
		ports[i].port_no = i < 3 ? (uint16_t)(i + 1) : SL_OFPP_LOCAL;
		memcpy(ports[i].hw_addr, (uint8_t[6]){ 0x02, 0x5c, 0, 0, 0,
			(uint8_t)(i + 1) }, 6);
		snprintf(ports[i].name, sizeof(ports[i].name), "%s", names[i]);
		ports[i].curr_speed_kbps = 10000000;
	}
	for (int i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	for (int i = 1; i < argc; i++) {
		lfd[i - 1] = listen_on(argv[i]);
		if (lfd[i - 1] < 0) {
			perror(argv[i]);
			return 1;
		}
	}
	while (!stop) {
		struct pollfd pfd[MAX_CONNS + 2];
		int map[MAX_CONNS + 2], n = 0;

		for (int i = 0; i < 2; i++)
			if (lfd[i] >= 0) {
				pfd[n] = (struct pollfd){ lfd[i], POLLIN, 0 };
				map[n++] = -1 - i;
			}
		for (int i = 0; i < MAX_CONNS; i++)
			if (conns[i].of) {
				size_t len;

				sl_of_conn_output(conns[i].of, &len);
				pfd[n] = (struct pollfd){ conns[i].fd,
					(short)(POLLIN | (len ? POLLOUT : 0)), 0 };
				map[n++] = i;
			}
		if (poll(pfd, (nfds_t)n, 1000) < 0) {
			if (errno == EINTR)
				continue;
			perror("poll");
			return 1;
		}
		for (int j = 0; j < n; j++) {
			if (!pfd[j].revents)
				continue;
			if (map[j] < 0) {
				int fd = accept(pfd[j].fd, NULL, NULL);
				int slot = -1;

				for (int i = 0; i < MAX_CONNS && slot < 0; i++)
					if (!conns[i].of)
						slot = i;
				if (fd < 0)
					continue;
				if (slot < 0) {
					close(fd);
					continue;
				}
				conns[slot].fd = fd;
				conns[slot].of = sl_of_conn_new(&ops, NULL, map[j] == -2);
				if (!conns[slot].of)
					close_conn(&conns[slot]);
				continue;
			}
			struct conn *k = &conns[map[j]];
			uint8_t buf[65536];
			ssize_t r;
			int rc = 0;

			if (pfd[j].revents & (POLLIN | POLLHUP | POLLERR)) {
				r = recv(k->fd, buf, sizeof(buf), MSG_DONTWAIT);
				if (r == 0 || (r < 0 && errno != EAGAIN)) {
					close_conn(k);
					continue;
				}
				if (r > 0)
					rc = sl_of_conn_input(k->of, buf, (size_t)r);
			}
			if (!flush(k) || rc < 0) {
				if (rc < 0)
					fprintf(stderr, "of_switch_stub: closing: %s\n",
						sl_of_conn_last_error(k->of));
				close_conn(k);
			}
		}
		/* a FLOW_REMOVED may be queued on a connection that was idle */
		for (int i = 0; i < MAX_CONNS; i++)
			if (conns[i].of && !flush(&conns[i]))
				close_conn(&conns[i]);
	}
	for (int i = 1; i < argc; i++)
		unlink(argv[i]);
	return 0;
}
