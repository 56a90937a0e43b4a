"""Terraform's plan next to stackkit's prediction.

1. A guarded resource (:data:`~stackkit.policy.replacement.GUARDED_TYPES`) that the plan deletes or
   replaces is a :class:`~stackkit.policy.replacement.Risk` like a predicted one: same "removed:" /
   "replaced:" reasons, same acknowledgement (``--allow-replace [stack/]type.name`` or the pull
   request's ``stackkit-allow-replace:`` line), same exit code. A predicted risk stays a risk
   whatever the plan says (the guard also refuses in-place changes that break clients, such as a
   database's new identifier); the plan only adds the ones the prediction missed. A replacement
   that :func:`~stackkit.policy.replacement.replaced_safely` allows (created first, under a new
   name) is no risk, from either side, if the plan creates it first too (``["create", "delete"]``).
2. Where the two disagree on a guarded resource, a :class:`Mismatch`: a replacement the prediction
   did not see names the attributes Terraform gave (``replace_paths``), each a missing row of the
   replacement table (:data:`~stackkit.policy.replacement_table.FORCES_REPLACEMENT`) unless the
   table has it (then BASE and HEAD do not change it as written: a referenced object's new value,
   or the deployed object differs from BASE); a predicted
   replacement the plan makes in place names the rows that may not force one with this provider.
   Replacements no changed argument causes (a tainted object, ``-replace=``,
   ``replace_triggered_by``) are no mismatch. Mismatches are findings: they do not fail the diff.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from stackkit.policy.moved_blocks import through_moves
from stackkit.policy.plan import PlannedChange, StackPlan, path_text
from stackkit.policy.replacement import (
    GUARDED_TYPES,
    DiffResult,
    Risk,
    StackDiff,
    _forcing_changes,
    replaced_safely,
    resources_of,
)
from stackkit.policy.replacement_table import FORCES_REPLACEMENT

#: ``action_reason`` values in words: those of Terraform's JSON output format page, and the two
#: Terraform also writes (``ResourceInstanceReplaceByTriggers``, ``...DeleteBecauseNoMoveTarget`` in
#: hashicorp/terraform's internal/command/jsonplan/plan.go). "Users of this must be prepared to
#: encounter unrecognized reasons": another one is shown as written.
REASONS = {
    "replace_because_tainted": "the object is tainted in the state",
    "replace_because_cannot_update": "the provider cannot update it in place",
    "replace_by_request": "replacement requested with -replace",
    "replace_by_triggers": "replace_triggered_by: something it names changes",
    "delete_because_no_resource_config": "no longer in the configuration",
    "delete_because_no_module": "its module is no longer in the configuration",
    "delete_because_wrong_repetition": "its instance key does not fit count/for_each",
    "delete_because_count_index": "its index is beyond count",
    "delete_because_each_key": "its key is not in for_each",
    "delete_because_no_move_target": "a moved block's target is not in the configuration",
}
#: Replacements no changed argument causes, so no row of the replacement table is missing: a
#: tainted object, ``-replace=``, and ``lifecycle.replace_triggered_by`` (another object changes).
NOT_FROM_CONFIGURATION = frozenset({"replace_because_tainted", "replace_by_request", "replace_by_triggers"})
#: Terraform's own symbols for the plan's order of a replacement.
_SYMBOL = {("delete", "create"): "-/+", ("create", "delete"): "+/-"}

MismatchKind = Literal["unpredicted-replacement", "replacement-not-planned"]


@dataclass(frozen=True)
class Mismatch:
    """stackkit's prediction and Terraform's plan disagree about replacing ``address``."""

    stack: str
    address: str
    kind: MismatchKind
    #: Unpredicted: the top-level arguments of ``replace_paths``. Not planned: the attributes
    #: stackkit saw change that its table says force a new resource.
    attributes: tuple[str, ...]
    #: The plan's action for it ("replace", "update", "other" for no-op).
    planned: str
    #: ``replace_paths`` as written (``tags.Name``, ``ebs[0].size``): unpredicted only.
    paths: tuple[str, ...] = ()

    @property
    def rows(self) -> tuple[str, ...]:
        """The replacement-table rows concerned, as ``type.attribute``."""
        resource_type = self.address.rsplit(".", 2)[-2]
        return tuple(f"{resource_type}.{attribute}" for attribute in self.attributes)

    @property
    def missing_rows(self) -> tuple[str, ...]:
        """Of :attr:`rows`, those the replacement table does not have yet."""
        resource_type = self.address.rsplit(".", 2)[-2]
        known = FORCES_REPLACEMENT.get(resource_type, {})
        return tuple(
            row for row, attribute in zip(self.rows, self.attributes, strict=True) if attribute not in known
        )

    @property
    def message(self) -> str:
        if self.kind == "unpredicted-replacement":
            if not self.paths:
                return (
                    "Terraform's plan replaces it, stackkit predicted no replacement, and Terraform gave "
                    "no replace_paths to learn from"
                )
            missing = self.missing_rows
            listed = [row for row in self.rows if row not in missing]
            text = (
                f"Terraform's plan replaces it (replace_paths: {', '.join(self.paths)}) but stackkit "
                "predicted no replacement"
            )
            if missing:
                text += (
                    f": missing row(s) of the replacement table (FORCES_REPLACEMENT): {', '.join(missing)}"
                )
            if listed:
                # A row the table has, yet no predicted replacement: BASE and HEAD do not differ
                # there as written, so the value Terraform compares comes from elsewhere.
                text += (
                    f"{'; ' if missing else ': '}{', '.join(listed)} already in the replacement table: "
                    "BASE and HEAD do not change it as written (a referenced object's new value, or "
                    "the deployed object differs from BASE)"
                )
            return text
        return (
            f"stackkit predicted a replacement ({', '.join(self.attributes)} changed) but Terraform's plan "
            f"makes it {'in place' if self.planned == 'update' else 'no change'}: the row(s) "
            f"{', '.join(self.rows)} of the replacement table may not force a new resource with this provider"
        )


@dataclass(frozen=True)
class PlanCheck:
    """One stack's plan, what it added to the diff's risks and where it disagrees."""

    plan: StackPlan
    #: Risks only the plan revealed (now in the diff's risks too).
    added: tuple[Risk, ...]
    #: Predicted risks (by key) that the plan confirms by deleting or replacing the resource.
    confirmed: tuple[str, ...]
    mismatches: tuple[Mismatch, ...]


def predicted_replacements(
    diff: StackDiff, base: Mapping[str, Any] | None, head: Mapping[str, Any] | None
) -> dict[str, list[str]]:
    """Per head address, the attributes whose change stackkit's table says forces a new resource."""
    before = resources_of(dict(base or {}))
    after = resources_of(dict(head or {}))
    pairs = [(address, address) for address in sorted(before.keys() & after.keys())] + sorted(
        diff.moved.items()
    )
    # As the guard compares them: the old body's references carried through the moved blocks.
    return {
        new: forcing
        for old, new in pairs
        if (
            forcing := _forcing_changes(
                new.split(".", 1)[0], through_moves(before[old], diff.moved), after[new]
            )
        )
    }


