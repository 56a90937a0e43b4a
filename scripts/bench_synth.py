"""Benchmark: synthesize all environments, stackkit's way vs the obvious-import way.

    .venv/bin/python scripts/bench_synth.py [--runs 5]

Each run is a fresh process (as `cdktf synth` runs the app). Prints the median wall time and
peak RSS of each way and their ratio. The obvious way imports the provider package as a
user would (``import cdktf_cdktf_provider_aws``: its ``__init__`` imports all submodules,
and the jsii kernel requires the whole provider index); the synthesized JSON must be
identical, so only loading differs.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAST = "from stacks.app import synth; synth({outdir!r})"
OBVIOUS = "import cdktf_cdktf_provider_aws; from stacks.app import synth; synth({outdir!r})"


def run_once(code: str, outdir: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, largest process of the tree) of one synthesis."""
    env = dict(os.environ)
    env["PATH"] = f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("NODE_OPTIONS", None)
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code.format(outdir=outdir)], cwd=ROOT, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"synthesis failed: {code}")
    return elapsed, usage.ru_maxrss / 1024


def same_output(left: Path, right: Path) -> bool:
    for env in ("dev", "staging", "prod"):
        if not filecmp.cmp(
            left / "stacks" / env / "cdk.tf.json", right / "stacks" / env / "cdk.tf.json", False
        ):
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results: dict[str, list[tuple[float, float]]] = {"stackkit": [], "obvious": []}
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            for name, code in (("stackkit", FAST), ("obvious", OBVIOUS)):
                results[name].append(run_once(code, f"{tmp}/{name}"))
        if not same_output(Path(tmp, "stackkit"), Path(tmp, "obvious")):
            raise SystemExit("the two ways synthesized different JSON")
    medians = {
        name: (statistics.median(t for t, _ in runs), statistics.median(m for _, m in runs))
        for name, runs in results.items()
    }
    print(f"runs per way: {args.runs} (dev, staging, prod each run); outputs identical")
    for name, (seconds, mib) in medians.items():
        print(f"{name:>9}: median {seconds:6.2f} s   peak RSS {mib:7.0f} MiB")
    print(
        f"    ratio: {medians['stackkit'][0] / medians['obvious'][0]:.2f} of the obvious way's time "
        f"(target <= 0.25), {medians['stackkit'][1] / medians['obvious'][1]:.2f} of its memory"
    )


if __name__ == "__main__":
    main()
