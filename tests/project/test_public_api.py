"""The public API (``stackkit.__all__``) is deliberate: a snapshot of every public name, each
callable's signature and each props model's fields and defaults. A name that disappears or
changes fails here, so a breaking change needs a CHANGELOG entry and a new snapshot, written by
the script (the test only compares):

    .venv/bin/python -m tests.project.update_public_api
"""

from __future__ import annotations

import enum
import inspect
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pydantic

import stackkit

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = Path(__file__).parents[1] / "snapshots" / "public_api.json"


def _text(value: object) -> str:
    """A stable text for annotations and defaults (no memory addresses)."""
    if isinstance(value, type):
        return value.__name__
    return re.sub(r" at 0x[0-9a-f]+", "", str(value)).replace("typing.", "")


def _signature(function: Any) -> str:
    try:
        return _text(inspect.signature(function))
    except (TypeError, ValueError):
        return "(?)"


def _members(cls: type) -> dict[str, str]:
    """Public methods and properties that stackkit's own classes define."""
    found: dict[str, str] = {}
    for owner in reversed(cls.__mro__):
        if not owner.__module__.startswith("stackkit"):
            continue
        for name, value in vars(owner).items():
            if name.startswith("_") or name in ("model_config", "model_fields"):
                continue
            if isinstance(value, property):
                found[name] = "property"
            elif isinstance(value, classmethod | staticmethod):
                found[name] = f"{type(value).__name__}{_signature(getattr(cls, name))}"
            elif inspect.isfunction(value):
                found[name] = f"method{_signature(value)}"
    return dict(sorted(found.items()))


def _fields(model: type[pydantic.BaseModel]) -> dict[str, dict[str, str]]:
    fields: dict[str, dict[str, str]] = {}
    for name, info in model.model_fields.items():
        if info.is_required():
            default = "<required>"
        elif info.default_factory is not None:
            default = f"<factory: {_text(info.get_default(call_default_factory=True))}>"
        else:
            default = _text(repr(info.default))
        fields[name] = {"type": _text(info.annotation), "default": default}
    return fields


def describe(name: str, value: object) -> dict[str, Any]:
    if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
        return {"kind": "props model", "fields": _fields(value), "members": _members(value)}
    if isinstance(value, type) and issubclass(value, enum.Enum):
        return {"kind": "enum", "values": {member.name: member.value for member in value}}
    if isinstance(value, type) and getattr(value, "_is_protocol", False):
        return {"kind": "protocol", "members": _members(value)}
    if isinstance(value, type):
        # jsii classes' metaclass hides the signature of the class itself; __init__ has it.
        init = getattr(value, "__init__")  # noqa: B009 (mypy refuses value.__init__)
        return {"kind": "class", "init": _signature(init), "members": _members(value)}
    if callable(value) and inspect.isfunction(value):
        return {"kind": "function", "signature": _signature(value)}
    return {"kind": "value", "type": _text(type(value).__name__ if name != "EnvironmentName" else value)}


def public_api() -> dict[str, Any]:
    return {
        "__all__": sorted(stackkit.__all__),
        "names": {name: describe(name, getattr(stackkit, name)) for name in sorted(stackkit.__all__)},
    }


def test_public_api_matches_the_snapshot() -> None:
    current = public_api()
    recorded = json.loads(SNAPSHOT.read_text())
    gone = sorted(set(recorded["__all__"]) - set(current["__all__"]))
    assert gone == [], f"public names REMOVED (a breaking change): {gone}"
    added = sorted(set(current["__all__"]) - set(recorded["__all__"]))
    assert added == [], f"new public names; record them in the snapshot and the CHANGELOG: {added}"
    changed = sorted(name for name in current["names"] if current["names"][name] != recorded["names"][name])
    assert changed == [], (
        f"public API changed for {changed}; if deliberate, note it in CHANGELOG.md and regenerate "
        "with python -m tests.project.update_public_api"
    )


def test_every_public_name_is_importable_and_documented() -> None:
    for name in stackkit.__all__:
        value = getattr(stackkit, name)
        if isinstance(value, type) or inspect.isfunction(value):
            assert (value.__doc__ or "").strip(), f"{name} has no docstring"


def test_every_props_field_is_documented_with_its_default() -> None:
    """Each field of a public props / config model has a docstring under it (read from the
    source) that states its default, or that it is required."""
    undocumented = []
    for name in stackkit.__all__:
        model = getattr(stackkit, name)
        if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
            continue
        for owner in model.__mro__:
            if not owner.__module__.startswith("stackkit") or "__annotations__" not in vars(owner):
                continue
            source = inspect.getsource(owner)
            for field in owner.__annotations__:
                if field.startswith("_") or field == "model_config":
                    continue
                pattern = rf'\n    {field}: [^\n]*(?:\n(?:        [^\n]*|    \)))*\n    """(.*?)"""'
                documented = re.search(pattern, source, re.DOTALL)
                if not documented or not re.search(r"default|required", documented.group(1), re.IGNORECASE):
                    undocumented.append(f"{owner.__name__}.{field}")
    assert sorted(set(undocumented)) == []


def test_version_matches_pyproject_and_changelog() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert stackkit.__version__ == project["version"]
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"## {stackkit.__version__}" in changelog
