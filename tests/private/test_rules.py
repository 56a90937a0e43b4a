"""The shared rules, directly: retention values, windows, multi-AZ and production rules.

Sources:
- CloudWatch Logs ``retentionInDays``: "Possible values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150,
  180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653" (CloudWatch Logs API
  reference, PutRetentionPolicy:
  https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
- RDS CreateDBInstance (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html):
  PreferredBackupWindow "hh24:mi-hh24:mi", UTC, "Must be at least 30 minutes", "Must not conflict
  with the preferred maintenance window"; PreferredMaintenanceWindow "ddd:hh24:mi-ddd:hh24:mi",
  "Valid Days: Mon, Tue, Wed, Thu, Fri, Sat, Sun", "Minimum 30-minute window".
Minutes below are worked by hand: 03:00 = 180, sun = day 6 of a week starting Monday, so
sun:05:00 = 6 x 1440 + 300 = 8940.
"""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from stackkit._private.rules import (
    LOG_RETENTION_DAYS,
    LogRetentionDays,
    daily_overlaps_weekly,
    daily_window,
    multi_az_zones_problem,
    production_cache_problems,
    production_database_problems,
    production_service_problems,
    weekly_window,
)

RETENTION = TypeAdapter(LogRetentionDays)
ACCEPTED = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


def test_the_retention_values_are_cloudwatchs() -> None:
    assert LOG_RETENTION_DAYS == ACCEPTED


@pytest.mark.parametrize("days", ACCEPTED)
def test_every_accepted_retention_passes(days: int) -> None:
    assert RETENTION.validate_python(days) == days


@pytest.mark.parametrize("days", [0, 2, 4, 364, 366, 730, 3652, 3654, -1])
def test_other_retentions_are_refused_with_the_list(days: int) -> None:
    with pytest.raises(ValidationError) as caught:
        RETENTION.validate_python(days)
    assert caught.value.errors()[0]["msg"] == (
        "Value error, not a retention CloudWatch Logs accepts; use one of 1, 3, 5, 7, 14, 30, 60, 90, "
        "120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"
    )


def _daily(window: str, field: str = "") -> tuple[int, int]:
    return daily_window(window, what="backup window", example="03:00-04:00", min_minutes=30, field=field)


