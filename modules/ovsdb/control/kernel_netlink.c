/* SPDX-License-Identifier: BSD-3-Clause */
/* The host kernel over rtnetlink (kernel_netlink.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "kernel_netlink.h"

struct found {
	struct sl_kernel_route *r;
	unsigned int ifindex;
	uint32_t want_src;	/* RTM_GETADDR: the address whose prefix */
	int prefix_len;
};

static int
route_attr(const struct nlattr *a, void *arg)
{
	struct found *f = arg;

	switch (mnl_attr_get_type(a)) {
	case RTA_OIF:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			f->ifindex = mnl_attr_get_u32(a);
		break;
	case RTA_PREFSRC:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			f->r->src = ntohl(mnl_attr_get_u32(a));
		break;
	case RTA_GATEWAY:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			f->r->gateway = ntohl(mnl_attr_get_u32(a));
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static int
route_msg(const struct nlmsghdr *nlh, void *arg)
{
	if (nlh->nlmsg_type == RTM_NEWROUTE)
		mnl_attr_parse(nlh, sizeof(struct rtmsg), route_attr, arg);
	return MNL_CB_OK;
}

static int
addr_msg(const struct nlmsghdr *nlh, void *arg)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct found *f = arg;
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWADDR || ifa->ifa_index != f->ifindex)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifa))
		if (mnl_attr_get_type(a) == IFA_LOCAL &&
		    mnl_attr_validate(a, MNL_TYPE_U32) == 0 &&
		    ntohl(mnl_attr_get_u32(a)) == f->want_src)
			f->prefix_len = ifa->ifa_prefixlen;
	return MNL_CB_OK;
}

/* Send the request in nlh and run cb over the answer: one message, or a
 * dump's until its end (NLMSG_DONE stops mnl_cb_run). */
static int
ask(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *arg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int seq = nlh->nlmsg_seq, portid = mnl_socket_get_portid(nl);
	bool dump = nlh->nlmsg_flags & NLM_F_DUMP;
	ssize_t n;
	int rc;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n <= 0)
			return -1;
		rc = mnl_cb_run(buf, (size_t)n, seq, portid, cb, arg);
	} while (dump && rc > MNL_CB_STOP);
	return rc < 0 ? -1 : 0;
}

int
sl_kernel_route_get(uint32_t dst, uint32_t src, struct sl_kernel_route *out,
		    char *why, size_t len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct found f = { .r = out, .prefix_len = -1 };
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	char dst_s[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = htonl(dst) };
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct ifaddrmsg *ifa;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	inet_ntop(AF_INET, &in, dst_s, sizeof(dst_s));
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(why, len, "rtnetlink: %s", strerror(errno));
		goto out;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = (unsigned int)time(NULL);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	mnl_attr_put_u32(nlh, RTA_DST, htonl(dst));
	if (src) {
		rtm->rtm_src_len = 32;
		mnl_attr_put_u32(nlh, RTA_SRC, htonl(src));
	}
	if (ask(nl, nlh, route_msg, &f) < 0 || !f.ifindex || (!out->src && !src)) {
		snprintf(why, len, src ? "the kernel has no route to %s from options:local_ip (is it the host's?)" :
			 "the kernel has no route to %s", dst_s);
		goto out;
	}
	if (src)
		out->src = src;	/* the route from src leaves from src */
	if (!if_indextoname(f.ifindex, out->ifname)) {
		snprintf(why, len, "the route to %s leaves from an interface that went", dst_s);
		goto out;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = (unsigned int)time(NULL) + 1;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	f.want_src = out->src;
	if (ask(nl, nlh, addr_msg, &f) < 0 || f.prefix_len < 0) {
		snprintf(why, len, "the route to %s leaves %s from an address it does not hold",
			 dst_s, out->ifname);
		goto out;
	}
	out->prefix_len = f.prefix_len;
	rc = 0;
out:
	if (nl)
		mnl_socket_close(nl);
	return rc;
}

int
sl_kernel_link_delete(const char *name, char *why, size_t len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int rc = -1;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(why, len, "rtnetlink: %s", strerror(errno));
		goto out;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (unsigned int)time(NULL);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	/* the answer is an acknowledgement: an error code, 0 on success */
	if (ask(nl, nlh, NULL, NULL) < 0) {
		snprintf(why, len, "cannot remove %s: %s", name, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (nl)
		mnl_socket_close(nl);
	return rc;
}
