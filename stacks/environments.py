"""The environments, as data: each states only what differs from the seed's defaults.

Replace the account ids and state buckets with yours before deploying.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stackkit import EnvironmentConfig, ValidationError

ENVIRONMENT_NAMES: tuple[str, ...] = ("dev", "staging", "prod")
#: The repository whose GitHub Actions deploy these environments (the CI roles trust only it).
GITHUB_REPOSITORY = "example-org/stackkit"

ENVIRONMENTS: dict[str, dict[str, Any]] = {
    "dev": {
        "github_repository": GITHUB_REPOSITORY,
        # Applied with stackkit 0.1: the ECR repository moves from the app stack's state into
        # the bootstrap stack's (removed/import blocks, CHANGELOG 0.2.0, issue 15).
        "adopt_image_repositories": True,
        "allowed_account_ids": ["111111111111"],
        "state_bucket": "stackkit-tfstate-dev",
        "certificate_arn": (
            "arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-4000-8000-111111111111"
        ),
    },
    "staging": {
        "github_repository": GITHUB_REPOSITORY,
        # Applied with stackkit 0.1: the ECR repository moves from the app stack's state into
        # the bootstrap stack's (removed/import blocks, CHANGELOG 0.2.0, issue 15).
        "adopt_image_repositories": True,
        "allowed_account_ids": ["222222222222"],
        "state_bucket": "stackkit-tfstate-staging",
        "alarm_emails": ["platform-alerts@example.com"],
        "certificate_arn": (
            "arn:aws:acm:us-east-1:222222222222:certificate/00000000-0000-4000-8000-222222222222"
        ),
    },
    "prod": {
        "github_repository": GITHUB_REPOSITORY,
        # Applied with stackkit 0.1: the ECR repository moves from the app stack's state into
        # the bootstrap stack's (removed/import blocks, CHANGELOG 0.2.0, issue 15).
        "adopt_image_repositories": True,
        "allowed_account_ids": ["333333333333"],
        "state_bucket": "stackkit-tfstate-prod",
        "alarm_emails": ["platform-alerts@example.com"],
        "az_count": 3,
        "nat": "per_az",
        # A replica in a second AZ with automatic failover (prod refuses a single node).
        "cache": {"node_count": 2},
        # prod requests its own DNS-validated certificate in its hosted zone.
        "domain_name": "app.example.com",
        "hosted_zone_id": "Z0000000000000EXAMPLE",
        # Recovery points copied to us-west-2 (prod's default DR region), locked in governance
        # mode; only the break-glass role may delete them. Its path keeps it outside
        # role/stackkit-*, the roles the CI deploy role may create and change (CHANGELOG 0.3.0).
        "backup": {
            "vault_lock": "governance",
            "break_glass_role_arn": "arn:aws:iam::333333333333:role/break-glass/stackkit-prod",
        },
    },
}


def load_environment(name: str, **overrides: Any) -> EnvironmentConfig:
    """The validated config of environment ``name``, with optional top-level field ``overrides``
    (a nested one such as ``service`` replaces the environment's whole ``service`` settings)."""
    if name not in ENVIRONMENTS:
        raise ValidationError(
            "EnvironmentConfig",
            [("environment", f"unknown environment {name!r}; use one of {', '.join(ENVIRONMENT_NAMES)}")],
        )
    return EnvironmentConfig(environment=name, **{**ENVIRONMENTS[name], **overrides})


def image_overrides(environ: Mapping[str, str]) -> dict[str, str]:
    """``{environment: image}`` from ``STACKKIT_<ENV>_SERVICE_IMAGE`` variables (each sets that
    environment's ``service.image``), so a deploy (or a rollback) picks the image without
    editing this file. Only entry points (main.py, the stackkit CLI) pass the process
    environment here; the library reads none."""
    found = {name: environ.get(f"STACKKIT_{name.upper()}_SERVICE_IMAGE", "") for name in ENVIRONMENT_NAMES}
    return {name: image for name, image in found.items() if image}
