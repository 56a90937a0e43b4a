"""The environments, as data: each states only what differs from the seed's defaults.

Replace the account ids and state buckets with yours before deploying.
"""

from __future__ import annotations

from typing import Any

from stackkit.errors import ValidationError
from stackkit.stacks.config import ENVIRONMENT_NAMES, EnvironmentConfig

ENVIRONMENTS: dict[str, dict[str, Any]] = {
    "dev": {
        "allowed_account_ids": ["111111111111"],
        "state_bucket": "stackkit-tfstate-dev",
    },
    "staging": {
        "allowed_account_ids": ["222222222222"],
        "state_bucket": "stackkit-tfstate-staging",
    },
    "prod": {
        "allowed_account_ids": ["333333333333"],
        "state_bucket": "stackkit-tfstate-prod",
        "az_count": 3,
        "nat": "per_az",
    },
}


def load_environment(name: str, **overrides: Any) -> EnvironmentConfig:
    """The validated config of environment ``name``, with optional field ``overrides``."""
    if name not in ENVIRONMENTS:
        raise ValidationError(
            "EnvironmentConfig",
            [("environment", f"unknown environment {name!r}; use one of {', '.join(ENVIRONMENT_NAMES)}")],
        )
    return EnvironmentConfig(environment=name, **{**ENVIRONMENTS[name], **overrides})
