"""The mutation score per module after ``mutmut run`` (see scripts/mutation.sh).

Reads mutmut's results under ``mutants/``; a survivor that ``mutation-equivalents.toml`` explains
(the changed line as it was, the mutants of it, and why no behaviour differs) is equivalent and leaves the
module's count; every other survivor is printed with its diff. Exits 1 when a held module is
below ``--min`` percent killed (default 90).
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENTS = ROOT / "mutation-equivalents.toml"
KILLED = {"killed", "timeout", "caught by type check"}


def _changed(diff: str) -> tuple[str, str]:
    lines = [line for line in diff.splitlines() if not line.startswith(("---", "+++"))]
    removed = " ".join(line[1:].strip() for line in lines if line.startswith("-"))
    added = " ".join(line[1:].strip() for line in lines if line.startswith("+"))
    return removed, added


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min", type=float, default=90.0, help="percent killed each held module needs")
    options = parser.parse_args(argv)
    config = tomllib.loads(EQUIVALENTS.read_text())
    equivalents = config.get("equivalent", [])
    not_held = set(config.get("not_held", []))
    used: set[int] = set()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: list[tuple[str, str]] = []
    for meta in sorted((ROOT / "mutants" / "src").rglob("*.py.meta")):
        data = SourceFileMutationData(path=meta.with_suffix(""))
        data.load()
        for name, exit_code in sorted(data.exit_code_by_key.items()):
            module = name.rsplit(".", 1)[0]
            status = status_by_exit_code[exit_code]
            if status == "not checked":
                continue  # a run of some modules only (bash scripts/mutation.sh "<pattern>")
            if status in KILLED:
                counts[module]["killed"] += 1
                continue
            diff = get_diff_for_mutant(name, path=meta.with_suffix(""))
            removed, added = _changed(diff)
            match = next(
                (
                    index
                    for index, entry in enumerate(equivalents)
                    if entry["module"] == module
                    and entry["original"] in removed
                    and any(mutant in added for mutant in entry["mutants"])
                ),
                None,
            )
            if status == "survived" and match is not None:
                counts[module]["equivalent"] += 1
                used.add(match)
            else:
                counts[module][status] += 1
                survivors.append((f"{name} ({status})", diff))
    for title, diff in survivors:
        print(f"\n{title}\n{diff}")
    failed = []
    print(f"\n{'module':<40} {'mutants':>7} {'killed':>7} {'equiv.':>7} {'other':>6} {'score':>7}")
    for module, count in sorted(counts.items()):
        total = sum(count.values())
        counted = total - count["equivalent"]
        score = 100.0 * count["killed"] / counted if counted else 100.0
        other = counted - count["killed"]
        held = module not in not_held
        print(
            f"{module:<40} {total:>7} {count['killed']:>7} {count['equivalent']:>7} {other:>6} "
            f"{score:>6.1f}%{'' if held else ' (measured, not held)'}"
        )
        if held and score < options.min:
            failed.append(module)
    unused = [
        entry["original"]
        for index, entry in enumerate(equivalents)
        if index not in used and entry["module"] in counts
    ]
    if unused:
        print(f"\nmutation-equivalents.toml entries no survivor matched (stale?): {unused}")
    if failed:
        print(f"\nbelow {options.min:.0f}% killed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
