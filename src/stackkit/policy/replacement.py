"""The replacement guard: compare two synthesized outputs and flag every stateful resource that
would be destroyed or replaced, offline, before ``terraform plan`` can run.

A resource is at risk when its address disappears (removed, or moved without a ``moved``
block; not when the head stack has a ``removed`` block with ``destroy = false`` for it: Terraform
then drops it from the state and leaves the object alone, e.g. to move it to another stack's
state, where an ``import`` block takes it), or when an attribute that forces a new resource for
its type changes (:data:`~stackkit.policy.replacement_table.FORCES_REPLACEMENT`).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stackkit.policy.checks.stackkit_policy_common import STATEFUL_TYPES
from stackkit.policy.moved_blocks import effective_moves, read_moved_blocks, through_moves
from stackkit.policy.renames import Rename, find_renames, rename_advice, type_of
from stackkit.policy.replacement_table import (
    ACCESS_GUARD_TYPES,
    AVAILABILITY_TYPES,
    FORCES_REPLACEMENT,
    IDENTITY_KEYS,
)
from stackkit.policy.sources import SourceError

#: The one list of types whose destruction, replacement or move loses data, breaks addressing,
#: or disrupts service: the guard flags them, and tests/app's address snapshot pins them.
GUARDED_TYPES = frozenset({*STATEFUL_TYPES, *FORCES_REPLACEMENT, *ACCESS_GUARD_TYPES, *AVAILABILITY_TYPES})

#: cdktf bookkeeping that is not part of the resource.
_IGNORED_KEYS = frozenset({"//"})

Stacks = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Risk:
    stack: str
    address: str
    reason: str

    @property
    def key(self) -> str:
        return f"{self.stack}/{self.address}"


@dataclass
class StackDiff:
    stack: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)
    #: Removed from the configuration with a ``removed { lifecycle { destroy = false } }`` block.
    forgotten: list[str] = field(default_factory=list)
    #: Removed addresses that look like added ones renamed (:mod:`stackkit.policy.renames`).
    renamed: list[Rename] = field(default_factory=list)
    #: What is wrong with the head's ``moved`` blocks (malformed, stale, refused by Terraform).
    moved_problems: list[str] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)


@dataclass
class DiffResult:
    stacks: dict[str, StackDiff]

    @property
    def risks(self) -> list[Risk]:
        return [risk for diff in self.stacks.values() for risk in diff.risks]

    def unacknowledged(self, allowed: tuple[str, ...]) -> list[Risk]:
        """Risks not acknowledged by ``--allow-replace`` (``type.name`` or ``stack/type.name``)."""
        return [risk for risk in self.risks if risk.address not in allowed and risk.key not in allowed]

    def unused(self, allowed: tuple[str, ...]) -> list[str]:
        """The ``--allow-replace`` patterns that acknowledge no risk of this diff (a typo, a risk
        that went away, or one never there): reported, never silently dropped."""
        used = {risk.address for risk in self.risks} | {risk.key for risk in self.risks}
        return [pattern for pattern in dict.fromkeys(allowed) if pattern not in used]


def load_stacks(directory: Path) -> Stacks:
    """``{stack: cdk.tf.json}`` of a ``cdktf.out`` folder (or its ``stacks`` folder).

    A folder without stacks raises FileNotFoundError and a stack file that is not a Terraform
    JSON configuration raises SourceError (``stackkit diff`` exits 2 on either): a diff of
    nothing would report no destruction and pass."""
    stacks_dir = directory / "stacks" if (directory / "stacks").is_dir() else directory
    paths = sorted(stacks_dir.glob("*/cdk.tf.json"))
    if not paths:
        fix = (
            "that is one stack's folder: pass the cdktf.out folder that holds stacks/"
            if (directory / "cdk.tf.json").is_file()
            else "pass a cdktf.out folder (as `cdktf synth` writes it) or a git revision"
        )
        raise FileNotFoundError(f"no stacks/*/cdk.tf.json under {directory}: {fix}")
    return {path.parent.name: _read_stack(path) for path in paths}


def _read_stack(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SourceError(f"{path} is not valid JSON ({error}): synthesize it again") from None
    resources = document.get("resource", {}) if isinstance(document, dict) else None
    if not isinstance(resources, dict) or not all(
        isinstance(by_name, dict) and all(isinstance(body, dict) for body in by_name.values())
        for by_name in resources.values()
    ):
        raise SourceError(
            f'{path} is not a Terraform JSON configuration: expected an object whose "resource" '
            'maps each resource type to {"<name>": {<arguments>}}'
        )
    stack: dict[str, Any] = document
    return stack


def resources_of(stack: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{address: body}`` without cdktf's ``//`` metadata."""
    return {
        f"{resource_type}.{name}": {k: v for k, v in body.items() if k not in _IGNORED_KEYS}
        for resource_type, by_name in (stack.get("resource") or {}).items()
        for name, body in by_name.items()
    }


