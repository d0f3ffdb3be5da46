"""The report's date: set in report.qmd as an ISO day, written out with date-format as Quarto
does, and used as the PDF's creation time.

Quarto formats `date:` in its TypeScript layer, before any shortcode is resolved, so a date
given as `{{< var ... >}}` prints "Invalid Date". The date is therefore a literal ISO day that
the bundle writer stamps into its copy of report.qmd (stamp_report_date), and `date-format`
says how both renderers write it. Only the dayjs tokens below are honoured; anything else is
refused rather than written differently from Quarto.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from typing import Any

from impact_review.render.config import FRONT_MATTER, REPORT_FILE
from impact_review.render.errors import RenderError

DYNAMIC_DATES = ("today", "now", "last-modified")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# fmt: off
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# fmt: on
# The dayjs format tokens (day.js.org/docs/en/display/format) that read the same in every
# English dayjs locale. Longest first, so MMMM is not read as MM twice.
DATE_TOKENS: dict[str, Callable[[dt.date], str]] = {
    "YYYY": lambda day: f"{day.year:04d}",
    "MMMM": lambda day: MONTHS[day.month - 1],
    "MMM": lambda day: MONTHS[day.month - 1][:3],
    "MM": lambda day: f"{day.month:02d}",
    "M": lambda day: str(day.month),
    "dddd": lambda day: WEEKDAYS[day.weekday()],
    "ddd": lambda day: WEEKDAYS[day.weekday()][:3],
    "DD": lambda day: f"{day.day:02d}",
    "D": lambda day: str(day.day),
}
NAMED_FORMATS = {"iso": "YYYY-MM-DD"}
# Quarto writes these with the JavaScript Intl API, whose output varies by runtime and locale.
INTL_FORMATS = ("full", "long", "medium", "short")
FORMAT_PART = re.compile(
    r"\[(?P<literal>[^\]]+)\]"  # [text] is written as text, as in dayjs
    r"|(?P<token>" + "|".join(DATE_TOKENS) + r")(?![A-Za-z])"
    r"|(?P<separator>[^A-Za-z\[\]]+)"
)
DATE_LINE = re.compile(r"^date:[^\n]*\n(?:[ \t]+[^\n]*\n)*", re.MULTILINE)
FRONT_MATTER_WHERE = f"{REPORT_FILE} front matter"


def stamp_report_date(qmd_text: str, day: dt.date) -> str:
    """report.qmd's text with its front matter's `date:` set to day as an ISO date (added if
    the front matter has none), so both renderers write the same, real date."""
    match = FRONT_MATTER.match(qmd_text)
    if match is None or match["yaml"] is None:
        raise RenderError(f"{REPORT_FILE} has no YAML front matter to stamp the date into")
    line = f"date: {day:%Y-%m-%d}\n"
    front, count = DATE_LINE.subn(lambda _: line, match["yaml"])
    if count == 0:
        front += line
    return qmd_text[: match.start("yaml")] + front + qmd_text[match.end("yaml") :]


def report_day(value: Any) -> dt.date:
    """The day `date:` gives, which must be an ISO day such as 2018-03-31."""
    if isinstance(value, dt.datetime):
        raise RenderError(f"{FRONT_MATTER_WHERE}: date must be a day, not a time ({value})")
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if text in DYNAMIC_DATES:
        raise RenderError(
            f"{FRONT_MATTER_WHERE}: date: {text} would make every render differ "
            "(the bundle's report.qmd carries the as-at day, set by stamp_report_date)"
        )
    if isinstance(value, str) and ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise RenderError(f"{FRONT_MATTER_WHERE}: date {text} is not a real day") from None
    raise RenderError(
        f"{FRONT_MATTER_WHERE}: date must be an ISO day such as 2018-03-31, not {text!r} "
        "(Quarto formats the date before it resolves shortcodes, so anything else prints "
        "'Invalid Date')"
    )


def written_date(day: dt.date, date_format: Any, lang: str) -> str:
    """The day as Quarto writes it with this date-format (dayjs tokens) in an English locale."""
    if date_format is None:
        raise RenderError(
            f'{FRONT_MATTER_WHERE}: a date needs a date-format, such as "D MMMM YYYY" (without '
            "one Quarto writes the date one way in HTML and another in the PDF)"
        )
    if not (lang == "en" or lang.startswith("en-")):
        raise RenderError(f"dates can only be written out for English (lang: {lang})")
    pattern = NAMED_FORMATS.get(str(date_format), str(date_format))
    if pattern in INTL_FORMATS:
        raise RenderError(
            f"date-format: {pattern} is written by the JavaScript Intl API in Quarto and "
            'cannot be matched; give the tokens instead, such as "D MMMM YYYY"'
        )
    parts = []
    position = 0
    while position < len(pattern):
        part = FORMAT_PART.match(pattern, position)
        if part is None:
            raise RenderError(
                f"date-format {pattern!r}: {pattern[position:]!r} is not supported (use "
                f"{', '.join(DATE_TOKENS)}, separators, and [literal text])"
            )
        token = part["token"]
        parts.append(DATE_TOKENS[token](day) if token else part["literal"] or part["separator"])
        position = part.end()
    return "".join(parts)


def creation_timestamp(day: dt.date | None) -> dt.datetime | None:
    """When the PDF says it was made: SOURCE_DATE_EPOCH if set, else midnight UTC on the report's
    date, so rendering the same bundle twice gives the same bytes. None (now) if neither."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        if not epoch.isdigit():
            raise RenderError(f"SOURCE_DATE_EPOCH must be whole seconds, not {epoch!r}")
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) if day else None
