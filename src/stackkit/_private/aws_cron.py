"""AWS cron expressions (``cron(min hour day-of-month month day-of-week year)``) read as
schedules: how far apart two runs can be, and when a daily one runs. Used by the RPO figures
(:mod:`stackkit.disaster_recovery`); the syntax is AWS Backup's / EventBridge's ("Cron
expressions reference", Amazon EventBridge User Guide:
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html): minutes
0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT (1 is
Sunday), year 1970-2199; ``,`` lists, ``-`` ranges, ``*`` all, ``?`` any, ``/`` increments
(``1/10`` in minutes: every tenth minute from minute 1); "You can't specify the Day-of-month and
Day-of-week fields in the same cron expression".

AWS Backup takes cron expressions only (BackupRule ``ScheduleExpression``: "A cron expression in
UTC specifying when Backup initiates a backup job", AWS Backup API reference:
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRule.html), so a ``rate(...)``
is not read: its RPO is unknown rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from itertools import pairwise

_CRON = re.compile(r"^cron\((.+)\)$")
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1
    )
}
_ANY = ("*", "?")
DAY_MINUTES = 24 * 60
#: 28 Gregorian years (2001-2028) repeat every weekday-and-date combination of 1901-2099 and are
#: a whole number of weeks (10,227 days = 1,461 weeks): a schedule's gaps over them, wrapping
#: around, are its gaps in any year of this century. Each day: (month, day of month, cron day of
#: week with 1 = Sunday).
_CYCLE_START = date(2001, 1, 1)
_CYCLE_DAYS = (date(2029, 1, 1) - _CYCLE_START).days
_CALENDAR = tuple(
    (day.month, day.day, day.isoweekday() % 7 + 1)
    for day in (_CYCLE_START + timedelta(days=offset) for offset in range(_CYCLE_DAYS))
)


def _values(field_text: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int] | None:
    """The values one cron field matches (``*``, ``?``, ``n``, ``a-b``, ``*/n``, ``a/n``, ``a-b/n``,
    lists, and ``names`` such as ``MON``); None for anything else (``L``, ``W``, ``#``) or a value
    outside ``low..high``."""
    found: set[int] = set()
    for part in field_text.upper().split(","):
        for name, number in (names or {}).items():
            part = part.replace(name, str(number))
        part, slash, step_text = part.partition("/")
        if slash and not (step_text.isdigit() and int(step_text) >= 1):
            return None  # */0 or */x: not an increment
        step = int(step_text) if slash else 1
        if part in _ANY:
            start, end = low, high
        elif "-" in part:
            bounds = re.fullmatch(r"(\d+)-(\d+)", part)
            if bounds is None:
                return None
            start, end = int(bounds[1]), int(bounds[2])
        elif part.isdigit():
            # ``a/n``: from a to the end of the field in steps of n.
            start = int(part)
            end = high if slash else start
        else:
            return None  # L, W, # and the like: not worth a guess
        if not low <= start <= end <= high:
            return None
        found.update(range(start, end + 1, step))
    return found


#: (low, high, names) of the first five fields: minutes, hours, day-of-month, month, day-of-week.
_RANGES: tuple[tuple[int, int, dict[str, int] | None], ...] = (
    (0, 59, None),
    (0, 23, None),
    (1, 31, None),
    (1, 12, _MONTHS),
    (1, 7, _DAYS),
)


def _fields(schedule: str) -> list[str]:
    match = _CRON.match(schedule.strip())
    fields = match.group(1).split() if match else []
    return fields if len(fields) == 6 else []


def _matched(fields: list[str]) -> list[set[int]] | None:
    """The values of the first five fields, or None when one is not read."""
    matched = []
    for index, (low, high, names) in enumerate(_RANGES):
        values = _values(fields[index], low, high, names)
        if values is None:
            return None
        matched.append(values)
    return matched


def schedule_interval_hours(schedule: str) -> int | None:
    """The longest time between two runs of an AWS cron expression, in whole hours (rounded up);
    None when the expression is not one this reads or never repeats (then the RPO is unknown,
    not guessed)."""
    fields = _fields(schedule)
    # Exactly one of day-of-month and day-of-week is ``?`` (AWS refuses both or neither); a fixed
    # year ends the schedule.
    if not fields or (fields[2] == "?") == (fields[4] == "?") or fields[5] != "*":
        return None
    matched = _matched(fields)
    if matched is None:
        return None
    minutes, hours, month_days, months, week_days = matched
    run_days = [
        index
        for index, (month, day, week_day) in enumerate(_CALENDAR)
        if month in months and day in month_days and week_day in week_days
    ]
    if not run_days:
        return None  # e.g. 30 February: never runs
    times = sorted(hour * 60 + minute for hour in hours for minute in minutes)
    # Between the runs of a run day, and from the last run of one run day to the first of the
    # next (round the end of the cycle too).
    days = [*run_days, run_days[0] + _CYCLE_DAYS]
    gaps = [b - a for a, b in pairwise(times)]
    gaps += [(b - a) * DAY_MINUTES - times[-1] + times[0] for a, b in pairwise(days)]
    return -(-max(gaps) // 60)


def schedule_time(schedule: str, timezone: str) -> str:
    """``06:00 UTC`` for an every-day expression at one time; the expression itself otherwise."""
    fields = _fields(schedule)
    matched = _matched(fields) if fields and fields[0].isdigit() and fields[1].isdigit() else None
    every_day = fields[2:] in (["*", "*", "?", "*"], ["?", "*", "*", "*"])
    if matched is None or not every_day:
        return f"`{schedule}` {timezone}"
    return f"{int(fields[1]):02d}:{int(fields[0]):02d} {timezone}"


__all__ = ["schedule_interval_hours", "schedule_time"]
