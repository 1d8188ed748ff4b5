"""sluiced.service under a real systemd (Debian's systemd 252 as PID 1 of
PID and mount namespaces of the test's own): the shipped unit as meson
built it, with the shipped takeover drop-in, only the binary's path and
the options changed. Type=notify start, `systemctl reload` as a takeover
under ping (the main PID moves to the new sluiced, the service never
stops), and `systemctl stop`.

The systemd boots into a target of its own with no dependencies and
nothing of sysinit: the units that would change the host are masked
(tmpfiles would empty the host's /tmp, udev would take the test's veths,
sysctl would set the host's knobs); no journal (the service logs to a
file). /run is a tmpfs of its own; the test's directory is bound into
it. The rest of the filesystem is the host's: the build's sluiced may be
anywhere."""
import json
import os
import re
import signal
import subprocess
import time

import sltest
import takeover_gap
from takeover_gap import Pinger

SYSTEMD = "/lib/systemd/systemd"
UNITS = os.environ.get("SL_SYSTEMD_UNITS", "")
INSIDE = "/run/sluice-test"	# the test's directory, as the namespace sees it

# never started here, whatever pulls them in: they act on the whole host
MASKED = ["systemd-tmpfiles-setup.service", "systemd-tmpfiles-setup-dev.service",
          "systemd-tmpfiles-clean.service", "systemd-tmpfiles-clean.timer",
          "systemd-udevd.service", "systemd-udev-trigger.service",
          "systemd-udevd-control.socket", "systemd-udevd-kernel.socket",
          "systemd-sysctl.service", "systemd-modules-load.service",
          "systemd-remount-fs.service", "systemd-sysusers.service",
          "systemd-journald.service", "systemd-journald.socket"]

TARGET = """[Unit]
Description=sluice's test of its unit
DefaultDependencies=no
"""

BOOT = """set -e
mount -t proc proc /proc
mount -t tmpfs tmpfs /run
mkdir -p {inside} /run/systemd/system
mount --bind {wd} {inside}
cp -r {wd}/units/. /run/systemd/system/
for u in {masked}; do ln -s /dev/null /run/systemd/system/$u; done
exec env container=sluice-test {systemd} --system --unit=sluice-test.target \
    --log-target=console --log-level=notice
"""


def units(wd):
    """The built unit and drop-in, pointed at the build's sluiced, with
    the test's options and log file: {path under units/: text}."""
    with open(os.path.join(UNITS, "sluiced.service")) as f:
        unit = f.read()
    with open(os.path.join(UNITS, "sluiced-takeover.conf")) as f:
        takeover = f.read()
    sbin = re.search(r"^ExecStart=(\S+)/sluiced ", unit, re.M).group(1)
    unit = unit.replace(f"{sbin}/sluiced", sltest.SLUICED)
    takeover = takeover.replace(f"{sbin}/sluiced", sltest.SLUICED)
    assert sltest.SLUICED in takeover, takeover
    # the host's /etc/default/sluice would set SLUICED_OPTS over ours
    unit = re.sub(r"^EnvironmentFile=.*$", "", unit, flags=re.M)
    opts = (f"--state {INSIDE}/state.json --socket {INSIDE}/sluiced.sock "
            "--workers 1")
    test = f"""[Unit]
DefaultDependencies=no
[Service]
Environment="SLUICED_OPTS={opts}"
StandardOutput=append:{INSIDE}/sluiced.log
StandardError=append:{INSIDE}/sluiced.log
"""
    return {"sluice-test.target": TARGET, "sluiced.service": unit,
            "sluiced.service.d/takeover.conf": takeover,
            "sluiced.service.d/test.conf": test}


