"""The cron reader behind the RPO figures, field by field, with gaps worked by hand.

Syntax and ranges: "Cron expressions reference", Amazon EventBridge User Guide
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html): minutes 0-59,
hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT, year 1970-2199;
"You can't use * in both the Day-of-month and Day-of-week fields. If you use it in one, you must
use ? in the other." AWS Backup schedules are cron only (BackupRule ``ScheduleExpression``, AWS
Backup API reference: https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRule.html).
"""

from __future__ import annotations

import pytest

from stackkit._private.aws_cron import schedule_interval_hours, schedule_time


@pytest.mark.parametrize(
    ("day", "weekly"),
    # One run a week at 02:00: 168 h apart whatever the day; the name must be known (1 = SUN).
    [("SUN", 168), ("MON", 168), ("TUE", 168), ("WED", 168), ("THU", 168), ("FRI", 168), ("SAT", 168)],
)
def test_every_day_name_is_read(day: str, weekly: int) -> None:
    assert schedule_interval_hours(f"cron(0 2 ? * {day} *)") == weekly
    assert schedule_interval_hours(f"cron(0 2 ? * {day.lower()} *)") == weekly


@pytest.mark.parametrize(
    ("days", "hours"),
    # Sunday to the named day, at 02:00: the longest gap is from the last day back to Sunday,
    # (8 - n) days for the day numbered n (SUN = 1 ... SAT = 7), so each name has its own figure.
    [
        ("SUN-MON", 144),
        ("SUN-TUE", 120),
        ("SUN-WED", 96),
        ("SUN-THU", 72),
        ("SUN-FRI", 48),
        ("SUN-SAT", 24),
    ],
)
def test_each_day_name_has_its_number(days: str, hours: int) -> None:
    assert schedule_interval_hours(f"cron(0 2 ? * {days} *)") == hours


@pytest.mark.parametrize(
    ("months", "hours"),
    # The 1st of each month from the named one to December, at 02:00: the longest gap is from
    # 1 December to the named month's 1st next year, 31 (Dec) + Jan + Feb (29 in a leap year) +
    # ... days; JAN-DEC is every month (longest gap 31 days), DEC alone is a year (366 days).
    [
        ("JAN-DEC", 31 * 24),
        ("FEB-DEC", (31 + 31) * 24),
        ("MAR-DEC", (31 + 31 + 29) * 24),
        ("APR-DEC", (91 + 31) * 24),
        ("MAY-DEC", (122 + 30) * 24),
        ("JUN-DEC", (152 + 31) * 24),
        ("JUL-DEC", (183 + 30) * 24),
        ("AUG-DEC", (213 + 31) * 24),
        ("SEP-DEC", (244 + 31) * 24),
        ("OCT-DEC", (275 + 30) * 24),
        ("NOV-DEC", (305 + 31) * 24),
        ("DEC", 366 * 24),
    ],
)
def test_each_month_name_has_its_number(months: str, hours: int) -> None:
    assert schedule_interval_hours(f"cron(0 2 1 {months} ? *)") == hours


@pytest.mark.parametrize(
    ("days", "hours"),
    [
        # Which day is which number matters once two days are listed: the gap is the longer side.
        ("SUN,MON", 144),  # Mon 02:00 -> Sun 02:00 = 6 days
        ("1,2", 144),  # the same, by number
        ("SAT,SUN", 144),  # Sun -> Sat = 6 days
        ("7,1", 144),
        ("MON,THU", 96),  # Thu -> Mon = 4 days
        ("TUE,SAT", 96),  # Tue -> Sat = 4 days, Sat -> Tue = 3 days
        ("WED,FRI", 120),  # Fri -> Wed = 5 days
        ("MON-FRI", 72),  # Fri -> Mon
        ("2-6", 72),
        ("SUN-SAT", 24),
        ("1-7", 24),
        ("MON-WED,FRI", 72),  # Fri -> Mon = 3 days (Wed -> Fri = 2)
        ("SAT-SUN", None),  # a range must go up: 7-1 is not one
        ("0", None),  # below SUN = 1
        ("8", None),  # past SAT = 7
        ("MON#2", None),  # the second Monday: not read
        ("L", None),
        ("SUNDAY", None),
    ],
)
def test_day_of_week_lists_and_ranges(days: str, hours: int | None) -> None:
    assert schedule_interval_hours(f"cron(0 2 ? * {days} *)") == hours


