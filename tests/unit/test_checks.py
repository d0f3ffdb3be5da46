"""The GX checks: each fails on a tiny frame written to break it and passes on one written to
satisfy it; the summary, the Data Docs and the error message name rows, never cell text."""

from __future__ import annotations

import json
import os
import re
import socket
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from helpers import tree_digest, write_partnership_config

from checks import CHECKS, SUMMARY_FILE, ValidationReport
from checks.datadocs import VENDOR_DIR, VENDORED, finish_site, finished
from checks.suites import SuiteParameters, check_by_id, joined_names_pattern
from impact_review.errors import ValidationFailed
from impact_review.intake.taxonomy import default_taxonomy, load_taxonomy
from impact_review.intake.themes import THEME_SOURCES
from impact_review.intake.trail import LEFT_OUT_COLUMNS, Reason
from impact_review.paths import ROOT


def validate_tracker(*args: Any, **kwargs: Any) -> ValidationReport:
    """checks.validate_tracker, imported by the first test that runs it: importing Great
    Expectations takes seconds, and collecting the tests needs none of it."""
    from checks import validate_tracker as run

    return run(*args, **kwargs)


PERIOD = (date(2016, 4, 1), date(2017, 3, 31))
SENTINEL = "ZQX-SENTINEL-Jane-Doe-07700900123"


def raw_row(rec_id: Any, sheet_row: int, **values: Any) -> dict[str, Any]:
    """A tracker row as read: values as typed, optional columns left out."""
    return {
        "rec_id": rec_id,
        "source_name": "Child S SCR",
        "source_type": "scr",
        "agency": "ESHT",
        "area_of_learning": "Training",
        "recommendation": "Train staff on the learning.",
        "date_agreed": datetime(2016, 6, 1),
        "sheet_row": sheet_row,
    } | values


def clean_row(rec_id: str | None, sheet_row: int, **values: Any) -> dict[str, Any]:
    """A cleaned row with every data-dictionary column; dates as ISO strings until framed."""
    return {
        "rec_id": rec_id,
        "source_name": "Child S SCR",
        "source_type": "SCR",
        "agency": "Sussex Police",
        "area_of_learning": "Assessment",
        "themes": "Domestic abuse",
        "recommendation": "Train staff on the learning.",
        "action": None,
        "lead": None,
        "date_agreed": "2016-06-01",
        "due_date": "2016-12-31",
        "status": "Completed",
        "date_completed": "2016-11-30",
        "evidence_of_completion": None,
        "evidence_of_impact": None,
        "progress_notes": None,
        "desired_outcome": None,
        "priority": None,
        "sheet_row": sheet_row,
        "theme_source": "tracker",
        "theme_rules": "",
    } | values


