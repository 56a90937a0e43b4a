"""The disaster-recovery figures of a synthesized stack (``cdk.tf.json``), for ``stackkit summary``.

Reads what any team's cdktf app synthesizes: each ``aws_db_instance`` (``backup_retention_period``,
``backup_window``, ``multi_az``, storage), the ``aws_backup_plan`` rules that cover it through an
``aws_backup_selection`` (schedule, start window, ``lifecycle.delete_after``, ``copy_action``
destination vault and its lifecycle, the target vault's lock) and the
``aws_elasticache_replication_group`` snapshots; and hands them to
:func:`stackkit.disaster_recovery.figures`, the computation the runbook table of the docs uses too.
The AWS facts behind the defaults read here are cited in :mod:`stackkit.disaster_recovery`.
"""

from __future__ import annotations

import re
from typing import Any

from stackkit.disaster_recovery import (
    ASSUMED_DEFAULT_START_WINDOW_MINUTES,
    AWS_BACKUP_DEFAULT_SCHEDULE,
    BackupInputs,
    RecoveryFigures,
    RecoveryInputs,
    figures,
    figures_table,
    schedule_interval_hours,
    sentences,
)

_REF = re.compile(r"^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$")


def _resources(stack: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = stack.get("resource", {}).get(resource_type, {})
    return found


def _referenced(value: Any, resource_type: str) -> str | None:
    """``${aws_backup_vault.x.arn}`` -> ``x`` when it references a resource of that type."""
    match = _REF.match(value) if isinstance(value, str) else None
    return match.group(2) if match and match.group(1) == resource_type else None


def _provider_region(stack: dict[str, Any], body: dict[str, Any]) -> str | None:
    """The region of the AWS provider a resource uses (``provider: "aws.dr"`` or the default)."""
    alias = str(body.get("provider", "aws")).removeprefix("aws").removeprefix(".") or None
    providers = stack.get("provider", {}).get("aws", [])
    for provider in providers if isinstance(providers, list) else [providers]:
        if provider.get("alias") == alias:
            region = provider.get("region")
            return region if isinstance(region, str) and "${" not in region else None
    return None


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _vault(stack: dict[str, Any], value: Any) -> tuple[str | None, dict[str, Any] | None]:
    """The vault a rule names (by reference or by literal name)."""
    vaults = _resources(stack, "aws_backup_vault")
    name = _referenced(value, "aws_backup_vault")
    if name is None:
        name = next((key for key, body in vaults.items() if body.get("name") == value), None)
    return (name, vaults.get(name)) if name else (None, None)


def _vault_lock(stack: dict[str, Any], value: Any) -> str:
    name, body = _vault(stack, value)
    for lock in _resources(stack, "aws_backup_vault_lock_configuration").values():
        target = lock.get("backup_vault_name")
        if (name and _referenced(target, "aws_backup_vault") == name) or (
            body is not None and target == body.get("name")
        ):
            # changeable_for_days is what makes a lock a compliance-mode lock (backup module).
            return "compliance" if lock.get("changeable_for_days") is not None else "governance"
    return "none"


def _copy_region(stack: dict[str, Any], destination: Any) -> str | None:
    """The region of a copy action's destination vault: from its ARN, or from the provider of
    the vault resource it references; None when it cannot be told."""
    if isinstance(destination, str) and destination.startswith("arn:"):
        parts = destination.split(":")
        return parts[3] if len(parts) > 3 and parts[3] else None
    name = _referenced(destination, "aws_backup_vault")
    body = _resources(stack, "aws_backup_vault").get(name) if name else None
    return _provider_region(stack, body) if body is not None else None


def _rules(stack: dict[str, Any], plan: dict[str, Any], region: str) -> list[BackupInputs]:
    found: list[BackupInputs] = []
    rules = plan.get("rule", [])
    for rule in rules if isinstance(rules, list) else [rules]:
        lifecycle = rule.get("lifecycle") or {}
        retention = _int(lifecycle.get("delete_after"))
        copies = rule.get("copy_action") or []
        dr_region: str | None = None
        dr_retention: int | None = None
        for copy in copies if isinstance(copies, list) else [copies]:
            copy_region = _copy_region(stack, copy.get("destination_vault_arn"))
            if copy_region is not None and copy_region != region:
                dr_region = copy_region
                copy_lifecycle = copy.get("lifecycle") or {}
                # Without a lifecycle the copy keeps the source's (docstring).
                dr_retention = _int(copy_lifecycle.get("delete_after"), retention)
                break
        found.append(
            BackupInputs(
                schedule=str(rule.get("schedule") or AWS_BACKUP_DEFAULT_SCHEDULE),
                timezone=str(rule.get("schedule_expression_timezone") or "UTC"),
                start_window_minutes=_int(rule.get("start_window"), ASSUMED_DEFAULT_START_WINDOW_MINUTES)
                or ASSUMED_DEFAULT_START_WINDOW_MINUTES,
                retention_days=retention,
                vault_lock=_vault_lock(stack, rule.get("target_vault_name")),
                dr_region=dr_region,
                dr_retention_days=dr_retention,
            )
        )
    return found


def _best_rule(rules: list[BackupInputs]) -> BackupInputs | None:
    """The rule the figures rest on: one copying out of the region first, then the most
    frequent, then the longest-kept."""
    if not rules:
        return None

    def rank(rule: BackupInputs) -> tuple[int, int, int]:
        interval = schedule_interval_hours(rule.schedule)
        return (
            rule.dr_region is None,
            interval if interval is not None else 10**6,
            -(rule.retention_days or 10**6),
        )

    return min(rules, key=rank)


def _plans_covering(stack: dict[str, Any], database: str | None) -> list[str]:
    """Plans whose selections list the database, or select by tags or wildcard (which may
    include it); all plans with a selection when ``database`` is None."""
    covering: list[str] = []
    for selection in _resources(stack, "aws_backup_selection").values():
        plan = _referenced(selection.get("plan_id"), "aws_backup_plan")
        if plan is None or plan in covering:
            continue
        listed = selection.get("resources") or []
        listed = listed if isinstance(listed, list) else [listed]
        databases = {_referenced(item, "aws_db_instance") for item in listed} - {None}
        by_reference = bool(databases) and not any("*" in str(item) for item in listed)
        if database is None or database in databases or not by_reference:
            covering.append(plan)
    return covering


def _cache_inputs(stack: dict[str, Any]) -> tuple[int | None, str | None]:
    groups = _resources(stack, "aws_elasticache_replication_group")
    if not groups:
        return None, None
    retention = min(_int(body.get("snapshot_retention_limit"), 0) or 0 for body in groups.values())
    windows = sorted({str(body.get("snapshot_window", "chosen by AWS")) for body in groups.values()})
    return retention, ", ".join(windows)


def inputs_from_stack(name: str, stack: dict[str, Any]) -> list[RecoveryInputs]:
    """One :class:`RecoveryInputs` per ``aws_db_instance`` of a synthesized stack (with the
    AWS Backup rule that covers it), or, without a database, one per backup plan."""
    region = _provider_region(stack, {}) or "unknown region"
    cache_retention, cache_window = _cache_inputs(stack)
    plans = _resources(stack, "aws_backup_plan")
    found: list[RecoveryInputs] = []
    databases = _resources(stack, "aws_db_instance")
    subjects: list[tuple[str | None, str | None]] = [(db, None) for db in sorted(databases)]
    if not databases:
        subjects = [(None, plan) for plan in sorted(plans)]
    for database, plan_name in subjects:
        body = databases.get(database, {}) if database else {}
        db_region = _provider_region(stack, body) or region
        covering = [plan_name] if plan_name else _plans_covering(stack, database)
        rules = [rule for plan in covering if plan in plans for rule in _rules(stack, plans[plan], db_region)]
        allocated = _int(body.get("allocated_storage"), 0) or 0
        ceiling = _int(body.get("max_allocated_storage"), 0) or 0
        found.append(
            RecoveryInputs(
                environment=name,
                region=db_region,
                # Terraform's default is the API's: 1 day when the key is absent (RDS API).
                pitr_window_days=(_int(body.get("backup_retention_period"), 1) or 0) if database else 0,
                restore_storage_gb=max(allocated, ceiling),
                multi_az=bool(body.get("multi_az", False)) if database else None,
                db_backup_window=str(body.get("backup_window", "chosen by AWS")) if database else None,
                backup=_best_rule(rules),
                cache_snapshot_retention_days=cache_retention,
                cache_snapshot_window=cache_window,
                resource=f"aws_db_instance.{database}" if database else f"aws_backup_plan.{plan_name}",
            )
        )
    return found


def stack_figures(name: str, stack: dict[str, Any]) -> list[RecoveryFigures]:
    """The figures of every database (or, without one, every backup plan) of a synthesized
    stack; empty when it has neither."""
    return [figures(inputs) for inputs in inputs_from_stack(name, stack)]


def summary_section(name: str, stack: dict[str, Any]) -> list[str]:
    """``stackkit summary``'s "Disaster recovery" section of one synthesized stack: the same
    table as the docs' runbook, one column per database; empty without a database or a
    backup plan."""
    fs = stack_figures(name, stack)
    if not fs:
        return []
    labels = [f"`{f.resource}`" for f in fs]
    out = ["### Disaster recovery", ""]
    for f in fs:
        out += sentences(f)
    out += [
        "",
        figures_table(fs, labels),
        "",
        "Assumed durations and copy delay: see `stackkit.disaster_recovery` (replace them with "
        "what a restore drill measures).",
        "",
    ]
    return out


__all__ = ["inputs_from_stack", "stack_figures", "summary_section"]
