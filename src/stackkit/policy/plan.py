"""Terraform's own plan, read from ``terraform show -json PLANFILE``.

The format is Terraform's *JSON Output Format* (https://developer.hashicorp.com/terraform/internals/json-format):
``format_version`` "1.x" (a new major version is "not backward-compatible": reject it),
``resource_changes[]`` with ``address``, ``mode``, ``type``, ``name``, ``module_address`` (absent
in the root module), ``deposed`` (the change applies to a deposed object), ``action_reason`` and
``change.actions``, one of ``["no-op"]``, ``["create"]``, ``["read"]``, ``["update"]``,
``["delete", "create"]``, ``["create", "delete"]``, ``["delete"]`` (the two pairs are a replacement;
"callers [may] just scan the list for "delete" to recognize all three situations where the object
will be deleted"), and ``change.replace_paths``, the paths into the object "which resulted in the
action being replace" (omitted when no path caused it, e.g. a tainted object). Terraform 1.7+ also
writes ``["forget"]`` for a ``removed`` block with ``destroy = false`` (checked with Terraform
1.11.4 here): the object stays, so it is no destruction.

Only what stackkit needs is kept: addresses, actions, reasons and replace_paths. The plan's
``before``/``after`` values are never read or printed: they hold whatever Terraform read, secrets
included.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

FORMAT_DOCS = "https://developer.hashicorp.com/terraform/internals/json-format"
#: What the summary counts per stack, in this order.
Action = Literal["create", "update", "replace", "delete", "other"]
COUNTED: tuple[Action, ...] = ("create", "update", "replace", "delete")


class PlanError(ValueError):
    """A ``--plan`` file that is not ``terraform show -json`` output of a saved plan."""


@dataclass(frozen=True)
class PlannedChange:
    """One object's change in the plan."""

    #: The instance address as Terraform writes it (``aws_subnet.private[0]``).
    address: str
    #: The resource's configuration address, without instance key: what ``--allow-replace`` names
    #: and what stackkit predicts for (``aws_subnet.private``; ``module.x.aws_s3_bucket.logs``).
    resource: str
    resource_type: str
    #: Terraform's ``change.actions`` as written.
    actions: tuple[str, ...]
    #: Paths that forced a replacement (``replace_paths``), each a tuple of steps.
    replace_paths: tuple[tuple[str | int, ...], ...] = ()
    action_reason: str | None = None
    deposed: str | None = None
    in_root_module: bool = True

    @property
    def action(self) -> Action:
        return classify(self.actions)

    @property
    def replace_attributes(self) -> tuple[str, ...]:
        """The top-level arguments in ``replace_paths`` (what a replacement-table row names)."""
        return tuple(dict.fromkeys(str(path[0]) for path in self.replace_paths if path))


@dataclass(frozen=True)
class StackPlan:
    """The plan of one stack (``terraform show -json`` of the stack's saved plan)."""

    stack: str
    source: str
    changes: tuple[PlannedChange, ...]

    def counts(self) -> dict[str, int]:
        """``{"create": n, "update": n, "replace": n, "delete": n}`` over managed resources."""
        found = Counter(change.action for change in self.changes)
        return {action: found[action] for action in COUNTED}

    def by_resource(self) -> dict[str, list[PlannedChange]]:
        grouped: dict[str, list[PlannedChange]] = {}
        for change in self.changes:
            grouped.setdefault(change.resource, []).append(change)
        return grouped


def classify(actions: Sequence[str]) -> Action:
    """Terraform's action list as one word. Any list with both "delete" and "create" is a
    replacement, any other list with "delete" a deletion (as the format's documentation advises,
    so a future deleting combination still counts); "no-op", "read", "forget" are "other".
    ``["create", "forget"]`` (newer Terraform: a replacement that leaves the old object in place,
    "[\"create\", \"forget\"] (replace)" in hashicorp/terraform's internal/command/jsonplan/plan.go)
    destroys nothing: it counts as a creation."""
    if "delete" in actions:
        return "replace" if "create" in actions else "delete"
    if list(actions) in (["create"], ["create", "forget"]):
        return "create"
    if list(actions) == ["update"]:
        return "update"
    return "other"


