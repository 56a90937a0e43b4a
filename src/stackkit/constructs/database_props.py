"""Props of :class:`~stackkit.constructs.database.Database`: the seed's defaults (postgres 15,
``db.t3.medium``, 20 GB, multi-AZ, 30-day backups, deletion protection), the hardening defaults
on top, the limits RDS for PostgreSQL accepts, and their validation."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Self

from pydantic import Field, PlainValidator, field_validator, model_validator

from stackkit._private.boundary import like_message, missing_members
from stackkit._private.catalog import check_catalogued_field, rds_postgres
from stackkit._private.catalog.rds_postgres import INSTANCE_CLASSES
from stackkit._private.logs import DEFAULT_LOG_RETENTION_DAYS
from stackkit._private.model import FrozenModel
from stackkit._private.rules import (
    MIN_MULTI_AZ_ZONES,
    LogRetentionDays,
    Window,
    daily_overlaps_weekly,
    daily_window,
    multi_az_zones_problem,
    production_database_problems,
    weekly_window,
)
from stackkit.constructs.network import NAME_PATTERN, NetworkLike
from stackkit.constructs.restore import DatabaseRestore

# --- the seed's documented defaults ------------------------------------------------------------
DEFAULT_ENGINE_VERSION = "15"
DEFAULT_INSTANCE_CLASS = "db.t3.medium"
DEFAULT_ALLOCATED_STORAGE_GB = 20
DEFAULT_MULTI_AZ = True
DEFAULT_BACKUP_RETENTION_DAYS = 30
DEFAULT_DELETION_PROTECTION = True

# --- hardening on top ---------------------------------------------------------------------------
#: Storage autoscaling ceiling: 5x the seed's 20 GB before anyone has to look at it.
DEFAULT_MAX_ALLOCATED_STORAGE_GB = 100
#: The seed's compose file names the database ``myapp``.
DEFAULT_DATABASE_NAME = "myapp"
#: The seed's compose user ``user`` is a PostgreSQL reserved word, which RDS refuses.
DEFAULT_USERNAME = "dbadmin"
DEFAULT_PORT = 5432
#: The application logs in as its own least-privilege user with IAM database authentication,
#: never as the master (AWS: "use a separate database user with the least privileges"; the
#: master's RDS-managed password rotates every 7 days and breaks new connections of running
#: tasks). See "Application user, rotation and migrations" in docs/constructs/database.md.
DEFAULT_APP_USERNAME = "app"
DEFAULT_MIGRATOR_USERNAME = "app_migrator"
#: UTC; backups before the maintenance window, both outside business hours in the US and EU.
DEFAULT_BACKUP_WINDOW = "03:00-04:00"
DEFAULT_MAINTENANCE_WINDOW = "sun:04:30-sun:05:30"
#: Enhanced monitoring granularity in seconds (1, 5, 10, 15, 30 or 60).
DEFAULT_MONITORING_INTERVAL_SECONDS = 60
#: 7 days is the free tier of performance insights.
DEFAULT_PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7
#: Log every statement slower than this, so slow queries can be found.
DEFAULT_LOG_MIN_DURATION_STATEMENT_MS = 1000
LogStatement = Literal["none", "ddl", "mod", "all"]
#: ``ddl`` records schema changes without writing every row's data into the logs.
DEFAULT_LOG_STATEMENT: LogStatement = "ddl"
#: The CA that RDS uses by default since 2024; Checkov CKV_AWS_211 asks for it explicitly.
CA_CERT_IDENTIFIER = "rds-ca-rsa2048-g1"
#: PostgreSQL log types exported to CloudWatch.
LOG_EXPORTS = ("postgresql", "upgrade")

#: PostgreSQL majors in RDS standard support (November 2026).
SUPPORTED_POSTGRES_MAJOR_VERSIONS = (14, 15, 16, 17)
#: The smallest gp3 volume RDS for PostgreSQL accepts, and the largest.
MIN_STORAGE_GB = 20
MAX_STORAGE_GB = 65536
MONITORING_INTERVALS = (1, 5, 10, 15, 30, 60)
#: What RDS accepts: the free 7 days, whole months of 31 days, or two years.
PERFORMANCE_INSIGHTS_RETENTION_DAYS = (7, *range(31, 31 * 24, 31), 731)
#: PostgreSQL's reserved key words (its documentation, appendix C); RDS refuses them as names.
POSTGRES_RESERVED_WORDS = frozenset(
    """all analyse analyze and any array as asc asymmetric authorization binary both case cast
    check collate collation column concurrently constraint create cross current_catalog
    current_date current_role current_schema current_time current_timestamp current_user default
    deferrable desc distinct do else end except false fetch for foreign freeze from full grant
    group having ilike in initially inner intersect into is isnull join lateral leading left like
    limit localtime localtimestamp natural not notnull null offset on only or order outer
    overlaps placing primary references returning right select session_user similar some
    symmetric system_user table tablesample then to trailing true union unique user using
    variadic verbose when where window with""".split()  # noqa: SIM905 (kept as the docs list them)
)
#: Names RDS itself owns: its admin roles, the template databases, and ``admin``, which RDS
#: for PostgreSQL refuses as a master username.
RDS_RESERVED_USERNAMES = frozenset({"admin", "rdsadmin", "rdsrepladmin", "rds_superuser", "rds_password"})
RDS_RESERVED_DATABASE_NAMES = frozenset({"rdsadmin", "template0", "template1"})

_IDENTIFIER = re.compile(r"^[a-z](?!.*--)[a-z0-9-]*(?<!-)$")
_SQL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")


def _rds_identifier(value: str, what: str, max_length: int) -> str:
    if len(value) > max_length or not _IDENTIFIER.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a valid {what}: use 1-{max_length} lowercase letters, digits and "
            "hyphens, starting with a letter, without '--' or a trailing '-'"
        )
    return value


def _sql_name(value: str, what: str, reserved: frozenset[str]) -> str:
    if not _SQL_NAME.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a valid {what}: "
            "use 1-63 letters, digits or underscores, starting with a letter"
        )
    if value.lower() in POSTGRES_RESERVED_WORDS or value.lower() in reserved:
        raise ValueError(f"{value!r} is reserved by PostgreSQL or RDS; choose another {what}")
    return value


def _backup_window(window: str) -> Window:
    return daily_window(window, what="backup window", example=DEFAULT_BACKUP_WINDOW, min_minutes=30)


def _maintenance_window(window: str) -> Window:
    return weekly_window(
        window, what="maintenance window", example=DEFAULT_MAINTENANCE_WINDOW, min_minutes=30
    )


def _network_like(value: Any) -> Any:
    missing = missing_members(value, ("vpc_id", "isolated_subnet_ids"))
    if missing:
        raise ValueError(like_message(value, "network", NetworkLike, missing).removeprefix("network: "))
    if len(list(value.isolated_subnet_ids)) < 2:
        raise ValueError(
            f"the network needs isolated subnets in at least {MIN_MULTI_AZ_ZONES} AZs for an RDS subnet group"
        )
    return value


class DatabaseSettings(FrozenModel):
    """What an environment may override: engine, sizes and retention. Defaults: the seed's."""

    engine_version: str = DEFAULT_ENGINE_VERSION
    """Default ``15`` (the seed). A supported major (14-17), optionally ``major.minor``. Prefer the
    major alone: minor versions are upgraded automatically, and a pinned minor would then drift."""
    instance_class: str = DEFAULT_INSTANCE_CLASS
    """Default ``db.t3.medium`` (the seed). A ``db.<family>.<size>`` that RDS for PostgreSQL
    offers (stackkit's catalog of RDS for PostgreSQL classes, kept as data in the package); a typo
    is refused with the closest names."""
    allow_uncatalogued_instance_class: bool = False
    """Default off. On: accept an ``instance_class`` missing from stackkit's catalog (a class
    newer than the catalog) with a warning instead of an error; AWS still refuses a wrong one
    at apply."""
    allocated_storage_gb: int = Field(
        default=DEFAULT_ALLOCATED_STORAGE_GB, ge=MIN_STORAGE_GB, le=MAX_STORAGE_GB
    )
    """Default 20 GB (the seed; also the gp3 minimum). Grows by autoscaling, up to the maximum."""
    max_allocated_storage_gb: int = Field(default=DEFAULT_MAX_ALLOCATED_STORAGE_GB, le=MAX_STORAGE_GB)
    """Default 100 GB: the storage autoscaling ceiling. At least 10% above the allocated size."""
    multi_az: bool = DEFAULT_MULTI_AZ
    """Default on (the seed): a standby in another AZ takes over on failure. Required in prod."""
    backup_retention_days: int = Field(default=DEFAULT_BACKUP_RETENTION_DAYS, ge=1, le=35)
    """Default 30 days (the seed). 1..35 (RDS limits; 0 would disable backups); prod needs >= 7."""
    deletion_protection: bool = DEFAULT_DELETION_PROTECTION
    """Default on (the seed): RDS refuses to delete the instance. Required in prod."""
    allow_major_version_upgrade: bool = False
    """Default off: a major ``engine_version`` change must be deliberate. Turn on for that deploy."""

    @field_validator("engine_version")
    @classmethod
    def _supported_engine_version(cls, version: str) -> str:
        match = re.fullmatch(r"(\d+)(?:\.(\d+))?", version)
        if not match or int(match[1]) not in SUPPORTED_POSTGRES_MAJOR_VERSIONS:
            majors = ", ".join(str(major) for major in SUPPORTED_POSTGRES_MAJOR_VERSIONS)
            raise ValueError(
                f"{version!r} is not a supported PostgreSQL version; use a major ({majors}) "
                "or major.minor such as 15.7"
            )
        return version

    @model_validator(mode="after")
    def _catalogued_instance_class(self) -> Self:
        check_catalogued_field(
            "instance_class",
            self.instance_class,
            INSTANCE_CLASSES,
            what="RDS for PostgreSQL instance class",
            source=rds_postgres,
            allowed=self.allow_uncatalogued_instance_class,
        )
        return self

    @model_validator(mode="after")
    def _autoscaling_has_headroom(self) -> Self:
        least = -(-self.allocated_storage_gb * 11 // 10)  # ceil(+10%) in integers: 1000 -> 1100
        if self.max_allocated_storage_gb < least:
            raise ValueError(
                f"max_allocated_storage_gb: {self.max_allocated_storage_gb} GB is below {least} GB; "
                f"RDS needs the autoscaling maximum at least 10% above allocated_storage_gb "
                f"({self.allocated_storage_gb} GB)"
            )
        return self

    @property
    def major_version(self) -> int:
        return int(self.engine_version.split(".")[0])

    def production_problems(self) -> list[str]:
        """Why these settings are not fit for production, each as ``"<field>: <fix>"``."""
        return production_database_problems(
            multi_az=self.multi_az,
            backup_retention_days=self.backup_retention_days,
            deletion_protection=self.deletion_protection,
        )


class DatabaseProps(DatabaseSettings):
    """Props of :class:`Database`: the overridable settings plus naming, network and tuning."""

    name: str = Field(pattern=NAME_PATTERN)
    """Required. Resource-name prefix and base of the Terraform addresses (``<name>_db``);
    unique per stack."""
    network: Annotated[NetworkLike, PlainValidator(_network_like)]
    """Required. Where the database lives: its ``isolated_subnet_ids`` (no route to the internet) and
    ``vpc_id``. A :class:`~stackkit.constructs.network.Network`, or any object with those."""
    production: bool = False
    """Default off. On: enforce multi-AZ, backups >= 7 days and deletion protection."""
    identifier: str | None = None
    """Default ``<name>-db`` (the seed). The RDS instance identifier."""
    final_snapshot_identifier: str | None = None
    """Default ``<name>-db-final`` (the seed): the snapshot taken when the instance is deleted."""
    database_name: str = DEFAULT_DATABASE_NAME
    """Default ``myapp`` (the seed's compose file). The database created on the instance."""
    username: str = DEFAULT_USERNAME
    """Default ``dbadmin``. The master user; its password is generated and held by RDS."""
    app_username: str = DEFAULT_APP_USERNAME
    """Default ``app``. The application's database user: IAM database authentication only (no
    password exists), least privilege (read and write rows in ``public``). Created by
    :class:`~stackkit.DatabaseBootstrap`; services connect as this user."""
    migrator_username: str = DEFAULT_MIGRATOR_USERNAME
    """Default ``app_migrator``. The user that runs schema migrations (a
    :class:`~stackkit.OneOffTask` with ``database_user="migrator"``): IAM authentication, may
    create objects in ``public``; what it creates is readable and writable by ``app_username``."""
    port: int = Field(default=DEFAULT_PORT, ge=1150, le=65535)
    """Default 5432 (PostgreSQL's). RDS accepts 1150-65535."""
    backup_window: str = DEFAULT_BACKUP_WINDOW
    """Default ``03:00-04:00`` UTC, daily; at least 30 minutes, not overlapping maintenance."""
    maintenance_window: str = DEFAULT_MAINTENANCE_WINDOW
    """Default ``sun:04:30-sun:05:30`` UTC, weekly; minor upgrades happen here."""
    monitoring_interval_seconds: int = DEFAULT_MONITORING_INTERVAL_SECONDS
    """Default 60: enhanced monitoring (OS metrics) every minute. One of 1, 5, 10, 15, 30, 60."""
    performance_insights_retention_days: int = DEFAULT_PERFORMANCE_INSIGHTS_RETENTION_DAYS
    """Default 7 (free tier). 7, 31 x months (1-23), or 731."""
    log_retention_days: LogRetentionDays = DEFAULT_LOG_RETENTION_DAYS
    """Default 365: exported PostgreSQL logs kept a year (CKV_AWS_338). A CloudWatch value."""
    log_statement: LogStatement = DEFAULT_LOG_STATEMENT
    """Default ``ddl``: log schema changes. ``all`` would write query data into the logs."""
    log_min_duration_statement_ms: int = Field(default=DEFAULT_LOG_MIN_DURATION_STATEMENT_MS, ge=0)
    """Default 1000: log statements that run longer than a second."""
    parameters: dict[str, str] = Field(default_factory=dict)
    """Extra PostgreSQL parameters, applied over the defaults. Default none. ``rds.force_ssl``
    stays ``1``: clients must use TLS."""
    restore_from: DatabaseRestore | None = None
    """Default none (an empty database). A :class:`~stackkit.constructs.restore.DatabaseRestore`:
    the new instance starts from that snapshot or point in time, with the same protections.
    On an existing instance this is a replacement (the guard flags it): restore under a new
    ``name``. The master user and database name come from the source; storage stays encrypted
    with the source's key (RDS restores keep the snapshot's KMS key)."""

    @field_validator("identifier")
    @classmethod
    def _identifier(cls, value: str | None) -> str | None:
        return None if value is None else _rds_identifier(value, "DB instance identifier", 63)

    @field_validator("final_snapshot_identifier")
    @classmethod
    def _snapshot_identifier(cls, value: str | None) -> str | None:
        return None if value is None else _rds_identifier(value, "snapshot identifier", 255)

    @field_validator("database_name")
    @classmethod
    def _database_name(cls, value: str) -> str:
        return _sql_name(value, "database name", RDS_RESERVED_DATABASE_NAMES)

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        if value.lower().startswith(("pg_", "rds_")):
            raise ValueError(f"{value!r}: role names starting with pg_ or rds_ are reserved; choose another")
        return _sql_name(value, "username", RDS_RESERVED_USERNAMES)

    @field_validator("app_username", "migrator_username")
    @classmethod
    def _iam_username(cls, value: str) -> str:
        if value.lower().startswith(("pg_", "rds_")):
            raise ValueError(f"{value!r}: role names starting with pg_ or rds_ are reserved; choose another")
        return _sql_name(value, "username", RDS_RESERVED_USERNAMES)

    @model_validator(mode="after")
    def _distinct_users(self) -> Self:
        names = [self.username.lower(), self.app_username.lower(), self.migrator_username.lower()]
        if len(set(names)) != 3:
            raise ValueError(
                f"app_username: {self.app_username!r}, migrator_username {self.migrator_username!r} "
                f"and the master username {self.username!r} must all differ"
            )
        return self

    @field_validator("backup_window")
    @classmethod
    def _valid_backup_window(cls, value: str) -> str:
        _backup_window(value)
        return value

    @field_validator("maintenance_window")
    @classmethod
    def _valid_maintenance_window(cls, value: str) -> str:
        _maintenance_window(value)
        return value.lower()

    @field_validator("monitoring_interval_seconds")
    @classmethod
    def _monitoring_interval(cls, value: int) -> int:
        if value not in MONITORING_INTERVALS:
            raise ValueError(f"use one of {MONITORING_INTERVALS} seconds (0 would turn monitoring off)")
        return value

    @field_validator("performance_insights_retention_days")
    @classmethod
    def _performance_insights_retention(cls, value: int) -> int:
        if value not in PERFORMANCE_INSIGHTS_RETENTION_DAYS:
            raise ValueError("use 7, 31 x months (1-23 months), or 731")
        return value

    @field_validator("parameters")
    @classmethod
    def _force_ssl_stays_on(cls, parameters: dict[str, str]) -> dict[str, str]:
        if parameters.get("rds.force_ssl", "1") != "1":
            raise ValueError("rds.force_ssl must stay '1': clients reach the database over TLS only")
        return parameters

    @model_validator(mode="after")
    def _fits(self) -> Self:
        if daily_overlaps_weekly(
            _backup_window(self.backup_window), _maintenance_window(self.maintenance_window)
        ):
            raise ValueError(
                f"backup_window: {self.backup_window} overlaps maintenance_window "
                f"{self.maintenance_window}; RDS requires them apart"
            )
        if self.production:
            problems = self.production_problems()
            if problems:
                raise ValueError(problems[0])
        return self

    @model_validator(mode="after")
    def _multi_az_needs_two_zones(self) -> Self:
        # Checked only when the network states its AZs (ExistingNetwork may not know them).
        zones = getattr(self.network, "availability_zones", None)
        problem = multi_az_zones_problem(
            zones if self.multi_az else None,
            "a multi-AZ database",
            "add a subnet in another AZ or set multi_az=False",
        )
        if problem:
            raise ValueError(problem)
        return self

    @property
    def resolved_identifier(self) -> str:
        return self.identifier or f"{self.name}-db"

    @property
    def resolved_final_snapshot_identifier(self) -> str:
        return self.final_snapshot_identifier or f"{self.name}-db-final"

    def parameter_values(self) -> dict[str, str]:
        """Every parameter of the parameter group: query logging, TLS, then ``parameters``."""
        return {
            "log_statement": self.log_statement,
            "log_min_duration_statement": str(self.log_min_duration_statement_ms),
            "rds.force_ssl": "1",
            **self.parameters,
        }


__all__ = ["DatabaseProps", "DatabaseSettings"]
