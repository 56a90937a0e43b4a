"""Restore sources: where a new Database or Cache takes its data from.

A restore creates a *new* instance (or replication group); it never rewinds an existing one.
On an existing stack, setting a restore source replaces the resource: the replacement guard
(``stackkit diff``) flags it, because ``restore_to_point_in_time`` and ``snapshot_identifier``
(``aws_db_instance``) and ``snapshot_name`` / ``snapshot_arns`` (``aws_elasticache_replication_group``)
force a new resource (AWS provider 6.x argument reference, see
:data:`stackkit.policy.replacement_table.FORCES_REPLACEMENT`). Restore into a new construct (another
``name``) or a throwaway stack, check it, then move clients over.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Self

from pydantic import Field, field_validator, model_validator

from stackkit._private.model import FrozenModel

#: A DB snapshot: its identifier (manual, or ``rds:<db>-<date>`` automated, or
#: ``awsbackup:job-<id>`` made by AWS Backup) or its ARN (required for a shared or copied one).
DB_SNAPSHOT_PATTERN = re.compile(
    r"^(arn:aws(-[a-z]+)*:rds:[a-z0-9-]+:\d{12}:snapshot:)?[A-Za-z][A-Za-z0-9:_-]{0,254}$"
)
DB_INSTANCE_IDENTIFIER_PATTERN = re.compile(r"^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$")
#: The S3 ARN of an exported ``.rdb`` file.
RDB_ARN_PATTERN = re.compile(r"^arn:aws(-[a-z]+)*:s3:::[a-z0-9.-]{3,63}/.+\.rdb$")


class DatabaseRestore(FrozenModel):
    """Where a restored database's data comes from: a snapshot, or a point in time of a source
    instance (``restore_time``, or the latest restorable time). Build one with
    :meth:`from_snapshot` or :meth:`to_point_in_time`."""

    snapshot_identifier: str | None = None
    """Default none. A DB snapshot identifier, or its ARN (a snapshot copied or shared from
    elsewhere, e.g. a recovery point in the DR vault:
    ``arn:aws:rds:us-west-2:...:snapshot:awsbackup:job-...``)."""
    source_db_instance_identifier: str | None = None
    """Default none. Point-in-time restore from this instance's automated backups (same
    region and account; within its ``backup_retention_days``)."""
    restore_time: datetime | None = None
    """Default none. With a source instance: the UTC time to restore to, before the source's
    latest restorable time (typically within the last 5 minutes)."""
    use_latest_restorable_time: bool = False
    """Default off. With a source instance: restore to the latest restorable time instead of a
    ``restore_time``."""

    @field_validator("snapshot_identifier")
    @classmethod
    def _snapshot(cls, value: str | None) -> str | None:
        if value is not None and not DB_SNAPSHOT_PATTERN.fullmatch(value):
            raise ValueError(
                f"{value!r} is not a DB snapshot identifier (letters, digits, '-', ':') or snapshot ARN "
                "(arn:aws:rds:<region>:<account>:snapshot:<id>)"
            )
        return value

    @field_validator("source_db_instance_identifier")
    @classmethod
    def _source(cls, value: str | None) -> str | None:
        if value is not None and not DB_INSTANCE_IDENTIFIER_PATTERN.fullmatch(value):
            raise ValueError(f"{value!r} is not a DB instance identifier such as shop-db")
        return value

    @field_validator("restore_time")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        offset = value.utcoffset() if value is not None else None
        if value is not None and (offset is None or offset.total_seconds() != 0):
            raise ValueError("give the restore time in UTC with its offset, e.g. 2026-11-30T01:00:00Z")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.snapshot_identifier is None) == (self.source_db_instance_identifier is None):
            raise ValueError(
                "snapshot_identifier: give exactly one of snapshot_identifier or "
                "source_db_instance_identifier (point in time)"
            )
        if self.source_db_instance_identifier is not None:
            if (self.restore_time is None) == (not self.use_latest_restorable_time):
                raise ValueError(
                    "restore_time: a point-in-time restore needs exactly one of restore_time or "
                    "use_latest_restorable_time=True"
                )
        elif self.restore_time is not None or self.use_latest_restorable_time:
            raise ValueError(
                "restore_time: only a point-in-time restore (source_db_instance_identifier) takes a time"
            )
        return self

    @classmethod
    def from_snapshot(cls, snapshot: str) -> Self:
        """Restore from a DB snapshot identifier or ARN."""
        return cls(snapshot_identifier=snapshot)

    @classmethod
    def to_point_in_time(cls, source_identifier: str, at: datetime | None = None) -> Self:
        """Restore ``source_identifier`` as it was ``at`` (UTC), or at its latest restorable time."""
        if at is None:
            return cls(source_db_instance_identifier=source_identifier, use_latest_restorable_time=True)
        return cls(source_db_instance_identifier=source_identifier, restore_time=at)

    @property
    def rfc3339_restore_time(self) -> str | None:
        return None if self.restore_time is None else self.restore_time.strftime("%Y-%m-%dT%H:%M:%SZ")


class CacheRestore(FrozenModel):
    """Where a restored cache's data comes from: an ElastiCache snapshot, or ``.rdb`` files in S3."""

    snapshot_name: str | None = None
    """Default none. The name of an ElastiCache snapshot of this account and region (automatic
    snapshots are named ``automatic.<group>-<date>``)."""
    snapshot_arns: tuple[str, ...] = Field(default=())
    """Default none. S3 ARNs of exported ``.rdb`` files (``arn:aws:s3:::bucket/key.rdb``)."""

    @field_validator("snapshot_name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"^[A-Za-z][A-Za-z0-9.:-]{0,254}$", value):
            raise ValueError(f"{value!r} is not an ElastiCache snapshot name")
        return value

    @field_validator("snapshot_arns")
    @classmethod
    def _arns(cls, arns: tuple[str, ...]) -> tuple[str, ...]:
        for arn in arns:
            if not RDB_ARN_PATTERN.fullmatch(arn):
                raise ValueError(f"{arn!r} is not the S3 ARN of an .rdb file (arn:aws:s3:::bucket/key.rdb)")
        return arns

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.snapshot_name is None) == (not self.snapshot_arns):
            raise ValueError("snapshot_name: give exactly one of snapshot_name or snapshot_arns")
        return self


__all__ = ["CacheRestore", "DatabaseRestore"]
