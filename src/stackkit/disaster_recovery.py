"""RPO and RTO in numbers, computed from an environment's configuration or from a synthesized
stack (pure: no cdktf).

Both sources are first reduced to :class:`RecoveryInputs` (:func:`inputs_from_config`,
:func:`inputs_from_stack`); :func:`figures` turns inputs into :class:`RecoveryFigures`. That one
function holds every formula and assumption, so the DR runbook table (docs/disaster-recovery.md,
from the configuration, recomputed by a test) and ``stackkit summary`` (from any team's
``cdk.tf.json``) cannot disagree.

AWS facts (checked 2026-11-30) and the assumptions made where AWS publishes no number:

* RDS point-in-time restore reaches any second of the backup retention period up to the
  instance's latest restorable time, which "is typically within 5 minutes of the current time"
  (Amazon RDS backup features, https://aws.amazon.com/rds/details/backup/; RDS User Guide,
  "Restoring a DB instance to a specified time",
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIT.html). In-region RPO:
  :data:`PITR_GRANULARITY_MINUTES`.
* ``backup_retention_period`` 0 "disables automated backups" (RDS User Guide, "Backup retention
  period", https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.html):
  no point in time; the in-region RPO is then the AWS Backup rule's interval, if any.
* An AWS Backup rule's schedule is "a cron expression in UTC" unless the rule sets
  ``ScheduleExpressionTimezone``; a job that has not started when its start window ends is
  cancelled (AWS Backup API reference, BackupRuleInput, ScheduleExpression,
  ScheduleExpressionTimezone and StartWindowMinutes,
  https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html).
  The plan built by :class:`~stackkit.constructs.backup.Backup` runs daily and must start within
  :data:`~stackkit.constructs.backup.START_WINDOW_MINUTES`.
* A rule without a schedule runs at AWS Backup's default, ``cron(0 5 ? * * *)`` (AWS Backup API
  reference, BackupRule, ScheduleExpression,
  https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRule.html).
* A copy action without a lifecycle keeps the copy as long as the source recovery point
  ("If you don't specify a lifecycle, AWS Backup applies the lifecycle policy of the source
  backup to the destination backup", Security Hub API reference,
  AwsBackupBackupPlanRuleDetails, https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsBackupBackupPlanRuleDetails.html).
  A rule lifecycle without ``delete_after`` never expires its recovery points.
* The RDS backup window and the ElastiCache snapshot window are in UTC (RDS API reference,
  CreateDBInstance, PreferredBackupWindow; ElastiCache API reference, CreateReplicationGroup,
  SnapshotWindow).
* ElastiCache ``snapshot_retention_limit`` 0 turns automatic snapshots off (ElastiCache API
  reference, CreateReplicationGroup, SnapshotRetentionLimit,
  https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html);
  the API's default is 0 (same page), so a group without the key has no snapshots.
* An RDS instance created through the API without ``BackupRetentionPeriod`` keeps automated
  backups 1 day (RDS API reference, CreateDBInstance, BackupRetentionPeriod, "Default: 1",
  https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html).
* Cross-region copy: AWS documents no completion time for copy jobs (the duration depends on the
  snapshot's size and the distance; RDS "Copying a DB snapshot"). ASSUMPTION:
  :data:`ASSUMED_COPY_DELAY_HOURS` after the backup completes; the drill measures it.
* A rule without ``start_window``: AWS documents no default in the API. ASSUMPTION:
  :data:`ASSUMED_DEFAULT_START_WINDOW_MINUTES` (the console's default of 8 hours).
* Restore durations: AWS documents none. ASSUMPTIONS, per step below, to be replaced by what
  the drill measures (``docs`` column of the runbook).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from stackkit._private.aws_cron import schedule_interval_hours, schedule_time
from stackkit.constructs.backup import START_WINDOW_MINUTES
from stackkit.constructs.cache_props import DEFAULT_SNAPSHOT_RETENTION_DAYS, DEFAULT_SNAPSHOT_WINDOW
from stackkit.constructs.database_props import DEFAULT_BACKUP_WINDOW
from stackkit.disaster_recovery_figures import RecoveryFigures, Step
from stackkit.disaster_recovery_markdown import figures_steps, figures_table, hours_text, sentences

#: RDS transaction logs reach S3 every 5 minutes: the latest restorable time lags by about that.
PITR_GRANULARITY_MINUTES = 5
#: ASSUMPTION: a cross-region copy of a daily RDS recovery point lands within 2 hours.
ASSUMED_COPY_DELAY_HOURS = 2
#: What AWS Backup runs a rule without a schedule on (BackupRule, ScheduleExpression).
AWS_BACKUP_DEFAULT_SCHEDULE = "cron(0 5 ? * * *)"
#: ASSUMPTION: a rule that sets no start window may start up to 8 hours late.
ASSUMED_DEFAULT_START_WINDOW_MINUTES = 8 * 60
#: ASSUMPTION: RDS restore (snapshot or PITR) of a small gp3 instance: 30 minutes, plus a
#: minute per 10 GB allocated (the restore copies storage lazily; the instance comes up first).
RESTORE_BASE_MINUTES = 30
RESTORE_MINUTES_PER_10_GB = 1
#: ASSUMPTIONS for the other steps, minutes.
DECIDE_MINUTES = 15
APPLY_STACK_MINUTES = 15
VERIFY_MINUTES = 10
SWITCH_CLIENTS_MINUTES = 15
#: Region loss: the network, cluster and service are built in the DR region first.
BUILD_REGION_MINUTES = 45


class _BackupLike(Protocol):
    @property
    def enabled(self) -> bool: ...
    @property
    def schedule(self) -> str: ...
    @property
    def retention_days(self) -> int: ...
    @property
    def resolved_dr_retention_days(self) -> int: ...
    @property
    def vault_lock(self) -> str: ...


class _DatabaseLike(Protocol):
    @property
    def backup_retention_days(self) -> int: ...
    @property
    def max_allocated_storage_gb(self) -> int: ...
    @property
    def multi_az(self) -> bool: ...


class EnvironmentLike(Protocol):
    """What the figures read from an :class:`~stackkit.patterns.EnvironmentConfig`."""

    @property
    def environment(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def resolved_dr_region(self) -> str | None: ...
    @property
    def backup(self) -> _BackupLike: ...
    @property
    def database(self) -> _DatabaseLike: ...


@dataclass(frozen=True)
class BackupInputs:
    """The AWS Backup rule that protects the database (the most frequent one)."""

    schedule: str
    """The rule's cron expression, e.g. ``cron(0 6 * * ? *)``."""
    timezone: str
    """``UTC`` unless the rule sets ``schedule_expression_timezone``."""
    start_window_minutes: int
    retention_days: int | None
    """None: the rule's recovery points never expire."""
    vault_lock: str
    """``none``, ``governance`` or ``compliance``: the lock of the rule's target vault."""
    dr_region: str | None
    """The region of the vault a copy action sends every recovery point to (None: no copy
    outside the primary region)."""
    dr_retention_days: int | None


