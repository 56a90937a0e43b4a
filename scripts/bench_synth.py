"""Benchmark: synthesize all environments, stackkit's way vs the obvious-import way, on each CDK.

    .venv/bin/python scripts/bench_synth.py [--runs 5] [--each | --without NAME,...]

Each run is a fresh process (as `cdktf synth` runs the app). Prints, per CDK found (cdktf in
``.venv``; CDK Terrain in ``.venv-cdktn``, made by ``scripts/test_cdktn.sh``), the median wall
time and peak RSS of each way and their ratio. The obvious way imports the provider package
as a user would (``import cdktf_cdktf_provider_aws``: its ``__init__`` imports all submodules;
``import cdktn_provider_aws``: lazy in Python, but it starts the jsii kernel, which then
requires the whole provider index); within one CDK the synthesized JSON must be identical,
so only loading differs. ``--each`` also runs stackkit's way with each loading speed-up switched
off alone (``STACKKIT_FAST_LOAD`` naming the others) and with all of them off (``0``), and prints
what each one buys; ``--without`` names the speed-ups to switch off (one at a time), so the
small ones can be measured with more runs.
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
#: CDK -> (its environment's Python, its provider package, the target ratio of time; CDK Terrain
#: has none: its obvious way is fast already, docs/speed.md).
CDKS = {
    "cdktf": (ROOT / ".venv" / "bin" / "python", "cdktf_cdktf_provider_aws", 0.25),
    "cdktn": (ROOT / ".venv-cdktn" / "bin" / "python", "cdktn_provider_aws", None),
}
#: The loading speed-ups (stackkit._private.loading.SPEEDUPS), each switched off alone by --each.
SPEEDUPS = ("provider-init", "node-index", "version-check", "type-hints", "scopes")


def run_once(python: Path, code: str, outdir: str, fast_load: str = "1") -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, largest process of the tree) of one synthesis."""
    env = dict(os.environ)
    env["PATH"] = f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("NODE_OPTIONS", None)
    env.pop("STACKKIT_CDK", None)
    env["CDKTF_OUTDIR"] = outdir
    env["STACKKIT_FAST_LOAD"] = fast_load
    start = time.perf_counter()
    process = subprocess.Popen([str(python), "-c", code], cwd=ROOT, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"synthesis failed: {code}")
    return elapsed, usage.ru_maxrss / 1024


def same_output(left: Path, right: Path) -> bool:
    """The same stacks (all six), byte for byte."""
    stacks = sorted(path.name for path in (left / "stacks").iterdir())
    if stacks != sorted(path.name for path in (right / "stacks").iterdir()):
        return False
    return all(
        filecmp.cmp(left / "stacks" / name / "cdk.tf.json", right / "stacks" / name / "cdk.tf.json", False)
        for name in stacks
    )


def ways(provider: str, without: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Name -> (code, STACKKIT_FAST_LOAD) of each way to run: stackkit's, the obvious one and
    stackkit's with each speed-up of ``without`` switched off alone (``any``: all of them)."""
    found = {"stackkit": (FAST, "1"), "obvious": (OBVIOUS.replace("{provider}", provider), "1")}
    for speedup in without:
        kept = "0" if speedup == "any" else ",".join(name for name in SPEEDUPS if name != speedup)
        found[f"without {speedup}"] = (FAST, kept)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--each", action="store_true", help="also switch each loading speed-up off alone")
    parser.add_argument("--without", default="", help=f"comma list of {', '.join(SPEEDUPS)}, any")
    args = parser.parse_args()
    without = (*SPEEDUPS, "any") if args.each else tuple(name for name in args.without.split(",") if name)
    if unknown := set(without) - {*SPEEDUPS, "any"}:
        raise SystemExit(f"--without: {', '.join(sorted(unknown))} is not one of {', '.join(SPEEDUPS)}, any")
    found = {cdk: spec for cdk, spec in CDKS.items() if spec[0].exists()}
    if not found:
        raise SystemExit("no environment found: run `uv sync` (cdktf) or scripts/test_cdktn.sh (cdktn)")
    print(f"load average at start: {' '.join(f'{load:.1f}' for load in os.getloadavg())}")
    for cdk, (python, provider, target) in found.items():
        to_run = ways(provider, without)
        with tempfile.TemporaryDirectory() as tmp:
            results: dict[str, list[tuple[float, float]]] = {name: [] for name in to_run}
            for _ in range(args.runs):  # interleaved, so machine noise hits every way alike
                for name, (code, fast_load) in to_run.items():
                    results[name].append(run_once(python, code, f"{tmp}/{name}", fast_load))
            for name in to_run:
                if not same_output(Path(tmp, "stackkit"), Path(tmp, name)):
                    raise SystemExit(f"{cdk}: {name} synthesized other JSON than stackkit's way")
        medians = {
            name: (statistics.median(t for t, _ in runs), statistics.median(m for _, m in runs))
            for name, runs in results.items()
        }
        print(f"{cdk}: runs per way: {args.runs} (all six stacks each run); outputs identical")
        for name, (seconds, mib) in medians.items():
            gain = f"   (+{seconds - medians['stackkit'][0]:5.2f} s)" if name.startswith("without") else ""
            print(f"  {name:>22}: median {seconds:6.2f} s   peak RSS {mib:7.0f} MiB{gain}")
        print(
            f"      ratio: {medians['stackkit'][0] / medians['obvious'][0]:.3f} of the obvious way's time "
            f"(target {'<= ' + str(target) if target else 'none: docs/speed.md'}), "
            f"{medians['stackkit'][1] / medians['obvious'][1]:.2f} of its memory"
        )
    print(f"load average at end: {' '.join(f'{load:.1f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
