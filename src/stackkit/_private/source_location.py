"""Where in the user's code a resource was created, recorded on the resource for the gate.

``stackkit check`` reports a finding on the Python line that created the resource (SARIF
location), not only on the synthesized JSON. The line is the first stack frame outside the
stackkit package, relative to the working directory (the repository root, where ``cdktf synth``
runs the app); frames outside it (site-packages, the interpreter) are not the user's.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

#: ``stack["//"][SOURCES_KEY] = {"aws_db_instance.orders_db": "app.py:12", ...}``: one map per
#: stack, written once at synthesis (one override per stack instead of one per resource, each a
#: round trip to the jsii kernel). ``//`` is a comment key in Terraform JSON.
SOURCES_KEY = "stackkit_sources"
#: ``resource["//"][SOURCE_KEY] = "app.py:12"``: where stackkit 0.2 pre-releases recorded it;
#: the gate still reads it.
SOURCE_KEY = "stackkit_source"
_PACKAGE = Path(__file__).resolve().parents[1]
#: ``resource.<CREATED_AT_ATTRIBUTE> = "app.py:12"``: a resource or data source that the user's
#: own code created with a provider binding (``IamRolePolicy(stack, ...)``), where.
CREATED_AT_ATTRIBUTE = "_stackkit_created_at"
#: stackkit's frames that only pass a creation through (this hook, the bindings' wrappers).
_PASS_THROUGH = frozenset({Path(__file__).resolve(), Path(__file__).resolve().with_name("loading.py")})
_WATCHING = "_stackkit_watching"
#: How many resources the user's code created in this process (0: no stack needs to look).
USER_CREATED: list[int] = [0]


class _Overridable(Protocol):
    def add_override(self, path: str, value: object) -> None: ...


@lru_cache(maxsize=1024)
def _user_path(filename: str, base: Path) -> str | None:
    """``filename`` relative to ``base`` when it is the user's code, else None. Cached: every
    resource walks the same few frames, and resolving a path is a file-system call."""
    path = Path(filename)
    if not (path.is_absolute() or path.exists()):
        return None  # <frozen ...>, <string>
    resolved = path.resolve()
    mine = not resolved.is_relative_to(_PACKAGE) and "site-packages" not in resolved.parts
    return resolved.relative_to(base).as_posix() if mine and resolved.is_relative_to(base) else None


@lru_cache(maxsize=64)
def _resolved(directory: str) -> Path:
    return Path(directory).resolve()


def user_frame(root: Path | None = None) -> str | None:
    """``path:line`` of the first caller outside stackkit and under ``root`` (default: cwd)."""
    base = _resolved(str(root) if root is not None else os.getcwd())
    frame = sys._getframe(1)
    while frame is not None:
        relative = _user_path(frame.f_code.co_filename, base)
        if relative is not None:
            return f"{relative}:{frame.f_lineno}"
        frame = frame.f_back  # type: ignore[assignment]
    return None


def record_source(sources: dict[str, str], address: str) -> None:
    """Note the user's ``file:line`` for ``address`` (``type.name``) in ``sources``, the stack's
    map that :func:`write_sources` writes at synthesis (nothing when no user frame is found)."""
    where = user_frame()
    if where is not None:
        sources[address] = where


def write_sources(stack: _Overridable, sources: dict[str, str]) -> None:
    """Write the stack's map of source lines into its JSON (``//.stackkit_sources``)."""
    if sources:
        stack.add_override(f"//.{SOURCES_KEY}", dict(sorted(sources.items())))


@lru_cache(maxsize=1024)
def _creator(filename: str, base: Path) -> str:
    """What a frame of ``filename`` says about who created a resource: ``""`` pass on (an
    installed package: jsii, the bindings; the interpreter; stackkit's pass-through wrappers),
    ``"stackkit"`` (a construct of the library, which pins and records its resources), else the
    user's path relative to ``base``."""
    path = Path(filename)
    if not (path.is_absolute() or path.exists()):
        return ""
    resolved = path.resolve()
    if resolved in _PASS_THROUGH:
        return ""
    if resolved.is_relative_to(_PACKAGE):  # stackkit installed in site-packages too
        return "stackkit"
    if "site-packages" in resolved.parts:
        return ""
    return resolved.relative_to(base).as_posix() if resolved.is_relative_to(base) else ""


def creator_frame(frame: FrameType | None, root: Path | None = None) -> str | None:
    """``path:line`` of the user's code that created a resource, walking out from ``frame``; None
    when stackkit's own code created it (or no frame is the user's)."""
    base = _resolved(str(root) if root is not None else os.getcwd())
    while frame is not None:
        who = _creator(frame.f_code.co_filename, base)
        if who == "stackkit":
            return None
        if who:
            return f"{who}:{frame.f_lineno}"
        frame = frame.f_back
    return None


def watch_created(
    jsii: Any, elements: tuple[type, ...], stacks: tuple[type, ...], on_stack: Callable[[Any], None]
) -> None:
    """Note where the user's code creates each resource or data source (``elements``), so that
    the gate reports a finding on a team's own ``IamRolePolicy(...)`` line too, not only on
    those of stackkit's constructs (which :func:`record_source` notes when they pin an address).

    Every provider binding creates its object through ``jsii.create(cls, self, args)`` (the
    generated ``__init__``), a module attribute looked up at each call: wrapped once here, it
    sets :data:`CREATED_AT_ATTRIBUTE` on the Python object and calls ``on_stack`` with each new
    stack (of ``stacks``), which registers the writer of the stack's map. It changes nothing
    else: the original ``create`` runs first, with the same arguments, and its result is
    returned. ``jsii`` is the jsii runtime module (from ``_private/cdk.py``, the one place that
    imports the CDK)."""
    original = jsii.create
    if getattr(original, _WATCHING, False):
        return

    @functools.wraps(original)
    def create(klass: Any, obj: Any, args: Any = None) -> Any:
        reference = original(klass, obj, args)
        if isinstance(klass, type):
            if issubclass(klass, elements):
                where = creator_frame(sys._getframe(1))
                if where is not None:
                    setattr(obj, CREATED_AT_ATTRIBUTE, where)
                    USER_CREATED[0] += 1
            elif issubclass(klass, stacks):
                on_stack(obj)
        return reference

    setattr(create, _WATCHING, True)
    jsii.create = create
