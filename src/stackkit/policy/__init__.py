"""Policy: the Checkov runner with per-resource skips, our own checks, the replacement guard."""

from stackkit.policy.checkov import CheckovError, Finding, StackReport, collect_skips, run_checkov
from stackkit.policy.replacement import FORCES_REPLACEMENT, DiffResult, Risk, diff_outputs, load_stacks

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
