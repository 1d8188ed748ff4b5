"""Run a libFuzzer target over its seed corpus, then on new inputs for a
while, without writing into the repository: new inputs go to a corpus
directory of their own (kept, for make fuzz, or thrown away).

    run_fuzz.py TARGET SEEDS SECONDS [WORK_CORPUS]

Exit status: the fuzzer's (0: no crash, leak, timeout or sanitizer
report). A finding is kept as crash-*/leak-*/timeout-* in the current
directory, as libFuzzer writes it, and the command to replay it printed."""
import os
import shutil
import subprocess
import sys
import tempfile

target, seeds, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3])
work = sys.argv[4] if len(sys.argv) > 4 else None
own = work is None
if own:
    work = tempfile.mkdtemp(prefix="sluice-fuzz-")
os.makedirs(work, exist_ok=True)
try:
    r = subprocess.run([target, f"-max_total_time={seconds}", "-timeout=10",
                        "-rss_limit_mb=2048", "-print_final_stats=1", work, seeds])
finally:
    if own:
        shutil.rmtree(work, ignore_errors=True)
if r.returncode:
    print(f"run_fuzz: {os.path.basename(target)} found something: replay with "
          f"{target} crash-* (or leak-*, timeout-*)")
sys.exit(r.returncode)
