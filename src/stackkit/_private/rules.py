"""Rules several constructs share, each written once: CloudWatch log retention values,
maintenance/backup/snapshot windows, the multi-AZ subnet check and the production rules.

Constructs apply them through their validators; nothing here creates cdktf objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated

from pydantic import AfterValidator

# --- CloudWatch Logs retention ----------------------------------------------------------------
#: The values CloudWatch Logs accepts for a log group's retention (the provider's
#: ``aws_cloudwatch_log_group.retention_in_days`` is passed to it as is; 0 = never expire,
#: which stackkit does not offer). Source: CloudWatch Logs API reference, ``LogGroup`` /
#: ``PutRetentionPolicy`` ``retentionInDays``: "Possible values are: 1, 3, 5, 7, 14, 30, 60, 90,
#: 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653"
#: (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/cloudwatchlogs/aws.sdk.kotlin.services.cloudwatchlogs.model/-log-group/retention-in-days.html).
LOG_RETENTION_DAYS = (
    *(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731),
    *(1096, 1827, 2192, 2557, 2922, 3288, 3653),
)


def _valid_log_retention(days: int) -> int:
    if days not in LOG_RETENTION_DAYS:
        raise ValueError(
            "not a retention CloudWatch Logs accepts; use one of "
            f"{', '.join(str(value) for value in LOG_RETENTION_DAYS)}"
        )
    return days


#: A log group retention in days; anything CloudWatch would refuse at apply is refused here.
LogRetentionDays = Annotated[int, AfterValidator(_valid_log_retention)]

# --- Windows (UTC) ----------------------------------------------------------------------------
DAY = 1440
WEEK = 7 * DAY
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: A window on a circle (a day or a week): its start minute and its length in minutes.
Window = tuple[int, int]


def _minute_of_day(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
        raise ValueError(f"{hhmm!r} is not a time of day hh:mm (UTC)")
    return int(hours) * 60 + int(minutes)


def daily_window(window: str, *, what: str, example: str, min_minutes: int, field: str = "") -> Window:
    """``hh:mm-hh:mm`` (UTC, every day) -> start minute of the day and length. ``field``
    prefixes the error (``"<field>: ..."``) when the caller is a model validator."""
    prefix = f"{field}: " if field else ""
    match = re.fullmatch(r"(\d\d:\d\d)-(\d\d:\d\d)", window)
    if not match:
        raise ValueError(f"{prefix}{window!r} is not a {what} hh:mm-hh:mm (UTC), e.g. {example!r}")
    start = _minute_of_day(match[1])
    return start, _length((_minute_of_day(match[2]) - start) % DAY, f"{prefix}{what} {window!r}", min_minutes)


def _length(minutes: int, window: str, min_minutes: int) -> int:
    if minutes < min_minutes:
        raise ValueError(f"{window} must last at least {min_minutes} minutes")
    return minutes


def weekly_window(window: str, *, what: str, example: str, min_minutes: int, field: str = "") -> Window:
    """``ddd:hh:mm-ddd:hh:mm`` (UTC, every week, any case) -> start minute of the week and
    length. ``field`` as for :func:`daily_window`."""
    prefix = f"{field}: " if field else ""
    match = re.fullmatch(r"([a-z]{3}):(\d\d:\d\d)-([a-z]{3}):(\d\d:\d\d)", window.lower())
    if not match or match[1] not in DAY_NAMES or match[3] not in DAY_NAMES:
        raise ValueError(f"{prefix}{window!r} is not a {what} ddd:hh:mm-ddd:hh:mm (UTC), e.g. {example!r}")
    start = DAY_NAMES.index(match[1]) * DAY + _minute_of_day(match[2])
    end = DAY_NAMES.index(match[3]) * DAY + _minute_of_day(match[4])
    return start, _length((end - start) % WEEK, f"{prefix}{what} {window!r}", min_minutes)


def daily_overlaps_weekly(daily: Window, weekly: Window) -> bool:
    """Whether a daily window meets a weekly one on any day of the week."""
    for start in range(daily[0], WEEK, DAY):  # the daily window's start on each day of the week
        # Two arcs of a circle overlap when either one starts inside the other.
        if (start - weekly[0]) % WEEK < weekly[1] or (weekly[0] - start) % WEEK < daily[1]:
            return True
    return False


# --- Networks ---------------------------------------------------------------------------------
#: Multi-AZ databases and caches need a standby or replica in a second AZ.
MIN_MULTI_AZ_ZONES = 2


def multi_az_zones_problem(zones: Iterable[str] | None, needed_by: str, fix: str) -> str | None:
    """``network: ...`` when ``zones`` (the network's isolated-subnet AZs) are fewer than
    :data:`MIN_MULTI_AZ_ZONES`, else None. Unknown zones (an ExistingNetwork that does not
    state them) are not judged."""
    if zones is None:
        return None
    distinct = sorted(set(zones))
    if len(distinct) >= MIN_MULTI_AZ_ZONES:
        return None
    return (
        f"network: {needed_by} needs isolated subnets in at least {MIN_MULTI_AZ_ZONES} AZs, "
        f"the network has them in {distinct}; {fix}"
    )


# --- Production rules -------------------------------------------------------------------------
#: A primary plus a replica in another AZ: losing a node or an AZ promotes the replica.
MIN_PRODUCTION_CACHE_NODES = 2
#: A week of backups at least: a problem noticed after a weekend can still be undone.
MIN_PRODUCTION_BACKUP_RETENTION_DAYS = 7
#: Two tasks at least, so one AZ (or one task) can fail.
MIN_PRODUCTION_TASKS = 2


def production_cache_problems(node_count: int) -> list[str]:
    """Why a cache of ``node_count`` nodes is not fit for production, each ``"<field>: <fix>"``."""
    if node_count < MIN_PRODUCTION_CACHE_NODES:
        return [
            f"node_count: production needs at least {MIN_PRODUCTION_CACHE_NODES} nodes (a primary and "
            f"a replica in another AZ, with automatic failover); got {node_count}"
        ]
    return []


def production_database_problems(
    *, multi_az: bool, backup_retention_days: int, deletion_protection: bool
) -> list[str]:
    """Why these database settings are not fit for production, each ``"<field>: <fix>"``."""
    problems = []
    if not multi_az:
        problems.append("multi_az: production databases must be multi-AZ; set multi_az=True")
    if backup_retention_days < MIN_PRODUCTION_BACKUP_RETENTION_DAYS:
        problems.append(
            f"backup_retention_days: production keeps backups at least "
            f"{MIN_PRODUCTION_BACKUP_RETENTION_DAYS} days (got {backup_retention_days})"
        )
    if not deletion_protection:
        problems.append("deletion_protection: production databases keep deletion_protection=True")
    return problems


def production_service_problems(*, min_count: int, desired_count: int) -> list[str]:
    """Why these task counts are not fit for production, each ``"<field>: <fix>"``."""
    if min_count < MIN_PRODUCTION_TASKS or desired_count < MIN_PRODUCTION_TASKS:
        return [f"min_count: production needs at least {MIN_PRODUCTION_TASKS} tasks, so one AZ can fail"]
    return []
