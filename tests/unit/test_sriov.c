/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SR-IOV drivers: the RTM_SETLINK request that programs a VF, decoded with
 * the kernel's own netlink macros (not with our builder), and the sysfs
 * reading of a PF on a tree made here (this machine has no SR-IOV NIC).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "sl_sriov.h"

static const struct sl_vf_config cfg = {
	.vf = 5, .mac = { { 0x02, 0x00, 0x00, 0x00, 0x5a, 0x01 } },
	.vlan = 42, .spoofchk = true,
};

static void
test_netlink_encoding(void **state)
{
	char buf[512];
	size_t len = sl_vf_netlink_build(buf, sizeof(buf), 7, 99, &cfg);
	const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const struct rtattr *list, *info, *a;
	unsigned int seen = 0;
	size_t left;

	(void)state;
	assert_true(len > 0);
	assert_int_equal(h->nlmsg_len, len);
	assert_int_equal(h->nlmsg_type, RTM_SETLINK);
	assert_int_equal(h->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(h->nlmsg_seq, 99);
	assert_int_equal(ifi->ifi_family, AF_UNSPEC);
	assert_int_equal(ifi->ifi_index, 7);
	/* one attribute after the ifinfomsg: the VF list, nested */
	list = (const struct rtattr *)((const char *)ifi + NLMSG_ALIGN(sizeof(*ifi)));
	left = len - NLMSG_LENGTH(sizeof(*ifi));
	assert_true(RTA_OK(list, left));
	assert_int_equal(list->rta_type & NLA_TYPE_MASK, IFLA_VFINFO_LIST);
	assert_true(list->rta_type & NLA_F_NESTED);
	assert_int_equal(RTA_ALIGN(list->rta_len), left);
	info = RTA_DATA(list);
	assert_int_equal(info->rta_type & NLA_TYPE_MASK, IFLA_VF_INFO);
	assert_int_equal(info->rta_len, RTA_PAYLOAD(list));
	left = RTA_PAYLOAD(info);
	for (a = RTA_DATA(info); RTA_OK(a, left); a = RTA_NEXT(a, left)) {
		switch (a->rta_type) {
		case IFLA_VF_MAC: {
			const struct ifla_vf_mac *m = RTA_DATA(a);

			assert_int_equal(RTA_PAYLOAD(a), sizeof(*m));
			assert_int_equal(m->vf, 5);
			assert_memory_equal(m->mac, cfg.mac.addr_bytes, 6);
			for (int i = 6; i < 32; i++)
				assert_int_equal(m->mac[i], 0);
			seen |= 1;
			break;
		}
		case IFLA_VF_VLAN: {
			const struct ifla_vf_vlan *v = RTA_DATA(a);

			assert_int_equal(RTA_PAYLOAD(a), sizeof(*v));
			assert_int_equal(v->vf, 5);
			assert_int_equal(v->vlan, 42);
			assert_int_equal(v->qos, 0);
			seen |= 2;
			break;
		}
		case IFLA_VF_SPOOFCHK: {
			const struct ifla_vf_spoofchk *sc = RTA_DATA(a);

			assert_int_equal(RTA_PAYLOAD(a), sizeof(*sc));
			assert_int_equal(sc->vf, 5);
			assert_int_equal(sc->setting, 1);
			seen |= 4;
			break;
		}
		default:
			fail_msg("unexpected VF attribute %u", a->rta_type);
		}
	}
	assert_int_equal(left, 0);
	assert_int_equal(seen, 7);
	/* a buffer one byte short: nothing half-written is sent */
	assert_int_equal(sl_vf_netlink_build(buf, len - 1, 7, 99, &cfg), 0);
	assert_int_equal(sl_vf_netlink_build(buf, 8, 7, 99, &cfg), 0);
}

static void
test_netlink_no_such_pf(void **state)
{
	char why[SL_SRIOV_WHY_MAX] = "";

	(void)state;
	assert_int_equal(sl_vf_netlink_apply("nosuchpf0", &cfg, why, sizeof(why)),
			 -ENODEV);
	assert_non_null(strstr(why, "PF nosuchpf0: no such network interface"));
}

static void
put_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
read_file(const char *dir, const char *name, char *out, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(out, (int)len, f));
	fclose(f);
}

static void
test_sysfs(void **state)
{
	char root[] = "/tmp/sl-test-sriov-XXXXXX", dev[256], path[512], text[32];
	char why[SL_SRIOV_WHY_MAX] = "";
	struct sl_sriov_pf *pf = calloc(1, sizeof(*pf));

	(void)state;
	assert_non_null(mkdtemp(root));
	/* DPDK's PF: found by its PCI address */
	snprintf(dev, sizeof(dev), "%s/bus", root);
	mkdir(dev, 0755);
	snprintf(dev, sizeof(dev), "%s/bus/pci", root);
	mkdir(dev, 0755);
	snprintf(dev, sizeof(dev), "%s/bus/pci/devices", root);
	mkdir(dev, 0755);
	assert_int_equal(sl_sriov_pf_read(root, NULL, "0000:03:00.0", pf, why,
					  sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "0000:03:00.0 has no PCI device"));
	snprintf(dev, sizeof(dev), "%s/bus/pci/devices/0000:03:00.0", root);
	mkdir(dev, 0755);
	assert_int_equal(sl_sriov_pf_read(root, NULL, "0000:03:00.0", pf, why,
					  sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "is not SR-IOV capable"));
	put_file(dev, "sriov_totalvfs", "0\n");
	assert_int_equal(sl_sriov_pf_read(root, NULL, "0000:03:00.0", pf, why,
					  sizeof(why)), -ENODEV);
	put_file(dev, "sriov_totalvfs", "2\n");
	put_file(dev, "sriov_numvfs", "1\n");
	snprintf(path, sizeof(path), "%s/virtfn1", dev);
	assert_int_equal(symlink("../0000:03:10.2", path), 0);
	assert_int_equal(sl_sriov_pf_read(root, NULL, "0000:03:00.0", pf, why,
					  sizeof(why)), 0);
	assert_int_equal(pf->total_vfs, 2);
	assert_int_equal(pf->num_vfs, 1);
	/* virtfn0 is missing: only VF 1 is there */
	assert_int_equal(pf->nb_vfs, 1);
	assert_int_equal(pf->vfs[0].index, 1);
	assert_string_equal(pf->vfs[0].pci, "0000:03:10.2");
	assert_string_equal(pf->driver, "");
	/* more than it has is what it has */
	assert_int_equal(sl_sriov_pf_set_numvfs(pf, 9, why, sizeof(why)), 0);
	read_file(dev, "sriov_numvfs", text, sizeof(text));
	assert_string_equal(text, "2\n");
	assert_int_equal(pf->num_vfs, 2);
	assert_int_equal(sl_sriov_pf_set_numvfs(pf, 0, why, sizeof(why)), 0);
	read_file(dev, "sriov_numvfs", text, sizeof(text));
	assert_string_equal(text, "0\n");
	/* a driver that refuses the write */
	snprintf(path, sizeof(path), "%s/sriov_numvfs", dev);
	unlink(path);
	assert_int_equal(symlink("/dev/full", path), 0);
	assert_int_equal(sl_sriov_pf_set_numvfs(pf, 2, why, sizeof(why)), -ENOSPC);
	assert_non_null(strstr(why, "writing 2 to"));
	free(pf);
	assert_int_equal(system((snprintf(path, sizeof(path), "rm -rf %s", root), path)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netlink_encoding),
		cmocka_unit_test(test_netlink_no_such_pf),
		cmocka_unit_test(test_sysfs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
