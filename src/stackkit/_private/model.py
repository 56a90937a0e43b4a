"""Base for every props and config model: frozen, keyword-only, unknown keys rejected."""

from __future__ import annotations

from typing import Any, Self

import pydantic

from stackkit.errors import ValidationError


class FrozenModel(pydantic.BaseModel):
    """Validated on construction; errors become :class:`stackkit.ValidationError`."""

    # defer_build: a model's validator is built on its first use, not at import: an app
    # imports every props model and uses a few of them.
    model_config = pydantic.ConfigDict(frozen=True, extra="forbid", validate_default=True, defer_build=True)

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except pydantic.ValidationError as error:
            raise ValidationError.from_pydantic(type(self).__name__, error) from None

    def replace(self, **changes: Any) -> Self:
        """A validated copy with ``changes`` applied (``model_copy`` would skip validation)."""
        return type(self)(**{**self.model_dump(exclude_unset=True), **changes})
