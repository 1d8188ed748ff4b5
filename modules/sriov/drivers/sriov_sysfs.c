/* SPDX-License-Identifier: BSD-3-Clause */
/* SR-IOV PFs in sysfs: discovery, VF count, the VFs' PCI addresses. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_sriov.h"

const char *
sl_sriov_mode_name(enum sl_sriov_mode mode)
{
	return mode == SL_SRIOV_MODE_SYSFS ? "sysfs" : "modprobe";
}

static int
read_uint(const char *dir, const char *name, unsigned int *out)
{
	char path[SL_SYSFS_PATH_MAX + 64], text[32];
	FILE *f;
	char *end;
	unsigned long v;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(text, sizeof(text), f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || end == text || (*end && *end != '\n') || v > UINT_MAX)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

/* The last component of a symlink's target: a PCI address or a driver. */
static int
link_basename(const char *dir, const char *name, char *out, size_t len)
{
	char path[SL_SYSFS_PATH_MAX + 64], target[PATH_MAX];
	ssize_t n;
	const char *base;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return -ENAMETOOLONG;
	snprintf(out, len, "%s", base);
	return 0;
}

static void
read_vfs(struct sl_sriov_pf *pf)
{
	pf->nb_vfs = 0;
	/* virtfn links are numbered 0..numvfs-1; a PF never has more than
	 * sriov_totalvfs */
	for (unsigned int i = 0; i < pf->total_vfs && i < SL_SRIOV_MAX_VFS; i++) {
		char name[32];
		struct sl_sriov_vf *vf = &pf->vfs[pf->nb_vfs];

		snprintf(name, sizeof(name), "virtfn%u", i);
		if (link_basename(pf->dir, name, vf->pci, sizeof(vf->pci)) < 0)
			continue;
		vf->index = (uint16_t)i;
		pf->nb_vfs++;
	}
}

int
sl_sriov_pf_read(const char *sysfs_root, const char *netdev, const char *pci,
		 struct sl_sriov_pf *pf, char *why, size_t why_len)
{
	int rc;

	memset(pf, 0, sizeof(*pf));
	if (netdev)
		snprintf(pf->dir, sizeof(pf->dir), "%s/class/net/%s/device",
			 sysfs_root, netdev);
	else
		snprintf(pf->dir, sizeof(pf->dir), "%s/bus/pci/devices/%s",
			 sysfs_root, pci);
	if (access(pf->dir, F_OK) != 0) {
		rc = -errno;
		snprintf(why, why_len, "%s has no PCI device (%s does not exist)",
			 netdev ? netdev : pci, pf->dir);
		return rc;
	}
	rc = read_uint(pf->dir, "sriov_totalvfs", &pf->total_vfs);
	if (rc < 0) {
		snprintf(why, why_len,
			 "%s is not SR-IOV capable: %s/sriov_totalvfs: %s",
			 netdev ? netdev : pci, pf->dir, strerror(-rc));
		return rc;
	}
	if (pf->total_vfs == 0) {
		snprintf(why, why_len, "%s is not SR-IOV capable: sriov_totalvfs is 0",
			 netdev ? netdev : pci);
		return -ENODEV;
	}
	if (read_uint(pf->dir, "sriov_numvfs", &pf->num_vfs) < 0)
		pf->num_vfs = 0;
	if (link_basename(pf->dir, "driver", pf->driver, sizeof(pf->driver)) < 0)
		pf->driver[0] = '\0';
	read_vfs(pf);
	return 0;
}

static int
write_numvfs(const struct sl_sriov_pf *pf, unsigned int n)
{
	char path[SL_SYSFS_PATH_MAX + 64], text[16];
	int fd, len, rc = 0;

	snprintf(path, sizeof(path), "%s/sriov_numvfs", pf->dir);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(text, sizeof(text), "%u\n", n);
	errno = 0;
	if (write(fd, text, (size_t)len) != len)
		rc = errno ? -errno : -EIO;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}

int
sl_sriov_pf_set_numvfs(struct sl_sriov_pf *pf, unsigned int n, char *why,
		       size_t why_len)
{
	int rc = 0;

	if (n > pf->total_vfs)
		n = pf->total_vfs;
	if (pf->num_vfs == n)
		goto done;
	/* the kernel takes a new count only from 0 */
	if (pf->num_vfs != 0)
		rc = write_numvfs(pf, 0);
	if (rc == 0 && n != 0)
		rc = write_numvfs(pf, n);
	if (rc < 0) {
		snprintf(why, why_len, "writing %u to %s/sriov_numvfs failed: %s",
			 n, pf->dir, strerror(-rc));
		return rc;
	}
	pf->num_vfs = n;
done:
	read_vfs(pf);
	return 0;
}
