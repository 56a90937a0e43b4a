"""Benchmark: `stackkit check` on every environment once synthesis is done.

    .venv/bin/python scripts/bench_check.py [--runs 5]

Synthesizes all environments once into a temporary folder, then runs
``stackkit check --from <that folder>`` ``--runs`` times, each a fresh process as in CI, and
prints each run, the median and the range of the wall time, the number of checks, and the
machine's load average (other work on a 2-core machine shows in the numbers).
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
        subprocess.run([*STACKKIT, "check", "--outdir", outdir], env=env, capture_output=True, check=True)
        print(f"check with synthesis (warm-up): {time.perf_counter() - started:.2f} s")
        walls = []
        for index in range(args.runs):
            started = time.perf_counter()
            result = subprocess.run(
                [*STACKKIT, "check", "--from", outdir], env=env, capture_output=True, text=True, check=True
            )
            walls.append(time.perf_counter() - started)
            summary = next(line for line in result.stdout.splitlines() if re.match(r"\d+ stacks: ", line))
            print(f"run {index + 1}: {walls[-1]:.2f} s  ({summary})")
    print(f"median {statistics.median(walls):.2f} s, range {min(walls):.2f}-{max(walls):.2f} s")
    print(f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
