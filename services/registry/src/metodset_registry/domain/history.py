"""Reading the register as of a date: which instant a day means, and which days can be asked for."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta


class AsOfError(ValueError):
    """A date the history cannot answer for: it has not come yet."""


def end_of_day(day: date) -> datetime:
    """The first instant after `day` in the service's time zone (the one `date.today()` counts days in):
    a version open then is the organisation as it stood at the end of that day."""
    return datetime.combine(day + timedelta(days=1), time()).astimezone()


def check_as_of(day: date, today: date) -> None:
    if day > today:
        raise AsOfError(f"Дата asOf {day.isoformat()} позже сегодняшней ({today.isoformat()}): "
                        "история известна только до сегодняшнего дня")
