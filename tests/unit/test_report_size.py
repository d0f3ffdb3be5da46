"""The review at any size (config/schema.yaml report:): listings past register_max_rows are CSV
files beside the annex, and the review, the annex's notes, the lineage and the trail page say so;
on a small synthetic tracker with the limit set just under and at its size."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from lineage_recompute import recompute_all
from openpyxl import load_workbook

from impact_review.analyse.review import Analysis, analyse
from impact_review.annex import Provenance, write_annex
from impact_review.bundle.lineage import figure_lineage, lineage_json
from impact_review.bundle.passages import impact_passage
from impact_review.bundle.tables import listing_file, write_tables
from impact_review.intake.cleaning import clean_tracker
from impact_review.intake.implementation import implementation_at
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.intake.tracker import read_tracker
from impact_review.intake.trail import left_out_frame
from impact_review.period import Period
from impact_review.publish.safety import scan_rendered
from impact_review.publish.trail import Lists, quality_failures
from impact_review.report_settings import report_settings
from impact_review.synthetic import SyntheticSpec, synthetic_tracker, write_tracker

ROWS = 40
PERIOD = Period(date(2022, 4, 1), date(2025, 3, 31), "2022-25")
AS_AT = date(2025, 4, 30)
PROVENANCE = Provenance(
    "Partnership", "2022 to 2025", AS_AT, "t.csv", "ab" * 32, ROWS, 0, ROWS, "x"
)


@pytest.fixture(scope="module")
def result(tmp_path_factory) -> Analysis:
    spec = SyntheticSpec(ROWS, PERIOD.start, PERIOD.end, AS_AT)
    tracker = tmp_path_factory.mktemp("synthetic") / "tracker.csv"
    write_tracker(synthetic_tracker(spec, default_taxonomy()), tracker)
    cleaned = implementation_at(clean_tracker(read_tracker(tracker), PERIOD), AS_AT)
    return analyse(cleaned.recommendations)


def pipe_rows(path: Path) -> int:
    """The body rows of a pipe table file (0 when it holds no table)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    return max(len(lines) - 2, 0)


def test_the_shipped_limit_prints_the_sample_in_full():
    assert report_settings().register_max_rows >= 147


class TestRegister:
    def test_a_register_of_the_limit_is_printed(self, result, tmp_path):
        write_tables(result, tmp_path, PERIOD.describe(), AS_AT, max_rows=ROWS)

        assert pipe_rows(tmp_path / "recommendations.md") == ROWS

    def test_a_register_over_the_limit_says_how_many_and_where(self, result, tmp_path):
        write_tables(result, tmp_path, PERIOD.describe(), AS_AT, max_rows=ROWS - 1)
        text = (tmp_path / "recommendations.md").read_text(encoding="utf-8")

        assert pipe_rows(tmp_path / "recommendations.md") == 0
        assert f": {ROWS} recommendations, too many to list in the review." in text
        assert "report-tables-recommendations.csv" in text
        assert "@tbl-" not in text and "{#tbl-" not in text

    def test_prose_refers_to_the_listing_file_once_it_is_one(self, result, tmp_path):
        write_tables(result, tmp_path, PERIOD.describe(), AS_AT, max_rows=0)
        sources = len(result.by_source)

        assert pipe_rows(tmp_path / "by-source.md") == 0
        assert f"{sources} learning activities, too many" in (tmp_path / "by-source.md").read_text(
            encoding="utf-8"
        )
        # the tables of groups the taxonomy names are never listings
        assert pipe_rows(tmp_path / "by-agency.md") == len(result.by_agency)