def forgotten_addresses(stack: dict[str, Any]) -> set[str]:
    """Addresses of the stack's ``removed`` blocks with ``lifecycle { destroy = false }``: they
    leave the state, the objects stay ("Remove a resource from state",
    https://developer.hashicorp.com/terraform/language/state/remove). A ``removed`` block without
    it, or with ``destroy = true``, destroys the object: still a risk."""
    return {
        str(item["from"])
        for item in stack.get("removed") or []
        if isinstance(item, dict)
        and "from" in item
        and isinstance(item.get("lifecycle"), dict)
        and item["lifecycle"].get("destroy") is False
    }


def _changed_keys(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))


def _forcing_changes(resource_type: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    forcing = FORCES_REPLACEMENT.get(resource_type, {})
    return [key for key in sorted(forcing) if before.get(key) != after.get(key)]


def _describe(value: Any) -> str:
    return json.dumps(value) if value is not None else "(unset)"


#: Why a removed stateful resource is a risk, with the rename cases (``{new}``: the added address).
REMOVED = "removed: Terraform destroys it"
MOVED_WITHOUT_BLOCK = "address moved to {new} without a moved block: Terraform destroys and re-creates it"
LOOKS_RENAMED = (
    "removed: Terraform destroys it; it looks renamed to {new} (same settings apart from names: {changed})"
)


def _removal_reason(rename: Rename | None) -> str:
    if rename is None:
        return REMOVED
    if rename.same_object:
        return MOVED_WITHOUT_BLOCK.format(new=rename.new)
    return LOOKS_RENAMED.format(new=rename.new, changed=", ".join(rename.changed))


def diff_stack(name: str, base: dict[str, Any] | None, head: dict[str, Any] | None) -> StackDiff:
    result = StackDiff(name)
    before = resources_of(base or {})
    after = resources_of(head or {})
    blocks, result.moved_problems = read_moved_blocks(head or {})
    moved = effective_moves(blocks, before, after, result.moved_problems)
    result.moved = moved
    result.added = sorted(set(after) - set(before) - set(moved.values()))
    forgotten = forgotten_addresses(head or {})
    result.forgotten = sorted((set(before) - set(after) - set(moved)) & forgotten)
    removed = sorted(set(before) - set(after) - set(moved) - forgotten)
    result.removed = removed
    result.renamed = [
        dataclasses.replace(rename, forcing=_forcing_after_move(rename, after[rename.new]))
        for rename in find_renames(removed, result.added, before, after, IDENTITY_KEYS)
    ]
    renames = {rename.old: rename for rename in result.renamed}
    for address in removed:
        if type_of(address) in GUARDED_TYPES:
            result.risks.append(Risk(name, address, _removal_reason(renames.get(address))))

    pairs = [(address, address) for address in sorted(set(before) & set(after))] + sorted(moved.items())
    for old, new in pairs:
        body = through_moves(before[old], moved)
        changed = _changed_keys(body, after[new])
        if changed:
            result.changed[new] = changed
        resource_type = type_of(new)
        forcing = _forcing_changes(resource_type, body, after[new])
        if forcing and resource_type in GUARDED_TYPES:
            details = ", ".join(
                f"{key} {_describe(body.get(key))} -> {_describe(after[new].get(key))}" for key in forcing
            )
            if replaced_safely(resource_type, after[new]):
                continue  # the new one is created (with a new name) before the old one goes
            reason = f"replaced: {details} forces a new resource"
            if creates_before_destroy(after[new]) and "name" in after[new]:
                reason += (
                    f"; with create_before_destroy and the fixed name {_describe(after[new]['name'])} "
                    "the new one collides with the old one (use name_prefix)"
                )
            result.risks.append(Risk(name, new, reason))
    return result


def creates_before_destroy(body: dict[str, Any]) -> bool:
    """True when the resource's ``lifecycle`` has ``create_before_destroy``."""
    return bool((body.get("lifecycle") or {}).get("create_before_destroy"))


def replaced_safely(resource_type: str, body: dict[str, Any]) -> bool:
    """A replacement without harm: a resource that holds no data, is created before the old
    one is destroyed, and has no fixed name (``name_prefix``: Terraform appends a unique suffix),
    so old and new exist side by side while dependents move over (a target group behind a
    listener, a parameter group under a database, a security group)."""
    return (
        resource_type not in STATEFUL_TYPES
        and creates_before_destroy(body)
        and "name" not in body
        and "name_prefix" in body
    )


def diff_outputs(base: Stacks, head: Stacks) -> DiffResult:
    names = sorted(set(base) | set(head))
    return DiffResult({name: diff_stack(name, base.get(name), head.get(name)) for name in names})


#: The line for an ``--allow-replace`` pattern that acknowledges nothing (a typo, a risk gone).
UNUSED_ACKNOWLEDGEMENT = (
    "UNUSED --allow-replace {pattern}: nothing in this diff is destroyed or replaced at that address; "
    "remove it, or its `stackkit-allow-replace: {pattern}` line in the pull request description"
)


def unused_lines(result: DiffResult, allowed: tuple[str, ...]) -> list[str]:
    """One line per unused ``--allow-replace`` pattern, with the closest risk when one is close."""
    known = sorted({risk.key for risk in result.risks} | {risk.address for risk in result.risks})
    lines = []
    for pattern in result.unused(allowed):
        line = UNUSED_ACKNOWLEDGEMENT.format(pattern=pattern)
        close = difflib.get_close_matches(pattern, known, n=1, cutoff=0.8)
        lines.append(f"{line} (did you mean {close[0]}?)" if close else line)
    return lines


def _forcing_after_move(rename: Rename, body: dict[str, Any]) -> tuple[str, ...]:
    """What still replaces a renamed resource once a moved block carries it: a changed attribute
    that forces a new resource (unless it is replaced safely, see :func:`replaced_safely`)."""
    resource_type = type_of(rename.new)
    if replaced_safely(resource_type, body):
        return ()
    forcing = FORCES_REPLACEMENT.get(resource_type, {})
    return tuple(key for key in rename.changed if key in forcing)


def render_diff(result: DiffResult, allowed: tuple[str, ...] = ()) -> str:
    """The human-readable report of :func:`diff_outputs`."""
    lines: list[str] = []
    for name, diff in result.stacks.items():
        lines.append(
            f"== {name}: {len(diff.added)} added, {len(diff.removed)} removed, "
            f"{len(diff.changed)} changed, {len(diff.moved)} moved (moved blocks)"
        )
        lines += [f"   + {address}" for address in diff.added]
        lines += [f"   - {address}" for address in diff.removed]
        lines += [f"   ~ {address}: {', '.join(keys)}" for address, keys in diff.changed.items()]
        lines += [f"   > {old} -> {new}" for old, new in diff.moved.items()]
        lines += [
            f"   = {address}: leaves this state, not destroyed (removed block)" for address in diff.forgotten
        ]
        lines += [f"   ! {problem}" for problem in diff.moved_problems]
        for risk in diff.risks:
            acknowledged = risk.address in allowed or risk.key in allowed
            marker = "ACKNOWLEDGED" if acknowledged else "RISK"
            lines.append(f"   {marker} {risk.address}: {risk.reason}")
        lines += [f"   {line}" for line in rename_advice(diff.renamed)]
    open_risks = result.unacknowledged(allowed)
    if open_risks:
        lines.append(
            f"{len(open_risks)} stateful resource(s) would be destroyed or replaced. If that is "
            "intended, acknowledge each one:"
        )
        # One line per risk: a flag, or `stackkit-allow-replace: <key>` in the PR description.
        lines += [f"   --allow-replace {risk.key}" for risk in open_risks]
    else:
        lines.append("No unacknowledged destruction or replacement of stateful resources.")
    # An acknowledgement that matches nothing is never silently ignored (it does not fail the
    # diff: it allows nothing; a typo leaves its risk unacknowledged, which fails).
    lines += unused_lines(result, allowed)
    return "\n".join(lines)
