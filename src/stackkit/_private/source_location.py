"""Where in the user's code a resource was created, recorded on the resource for the gate.

``stackkit check`` reports a finding on the Python line that created the resource (SARIF
location), not only on the synthesized JSON. The line is the first stack frame outside the
stackkit package, relative to the working directory (the repository root, where ``cdktf synth``
runs the app); frames outside it (site-packages, the interpreter) are not the user's.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Protocol

#: ``stack["//"][SOURCES_KEY] = {"aws_db_instance.orders_db": "app.py:12", ...}``: one map per
#: stack, written once at synthesis (one override per stack instead of one per resource, each a
#: round trip to the jsii kernel). ``//`` is a comment key in Terraform JSON.
SOURCES_KEY = "stackkit_sources"
#: ``resource["//"][SOURCE_KEY] = "app.py:12"``: where stackkit 0.2 pre-releases recorded it;
#: the gate still reads it.
SOURCE_KEY = "stackkit_source"
_PACKAGE = Path(__file__).resolve().parents[1]


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
