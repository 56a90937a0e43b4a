"""The pull request's job summary: per environment the resource counts, the changes, the risks,
a Mermaid diagram of the stack's main resources and how they connect, and the disaster-recovery
figures (RPO/RTO) of its databases and backup plans."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from stackkit.disaster_recovery_json import summary_section
from stackkit.policy.diagram import MAIN_TYPES, Diagram, diagram
from stackkit.policy.replacement import DiffResult, resources_of, unused_lines


def resource_counts(stack: dict[str, Any]) -> Counter[str]:
    return Counter(address.split(".", 1)[0] for address in resources_of(stack))


#: The summary's first line: how the workflow finds its one pull request comment to update.
MARKER = "<!-- stackkit-summary -->"


def markdown(
    stacks: dict[str, dict[str, Any]],
    diff: DiffResult | None = None,
    allowed: tuple[str, ...] = (),
    overview: Sequence[str] = (),
) -> str:
    """The job summary: the marker, the ``overview`` lines, one section per environment."""
    out: list[str] = [MARKER, "# stackkit: infrastructure summary", "", *overview]
    if diff is not None and diff.unused(allowed):
        out += [f"- {line}" for line in unused_lines(diff, allowed)] + [""]
    for name, stack in stacks.items():
        counts = resource_counts(stack)
        out += [f"## {name}", "", f"**{sum(counts.values())} resources** of {len(counts)} types.", ""]
        out += ["| type | count |", "|---|---|"]
        out += [f"| `{resource_type}` | {count} |" for resource_type, count in sorted(counts.items())]
        out.append("")
        stack_diff = diff.stacks.get(name) if diff else None
        if stack_diff is not None:
            out.append(
                f"**Changes:** {len(stack_diff.added)} added, {len(stack_diff.removed)} removed, "
                f"{len(stack_diff.changed)} changed."
            )
            out += [f"- added `{address}`" for address in stack_diff.added]
            out += [f"- removed `{address}`" for address in stack_diff.removed]
            out += [
                f"- changed `{address}`: {', '.join(keys)}" for address, keys in stack_diff.changed.items()
            ]
            out.append("")
            if stack_diff.risks:
                out.append("**Risks (stateful resources destroyed or replaced):**")
                for risk in stack_diff.risks:
                    status = (
                        "acknowledged" if risk.address in allowed or risk.key in allowed else "**blocking**"
                    )
                    out.append(f"- {status} `{risk.address}`: {risk.reason}")
            else:
                out.append("**Risks:** none.")
            out.append("")
            if stack_diff.renamed:
                out.append(
                    f"**Looks renamed ({len(stack_diff.renamed)}):** keep the old name, or carry the "
                    "state with `moved` blocks (`stackkit diff` prints them):"
                )
                out += [f"- `{rename.old}` -> `{rename.new}`" for rename in stack_diff.renamed]
                out.append("")
            if stack_diff.moved_problems:
                out += [f"- moved block problem: {problem}" for problem in stack_diff.moved_problems] + [""]
        out += ["```mermaid", diagram(stack).mermaid(), "```", ""]
        # RPO/RTO from the stack's databases and backup plans (issue 17); none without either.
        out += summary_section(name, stack)
    return "\n".join(out)


__all__ = ["MAIN_TYPES", "Diagram", "diagram", "markdown", "resource_counts"]
