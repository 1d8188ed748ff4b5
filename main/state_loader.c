/* SPDX-License-Identifier: BSD-3-Clause */
/* The state file read beside the EAL's start (state_loader.h says why and
 * when). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonfile.h"
#include "sl_port.h"
#include "state_loader.h"

#define DEVARGS_KEY "\"devargs\""

static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Whether text may name a PCI device in a "devargs" value. */
static bool
text_may_need_pci(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while ((p = memmem(p, (size_t)(end - p), DEVARGS_KEY,
			   strlen(DEVARGS_KEY))) != NULL) {
		char value[PATH_MAX];
		const char *v, *close;

		p += strlen(DEVARGS_KEY);
		v = skip_space(p);
		if (*v != ':')
			continue;	/* a value that is the word "devargs" */
		v = skip_space(v + 1);
		if (*v != '"')
			return true;	/* not a string: the parse will say */
		v++;
		close = strchr(v, '"');
		if (!close || memchr(v, '\\', (size_t)(close - v)) ||
		    (size_t)(close - v) >= sizeof(value))
			return true;	/* escaped or odd: read it properly */
		memcpy(value, v, (size_t)(close - v));
		value[close - v] = '\0';
		if (sl_devargs_is_pci(value))
			return true;
		p = close + 1;
	}
	return false;
}

static bool
file_may_need_pci(const char *path)
{
	size_t len = 0;
	char *text = sl_file_read_all(path, &len);
	bool pci;

	if (!text)
		return errno != ENOENT;
	pci = text_may_need_pci(text, len);
	free(text);
	return pci;
}

bool
sl_state_may_need_pci(const char *state_path)
{
	char journal[PATH_MAX];

	if (!state_path || sl_persist_journal_path(state_path, journal,
						   sizeof(journal)) < 0)
		return true;
	return file_may_need_pci(state_path) || file_may_need_pci(journal);
}

static void *
load(void *arg)
{
	struct sl_state_loader *l = arg;

	l->rc = sl_persist_load(l->persist, l->model, l->features,
				l->state_path, &l->replay, &l->err);
	return NULL;
}

int
sl_state_loader_start(struct sl_state_loader *l, struct sl_persist *p,
		      struct sl_model *m,
		      const struct sl_feature *const *features,
		      const char *state_path)
{
	int rc;

	memset(l, 0, sizeof(*l));
	l->persist = p;
	l->model = m;
	l->features = features;
	l->state_path = state_path;
	rc = pthread_create(&l->thread, NULL, load, l);
	return -rc;
}

int
sl_state_loader_join(struct sl_state_loader *l,
		     struct sl_journal_replay *replay, struct sl_err *err)
{
	pthread_join(l->thread, NULL);
	*replay = l->replay;
	*err = l->err;
	return l->rc;
}
