"""Policy: the Checkov runner with per-resource skips, and our own checks."""

from stackkit.policy.checkov import CheckovError, Finding, StackReport, collect_skips, run_checkov

__all__ = ["CheckovError", "Finding", "StackReport", "collect_skips", "run_checkov"]
