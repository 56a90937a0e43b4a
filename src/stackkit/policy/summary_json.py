"""``stackkit summary --format json``: the summary for machines, described by the JSON Schema
shipped next to this module (``summary.schema.json``, draft 2020-12; :func:`load_schema`).

Money is in USD as JSON numbers rounded to the cent, as in ``stackkit cost --format json``.
``null`` means "not known from this run": ``has_changes`` and each stack's ``changes`` without a
base, ``plan`` for a stack without ``--plan``, ``cost_deltas`` without a base.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from importlib import resources
from typing import Any

from stackkit.policy.cost_delta import StackDelta
from stackkit.policy.plan_check import PlanCheck
from stackkit.policy.replacement import DiffResult
from stackkit.policy.summary import resource_counts
from stackkit.policy.summary_format import acknowledged, stack_changed

SCHEMA_FILE = "summary.schema.json"
#: The document's ``version``: raised when a field changes meaning or goes away.
VERSION = 1


def load_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`summary_document`, as shipped in the package."""
    schema: dict[str, Any] = json.loads(resources.files("stackkit.policy").joinpath(SCHEMA_FILE).read_text())
    return schema


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(Decimal("0.01")))


def _cost(delta: StackDelta) -> dict[str, Any]:
    return {
        "stack": delta.stack,
        "before": _money(delta.before),
        "after": _money(delta.after),
        "delta": _money(delta.delta),
        "changed": [
            {
                "address": change.address,
                "before": _money(change.before),
                "after": _money(change.after),
                "delta": _money(change.delta),
            }
            for change in delta.changed
        ],
        "new_unpriced": list(delta.new_unpriced),
    }


def summary_document(
    stacks: Mapping[str, Mapping[str, Any]],
    diff: DiffResult | None = None,
    allowed: tuple[str, ...] = (),
    checks: Mapping[str, PlanCheck] | None = None,
    deltas: Sequence[StackDelta] | None = None,
) -> dict[str, Any]:
    """The summary as a JSON-ready dict (see the module docstring and the schema)."""
    checks = checks or {}
    names = sorted(set(stacks) | set(diff.stacks if diff else ()))
    per_stack: dict[str, Any] = {}
    for name in names:
        stack_diff = diff.stacks.get(name) if diff else None
        check = checks.get(name)
        per_stack[name] = {
            "resources": sum(resource_counts(dict(stacks.get(name, {}))).values()),
            "has_changes": stack_changed(stack_diff, check) if diff else None,
            "changes": (
                {
                    "added": len(stack_diff.added),
                    "removed": len(stack_diff.removed),
                    "changed": len(stack_diff.changed),
                    "moved": len(stack_diff.moved),
                    "forgotten": len(stack_diff.forgotten),
                }
                if stack_diff is not None
                else None
            ),
            "plan": check.plan.counts() if check else None,
        }
    plan_found = {risk.key for check in checks.values() for risk in check.added}
    confirmed = {key for check in checks.values() for key in check.confirmed}
    risks = [
        {
            "stack": risk.stack,
            "address": risk.address,
            "reason": risk.reason,
            "acknowledged": acknowledged(risk, allowed),
            "found_by": (
                ["plan"]
                if risk.key in plan_found
                else ["prediction", "plan"]
                if risk.key in confirmed
                else ["prediction"]
            ),
        }
        for risk in (diff.risks if diff else [])
    ]
    return {
        "version": VERSION,
        "has_changes": any(entry["has_changes"] for entry in per_stack.values()) if diff else None,
        "stacks": per_stack,
        "risks": risks,
        "mismatches": [
            {
                "stack": mismatch.stack,
                "address": mismatch.address,
                "kind": mismatch.kind,
                "attributes": list(mismatch.attributes),
                "replace_paths": list(mismatch.paths),
                "planned": mismatch.planned,
                "message": mismatch.message,
            }
            for name in sorted(checks)
            for mismatch in checks[name].mismatches
        ],
        "cost_deltas": [_cost(delta) for delta in deltas] if deltas is not None else None,
    }