def _why(change: PlannedChange) -> str:
    """What Terraform gave as the cause: the replace_paths, else the action_reason in words."""
    if change.replace_paths:
        return f"replace_paths: {', '.join(path_text(path) for path in change.replace_paths)}"
    if change.action_reason:
        return REASONS.get(change.action_reason, change.action_reason)
    return ""


def plan_reason(change: PlannedChange) -> str:
    """The risk's reason, worded as the predicted ones ("replaced: ...", "removed: ...")."""
    deposed = f" (its deposed object {change.deposed})" if change.deposed else ""
    why = _why(change)
    if change.action == "replace":
        order = "destroy, then create" if change.actions[0] == "delete" else "create, then destroy"
        return f"replaced: Terraform's plan replaces it{deposed} ({order}{f'; {why}' if why else ''})"
    return f"removed: Terraform's plan destroys it{deposed}{f' ({why})' if why else ''}"


def check_plan(
    diff: StackDiff, plan: StackPlan, base: Mapping[str, Any] | None, head: Mapping[str, Any] | None
) -> PlanCheck:
    """Compare one stack's plan with its predicted diff; the plan's new risks go into ``diff.risks``."""
    after = resources_of(dict(head or {}))
    predicted = predicted_replacements(diff, base, head)
    known = {risk.address: risk for risk in diff.risks}
    added: list[Risk] = []
    confirmed: list[str] = []
    mismatches: list[Mismatch] = []
    planned = plan.by_resource()
    for resource, changes in planned.items():
        resource_type = changes[0].resource_type
        if resource_type not in GUARDED_TYPES:
            continue
        destroying = [change for change in changes if change.action in ("replace", "delete")]
        replacing = [change for change in changes if change.action == "replace" and not change.deposed]
        if destroying and resource in known:
            confirmed.append(known[resource].key)
        elif destroying and not (
            # Safe only as Terraform will do it: created first (["create", "delete"]), whatever
            # the configuration says.
            all(change.action == "replace" and change.actions[0] == "create" for change in destroying)
            and resource in after
            and replaced_safely(resource_type, after[resource])
        ):
            risk = Risk(plan.stack, resource, plan_reason(destroying[0]))
            added.append(risk)
            known[resource] = risk
        if not changes[0].in_root_module:
            continue  # stackkit predicts for the stack's own resources only
        from_configuration = [c for c in replacing if c.action_reason not in NOT_FROM_CONFIGURATION]
        if from_configuration and resource not in predicted:
            first = from_configuration[0]
            mismatches.append(
                Mismatch(
                    plan.stack,
                    resource,
                    "unpredicted-replacement",
                    first.replace_attributes,
                    "replace",
                    tuple(path_text(path) for path in first.replace_paths),
                )
            )
        elif (
            resource in predicted and not replacing and all(c.action in ("update", "other") for c in changes)
        ):
            mismatches.append(
                Mismatch(
                    plan.stack,
                    resource,
                    "replacement-not-planned",
                    tuple(predicted[resource]),
                    changes[0].action,
                )
            )
    diff.risks.extend(added)
    return PlanCheck(plan, tuple(added), tuple(confirmed), tuple(mismatches))