class Systemd:
    """A systemd of the test's own; systemctl runs in its namespaces."""

    def __init__(self, wd):
        self.wd = wd
        for path, text in units(wd).items():
            full = os.path.join(wd, "units", path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
        self.log = open(os.path.join(wd, "systemd.log"), "w")
        self.unshare = subprocess.Popen(
            ["unshare", "--pid", "--fork", "--mount", "--propagation", "private",
             "sh", "-c", BOOT.format(wd=wd, inside=INSIDE, systemd=SYSTEMD,
                                     masked=" ".join(MASKED))],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = None
        deadline = time.time() + 30
        while time.time() < deadline:
            kids = subprocess.run(["pgrep", "-P", str(self.unshare.pid)],
                                  capture_output=True, text=True).stdout.split()
            if kids:
                self.pid = int(kids[0])
                r = self.systemctl("is-system-running", check=False)
                if r.stdout.strip() in ("running", "degraded"):
                    return
            if self.unshare.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError("systemd did not start: " + self.text())

    def text(self):
        with open(os.path.join(self.wd, "systemd.log")) as f:
            return f.read()

    def run(self, *cmd):
        """A command in systemd's namespaces."""
        return subprocess.run(["nsenter", "-t", str(self.pid), "-m", "-p", *cmd],
                              capture_output=True, text=True, timeout=60)

    def systemctl(self, *args, check=True):
        r = self.run("systemctl", "--no-pager", *args)
        if check:
            assert r.returncode == 0, (args, r.stdout, r.stderr)
        return r

    def show(self, *props):
        out = self.systemctl("show", "sluiced.service",
                             *[f"--property={p}" for p in props]).stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def wait_for(self, pred, what, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            st = self.show("MainPID", "ActiveState", "SubState", "StatusText",
                           "NRestarts", "Result")
            if pred(st):
                return st
            time.sleep(0.1)
        raise AssertionError(f"{what}: {st}\n{self.service_log()}")

    def service_log(self):
        path = os.path.join(self.wd, "sluiced.log")
        if not os.path.exists(path):
            return ""
        with open(path) as f:
            return f.read()

    def kill(self):
        """The namespace's PID 1 killed: every process in it goes."""
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
        self.unshare.wait(timeout=30)
        self.log.close()


def test_service_start_reload_as_takeover_stop():
    wd = sltest.workdir("systemd")
    with open(os.path.join(wd, "state.json"), "w") as f:
        json.dump(takeover_gap.topology().state, f)
    sd = Systemd(wd)
    try:
        # Type=notify: active once READY=1 came, STATUS= the counts
        sd.systemctl("start", "sluiced.service")
        st = sd.show("MainPID", "ActiveState", "SubState", "StatusText")
        assert (st["ActiveState"], st["SubState"]) == ("active", "running"), st
        assert st["StatusText"].startswith("1 network, 3 ports attached"), st
        old = int(st["MainPID"])
        takeover_gap.warm_up()

        # reload: the drop-in's takeover; systemd follows the new main PID
        with Pinger() as p:
            sd.systemctl("reload", "sluiced.service")
            st = sd.wait_for(lambda s: s["MainPID"] not in ("0", str(old)),
                             "the new main PID")
        print(f"     systemctl reload (takeover): longest gap {p.gap_ms():.0f} ms, "
              f"{p.lost()} of {p.sent()} pings lost", flush=True)
        assert p.replied_after_takeover(), p.out
        st = sd.wait_for(lambda s: s["StatusText"].startswith("1 network, 3 ports"),
                         "the new one's status")
        assert (st["ActiveState"], st["SubState"], st["NRestarts"]) == \
            ("active", "running", "0"), st
        new = int(st["MainPID"])
        log = sd.service_log()
        assert f"takeover: 3 port(s) handed over to sluiced pid {new}" in log, log
        assert f"3 port(s) taken over from sluiced pid {old}" in log, log
        # (pids as the namespace numbers them)
        assert "--takeover" in sd.run("cat", f"/proc/{new}/cmdline").stdout
        assert sd.run("test", "-e", f"/proc/{old}").returncode == 1
        takeover_gap.check_ping()

        # stop: STOPPING=1, a clean exit
        sd.systemctl("stop", "sluiced.service")
        st = sd.show("ActiveState", "Result")
        assert (st["ActiveState"], st["Result"]) == ("inactive", "success"), st
        assert "Terminated received, stopping" in sd.service_log(), sd.service_log()
    finally:
        sd.kill()


if __name__ == "__main__":
    if not os.path.exists(SYSTEMD):
        raise SystemExit(f"{SYSTEMD} is not here: make deps installs systemd")
    takeover_gap.setup()
    try:
        sltest.run([test_service_start_reload_as_takeover_stop])
    finally:
        takeover_gap.teardown()
