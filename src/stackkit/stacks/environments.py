"""The environments, as data: each states only what differs from the seed's defaults.

Replace the account ids and state buckets with yours before deploying.
"""

from __future__ import annotations

import os
from typing import Any

from stackkit.errors import ValidationError
from stackkit.stacks.config import ENVIRONMENT_NAMES, EnvironmentConfig

ENVIRONMENTS: dict[str, dict[str, Any]] = {
    "dev": {
        "allowed_account_ids": ["111111111111"],
        "state_bucket": "stackkit-tfstate-dev",
        "certificate_arn": (
            "arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-4000-8000-111111111111"
        ),
    },
    "staging": {
        "allowed_account_ids": ["222222222222"],
        "state_bucket": "stackkit-tfstate-staging",
        "certificate_arn": (
            "arn:aws:acm:us-east-1:222222222222:certificate/00000000-0000-4000-8000-222222222222"
        ),
    },
    "prod": {
        "allowed_account_ids": ["333333333333"],
        "state_bucket": "stackkit-tfstate-prod",
        "az_count": 3,
        "nat": "per_az",
        # A replica in a second AZ with automatic failover (prod refuses a single node).
        "cache": {"node_count": 2},
        # prod requests its own DNS-validated certificate in its hosted zone.
        "domain_name": "app.example.com",
        "hosted_zone_id": "Z0000000000000EXAMPLE",
    },
}


def load_environment(name: str, **overrides: Any) -> EnvironmentConfig:
    """The validated config of environment ``name``, with optional field ``overrides``."""
    if name not in ENVIRONMENTS:
        raise ValidationError(
            "EnvironmentConfig",
            [("environment", f"unknown environment {name!r}; use one of {', '.join(ENVIRONMENT_NAMES)}")],
        )
    # A deploy (or a rollback) picks the image without editing this file.
    image = os.environ.get(f"STACKKIT_{name.upper()}_SERVICE_IMAGE")
    from_env = {"service_image": image} if image else {}
    return EnvironmentConfig(environment=name, **{**ENVIRONMENTS[name], **from_env, **overrides})
