"""What an environment may override on its service: :class:`ServiceSettings`, the ``service``
field of :class:`~stackkit.patterns.EnvironmentConfig`."""

from __future__ import annotations

from pydantic import Field, field_validator

from stackkit._private.model import FrozenModel
from stackkit.constructs.service import (
    DEFAULT_CPU,
    DEFAULT_DESIRED_COUNT,
    DEFAULT_ENVIRONMENT,
    DEFAULT_IMAGE,
    DEFAULT_MAX_COUNT,
    DEFAULT_MEMORY,
    DEFAULT_MIN_COUNT,
)


class ServiceSettings(FrozenModel):
    """What an environment may override on its service (``EnvironmentConfig.service``).
    Defaults: the seed's. Field names are :class:`~stackkit.constructs.service.ServiceProps`'."""

    image: str = DEFAULT_IMAGE
    """The app image: a tag in the service's ECR repository (default ``v1.0.0``, the seed's) or
    a full image URI. An entry point may override it per deploy (this repository's main.py reads
    ``STACKKIT_<ENV>_SERVICE_IMAGE``, see "Deploying and rollback" in the docs)."""
    cpu: int = DEFAULT_CPU
    """Fargate CPU units; default 512 (the seed's 0.5 vCPU)."""
    memory: int = DEFAULT_MEMORY
    """Fargate memory in MiB; default 1024 (the nearest valid size to the seed's 512 MiB)."""
    desired_count: int = DEFAULT_DESIRED_COUNT
    """Tasks at creation; default 3 (the seed's replicas)."""
    min_count: int = DEFAULT_MIN_COUNT
    """Autoscaling floor; default 3 (the seed's HPA). Production needs at least 2."""
    max_count: int = DEFAULT_MAX_COUNT
    """Autoscaling ceiling; default 20 (the seed's HPA)."""
    secrets: dict[str, str] = Field(default_factory=dict)
    """The service's own secrets as environment variables; default none. Variable name -> the
    ARN of a Secrets Manager secret or an SSM parameter in this environment's region (see
    ``ServiceProps.secrets``); the execution role may read exactly these."""
    secrets_kms_key_arns: tuple[str, ...] = ()
    """Customer-managed KMS keys that encrypt ``secrets``; default none (AWS managed keys need no
    grant). See ``ServiceProps.secrets_kms_key_arns``."""

    @field_validator("secrets")
    @classmethod
    def _not_the_plain_environment(cls, secrets: dict[str, str]) -> dict[str, str]:
        """An environment's service has no ``environment`` of its own: the default one is its."""
        plain = sorted(set(secrets) & set(DEFAULT_ENVIRONMENT))
        if plain:
            values = ", ".join(f"{name}={DEFAULT_ENVIRONMENT[name]}" for name in plain)
            raise ValueError(
                f"{', '.join(plain)} is the service's plain environment ({values}); give the secret "
                "another name"
            )
        return secrets
