"""RPO and RTO in numbers, computed from an environment's configuration (pure: no cdktf).

The DR runbook table (docs/disaster-recovery.md) and ``stackkit summary`` show these figures; a
test recomputes the table from the environments, so the document cannot drift from the
configuration.

AWS facts (checked 2026-11-30) and the assumptions made where AWS publishes no number:

* RDS point-in-time restore reaches any second of the backup retention period up to the
  instance's latest restorable time, which "is typically within 5 minutes of the current time"
  (Amazon RDS backup features, https://aws.amazon.com/rds/details/backup/; RDS User Guide,
  "Restoring a DB instance to a specified time",
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIT.html). In-region RPO:
  :data:`PITR_GRANULARITY_MINUTES`.
* The AWS Backup plan takes one recovery point a day (``BackupSettings.schedule_hour_utc``);
  a job may start up to :data:`~stackkit.constructs.backup.START_WINDOW_MINUTES` late.
* Cross-region copy: AWS documents no completion time for copy jobs (the duration depends on the
  snapshot's size and the distance; RDS "Copying a DB snapshot"). ASSUMPTION:
  :data:`ASSUMED_COPY_DELAY_HOURS` after the backup completes; the drill measures it.
* Restore durations: AWS documents none. ASSUMPTIONS, per step below, to be replaced by what
  the drill measures (``docs`` column of the runbook).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from stackkit.constructs.backup import START_WINDOW_MINUTES

#: RDS transaction logs reach S3 every 5 minutes: the latest restorable time lags by about that.
PITR_GRANULARITY_MINUTES = 5
#: ASSUMPTION: a cross-region copy of a daily RDS recovery point lands within 2 hours.
ASSUMED_COPY_DELAY_HOURS = 2
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
    def schedule_hour_utc(self) -> int: ...
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


class _CacheLike(Protocol):
    @property
    def node_count(self) -> int: ...


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
class Step:
    what: str
    minutes: int


@dataclass(frozen=True)
class RecoveryFigures:
    """One environment's recovery objectives and what they rest on."""

    environment: str
    region: str
    dr_region: str | None
    pitr_window_days: int
    pitr_granularity_minutes: int
    backup_enabled: bool
    backup_time_utc: str
    backup_frequency_hours: int
    backup_retention_days: int
    dr_retention_days: int | None
    vault_lock: str
    copy_delay_hours: int | None
    rpo_in_region_minutes: int
    rpo_region_loss_hours: int | None
    in_region_steps: tuple[Step, ...]
    region_loss_steps: tuple[Step, ...]

    @property
    def rto_in_region_minutes(self) -> int:
        return sum(step.minutes for step in self.in_region_steps)

    @property
    def rto_region_loss_minutes(self) -> int | None:
        return sum(step.minutes for step in self.region_loss_steps) if self.region_loss_steps else None


