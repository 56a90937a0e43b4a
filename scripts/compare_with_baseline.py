"""Compare synthesized stacks with a baseline: resource addresses and bodies, ``//`` ignored.

    .venv/bin/python scripts/compare_with_baseline.py [baseline_stacks] [current_stacks]

Exits 1 and lists every removed, added or changed address (resources, data sources and other
top-level blocks such as ``ephemeral``), so a refactor can prove that it changed nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def blocks(stack: dict[str, Any]) -> dict[str, Any]:
    """``{"resource.aws_vpc.x": body, ...}`` for resource, data and ephemeral blocks."""
    found: dict[str, Any] = {}
    for kind in ("resource", "data", "ephemeral"):
        for resource_type, named in stack.get(kind, {}).items():
            for name, body in named.items():
                found[f"{kind}.{resource_type}.{name}"] = _strip(body)
    return found


def compare(baseline: Path, current: Path) -> list[str]:
    problems: list[str] = []
    for before_file in sorted(baseline.glob("*/cdk.tf.json")):
        env = before_file.parent.name
        after_file = current / env / "cdk.tf.json"
        if not after_file.exists():
            problems.append(f"{env}: stack missing")
            continue
        before = blocks(json.loads(before_file.read_text()))
        after = blocks(json.loads(after_file.read_text()))
        problems += [f"{env}: removed {a}" for a in sorted(set(before) - set(after))]
        problems += [f"{env}: added {a}" for a in sorted(set(after) - set(before))]
        for address in sorted(set(before) & set(after)):
            if before[address] != after[address]:
                fields = sorted(
                    k
                    for k in set(before[address]) | set(after[address])
                    if before[address].get(k) != after[address].get(k)
                )
                problems.append(f"{env}: changed {address} ({', '.join(fields)})")
    return problems


def main(argv: list[str]) -> int:
    baseline = Path(argv[1] if len(argv) > 1 else "/work/baseline/cdktf.out/stacks")
    current = Path(argv[2] if len(argv) > 2 else "cdktf.out/stacks")
    problems = compare(baseline, current)
    print("\n".join(problems) if problems else f"identical: {current} == {baseline}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
