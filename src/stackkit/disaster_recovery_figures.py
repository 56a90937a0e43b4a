"""What one environment's recovery objectives are: computed by
:func:`stackkit.disaster_recovery.figures` (which re-exports them), rendered by
:mod:`stackkit.disaster_recovery_markdown`."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    pitr_granularity_minutes: int | None
    multi_az: bool | None
    db_backup_window: str | None
    backup_enabled: bool
    backup_time: str | None
    backup_frequency_hours: int | None
    backup_retention_days: int | None
    dr_retention_days: int | None
    vault_lock: str
    copy_delay_hours: int | None
    cache_snapshot_retention_days: int | None
    cache_snapshot_window: str | None
    rpo_in_region_minutes: int | None
    rpo_region_loss_hours: int | None
    in_region_steps: tuple[Step, ...]
    region_loss_steps: tuple[Step, ...]
    #: Which resource of the stack the figures describe (not compared: a configuration has none).
    resource: str | None = field(default=None, compare=False)

    @property
    def rto_in_region_minutes(self) -> int:
        return sum(step.minutes for step in self.in_region_steps)

    @property
    def rto_region_loss_minutes(self) -> int | None:
        return sum(step.minutes for step in self.region_loss_steps) if self.region_loss_steps else None
