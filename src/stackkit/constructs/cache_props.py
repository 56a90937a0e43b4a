"""Props of :class:`~stackkit.constructs.cache.Cache`: the seed's defaults, ElastiCache's limits,
and their validation."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Self

from pydantic import Field, PlainValidator, field_validator, model_validator

from stackkit._private.boundary import like_message, missing_members
from stackkit._private.catalog import check_catalogued_field, elasticache
from stackkit._private.catalog.elasticache import NODE_TYPES
from stackkit._private.logs import DEFAULT_LOG_RETENTION_DAYS
from stackkit._private.model import FrozenModel
from stackkit._private.rules import (
    DAY_NAMES,
    LogRetentionDays,
    daily_overlaps_weekly,
    daily_window,
    multi_az_zones_problem,
    production_cache_problems,
    weekly_window,
)
from stackkit.constructs.network import NAME_PATTERN, NetworkLike
from stackkit.constructs.restore import CacheRestore
from stackkit.errors import describe_pattern

# --- Defaults: the seed's facts -------------------------------------------------------------
#: The seed's ``node_type``.
DEFAULT_NODE_TYPE = "cache.t3.micro"
#: The seed's ``num_cache_nodes = 1``. Production needs
#: :data:`~stackkit._private.rules.MIN_PRODUCTION_CACHE_NODES`.
DEFAULT_NODE_COUNT = 1
#: The seed's ``port``.
DEFAULT_PORT = 6379
#: The seed's Compose file runs ``redis:7-alpine``; 7.1 is the newest Redis OSS 7 on ElastiCache.
DEFAULT_ENGINE_VERSION = "7.1"

# --- Defaults: production hardening ---------------------------------------------------------
#: Redis OSS versions accepted, and the parameter group family of each.
ENGINE_FAMILIES: dict[str, str] = {"7.0": "redis7", "7.1": "redis7"}
#: A primary and up to 5 replicas: the limit of a replication group without cluster mode.
MIN_NODES, MAX_NODES = 1, 6
#: A week of daily snapshots: a bad deploy noticed after a weekend can still be undone.
DEFAULT_SNAPSHOT_RETENTION_DAYS = 7
#: Daily snapshot (UTC), outside the maintenance window and US business hours.
DEFAULT_SNAPSHOT_WINDOW = "03:00-04:00"
#: Weekly maintenance (UTC), after the snapshot window.
DEFAULT_MAINTENANCE_WINDOW = "sun:05:00-sun:06:00"
#: Secrets Manager's longest recovery window: time to notice a deleted AUTH secret.
AUTH_SECRET_RECOVERY_DAYS = 30
#: Redis AUTH accepts 16..128 printable characters; letters and digits only avoid the
#: forbidden ``"``, ``/``, ``@`` and any need to URL-encode the token in REDIS_URL.
AUTH_TOKEN_LENGTH = 64


def cache_key_alias(name: str) -> str:
    """The alias (without ``alias/``) of a :class:`Cache` named ``name``'s KMS key."""
    return f"{name}-cache"


def default_group_id(name: str) -> str:
    """The replication group id of a :class:`Cache` named ``name`` without ``replication_group_id``."""
    return f"{name}-cache"


def auth_secret_name(group_id: str) -> str:
    """The name of the Secrets Manager secret holding the AUTH token of replication group ``group_id``."""
    return f"{group_id}/auth-token"


#: ElastiCache replication group ids: 1..40 of a-z, 0-9, -, starting with a letter.
REPLICATION_GROUP_ID_PATTERN = r"^[a-z](?!.*--)[a-z0-9-]{0,38}[a-z0-9]$"
_DAYS = f"({'|'.join(DAY_NAMES)})"
_TIME = "([01][0-9]|2[0-3]):[0-5][0-9]"
SNAPSHOT_WINDOW_PATTERN = describe_pattern(
    rf"^{_TIME}-{_TIME}$", f"must be a daily window hh:mm-hh:mm (UTC), e.g. {DEFAULT_SNAPSHOT_WINDOW}"
)
MAINTENANCE_WINDOW_PATTERN = describe_pattern(
    rf"^{_DAYS}:{_TIME}-{_DAYS}:{_TIME}$",
    f"must be a weekly window ddd:hh:mm-ddd:hh:mm (UTC, ddd = mon..sun), e.g. {DEFAULT_MAINTENANCE_WINDOW}",
)
LOG_TYPES = ("slow-log", "engine-log")
#: ElastiCache's shortest snapshot and maintenance windows.
MIN_WINDOW_MINUTES = 60