@dataclass(frozen=True)
class RecoveryInputs:
    """Everything the figures depend on, whichever source it was read from."""

    environment: str
    region: str
    pitr_window_days: int
    """RDS ``backup_retention_period``; 0: no automated backups, no point in time."""
    restore_storage_gb: int
    """The storage a restore may have to copy: the autoscaling ceiling."""
    multi_az: bool | None
    db_backup_window: str | None
    backup: BackupInputs | None
    """None: no AWS Backup plan covers the database."""
    cache_snapshot_retention_days: int | None = None
    cache_snapshot_window: str | None = None
    resource: str | None = None
    """The address the figures are about (``aws_db_instance.x``); None from a configuration."""


# -- the one computation -----------------------------------------------------------------------


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def figures(inputs: RecoveryInputs) -> RecoveryFigures:
    """The RPO/RTO figures of one database (or backup plan), whatever the source."""
    backup = inputs.backup
    frequency = schedule_interval_hours(backup.schedule) if backup else None
    dr_region = backup.dr_region if backup else None
    # The largest database the restore may have to copy: the autoscaling ceiling.
    restore = RESTORE_BASE_MINUTES + RESTORE_MINUTES_PER_10_GB * _ceil_div(inputs.restore_storage_gb, 10)
    pitr = inputs.pitr_window_days > 0
    in_region = (
        Step("decide and announce the restore", DECIDE_MINUTES),
        Step(
            "restore the database (point in time) as a new instance"
            if pitr
            else "restore the latest recovery point as a new instance",
            restore,
        ),
        Step("apply the stack that uses it (cdktf deploy)", APPLY_STACK_MINUTES),
        Step("verify: one-off task connects and queries", VERIFY_MINUTES),
        Step("switch clients to the restored instance", SWITCH_CLIENTS_MINUTES),
    )
    # Worst case without point in time: lost just before the next recovery point is taken.
    late = _ceil_div(backup.start_window_minutes, 60) if backup else 0
    rpo_in_region = (
        PITR_GRANULARITY_MINUTES if pitr else (frequency + late) * 60 if frequency is not None else None
    )
    region_loss: tuple[Step, ...] = ()
    rpo_region: int | None = None
    if dr_region is not None:
        region_loss = (
            Step("decide and announce the region failover", DECIDE_MINUTES),
            Step("build network, cluster and service in the DR region", BUILD_REGION_MINUTES),
            Step("restore the latest recovery point from the DR vault", restore),
            Step("verify: one-off task connects and queries", VERIFY_MINUTES),
            Step("switch DNS and clients to the DR region", SWITCH_CLIENTS_MINUTES),
        )
        # Worst case: the region is lost just before the next point lands in the DR vault:
        # an interval since the last one, plus its start window, plus the copy.
        if frequency is not None:
            rpo_region = frequency + late + ASSUMED_COPY_DELAY_HOURS
    return RecoveryFigures(
        environment=inputs.environment,
        region=inputs.region,
        dr_region=dr_region,
        pitr_window_days=inputs.pitr_window_days,
        pitr_granularity_minutes=PITR_GRANULARITY_MINUTES if pitr else None,
        multi_az=inputs.multi_az,
        db_backup_window=inputs.db_backup_window if pitr else None,
        backup_enabled=backup is not None,
        backup_time=schedule_time(backup.schedule, backup.timezone) if backup else None,
        backup_frequency_hours=frequency,
        backup_retention_days=backup.retention_days if backup else None,
        dr_retention_days=backup.dr_retention_days if backup and dr_region else None,
        vault_lock=backup.vault_lock if backup else "none",
        copy_delay_hours=ASSUMED_COPY_DELAY_HOURS if dr_region else None,
        cache_snapshot_retention_days=inputs.cache_snapshot_retention_days,
        cache_snapshot_window=inputs.cache_snapshot_window if inputs.cache_snapshot_retention_days else None,
        rpo_in_region_minutes=rpo_in_region,
        rpo_region_loss_hours=rpo_region,
        in_region_steps=in_region,
        region_loss_steps=region_loss,
        resource=inputs.resource,
    )


