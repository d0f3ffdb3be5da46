"""Failing rows at scale: a check failing on tens of thousands of rows leaves Data Docs, the
summary and the checks page the size they would be for a few, and lists every failing row (by
reference and sheet row, never a cell's value) in its own file."""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from checks import ValidationReport
from checks.page import checks_page
from checks.report import ROWS_LISTED
from checks.suites import NOT_WHITE_SPACE, check_by_id
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.intake.themes import THEME_COLUMNS
from impact_review.intake.trail import left_out_frame

# The tests that import Great Expectations share one worker (see conftest.py).
pytestmark = pytest.mark.xdist_group("great-expectations")

PERIOD = (date(2016, 4, 1), date(2017, 3, 31))
ROWS = 60_000
FAILING = 50_000
SENTINEL = "ZQX-SENTINEL-Jane-Doe-07700900123"


def validate_tracker(*args: Any, **kwargs: Any) -> ValidationReport:
    from checks import validate_tracker as run

    return run(*args, **kwargs)


def clean_frame(rows: int) -> pd.DataFrame:
    """rows good cleaned recommendations, R-000001 on sheet row 2 onwards."""
    taxonomy = default_taxonomy()
    frame = pd.DataFrame({spec.field: [None] * rows for spec in taxonomy.columns})
    frame = frame.assign(
        rec_id=[f"R-{n:06d}" for n in range(1, rows + 1)],
        source_name="Child S SCR",
        source_type="SCR",
        agency="Sussex Police",
        area_of_learning="Assessment",
        themes="Domestic abuse",
        recommendation="Train staff on the learning.",
        date_agreed=pd.Timestamp("2016-06-01"),
        due_date=pd.Timestamp("2016-12-31"),
        status="Completed",
        date_completed=pd.Timestamp("2016-11-30"),
        sheet_row=np.arange(2, rows + 2),
        **{column: "" for column in THEME_COLUMNS},
    )
    return frame.assign(theme_source="tracker")


def raw_frame(clean: pd.DataFrame) -> pd.DataFrame:
    columns = ["rec_id", "source_name", "source_type", "agency", "area_of_learning"]
    return clean[[*columns, "recommendation", "date_agreed", "sheet_row"]].astype(
        {column: object for column in columns}
    )


@pytest.fixture(scope="module")
def many_failing(tmp_path_factory: pytest.TempPathFactory) -> tuple[ValidationReport, Path, set]:
    """A run where FAILING rows (every row but each sixth) have a status the taxonomy does not
    know, written as the sentinel: a warning, so the run still writes everything."""
    clean = clean_frame(ROWS)
    bad = np.flatnonzero(np.arange(ROWS) % 6 != 0)[:FAILING]
    clean.loc[bad, "status"] = SENTINEL
    expected = set(
        zip(clean.loc[bad, "rec_id"], clean.loc[bad, "sheet_row"].astype(int), strict=True)
    )
    docs = tmp_path_factory.mktemp("many") / "data-quality"
    report = validate_tracker(
        raw_frame(clean), clean, *PERIOD, docs, left_out=left_out_frame(()), as_at=PERIOD[1]
    )
    return report, docs, expected


def test_every_failing_row_is_in_the_checks_file_and_no_other(many_failing) -> None:
    report, docs, expected = many_failing
    result = report.result("clean.status.recognised")
    summary = json.loads(report.summary_path.read_text(encoding="utf-8"))
    path = docs / summary["failing_rows_files"]["clean.status.recognised"]

    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))

    assert (result.success, result.failing_count) == (False, FAILING)
    assert len(rows) == FAILING
    assert {(row["rec_id"], int(row["sheet_row"])) for row in rows} == expected
    assert {row["columns"] for row in rows} == {"status"}
    assert [int(row["sheet_row"]) for row in rows] == sorted(row for _, row in expected)
    assert report.passed  # a warning: no critical check failed
    # Closed statuses on completed rows: the sentinel is not one, so the same rows fail it too.
    assert summary["failing_rows_files"]["clean.date_completed.status_closed"]
    assert set(summary["failing_rows_files"]) == {
        "clean.status.recognised",
        "clean.date_completed.status_closed",
    }


def test_summary_page_and_data_docs_stay_small(many_failing) -> None:
    report, docs, _ = many_failing
    summary = json.loads(report.summary_path.read_text(encoding="utf-8"))
    status = next(c for c in summary["checks"] if c["id"] == "clean.status.recognised")
    page = checks_page(summary, {})
    pages = {path: path.stat().st_size for path in docs.rglob("*.html")}

    assert len(status["failing_rec_ids"]) == len(status["failing_sheet_rows"]) == ROWS_LISTED
    assert status["failing_sheet_rows"] == sorted(status["failing_sheet_rows"])[:ROWS_LISTED]
    assert status["failing_count"] == FAILING
    assert report.summary_path.stat().st_size < 30_000
    assert len(page.encode()) < 30_000
    assert 'href="failing-rows/clean.status.recognised.csv"' in page
    assert pages and max(pages.values()) < 120_000
    warning_page = next((docs / "validations" / "impact-review-clean-warning").rglob("*.html"))
    assert re.search(
        r"Failing rows: R-000002 \(sheet row 3\), .*, and 49,990 more; every one is listed in"
        r" failing-rows/clean.status.recognised.csv",
        warning_page.read_text(encoding="utf-8"),
    )
    # A late failing row (sheet row 59999, R-059998) is named in its file only.
    named = [*pages, report.summary_path]
    assert not [path for path in named if re.search(r"\b59999\b|R-059998", path.read_text())]


def test_no_file_holds_a_cell_value(many_failing) -> None:
    _, docs, _ = many_failing
    files = [path for path in docs.rglob("*") if path.is_file()]

    assert any(path.suffix == ".csv" for path in files)
    assert [path for path in files if b"ZQX-SENTINEL" in path.read_bytes()] == []


def test_a_row_mask_that_disagrees_with_gx_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from checks import failing

    clean = clean_frame(3)
    clean.loc[1, "status"] = "Done"
    monkeypatch.setitem(failing.ROW_MASKS, "expect_column_values_to_be_in_set", failing.null)

    with pytest.raises(RuntimeError, match=r"clean.status.recognised: GX counts 1 rows failing"):
        validate_tracker(
            raw_frame(clean), clean, *PERIOD, None, checks=(check_by_id("clean.status.recognised"),)
        )


def test_has_text_pattern_is_pythons_not_white_space_for_every_character() -> None:
    """The pattern spells out \\S so pandas can hand it to pyarrow's RE2; it must match exactly
    the characters Python's \\S does, through re and through pandas."""
    characters = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    pattern = re.compile(NOT_WHITE_SPACE)
    values = pd.Series([*characters, "", " \t", " x "], dtype="str")

    assert [c for c in characters if bool(pattern.search(c)) != bool(re.search(r"\S", c))] == []
    assert values.str.contains(NOT_WHITE_SPACE).tolist() == values.str.contains(r"\S").tolist()
