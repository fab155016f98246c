"""A group's meeting cadence as an RFC 5545 RRULE, and the dates it proposes over a period.

Pure: no database, no Flask, no clock. The caller stores `Cadence.rrule()` with
the start time and duration, and words the codes this module returns.
"""
from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

FREQUENCIES = ("monthly", "weekly")
ALL_MONTHS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
ORDINALS = (1, 2, 3, 4, -1)
# RFC 5545 day codes in Python's order (Monday is 0), as `date.weekday()` and dateutil count.
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_DURATION_MINUTES = 720
MAX_PERIOD_YEARS = 3

# Our locales to the language codes `holidays` uses: it has one Norwegian ("no", Bokmål
# names) and Swedish for Finland only as "sv_FI".
_HOLIDAY_LANGUAGE_ALIASES = {"nb": "no", "nn": "no", "en": "en_US"}
# Christmas Eve and New Year's Eve are not working days for Nordic public administrations,
# though only Finland makes 24 Dec a public holiday. Where `holidays` lists them in
# another category, its names are used (Iceland's say "from 13.00": the day is skipped anyway).
_NORDIC = ("DK", "SE", "NO", "FI", "IS")
_EVE_CATEGORIES = {"DK": "optional", "SE": "de_facto", "IS": "half_day"}
# For the eves `holidays` does not list (Norway's two, Finland's 31 Dec), in its language codes.
_EVE_NAMES = {
    "da": ("Juleaftensdag", "Nytårsaften"),
    "sv": ("Julafton", "Nyårsafton"),
    "sv_FI": ("Julafton", "Nyårsafton"),
    "no": ("Julaften", "Nyttårsaften"),
    "fi": ("Jouluaatto", "Uudenvuodenaatto"),
    "is": ("Aðfangadagur", "Gamlársdagur"),
    "en_US": ("Christmas Eve", "New Year's Eve"),
}


@dataclass(frozen=True)
class Cadence:
    frequency: str
    interval: int = 1
    weekday: int = 1
    # Monthly only (weekly rules ignore it): the 1st..4th or last (-1) weekday of the month.
    ordinal: int | None = 2
    months: tuple[int, ...] = ALL_MONTHS
    start_time: time = time(9, 0)
    duration_minutes: int = 120

    def problems(self) -> list[tuple[str, str]]:
        """(field, code) for each invalid value; empty when the cadence can be saved."""
        found = []
        if self.frequency not in FREQUENCIES:
            found.append(("frequency", "frequency"))
        if not 1 <= self.interval <= 12:
            found.append(("interval", "interval"))
        if not 0 <= self.weekday <= 6:
            found.append(("weekday", "weekday"))
        if self.frequency == "monthly" and self.ordinal not in ORDINALS:
            found.append(("ordinal", "ordinal"))
        if not self.months or any(month not in ALL_MONTHS for month in self.months):
            found.append(("months", "months"))
        if not 1 <= self.duration_minutes <= MAX_DURATION_MINUTES:
            found.append(("duration_minutes", "duration"))
        return found

    def rrule(self) -> str:
        """The RRULE value (no DTSTART: each proposal starts at its own first day)."""
        if problems := self.problems():
            raise ValueError(problems[0][1])
        day = DAY_CODES[self.weekday]
        parts = [f"FREQ={self.frequency.upper()}", f"INTERVAL={self.interval}"]
        parts.append(f"BYDAY={self.ordinal}{day}" if self.frequency == "monthly" else f"BYDAY={day}")
        months = sorted(set(self.months))
        if tuple(months) != ALL_MONTHS:
            parts.append("BYMONTH=" + ",".join(map(str, months)))
        return ";".join(parts)

    @classmethod
    def from_rrule(cls, rule: str, start_time: time, duration_minutes: int) -> Cadence:
        """The cadence a stored RRULE describes; ValueError for any rule it cannot show as one."""
        parts = {}
        for part in rule.strip().upper().removeprefix("RRULE:").split(";"):
            name, equals, value = part.partition("=")
            if not equals or name in parts or name not in ("FREQ", "INTERVAL", "BYDAY", "BYMONTH"):
                raise ValueError("unsupported_rule", rule)
            parts[name] = value
        frequency = {"MONTHLY": "monthly", "WEEKLY": "weekly"}.get(parts.get("FREQ", ""))
        byday = parts.get("BYDAY", "")
        if frequency is None or byday[-2:] not in DAY_CODES:
            raise ValueError("unsupported_rule", rule)
        try:
            interval = int(parts.get("INTERVAL", "1"))
            months = ALL_MONTHS
            if "BYMONTH" in parts:
                months = tuple(sorted({int(month) for month in parts["BYMONTH"].split(",")}))
            # A weekly BYDAY has no number; a monthly one must ("TU" alone would be every Tuesday).
            ordinal = int(byday[:-2]) if frequency == "monthly" else None
        except ValueError:
            raise ValueError("unsupported_rule", rule) from None
        if frequency == "weekly" and byday[:-2]:
            raise ValueError("unsupported_rule", rule)
        cadence = cls(frequency, interval, DAY_CODES.index(byday[-2:]), ordinal, months, start_time, duration_minutes)
        if any(field != "duration_minutes" for field, _ in cadence.problems()):
            raise ValueError("unsupported_rule", rule)
        return cadence