def dr_figures(config: EnvironmentLike) -> RecoveryFigures:
    """The RPO/RTO figures of one environment, from its configuration alone."""
    backup, database = config.backup, config.database
    dr_region = config.resolved_dr_region
    # The largest database the restore may have to copy: the autoscaling ceiling.
    restore = RESTORE_BASE_MINUTES + RESTORE_MINUTES_PER_10_GB * -(-database.max_allocated_storage_gb // 10)
    in_region = (
        Step("decide and announce the restore", DECIDE_MINUTES),
        Step("restore the database (point in time) as a new instance", restore),
        Step("apply the stack that uses it (cdktf deploy)", APPLY_STACK_MINUTES),
        Step("verify: one-off task connects and queries", VERIFY_MINUTES),
        Step("switch clients to the restored instance", SWITCH_CLIENTS_MINUTES),
    )
    region_loss: tuple[Step, ...] = ()
    rpo_region: int | None = None
    if backup.enabled and dr_region is not None:
        region_loss = (
            Step("decide and announce the region failover", DECIDE_MINUTES),
            Step("build network, cluster and service in the DR region", BUILD_REGION_MINUTES),
            Step("restore the latest recovery point from the DR vault", restore),
            Step("verify: one-off task connects and queries", VERIFY_MINUTES),
            Step("switch DNS and clients to the DR region", SWITCH_CLIENTS_MINUTES),
        )
        # Worst case: the region is lost just before the next daily point lands in the DR vault:
        # a day since the last one, plus its start window, plus the copy.
        rpo_region = 24 + -(-START_WINDOW_MINUTES // 60) + ASSUMED_COPY_DELAY_HOURS
    return RecoveryFigures(
        environment=config.environment,
        region=config.region,
        dr_region=dr_region if backup.enabled else None,
        pitr_window_days=database.backup_retention_days,
        pitr_granularity_minutes=PITR_GRANULARITY_MINUTES,
        backup_enabled=backup.enabled,
        backup_time_utc=f"{backup.schedule_hour_utc:02d}:00",
        backup_frequency_hours=24,
        backup_retention_days=backup.retention_days,
        dr_retention_days=backup.resolved_dr_retention_days if dr_region else None,
        vault_lock=backup.vault_lock,
        copy_delay_hours=ASSUMED_COPY_DELAY_HOURS if dr_region else None,
        rpo_in_region_minutes=PITR_GRANULARITY_MINUTES,
        rpo_region_loss_hours=rpo_region,
        in_region_steps=in_region,
        region_loss_steps=region_loss,
    )


def _hours(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def markdown_table(configs: list[EnvironmentLike]) -> str:
    """The runbook's table (docs/disaster-recovery.md): one column per environment."""
    figures = [dr_figures(config) for config in configs]
    rows: list[tuple[str, list[str]]] = [
        ("region -> DR region", [f"{f.region} -> {f.dr_region or 'none'}" for f in figures]),
        (
            "point-in-time window / granularity",
            [f"{f.pitr_window_days} days / {f.pitr_granularity_minutes} min" for f in figures],
        ),
        (
            "AWS Backup: frequency, time, retention",
            [
                f"every {f.backup_frequency_hours} h at {f.backup_time_utc} UTC, "
                f"{f.backup_retention_days} days"
                if f.backup_enabled
                else "off"
                for f in figures
            ],
        ),
        (
            "DR copy: retention, delay (assumed)",
            [
                f"{f.dr_retention_days} days, <= {f.copy_delay_hours} h" if f.dr_region else "none"
                for f in figures
            ],
        ),
        ("vault lock", [f.vault_lock for f in figures]),
        ("RPO, data lost (in region)", [f"<= {f.rpo_in_region_minutes} min" for f in figures]),
        (
            "RPO, region lost",
            [f"<= {f.rpo_region_loss_hours} h" if f.rpo_region_loss_hours else "no copy" for f in figures],
        ),
        ("RTO, in region", [_hours(f.rto_in_region_minutes) for f in figures]),
        (
            "RTO, region lost",
            [_hours(f.rto_region_loss_minutes) if f.rto_region_loss_minutes else "n/a" for f in figures],
        ),
    ]
    lines = [
        "| figure | " + " | ".join(f.environment for f in figures) + " |",
        "|---|" + "---|" * len(figures),
    ]
    lines += [f"| {label} | " + " | ".join(values) + " |" for label, values in rows]
    return "\n".join(lines)


def markdown_steps(configs: list[EnvironmentLike]) -> str:
    """The runbook's steps with their expected minutes, per scenario and environment."""
    figures = [dr_figures(config) for config in configs]
    lines = [
        "| scenario | step | " + " | ".join(f.environment for f in figures) + " |",
        "|---|---|" + "---|" * len(figures),
    ]
    for scenario, attribute in (("data lost", "in_region_steps"), ("region lost", "region_loss_steps")):
        labels: list[str] = []
        for f in figures:
            labels += [step.what for step in getattr(f, attribute) if step.what not in labels]
        for label in labels:
            cells = []
            for f in figures:
                minutes = [step.minutes for step in getattr(f, attribute) if step.what == label]
                cells.append(f"{minutes[0]} min" if minutes else "-")
            lines.append(f"| {scenario} | {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown_lines(config: EnvironmentLike) -> list[str]:
    """The figures of one environment as Markdown lines, for ``stackkit summary``."""
    f = dr_figures(config)
    lines = [
        f"**Disaster recovery ({f.environment}):** point in time over {f.pitr_window_days} days "
        f"(RPO <= {f.rpo_in_region_minutes} min in region), RTO in region about "
        f"{_hours(f.rto_in_region_minutes)}.",
    ]
    if f.dr_region and f.rpo_region_loss_hours and f.rto_region_loss_minutes:
        lines.append(
            f"Daily copy to {f.dr_region} (kept {f.dr_retention_days} days): region lost, RPO <= "
            f"{f.rpo_region_loss_hours} h, RTO about {_hours(f.rto_region_loss_minutes)}."
        )
    else:
        lines.append("No copy outside the region: a regional outage is not covered.")
    return lines


__all__ = ["RecoveryFigures", "Step", "dr_figures", "markdown_lines", "markdown_steps", "markdown_table"]
