"""Benchmark: `stackkit check` on every environment once synthesis is done.

    .venv/bin/python scripts/bench_check.py [--runs 5]

Synthesizes all environments once into a temporary folder, then runs
``stackkit check --from <that folder>`` ``--runs`` times, each a fresh process as in CI, and
prints each run, the median and the range of the wall time, the number of checks, the IAM
analysis' share (its own timer, printed by ``stackkit check``), and the machine's load average
(other work on a 2-core machine shows in the numbers). A run that finds failures (exit 1) counts:
the time is the same; only a tool error (exit 2) stops the benchmark.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STACKKIT = [sys.executable, "-m", "stackkit.cli"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "PATH": f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory(prefix="bench-check-") as outdir:
        started = time.perf_counter()
        _check(["--outdir", outdir], env)
        print(f"check with synthesis (warm-up): {time.perf_counter() - started:.2f} s")
        walls, iam = [], []
        for index in range(args.runs):
            started = time.perf_counter()
            result = _check(["--from", outdir], env)
            walls.append(time.perf_counter() - started)
            summary = next(line for line in result.stdout.splitlines() if re.match(r"\d+ stacks: ", line))
            found = re.search(r"of which IAM analysis ([\d.]+) s", result.stdout)
            iam.append(float(found.group(1)) if found else 0.0)
            print(f"run {index + 1}: {walls[-1]:.2f} s, IAM analysis {iam[-1]:.1f} s  ({summary})")
    print(f"median {statistics.median(walls):.2f} s, range {min(walls):.2f}-{max(walls):.2f} s")
    print(f"IAM analysis: median {statistics.median(iam):.1f} s, range {min(iam):.1f}-{max(iam):.1f} s")
    print(f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())} on {os.cpu_count()} CPUs")


def _check(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*STACKKIT, "check", *args], env=env, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        command = " ".join(args)
        raise SystemExit(f"stackkit check {command} exited {result.returncode}:\n{result.stderr[-2000:]}")
    return result


if __name__ == "__main__":
    main()
