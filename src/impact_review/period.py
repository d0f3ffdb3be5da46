"""The reporting period of a run: any date range, or a UK financial year (1 April to 31 March)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from impact_review.errors import InputError

_FINANCIAL_YEAR = re.compile(r"^(?:FY\s*)?(\d{4})[-/](\d{2}|\d{4})$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InputError(f"period ends ({self.end}) before it starts ({self.start})")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", self.label):
            raise InputError(
                f"label {self.label!r} must be letters, digits, '.', '_' or '-' (max 64)"
            )

    def describe(self) -> str:
        """'1 April 2015 to 31 March 2018'."""
        return f"{format_uk_date(self.start)} to {format_uk_date(self.end)}"


def format_uk_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def parse_iso_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{what} {text!r} is not a date in the form YYYY-MM-DD") from exc


def financial_year(label: str) -> Period:
    """The UK financial year '2017-18' (or '2017/2018'): 1 April 2017 to 31 March 2018."""
    match = _FINANCIAL_YEAR.match(label.strip())
    if not match:
        raise InputError(f"{label!r} is not a financial year in the form YYYY-YY, like 2017-18")
    first = int(match.group(1))
    second = match.group(2)
    expected = str(first + 1)
    if second not in (expected, expected[2:]):
        raise InputError(
            f"{label!r} is not a financial year: {first} must be followed by {expected}"
        )
    return Period(date(first, 4, 1), date(first + 1, 3, 31), f"{first}-{expected[2:]}")
