"""UK dates as trackers hold them: Excel date cells, Excel serial numbers, and day-first text.

Each cell is parsed on its own, so the result never depends on which row comes first (pandas
infers one format from the first value; that is how 01/02/2018 becomes 2 January).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

EXCEL_EPOCH_1900 = date(1899, 12, 30)
EXCEL_EPOCH_1904 = date(1904, 1, 1)
# Serials outside 1 Jan 1990 .. 31 Dec 2099 are far more likely to be typos than dates.
SERIAL_RANGE = (32874, 73050)

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ \-]([A-Za-z]+)\.?,?[ \-](\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?[ \-](\d{4})$")
_MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9


_DATE_LIKE = re.compile(r"^[0-9/.\-, ]*$")


class DateProblem(ValueError):
    """A cell that is not a date a UK reader would agree on: why, and the cell as written when
    it is shown (see shown_date_text)."""

    def __init__(self, reason: str, written: str | None = None):
        super().__init__(reason if written is None else f"{written!r} {reason}")
        self.reason = reason
        self.written = written


def shown_date_text(text: str) -> str | None:
    """The text of a date cell, fit for a message, when it is an attempt at a date (digits,
    separators, month names); None when it is words, which may be free text about a person."""
    words = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", text).replace(",", " ").split()
    if all(_DATE_LIKE.match(word) or word.casefold().rstrip(".") in _MONTHS for word in words):
        return text
    return None


@dataclass(frozen=True)
class ParsedDate:
    value: date
    repair: str | None = None  # set when the reading is an interpretation worth recording


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateProblem(f"is not a real date (day {day}, month {month})", text) from exc


def _two_digit_year(year: int) -> int:
    return 2000 + year if year < 70 else 1900 + year


def parse_uk_date(
    value: Any, *, epoch: date = EXCEL_EPOCH_1900, month_only: bool = False
) -> ParsedDate | None:
    """The date a cell holds, or None for an empty cell; DateProblem when it holds something else.

    month_only allows "June 2018", read as the month's last day (for target dates, where "by June"
    is the meaning); elsewhere a date without a day is refused rather than given a made-up day.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            return ParsedDate(value.date(), "time of day dropped")
        return ParsedDate(value.date())
    if isinstance(value, date):
        return ParsedDate(value)
    if isinstance(value, bool):
        raise DateProblem("is not a date", str(value))
    if isinstance(value, (int, float)):
        return _from_serial(value, epoch)
    text = " ".join(str(value).split())
    if not text:
        return None
    if text.isdigit() and len(text) == 5:
        return _from_serial(int(text), epoch)
    if match := _DAY_FIRST.match(text):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year = _two_digit_year(year)
        return ParsedDate(_make(year, month, day, text))
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
        return ParsedDate(_make(year, month, day, text))
    if match := _DAY_MONTH_NAME.match(text):
        month = _MONTHS.get(match.group(2).casefold())
        if month is not None:
            return ParsedDate(_make(int(match.group(3)), month, int(match.group(1)), text))
    if match := _MONTH_YEAR.match(text):
        month = _MONTHS.get(match.group(1).casefold())
        if month is not None:
            if not month_only:
                raise DateProblem("has no day; write the full date (dd/mm/yyyy)", text)
            year = int(match.group(2))
            last = calendar.monthrange(year, month)[1]
            return ParsedDate(
                date(year, month, last), "month written without a day, read as the month's last day"
            )
    reason = "is not a date in a UK form (dd/mm/yyyy or yyyy-mm-dd)"
    if (shown := shown_date_text(text)) is None:
        reason = "holds words, not a date; the text is not shown"
    raise DateProblem(reason, shown)


def _from_serial(number: float, epoch: date) -> ParsedDate:
    if number != int(number) or not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise DateProblem("is not a plausible Excel date serial", str(number))
    return ParsedDate(
        epoch + timedelta(days=int(number)), "date stored as an Excel number, read as a date"
    )