def _weekly(window: str, field: str = "") -> tuple[int, int]:
    return weekly_window(
        window, what="maintenance window", example="sun:05:00-sun:06:00", min_minutes=30, field=field
    )


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("03:00-04:00", (180, 60)),
        ("00:00-00:30", (0, 30)),  # exactly the minimum
        ("23:30-00:30", (1410, 60)),  # across midnight
        ("23:59-00:29", (1439, 30)),
        ("12:15-11:45", (735, 1410)),  # nearly a day
    ],
)
def test_daily_windows(window: str, expected: tuple[int, int]) -> None:
    assert _daily(window) == expected


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ("03:00-03:29", "backup window '03:00-03:29' must last at least 30 minutes"),
        ("03:00-03:00", "backup window '03:00-03:00' must last at least 30 minutes"),
        ("3:00-4:00", "'3:00-4:00' is not a backup window hh:mm-hh:mm (UTC), e.g. '03:00-04:00'"),
        ("03:00 - 04:00", "'03:00 - 04:00' is not a backup window hh:mm-hh:mm (UTC), e.g. '03:00-04:00'"),
        ("24:00-01:00", "'24:00' is not a time of day hh:mm (UTC)"),
        ("23:00-24:00", "'24:00' is not a time of day hh:mm (UTC)"),
        ("00:60-01:00", "'00:60' is not a time of day hh:mm (UTC)"),
        ("01:00-01:60", "'01:60' is not a time of day hh:mm (UTC)"),
    ],
)
def test_bad_daily_windows(window: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        _daily(window)
    assert str(caught.value) == message


def test_without_a_field_the_error_has_no_prefix() -> None:
    with pytest.raises(ValueError) as caught:
        daily_window("3-4", what="backup window", example="03:00-04:00", min_minutes=30)
    assert str(caught.value) == "'3-4' is not a backup window hh:mm-hh:mm (UTC), e.g. '03:00-04:00'"
    with pytest.raises(ValueError) as caught:
        weekly_window("sun:05:00-sun:05:10", what="maintenance window", example="x", min_minutes=30)
    assert str(caught.value) == "maintenance window 'sun:05:00-sun:05:10' must last at least 30 minutes"


def test_a_daily_window_error_names_the_field() -> None:
    with pytest.raises(ValueError) as caught:
        _daily("03:00-03:10", field="backup_window")
    assert str(caught.value) == "backup_window: backup window '03:00-03:10' must last at least 30 minutes"
    with pytest.raises(ValueError) as caught:
        _daily("3-4", field="backup_window")
    assert str(caught.value) == (
        "backup_window: '3-4' is not a backup window hh:mm-hh:mm (UTC), e.g. '03:00-04:00'"
    )


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("mon:00:00-mon:00:30", (0, 30)),
        ("sun:05:00-sun:06:00", (8940, 60)),
        ("Sun:05:00-SUN:06:00", (8940, 60)),  # any case
        ("sat:23:30-sun:00:30", (8610, 60)),
        ("sun:23:30-mon:00:30", (10050, 60)),  # across the end of the week
        ("tue:01:00-wed:01:00", (1500, 1440)),
        ("thu:10:00-thu:10:45", (4920, 45)),
        ("fri:08:00-fri:09:00", (6240, 60)),
        ("wed:00:00-wed:00:30", (2880, 30)),
    ],
)
def test_weekly_windows(window: str, expected: tuple[int, int]) -> None:
    assert _weekly(window) == expected


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ("sun:05:00-sun:05:29", "maintenance window 'sun:05:00-sun:05:29' must last at least 30 minutes"),
        (
            "sunday:05:00-sunday:06:00",
            "'sunday:05:00-sunday:06:00' is not a maintenance window ddd:hh:mm-ddd:hh:mm (UTC), "
            "e.g. 'sun:05:00-sun:06:00'",
        ),
        (
            "xyz:05:00-sun:06:00",
            "'xyz:05:00-sun:06:00' is not a maintenance window ddd:hh:mm-ddd:hh:mm (UTC), "
            "e.g. 'sun:05:00-sun:06:00'",
        ),
        (
            "sun:05:00-xyz:06:00",
            "'sun:05:00-xyz:06:00' is not a maintenance window ddd:hh:mm-ddd:hh:mm (UTC), "
            "e.g. 'sun:05:00-sun:06:00'",
        ),
        ("sun:25:00-mon:01:00", "'25:00' is not a time of day hh:mm (UTC)"),
        ("sun:05:00-mon:05:61", "'05:61' is not a time of day hh:mm (UTC)"),
    ],
)
def test_bad_weekly_windows(window: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        _weekly(window)
    assert str(caught.value) == message


def test_a_weekly_window_error_names_the_field() -> None:
    with pytest.raises(ValueError) as caught:
        _weekly("sun:05:00-sun:05:10", field="maintenance_window")
    assert str(caught.value) == (
        "maintenance_window: maintenance window 'sun:05:00-sun:05:10' must last at least 30 minutes"
    )


@pytest.mark.parametrize(
    ("daily", "weekly", "overlap"),
    [
        ((240, 60), (8940, 60), False),  # 04:00-05:00 daily, sun 05:00-06:00: touching
        ((240, 61), (8940, 60), True),  # one minute more
        ((300, 60), (8940, 60), True),  # the same hour on sunday
        ((360, 60), (8940, 60), False),  # 06:00-07:00: right after
        ((359, 60), (8940, 60), True),  # one minute earlier
        ((1410, 60), (0, 60), True),  # 23:30-00:30 daily against mon 00:00-01:00 (across the week)
        ((1410, 30), (0, 60), False),  # 23:30-00:00: touching
        ((200, 10), (180, 60), True),  # daily inside the weekly
        ((170, 20), (180, 60), True),  # weekly starts inside the daily
        ((170, 10), (180, 60), False),  # 02:50-03:00 just before mon 03:00
        ((0, 30), (9900, 180), False),  # sun 21:00-mon 00:00 and 00:00-00:30 daily: touching
        ((0, 30), (9900, 181), True),
    ],
)
def test_daily_against_weekly_windows(daily: tuple[int, int], weekly: tuple[int, int], overlap: bool) -> None:
    assert daily_overlaps_weekly(daily, weekly) is overlap


def test_multi_az_zones() -> None:
    fix = "add an AZ"
    assert multi_az_zones_problem(None, "a multi-AZ database", fix) is None
    assert multi_az_zones_problem(["eu-west-1a", "eu-west-1b"], "a multi-AZ database", fix) is None
    assert multi_az_zones_problem(["eu-west-1a", "eu-west-1a"], "a multi-AZ database", fix) == (
        "network: a multi-AZ database needs isolated subnets in at least 2 AZs, the network has them "
        "in ['eu-west-1a']; add an AZ"
    )
    assert multi_az_zones_problem([], "a cache", fix) == (
        "network: a cache needs isolated subnets in at least 2 AZs, the network has them in []; add an AZ"
    )


def test_production_cache() -> None:
    assert production_cache_problems(2) == []
    assert production_cache_problems(3) == []
    assert production_cache_problems(1) == [
        "node_count: production needs at least 2 nodes (a primary and a replica in another AZ, with "
        "automatic failover); got 1"
    ]


MULTI_AZ = "multi_az: production databases must be multi-AZ; set multi_az=True"
DELETION = "deletion_protection: production databases keep deletion_protection=True"


def test_production_database() -> None:
    assert (
        production_database_problems(multi_az=True, backup_retention_days=7, deletion_protection=True) == []
    )
    assert (
        production_database_problems(multi_az=True, backup_retention_days=35, deletion_protection=True) == []
    )
    assert production_database_problems(
        multi_az=False, backup_retention_days=6, deletion_protection=False
    ) == [
        MULTI_AZ,
        "backup_retention_days: production keeps backups at least 7 days (got 6)",
        DELETION,
    ]
    assert production_database_problems(
        multi_az=False, backup_retention_days=7, deletion_protection=True
    ) == [MULTI_AZ]
    assert production_database_problems(
        multi_az=True, backup_retention_days=7, deletion_protection=False
    ) == [DELETION]


def test_production_service() -> None:
    problem = ["min_count: production needs at least 2 tasks, so one AZ can fail"]
    assert production_service_problems(min_count=2, desired_count=2) == []
    assert production_service_problems(min_count=3, desired_count=5) == []
    assert production_service_problems(min_count=1, desired_count=3) == problem
    assert production_service_problems(min_count=2, desired_count=1) == problem
