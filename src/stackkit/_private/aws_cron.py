"""AWS cron expressions (``cron(min hour day-of-month month day-of-week year)``) read as
schedules: how far apart two runs can be, and when a daily one runs. Used by the RPO figures
(:mod:`stackkit.disaster_recovery`); the syntax is AWS Backup's / EventBridge's ("Cron
expressions reference", Amazon EventBridge User Guide)."""

from __future__ import annotations

import re

_CRON = re.compile(r"^cron\((.+)\)$")
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}


def _values(field_text: str, low: int, high: int) -> set[int] | None:
    """The values one cron field matches (``*``, ``?``, ``n``, ``a-b``, ``*/n``, ``a/n``, lists)."""
    found: set[int] = set()
    for part in field_text.upper().split(","):
        for name, number in _DAYS.items():
            part = part.replace(name, str(number))
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            if not step_text.isdigit() or int(step_text) < 1:
                return None
            step = int(step_text)
        if part in ("*", "?"):
            start, end = low, high
        elif "-" in part:
            first, last = part.split("-", 1)
            if not (first.isdigit() and last.isdigit()):
                return None
            start, end = int(first), int(last)
        elif part.isdigit():
            start = int(part)
            end = high if step > 1 else start
        else:
            return None  # L, W, # and the like: not worth a guess
        found |= set(range(start, end + 1, step))
    return found if found and min(found) >= low and max(found) <= high else None


def _largest_gap(values: set[int], cycle: int) -> int:
    ordered = sorted(values)
    return max((b - a) % cycle or cycle for a, b in zip(ordered, [*ordered[1:], ordered[0]], strict=True))


def schedule_interval_hours(schedule: str) -> int | None:
    """The longest time between two runs of an AWS cron expression, in whole hours (rounded up);
    None when the expression is not one this reads (then the RPO is unknown, not guessed)."""
    match = _CRON.match(schedule.strip())
    fields = match.group(1).split() if match else []
    if len(fields) != 6:
        return None
    minutes, hours = _values(fields[0], 0, 59), _values(fields[1], 0, 23)
    month_days, week_days = fields[2], fields[4]
    if minutes is None or hours is None:
        return None
    if month_days not in ("*", "?"):
        days = _values(month_days, 1, 31)
        # A day of the month: the worst case is the longest month.
        return None if days is None else _largest_gap(days, 31) * 24
    if week_days not in ("*", "?"):
        days = _values(week_days, 1, 7)
        return None if days is None else _largest_gap(days, 7) * 24
    if len(hours) == 1 and len(minutes) == 1:
        return 24
    # Several runs a day: the longest gap between them (minutes past the hour ignored above 1 h).
    gap_minutes = _largest_gap({h * 60 + m for h in hours for m in minutes}, 24 * 60)
    return -(-gap_minutes // 60)


def schedule_time(schedule: str, timezone: str) -> str:
    """``06:00 UTC`` for a daily expression; the expression itself otherwise."""
    match = _CRON.match(schedule.strip())
    fields = match.group(1).split() if match else []
    if len(fields) == 6 and fields[0].isdigit() and fields[1].isdigit():
        return f"{int(fields[1]):02d}:{int(fields[0]):02d} {timezone}"
    return f"`{schedule}` {timezone}"


__all__ = ["schedule_interval_hours", "schedule_time"]
