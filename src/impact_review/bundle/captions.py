"""What a caption says of the recommendations its table or figure shows: the period they were
agreed in and, where it shows how they stand, the day that is as at. A table is read apart from
its report (a sheet of the Excel annex, a figure pasted into a board paper), so the caption, not
the page around it, has to say what it covers."""

from __future__ import annotations

from datetime import date

from impact_review.period import format_uk_date


def dated_caption(caption: str, period: str, as_at: date | None = None) -> str:
    """'Recommendations by agency: agreed 1 April 2015 to 31 March 2018', and ', as at 31 March
    2018' after it when as_at is given."""
    agreed = f"{caption}: agreed {period}"
    return agreed if as_at is None else f"{agreed}, as at {format_uk_date(as_at)}"
