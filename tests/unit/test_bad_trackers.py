"""Every kind of broken tracker, read and cleaned in-process: an InputError (exit code 2) whose
message names the file, and the sheet, row and column where it can. tests/e2e runs a few of the
same trackers through the command to show the run exits 2 and publishes nothing."""

from datetime import date

import pytest
from broken_trackers import BROKEN, assert_located
from helpers import HEADER, row, write_xlsx

from impact_review.errors import InputError
from impact_review.intake.cleaning import clean_tracker
from impact_review.intake.tracker import Limits, read_tracker
from impact_review.period import Period

PERIOD = Period(date(2015, 4, 1), date(2018, 3, 31), "t")


def input_error(path, limits: Limits | None = None) -> InputError:
    with pytest.raises(InputError) as raised:
        clean_tracker(read_tracker(path, limits=limits or Limits()), PERIOD)
    return raised.value


@pytest.mark.parametrize(
    ("name", "build", "file", "sheet", "row_number", "column"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_broken_tracker_is_an_input_error_located_in_its_message(
    tmp_path, name, build, file, sheet, row_number, column
):
    error = input_error(build(tmp_path))
    message = str(error)
    assert error.exit_code == 2
    assert_located(message, file, sheet, row_number, column)


def test_hidden_sheet_is_never_read_and_visible_sheets_are_listed(tmp_path):
    tracker = write_xlsx(
        tmp_path / "h.xlsx", {"Lookups": [HEADER, row("R1")], "Notes": [["x"]]}, hidden=["Lookups"]
    )
    assert "visible sheets: Notes" in str(input_error(tracker))


def test_a_tracker_over_the_size_limit_is_refused_unread(tmp_path):
    tracker = write_xlsx(tmp_path / "ok.xlsx", {"S": [HEADER, row("R1")]})
    error = input_error(tracker, Limits(max_file_bytes=1000))
    assert "over the limit" in str(error) and "file ok.xlsx" in str(error)


def test_every_problem_is_one_refusal_located_and_grouped_by_value(tmp_path):
    rows = [
        ["Northshire tracker"],
        HEADER,
        *(row(f"P{n}", "Northshire Police") for n in range(3)),
        row("D1", agreed="13/07/20222"),
        row("E1", "#N/A"),
    ]
    error = input_error(write_xlsx(tmp_path / "many.xlsx", {"Recs": rows}))
    lines = str(error).splitlines()
    assert error.exit_code == 2
    assert lines[0] == "file many.xlsx, sheet 'Recs': 5 problems in 5 rows:"
    assert lines[1].startswith("  column 'Agency': 'Northshire Police' (3 rows: 3, 4, 5) is not")
    assert lines[2] == "  column 'Agency': Excel error #N/A in a mandatory column (row 7)"
    assert lines[3].startswith("  column 'Date agreed': '13/07/20222' (row 6) is not a date")