def raw_frame(rows: list[dict[str, Any]], drop: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(rows, dtype=object).drop(columns=list(drop))
    return frame.astype({"sheet_row": "int64"})


def clean_frame(rows: list[dict[str, Any]], drop: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in default_taxonomy().date_fields:
        frame[column] = pd.to_datetime(frame[column])
    return frame.drop(columns=list(drop))


def left_out_row(
    sheet_row: int, reason: Reason, rec_id: str | None = None, date_agreed: str | None = None
) -> dict[str, Any]:
    """A row cleaning left out, as left-out-rows.csv holds it."""
    return {
        "sheet": "S",
        "sheet_row": sheet_row,
        "rec_id": rec_id,
        "reason": str(reason),
        "date_agreed": date_agreed,
    }


def left_out_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(LEFT_OUT_COLUMNS)).astype({"sheet_row": "int64"})
    frame["date_agreed"] = pd.to_datetime(frame["date_agreed"])
    return frame


GOOD_RAW = [raw_row("R-1", 2), raw_row("R-2", 3)]
GOOD_CLEAN = [clean_row("R-1", 2), clean_row("R-2", 3)]
# A title row, a blank row and one row agreed before the period (which is 2016-04-01 to
# 2017-03-31; with no as-at date, the latest plausible date is 366 days after its end).
GOOD_LEFT_OUT = [
    left_out_row(1, Reason.ABOVE_HEADER),
    left_out_row(4, Reason.OUTSIDE_PERIOD, "R-3", "2015-12-01"),
    left_out_row(5, Reason.BLANK),
]


@dataclass(frozen=True)
class Case:
    """One check run on one hand-written pair of frames, and what it should report."""

    check_id: str
    clean: list[dict[str, Any]] = field(default_factory=lambda: GOOD_CLEAN)
    raw: list[dict[str, Any]] = field(default_factory=lambda: GOOD_RAW)
    left_out: list[dict[str, Any]] = field(default_factory=lambda: GOOD_LEFT_OUT)
    drop: tuple[str, ...] = ()
    from_sheet: bool = False
    fails_rec_ids: tuple[str, ...] | None = None  # None: the check passes
    fails_sheet_rows: tuple[int, ...] = ()
    missing: tuple[str, ...] = ()

    def run(self) -> ValidationReport:
        """Results only: no Data Docs, no summary (the full runs below cover those)."""
        raw_drop, clean_drop = (
            (self.drop, ()) if self.check_id.startswith("raw.") else ((), self.drop)
        )
        return validate_tracker(
            raw_frame(self.raw, raw_drop),
            clean_frame(self.clean, clean_drop),
            *PERIOD,
            None,
            left_out=left_out_frame(self.left_out),
            source_type_from_sheet=self.from_sheet,
            checks=(check_by_id(self.check_id),),
        )


def fails(check_id: str, rec_id: str | None, sheet_row: int, **kwargs: Any) -> Case:
    return Case(
        check_id,
        fails_rec_ids=() if rec_id is None else (rec_id,),
        fails_sheet_rows=(sheet_row,),
        **kwargs,
    )


def one_bad_clean(check_id: str, **values: Any) -> Case:
    """R-2 (sheet row 3) carries the fault; R-1 is good."""
    return fails(check_id, "R-2", 3, clean=[clean_row("R-1", 2), clean_row("R-2", 3, **values)])


def clean_passes(check_id: str, *rows: dict[str, Any]) -> Case:
    return Case(check_id, clean=list(rows))


def left_out_dated(date_agreed: str | None) -> list[dict[str, Any]]:
    """GOOD_LEFT_OUT with R-9 (sheet row 9) left out as agreed outside the period on
    date_agreed."""
    return [*GOOD_LEFT_OUT, left_out_row(9, Reason.OUTSIDE_PERIOD, "R-9", date_agreed)]


def continuing(*later: str) -> list[dict[str, Any]]:
    """GOOD_LEFT_OUT with a row agreed on 2018-03-31 (within a year of the period's end) and
    one on each later day, sheet rows 10 on, ending with R-9 (sheet row 9) on the last."""
    days = ("2018-03-31", *later)
    rows = [
        left_out_row(10 + n, Reason.OUTSIDE_PERIOD, f"L-{n}", day)
        for n, day in enumerate(days[:-1])
    ]
    return [*GOOD_LEFT_OUT, *rows, left_out_row(9, Reason.OUTSIDE_PERIOD, "R-9", days[-1])]


TEXT_MANDATORY = ("source_name", "source_type", "agency", "area_of_learning", "recommendation")

CASES = [
    # raw suite
    Case("raw.columns.required", drop=("agency",), fails_rec_ids=(), missing=("agency",)),
    Case("raw.columns.required", drop=("source_type",), fails_rec_ids=(), missing=("source_type",)),
    Case("raw.columns.required", drop=("source_type",), from_sheet=True),
    fails("raw.rec_id.recorded", None, 3, raw=[raw_row("R-1", 2), raw_row(None, 3)]),
    fails("raw.rec_id.recorded", None, 3, raw=[raw_row("R-1", 2), raw_row("  ", 3)]),
    Case("raw.rec_id.recorded", raw=[raw_row("R-1", 2), raw_row(12, 3)]),
    Case(
        "raw.rec_id.unique",
        raw=[raw_row("R-1", 2), raw_row("R-2", 3), raw_row("R-2", 4)],
        fails_rec_ids=("R-2",),
        fails_sheet_rows=(3, 4),
    ),
    Case("raw.rec_id.unique", raw=[raw_row("R-1", 2), raw_row("R-10", 3)]),
    # clean suite
    Case("clean.columns.present", drop=("themes",), fails_rec_ids=(), missing=("themes",)),
    Case("clean.columns.present"),
    Case(
        "clean.rec_id.unique",
        clean=[clean_row("R-012", 2), clean_row("R-012", 3)],
        fails_rec_ids=("R-012",),
        fails_sheet_rows=(2, 3),
    ),
    fails("clean.rec_id.unique", None, 3, clean=[clean_row("R-1", 2), clean_row(None, 3)]),
    Case("clean.rec_id.unique"),
    *(one_bad_clean(f"clean.{column}.recorded", **{column: None}) for column in TEXT_MANDATORY),
    *(one_bad_clean(f"clean.{column}.recorded", **{column: " "}) for column in TEXT_MANDATORY),
    *(Case(f"clean.{column}.recorded") for column in TEXT_MANDATORY),
    one_bad_clean("clean.date_agreed.recorded", date_agreed=None),
    Case("clean.date_agreed.recorded"),
    one_bad_clean("clean.source_type.in_taxonomy", source_type="Serious Case Review"),
    clean_passes("clean.source_type.in_taxonomy", clean_row("R-1", 2, source_type="Rapid review")),
    one_bad_clean("clean.agency.in_taxonomy", agency="Sussex Polis"),
    clean_passes("clean.agency.in_taxonomy", clean_row("R-1", 2, agency="Children's Social Care")),
    one_bad_clean("clean.area_of_learning.in_taxonomy", area_of_learning="Training"),
    clean_passes(
        "clean.area_of_learning.in_taxonomy",
        clean_row("R-1", 2, area_of_learning="Voice of the child"),
    ),
    one_bad_clean("clean.priority.in_taxonomy", priority="Urgent"),  # an alias, not the name
    clean_passes(
        "clean.priority.in_taxonomy",
        clean_row("R-1", 2, priority="Immediate"),
        clean_row("R-2", 3, priority="Longer term"),
        clean_row("R-3", 4),  # none recorded: the quality check counts it, not this one
    ),
    one_bad_clean("clean.themes.in_taxonomy", themes="Domestic abuse; Neglekt"),
    one_bad_clean("clean.themes.in_taxonomy", themes="Domestic abuse;Hidden children"),
    clean_passes(
        "clean.themes.in_taxonomy",
        clean_row("R-1", 2, themes="Child's lived experience; Domestic abuse; Hidden children"),
        clean_row("R-2", 3, themes=""),
        clean_row("R-3", 4, themes=None),
    ),
    one_bad_clean("clean.theme_source.known", theme_source="guessed"),
    one_bad_clean("clean.theme_source.known", theme_source=None),
    clean_passes(
        "clean.theme_source.known",
        *(clean_row(f"R-{n}", n + 1, theme_source=s) for n, s in enumerate(THEME_SOURCES, 1)),
    ),
    # A year typed 2106 or 1916 for 2016 sends a recommendation out of the period.
    fails("left_out.date_agreed.plausible", "R-9", 9, left_out=left_out_dated("2106-06-01")),
    fails("left_out.date_agreed.plausible", "R-9", 9, left_out=left_out_dated("1916-06-01")),
    fails("left_out.date_agreed.plausible", "R-9", 9, left_out=left_out_dated("1989-12-31")),
    fails("left_out.date_agreed.plausible", "R-9", 9, left_out=left_out_dated("2018-04-02")),
    fails("left_out.date_agreed.plausible", "R-9", 9, left_out=left_out_dated(None)),
    Case("left_out.date_agreed.plausible", left_out=left_out_dated("2018-04-01")),
    # A continuing tracker reviewed for 2016-17 holds the years after it: each later date
    # within a year of the one before is plausible; a year typed far ahead still stands apart.
    Case("left_out.date_agreed.plausible", left_out=continuing("2019-03-30", "2020-03-29")),
    fails(
        "left_out.date_agreed.plausible",
        "R-9",
        9,
        left_out=[*continuing("2019-03-30", "2020-03-29")[:-1], *left_out_dated("2106-06-01")[-1:]],
    ),
    fails(
        "left_out.date_agreed.plausible",
        "R-9",
        9,
        left_out=[*continuing("2018-04-01")[:-1], *left_out_dated("2019-04-03")[-1:]],
    ),
    Case("left_out.date_agreed.plausible", left_out=left_out_dated("1990-01-01")),
    Case("left_out.date_agreed.plausible", left_out=[]),
    one_bad_clean("clean.due_date.not_before_agreed", due_date="2016-05-31"),
    clean_passes(
        "clean.due_date.not_before_agreed",
        clean_row("R-1", 2, due_date="2016-06-01"),
        clean_row("R-2", 3, due_date=None),
    ),
    one_bad_clean("clean.date_completed.not_before_agreed", date_completed="2016-05-31"),
    clean_passes(
        "clean.date_completed.not_before_agreed",
        clean_row("R-1", 2, date_completed="2016-06-01"),
        clean_row("R-2", 3, status="In progress", date_completed=None),
    ),
    one_bad_clean("clean.status.recognised", status=None, date_completed=None),
    one_bad_clean("clean.status.recognised", status="Done"),
    clean_passes(
        "clean.status.recognised",
        clean_row("R-1", 2, status="In progress", date_completed=None),
        clean_row("R-2", 3, status="Overdue", date_completed=None),
    ),
    one_bad_clean("clean.status.completed_has_date", date_completed=None),
    clean_passes(
        "clean.status.completed_has_date",
        clean_row("R-1", 2),
        clean_row("R-2", 3, status="Not started", date_completed=None),
    ),
    one_bad_clean("clean.date_completed.status_closed", status="In progress"),
    one_bad_clean("clean.date_completed.status_closed", status=None),
    clean_passes(
        "clean.date_completed.status_closed",
        clean_row("R-1", 2, status="Superseded"),
        clean_row("R-2", 3, status="In progress", date_completed=None),
    ),
    # Completed after the period's end (the as-at date here): it was open on that day.
    clean_passes(
        "clean.date_completed.status_closed",
        clean_row("R-1", 2, status="In progress", date_completed="2017-04-01"),
        clean_row("R-2", 3),
    ),
    one_bad_clean(
        "clean.date_completed.status_closed", status="In progress", date_completed="2017-03-31"
    ),
]


def case_id(case: Case) -> str:
    return f"{case.check_id}-{'fails' if case.fails_rec_ids is not None else 'passes'}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_check_fails_or_passes_on_a_hand_written_frame(case: Case) -> None:
    result = case.run().result(case.check_id)

    if case.fails_rec_ids is None:
        assert (result.success, result.failing_count, result.errored) == (True, 0, False)
    else:
        assert not result.success and not result.errored
        assert result.failing_rec_ids == case.fails_rec_ids
        assert result.failing_sheet_rows == case.fails_sheet_rows
        assert result.missing_columns == case.missing


def test_every_check_has_a_failing_and_a_passing_case() -> None:
    failing = {case.check_id for case in CASES if case.fails_rec_ids is not None}
    passing = {case.check_id for case in CASES if case.fails_rec_ids is None}
    assert failing == passing == {check.id for check in CHECKS}


def test_checks_have_unique_ids_descriptions_and_the_agreed_severities() -> None:
    critical_raw = {"raw.columns.required", "raw.rec_id.recorded", "raw.rec_id.unique"}
    critical_clean = {
        "clean.columns.present",
        "clean.rec_id.unique",
        *(f"clean.{column}.recorded" for column in (*TEXT_MANDATORY, "date_agreed")),
        "clean.source_type.in_taxonomy",
        "clean.agency.in_taxonomy",
        "clean.area_of_learning.in_taxonomy",
        "clean.priority.in_taxonomy",
        "clean.themes.in_taxonomy",
        "clean.theme_source.known",
    }
    critical_left_out = {"left_out.date_agreed.plausible"}
    warnings = {
        "clean.due_date.not_before_agreed",
        "clean.date_completed.not_before_agreed",
        "clean.status.recognised",
        "clean.status.completed_has_date",
        "clean.date_completed.status_closed",
    }
    severities = {check.id: check.severity for check in CHECKS}

    assert len(severities) == len(CHECKS)
    assert severities == dict.fromkeys(
        critical_raw | critical_clean | critical_left_out, "critical"
    ) | dict.fromkeys(warnings, "warning")
    assert all(check.description and check.suite in check.id for check in CHECKS)


def test_theme_pattern_accepts_joined_names_only() -> None:
    pattern = joined_names_pattern(("A (b)", "C.d"), "; ")

    assert pd.Series(["", "A (b)", "A (b); C.d"]).str.fullmatch(pattern).all()
    assert not pd.Series(["A", "Cxd", "A (b);C.d", "A (b); "]).str.fullmatch(pattern).any()


# One full run over frames that fail several checks, with a sentinel planted in every text
# column a failing check looks at; and one full run over good frames.
FAILING_RAW = [
    raw_row("R-001", 2),
    raw_row("R-012", 3, recommendation=SENTINEL),
    raw_row("R-012", 4, agency=SENTINEL),
]
FAILING_CLEAN = [
    clean_row("R-001", 2),
    clean_row(
        "R-012",
        3,
        recommendation=SENTINEL,
        agency=SENTINEL,
        themes=f"Domestic abuse; {SENTINEL}",
        status=SENTINEL,
        source_type=SENTINEL,
    ),
    clean_row("R-012", 4, recommendation=f"{SENTINEL} ", due_date="2016-01-31"),
]


@dataclass(frozen=True)
class Run:
    report: ValidationReport
    docs_dir: Path
    connections: list[Any]
    gx_dirs_created: list[Path]


def full_run(docs_dir: Path, raw: pd.DataFrame, clean: pd.DataFrame, left_out: pd.DataFrame) -> Run:
    """validate_tracker with network connections refused and recorded."""
    connections: list[Any] = []

    def refuse(_sock: socket.socket, address: Any) -> None:
        connections.append(address)
        raise OSError("no network in tests")

    gx_dirs = [ROOT / "gx", Path.cwd() / "gx"]
    existed = {path for path in gx_dirs if path.exists()}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        report = validate_tracker(
            raw, clean, *PERIOD, docs_dir, left_out=left_out, as_at=date(2017, 4, 30)
        )
    created = [path for path in gx_dirs if path.exists() and path not in existed]
    return Run(report, docs_dir, connections, created)


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    docs_dir = tmp_path_factory.mktemp("failing") / "validation"
    return full_run(
        docs_dir,
        raw_frame(FAILING_RAW),
        clean_frame(FAILING_CLEAN),
        left_out_frame(left_out_dated("2106-06-01")),
    )


@pytest.fixture(scope="module")
def passing_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    docs_dir = tmp_path_factory.mktemp("passing") / "validation"
    return full_run(
        docs_dir, raw_frame(GOOD_RAW), clean_frame(GOOD_CLEAN), left_out_frame(GOOD_LEFT_OUT)
    )


def summary_of(run: Run) -> dict[str, Any]:
    return json.loads(run.report.summary_path.read_text(encoding="utf-8"))


def test_summary_names_failing_rows_and_severity(failing_run: Run) -> None:
    summary = summary_of(failing_run)
    by_id = {check["id"]: check for check in summary["checks"]}

    assert failing_run.report.summary_path == failing_run.docs_dir / SUMMARY_FILE
    assert by_id["clean.rec_id.unique"] | {"description": ""} == {
        "id": "clean.rec_id.unique",
        "suite": "clean",
        "description": "",
        "severity": "critical",
        "success": False,
        "failing_count": 2,
        "failing_rec_ids": ["R-012"],
        "failing_sheet_rows": [3, 4],
        "missing_columns": [],
        "column": "rec_id",
        "columns": ["rec_id"],
        "errored": False,
    }
    assert by_id["raw.rec_id.unique"]["failing_sheet_rows"] == [3, 4]
    assert by_id["clean.agency.in_taxonomy"]["failing_sheet_rows"] == [3]
    assert by_id["clean.due_date.not_before_agreed"]["severity"] == "warning"
    assert by_id["clean.due_date.not_before_agreed"]["failing_sheet_rows"] == [4]
    assert by_id["left_out.date_agreed.plausible"]["failing_rec_ids"] == ["R-9"]
    assert by_id["left_out.date_agreed.plausible"]["failing_sheet_rows"] == [9]
    assert "from 1990-01-01 to 2018-05-01" in by_id["left_out.date_agreed.plausible"]["description"]
    assert summary["critical_failed"] is True
    assert summary["rows"] == {"raw": 3, "clean": 3, "left_out": 4}
    assert summary["as_at"] == "2017-04-30T00:00:00"
    assert summary["counts"]["checks"] == len(CHECKS)


def test_report_splits_critical_failures_from_warnings(failing_run: Run) -> None:
    report = failing_run.report

    assert not report.passed
    assert "clean.rec_id.unique" in {c.id for c in report.critical_failures}
    assert {c.id for c in report.warnings} == {
        "clean.due_date.not_before_agreed",
        "clean.status.recognised",
        "clean.date_completed.status_closed",
    }


def test_raise_for_critical_names_the_check_and_the_duplicate_reference(failing_run: Run) -> None:
    with pytest.raises(ValidationFailed) as raised:
        failing_run.report.raise_for_critical()

    message = str(raised.value)
    assert message.startswith("critical checks failed: ")
    assert "No reference is used on two rows of the tracker (rec_id R-012)" in message
    assert "\n" not in message and SENTINEL not in message


def test_sentinel_text_never_reaches_docs_or_summary(failing_run: Run) -> None:
    files = [path for path in failing_run.docs_dir.rglob("*") if path.is_file()]
    # Words of the sentinel too: a renderer could split or escape the whole string.
    needles = [SENTINEL, "ZQX-SENTINEL", "07700900123"]

    assert failing_run.report.summary_path in files
    for path in files:
        content = path.read_bytes()
        assert not [n for n in needles if n.encode() in content], path


def test_data_docs_index_opens_and_names_every_suite(failing_run: Run) -> None:
    index = failing_run.docs_dir / "index.html"
    html = index.read_text(encoding="utf-8")

    assert failing_run.report.docs_index == index
    for suite in ("raw-critical", "clean-critical", "clean-warning", "left_out-critical"):
        assert f"impact-review-{suite}" in html
    assert (failing_run.docs_dir / "static" / "styles").is_dir()
    assert len(list((failing_run.docs_dir / "validations").rglob("*.html"))) == 4


# What a browser fetches by itself: src=, <link href=, url(). A plain <a href> is not fetched.
FETCHED = re.compile(
    r"""(?:\bsrc=|<link\b[^>]*\bhref=|url\()["']?((?:https?:)?//[^"')\s>]*)""", re.I
)


def test_data_docs_load_nothing_from_the_network(failing_run: Run) -> None:
    pages = [*failing_run.docs_dir.rglob("*.html"), *failing_run.docs_dir.rglob("*.css")]
    vendor = failing_run.docs_dir / VENDOR_DIR

    assert len(pages) > 10
    assert {path: FETCHED.findall(path.read_text(encoding="utf-8")) for path in pages} == {
        path: [] for path in pages
    }
    assert (vendor / "bootstrap-table.min.js").is_file()
    assert list((vendor / "fontawesome" / "webfonts").glob("fa-solid-900.*"))


def test_data_docs_name_the_asset_and_the_run_time_and_no_temporary_file(failing_run: Run) -> None:
    docs = failing_run.docs_dir
    text = "".join(path.read_text(encoding="utf-8") for path in docs.rglob("*.html"))
    run_folders = {path.parent.name for path in (docs / "validations").rglob("*.html")}

    assert '"data_asset_name": "tracker-as-read"' in text
    assert "Data asset: cleaned-recommendations" in text
    assert "Data asset: None" not in text
    assert ".pkl" not in text and "impact-review-gx-" not in text
    assert run_folders == {"20170430T000000.000000Z"}  # the as-at date given to the run
    assert "2017-04-30 00:00:00 UTC" in (docs / "index.html").read_text(encoding="utf-8")


def test_index_says_critical_failure_and_warnings_in_words(failing_run: Run) -> None:
    html = (failing_run.docs_dir / "index.html").read_text(encoding="utf-8")
    labels = dict(
        re.findall(
            r"'_expectation_suite_name_sort': '([^']*)'.*?'_validation_success_text': '([^']*)'",
            html,
        )
    )
    warning_page = next(
        (failing_run.docs_dir / "validations" / "impact-review-clean-warning").rglob("*.html")
    )

    assert labels == {
        "impact-review-raw-critical": "Critical failure",
        "impact-review-clean-critical": "Critical failure",
        "impact-review-clean-warning": "Warnings",
        "impact-review-left_out-critical": "Critical failure",
    }
    assert "Warnings: a warning check failed; the run continues" in warning_page.read_text(
        encoding="utf-8"
    )


def test_index_says_passed_when_every_check_passes(passing_run: Run) -> None:
    html = (passing_run.docs_dir / "index.html").read_text(encoding="utf-8")

    assert re.findall(r"'_validation_success_text': '([^']*)'", html) == ["Passed"] * 4


def test_run_makes_no_network_calls_and_leaves_no_gx_folder(failing_run: Run) -> None:
    assert failing_run.connections == []
    assert failing_run.gx_dirs_created == []


def test_good_frames_pass_every_check(passing_run: Run) -> None:
    report = passing_run.report
    summary = summary_of(passing_run)

    assert report.passed and not report.critical_failures and not report.warnings
    report.raise_for_critical()
    assert summary["critical_failed"] is False
    assert summary["counts"]["passed"] == len(CHECKS)


def test_summary_and_data_docs_are_byte_identical_when_run_again(
    passing_run: Run, tmp_path: Path
) -> None:
    again = full_run(
        tmp_path / "validation",
        raw_frame(GOOD_RAW),
        clean_frame(GOOD_CLEAN),
        left_out_frame(GOOD_LEFT_OUT),
    )

    assert again.report.summary_path.read_bytes() == passing_run.report.summary_path.read_bytes()
    assert tree_digest(again.docs_dir) == tree_digest(passing_run.docs_dir)


def test_a_run_without_a_folder_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    report = validate_tracker(raw_frame(FAILING_RAW), clean_frame(FAILING_CLEAN), *PERIOD, None)

    assert (report.summary_path, report.docs_index) == (None, None)
    assert not report.passed and len(report.checks) == len(CHECKS)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValidationFailed, match=r"and \d+ more \(see validation-summary.json\)"):
        report.raise_for_critical()


