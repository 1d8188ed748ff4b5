"""The generated reference is what the code says, and works:

- docs/reference/* and tools/completion/sluicectl are exactly what
  gen-reference writes from the code's tables today (run `make reference`
  after changing a command, an option, a drop reason or an error code);
- the man pages render with man and groff reports no warning;
- sluicectl help, help COMMAND, list-commands and --version answer with no
  daemon running;
- the bash completion completes options, command names and parameter names.
"""
import filecmp
import os
import subprocess
import sys
import tempfile

gen, sluicectl, top = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(*args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, **kw)


# 1. no drift
with tempfile.TemporaryDirectory() as tmp:
    completion = os.path.join(tmp, "sluicectl.completion")
    r = run(gen, tmp, completion)
    check(r.returncode == 0, f"gen-reference failed: {r.stderr}")
    pairs = [(os.path.join(tmp, n), os.path.join(top, "docs", "reference", n))
             for n in sorted(os.listdir(tmp)) if n != "sluicectl.completion"]
    pairs.append((completion, os.path.join(top, "tools", "completion", "sluicectl")))
    check(len(pairs) == 9, f"expected 9 generated files, got {len(pairs)}")
    for made, committed in pairs:
        check(os.path.exists(committed) and filecmp.cmp(made, committed, shallow=False),
              f"{os.path.relpath(committed, top)} differs from what the code says: run make reference")

# 2. the man pages render
commands = run(sluicectl, "--socket", "/nonexistent.sock", "list-commands").stdout.split()
for page in ("sluiced.8", "sluicectl.8", "sluice-bench.1", "sluice-tracegen.1",
             "sluice-classifier-bench.1"):
    path = os.path.join(top, "docs", "reference", page)
    r = run("groff", "-man", "-Tutf8", "-ww", "-z", path)
    check(r.returncode == 0 and r.stderr == "", f"groff warns about {page}: {r.stderr}")
    r = run("man", "-l", path, env=dict(os.environ, MANPAGER="cat", MANWIDTH="100"))
    check(r.returncode == 0 and "SYNOPSIS" in r.stdout and "--help" in r.stdout,
          f"man -l {page} does not render: {r.stderr}")
    if page == "sluicectl.8":
        missing = [c for c in commands if c not in r.stdout]
        check(not missing, f"sluicectl.8 lacks {missing}")

# 3. sluicectl without a daemon
check(len(commands) > 50 and "pif-introduce" in commands and "add-rule" in commands,
      f"list-commands without a daemon: {commands}")
r = run(sluicectl, "--socket", "/nonexistent.sock", "help")
check(r.returncode == 0 and "Bonds:" in r.stdout and "tunnel-create" in r.stdout,
      f"help without a daemon: {r.returncode} {r.stdout[:200]} {r.stderr}")
r = run(sluicectl, "--socket", "/nonexistent.sock", "help", "pif-introduce")
check(r.returncode == 0 and "device=<name>" in r.stdout and "(required)" in r.stdout
      and "[network-uuid=<network>]" in r.stdout,
      f"help pif-introduce without a daemon: {r.stdout} {r.stderr}")
r = run(sluicectl, "--socket", "/nonexistent.sock", "help", "no-such-command")
check(r.returncode == 1 and "there is no command 'no-such-command'" in r.stderr,
      f"help of an unknown command: {r.returncode} {r.stderr}")
r = run(sluicectl, "--version")
check(r.returncode == 0 and r.stdout.startswith("sluicectl "), f"--version: {r.stdout}")
r = run(sluicectl, "--socket", "/nonexistent.sock", "network-list")
check(r.returncode == 1 and "is sluiced running?" in r.stderr,
      f"a daemon command without a daemon: {r.stderr}")

# 4. the completion
script = os.path.join(top, "tools", "completion", "sluicectl")


def complete(line):
    """What the completion offers with the cursor at the end of line."""
    words = line.split(" ")
    prog = (f'source "{script}"; COMP_LINE={line!r}; COMP_POINT=${{#COMP_LINE}}; '
            f'COMP_WORDS=({" ".join(repr(w) for w in words)}); '
            f'COMP_CWORD={len(words) - 1}; _sluicectl; printf "%s\\n" "${{COMPREPLY[@]}}"')
    r = run("bash", "-c", prog)
    check(r.returncode == 0, f"completion of {line!r} failed: {r.stderr}")
    return [w for w in r.stdout.split("\n") if w]


def expect_completion(line, expected):
    got = sorted(complete(line))
    check(got == sorted(expected), f"completion of {line!r}: {got}, expected {expected}")


expect_completion("sluicectl pif-int", ["pif-introduce"])
expect_completion("sluicectl --js", ["--json"])
expect_completion("sluicectl pif-introduce dev", ["device=", "devargs="])
expect_completion("sluicectl --socket /x vif-move net", ["network-uuid="])
check("other-config:" in complete("sluicectl network-create "),
      "completion of network-create offers other-config:")
expect_completion("sluicectl help bond-cr", ["bond-create"])
expect_completion("sluicectl pif-plug uuid=ab", [])     # a value: nothing

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"ok: reference up to date, man pages render, {len(commands)} commands "
      "answered without a daemon, completion works")
