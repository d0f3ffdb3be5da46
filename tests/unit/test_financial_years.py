"""--year selects exactly the UK financial year, 1 April to 31 March, on trackers no other test
has seen: rows agreed on 31 March and 1 April either side of both of its boundaries, and on days
drawn inside and outside it, read and cleaned by the code the run and the call for evidence use,
with the period their own argument parsing gives."""

import random
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from helpers import HEADER, row, write_csv_text

from impact_review.cli import build_parser, main, request_from_args
from impact_review.evidence.form import EVIDENCE_SHEET, HEADER_ROW
from impact_review.intake.cleaning import clean_tracker
from impact_review.intake.tracker import read_tracker

# First years drawn from 1990 to 2060, with 2019 and 2023, whose years end in a 29 February.
FIRST_YEARS = sorted({*random.Random(20190401).sample(range(1990, 2061), 40), 2019, 2023})
# The ways an analyst may write a year: 2019-20, 2019/2020, FY2019-20.
WRITTEN = ("{first}-{short:02d}", "{first}/{second}", "FY{first}-{short:02d}")
AGENCIES = ("ESHT", "CSC", "Education")


def written_year(first: int) -> str:
    form = WRITTEN[first % len(WRITTEN)]
    return form.format(first=first, second=first + 1, short=(first + 1) % 100)


def agreed_days(first: int) -> list[date]:
    """31 March and 1 April at both ends of the year, its last day of February, and days drawn
    inside it and up to two years either side, shuffled."""
    draw = random.Random(first)
    start, end = date(first, 4, 1), date(first + 1, 3, 31)
    days = [
        start - timedelta(days=1),
        start,
        end,
        end + timedelta(days=1),
        date(first + 1, 3, 1) - timedelta(days=1),
    ]
    days += [start + timedelta(days=draw.randrange((end - start).days + 1)) for _ in range(5)]
    days += [start - timedelta(days=draw.randint(2, 730)) for _ in range(3)]
    days += [end + timedelta(days=draw.randint(2, 730)) for _ in range(3)]
    draw.shuffle(days)
    return days


def write_tracker(path: Path, days: list[date]) -> Path:
    """A CSV tracker with a recommendation, R1, R2, ..., agreed on each day (as 31/03/2020)."""
    lines = [",".join(HEADER)] + [
        ",".join(row(f"R{number}", AGENCIES[number % len(AGENCIES)], f"{day:%d/%m/%Y}"))
        for number, day in enumerate(days, start=1)
    ]
    return write_csv_text(path, lines)


def refs_within(days: list[date], first: int) -> list[str]:
    """The references agreed from 1 April of the first year to 31 March of the next, in order."""
    return [
        f"R{number}"
        for number, day in enumerate(days, start=1)
        if date(first, 4, 1) <= day <= date(first + 1, 3, 31)
    ]


@pytest.mark.parametrize("first", FIRST_YEARS)
def test_run_year_keeps_exactly_the_recommendations_agreed_in_it(tmp_path, first):
    days = agreed_days(first)
    tracker = write_tracker(tmp_path / "ours.csv", days)
    args = ["run", "--tracker", str(tracker), "--year", written_year(first)]
    request = request_from_args(build_parser().parse_args(args))
    kept = clean_tracker(read_tracker(request.tracker), request.period).recommendations
    assert kept["rec_id"].tolist() == refs_within(days, first)
    assert (kept["date_agreed"].min().date(), kept["date_agreed"].max().date()) == (
        date(first, 4, 1),
        date(first + 1, 3, 31),
    )
    assert request.period.label == f"{first}-{(first + 1) % 100:02d}"


@pytest.mark.parametrize("first", FIRST_YEARS[::10])
def test_evidence_request_year_lists_exactly_the_recommendations_agreed_in_it(tmp_path, first):
    days = agreed_days(first)
    tracker = write_tracker(tmp_path / "ours.csv", days)
    out = tmp_path / "requests"
    args = ["evidence-request", "--tracker", str(tracker), "--year", written_year(first)]
    assert main([*args, "--out", str(out)]) == 0
    listed = [
        sheet.cell(row_number, 1).value
        for path in sorted(out.glob("*.xlsx"))
        for sheet in [openpyxl.load_workbook(path)[EVIDENCE_SHEET]]
        for row_number in range(HEADER_ROW + 1, sheet.max_row + 1)
    ]
    assert sorted(listed) == sorted(refs_within(days, first))
