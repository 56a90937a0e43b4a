"""The offline price table shipped in the wheel (``prices.json`` beside this module).

Each price kind (``nat_gateway_hour``, ``rds_postgres_multi_az_hour`` ...) lists every region of
stackkit's region table; a region holds one or more entries ``{"source": ID, "usd": PRICE}``
(``PRICE`` a number, or ``{key: number}`` for kinds priced per class, node type, architecture or
storage type), or ``null`` when no figure could be sourced. ``sources[ID]`` names the AWS
pricing page, the stored copy the figure was read in (a repository file names its commit), that
copy's date, the date it was read, and its basis: ``aws-page`` (read in a copy of AWS's own page),
``price-list`` (a table a program generated from AWS's Price List offer files, committed to a
public repository), ``transcription`` (a dated third-party page or repository that transcribes
the AWS page) or ``derived`` (read nowhere: computed from another source's figure by a billing
rule AWS documents, named in the source's note).
Numbers are read as :class:`~decimal.Decimal`, so sums come out to the cent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

TABLE_FILE = "prices.json"


@dataclass(frozen=True)
class Source:
    """Where one price comes from."""

    id: str
    page: str
    seen_in: str | None
    read: str
    basis: str
    note: str


@dataclass(frozen=True)
class Price:
    """One confirmed price: USD per unit of its kind, and its source."""

    usd: Decimal
    source: Source


class PriceTable:
    """Lookups in the shipped table (or in a table given as data, for tests)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.price_date: str = document["price_date"]
        self.currency: str = document["currency"]
        self.hours_per_month = Decimal(document["hours_per_month"])
        self.sources = {
            key: Source(
                id=key,
                page=value["page"],
                seen_in=value.get("seen_in"),
                read=value["read"],
                basis=value["basis"],
                note=value.get("note", ""),
            )
            for key, value in document["sources"].items()
        }
        self.kinds: dict[str, dict[str, Any]] = document["prices"]

    def regions(self, kind: str) -> dict[str, Any]:
        regions: dict[str, Any] = self.kinds[kind]["regions"]
        return regions

    def unit(self, kind: str) -> str:
        return str(self.kinds[kind]["unit"])

    def price(self, kind: str, region: str, key: str | None = None) -> Price | None:
        """The price of ``kind`` in ``region`` (for ``key``, a class or type, where the kind has
        keys); None when the table has no confirmed figure."""
        entries = self.regions(kind).get(region)
        if entries is None:
            return None
        for entry in entries if isinstance(entries, list) else [entries]:
            usd = entry["usd"]
            if isinstance(usd, dict):
                if key is None or key not in usd:
                    continue
                usd = usd[key]
            elif key is not None:
                continue
            return Price(Decimal(usd), self.sources[entry["source"]])
        return None

    def keys(self, kind: str, region: str) -> list[str]:
        """The classes, types or architectures ``kind`` has a price for in ``region``."""
        entries = self.regions(kind).get(region) or []
        found: list[str] = []
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry["usd"], dict):
                found += list(entry["usd"])
        return sorted(found)


@cache
def load_prices() -> PriceTable:
    """The table shipped in the wheel (read once per process)."""
    text = resources.files("stackkit.policy").joinpath(TABLE_FILE).read_text(encoding="utf-8")
    return PriceTable(json.loads(text, parse_float=Decimal, parse_int=Decimal))
