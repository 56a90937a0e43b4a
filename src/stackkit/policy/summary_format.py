"""The pull request summary as one stable comment.

It starts with :data:`~stackkit.policy.summary.MARKER`, by which the workflow finds the comment
it wrote before and updates it instead of adding one per run. Against a base, an overview comes
first (per changed stack: predicted changes, Terraform's plan counts when a plan was given, risks;
the prediction mismatches; the monthly cost delta), the stacks without any change share one line,
and only the changed ones get their section (resource table, changes, risks, diagram).

GitHub refuses a comment longer than 65,536 characters ("Body is too long (maximum is 65536
characters)", the 422 of the REST API's *Create an issue comment*, reported in danger/danger#424).
:func:`fit_comment` cuts a longer summary at a line, closes an open code fence and says where the
whole text is: the job summary, which holds up to 1 MiB per step (GitHub Docs, "Workflow commands
for GitHub Actions", *Step isolation and limits*:
https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from stackkit.policy.cost_delta import StackDelta, delta_markdown
from stackkit.policy.plan_check import PlanCheck
from stackkit.policy.replacement import DiffResult, Risk, StackDiff
from stackkit.policy.summary import markdown, resource_counts

#: GitHub's limit on a comment body, in characters.
COMMENT_LIMIT = 65_536
TRUNCATED = (
    "\n---\n**Summary truncated:** the full summary has {size:,} characters and a pull request comment "
    "holds at most {limit:,}. The whole text is in the job summary of this workflow run.\n"
)


def stack_changed(diff: StackDiff | None, check: PlanCheck | None = None) -> bool:
    """True when the stack's prediction or its plan changes anything, or reports a risk or a
    problem with its ``moved`` blocks."""
    predicted = diff is not None and bool(
        diff.added
        or diff.removed
        or diff.changed
        or diff.moved
        or diff.forgotten
        or diff.risks
        or diff.moved_problems
    )
    planned = check is not None and bool(any(check.plan.counts().values()) or check.mismatches)
    return predicted or planned


def acknowledged(risk: Risk, allowed: tuple[str, ...]) -> bool:
    return risk.address in allowed or risk.key in allowed


def _risk_cell(risks: Sequence[Risk], allowed: tuple[str, ...]) -> str:
    blocking = sum(1 for risk in risks if not acknowledged(risk, allowed))
    parts = [f"{blocking} blocking"] if blocking else []
    parts += [f"{len(risks) - blocking} acknowledged"] if len(risks) > blocking else []
    return ", ".join(parts) or "none"


def _plan_cells(check: PlanCheck | None) -> str:
    if check is None:
        return " - | - | - | - |"  # no plan for this stack
    return "".join(f" {count} |" for count in check.plan.counts().values())


def overview(
    stacks: Mapping[str, Mapping[str, Any]],
    diff: DiffResult,
    allowed: tuple[str, ...] = (),
    checks: Mapping[str, PlanCheck] | None = None,
    deltas: Sequence[StackDelta] | None = None,
) -> list[str]:
    """The lines before the stack sections: a table of the changed stacks, one line for the
    unchanged ones, the prediction mismatches and the monthly cost delta."""
    checks = checks or {}
    names = sorted(diff.stacks)
    changed = [name for name in names if stack_changed(diff.stacks[name], checks.get(name))]
    unchanged = [name for name in names if name not in changed]
    out: list[str] = []
    if changed:
        plan_head = " Plan: create | update | replace | delete |" if checks else ""
        out += [
            f"| Stack | Resources | Added | Removed | Changed | Moved |{plan_head} Risks |",
            f"|---|---:|---:|---:|---:|---:|{'---:|---:|---:|---:|' if checks else ''}---|",
        ]
        for name in changed:
            stack_diff = diff.stacks[name]
            resources = sum(resource_counts(dict(stacks.get(name, {}))).values())
            plan_cells = _plan_cells(checks.get(name)) if checks else ""
            out.append(
                f"| `{name}` | {resources} | {len(stack_diff.added)} | {len(stack_diff.removed)} | "
                f"{len(stack_diff.changed)} | {len(stack_diff.moved)} |{plan_cells} "
                f"{_risk_cell(stack_diff.risks, allowed)} |"
            )
        out.append("")
    if unchanged:
        out += [f"**Unchanged ({len(unchanged)}):** {', '.join(f'`{name}`' for name in unchanged)}.", ""]
    mismatches = [mismatch for name in sorted(checks) for mismatch in checks[name].mismatches]
    if mismatches:
        out.append(f"**Prediction mismatches ({len(mismatches)})** (the plan and stackkit disagree):")
        out += [f"- `{m.stack}/{m.address}`: {m.message}" for m in mismatches]
        out.append("")
    table = delta_markdown(list(deltas)) if deltas is not None else ""
    if table:
        out += ["**Monthly cost** (offline estimate, `stackkit cost`):", "", table, ""]
    return out


def summary_markdown(
    stacks: Mapping[str, dict[str, Any]],
    diff: DiffResult | None = None,
    allowed: tuple[str, ...] = (),
    checks: Mapping[str, PlanCheck] | None = None,
    deltas: Sequence[StackDelta] | None = None,
) -> str:
    """The summary: without a base every stack in full; against one the overview, then only the
    stacks that change (a stack that the base has and HEAD has not shows as emptied)."""
    if diff is None:
        return markdown(dict(stacks))
    shown = {
        name: stacks.get(name, {})
        for name in sorted(diff.stacks)
        if stack_changed(diff.stacks[name], (checks or {}).get(name))
    }
    return markdown(shown, diff, allowed, overview(stacks, diff, allowed, checks, deltas))


def _size(text: str) -> int:
    """The length GitHub may count, at its largest: UTF-8 bytes are never fewer than characters,
    whether counted as code points or as UTF-16 units."""
    return len(text.encode("utf-8"))


def fit_comment(text: str, limit: int = COMMENT_LIMIT) -> str:
    """``text`` if it fits in a comment; else its first lines, an open code fence closed, and a
    note saying the whole text is in the job summary. The marker line is always kept."""
    if _size(text) <= limit:
        return text
    note = TRUNCATED.format(size=len(text), limit=limit)
    budget = limit - _size(note) - _size("```\n")
    kept: list[str] = []
    used = 0
    for line in text.splitlines(keepends=True):
        if used + _size(line) > budget:
            break
        kept.append(line)
        used += _size(line)
    fenced = sum(1 for line in kept if line.startswith("```")) % 2 == 1
    body = "".join(kept)
    if body and not body.endswith("\n"):
        body += "\n"
    return body + ("```\n" if fenced else "") + note