def path_text(path: Sequence[str | int]) -> str:
    """``["tags", "Name"]`` -> ``tags.Name``; ``["ebs", 0, "size"]`` -> ``ebs[0].size``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


#: ``--plan STACK=-``: the plan comes on standard input (``terraform show -json tfplan | ...``),
#: so its JSON, which holds the values Terraform read, need not be written to a file.
STDIN = Path("-")


def read_plan(stack: str, path: Path) -> StackPlan:
    """The plan of ``stack`` from ``terraform show -json`` output saved at ``path`` (``-``: stdin)."""
    try:
        raw = sys.stdin.buffer.read() if path == STDIN else path.read_bytes()
    except OSError as error:
        raise PlanError(f"--plan {stack}={path}: {error.strerror or error}") from None
    if raw.startswith(b"PK"):
        raise PlanError(
            f"--plan {stack}={path} is a binary plan file: pass its JSON, "
            f"`terraform show -json {path.name} > {path.stem}.json`"
        )
    try:
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PlanError(
            f"--plan {stack}={path} is not JSON ({error}): pass `terraform show -json PLANFILE`"
        ) from None
    return parse_plan(stack, document, source=str(path))


def parse_plan(stack: str, document: Any, *, source: str = "plan") -> StackPlan:
    """A :class:`StackPlan` from the decoded JSON of ``terraform show -json PLANFILE``."""
    where = f"--plan {stack}={source}"
    if not isinstance(document, dict) or not isinstance(document.get("format_version"), str):
        raise PlanError(f"{where} has no format_version: it is not `terraform show -json PLANFILE` output")
    major = document["format_version"].split(".", 1)[0]
    if major != "1":
        raise PlanError(
            f"{where} has format_version {document['format_version']}: stackkit reads Terraform's JSON "
            f"output format 1.x ({FORMAT_DOCS}); a new major version is not backward-compatible"
        )
    if "resource_changes" not in document and "planned_values" not in document:
        kind = "a state (`terraform show -json` without a plan file)" if "values" in document else "no plan"
        raise PlanError(
            f"{where} is {kind}: pass `terraform show -json PLANFILE` of `terraform plan -out=PLANFILE`"
        )
    if document.get("errored") is True:
        raise PlanError(f"{where}: Terraform reports the plan errored (it is incomplete): fix the plan first")
    entries = document.get("resource_changes") or []
    if not isinstance(entries, list):
        raise PlanError(f"{where}: resource_changes is not a list")
    changes = tuple(
        change
        for index, entry in enumerate(entries)
        if (change := _change(entry, f"{where}: resource_changes[{index}]")) is not None
    )
    return StackPlan(stack, source, changes)


def _change(entry: Any, where: str) -> PlannedChange | None:
    if not isinstance(entry, dict):
        raise PlanError(f"{where} is not an object")
    if entry.get("mode", "managed") != "managed":
        return None  # a data source: read, never destroyed
    change = entry.get("change")
    if not isinstance(change, dict):
        raise PlanError(f"{where} has no change object")
    actions = change.get("actions")
    if not isinstance(actions, list) or not all(isinstance(action, str) for action in actions):
        raise PlanError(f"{where} has no change.actions list")
    fields = {key: entry.get(key) for key in ("address", "type", "name")}
    missing = [key for key, value in fields.items() if not isinstance(value, str) or not value]
    if missing:
        raise PlanError(f"{where} has no {', '.join(missing)}")
    module = entry.get("module_address")
    resource = f"{entry['type']}.{entry['name']}"
    return PlannedChange(
        address=entry["address"],
        resource=f"{module}.{resource}" if isinstance(module, str) and module else resource,
        resource_type=entry["type"],
        actions=tuple(actions),
        replace_paths=_paths(change.get("replace_paths"), where),
        action_reason=entry.get("action_reason") if isinstance(entry.get("action_reason"), str) else None,
        deposed=entry.get("deposed") if isinstance(entry.get("deposed"), str) else None,
        in_root_module=not module,
    )


def _paths(value: Any, where: str) -> tuple[tuple[str | int, ...], ...]:
    if value is None:
        return ()
    valid = isinstance(value, list) and all(
        isinstance(path, list) and all(isinstance(step, str | int) for step in path) for path in value
    )
    if not valid:
        raise PlanError(f"{where}: change.replace_paths is not a list of paths (lists of names and indexes)")
    return tuple(tuple(path) for path in value)


def read_plans(specs: Sequence[tuple[str, Path]]) -> dict[str, StackPlan]:
    """``--plan STACK=PLAN.json`` arguments read (before any synthesis: a bad file fails first)."""
    plans: dict[str, StackPlan] = {}
    if sum(1 for _, path in specs if path == STDIN) > 1:
        raise PlanError("--plan STACK=- is given twice: standard input holds one plan")
    for stack, path in specs:
        if stack in plans:
            raise PlanError(f"--plan {stack}= is given twice: one plan per stack")
        plans[stack] = read_plan(stack, path)
    return plans


def require_stacks(plans: Mapping[str, StackPlan], stacks: Mapping[str, object]) -> None:
    """Every plan is for one of ``stacks`` (HEAD's, after ``--env``)."""
    for stack, plan in plans.items():
        if stack not in stacks:
            raise PlanError(
                f"--plan {stack}={plan.source}: no stack named {stack}; the stacks are {', '.join(stacks)}"
            )
