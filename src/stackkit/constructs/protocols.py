"""What other constructs need from a database and a cache: ``stackkit.Database`` /
``stackkit.Cache`` or a team's own (any object with these attributes). One pair, used by the
Service (connection settings, secrets, network access) and by Monitoring (alarm dimensions)."""

from __future__ import annotations

from typing import Any, Protocol

from stackkit._private.boundary import require_like
from stackkit.constructs.cluster import ClusterLike
from stackkit.constructs.connections import Connections
from stackkit.constructs.network import NetworkLike


class DatabaseLike(Protocol):
    """A PostgreSQL database: ours (``stackkit.Database``) or a team's own."""

    @property
    def identifier(self) -> str:
        """The RDS instance identifier (the DBInstanceIdentifier dimension of its metrics)."""
        ...

    @property
    def allocated_storage_gb(self) -> int:
        """Allocated storage, for the free-storage alarm."""
        ...

    @property
    def address(self) -> str: ...
    @property
    def port(self) -> int | float | str: ...
    @property
    def database_name(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def master_user_secret_arn(self) -> str:
        """The RDS-managed secret: JSON with ``username`` and ``password``."""
        ...

    @property
    def master_user_secret_kms_key_arn(self) -> str:
        """The KMS key that encrypts the managed secret (the task must decrypt it)."""
        ...

    @property
    def connections(self) -> Connections: ...


class CacheLike(Protocol):
    """A Redis replication group: ours (``stackkit.Cache``) or a team's own."""

    @property
    def replication_group_id(self) -> str: ...
    @property
    def member_cluster_ids(self) -> tuple[str, ...]:
        """The member clusters (the CacheClusterId dimension of the node metrics)."""
        ...

    @property
    def primary_endpoint(self) -> str: ...
    @property
    def port(self) -> int | float | str: ...
    @property
    def auth_secret_arn(self) -> str:
        """Secrets Manager secret whose value is the Redis AUTH token (a plain string)."""
        ...

    @property
    def connections(self) -> Connections: ...


#: Members only Monitoring reads (alarm dimensions and thresholds): a workload connects to a
#: team's own database or cache without them.
MONITORING_ONLY = frozenset(
    {"identifier", "allocated_storage_gb", "replication_group_id", "member_cluster_ids"}
)


def require_workload_inputs(**inputs: Any) -> None:
    """Check, at the call, each given ``network`` / ``cluster`` / ``database`` / ``cache``
    argument of a workload construct against its protocol (``None`` = not given): a wrong object
    is a ``TypeError`` naming the parameter and what is missing, not an ``AttributeError`` from
    deep inside the construct."""
    protocols: dict[str, type] = {
        "network": NetworkLike,
        "cluster": ClusterLike,
        "database": DatabaseLike,
        "cache": CacheLike,
    }
    for parameter, value in inputs.items():
        if value is not None:
            require_like(value, parameter, protocols[parameter], ignore=MONITORING_ONLY)


__all__ = ["CacheLike", "DatabaseLike", "require_workload_inputs"]
