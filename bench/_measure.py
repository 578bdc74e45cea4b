"""Timing a whole command, and the peak memory of it and every process it starts, for the benches that
compare BookDesk's commands with calibre's (import.py, calibre_import.py)."""

from __future__ import annotations

import json
import subprocess
import sys

# Runs a command; reports its wall time and the peak of the summed RSS of it and every process
# it starts (BookDesk reads books in worker processes), sampled every 20 ms from /proc.
_MEASURE = """
import json, os, subprocess, sys, time

def tree_rss_kb(root):
    parents = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    parents[int(pid)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/status") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total

import tempfile
out_file, err_file = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")  # a pipe would fill and block
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=out_file, stderr=err_file, text=True)
peak = 0
while child.poll() is None:
    peak = max(peak, tree_rss_kb(child.pid))
    time.sleep(0.02)
seconds = time.perf_counter() - start
out_file.seek(0)
err_file.seek(0)
out, err = out_file.read(), err_file.read()
print(json.dumps({"seconds": seconds, "peak_kb": peak, "rc": child.returncode, "stdout": out, "stderr": err[-2000:]}))
"""


def measure(command: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, env=env,
                          check=True)
    result = json.loads(done.stdout)
    if result["rc"] not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({result['rc']}): {result['stderr']}")
    return result
