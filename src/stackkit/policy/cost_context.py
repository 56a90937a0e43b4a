"""What every cost rule works with: :class:`Priced` (what one rule found for one resource),
:class:`PricingContext` (the price table, the stack's resources and its providers' regions) and
the readers of literal values in the Terraform JSON. The rules are :mod:`stackkit.policy.cost_rules`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from stackkit.policy.prices import PriceTable

#: ``${aws_ecs_task_definition.api.arn}`` -> ("aws_ecs_task_definition", "api").
_REFERENCE = re.compile(r"\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}")


@dataclass
class Priced:
    """What one rule found for one resource: priced parts and the parts it could not price."""

    address: str
    parts: list[tuple[Decimal, str]] = field(default_factory=list)
    #: Reasons of the parts it could not price (each an "unpriced" entry of the stack).
    missing: list[str] = field(default_factory=list)
    #: What this resource also bills by use, beside its priced parts.
    by_use: list[str] = field(default_factory=list)

    def add(self, usd: Decimal, quantity: str) -> None:
        self.parts.append((usd, quantity))

    def usage(self, reason: str) -> None:
        """A charge billed by use: noted on the item when something is priced, else the whole
        resource is listed as usage-based."""
        self.by_use.append(reason)

    def unpriced(self, reason: str) -> None:
        self.missing.append(reason)


@dataclass(frozen=True)
class PricingContext:
    table: PriceTable
    resources: Mapping[str, Mapping[str, dict[str, Any]]]
    regions: Mapping[str | None, str | None]

    @property
    def hours(self) -> Decimal:
        return self.table.hours_per_month

    def region_of(self, body: Mapping[str, Any]) -> str | None:
        provider = body.get("provider")
        alias = provider.split(".", 1)[1] if isinstance(provider, str) and "." in provider else None
        return self.regions.get(alias)

    def referenced(self, value: object, resource_type: str) -> tuple[str, dict[str, Any]] | None:
        """The ``(name, body)`` of the ``resource_type`` resource ``value`` refers to."""
        if not isinstance(value, str):
            return None
        for found_type, name in _REFERENCE.findall(value):
            if found_type == resource_type and name in self.resources.get(resource_type, {}):
                return name, self.resources[resource_type][name]
        return None


def number(value: object) -> Decimal | None:
    """A literal number (cdktf writes some as strings); None for a token or anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value):
        return Decimal(value)
    return None


def plain(value: object) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def provider_regions(stack: Mapping[str, Any]) -> dict[str | None, str | None]:
    """``{alias: region}`` of the stack's AWS providers (None: the default provider); a region
    that is a token (``${var.region}``) is unknown (None)."""
    providers = (stack.get("provider") or {}).get("aws") or []
    regions: dict[str | None, str | None] = {}
    for provider in providers if isinstance(providers, list) else [providers]:
        region = provider.get("region")
        known = isinstance(region, str) and "${" not in region
        regions[provider.get("alias")] = region if known else None
    return regions


def table_rate(
    priced: Priced, ctx: PricingContext, region: str | None, kind: str, key: str | None, what: str
) -> Decimal | None:
    """The table's price, or None after noting the resource as unpriced (naming what is missing)."""
    if region is None:
        priced.unpriced(f"{what}: the resource's AWS provider names no literal region")
        return None
    price = ctx.table.price(kind, region, key)
    if price is None:
        priced.unpriced(f"{what} in {region}: no price in the table")
        return None
    return price.usd
