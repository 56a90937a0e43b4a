"""Policy: the Checkov runner with per-resource skips, our own checks, the replacement guard.

The names below load on first use: constructs import ``stackkit.policy.checks`` (the shared
secret detector) while an app synthesizes, and that should not import the runner and the guard.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stackkit.policy.checkov import CheckovError, Finding, StackReport, collect_skips, run_checkov
    from stackkit.policy.replacement import DiffResult, Risk, diff_outputs, load_stacks
    from stackkit.policy.replacement_table import FORCES_REPLACEMENT

_CHECKOV = ("CheckovError", "Finding", "StackReport", "collect_skips", "run_checkov")
_REPLACEMENT = ("DiffResult", "Risk", "diff_outputs", "load_stacks")
_MODULE_OF = {
    **dict.fromkeys(_CHECKOV, "checkov"),
    **dict.fromkeys(_REPLACEMENT, "replacement"),
    "FORCES_REPLACEMENT": "replacement_table",
}


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "FORCES_REPLACEMENT",
    "CheckovError",
    "DiffResult",
    "Finding",
    "Risk",
    "StackReport",
    "collect_skips",
    "diff_outputs",
    "load_stacks",
    "run_checkov",
]
