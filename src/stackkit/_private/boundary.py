"""Typed boundaries: a ``*Like`` parameter (a structural protocol such as ``NetworkLike``) is
checked where it is passed, so a wrong object fails at the call, naming the parameter, instead
of as an ``AttributeError`` deep inside a construct."""

from __future__ import annotations

from typing import Any


def protocol_members(protocol: type) -> tuple[str, ...]:
    """The attributes a ``typing.Protocol`` class declares (properties, methods, annotations),
    its own and its protocol bases', in declaration order. A protocol's bases are protocols
    (Python refuses others), and what ``typing.Protocol``, ``Generic`` and ``object`` define is
    private (``_``-prefixed or dunder), so every public name found is the protocol's."""
    names: list[str] = []
    for klass in reversed(protocol.__mro__):
        for name in [*vars(klass).get("__annotations__", {}), *vars(klass)]:
            if not name.startswith("_") and name not in names:
                names.append(name)
    return tuple(names)


def missing_members(value: Any, required: tuple[str, ...]) -> list[str]:
    """The names of ``required`` that ``value`` does not have (reading each one once; a
    property that raises counts as missing)."""
    missing = []
    for name in required:
        try:
            getattr(value, name)
        except Exception:
            missing.append(name)
    return missing


def require_like(
    value: Any,
    parameter: str,
    protocol: type,
    *,
    kind: str | None = None,
    ignore: frozenset[str] = frozenset(),
) -> Any:
    """``value`` when it has every member of ``protocol``; else a ``TypeError`` naming the
    parameter, the expected kind and what is missing, e.g.::

        database: expected a Database or any DatabaseLike object (with address, port, ...);
        got a Cache, missing address, database_name, username
    """
    required = tuple(name for name in protocol_members(protocol) if name not in ignore)
    missing = missing_members(value, required)
    if missing:
        raise TypeError(like_message(value, parameter, protocol, missing, kind=kind))
    return value


def like_message(
    value: Any, parameter: str, protocol: type, missing: list[str], *, kind: str | None = None
) -> str:
    name = protocol.__name__
    kind = kind or name.removesuffix("Like")
    return (
        f"{parameter}: expected a {kind} or any {name} object (with "
        f"{', '.join(protocol_members(protocol))}); got {_describe(value)}, missing "
        f"{', '.join(missing)}"
    )


def _describe(value: Any) -> str:
    if value is None:
        return "None"
    name = type(value).__name__
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return f"{article} {name}"
