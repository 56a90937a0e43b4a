"""The library's own error: raised for invalid configuration before any cdktf object exists."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pydantic


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
            if not field:
                # A check across fields names its main field as "field: message".
                named = re.fullmatch(r"([a-z_][a-z0-9_.]*): (.*)", message, re.DOTALL)
                field, message = named.groups() if named else ("(model)", message)
            elif item["type"] != "missing":
                message = f"{message} (got {item['input']!r})"
            problems.append((field, message))
        return cls(model, problems)
