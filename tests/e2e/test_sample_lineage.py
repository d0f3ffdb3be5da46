"""The sample run's audit trail: every number the report states (in _variables.yml and
tables/*.md) has a lineage entry, each entry's value is recomputed here from the processed rows
it names, and it equals what the report shows. Also: the rows left out and the spellings mapped
are the sample's, and the trail page shows them without free text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from lineage_recompute import numbers, recompute_all

from impact_review.analyse.review import analyse
from impact_review.bundle.tables import TABLES, table_frames
from impact_review.intake.processed import (
    read_left_out_rows,
    read_recommendations,
    read_value_mappings,
)
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.layout import RunLayout

pytestmark = pytest.mark.slow

# Text variables that contain digits but are not figures, each with the reason it needs none.
NOT_FIGURES = {
    "period.start": "a parameter of the run (a date), not a count of rows",
    "period.end": "a parameter of the run (a date), not a count of rows",
    "period.text": "the period's dates in words",
    "period.label": "the run's label",
    "as_at.iso": "a parameter of the run (a date)",
    "as_at.text": "the as-at date in words",
    "input.file": "the tracker's file name",
    "input.sha256": "the tracker's digest, an identifier",
    "input.sha256_short": "the tracker's digest, an identifier",
    "code.version": "the commit the code is at, an identifier",
    "counts.sources_phrase": "counts.sources in words (that figure has its lineage)",
    "sources.phrase": "the by-source-type table's Activities column in words (each has lineage)",
    "sources.phrase_in_full": "sources.phrase with its abbreviations written in full",
    "source_types.first.count_phrase": "source_types.first.sources in words (it has lineage)",
    "implementation.oldest_due": "the month a recommendation was due (a date), not a count",
}
# Table columns that hold dates, not figures.
DATE_COLUMNS = ("due_date",)
# The tracker's own words (the register's shortened recommendations): a number in them is the
# tracker's, not one the review counts.
TRACKER_TEXT_COLUMNS = ("recommendation",)
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def layout(sample_runs) -> RunLayout:
    return sample_runs.layout


@pytest.fixture(scope="module")
def lineage(layout: RunLayout) -> dict:
    return json.loads(layout.audit.lineage.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def recommendations(layout: RunLayout) -> pd.DataFrame:
    return pd.read_parquet(layout.processed.recommendations)


@pytest.fixture(scope="module")
def figures(lineage: dict) -> dict[str, dict]:
    return {figure["figure"]: figure for figure in lineage["figures"]}


def unescape(cell: str) -> str:
    return re.sub(r"\\(.)", r"\1", cell)


def markdown_rows(path: Path) -> list[list[str]]:
    """The body rows of a pipe table, each cell unescaped."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    return [
        [unescape(cell.strip()) for cell in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
        for line in lines[2:]
    ]


def test_every_figure_follows_from_the_rows_it_names(layout, lineage, recommendations):
    frames = {
        "recommendations": recommendations,
        "left out": read_left_out_rows(layout.processed),
    }
    values = recompute_all(lineage, frames, default_taxonomy().list_separator)

    assert values["counts.total"] == 147
    assert values["input.outside_period"] == 6
    assert values["input.rows_read"] == 153
    assert values["input.blank_rows"] == 25 and values["input.rows_below_header"] == 178


def test_every_number_in_the_variables_is_a_figure_with_the_same_value(layout, figures):
    variables = yaml.safe_load(layout.bundle.variables.read_text(encoding="utf-8"))
    stated = dict(numbers(variables))

    assert len(stated) > 30
    assert {path: figures[path]["value"] for path in stated if path in figures} == stated


def test_text_variables_with_digits_are_the_stated_exceptions(layout):
    variables = yaml.safe_load(layout.bundle.variables.read_text(encoding="utf-8"))

    def texts(values, prefix=""):
        for key, value in values.items():
            if isinstance(value, dict):
                yield from texts(value, f"{prefix}{key}.")
            elif isinstance(value, str) and re.search(r"\d", value):
                yield f"{prefix}{key}"

    assert set(texts(variables)) <= NOT_FIGURES.keys()


def test_every_number_in_the_tables_is_a_figure_with_the_same_value(
    layout, figures, recommendations
):
    by_cell = {}
    for figure in figures.values():
        if "table" in figure:
            key = (figure["table"], figure["row"], figure["column"], figure.get("label"))
            by_cell[key] = figure["value"]
    labels = {
        str(value)
        for column in ("rec_id", "source_name", "source_type", "agency", "area_of_learning")
        for value in recommendations[column]
    }
    frames = table_frames(analyse(read_recommendations(layout.processed)))  # column names only
    shown, unexplained = {}, []
    for spec in TABLES:
        if spec.name not in frames:  # not shown (no activity flagged): its file is empty
            assert not (layout.bundle.tables / f"{spec.name}.md").read_text(encoding="utf-8")
            continue
        columns = list(frames[spec.name].columns)
        rows = markdown_rows(layout.bundle.tables / f"{spec.name}.md")
        assert len(rows) == len(frames[spec.name])
        for row, cells in enumerate(rows):
            for column, cell in zip(columns, cells, strict=True):
                if NUMBER.fullmatch(cell):
                    shown[(spec.name, row, column, None)] = float(cell)
                elif column in DATE_COLUMNS or column in TRACKER_TEXT_COLUMNS:
                    continue
                elif column == "areas":
                    for piece in cell.split("; "):
                        area, count = piece.rsplit(" ", 1)
                        shown[(spec.name, row, column, area)] = float(count)
                elif re.search(r"\d", cell) and cell not in labels:
                    unexplained.append((spec.name, row, column))

    assert unexplained == []
    assert len(shown) > 300
    assert {key: by_cell.get(key) for key in shown} == shown
    assert set(by_cell) == set(shown)  # and no figure names a cell the tables do not show


