"""make fuzz-coverage: run every fuzz target (built with clang's
source-based coverage: -Dfuzz_coverage=true) over its seed corpus and
what make fuzz found since, then print what they reached of the
datapath's files (lines and functions, by llvm-cov).

    fuzz_coverage.py BUILD_DIR SOURCE_DIR [MORE_CORPUS_DIR]

MORE_CORPUS_DIR/<target> (make fuzz's $(BUILD)/fuzz-corpus) is added
where it exists."""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

build, top = sys.argv[1], os.path.abspath(sys.argv[2])
more = sys.argv[3] if len(sys.argv) > 3 else None
work = tempfile.mkdtemp(prefix="sluice-fuzzcov-")
targets = sorted(os.listdir(os.path.join(top, "tests", "fuzz", "corpus")))
profiles, binaries = [], []
try:
    for t in targets:
        exe = os.path.join(build, "tests", "fuzz", f"fuzz_{t}")
        corpora = [os.path.join(top, "tests", "fuzz", "corpus", t)]
        if more and os.path.isdir(os.path.join(more, t)):
            corpora.append(os.path.join(more, t))
        raw = os.path.join(work, f"{t}-%p.profraw")
        # -runs=0: each input of the corpora once, nothing new
        r = subprocess.run([exe, "-runs=0", *corpora], capture_output=True,
                           env=dict(os.environ, LLVM_PROFILE_FILE=raw))
        if r.returncode:
            raise SystemExit(f"fuzz_{t} failed over its corpus:\n{r.stderr.decode()[-2000:]}")
        binaries.append(exe)
    profiles = glob.glob(os.path.join(work, "*.profraw"))
    merged = os.path.join(work, "all.profdata")
    subprocess.run(["llvm-profdata", "merge", "-sparse", *profiles, "-o", merged], check=True)
    out = subprocess.run(["llvm-cov", "export", "-summary-only", f"-instr-profile={merged}",
                          binaries[0], *[f"-object={b}" for b in binaries[1:]]],
                         capture_output=True, text=True, check=True).stdout
finally:
    shutil.rmtree(work, ignore_errors=True)

# a file built into two targets separately (the parser's own build and
# the daemon's) is listed once per build: the better of them is kept
best = {}
for f in json.loads(out)["data"][0]["files"]:
    name = os.path.relpath(os.path.realpath(f["filename"]), top)
    if not (name.startswith("core/datapath/") or
            (name.startswith("modules/") and "/datapath/" in name)) or not name.endswith(".c"):
        continue
    s = f["summary"]
    if name not in best or s["lines"]["covered"] > best[name]["lines"]["covered"]:
        best[name] = s
rows = [(name, s["lines"]["percent"], s["lines"]["count"], s["functions"]["percent"])
        for name, s in best.items()]
lines = sum(s["lines"]["count"] for s in best.values())
covered = sum(s["lines"]["covered"] for s in best.values())
print(f"What the fuzz targets' corpora reach of the datapath ({len(targets)} targets):")
print("| file | lines | of | functions |")
print("|---|---|---|---|")
for name, lp, n, fp in sorted(rows):
    print(f"| {name} | {lp:.0f} % | {n} | {fp:.0f} % |")
print(f"| all | {100.0 * covered / max(lines, 1):.0f} % | {lines} | |")
