"""The RPO/RTO figures of :mod:`stackkit.disaster_recovery` as Markdown: the DR runbook's table
and steps (docs/disaster-recovery.md), and the sentences of ``stackkit summary``. Rendering
only; the figures are computed by :func:`stackkit.disaster_recovery.figures`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stackkit.disaster_recovery_figures import RecoveryFigures


def hours_text(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _rpo_in_region(f: RecoveryFigures) -> str:
    if f.rpo_in_region_minutes is None:
        return "no backup"
    return f"<= {hours_text(f.rpo_in_region_minutes)}"


def _days(days: int | None) -> str:
    return "never expires" if days is None else f"{days} days"


def figures_table(figures_list: list[RecoveryFigures], labels: list[str]) -> str:
    """The figures as a Markdown table, one column per label (environment or resource)."""
    fs = figures_list
    rows: list[tuple[str, list[str]]] = [
        ("region -> DR region", [f"{f.region} -> {f.dr_region or 'none'}" for f in fs]),
        (
            "point-in-time window / granularity",
            [
                f"{f.pitr_window_days} days / {f.pitr_granularity_minutes} min"
                if f.pitr_granularity_minutes
                else "none"
                for f in fs
            ],
        ),
        (
            "AWS Backup: frequency, time, retention",
            [
                f"every {f.backup_frequency_hours or '?'} h at {f.backup_time}, "
                f"{_days(f.backup_retention_days)}"
                if f.backup_enabled
                else "off"
                for f in fs
            ],
        ),
        (
            "DR copy: retention, delay (assumed)",
            [
                f"{_days(f.dr_retention_days)}, <= {f.copy_delay_hours} h" if f.dr_region else "none"
                for f in fs
            ],
        ),
        ("vault lock", [f.vault_lock for f in fs]),
        (
            "database: multi-AZ, automated backup window",
            [
                "n/a"
                if f.multi_az is None
                else f"{'yes' if f.multi_az else 'no'}, "
                + (f"{f.db_backup_window} UTC" if f.db_backup_window else "no automated backups")
                for f in fs
            ],
        ),
        (
            "cache snapshots: retention, window",
            [
                f"{f.cache_snapshot_retention_days} days, {f.cache_snapshot_window} UTC"
                if f.cache_snapshot_retention_days
                else "off"
                if f.cache_snapshot_retention_days == 0
                else "no cache"
                for f in fs
            ],
        ),
        ("RPO, data lost (in region)", [_rpo_in_region(f) for f in fs]),
        (
            "RPO, region lost",
            [f"<= {f.rpo_region_loss_hours} h" if f.rpo_region_loss_hours else "no copy" for f in fs],
        ),
        ("RTO, in region", [hours_text(f.rto_in_region_minutes) for f in fs]),
        (
            "RTO, region lost",
            [hours_text(f.rto_region_loss_minutes) if f.rto_region_loss_minutes else "n/a" for f in fs],
        ),
    ]
    lines = ["| figure | " + " | ".join(labels) + " |", "|---|" + "---|" * len(fs)]
    lines += [f"| {label} | " + " | ".join(values) + " |" for label, values in rows]
    return "\n".join(lines)


def figures_steps(figures_list: list[RecoveryFigures], labels: list[str]) -> str:
    """The runbook's steps with their expected minutes, per scenario and column."""
    lines = [
        "| scenario | step | " + " | ".join(labels) + " |",
        "|---|---|" + "---|" * len(figures_list),
    ]
    for scenario, attribute in (("data lost", "in_region_steps"), ("region lost", "region_loss_steps")):
        whats: list[str] = []
        for f in figures_list:
            whats += [step.what for step in getattr(f, attribute) if step.what not in whats]
        for what in whats:
            cells = []
            for f in figures_list:
                minutes = [step.minutes for step in getattr(f, attribute) if step.what == what]
                cells.append(f"{minutes[0]} min" if minutes else "-")
            lines.append(f"| {scenario} | {what} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def sentences(f: RecoveryFigures) -> list[str]:
    where = f", `{f.resource}`" if f.resource else ""
    pitr = (
        f"point in time over {f.pitr_window_days} days" if f.pitr_granularity_minutes else "no point in time"
    )
    lines = [
        f"**Disaster recovery ({f.environment}{where}):** {pitr} "
        f"(RPO {_rpo_in_region(f)} in region), RTO in region about {hours_text(f.rto_in_region_minutes)}.",
    ]
    if f.dr_region and f.rpo_region_loss_hours and f.rto_region_loss_minutes:
        lines.append(
            f"Copy to {f.dr_region} every {f.backup_frequency_hours} h (kept {_days(f.dr_retention_days)}): "
            f"region lost, RPO <= {f.rpo_region_loss_hours} h, "
            f"RTO about {hours_text(f.rto_region_loss_minutes)}."
        )
    else:
        lines.append("No copy outside the region: a regional outage is not covered.")
    return lines


__all__ = ["figures_steps", "figures_table", "hours_text", "sentences"]