def check_plans(
    result: DiffResult,
    plans: Mapping[str, StackPlan],
    base: Mapping[str, Mapping[str, Any]],
    head: Mapping[str, Mapping[str, Any]],
) -> dict[str, PlanCheck]:
    """:func:`check_plan` for every stack with a plan (the stack must be in ``result``)."""
    return {
        name: check_plan(result.stacks[name], plan, base.get(name), head.get(name))
        for name, plan in sorted(plans.items())
    }


def render_plans(checks: Mapping[str, PlanCheck]) -> str:
    """The ``stackkit diff --plan`` report: counts, every deletion and replacement, mismatches."""
    lines: list[str] = []
    for name, check in checks.items():
        counts = check.plan.counts()
        lines.append(
            f"== Terraform's plan for {name}: {counts['create']} to create, {counts['update']} to update, "
            f"{counts['replace']} to replace, {counts['delete']} to destroy"
        )
        for change in check.plan.changes:
            why = f" ({_why(change)})" if _why(change) else ""
            if change.action == "replace":
                symbol = _SYMBOL.get((change.actions[0], change.actions[-1]), "-/+")
                lines.append(f"   {symbol} {change.address}{why}")
            elif change.action == "delete":
                deposed = f" deposed object {change.deposed}" if change.deposed else ""
                lines.append(f"   - {change.address}{deposed}{why}")
        lines += [f"   PREDICTION MISMATCH {m.address}: {m.message}" for m in check.mismatches]
    return "\n".join(lines)
