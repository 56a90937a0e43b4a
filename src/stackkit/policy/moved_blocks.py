"""A stack's ``moved`` blocks as the replacement guard reads them: which old address each one
carries to which new one (a chain ``a -> b -> c`` carries ``a`` to ``c``), and a plain line for
every block that carries nothing although it should (malformed, or its target is missing) or that
``terraform plan`` refuses.

A ``moved`` block renames an object in the state before Terraform plans: "Terraform checks the
state for an existing object at the address specified in the from field" and renames it to the
``to`` address ("moved block reference",
https://developer.hashicorp.com/terraform/language/moved; "Refactor modules",
https://developer.hashicorp.com/terraform/language/modules/develop/refactoring).
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Terraform's own names for the moved blocks it refuses at plan time (hashicorp/terraform,
#: internal/refactoring/move_validate.go, ``ValidateMoves``).
_REDUNDANT, _STILL_EXISTS, _AMBIGUOUS = (
    "Redundant move statement",
    "Moved object still exists",
    "Ambiguous move statements",
)


def read_moved_blocks(stack: dict[str, Any]) -> tuple[list[tuple[str, str]], list[str]]:
    """The stack's ``moved`` blocks as ``(from, to)`` pairs, and a line for each block that is
    not one (ignored: it carries no state). cdktf writes a list; a lone object is one block."""
    blocks = stack.get("moved")
    if blocks is None:
        return [], []
    if isinstance(blocks, dict):
        blocks = [blocks]
    if not isinstance(blocks, list):
        return [], [f'"moved" is {json.dumps(blocks)}, not a list of blocks: ignored, it carries no state']
    pairs: list[tuple[str, str]] = []
    problems: list[str] = []
    for block in blocks:
        source = block.get("from") if isinstance(block, dict) else None
        target = block.get("to") if isinstance(block, dict) else None
        if isinstance(source, str) and isinstance(target, str) and source and target:
            pairs.append((source, target))
        else:
            problems.append(
                f'moved block {json.dumps(block)} is not {{"from": "<type.name>", "to": "<type.name>"}}: '
                "ignored, it carries no state"
            )
    return pairs, problems


def effective_moves(
    blocks: list[tuple[str, str]], before: dict[str, Any], after: dict[str, Any], problems: list[str]
) -> dict[str, str]:
    """``{old address: new address}`` that the blocks carry from ``before`` to ``after`` (a chain
    ``a -> b -> c`` carries ``a`` to ``c``); ``problems`` gets a line per block that carries
    nothing although it should, or that ``terraform plan`` refuses."""
    targets: dict[str, str] = {}
    sources: dict[str, str] = {}
    for source, target in blocks:
        if source == target:
            problems.append(f'moved block {source} -> {target}: moves an address to itself ("{_REDUNDANT}")')
        elif source in targets and targets[source] != target:
            problems.append(
                f"moved block {source} -> {target}: {source} is already moved to {targets[source]} "
                f'("{_AMBIGUOUS}"): ignored'
            )
        elif target in sources and sources[target] != source:
            problems.append(
                f"moved block {source} -> {target}: {sources[target]} is already moved to {target} "
                f'("{_AMBIGUOUS}"): ignored'
            )
        else:
            targets[source], sources[target] = target, source
    moved: dict[str, str] = {}
    # Each address is moved from once and to once (the ambiguous blocks were left out above), so
    # following a chain either ends or comes back round to where it started.
    for source, target in targets.items():
        final = target
        while final not in after and final in targets and final != source:
            final = targets[final]
        if source in after:
            problems.append(
                f"moved block {source} -> {target}: {source} is still in this configuration "
                f'("{_STILL_EXISTS}"): remove the old resource or the block'
            )
        elif final not in after and source in before:
            problems.append(
                f"moved block {source} -> {target}: {target} is not in this configuration (a typo, or "
                f"removed since), so the block carries nothing and {source} counts as removed"
            )
        elif final not in after and source not in sources:
            problems.append(
                f"moved block {source} -> {target}: neither address is in these configurations; "
                "the block does nothing (remove it once no state holds the old address)"
            )
        elif source in before:
            moved[source] = final
    return moved


#: A resource address in a reference (``aws_vpc.main`` in ``${aws_vpc.main.id}``) or in
#: ``depends_on``; not a data source's (``data.aws_region.x``).
_ADDRESS = re.compile(r"(?<![\w.-])[a-z][a-z0-9]*_[a-z0-9_]*\.[A-Za-z0-9_-]+")


def through_moves(value: Any, moved: dict[str, str]) -> Any:
    """A base body as Terraform reads it after the moves: references to a moved resource name
    its new address (the same object: ``aws_vpc.old.id`` is ``aws_vpc.new.id`` after the move)."""
    if not moved:
        return value
    if isinstance(value, str):
        return _ADDRESS.sub(lambda found: moved.get(found.group(0), found.group(0)), value)
    if isinstance(value, dict):
        return {key: through_moves(item, moved) for key, item in value.items()}
    if isinstance(value, list):
        return [through_moves(item, moved) for item in value]
    return value
