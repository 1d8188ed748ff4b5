/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A capture's filter: a tcpdump expression compiled by libpcap to classic
 * BPF, converted by DPDK to eBPF and loaded (JIT-compiled where DPDK has
 * a JIT for the CPU, as on x86-64), as DPDK's own dpdk-dumpcap does. The
 * program takes the mbuf: a frame in several segments is read whole.
 */
/* rte_bpf_convert is experimental in DPDK 22.11 */
#define ALLOW_EXPERIMENTAL_API
#include <pcap/pcap.h>

#include <rte_bpf.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "capture.h"

int
sl_capture_filter_compile(const char *expr, uint32_t snaplen,
			  struct sl_capture_filter *out, struct sl_err *err)
{
	struct bpf_program bf;
	struct rte_bpf_prm *prm;
	struct rte_bpf_jit jit = { 0 };
	pcap_t *pcap = pcap_open_dead(DLT_EN10MB, (int)snaplen);

	*out = (struct sl_capture_filter){ 0 };
	if (!pcap)
		return sl_err_set(err, SL_E_INTERNAL_ERROR,
				  "filter: libpcap could not be set up");
	if (pcap_compile(pcap, &bf, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		sl_err_set(err, SL_E_CAPTURE_FILTER_INVALID, "filter: '%s': %s",
			   expr, pcap_geterr(pcap));
		pcap_close(pcap);
		return -1;
	}
	prm = rte_bpf_convert(&bf);
	pcap_freecode(&bf);
	pcap_close(pcap);
	if (!prm)
		return sl_err_set(err, SL_E_CAPTURE_FILTER_INVALID,
				  "filter: '%s': DPDK cannot convert it to eBPF: %s",
				  expr, rte_strerror(rte_errno));
	out->bpf = rte_bpf_load(prm);
	rte_free(prm);
	if (!out->bpf)
		return sl_err_set(err, SL_E_CAPTURE_FILTER_INVALID,
				  "filter: '%s': DPDK cannot load its eBPF: %s",
				  expr, rte_strerror(rte_errno));
	if (rte_bpf_get_jit(out->bpf, &jit) == 0 && jit.func)
		out->jit = jit.func;
	return 0;
}

void
sl_capture_filter_free(struct sl_capture_filter *f)
{
	if (f->bpf)
		rte_bpf_destroy(f->bpf);
	*f = (struct sl_capture_filter){ 0 };
}
