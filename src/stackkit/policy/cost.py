"""Monthly cost of synthesized stacks, offline, from the price table shipped in the wheel.

One rule per resource type reads the quantities from the Terraform JSON (instance class, node
count, task count and size, NAT gateways, alarms ...) and multiplies them by the table's price
for the resource's region (its provider's ``region``), 730 hours a month. What has no fixed
price in the table is listed by address, never counted as 0: ``usage-based`` (billed by use:
backup and bucket storage, log ingestion, requests) or ``unpriced`` (a fixed charge the table
has no confirmed figure for: an instance class, a region, a resource type stackkit has no rule
for). Resource types that cost nothing by themselves (IAM, security groups, subnets, route
tables, listeners, policies ...) are not listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from stackkit.policy.cost_context import PricingContext, provider_regions
from stackkit.policy.cost_rules import price_resource
from stackkit.policy.prices import PriceTable, load_prices

CENT = Decimal("0.01")
Kind = Literal["usage-based", "unpriced"]


@dataclass(frozen=True)
class CostItem:
    """A resource's fixed monthly cost (USD, to the cent) and the quantity it was priced on."""

    address: str
    monthly: Decimal
    quantity: str


@dataclass(frozen=True)
class Unpriced:
    """A resource (or part of one) whose cost is not counted, and why."""

    address: str
    kind: Kind
    reason: str


@dataclass(frozen=True)
class StackCost:
    stack: str
    region: str | None
    items: tuple[CostItem, ...]
    unpriced: tuple[Unpriced, ...]

    @property
    def monthly(self) -> Decimal:
        """The sum of the priced items (each rounded to the cent)."""
        return sum((item.monthly for item in self.items), Decimal("0.00"))

    def item(self, address: str) -> CostItem | None:
        return next((item for item in self.items if item.address == address), None)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def stack_cost(name: str, stack: Mapping[str, Any], table: PriceTable | None = None) -> StackCost:
    """The monthly cost of one synthesized stack (its ``cdk.tf.json``)."""
    resources: Mapping[str, Mapping[str, dict[str, Any]]] = stack.get("resource") or {}
    regions = provider_regions(stack)
    ctx = PricingContext(table or load_prices(), resources, regions)
    items: list[CostItem] = []
    unpriced: list[Unpriced] = []
    for resource_type in sorted(resources):
        for resource_name, body in sorted(resources[resource_type].items()):
            address = f"{resource_type}.{resource_name}"
            priced = price_resource(resource_type, address, body, ctx)
            if priced.parts:
                total = sum((usd for usd, _ in priced.parts), Decimal(0))
                quantity = "; ".join(text for _, text in priced.parts)
                if priced.by_use:
                    quantity += f"; usage-based, not counted: {', '.join(priced.by_use)}"
                items.append(CostItem(address, _money(total), quantity))
            elif priced.by_use and not priced.missing:
                unpriced.append(Unpriced(address, "usage-based", ", ".join(priced.by_use)))
            unpriced += [Unpriced(address, "unpriced", reason) for reason in priced.missing]
    return StackCost(name, regions.get(None), tuple(items), tuple(unpriced))


def estimate(
    stacks: Mapping[str, Mapping[str, Any]], table: PriceTable | None = None
) -> dict[str, StackCost]:
    """``{stack: StackCost}`` for every stack (as ``load_stacks`` of the replacement guard returns them)."""
    return {name: stack_cost(name, body, table) for name, body in stacks.items()}


# --- reports -----------------------------------------------------------------------------------


def cost_document(costs: Mapping[str, StackCost], table: PriceTable | None = None) -> dict[str, Any]:
    """The ``stackkit cost --format json`` document."""
    table = table or load_prices()
    return {
        "price_date": table.price_date,
        "currency": table.currency,
        "stacks": {
            name: {
                "monthly": float(cost.monthly),
                "items": [
                    {"address": item.address, "monthly": float(item.monthly), "quantity": item.quantity}
                    for item in cost.items
                ],
                "unpriced": sorted({missing.address for missing in cost.unpriced}),
            }
            for name, cost in costs.items()
        },
    }


def _usd(value: Decimal) -> str:
    return f"${value:,.2f}"


def _table(rows: list[tuple[str, str, str]]) -> list[str]:
    width = max(len(address) for address, _, _ in rows)
    money = max(len(monthly) for _, monthly, _ in rows)
    return [f"   {address:<{width}}  {monthly:>{money}}  {text}".rstrip() for address, monthly, text in rows]


def render_costs(costs: Mapping[str, StackCost], table: PriceTable | None = None) -> str:
    """The readable report: per stack, its priced items (largest first), then what is not
    counted, grouped by reason."""
    table = table or load_prices()
    lines: list[str] = []
    for name, cost in costs.items():
        lines.append(f"== {name} ({cost.region or 'region unknown'}): {_usd(cost.monthly)} per month")
        ordered = sorted(cost.items, key=lambda item: (-item.monthly, item.address))
        if ordered:
            rows = [(item.address, _usd(item.monthly), item.quantity) for item in ordered]
            lines += _table([("address", "monthly", "quantity"), *rows])
        groups: dict[tuple[str, str], list[str]] = {}
        for missing in cost.unpriced:
            groups.setdefault((missing.kind, missing.reason), []).append(missing.address)
        for (kind, reason), addresses in groups.items():
            lines.append(f"   not counted, {kind}: {reason}")
            lines += [f"      {address}" for address in addresses]
    lines.append(
        f"Prices in {table.currency} as of {table.price_date}, {table.hours_per_month} hours a month, "
        "from the table shipped with stackkit (stackkit/policy/prices.json; sources in docs/gate/cost.md). "
        "Usage-based and unpriced items are not in the totals."
    )
    return "\n".join(lines)