@pytest.mark.parametrize(
    ("expression", "hours"),
    [
        # minutes 0-59
        ("cron(0 * * * ? *)", 1),
        ("cron(59 * * * ? *)", 1),
        ("cron(60 * * * ? *)", None),
        ("cron(-1 * * * ? *)", None),
        # hours 0-23
        ("cron(0 0 * * ? *)", 24),
        ("cron(0 23 * * ? *)", 24),
        ("cron(0 24 * * ? *)", None),
        ("cron(0 25 * * ? *)", None),
        ("cron(0 22-24 * * ? *)", None),
        # day-of-month 1-31
        ("cron(0 2 1 * ? *)", 744),  # the 1st: at worst a 31-day month
        ("cron(0 2 28 * ? *)", 744),
        ("cron(0 2 0 * ? *)", None),
        ("cron(0 2 32 * ? *)", None),
        # month 1-12
        ("cron(0 2 1 1 ? *)", 8784),  # 1 January: 366 days across a leap year
        ("cron(0 2 1 12 ? *)", 8784),
        ("cron(0 2 1 0 ? *)", None),
        ("cron(0 2 1 13 ? *)", None),
        # day-of-week 1-7
        ("cron(0 2 ? * 1 *)", 168),
        ("cron(0 2 ? * 7 *)", 168),
        # One value past the range in a list of valid ones: the whole expression is refused (a
        # lone day 32, month 13 or weekday 0 never runs anyway, which would hide a wrong bound).
        ("cron(0,60 * * * ? *)", None),
        ("cron(0 0,24 * * ? *)", None),
        ("cron(0 2 1,32 * ? *)", None),
        ("cron(0 2 0,1 * ? *)", None),
        ("cron(0 2 1 1,13 ? *)", None),
        ("cron(0 2 1 0,1 ? *)", None),
        ("cron(0 2 ? * 0,1 *)", None),
        ("cron(0 2 ? * 7,8 *)", None),
    ],
)
def test_each_fields_boundaries_and_one_past_them(expression: str, hours: int | None) -> None:
    assert schedule_interval_hours(expression) == hours


@pytest.mark.parametrize(
    ("expression", "hours"),
    [
        ("cron(*/15 * * * ? *)", 1),  # 15-minute gaps round up to the hour
        ("cron(0 */6 * * ? *)", 6),
        ("cron(0 0/8 * * ? *)", 8),
        ("cron(0 2/8 * * ? *)", 8),  # 02, 10, 18: 18 -> 02 is 8 h
        ("cron(0 0/1 * * ? *)", 1),  # a/1 is every hour from a, not a alone
        ("cron(0 20/1 * * ? *)", 21),  # 20:00..23:00 hourly, then 23:00 -> 20:00 the next day
        ("cron(0 0-12/4 * * ? *)", 12),  # 0, 4, 8, 12: 12:00 -> 00:00 = 12 h
        ("cron(0 */0 * * ? *)", None),
        ("cron(*/0 * * * ? *)", None),
        ("cron(0 0/x * * ? *)", None),
        ("cron(0 2 */0 * ? *)", None),
        ("cron(0 2 1 */3 ? *)", 2208),  # Jan, Apr, Jul, Oct: Jul 1 -> Oct 1 = 92 days
        ("cron(0 2 1 JAN/6 ? *)", 4416),  # Jan, Jul: Jul 1 -> Jan 1 = 184 days
    ],
)
def test_steps(expression: str, hours: int | None) -> None:
    assert schedule_interval_hours(expression) == hours


@pytest.mark.parametrize(
    ("expression", "hours"),
    [
        ("cron(0/45 * * * ? *)", 1),  # :00 and :45: 45 min, then 15 min
        ("cron(30 1,3 * * ? *)", 22),  # 01:30, 03:30: 22 h from 03:30 to 01:30
        ("cron(10,50 6 * * ? *)", 24),  # 06:10, 06:50: 23 h 20 min -> 24
        ("cron(0,20 0/7 * * ? *)", 7),  # 00:20 -> 07:00 = 6 h 40 min -> 7
        ("cron(45 0/5 * * ? *)", 5),  # 20:45 -> 00:45 = 4 h, the others 5 h
        ("cron(30 5,17 * * ? *)", 12),
        ("cron(0 6,18 ? * MON-FRI *)", 60),  # Fri 18:00 -> Mon 06:00
        ("cron(0 2,14 ? * SUN *)", 156),  # Sun 14:00 -> next Sun 02:00 = 6 days 12 h
        ("cron(30 23 ? * FRI,SAT *)", 144),  # Sat 23:30 -> Fri 23:30
        ("cron(15 0 ? * MON,WED *)", 120),  # Wed 00:15 -> Mon 00:15
    ],
)
def test_gaps_that_are_not_whole_hours_or_days(expression: str, hours: int) -> None:
    assert schedule_interval_hours(expression) == hours


