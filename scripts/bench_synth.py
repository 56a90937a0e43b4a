"""Benchmark: synthesize all environments, stackkit's way vs the obvious-import way, on each CDK.

    .venv/bin/python scripts/bench_synth.py [--runs 5]

Each run is a fresh process (as `cdktf synth` runs the app). Prints, per CDK found (cdktf in
``.venv``; CDK Terrain in ``.venv-cdktn``, made by ``scripts/test_cdktn.sh``), the median wall
time and peak RSS of each way and their ratio. The obvious way imports the provider package
as a user would (``import cdktf_cdktf_provider_aws``: its ``__init__`` imports all submodules;
``import cdktn_provider_aws``: lazy in Python, but it starts the jsii kernel, which then
requires the whole provider index); within one CDK the synthesized JSON must be identical,
so only loading differs.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Both ways run main.py (the app `cdktf synth` runs); the output folder comes in CDKTF_OUTDIR.
FAST = "import runpy; runpy.run_path('main.py', run_name='__main__')"
OBVIOUS = "import {provider}; " + FAST
#: CDK -> (its environment's Python, its provider package, the target ratio of time).
CDKS = {
    "cdktf": (ROOT / ".venv" / "bin" / "python", "cdktf_cdktf_provider_aws", 0.2),
    "cdktn": (ROOT / ".venv-cdktn" / "bin" / "python", "cdktn_provider_aws", 0.2),
}


def run_once(python: Path, code: str, outdir: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, largest process of the tree) of one synthesis."""
    env = dict(os.environ)
    env["PATH"] = f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("NODE_OPTIONS", None)
    env.pop("STACKKIT_CDK", None)
    env["CDKTF_OUTDIR"] = outdir
    start = time.perf_counter()
    process = subprocess.Popen([str(python), "-c", code], cwd=ROOT, env=env)
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
    found = {cdk: spec for cdk, spec in CDKS.items() if spec[0].exists()}
    if not found:
        raise SystemExit("no environment found: run `uv sync` (cdktf) or scripts/test_cdktn.sh (cdktn)")
    for cdk, (python, provider, target) in found.items():
        ways = {"stackkit": FAST, "obvious": OBVIOUS.replace("{provider}", provider)}
        with tempfile.TemporaryDirectory() as tmp:
            results: dict[str, list[tuple[float, float]]] = {"stackkit": [], "obvious": []}
            for _ in range(args.runs):  # interleaved, so machine noise hits both alike
                for name, code in ways.items():
                    results[name].append(run_once(python, code, f"{tmp}/{name}"))
            if not same_output(Path(tmp, "stackkit"), Path(tmp, "obvious")):
                raise SystemExit(f"{cdk}: the two ways synthesized different JSON")
        medians = {
            name: (statistics.median(t for t, _ in runs), statistics.median(m for _, m in runs))
            for name, runs in results.items()
        }
        print(f"{cdk}: runs per way: {args.runs} (dev, staging, prod each run); outputs identical")
        for name, (seconds, mib) in medians.items():
            print(f"  {name:>9}: median {seconds:6.2f} s   peak RSS {mib:7.0f} MiB")
        print(
            f"      ratio: {medians['stackkit'][0] / medians['obvious'][0]:.3f} of the obvious way's time "
            f"(target <= {target}), {medians['stackkit'][1] / medians['obvious'][1]:.2f} of its memory"
        )


if __name__ == "__main__":
    main()