@dataclass(frozen=True)
class ProposedDate:
    day: date
    starts_at: datetime  # naive UTC
    ends_at: datetime  # naive UTC


@dataclass(frozen=True)
class SkippedDate:
    day: date
    holiday: str


@dataclass(frozen=True)
class Plan:
    dates: list[ProposedDate]
    skipped: list[SkippedDate]


def propose(
    cadence: Cadence,
    first_day: date,
    last_day: date,
    *,
    country: str,
    time_zone: str,
    language: str | None = None,
    taken: AbstractSet[date] = frozenset(),
) -> Plan:
    """The cadence's dates from first_day to last_day (both included), without holidays and taken days.

    Intervals count from first_day: every second week is the week of first_day, the one
    two weeks on, and so on.
    """
    if last_day < first_day:
        raise ValueError("period_reversed")
    if last_day >= first_day + relativedelta(years=MAX_PERIOD_YEARS):
        raise ValueError("period_too_long")
    rule = rrulestr(cadence.rrule(), dtstart=datetime.combine(first_day, cadence.start_time))
    days = [moment.date() for moment in rule.replace(until=datetime.combine(last_day, time.max))]
    closed = _closed_days(country, range(first_day.year, last_day.year + 1), language)
    zone = ZoneInfo(time_zone)
    dates, skipped = [], []
    for day in days:
        if day in taken:
            continue
        if day in closed:
            skipped.append(SkippedDate(day, closed[day]))
            continue
        # Through the zone, so that 09:00 is 08:00 UTC in Copenhagen's winter and 07:00 in its summer.
        starts_at = datetime.combine(day, cadence.start_time, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
        dates.append(ProposedDate(day, starts_at, starts_at + timedelta(minutes=cadence.duration_minutes)))
    return Plan(dates, skipped)


def _closed_days(country: str, years: range, language: str | None) -> dict[date, str]:
    """Public holidays, and for the Nordic countries Christmas Eve and New Year's Eve, by day."""
    entity = holidays.country_holidays(country)
    language = _holiday_language(entity, country, language)
    closed = dict(holidays.country_holidays(country, years=years, language=language))
    if country not in _NORDIC:
        return closed
    listed = {}
    if (category := _EVE_CATEGORIES.get(country)) in entity.supported_categories:
        listed = holidays.country_holidays(country, years=years, language=language, categories=(category,))
    names = _EVE_NAMES.get(language) or _EVE_NAMES[entity.default_language]
    for year in years:
        for day, name in zip((date(year, 12, 24), date(year, 12, 31)), names):
            closed.setdefault(day, listed.get(day) or name)
    return closed


def _holiday_language(entity, country: str, language: str | None) -> str:
    """The `holidays` language closest to ours, else the country's own.

    Never None: with none, `holidays` reads the process's locale (LANG=C.UTF-8 gives English).
    """
    if language:
        language = language.replace("-", "_")
        primary = language.split("_")[0].lower()
        for candidate in (language, f"{primary}_{country}", _HOLIDAY_LANGUAGE_ALIASES.get(primary)):
            if candidate in entity.supported_languages:
                return candidate
    return entity.default_language
