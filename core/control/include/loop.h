/* SPDX-License-Identifier: BSD-3-Clause */
/* The control thread's event loop: epoll over file descriptors, each with
 * the function that handles it. */
#ifndef SL_LOOP_H
#define SL_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct sl_watch;
typedef void (*sl_watch_fn)(struct sl_watch *w, uint32_t events);

struct sl_watch {
	int fd;
	sl_watch_fn fn;
};

struct sl_loop {
	int epfd;
	bool stop;
};

int sl_loop_init(struct sl_loop *l);
void sl_loop_fini(struct sl_loop *l);
int sl_loop_add(struct sl_loop *l, struct sl_watch *w, uint32_t events);
int sl_loop_mod(struct sl_loop *l, struct sl_watch *w, uint32_t events);
void sl_loop_del(struct sl_loop *l, struct sl_watch *w);
/* Dispatch events until l->stop is set. Returns 0 or -errno. */
int sl_loop_run(struct sl_loop *l);

/* A listening non-blocking Unix stream socket at path (a stale one is
 * removed first): its fd, or -errno. */
int sl_unix_listen(const char *path, int backlog);

#endif
