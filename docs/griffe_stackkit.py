"""A griffe extension for the API reference (loaded by mkdocstrings, see mkdocs.yml).

- Props fields show their real default values: griffe reads the source, where a default is often a
  named constant (``DEFAULT_PORT``); this imports the model and shows what pydantic will use.
- Sphinx roles in docstrings (``:class:`~stackkit.Network```) become inline code, since
  mkdocstrings does not read them.
"""

from __future__ import annotations

import enum
import importlib
import re
from typing import Any

import griffe
import pydantic
from pydantic_core import PydanticUndefined

_ROLE = re.compile(r":(?:class|func|meth|mod|attr|data|exc|obj):`~?([^`]+)`")


def _plain_roles(text: str) -> str:
    return _ROLE.sub(lambda match: f"`{match[1].rsplit('.', 1)[-1]}`", text)


def _shown(value: Any) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    return repr(value)


class StackkitDocs(griffe.Extension):
    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        self._visit(pkg, seen=set())

    def _visit(self, obj: griffe.Object, seen: set[str]) -> None:
        if obj.path in seen:
            return
        seen.add(obj.path)
        if obj.docstring is not None:
            obj.docstring.value = _plain_roles(obj.docstring.value)
        if isinstance(obj, griffe.Class):
            self._real_defaults(obj)
        for member in obj.members.values():
            if not member.is_alias:
                self._visit(member, seen)  # type: ignore[arg-type]

    def _real_defaults(self, cls: griffe.Class) -> None:
        fields = [
            member
            for member in cls.members.values()
            if isinstance(member, griffe.Attribute) and "pydantic-field" in member.labels
        ]
        if not fields:
            return
        try:
            model = getattr(importlib.import_module(cls.module.path), cls.name)
        except (ImportError, AttributeError):
            return
        if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
            return
        for attr in fields:
            info = model.model_fields.get(attr.name)
            if info is None:
                continue
            if info.default_factory is not None:
                attr.value = _shown(info.default_factory())  # type: ignore[call-arg]  # no validated data
            elif info.default is not PydanticUndefined:
                attr.value = _shown(info.default)