def test_rows_left_out_are_the_sample_title_blank_and_out_of_period_rows(layout):
    left_out = read_left_out_rows(layout.processed)
    by_reason = left_out.groupby("reason")["sheet_row"].apply(list).to_dict()

    assert set(left_out["sheet"]) == {"Recommendations"}
    assert by_reason["above the header row"] == [1, 2, 3, 4]
    assert len(by_reason["blank"]) == 25
    outside = left_out[left_out["reason"] == "agreed outside the period"]
    assert outside["rec_id"].tolist() == [
        "L-148",
        "L-149",
        "L-150",
        "QA-18-151",
        "QA-18-152",
        "QA-18-153",
    ]
    assert outside["date_agreed"].notna().all()
    assert left_out.loc[left_out["reason"] != "agreed outside the period", "rec_id"].isna().all()


def test_spellings_mapped_add_up_to_the_rows_analysed(layout):
    mappings = read_value_mappings(layout.processed)
    per_column = mappings.groupby("column")["rows_analysed"].sum().to_dict()
    pairs = set(zip(mappings["column"], mappings["raw"], mappings["canonical"], strict=True))

    # every recommendation has one source type, agency and area; a status is optional
    assert per_column["source_type"] == per_column["agency"] == 147
    assert per_column["area_of_learning"] == 147
    assert {
        ("agency", "Police", "Sussex Police"),
        ("area_of_learning", "Policy & procedure", "Policy and procedure"),
        ("status", "Green", "Completed"),
    } <= pairs
    assert (mappings["note"] == "blank in the row: the source's type on the sources sheet").any()


def test_trail_page_lists_rows_spellings_and_figures_and_no_free_text(
    layout, recommendations, figures
):
    page = layout.audit.data_quality.trail.read_text(encoding="utf-8")
    taxonomy = default_taxonomy()
    free_text = {
        text
        for column in taxonomy.free_text_fields
        for text in recommendations[column].dropna()
        if len(text) > 12
    }

    assert "6 agreed outside the period, 25 blank" in page
    # the only quality check with failures the sample records: ten actions not checkable; and
    # the 23 recommendations with no theme
    mapped = len(read_value_mappings(layout.processed))
    assert page.count("<tr>") == (
        1 + 147 + 1 + 23 + 1 + 35 + 1 + 10 + 1 + mapped + 1 + len(figures)
    )
    assert "Action checkable: 10 recommendations fail it, in sheet order" in page
    assert "Priority given: the tracker records no priority for any recommendation" in page
    assert "Lead named: every recommendation passes." in page
    assert "QA-18-153" in page and "2018-05-25" in page
    # the tracker row of every recommendation, which the review's register does not show
    # with its themes and where they came from: S-001's theme cell is blank, so its rules'
    first = (
        "<tr><td>S-001</td><td>Recommendations</td><td>6</td>"
        "<td>Child&#x27;s lived experience; Domestic abuse</td><td>rule</td>"
        "<td>Child&#x27;s lived experience: lived-experience; Domestic abuse: domestic-abuse</td>"
        "</tr>"
    )
    assert "147 recommendations analysed, in sheet order" in page and first in page
    # the 23 with no theme (a blank cell, and no rule fired), first in sheet order QA-16-104
    assert "23 recommendations with no theme, in sheet order" in page
    assert (
        "<tr><td>QA-16-104</td><td>QA audit: child sexual exploitation</td><td>Sussex Police"
        "</td><td>109</td><td>none</td></tr>"
    ) in page
    assert [text for text in free_text if text in page] == []
    assert not re.search(r"\bsrc=|<link\b|url\(|https?:", page)
    assert 'href="trail.html"' in layout.audit.data_quality.checks_page.read_text(encoding="utf-8")


def test_lineage_and_trail_are_the_same_bytes_when_run_again(sample_runs, layout):
    """The session runs the sample twice into one folder; the first run's manifest holds the
    hashes of what it wrote."""
    first = sample_runs.first_manifest["outputs"]
    now = json.loads(layout.audit.manifest.read_text(encoding="utf-8"))["outputs"]
    audit = [
        str(path.relative_to(layout.audit.root))
        for path in (layout.audit.lineage, layout.audit.data_quality.trail)
    ]
    processed = [layout.processed.left_out_rows.name, layout.processed.value_mappings.name]

    assert {name: first["audit"][name] for name in audit} == {
        name: now["audit"][name] for name in audit
    }
    assert {name: first["processed"][name] for name in processed} == {
        name: now["processed"][name] for name in processed
    }
