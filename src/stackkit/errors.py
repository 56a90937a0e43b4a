"""The library's own error: raised for invalid configuration before any cdktf object exists."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pydantic

#: A name pattern as the constructs write them: ``^[a-z][a-z0-9-]{1,26}[a-z0-9]$``.
_NAME_SHAPE = re.compile(r"^\^\[a-z\]\[a-z0-9-\]\{(\d+),(\d+)\}\[a-z0-9\]\$$")

#: Regex -> what it means for a person. Patterns of constructs this module cannot import
#: (it is imported by all of them) are written out; others register with :func:`describe_pattern`.
PATTERN_DESCRIPTIONS: dict[str, str] = {
    r"^Z[A-Z0-9]{1,31}$": (
        "must be a Route 53 hosted zone id: Z followed by 1-31 uppercase letters or digits, "
        "e.g. Z0123456789ABCDEFGHIJ"
    ),
    r"^ELBSecurityPolicy-TLS13-": (
        "must be an ELB security policy that offers TLS 1.3 (ELBSecurityPolicy-TLS13-...), "
        "e.g. ELBSecurityPolicy-TLS13-1-2-2021-06"
    ),
    r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$": (
        "must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting "
        "and ending with a letter or digit"
    ),
}


def describe_pattern(pattern: str, description: str) -> str:
    """Register what ``pattern`` means, for messages; returns ``pattern`` (use it inline)."""
    PATTERN_DESCRIPTIONS[pattern] = description
    return pattern


def _name_hints(value: str, low: int, high: int) -> list[str]:
    hints = []
    if any(c.isupper() for c in value):
        hints.append("no uppercase letters")
    if "_" in value:
        hints.append("no underscores")
    if not low <= len(value) <= high:
        hints.append(f"it has {len(value)} characters")
    if value[:1] and not value[:1].isalpha():
        hints.append("it must start with a letter")
    if value.endswith("-"):
        hints.append("it must not end with a hyphen")
    return hints


def human_pattern_message(pattern: str, value: Any) -> str | None:
    """A sentence for a person instead of ``String should match pattern '<regex>'``, or None."""
    shape = _NAME_SHAPE.fullmatch(pattern)
    if shape:
        low, high = int(shape[1]) + 2, int(shape[2]) + 2
        message = (
            f"use lowercase letters, digits and hyphens, {low}-{high} characters, starting with a "
            "letter and ending with a letter or digit"
        )
        hints = _name_hints(value, low, high) if isinstance(value, str) else []
        return f"{message} ({'; '.join(hints)})" if hints else message
    return PATTERN_DESCRIPTIONS.get(pattern)


#: Fields whose given value a message never repeats: a container's plain ``environment`` is where a
#: secret lands by mistake (a DATABASE_URL with its password), and the message goes to CI logs.
_NOT_ECHOED = frozenset({"environment"})


class ValidationError(ValueError):
    """Invalid configuration or props.

    The message names the model, each offending field, the value given and what would be valid.
    Raised before synthesis, so no jsii stack trace ever reaches the user.
    """

    def __init__(self, model: str, problems: list[tuple[str, str]]) -> None:
        self.model = model
        self.problems = problems
        lines = [f"invalid {model}:"] + [f"  - {field}: {message}" for field, message in problems]
        super().__init__("\n".join(lines))

    @property
    def fields(self) -> list[str]:
        """The offending fields, dotted for nested ones (``network.cidr``)."""
        return [field for field, _ in self.problems]

    @classmethod
    def from_pydantic(cls, model: str, error: pydantic.ValidationError) -> ValidationError:
        problems: list[tuple[str, str]] = []
        for item in error.errors(include_url=False):
            field = ".".join(str(part) for part in item["loc"])
            nested = item.get("ctx", {}).get("error")
            if isinstance(nested, ValidationError):  # a nested props model validated itself
                problems += [
                    (f"{field}.{inner}" if field else inner, text) for inner, text in nested.problems
                ]
                continue
            message = item["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
            if item["type"] == "string_pattern_mismatch":
                pattern = str(item.get("ctx", {}).get("pattern"))
                message = human_pattern_message(pattern, item["input"]) or message
            if not field:
                # A check across fields names its main field as "field: message".
                named = re.fullmatch(r"([a-z_][a-z0-9_.]*): (.*)", message, re.DOTALL)
                field, message = named.groups() if named else ("(model)", message)
            elif item["type"] != "missing" and not _NOT_ECHOED.intersection(map(str, item["loc"])):
                message = f"{message} (got {item['input']!r})"
            problems.append((field, message))
        return cls(model, problems)