# -- source 1: an environment's configuration -------------------------------------------------


def inputs_from_config(config: EnvironmentLike) -> RecoveryInputs:
    """What the environment stack builds from ``config`` (the database, the cache with its
    default snapshots, the AWS Backup plan of :class:`~stackkit.constructs.backup.Backup`)."""
    backup, database = config.backup, config.database
    dr_region = config.resolved_dr_region
    return RecoveryInputs(
        environment=config.environment,
        region=config.region,
        pitr_window_days=database.backup_retention_days,
        restore_storage_gb=database.max_allocated_storage_gb,
        multi_az=database.multi_az,
        db_backup_window=DEFAULT_BACKUP_WINDOW,
        backup=BackupInputs(
            schedule=backup.schedule,
            timezone="UTC",
            start_window_minutes=START_WINDOW_MINUTES,
            retention_days=backup.retention_days,
            vault_lock=backup.vault_lock,
            dr_region=dr_region,
            dr_retention_days=backup.resolved_dr_retention_days if dr_region else None,
        )
        if backup.enabled
        else None,
        cache_snapshot_retention_days=DEFAULT_SNAPSHOT_RETENTION_DAYS,
        cache_snapshot_window=DEFAULT_SNAPSHOT_WINDOW,
    )


def dr_figures(config: EnvironmentLike) -> RecoveryFigures:
    """The RPO/RTO figures of one environment, from its configuration alone."""
    return figures(inputs_from_config(config))


# -- Markdown of environments (the rendering: stackkit.disaster_recovery_markdown) ---------


def markdown_table(configs: Sequence[EnvironmentLike]) -> str:
    """The runbook's table (docs/disaster-recovery.md): one column per environment."""
    fs = [dr_figures(config) for config in configs]
    return figures_table(fs, [f.environment for f in fs])


def markdown_steps(configs: Sequence[EnvironmentLike]) -> str:
    """The runbook's steps with their expected minutes, per scenario and environment."""
    fs = [dr_figures(config) for config in configs]
    return figures_steps(fs, [f.environment for f in fs])


def markdown_lines(config: EnvironmentLike) -> list[str]:
    """The figures of one environment as Markdown lines."""
    return sentences(dr_figures(config))


__all__ = [
    "BackupInputs",
    "RecoveryFigures",
    "RecoveryInputs",
    "Step",
    "dr_figures",
    "figures",
    "figures_steps",
    "figures_table",
    "hours_text",
    "inputs_from_config",
    "markdown_lines",
    "markdown_steps",
    "markdown_table",
    "schedule_interval_hours",
    "schedule_time",
    "sentences",
]
