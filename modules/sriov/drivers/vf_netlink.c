/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A VF's MAC, VLAN and spoof checking through rtnetlink, as `ip link set
 * <pf> vf N mac M vlan V spoofchk on` does: one RTM_SETLINK on the PF with
 * IFLA_VFINFO_LIST { IFLA_VF_INFO { IFLA_VF_MAC, IFLA_VF_VLAN,
 * IFLA_VF_SPOOFCHK } }, acknowledged by the kernel.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "sl_sriov.h"

struct builder {
	char *buf;
	size_t len, used;
	bool overflow;
};

static void *
put(struct builder *b, size_t n)
{
	size_t room = NLMSG_ALIGN(n);
	void *at;

	if (b->overflow || b->used + room > b->len) {
		b->overflow = true;
		return NULL;
	}
	at = b->buf + b->used;
	memset(at, 0, room);
	b->used += room;
	return at;
}

/* An attribute with a payload; returns it so a nest can be closed. */
static struct rtattr *
put_attr(struct builder *b, unsigned short type, const void *data, size_t n)
{
	struct rtattr *a = put(b, RTA_LENGTH(n));

	if (!a)
		return NULL;
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(n);
	if (n)
		memcpy(RTA_DATA(a), data, n);
	return a;
}

static void
end_nest(struct builder *b, struct rtattr *nest)
{
	if (nest && !b->overflow)
		nest->rta_len = (unsigned short)(b->buf + b->used - (char *)nest);
}

size_t
sl_vf_netlink_build(void *buf, size_t len, int ifindex, uint32_t seq,
		    const struct sl_vf_config *c)
{
	struct builder b = { .buf = buf, .len = len };
	struct nlmsghdr *h = put(&b, NLMSG_HDRLEN);
	struct ifinfomsg *ifi = put(&b, sizeof(*ifi));
	struct ifla_vf_mac mac = { .vf = c->vf };
	struct ifla_vf_vlan vlan = { .vf = c->vf, .vlan = c->vlan };
	struct ifla_vf_spoofchk spoof = { .vf = c->vf, .setting = c->spoofchk };
	struct rtattr *list, *info;

	if (!h || !ifi)
		return 0;
	h->nlmsg_type = RTM_SETLINK;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = seq;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	memcpy(mac.mac, c->mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	list = put_attr(&b, IFLA_VFINFO_LIST | NLA_F_NESTED, NULL, 0);
	info = put_attr(&b, IFLA_VF_INFO | NLA_F_NESTED, NULL, 0);
	put_attr(&b, IFLA_VF_MAC, &mac, sizeof(mac));
	put_attr(&b, IFLA_VF_VLAN, &vlan, sizeof(vlan));
	put_attr(&b, IFLA_VF_SPOOFCHK, &spoof, sizeof(spoof));
	end_nest(&b, info);
	end_nest(&b, list);
	if (b.overflow)
		return 0;
	h->nlmsg_len = (uint32_t)b.used;
	return b.used;
}

/* The kernel's extended ack message, if it sent one. */
static void
ack_message(const struct nlmsghdr *h, char *out, size_t len)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	const struct rtattr *a;
	size_t left;

	out[0] = '\0';
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* without NLM_F_CAPPED the request is echoed after the error */
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (off >= h->nlmsg_len)
		return;
	a = (const struct rtattr *)((const char *)h + NLMSG_ALIGN(off));
	left = h->nlmsg_len - NLMSG_ALIGN(off);
	for (; RTA_OK(a, left); a = RTA_NEXT(a, left))
		if (a->rta_type == NLMSGERR_ATTR_MSG)
			snprintf(out, len, "%.*s", (int)RTA_PAYLOAD(a),
				 (const char *)RTA_DATA(a));
}

static int
exchange(int fd, const void *req, size_t req_len, uint32_t seq, char *kmsg,
	 size_t kmsg_len)
{
	char answer[8192];
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;

	kmsg[0] = '\0';
	if (sendto(fd, req, req_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -errno;
	for (;;) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)answer;
		size_t left;

		n = recv(fd, answer, sizeof(answer), 0);
		if (n < 0)
			return -errno;
		left = (size_t)n;
		for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_seq != seq || h->nlmsg_type != NLMSG_ERROR)
				continue;
			ack_message(h, kmsg, kmsg_len);
			return ((const struct nlmsgerr *)NLMSG_DATA(h))->error;
		}
	}
}

int
sl_vf_netlink_apply(const char *pf_netdev, const struct sl_vf_config *c,
		    char *why, size_t why_len)
{
	char req[512], kmsg[SL_SRIOV_WHY_MAX];
	struct timeval timeout = { .tv_sec = 5 };
	unsigned int ifindex = if_nametoindex(pf_netdev);
	static uint32_t seq;
	size_t len;
	int fd, one = 1, rc;

	if (!ifindex) {
		rc = -errno;
		snprintf(why, why_len, "PF %s: no such network interface (%s)",
			 pf_netdev, strerror(-rc));
		return rc;
	}
	len = sl_vf_netlink_build(req, sizeof(req), (int)ifindex, ++seq, c);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		rc = -errno;
		snprintf(why, why_len, "rtnetlink socket: %s", strerror(-rc));
		return rc;
	}
	/* the kernel then says which attribute it refused, and why */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	rc = exchange(fd, req, len, seq, kmsg, sizeof(kmsg));
	close(fd);
	if (rc == -EOPNOTSUPP)
		snprintf(why, why_len,
			 "the kernel cannot set VF %u of %s: %s has no SR-IOV VF configuration (%s)",
			 c->vf, pf_netdev, pf_netdev, strerror(-rc));
	else if (rc < 0)
		snprintf(why, why_len, "the kernel refused VF %u of %s: %s%s%s",
			 c->vf, pf_netdev, strerror(-rc), kmsg[0] ? ": " : "",
			 kmsg);
	return rc;
}
