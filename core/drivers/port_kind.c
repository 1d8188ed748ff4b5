/* SPDX-License-Identifier: BSD-3-Clause */
/* What differs between port kinds: how they are recognised, named and what
 * must hold before DPDK probes them (so an operator gets a sentence instead of
 * a PMD's log line). */
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_pci.h>

#include "sl_port.h"
#include "devargs.h"

static const struct {
	const char *driver;	/* DPDK vdev driver name */
	enum sl_port_kind kind;
	const char *name;
} kinds[] = {
	{ "net_pcap", SL_PORT_KIND_PCAP, "pcap" },
	{ "net_ring", SL_PORT_KIND_RING, "ring" },
	{ "net_null", SL_PORT_KIND_NULL, "null" },
	{ "net_tap", SL_PORT_KIND_TAP, "tap" },
	{ "net_af_packet", SL_PORT_KIND_AF_PACKET, "af_packet" },
	{ "net_af_xdp", SL_PORT_KIND_AF_XDP, "af_xdp" },
	{ "net_vhost", SL_PORT_KIND_VHOST, "vhost-user" },
};

const char *
sl_port_kind_name(enum sl_port_kind kind)
{
	for (size_t i = 0; i < RTE_DIM(kinds); i++)
		if (kinds[i].kind == kind)
			return kinds[i].name;
	return kind == SL_PORT_KIND_PCI ? "pci" : "vdev";
}

/* "0000:03:00.0" or "03:00.0", optionally followed by ",key=value". */
bool
sl_devargs_is_pci(const char *devargs)
{
	char name[RTE_DEV_NAME_MAX_LEN];
	struct rte_pci_addr addr;
	size_t len = strcspn(devargs, ",");

	if (len == 0 || len >= sizeof(name))
		return false;
	memcpy(name, devargs, len);
	name[len] = '\0';
	return rte_pci_addr_parse(name, &addr) == 0;
}

/* The driver whose name prefixes the vdev name ("net_pcap_x" → net_pcap). */
static int
kind_index(const char *devargs)
{
	size_t best = 0;
	int idx = -1;

	for (size_t i = 0; i < RTE_DIM(kinds); i++) {
		size_t len = strlen(kinds[i].driver);
		/* "net_af_packet" must not be taken for a longer driver name
		 * that merely starts the same way; prefer the longest match. */
		if (strncmp(devargs, kinds[i].driver, len) == 0 && len > best) {
			best = len;
			idx = (int)i;
		}
	}
	return idx;
}

enum sl_port_kind
sl_port_kind_of(const char *devargs)
{
	int i;

	if (sl_devargs_is_pci(devargs))
		return SL_PORT_KIND_PCI;
	i = kind_index(devargs);
	return i < 0 ? SL_PORT_KIND_OTHER : kinds[i].kind;
}

int
sl_port_devargs_normalize(const char *object_name, const char *devargs,
			  char *out, size_t outlen)
{
	const char *comma = strchr(devargs, ',');
	size_t name_len = comma ? (size_t)(comma - devargs) : strlen(devargs);
	char suffix[SL_DEVICE_NAME_MAX];
	size_t j = 0;
	int n;

	if (name_len == 0)
		return -EINVAL;
	if (sl_devargs_is_pci(devargs) || strncmp(devargs, "net_", 4) != 0 ||
	    kind_index(devargs) < 0 ||
	    name_len != strlen(kinds[kind_index(devargs)].driver)) {
		/* PCI, an explicit instance name, or a driver we do not know:
		 * the operator's name is kept as written. */
		n = snprintf(out, outlen, "%s", devargs);
		return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
	}
	for (const char *c = object_name; *c && j < sizeof(suffix) - 1; c++)
		suffix[j++] = isalnum((unsigned char)*c) ? *c : '_';
	suffix[j] = '\0';
	n = snprintf(out, outlen, "%.*s_%s%s", (int)name_len, devargs, suffix,
		     comma ? comma : "");
	return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
}

static int
check_iface_exists(const char *devargs, const char *key, bool required,
		   char *err, size_t errlen)
{
	char ifname[IF_NAMESIZE + 8];

	if (sl_devargs_get(devargs, key, ifname, sizeof(ifname)) < 0) {
		if (!required)
			return 0;
		snprintf(err, errlen, "devargs need %s=<interface>", key);
		return -EINVAL;
	}
	if (if_nametoindex(ifname) == 0) {
		snprintf(err, errlen, "network interface '%s' does not exist",
			 ifname);
		return -ENODEV;
	}
	return 0;
}

static int
check_pcap(const char *devargs, char *err, size_t errlen)
{
	char path[SL_DEVARGS_MAX];
	int rc;

	if (sl_devargs_get(devargs, "rx_pcap", path, sizeof(path)) == 0 &&
	    access(path, R_OK) != 0) {
		snprintf(err, errlen, "cannot read rx_pcap file '%s': %s", path,
			 strerror(errno));
		return -errno;
	}
	if (sl_devargs_get(devargs, "tx_pcap", path, sizeof(path)) == 0) {
		char *slash = strrchr(path, '/');
		const char *dir = ".";

		if (slash) {
			*slash = '\0';
			dir = path[0] ? path : "/";
		}
		if (access(dir, W_OK) != 0) {
			snprintf(err, errlen,
				 "cannot write tx_pcap file in '%s': %s", dir,
				 strerror(errno));
			return -errno;
		}
	}
	rc = check_iface_exists(devargs, "iface", false, err, errlen);
	if (rc == 0)
		rc = check_iface_exists(devargs, "rx_iface", false, err, errlen);
	if (rc == 0)
		rc = check_iface_exists(devargs, "tx_iface", false, err, errlen);
	return rc;
}

/* A vhost-user server socket left by a previous run makes bind() fail;
 * remove it, but never anything that is not a socket. */
static int
check_vhost(const char *devargs, char *err, size_t errlen)
{
	char path[SL_DEVARGS_MAX], client[8] = "0";
	struct stat st;

	if (sl_devargs_get(devargs, "iface", path, sizeof(path)) < 0) {
		snprintf(err, errlen, "devargs need iface=<vhost-user socket path>");
		return -EINVAL;
	}
	sl_devargs_get(devargs, "client", client, sizeof(client));
	if (strcmp(client, "1") == 0 || lstat(path, &st) != 0)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "'%s' exists and is not a socket", path);
		return -EEXIST;
	}
	if (unlink(path) != 0) {
		snprintf(err, errlen, "cannot remove stale socket '%s': %s",
			 path, strerror(errno));
		return -errno;
	}
	return 0;
}

bool
sl_port_kind_keeps_rx_buffers(enum sl_port_kind kind)
{
	return kind == SL_PORT_KIND_AF_XDP;
}

int
sl_port_kind_check(enum sl_port_kind kind, const char *devargs, char *err,
		   size_t errlen)
{
	switch (kind) {
	case SL_PORT_KIND_PCAP:
		return check_pcap(devargs, err, errlen);
	case SL_PORT_KIND_AF_PACKET:
	case SL_PORT_KIND_AF_XDP:
		return check_iface_exists(devargs, "iface", true, err, errlen);
	case SL_PORT_KIND_VHOST:
		return check_vhost(devargs, err, errlen);
	default:
		return 0;
	}
}
