"""The Excel annex beside the sample review, opened as a reviewer opens it: cover, contents and
notes first, then one sheet per table the review shows, each with the report's caption, headers
and numbers; and, beside the session's published tracker, text that stays text."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from impact_review.exports import FORMULA_TRIGGERS, neutralise_formula
from impact_review.layout import BundleFiles
from impact_review.paths import SAMPLE_TRACKER

pytestmark = pytest.mark.slow

FIXED_SHEETS = ["Cover", "Contents", "Notes"]


def unescaped(cell: str) -> str:
    return re.sub(r"\\(.)", r"\1", cell.strip())


def report_tables(bundle: BundleFiles) -> dict[str, list[list[str]]]:
    """Each table the review shows (a tables/NAME.md with content), by caption: its rows of
    cells as a reader sees them, the header first."""
    tables = {}
    for path in sorted(bundle.tables.glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if not lines:
            continue
        rows = [line for line in lines if line.startswith("|")]
        caption = next(line for line in lines if line.startswith(": "))
        tables[unescaped(caption[2 : caption.rindex(" {#")])] = [
            [unescaped(cell) for cell in re.split(r"(?<!\\)\|", row.strip())[1:-1]]
            for number, row in enumerate(rows)
            if number != 1  # the alignment row
        ]
    return tables


def annex_table(sheet) -> list[list]:
    """The Excel table on a sheet, its header row first (without the headers' note marks)."""
    (table,) = sheet.tables.values()
    header, *rows = [[cell.value for cell in row] for row in sheet[table.ref]]
    return [[str(text).split("\n")[0] for text in header], *rows]


def shows_the_same(report: str, annex: object) -> bool:
    """A report cell and an annex cell say the same: a number the same number, text the same
    words (formula text neutralised), a blank [z]."""
    if annex == "[z]":
        return report == ""
    if isinstance(annex, int | float):
        return float(report) == annex
    return neutralise_formula(report) == " ".join(str(annex).split())


@pytest.fixture(scope="module")
def annex(sample_runs) -> openpyxl.Workbook:
    return openpyxl.load_workbook(sample_runs.layout.reports.annex)


def table_sheets(annex: openpyxl.Workbook) -> dict[str, list[list]]:
    """Each table sheet's table, by its title (the report's caption)."""
    return {sheet["A1"].value: annex_table(sheet) for sheet in annex.worksheets[3:]}


def test_cover_contents_notes_then_one_sheet_per_table_in_the_review(annex, sample_runs):
    shown = report_tables(sample_runs.layout.bundle)
    assert annex.sheetnames[:3] == FIXED_SHEETS
    assert sorted(table_sheets(annex)) == sorted(shown)
    assert len(annex.sheetnames) == 3 + len(shown) >= 3 + 15
    _, *contents = annex_table(annex["Contents"])
    assert [sheet for sheet, _ in contents] == annex.sheetnames[3:]
    assert [title for _, title in contents] == list(table_sheets(annex))


def test_every_table_has_the_reports_headers_and_numbers(annex, sample_runs):
    shown = report_tables(sample_runs.layout.bundle)
    for caption, (header, *rows) in table_sheets(annex).items():
        report_header, *report_rows = shown[caption]
        assert header == report_header, caption
        assert len(rows) == len(report_rows), caption
        for report_row, row in zip(report_rows, rows, strict=True):
            assert all(map(shows_the_same, report_row, row)), (caption, report_row, row)


def test_75_of_the_147_recommendations_came_from_scrs(annex):
    sheets = table_sheets(annex)
    header, *rows = sheets["Recommendations by source type: agreed 1 April 2015 to 31 March 2018"]
    assert header == ["Source type", "Activities", "Recommendations", "% of all", "Per activity"]
    assert rows[0] == ["SCR", 4, 75, 51, 18.8]
    assert sum(row[2] for row in rows) == 147
    register = sheets[
        "Every recommendation analysed, open ones first, then by reference: agreed 1 April 2015 "
        "to 31 March 2018, as at 14 May 2018"
    ]
    assert len(register) == 148  # its header and the 147


def test_each_table_names_its_source_and_the_cover_the_partnership_and_period(annex, sample_runs):
    manifest = sample_runs.first_manifest
    source = (
        f"Source: {SAMPLE_TRACKER.name} (sha256 {manifest['input']['sha256']}), analysed by "
        f"impact-review at commit {manifest['code']['commit'][:12]}"
    )
    for sheet in annex.worksheets[3:]:
        assert any(str(cell.value).startswith(source) for cell in sheet["A"]), sheet.title
    cover = "\n".join(row[0] for row in annex["Cover"].iter_rows(values_only=True))
    assert "East Sussex Local Safeguarding Children Board" in cover
    assert "1 April 2015 to 31 March 2018" in cover and "The review is dated 14 May 2018" in cover
    _, *notes = annex_table(annex["Notes"])
    assert notes[0] == [
        1,
        "The tracker had 153 rows of recommendations, 6 of them agreed outside the period; the "
        "review analyses 147 recommendations agreed 1 April 2015 to 31 March 2018.",
    ]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_manifest_hashes_it_and_a_recomputed_annex_has_the_same_bytes(
    sample_runs, narrative_rerun
):
    """The narrative rerun computes the analysis again in a new process (its build is the failed
    one: its narrative holds personal data); its annex is byte-identical to the first run's."""
    path = sample_runs.layout.reports.annex
    assert sample_runs.first_manifest["outputs"]["published"][path.name] == sha256(path)
    assert sha256(narrative_rerun.failed.reports.annex) == sha256(path)


def test_tracker_text_stays_text_in_the_published_annex(published):
    path = published.layout.reports.annex
    workbook = openpyxl.load_workbook(path)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert "Child S SCR" in texts
    assert not [text for text in texts if text.startswith(FORMULA_TRIGGERS)]
    assert not [cell for cell in cells if cell.data_type == "f"]
    links = [cell.hyperlink for cell in cells if cell.hyperlink is not None]
    assert links and all(link.target is None and link.location for link in links)  # contents
    with zipfile.ZipFile(path) as zipped:
        sheets = [name for name in zipped.namelist() if name.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in zipped.read(name) for name in sheets)
