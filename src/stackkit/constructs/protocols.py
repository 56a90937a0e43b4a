"""What other constructs need from a database and a cache: ``stackkit.Database`` /
``stackkit.Cache`` or a team's own (any object with these attributes). One pair, used by the
Service (connection settings, secrets, network access) and by Monitoring (alarm dimensions)."""

from __future__ import annotations

from typing import Protocol

from stackkit.constructs.connections import Connections


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


__all__ = ["CacheLike", "DatabaseLike"]
