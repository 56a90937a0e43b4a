"""What a change does to the monthly cost: before, after and delta per stack, the items that
changed, and the ``--max-monthly-increase`` limit. Pure functions of two :func:`estimate` results,
for ``stackkit diff`` and for the pull request summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from stackkit.policy.cost import StackCost

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ItemChange:
    """One priced item whose monthly cost differs (None: absent on that side)."""

    address: str
    before: Decimal | None
    after: Decimal | None

    @property
    def delta(self) -> Decimal:
        return (self.after or ZERO) - (self.before or ZERO)


@dataclass(frozen=True)
class StackDelta:
    """One stack's monthly cost before and after (None: the stack is absent on that side)."""

    stack: str
    before: Decimal | None
    after: Decimal | None
    changed: tuple[ItemChange, ...]
    #: Addresses HEAD cannot price that BASE did not list: the delta may be understated.
    new_unpriced: tuple[str, ...] = ()

    @property
    def delta(self) -> Decimal:
        return (self.after or ZERO) - (self.before or ZERO)


def _stack_delta(name: str, base: StackCost | None, head: StackCost | None) -> StackDelta:
    before = {item.address: item.monthly for item in base.items} if base else {}
    after = {item.address: item.monthly for item in head.items} if head else {}
    changed = tuple(
        ItemChange(address, before.get(address), after.get(address))
        for address in sorted(set(before) | set(after))
        if before.get(address) != after.get(address)
    )
    known = {missing.address for missing in base.unpriced} if base else set()
    new_unpriced = tuple(sorted({m.address for m in head.unpriced} - known)) if head else ()
    return StackDelta(
        name, base.monthly if base else None, head.monthly if head else None, changed, new_unpriced
    )


def cost_deltas(base: Mapping[str, StackCost], head: Mapping[str, StackCost]) -> list[StackDelta]:
    """Per stack (of either side, sorted by name): monthly before, after and the changed items."""
    return [_stack_delta(name, base.get(name), head.get(name)) for name in sorted(set(base) | set(head))]


def over_limit(deltas: list[StackDelta], limit: Decimal) -> list[StackDelta]:
    """The stacks whose monthly increase exceeds ``limit`` (USD)."""
    return [delta for delta in deltas if delta.delta > limit]


def _usd(value: Decimal | None) -> str:
    return "-" if value is None else f"${value:,.2f}"


def _signed(value: Decimal) -> str:
    return f"{'+' if value >= 0 else '-'}${abs(value):,.2f}"


def _change_line(change: ItemChange) -> str:
    return f"   ~ {change.address}: {_usd(change.before)} -> {_usd(change.after)} ({_signed(change.delta)})"


def render_limit(deltas: list[StackDelta], limit: Decimal) -> str:
    """The ``stackkit diff --max-monthly-increase`` report: every stack's delta, and for each
    stack over the limit the items that changed."""
    lines = [f"Monthly cost (limit {_usd(limit)} increase per stack):"]
    for delta in deltas:
        lines.append(
            f"   {delta.stack}: {_usd(delta.before)} -> {_usd(delta.after)} ({_signed(delta.delta)})"
        )
        if delta.new_unpriced:
            new = ", ".join(delta.new_unpriced)
            lines.append(f"      not counted in HEAD (unpriced or usage-based): {new}")
    for delta in over_limit(deltas, limit):
        lines.append(
            f"COST OVER LIMIT {delta.stack}: {_signed(delta.delta)}/month (limit {_usd(limit)});"
            " changed items:"
        )
        lines += [_change_line(change) for change in delta.changed]
    if not over_limit(deltas, limit):
        lines.append(f"No stack's monthly cost rises by more than {_usd(limit)}.")
    return "\n".join(lines)


def delta_markdown(deltas: list[StackDelta]) -> str:
    """A Markdown table of the stacks whose cost changed (for the pull request summary); ""
    when no stack's priced items changed."""
    changed = [delta for delta in deltas if delta.changed or delta.before != delta.after]
    if not changed:
        return ""
    lines = [
        "| Stack | Monthly before | Monthly after | Delta | Changed items |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for delta in changed:
        items = "<br>".join(
            f"`{change.address}` {_usd(change.before)} → {_usd(change.after)}" for change in delta.changed
        )
        lines.append(
            f"| {delta.stack} | {_usd(delta.before)} | {_usd(delta.after)} | {_signed(delta.delta)}"
            f" | {items} |"
        )
    return "\n".join(lines)
