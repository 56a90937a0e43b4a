"""The value of ``${jsonencode(<HCL value>)}``, which cdktf writes for ``Fn.jsonencode(value)``:
read by stackkit's own Checkov checks (leniently) and by the gate's IAM analysis (strictly).

Checkov imports every ``.py`` file of this folder as a top-level module; this one holds no check
and imports only the standard library.
"""

from __future__ import annotations

import json
import re
from typing import Any


class DecodeError(ValueError):
    """A JSON-string attribute that is neither JSON nor a ``jsonencode(...)`` literal."""


_CALL = re.compile(r"^\$\{jsonencode\((.*)\)\}$", re.S)
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}
#: A bare expression that stands for a value: a reference (``aws_s3_bucket.b.arn``,
#: ``data.x.y.z[0].w``) or a function call; a ``for``, a conditional, an operator are not literals.
_BARE = re.compile(r"[A-Za-z_][\w-]*(\.[\w-]+|\[\d+\])*(\(.*\))?", re.S)


class _NotLiteral(Exception):
    pass


def jsonencoded(text: str, *, strict: bool = False) -> Any:
    """The value of ``${jsonencode(<HCL value>)}``, which cdktf writes for ``Fn.jsonencode(value)``;
    ``jsonencode`` of a literal is exactly the JSON of the value (Terraform language, *jsonencode
    Function*). Raises :class:`DecodeError` when ``text`` is not such a call or cannot be read
    (``strict``: holds an expression other than a literal, a reference or a function call)."""
    found = _CALL.fullmatch(text)
    if found is None:
        raise DecodeError("not a jsonencode(...) call")
    parser = _HclParser(found.group(1), strict=strict)
    try:
        value = parser.value()
        parser.space()
        if parser.index != len(parser.text):
            raise _NotLiteral
    except (_NotLiteral, IndexError):
        raise DecodeError("jsonencode(...) of a value that is not a literal") from None
    return value


class _HclParser:
    """The literal subset of HCL that ``Fn.jsonencode`` produces (Terraform language, *Types and
    Values*: an object is ``{ key = value, ... }``, a tuple ``[ value, ... ]``; a string may hold
    ``${...}`` interpolations, kept as they are): objects, tuples, strings, numbers, booleans,
    null. A reference or a function call becomes the string ``"${<expression>}"``, like a token in
    plain JSON. ``strict`` (the IAM analysis, which must read the document exactly): any other
    expression (a ``for``, a conditional, an operator) is not a literal; else it is kept as
    ``"${<expression>}"`` too (the policies, which look only at literal values)."""

    def __init__(self, text: str, *, strict: bool) -> None:
        self.text = text
        self.index = 0
        self.strict = strict

    def space(self) -> None:
        while self.index < len(self.text) and self.text[self.index] in " \t\r\n":
            self.index += 1

    def value(self) -> Any:
        self.space()
        char = self.text[self.index]
        if char == "{":
            return self._object()
        if char == "[":
            return self._tuple()
        if char == '"':
            return self._string()
        return self._bare()

    def _object(self) -> dict[str, Any]:
        self.index += 1
        found: dict[str, Any] = {}
        while True:
            self.space()
            if self.text[self.index] == "}":
                self.index += 1
                return found
            key = self._string() if self.text[self.index] == '"' else self._identifier()
            self.space()
            if self.text[self.index] not in "=:":
                raise _NotLiteral
            self.index += 1
            found[key] = self.value()
            self._separator("}")

    def _tuple(self) -> list[Any]:
        self.index += 1
        found: list[Any] = []
        while True:
            self.space()
            if self.text[self.index] == "]":
                self.index += 1
                return found
            found.append(self.value())
            self._separator("]")

    def _separator(self, closing: str) -> None:
        self.space()
        if self.text[self.index] == ",":
            self.index += 1
        elif self.text[self.index] != closing:
            raise _NotLiteral

    def _identifier(self) -> str:
        found = re.compile(r"[A-Za-z_][\w-]*").match(self.text, self.index)
        if found is None:
            raise _NotLiteral
        self.index = found.end()
        return found.group(0)

    def _string(self) -> str:
        """A quoted string, its ``${...}`` interpolations kept as they are."""
        self.index += 1
        pieces: list[str] = []
        literal = self.index
        while self.text[self.index] != '"':
            if self.text[self.index] == "\\":
                self.index += 2
            elif self.text.startswith("${", self.index):
                pieces.append(self._decoded(literal, self.index))
                end = self._closing(self.index + 1) + 1
                pieces.append(self.text[self.index : end])  # an interpolation, as it is
                self.index = literal = end
            else:
                self.index += 1
        pieces.append(self._decoded(literal, self.index))
        self.index += 1
        return "".join(pieces)

    def _decoded(self, start: int, end: int) -> str:
        """The literal text between ``start`` and ``end`` with its escapes read."""
        try:
            decoded: str = json.loads(f'"{self.text[start:end]}"')
        except ValueError:
            raise _NotLiteral from None
        return decoded

    def _closing(self, start: int) -> int:
        """The index of the bracket closing the one at ``start``, strings inside skipped."""
        pairs = {"{": "}", "(": ")", "[": "]"}
        stack = [pairs[self.text[start]]]
        index = start + 1
        while stack:
            char = self.text[index]
            if char == '"':
                index += 1
                while self.text[index] != '"':
                    index += 2 if self.text[index] == "\\" else 1
            elif char in pairs:
                stack.append(pairs[char])
            elif char == stack[-1]:
                stack.pop()
            elif char in ")]}":
                raise _NotLiteral
            index += 1
        return index - 1

    def _bare(self) -> Any:
        """A number, ``true``/``false``/``null``, or a reference or function call (as the
        string ``"${<expression>}"``)."""
        start = self.index
        while self.index < len(self.text) and self.text[self.index] not in ",]}":
            if self.text[self.index] in "([{":
                self.index = self._closing(self.index)
            elif self.text[self.index] == '"':
                if self.strict:
                    raise _NotLiteral  # a string inside an operator expression
                self._string()
                continue
            self.index += 1
        expression = self.text[start : self.index].strip()
        if expression in _LITERALS:
            return _LITERALS[expression]
        if _NUMBER.fullmatch(expression):
            number: Any = json.loads(expression)
            return number
        if not expression or (
            self.strict and (not _BARE.fullmatch(expression) or expression.startswith(("for ", "for(")))
        ):
            raise _NotLiteral
        return "${" + expression + "}"