def _network_like(value: Any) -> Any:
    missing = missing_members(value, ("vpc_id", "isolated_subnet_ids", "availability_zones"))
    if missing:
        raise ValueError(like_message(value, "network", NetworkLike, missing).removeprefix("network: "))
    if not list(value.isolated_subnet_ids):
        raise ValueError("the network has no isolated subnets for the cache subnet group")
    return value


class CacheSettings(FrozenModel):
    """What an environment may override (``EnvironmentConfig.cache``). Defaults: the seed's."""

    node_type: str = DEFAULT_NODE_TYPE
    """Default ``cache.t3.micro`` (the seed). A current-generation ``cache.<family>.<size>`` of
    ElastiCache for Redis OSS / Valkey (stackkit's catalog,
    kept as data in the package); a typo is refused with the closest names."""
    node_count: int = Field(default=DEFAULT_NODE_COUNT, ge=MIN_NODES, le=MAX_NODES)
    """Default 1 (the seed): a primary only. 2..6 adds replicas, automatic failover and
    multi-AZ. Production needs at least 2."""
    allow_uncatalogued_node_type: bool = False
    """Default off. On: accept a ``node_type`` missing from stackkit's catalog (a type newer
    than the catalog) with a warning instead of an error; AWS still refuses a wrong one at apply."""

    auth_token_version: int = Field(default=1, ge=1)
    """Default 1 (the first token). The one knob of an AUTH token rotation: bump it and a new
    random token is written to the secret and set on the cache, and every task definition
    built with this cache rewrites its REDIS_URL secret in the same apply (its write-only
    version follows this number), so the URL never goes stale."""

    @model_validator(mode="after")
    def _catalogued_node_type(self) -> Self:
        check_catalogued_field(
            "node_type",
            self.node_type,
            NODE_TYPES,
            what="ElastiCache node type",
            source=elasticache,
            allowed=self.allow_uncatalogued_node_type,
        )
        return self