@pytest.mark.parametrize(
    ("expression", "hours"),
    [
        # The month, not a 31-day circle: the 31st skips the 30-day months (Aug 31 -> Oct 31 =
        # 61 days), the 30th skips February (Jan 30 -> Mar 30 = 60 days in a leap year), the 29th
        # skips a common February (Jan 29 -> Mar 29 = 59 days).
        ("cron(0 2 31 * ? *)", 1464),
        ("cron(0 2 30 * ? *)", 1440),
        ("cron(0 2 29 * ? *)", 1416),
        ("cron(0 2 1,15 * ? *)", 408),  # 15th -> 1st of a 31-day month = 17 days
        ("cron(0 2 1-7 * ? *)", 600),  # 7th -> 1st of a 31-day month = 25 days
        ("cron(0 2 29 2 ? *)", 35064),  # leap days: 29 Feb 2004 -> 29 Feb 2008 = 1,461 days
        ("cron(0 2 30 2 ? *)", None),  # never runs
        ("cron(0 2 31 APR ? *)", None),
        ("cron(0 2 1 JAN,JUL ? *)", 4416),
        ("cron(0 2 1 MAR-MAY ? *)", 7320),  # May 1 -> Mar 1 of a leap year = 305 days
    ],
)
def test_days_of_the_month_follow_the_calendar(expression: str, hours: int | None) -> None:
    assert schedule_interval_hours(expression) == hours


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 6 * * * *)",  # * in both day fields: AWS refuses it
        "cron(0 6 ? * ? *)",  # ? in both
        "cron(0 6 1 * MON *)",  # a value in both
        "cron(0 6 * * MON *)",
        "cron(0 6 * * ? 2030)",  # a fixed year: the schedule ends
        "cron(0 6 * * ?)",  # five fields
        "cron(0 6 * * ? * *)",  # seven
        "cron()",
        "0 6 * * ? *",
        "cron(0 2 L * ? *)",
        "cron(0 2 15W * ? *)",
        "cron(0 2 1 FOO ? *)",
    ],
)
def test_expressions_it_does_not_read_give_no_interval(expression: str) -> None:
    assert schedule_interval_hours(expression) is None


@pytest.mark.parametrize(
    "expression",
    # rate() in every unit: AWS Backup takes cron only, so the RPO is unknown, not guessed.
    ["rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(12 hours)", "rate(1 day)", "rate(7 days)"],
)
def test_rate_expressions_in_any_unit_are_not_read(expression: str) -> None:
    assert schedule_interval_hours(expression) is None


def test_surrounding_spaces_are_ignored() -> None:
    assert schedule_interval_hours("  cron(0 6 * * ? *)\n") == 24
    assert schedule_interval_hours("cron(0  6 * * ? *)") == 24


@pytest.mark.parametrize(
    ("expression", "text"),
    [
        ("cron(0 6 * * ? *)", "06:00 UTC"),
        ("cron(5 0 ? * * *)", "00:05 UTC"),
        ("cron(59 23 * * ? *)", "23:59 UTC"),
        (" cron(30 4 * * ? *) ", "04:30 UTC"),
        # Not one run every day at one time: the expression itself.
        ("cron(0 2 ? * SUN *)", "`cron(0 2 ? * SUN *)` UTC"),
        ("cron(0 2 1 * ? *)", "`cron(0 2 1 * ? *)` UTC"),
        ("cron(0 2 * JAN ? *)", "`cron(0 2 * JAN ? *)` UTC"),
        ("cron(0 2 * * ? 2030)", "`cron(0 2 * * ? 2030)` UTC"),
        ("cron(0 1,5 * * ? *)", "`cron(0 1,5 * * ? *)` UTC"),
        ("cron(0 */6 * * ? *)", "`cron(0 */6 * * ? *)` UTC"),
        ("cron(*/5 6 * * ? *)", "`cron(*/5 6 * * ? *)` UTC"),
        ("cron(5/1 6 * * ? *)", "`cron(5/1 6 * * ? *)` UTC"),
        ("cron(0 25 * * ? *)", "`cron(0 25 * * ? *)` UTC"),
        ("cron(60 2 * * ? *)", "`cron(60 2 * * ? *)` UTC"),
        ("cron(0 2 * * * *)", "`cron(0 2 * * * *)` UTC"),
        ("rate(1 day)", "`rate(1 day)` UTC"),
    ],
)
def test_schedule_time(expression: str, text: str) -> None:
    assert schedule_time(expression, "UTC") == text


def test_schedule_time_names_the_timezone() -> None:
    assert schedule_time("cron(0 6 * * ? *)", "Europe/Berlin") == "06:00 Europe/Berlin"
