# SPDX-License-Identifier: BSD-3-Clause
"""The package, as an operator gets it.

`make deb` builds the Debian package with debhelper (lintian finds no
error) without leaving anything in the tree; the package, unpacked into a
scratch root, holds a sluiced that runs, man pages that render, units that
`systemd-analyze verify` accepts (against the scratch root: the units'
ExecStart is the packaged binary), the socket's group and directories at
the paths sluiced uses by default, and maintainer scripts that create the
group before the directories that name it. `meson install --destdir` (what
`make install` runs) lays out the same files under the build's prefix.
"""
import glob
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback

top, build, version = sys.argv[1], sys.argv[2], sys.argv[3]
work = os.path.join(build, "package-test")
debs = os.path.join(work, "deb")


def run(*args, **kw):
    kw.setdefault("timeout", 120)
    return subprocess.run(args, capture_output=True, text=True, **kw)


def ok(*args, **kw):
    r = run(*args, **kw)
    assert r.returncode == 0, (args, r.returncode, r.stdout[-3000:], r.stderr[-3000:])
    return r.stdout


def git_status():
    return ok("git", "-C", top, "status", "--porcelain", "--untracked-files=all")


def unpack(deb):
    root = os.path.join(work, "root")
    shutil.rmtree(root, ignore_errors=True)
    ok("dpkg-deb", "-x", deb, root)
    return root


def the_package():
    """make deb into the build directory; the .deb's path."""
    before = git_status()
    r = run("make", "-C", top, "deb", f"DEB_BUILD={debs}", timeout=1500)
    assert r.returncode == 0, (r.stdout[-5000:], r.stderr[-5000:])
    errors = [l for l in (r.stdout + r.stderr).splitlines() if l.startswith("E: ")]
    assert not errors, errors
    assert git_status() == before, "make deb left files in the tree:\n" + git_status()
    found = glob.glob(os.path.join(debs, f"sluice_{version}_*.deb"))
    assert len(found) == 1, os.listdir(debs)
    return found[0]


def test_programs_run(root):
    out = ok(f"{root}/usr/sbin/sluiced", "--version")
    assert out == f"sluiced {version}\n", out
    assert f"sluicectl {version}" in ok(f"{root}/usr/bin/sluicectl", "--version")
    for prog in ("sluice-bench", "sluice-tracegen"):
        assert os.access(f"{root}/usr/bin/{prog}", os.X_OK), prog
    plugin = f"{root}/etc/xapi.d/plugins/sdncontroller.py"
    assert os.access(plugin, os.X_OK), "the XAPI plugin must be executable"
    with open(plugin) as f, open(f"{top}/tools/xapi/sdncontroller.py") as g:
        assert f.read() == g.read()
    comp = f"{root}/usr/share/bash-completion/completions/sluicectl"
    assert "complete -F" in open(comp).read()


def test_man_pages(root):
    env = dict(os.environ, MANPAGER="cat", MANWIDTH="100")
    for page, name in (("man8/sluiced.8.gz", "sluiced"),
                       ("man8/sluicectl.8.gz", "sluicectl"),
                       ("man1/sluice-bench.1.gz", "sluice-bench"),
                       ("man1/sluice-tracegen.1.gz", "sluice-tracegen"),
                       ("man1/sluice-classifier-bench.1.gz", "sluice-classifier-bench")):
        out = ok("man", "-l", f"{root}/usr/share/man/{page}", env=env)
        assert "SYNOPSIS" in out and name in out and "--help" in out, (page, out[:500])


def test_paths_agree(root):
    """The directories tmpfiles.d makes and the group sysusers.d makes are
    those of sluiced's own defaults, as its --help says them."""
    helptext = ok(f"{root}/usr/sbin/sluiced", "--help")
    sock = re.search(r"control socket \(default (\S+)\)", helptext).group(1)
    state = re.search(r"state file \(default (\S+)\)", helptext).group(1)
    group = re.search(r"default (\S+) if it exists", helptext).group(1)
    dirs = {}
    for line in open(f"{root}/usr/lib/tmpfiles.d/sluice.conf"):
        f = line.split()
        if f and not f[0].startswith("#"):
            assert f[0] == "d", line
            dirs[f[1]] = (f[2], f[3], f[4])
    assert dirs == {os.path.dirname(sock): ("0750", "root", group),
                    os.path.dirname(state): ("0750", "root", "root")}, dirs
    users = [l.split() for l in open(f"{root}/usr/lib/sysusers.d/sluice.conf")
             if l.strip() and not l.startswith("#")]
    assert users == [["g", group, "-", "-"]], users
    # the default file's variable is empty: the defaults above apply
    out = ok("sh", "-c", f'. {root}/etc/default/sluice && printf "[%s]" "$SLUICED_OPTS"')
    assert out == "[]", out


