/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>
#include <rte_memcpy.h>

#include "trace.h"

static int
fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
	snprintf(err, errlen, fmt, a, b);
	return -1;
}

static int
append(struct sl_trace *t, size_t *cap_frames, size_t *cap_data,
       const uint8_t *bytes, uint32_t len)
{
	if (t->nb_frames == *cap_frames) {
		size_t n = *cap_frames ? *cap_frames * 2 : 4096;
		void *p = realloc(t->frames, n * sizeof(*t->frames));

		if (!p)
			return -1;
		t->frames = p;
		*cap_frames = n;
	}
	if (t->bytes + len > *cap_data) {
		size_t n = *cap_data ? *cap_data * 2 : 1 << 20;
		void *p;

		while (n < t->bytes + len)
			n *= 2;
		p = realloc(t->data, n);
		if (!p)
			return -1;
		t->data = p;
		*cap_data = n;
	}
	t->frames[t->nb_frames++] = (struct sl_trace_frame){
		.len = len, .off = (uint32_t)t->bytes,
	};
	memcpy(t->data + t->bytes, bytes, len);
	t->bytes += len;
	return 0;
}

int
sl_trace_load(struct sl_trace *t, const char *path, const char *filter,
	      char *err, size_t errlen)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	size_t cap_frames = 0, cap_data = 0;
	struct bpf_program prog;
	struct pcap_pkthdr *h;
	const uint8_t *bytes;
	pcap_t *p;
	int rc;

	memset(t, 0, sizeof(*t));
	p = pcap_open_offline(path, pcap_err);
	if (!p)
		return fail(err, errlen, "cannot read trace %s: %s", path, pcap_err);
	if (pcap_datalink(p) != DLT_EN10MB) {
		pcap_close(p);
		return fail(err, errlen, "trace %s: not Ethernet frames%s", path, "");
	}
	if (filter) {
		if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			fail(err, errlen, "--filter '%s': %s", filter, pcap_geterr(p));
			pcap_close(p);
			return -1;
		}
	}
	while ((rc = pcap_next_ex(p, &h, &bytes)) == 1) {
		if (filter && !pcap_offline_filter(&prog, h, bytes))
			continue;
		t->truncated += h->caplen < h->len;
		/* offsets are 32-bit: 4 GiB of frames is more than a bench needs */
		if (t->bytes + h->caplen > UINT32_MAX ||
		    append(t, &cap_frames, &cap_data, bytes, h->caplen) < 0) {
			rc = -3;
			break;
		}
	}
	if (filter)
		pcap_freecode(&prog);
	if (rc == -1)
		fail(err, errlen, "trace %s: %s", path, pcap_geterr(p));
	else if (rc == -3)
		fail(err, errlen, "trace %s: too large to hold in memory%s", path, "");
	pcap_close(p);
	if (rc != PCAP_ERROR_BREAK) {
		sl_trace_free(t);
		return -1;
	}
	if (t->nb_frames == 0) {
		sl_trace_free(t);
		return fail(err, errlen, "trace %s: no frames%s", path,
			    filter ? " match the filter" : "");
	}
	return 0;
}

void
sl_trace_free(struct sl_trace *t)
{
	free(t->frames);
	free(t->data);
	memset(t, 0, sizeof(*t));
}

struct rte_mbuf *
sl_trace_mbuf(const struct sl_trace *t, size_t i, struct rte_mempool *pool)
{
	const struct sl_trace_frame *f = &t->frames[i];
	const uint8_t *src = t->data + f->off;
	struct rte_mbuf *head = NULL, *tail = NULL;
	uint32_t left = f->len;

	do {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		uint32_t n;

		if (!m) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		n = RTE_MIN(left, (uint32_t)rte_pktmbuf_tailroom(m));
		rte_memcpy(rte_pktmbuf_mtod(m, void *), src, n);
		m->data_len = (uint16_t)n;
		src += n;
		left -= n;
		if (!head) {
			head = m;
		} else {
			tail->next = m;
			head->nb_segs++;
		}
		tail = m;
	} while (left);
	head->pkt_len = f->len;
	return head;
}