class CacheProps(CacheSettings):
    """Props of :class:`Cache`: the overridable settings plus naming, network and tuning."""

    name: str = Field(pattern=NAME_PATTERN)
    """Required. Base of every resource name and Terraform address (``aws_elasticache_replication_group.
    <name>_cache``); usually the project. Unique per stack."""
    network: Annotated[NetworkLike, PlainValidator(_network_like)]
    """Required. Where the cache lives: its ``isolated_subnet_ids`` (no route to the internet), ``vpc_id``
    and ``availability_zones``. A :class:`~stackkit.constructs.network.Network` or any such object."""
    production: bool = False
    """Default off. On: at least 2 nodes, in at least 2 AZs."""
    replication_group_id: str | None = None
    """Default ``<name>-cache`` (the seed's ``cluster_id``)."""
    engine_version: str = DEFAULT_ENGINE_VERSION
    """Default ``7.1`` (the seed's Redis 7). One of :data:`ENGINE_FAMILIES`."""
    port: int = Field(default=DEFAULT_PORT, ge=1024, le=65535)
    """Default 6379 (the seed). 1024..65535: ElastiCache refuses privileged ports."""
    snapshot_retention_days: int = Field(default=DEFAULT_SNAPSHOT_RETENTION_DAYS, ge=1, le=35)
    """Default 7 daily snapshots, 1..35 (ElastiCache's limit; 0 would turn snapshots off)."""
    snapshot_window: str = Field(default=DEFAULT_SNAPSHOT_WINDOW, pattern=SNAPSHOT_WINDOW_PATTERN)
    """Default ``03:00-04:00`` UTC (``hh:mm-hh:mm``), at least 60 minutes."""
    maintenance_window: str = Field(default=DEFAULT_MAINTENANCE_WINDOW, pattern=MAINTENANCE_WINDOW_PATTERN)
    """Default ``sun:05:00-sun:06:00`` UTC (``ddd:hh:mm-ddd:hh:mm``), at least 60 minutes, not
    overlapping the snapshot window."""
    auto_minor_version_upgrade: bool = True
    """Default on: patch releases of the engine arrive in the maintenance window."""
    parameters: dict[str, str] = Field(default_factory=dict)
    """Engine parameters on top of the family defaults (``{"maxmemory-policy": "allkeys-lru"}``).
    Default: none."""
    log_retention_days: LogRetentionDays = DEFAULT_LOG_RETENTION_DAYS
    """Slow-log and engine-log retention. Default 365 days (CKV_AWS_338)."""
    auth_token_update_strategy: Literal["ROTATE", "SET"] = "ROTATE"
    """How a new token is applied. Default ``ROTATE``: old and new token both work until the
    next change, so running clients survive a rotation; ``SET`` drops the old one at once."""
    restore_from: CacheRestore | None = None
    """Default none (an empty cache). A :class:`~stackkit.constructs.restore.CacheRestore`: the
    new replication group is seeded from that ElastiCache snapshot (``snapshot_name``) or those
    ``.rdb`` files (``snapshot_arns``), with the same encryption, AUTH and network. Both
    arguments force a new replication group: on an existing cache, restore under a new ``name``."""

    @field_validator("engine_version")
    @classmethod
    def _supported_engine(cls, version: str) -> str:
        if version not in ENGINE_FAMILIES:
            raise ValueError(f"unsupported Redis engine version; use one of {', '.join(ENGINE_FAMILIES)}")
        return version

    @field_validator("replication_group_id")
    @classmethod
    def _valid_group_id(cls, group_id: str | None) -> str | None:
        if group_id is not None and not re.fullmatch(REPLICATION_GROUP_ID_PATTERN, group_id):
            raise ValueError(
                "must be 1-40 of a-z, 0-9 and single hyphens, start with a letter, end with a letter "
                "or digit, e.g. myapp-cache"
            )
        return group_id

    @model_validator(mode="after")
    def _windows_fit(self) -> Self:
        snapshot = daily_window(
            self.snapshot_window,
            what="snapshot window",
            example=DEFAULT_SNAPSHOT_WINDOW,
            min_minutes=MIN_WINDOW_MINUTES,
            field="snapshot_window",
        )
        maintenance = weekly_window(
            self.maintenance_window,
            what="maintenance window",
            example=DEFAULT_MAINTENANCE_WINDOW,
            min_minutes=MIN_WINDOW_MINUTES,
            field="maintenance_window",
        )
        if daily_overlaps_weekly(snapshot, maintenance):
            raise ValueError(
                f"maintenance_window: {self.maintenance_window} overlaps the daily snapshot window "
                f"{self.snapshot_window}; move one of them"
            )
        return self

    @model_validator(mode="after")
    def _multi_az_needs_two_zones(self) -> Self:
        # More than one node means automatic failover and multi-AZ (see Cache). Checked only
        # when the network states its AZs (ExistingNetwork may not know them).
        problem = multi_az_zones_problem(
            self.network.availability_zones if self.node_count > 1 else None,
            f"{self.node_count} nodes run multi-AZ and",
            "add a subnet in another AZ or use node_count=1",
        )
        if problem:
            raise ValueError(problem)
        return self

    @model_validator(mode="after")
    def _production_rules(self) -> Self:
        if not self.production:
            return self
        # More than one node (required here) already needs two AZs (_multi_az_needs_two_zones).
        problems = production_cache_problems(self.node_count)
        if problems:
            raise ValueError(problems[0])
        return self

    @property
    def group_id(self) -> str:
        return self.replication_group_id or default_group_id(self.name)

    @property
    def family(self) -> str:
        return ENGINE_FAMILIES[self.engine_version]


__all__ = ["CacheProps", "CacheSettings"]