def test_units_verify(root):
    """systemd-analyze verify, offline, against the scratch root: systemd's
    own units are copied in beside the package's, so the dependencies
    resolve and ExecStart must be the packaged sluiced."""
    units = f"{root}/lib/systemd/system"
    for f in glob.glob("/lib/systemd/system/*"):
        if not os.path.lexists(os.path.join(units, os.path.basename(f))):
            ok("cp", "-a", f, units)
    env = dict(os.environ, MANPATH=f"{root}/usr/share/man")
    r = run("systemd-analyze", "verify", f"--root={root}",
            "sluiced.service", "sluiced-ovsdb.service", env=env)
    assert r.returncode == 0 and r.stderr == "", (r.returncode, r.stderr)
    text = {u: open(f"{units}/{u}").read()
            for u in ("sluiced.service", "sluiced-ovsdb.service")}
    for u, t in text.items():
        for line in ("Type=notify", "Restart=on-failure",
                     "EnvironmentFile=-/etc/default/sluice",
                     "NotifyAccess=main"):
            assert line in t.splitlines(), (u, line)
        assert re.search(r"^WatchdogSec=\d+", t, re.M), u
        assert re.search(r"^ExecStart=/usr/sbin/sluiced .*\$SLUICED_OPTS$", t, re.M), u
    ovs = text["sluiced-ovsdb.service"]
    assert "After=ovsdb-server.service" in ovs.splitlines()
    assert re.search(r"^Conflicts=.*\bovs-vswitchd\.service\b", ovs, re.M)
    assert "--ovsdb ${SLUICED_OVSDB_REMOTE}" in ovs
    # and systemd notices a broken unit: the check can fail
    bad = f"{units}/sluiced-broken.service"
    with open(bad, "w") as f:
        f.write(text["sluiced.service"].replace("Type=notify", "Type=notfy"))
    r = run("systemd-analyze", "verify", f"--root={root}", "sluiced-broken.service", env=env)
    assert "Type=notfy" in r.stderr or "notfy" in r.stderr, r.stderr
    os.unlink(bad)


def test_control(deb):
    info = ok("dpkg-deb", "-I", deb)
    depends = re.search(r"^ Depends: (.*)$", info, re.M).group(1)
    # from ${shlibs:Depends}: the DPDK libraries sluiced links
    assert "librte-eal23" in depends and "libsystemd0" in depends, depends
    assert "librte-net-af-xdp23" in depends, depends
    ctl = tempfile.mkdtemp(dir=work)
    ok("dpkg-deb", "-e", deb, ctl)
    conffiles = open(f"{ctl}/conffiles").read().split()
    assert "/etc/default/sluice" in conffiles, conffiles
    postinst = open(f"{ctl}/postinst").read()
    assert postinst.index("systemd-sysusers") < postinst.index("systemd-tmpfiles"), postinst
    # installing the package enables (and so starts) neither unit, a
    # busy-polling switch: debhelper enables a unit only if it was enabled
    # before (debian-installed), as --no-enable has it
    for unit in ("sluiced.service", "sluiced-ovsdb.service"):
        assert f"deb-systemd-helper debian-installed '{unit}'" in postinst, postinst
    assert "rm -rf /var/lib/sluice" in open(f"{ctl}/postrm").read()


def test_meson_install():
    """What `make install` does: meson install of the build directory."""
    dest = os.path.join(work, "destdir")
    shutil.rmtree(dest, ignore_errors=True)
    ok("meson", "install", "-C", build, "--no-rebuild", "--destdir", dest,
       "--quiet", timeout=300)
    opts = {o["name"]: o["value"]
            for o in json.loads(ok("meson", "introspect", "--buildoptions", build))}
    prefix = opts["prefix"]
    sbin = os.path.join(prefix, opts["sbindir"])
    assert os.access(f"{dest}{sbin}/sluiced", os.X_OK)
    for prog in ("sluicectl", "sluice-bench", "sluice-tracegen"):
        assert os.access(f"{dest}{prefix}/bin/{prog}", os.X_OK), prog
    unit = glob.glob(f"{dest}/**/sluiced.service", recursive=True)
    assert len(unit) == 1, unit
    assert f"ExecStart={sbin}/sluiced $SLUICED_OPTS" in open(unit[0]).read()
    for page in ("man8/sluiced.8", "man8/sluicectl.8", "man1/sluice-bench.1",
                 "man1/sluice-tracegen.1", "man1/sluice-classifier-bench.1"):
        assert os.path.exists(f"{dest}{prefix}/share/man/{page}"), page


def main():
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    failed = 0
    try:
        deb = the_package()
        root = unpack(deb)
        print("ok   make_deb", flush=True)
    except Exception:
        print("FAIL make_deb", flush=True)
        traceback.print_exc()
        sys.exit(1)
    steps = [(test_programs_run, root), (test_man_pages, root),
             (test_paths_agree, root), (test_units_verify, root),
             (test_control, deb), (test_meson_install, None)]
    for fn, arg in steps:
        try:
            fn() if arg is None else fn(arg)
            print(f"ok   {fn.__name__}", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {fn.__name__}", flush=True)
            traceback.print_exc()
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