class TestAnnex:
    def test_at_the_limit_the_register_is_a_sheet(self, result, tmp_path):
        write_annex(result, PROVENANCE, tmp_path / "report-tables.xlsx", max_rows=ROWS)

        assert "recommendations" in load_workbook(tmp_path / "report-tables.xlsx").sheetnames
        assert not (tmp_path / listing_file("recommendations")).exists()

    def test_over_the_limit_the_register_is_a_csv_beside_it(self, result, tmp_path):
        write_annex(result, PROVENANCE, tmp_path / "report-tables.xlsx", max_rows=ROWS - 1)
        workbook = load_workbook(tmp_path / "report-tables.xlsx")
        register = pd.read_csv(tmp_path / listing_file("recommendations"))
        notes = [str(cell) for row in workbook["Notes"].iter_rows(values_only=True) for cell in row]

        assert "recommendations" not in workbook.sheetnames
        assert len(register) == ROWS
        assert list(register.columns)[:2] == ["Reference", "Recommendation (shortened)"]
        assert any(f"report-tables-recommendations.csv ({ROWS} rows)" in n for n in notes)


class TestLineage:
    def test_figures_past_the_limit_give_their_number_not_their_rows(self, result):
        variables = variables_of(result)
        figures = figure_lineage(result, variables, left_out_frame([]), max_rows=ROWS - 1)
        by_name = {figure.figure: figure.as_json() for figure in figures}
        total = by_name["counts.total"]

        assert (total["rows"], "rec_ids" in total) == (ROWS, False)
        small = [f for f in by_name.values() if "rec_ids" in f]
        assert small and all(len(f["rec_ids"]) <= ROWS - 1 for f in small)
        frames = {"recommendations": result.recommendations, "left out": left_out_frame([])}
        recompute_all(lineage_json(figures, ROWS - 1), frames, default_taxonomy().list_separator)

    def test_a_listing_too_long_to_print_has_no_figures(self, result):
        figures = figure_lineage(result, variables_of(result), left_out_frame([]), max_rows=0)

        assert not [f.figure for f in figures if f.figure.startswith("table:by-source:")]
        assert [f.figure for f in figures if f.figure.startswith("table:by-agency:")]

    def test_at_the_limit_every_figure_lists_its_rows(self, result):
        figures = figure_lineage(result, variables_of(result), left_out_frame([]), max_rows=ROWS)

        assert all(figure.rows is None for figure in figures)
        assert next(f.rec_ids for f in figures if f.figure == "counts.total") == tuple(
            result.recommendations["rec_id"]
        )


def variables_of(result: Analysis) -> dict:
    from impact_review.bundle.variables import report_variables
    from impact_review.intake.processed import CleanSummary, InputFile, PeriodLabel, RowCounts
    from impact_review.partnership import load_partnership

    clean = CleanSummary(
        input=InputFile("t.csv", "csv", 1, "ab" * 32, None, 1, None, None, None),
        period=PeriodLabel("2022-04-01", "2025-03-31", "2022-25"),
        counts=RowCounts(read=ROWS, blank_dropped=0, outside_period=0, analysed=ROWS),
    )
    return report_variables(
        result, PERIOD, clean, {}, default_taxonomy(), load_partnership(), AS_AT, ""
    )


def test_impact_examples_past_the_limit_are_counted_and_pointed_to(result):
    with_impact = len(result.impact)
    assert with_impact > 1

    assert impact_passage(result, max_rows=with_impact).startswith("### ")
    assert impact_passage(result, max_rows=with_impact - 1).startswith(
        f"{with_impact} recommendations record evidence of impact, too many to quote here: "
        "their evidence is listed in report-tables-impact.csv"
    )


def test_trail_lists_past_the_limit_are_csv_files_beside_the_page(result, tmp_path):
    page = quality_failures(result.recommendations, Lists(tmp_path, max_rows=0))
    files = sorted(path.name for path in tmp_path.glob("trail-failing-*.csv"))

    assert files and "<table>" not in page
    for name in files:
        assert re.search(rf'listed in <a href="{re.escape(name)}">', page)


def test_a_listing_file_is_scanned_cell_by_cell_naming_the_file(tmp_path):
    listing = tmp_path / listing_file("recommendations")
    rows = [f"R-{n},Train staff.,Sussex Police" for n in range(1000)]
    listing.write_text(
        "\n".join(["Reference,Recommendation,Agency", *rows, "R-1000,Ring 07700 900123.,Police"]),
        encoding="utf-8",
    )

    assert scan_rendered([listing]) == [("report-tables-recommendations.csv", "phone")]
