"""Scale does not change answers: the 10,000-row benchmark tracker's published counts equal the
same counts computed directly from the CSV with polars and the taxonomy's spellings."""

from __future__ import annotations

import subprocess
from datetime import date

import openpyxl
import polars as pl
import pytest

from impact_review.intake.taxonomy import default_taxonomy, normalise_key
from impact_review.layout import RunLayout
from impact_review.synthetic import (
    HEADER,
    SyntheticSpec,
    as_at_for,
    default_period,
    review_command,
    synthetic_tracker,
    write_tracker,
)

pytestmark = pytest.mark.slow
ROWS = 10_000
LABEL = "bench-10k"


@pytest.fixture(scope="module")
def ten_thousand(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale")
    start, end = default_period(ROWS)
    as_at = as_at_for(end)
    spec = SyntheticSpec(ROWS, start, end, as_at)
    tracker = write_tracker(synthetic_tracker(spec, default_taxonomy()), folder / "tracker.csv")
    run = subprocess.run(
        [*review_command(tracker, spec, folder), "--label", LABEL],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return pl.read_csv(tracker, infer_schema=False), as_at, RunLayout.published(folder, LABEL)


def canonical(frame: pl.DataFrame, column: str, kind: str) -> pl.Series:
    """The column's spellings mapped to the taxonomy's names, each distinct spelling once."""
    lookup = default_taxonomy().vocabularies[kind].lookup
    spellings = frame[column].unique().drop_nulls().to_list()
    mapping = {spelling: lookup[normalise_key(spelling)] for spelling in spellings}
    return frame[column].replace_strict(mapping, default=None)


def annex_table(layout: RunLayout, sheet: str) -> dict[str, tuple]:
    """A sheet of the published Excel annex: first cell -> the row's other cells."""
    rows = list(openpyxl.load_workbook(layout.reports.annex, read_only=True)[sheet].values)
    header = next(i for i, row in enumerate(rows) if str(row[0]).startswith("Source:")) + 1
    return {row[0]: row[1:] for row in rows[header + 1 :] if row[0] is not None}


def shares(counts: dict[str, int]) -> dict[str, int]:
    """Whole-number percentages of the total, halves rounded up, as the review prints them."""
    total = sum(counts.values())
    return {name: int(100 * n / total + 0.5) for name, n in counts.items()}


def direct_counts(frame: pl.DataFrame, column: str, kind: str) -> dict[str, int]:
    named = frame.with_columns(canonical(frame, column, kind).alias("name"))
    return dict(named.group_by("name").len().iter_rows())


def test_counts_by_source_type_agency_and_area_equal_a_direct_polars_count(ten_thousand):
    frame, _, layout = ten_thousand
    assert frame.height == ROWS and frame.columns == list(HEADER)
    for sheet, column, kind, count_at in (
        ("by_source_type", "Type of review", "source_types", 1),
        ("by_agency", "Lead agency", "agencies", 0),
        ("by_area", "Learning area", "areas_of_learning", 0),
    ):
        expected = direct_counts(frame, column, kind)
        published = annex_table(layout, sheet)
        assert {name: row[count_at] for name, row in published.items()} == expected, sheet
        assert {name: row[count_at + 1] for name, row in published.items()} == shares(expected)
        assert sum(row[count_at] for row in published.values()) == ROWS


def test_activities_per_source_type_equal_a_direct_polars_count(ten_thousand):
    frame, _, layout = ten_thousand
    typed = frame.with_columns(canonical(frame, "Type of review", "source_types").alias("type"))
    expected = dict(typed.group_by("type").agg(pl.col("Source review").n_unique()).iter_rows())
    published = annex_table(layout, "by_source_type")
    assert {name: row[0] for name, row in published.items()} == expected


def test_rag_equals_a_direct_polars_derivation_from_status_and_dates(ten_thousand):
    frame, as_at, layout = ten_thousand
    taxonomy = default_taxonomy()
    status = canonical(frame, "RAG / Status", "statuses")
    due = frame["Target date"].str.to_date("%d/%m/%Y")
    implemented = status == taxonomy.implemented_status
    closed = status.is_in(list(taxonomy.closed_statuses)).fill_null(False)
    overdue = ~closed & (due < date.fromisoformat(str(as_at))).fill_null(False)
    expected = {
        "Green": int(implemented.fill_null(False).sum()),
        "Grey": int((closed & ~implemented.fill_null(False)).sum()),
        "Red": int(overdue.sum()),
        "Amber": int((~closed & ~overdue).sum()),
    }
    published = annex_table(layout, "rag")
    assert {name: row[1] for name, row in published.items()} == expected
    assert sum(expected.values()) == ROWS
