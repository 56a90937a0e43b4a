"""The synthesized JSON of this repository's environments, normalized, kept as a golden copy.

Normalized = the stack's ``cdk.tf.json`` with every ``//`` key removed at any depth (cdktf's
metadata such as its version, and stackkit's recorded Checkov skips and source locations),
written with sorted keys. A refactor must leave it byte-identical.

When a change to the synthesized JSON is intended, regenerate the copy and review its diff::

    .venv/bin/python -m tests.app.update_golden            # synthesizes, then writes
    .venv/bin/python -m tests.app.update_golden cdktf.out  # from an existing synthesis

and say in CHANGELOG.md what changed and why.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden"


def normalize(value: Any) -> Any:
    """``value`` without ``//`` keys at any depth."""
    if isinstance(value, dict):
        return {key: normalize(item) for key, item in value.items() if key != "//"}
    if isinstance(value, list):
        return [normalize(item) for item in value]
    return value


def render(stack: dict[str, Any]) -> str:
    return json.dumps(normalize(stack), indent=1, sort_keys=True) + "\n"


def golden_path(environment: str) -> Path:
    return GOLDEN_DIR / f"{environment}.json"


def differences(environment: str, stack: dict[str, Any], context: int = 3, limit: int = 200) -> str:
    """A unified diff (golden -> current) of ``environment``, empty when identical."""
    path = golden_path(environment)
    golden = path.read_text() if path.exists() else ""
    lines = list(
        difflib.unified_diff(
            golden.splitlines(keepends=True),
            render(stack).splitlines(keepends=True),
            f"tests/golden/{environment}.json",
            f"synthesized {environment}",
            n=context,
        )
    )
    if len(lines) > limit:
        lines = [*lines[:limit], f"... {len(lines) - limit} more diff lines\n"]
    return "".join(lines)


def write(environment: str, stack: dict[str, Any]) -> Path:
    path = golden_path(environment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(stack))
    return path
