"""Catalogs of valid AWS values, kept as data in the package (each module names its source
and the date it was read: ``rds_postgres.INSTANCE_CLASSES``, ``elasticache.NODE_TYPES``), and
the one way to check a value against them (here, importing none of them)."""

from __future__ import annotations

import difflib
import sys
import warnings
from collections.abc import Iterable
from types import FrameType, ModuleType


class UncataloguedValueWarning(UserWarning):
    """A value outside stackkit's catalog was accepted because the caller opted out."""


def closest(value: str, choices: Iterable[str], count: int = 3) -> list[str]:
    """The valid names nearest to ``value`` (a typo's likely intent), best first: difflib's
    ratio of at least 0.6 (its default cutoff)."""
    return difflib.get_close_matches(value, sorted(choices), n=count)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """``"; did you mean db.t3.medium?"`` or ``""`` when nothing is close."""
    near = closest(value, choices)
    if not near:
        return ""
    return f"; did you mean {' or '.join(near)}?"


#: Packages whose frames a warning skips to reach the caller's line: stackkit itself and pydantic,
#: which runs the props validators.
_INTERNAL_PACKAGES = ("stackkit", "pydantic", "pydantic_core")


def _internal(frame: FrameType) -> bool:
    module = frame.f_globals.get("__name__")
    return isinstance(module, str) and module.partition(".")[0] in _INTERNAL_PACKAGES


def user_stacklevel(frame: FrameType) -> int:
    """The ``stacklevel`` for a ``warnings.warn`` called in ``frame`` that points at the line just
    outside the outermost stackkit or pydantic frame: the user's ``DatabaseProps(...)``, not a
    validator (Python 3.11 has no ``skip_file_prefixes``). Frames of other modules between
    stackkit's (a decorator's wrapper, a tracing or mutation-testing tool) are passed over too."""
    level, outside = 1, 1
    current: FrameType | None = frame
    while current is not None:
        if _internal(current):
            outside = level + 1
        current = current.f_back
        level += 1
    return outside


def check_catalogued(
    value: str,
    catalog: frozenset[str],
    *,
    what: str,
    source: str,
    retrieved: str,
    opt_out: str,
    allowed: bool,
) -> str:
    """``value`` if it is in ``catalog``. Otherwise a ``ValueError`` with the closest names and
    the opt-out, or, when the caller opted out (``allowed``), a warning and ``value``."""
    if value in catalog:
        return value
    if allowed:
        warnings.warn(
            f"{value!r} is not a {what} in stackkit's catalog ({source}, read {retrieved}); "
            f"accepted because {opt_out}=True. Check the name: AWS refuses unknown ones only at apply.",
            UncataloguedValueWarning,
            stacklevel=user_stacklevel(sys._getframe()),
        )
        return value
    raise ValueError(
        f"{value!r} is not a known {what}{did_you_mean(value, catalog)} "
        f"(catalog from {source}, read {retrieved}; for a newer one set {opt_out}=True)"
    )


def check_catalogued_field(
    field: str, value: str, catalog: frozenset[str], *, what: str, source: ModuleType, allowed: bool
) -> None:
    """:func:`check_catalogued` for a props field: the error starts with ``<field>: `` and the
    opt-out is the field ``allow_uncatalogued_<field>``; ``source`` is the catalog module (its
    ``SOURCE`` and ``RETRIEVED``)."""
    try:
        check_catalogued(
            value,
            catalog,
            what=what,
            source=source.SOURCE,
            retrieved=source.RETRIEVED,
            opt_out=f"allow_uncatalogued_{field}",
            allowed=allowed,
        )
    except ValueError as error:
        raise ValueError(f"{field}: {error}") from None


__all__ = [
    "UncataloguedValueWarning",
    "check_catalogued",
    "check_catalogued_field",
    "closest",
    "did_you_mean",
    "user_stacklevel",
]