def test_every_vendored_asset_is_shipped_by_its_package() -> None:
    assert [asset for asset in VENDORED if not asset.path().is_file() | asset.path().is_dir()] == []


def test_finished_page_points_at_local_copies_from_its_own_depth() -> None:
    page = (
        '<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/'
        'bootstrap.min.css"/><script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/'
        '1.12.9/umd/popper.min.js" integrity="sha384-x" crossorigin="anonymous"></script>'
        '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/'
        'logo-long.png?d=20260101T000000Z"/><div id="a-collapse-body-'
        '0b9a3a53-4f0e-4b1a-9c1e-2f4d5e6f7a8b"></div>'
        "<footer><a href='https://greatexpectations.io/newsletter'>Subscribe</a></footer>"
    )

    assert finished(page, Path("expectations/suite.html")) == (
        '<link rel="stylesheet" href="../static/vendor/bootstrap.min.css"/>'
        '<img src="../static/images/logo-long.png"/><div id="a-collapse-body-id1"></div>'
    )


def test_finish_site_refuses_a_page_that_would_load_from_an_unknown_cdn(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<script src="https://cdn.example.org/new.js"></script>')

    with pytest.raises(RuntimeError, match=r"index.html: https://cdn.example.org/new.js"):
        finish_site(tmp_path)


def test_gx_results_themselves_hold_no_cell_values() -> None:
    from great_expectations.core.run_identifier import RunIdentifier

    from checks.runner import expectation_results

    frames = {"raw": raw_frame(FAILING_RAW), "clean": clean_frame(FAILING_CLEAN)}
    results = expectation_results(
        frames, CHECKS, SuiteParameters(*PERIOD), None, RunIdentifier(run_name="test")
    )
    text = json.dumps([result.to_json_dict() for result in results])

    assert {result.success for result in results} == {True, False}
    assert SENTINEL not in text
    assert "partial_unexpected_list" not in text and '"unexpected_list"' not in text


def test_text_in_a_date_column_is_refused_without_quoting_it(tmp_path: Path) -> None:
    clean = clean_frame(GOOD_CLEAN).astype({"due_date": object})
    clean.loc[1, "due_date"] = SENTINEL

    with pytest.raises(TypeError, match="due_date") as raised:
        validate_tracker(raw_frame(GOOD_RAW), clean, *PERIOD, tmp_path)
    assert SENTINEL not in str(raised.value)
    assert not (tmp_path / SUMMARY_FILE).exists()


def test_area_recorded_check_follows_the_partnerships_configuration(tmp_path: Path) -> None:
    """Required by the sample's configuration (the cases above); a configuration that makes the
    area optional lets every row leave it blank, and the check says why it passes."""
    taxonomy = load_taxonomy(write_partnership_config(tmp_path / "config"))
    blank = [clean_row("R-1", 2, area_of_learning=None), clean_row("R-2", 3, area_of_learning=None)]
    check_id = "clean.area_of_learning.recorded"
    results = {
        name: validate_tracker(
            raw_frame(GOOD_RAW, ()),
            clean_frame(blank, ()),
            *PERIOD,
            None,
            left_out=left_out_frame(GOOD_LEFT_OUT),
            taxonomy=chosen,
            checks=(check_by_id(check_id),),
        ).result(check_id)
        for name, chosen in (("optional", taxonomy), ("required", default_taxonomy()))
    }

    assert (results["optional"].success, results["optional"].failing_count) == (True, 0)
    assert results["optional"].description == (
        "The cleaned table has the area of learning column, which may be blank: the "
        "partnership's configuration makes it optional"
    )
    assert not results["required"].success
    assert results["required"].failing_rec_ids == ("R-1", "R-2")
    assert results["required"].description == "Every recommendation has an area of learning"
