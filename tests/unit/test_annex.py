"""The Excel annex on a hand-written review of four recommendations: cover, contents and notes
first, then every table the review shows on its own sheet with its caption, source and the
report's column headers; text that could run or link stays text; the same tables give the same
bytes; and the personal-data scan reads every cell. The captions it shares with the render
bundle's tables and figures say the period, and where recommendations stand, the as-at date."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from impact_review.analyse.review import Analysis, analyse
from impact_review.annex import (
    NO_ROWS,
    NOT_APPLICABLE,
    NOT_APPLICABLE_LEGEND,
    Provenance,
    annex_cell,
    annex_rows,
    sheet_names,
    table_name,
    write_annex,
)
from impact_review.bundle.figures import draw_figures, write_figure_includes
from impact_review.bundle.tables import TABLES, table_frames, write_tables
from impact_review.errors import ValidationFailed
from impact_review.intake.implementation import add_implementation
from impact_review.publish.safety import raise_for_personal_data, scan_rendered

AS_AT = date(2018, 3, 31)
HYPERLINK = '=HYPERLINK("http://x","y")'
LINK_LIKE = "Audit [A](http://example.org)"
# A digest holding 9990000018, a valid NHS number: provenance must not read as personal data.
DIGEST = "ab9990000018" + "c" * 52
PROVENANCE = Provenance(
    partnership="East Sussex Local Safeguarding Children Board",
    period="1 April 2015 to 31 March 2018",
    as_at=AS_AT,
    tracker="tracker.xlsx",
    sha256=DIGEST,
    rows_read=5,
    outside_period=1,
    analysed=4,
    code_version="commit 0123456789ab",
)
# The cleaned table's columns, a header row first; four_recommendations adds the rest.
ROWS = [
    ("rec_id", "source_name", "source_type", "agency", "area_of_learning", "themes", "status",
     "due_date", "date_completed"),
    ("R1", HYPERLINK, "SCR", "Children's Social Care", "Assessment", "Domestic abuse",
     "Completed", "2016-09-01", "2016-08-01"),
    ("R2", "Child S SCR", "SCR", "LSCB", "Assessment", "Domestic abuse; Hidden children",
     "In progress", "2017-01-01", None),
    ("R3", LINK_LIKE, "QA audit", "LSCB", "Training and skills", "", "Completed", None,
     "2017-05-01"),
    ("R4", LINK_LIKE, "QA audit", "Sussex Police", "Policy and procedure", None, None, None, None),
]  # fmt: skip


def four_recommendations() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS[1:], columns=ROWS[0])
    for column in ("due_date", "date_completed"):
        frame[column] = pd.to_datetime(frame[column])
    texts = ("recommendation", "action", "lead", "evidence_of_completion", "evidence_of_impact")
    return frame.assign(
        date_agreed=pd.Timestamp("2016-06-01"),
        sheet_row=range(2, len(frame) + 2),
        **dict.fromkeys(texts, None),
    )


def answered_recommendations() -> pd.DataFrame:
    """The four, R1 returned to the call for evidence as embedded, at Output."""
    return four_recommendations().assign(
        embedded=["Yes", None, None, None],
        impact_level=["Output", None, None, None],
        impact_evidence=None,
    )


@pytest.fixture(scope="module")
def result() -> Analysis:
    return analyse(add_implementation(four_recommendations(), AS_AT))


@pytest.fixture(scope="module")
def annex(result, tmp_path_factory) -> Path:
    return write_annex(result, PROVENANCE, tmp_path_factory.mktemp("annex") / "annex.xlsx")


@pytest.fixture(scope="module")
def workbook(annex) -> openpyxl.Workbook:
    return openpyxl.load_workbook(annex)


def table_cells(sheet) -> list[list]:
    """The Excel table on a sheet, its header row first (headers without their note marks)."""
    (table,) = sheet.tables.values()
    rows = [[cell.value for cell in row] for row in sheet[table.ref]]
    return [[str(h).split("\n")[0] for h in rows[0]], *rows[1:]]


def rows_above_the_table(sheet) -> list:
    (table,) = sheet.tables.values()
    first = int("".join(filter(str.isdigit, table.ref.split(":")[0])))
    return [sheet.cell(row, 1).value for row in range(1, first)]


class TestWorkbook:
    def test_cover_contents_and_notes_come_first_then_each_table_the_review_shows(
        self, result, workbook
    ):
        shown = [spec for spec in TABLES if spec.shown(result)]
        assert workbook.sheetnames[:3] == ["Cover", "Contents", "Notes"]
        assert [sheet["A1"].value for sheet in workbook.worksheets[3:]] == [
            spec.dated_caption(PROVENANCE.period, AS_AT) for spec in shown
        ]
        assert workbook["by_agency"]["A1"].value == (
            "Recommendations by agency: agreed 1 April 2015 to 31 March 2018"
        )
        assert len(shown) >= 10

    def test_each_table_has_the_reports_headers_rows_and_a_source(self, result, workbook):
        frames = table_frames(result)
        for spec, sheet in zip(
            [spec for spec in TABLES if spec.name in frames], workbook.worksheets[3:], strict=True
        ):
            header, *rows = table_cells(sheet)
            frame = frames[spec.name]
            assert header == [spec.headers[column] for column in frame.columns], spec.name
            assert len(rows) == max(len(frame), 1), spec.name
            source = next(text for text in rows_above_the_table(sheet) if text.startswith("Source"))
            assert source == (
                f"Source: tracker.xlsx (sha256 {DIGEST}), analysed by impact-review at commit "
                "0123456789ab. [note 1]"
            )

    def test_source_type_counts_are_the_reviews(self, workbook):
        header, *rows = table_cells(workbook["by_source_type"])
        assert header == [
            "Source type",
            "Activities",
            "Recommendations",
            "% of all",
            "Per activity",
        ]
        assert rows == [["SCR", 2, 2, 50, 1], ["QA audit", 1, 2, 50, 2]]
        assert workbook["by_source_type"].title == "by_source_type"

    def test_formula_text_is_written_as_text_as_in_the_csv(self, workbook, annex):
        header, *rows = table_cells(workbook["by_source"])
        cells = [row[header.index("Learning activity")] for row in rows]
        assert "'" + HYPERLINK in cells
        with zipfile.ZipFile(annex) as zipped:
            sheets = [name for name in zipped.namelist() if name.startswith("xl/worksheets/")]
            assert not any(b"<f>" in zipped.read(name) for name in sheets)

    def test_link_like_text_and_urls_are_not_links(self, workbook):
        sheet = workbook["by_source"]
        found = [cell for row in sheet.iter_rows() for cell in row if cell.value == LINK_LIKE]
        assert found and all(cell.hyperlink is None for cell in found)
        hyperlink = next(
            cell for row in sheet.iter_rows() for cell in row if cell.value == "'" + HYPERLINK
        )
        assert hyperlink.data_type == "s" and hyperlink.hyperlink is None

    def test_a_blank_is_marked_not_applicable_and_explained(self, workbook):
        sheet = workbook["slippage_by_agency"]
        header, *rows = table_cells(sheet)
        late = {row[0]: row[header.index("Median days late (overdue)")] for row in rows}
        assert late["LSCB"] == 454  # R2, due 1 January 2017, open on 31 March 2018
        assert late["Sussex Police"] == NOT_APPLICABLE
        assert NOT_APPLICABLE_LEGEND in rows_above_the_table(sheet)
        assert NOT_APPLICABLE_LEGEND not in rows_above_the_table(workbook["by_source_type"])

    def test_notes_say_what_percent_themes_and_as_at_mean(self, workbook):
        header, *rows = table_cells(workbook["Notes"])
        notes = dict(rows)
        assert header == ["Note number", "Note text"] and list(notes) == [1, 2, 3, 4]
        assert notes[1] == (
            "The tracker had 5 rows of recommendations, 1 of them agreed outside the period; the "
            "review analyses 4 recommendations agreed 1 April 2015 to 31 March 2018."
        )
        assert notes[2].startswith("% of all: the row's recommendations as a percentage of all")
        assert "more than one theme" in notes[3]
        assert notes[4].endswith("as at 31 March 2018.")
        (table,) = workbook["by_source_type"].tables.values()
        assert workbook["by_source_type"][table.ref.split(":")[0]].offset(0, 3).value == (
            "% of all\n[note 2]"
        )

    def test_cover_names_the_partnership_period_and_source(self, workbook):
        cover = [row[0] for row in workbook["Cover"].iter_rows(values_only=True)]
        assert cover[0] == (
            "Recommendations from case reviews and audits, 1 April 2015 to 31 March 2018: the "
            "review's tables"
        )
        assert {"About these data", "Contact"} <= set(cover)
        assert any("East Sussex Local Safeguarding Children Board" in text for text in cover)
        assert any(text.startswith("Source: tracker.xlsx") for text in cover)

    def test_table_names_are_valid_and_distinct(self, workbook):
        names = [name for sheet in workbook.worksheets for name in sheet.tables]
        assert len(names) == len(set(names)) == len(workbook.worksheets) - 1
        assert "tbl_by_source_type" in names

    def test_the_same_tables_give_the_same_bytes_dated_as_at(self, result, annex, tmp_path):
        again = write_annex(result, PROVENANCE, tmp_path / "again.xlsx")
        assert again.read_bytes() == annex.read_bytes()
        with zipfile.ZipFile(annex) as zipped:
            core = zipped.read("docProps/core.xml").decode()
        assert '<dcterms:created xsi:type="dcterms:W3CDTF">2018-03-31T00:00:00Z<' in core


class TestAnnexCell:
    @pytest.mark.parametrize("text", [HYPERLINK, "+1", "-cmd", "@SUM(A1)"])
    def test_formula_text_is_neutralised(self, text):
        assert annex_cell(text) == "'" + text

    @pytest.mark.parametrize("blank", [None, np.nan, pd.NA, "", "  "])
    def test_a_blank_is_not_applicable(self, blank):
        assert annex_cell(blank) == NOT_APPLICABLE

    @pytest.mark.parametrize("text", [LINK_LIKE, "–", "名前"])
    def test_text_gptables_would_misread_is_kept_as_it_is(self, text):
        assert annex_cell(text).string == text

    def test_numbers_stay_numbers(self):
        assert annex_cell(np.int64(75)) == 75 and type(annex_cell(np.int64(75))) is int
        assert annex_cell(18.8) == 18.8
        assert annex_cell("Child S SCR") == "Child S SCR"


class TestAnnexRows:
    def test_headers_are_the_reports(self):
        rows = annex_rows(pd.DataFrame({"agency": ["LSCB"], "n": [3]}), {"agency": "Agency"})
        assert list(rows.columns) == ["Agency", "n"] and rows.iloc[0].tolist() == ["LSCB", 3]

    def test_a_table_with_no_rows_keeps_one_not_applicable_row(self):
        rows = annex_rows(pd.DataFrame({"agency": [], "n": []}), {"agency": "Agency"})
        assert rows.to_dict("records") == [{"Agency": NOT_APPLICABLE, "n": NOT_APPLICABLE}]

    def test_its_sheet_says_the_review_shows_no_rows(self, tmp_path):
        """One return answered, at Output: the tables of completed recommendations that reached
        practice change or better are shown in the review, with no rows."""
        result = analyse(add_implementation(answered_recommendations(), AS_AT))
        empty = [spec for spec in TABLES if spec.shown(result) and spec.rows(result).empty]
        assert len(empty) == 2
        workbook = openpyxl.load_workbook(write_annex(result, PROVENANCE, tmp_path / "a.xlsx"))
        for spec in empty:
            title = spec.dated_caption(PROVENANCE.period, AS_AT)
            sheet = next(sheet for sheet in workbook if sheet["A1"].value == title)
            header, *rows = table_cells(sheet)
            assert rows == [[NOT_APPLICABLE] * len(header)]
            assert {NO_ROWS, NOT_APPLICABLE_LEGEND} <= set(rows_above_the_table(sheet))


class TestDatedCaptions:
    """Every caption of a render bundle written for a period says the period, those of where the
    recommendations stand the as-at date (a day after the period here, so it cannot be the
    period's end); the annex titles its sheets with the bundle's table captions."""

    PERIOD = "1 April 2015 to 31 March 2018"
    AS_AT = date(2018, 6, 30)
    STANDING = frozenset(
        {
            "statuses",
            "rag",
            "overdue",
            "slippage-by-agency",
            "slippage-by-source-type",
            "evidence-coverage",
            "evidence-coverage-by-area",
            "recommendations",
        }
    )

    @pytest.fixture(scope="class")
    def answered(self) -> Analysis:
        return analyse(add_implementation(answered_recommendations(), self.AS_AT))

    @pytest.fixture(scope="class")
    def bundle(self, answered, tmp_path_factory) -> Path:
        bundle = tmp_path_factory.mktemp("bundle")
        write_tables(answered, bundle / "tables", self.PERIOD, self.AS_AT)
        drawn = draw_figures(answered, bundle / "figures")
        write_figure_includes(drawn, bundle / "figures", self.PERIOD)
        return bundle

    @staticmethod
    def captions(folder: Path, pattern: str) -> dict[str, str]:
        """Each file's caption, as a reader sees it (without markdown's escapes)."""
        found = {}
        for path in sorted(folder.glob("*.md")):
            match = re.search(pattern, path.read_text(encoding="utf-8"), re.MULTILINE)
            if match:
                found[path.stem] = re.sub(r"\\(.)", r"\1", match.group(1))
        return found

    def table_captions(self, bundle: Path) -> dict[str, str]:
        return self.captions(bundle / "tables", r"^: (.*) \{#tbl-")

    def test_every_table_says_the_period_and_those_of_standing_the_as_at_date(
        self, bundle, answered
    ):
        captions = self.table_captions(bundle)
        shown = [spec for spec in TABLES if spec.shown(answered)]
        assert set(captions) == {spec.name for spec in shown}
        assert {spec.name for spec in TABLES} - set(captions) == {"quality-flagged", "restated"}
        agreed = ": agreed 1 April 2015 to 31 March 2018"
        for spec in shown:
            ending = f"{agreed}, as at 30 June 2018" if spec.name in self.STANDING else agreed
            assert captions[spec.name] == spec.caption + ending, spec.name
        assert captions["overdue"] == (
            "Overdue recommendations, most overdue first: agreed 1 April 2015 to 31 March 2018, "
            "as at 30 June 2018"
        )
        assert captions["themes"] == (
            "Themes recorded against recommendations (a recommendation may carry more than "
            "one): agreed 1 April 2015 to 31 March 2018"
        )

    def test_every_figure_says_the_period(self, bundle):
        captions = self.captions(bundle / "figures", r"^!\[(.*)\]\(figures/")
        assert captions == {
            "agency-area": "Recommendations by agency and area of learning: agreed 1 April 2015 "
            "to 31 March 2018",
            "by-agency": "Recommendations by agency: agreed 1 April 2015 to 31 March 2018",
            "by-area": "Recommendations by area of learning: agreed 1 April 2015 to 31 March 2018",
            "by-source-type": "Recommendations by source type: agreed 1 April 2015 to 31 March "
            "2018",
        }

    def test_the_annex_titles_its_sheets_with_the_bundles_captions(
        self, answered, bundle, tmp_path
    ):
        provenance = replace(PROVENANCE, period=self.PERIOD, as_at=self.AS_AT)
        workbook = openpyxl.load_workbook(write_annex(answered, provenance, tmp_path / "a.xlsx"))
        titles = [sheet["A1"].value for sheet in workbook.worksheets[3:]]
        captions = self.table_captions(bundle)
        # a sheet for each table the review shows (none flagged or restated here)
        assert titles == [captions[spec.name] for spec in TABLES if spec.shown(answered)]
        assert rows_above_the_table(workbook["overdue"])[1] == PROVENANCE.partnership


class TestSheetNames:
    def test_letters_digits_and_underscores(self):
        assert sheet_names(["by-source-type", "a/b:c?d*[e]'f"]) == {
            "by-source-type": "by_source_type",
            "a/b:c?d*[e]'f": "a_b_c_d__e__f",
        }

    def test_at_most_31_characters_and_distinct(self):
        long = "evidence-coverage-by-area-of-learning"
        names = sheet_names([long, long + "-2", long + "-3"])
        assert all(len(name) <= 31 for name in names.values())
        assert len(set(names.values())) == 3
        assert names[long] == "evidence_coverage_by_area_of_le"
        assert names[long + "-2"] == "evidence_coverage_by_area_of__2"

    def test_never_a_sheet_gptables_writes(self):
        assert sheet_names(["notes", "Cover", "contents"]) == {
            "notes": "notes_2",
            "Cover": "Cover_2",
            "contents": "contents_2",
        }

    def test_table_name_cannot_read_as_a_cell(self):
        assert table_name("by1") == "tbl_by1"


class TestScanOfTheAnnex:
    def test_provenance_alone_is_not_personal_data(self, annex):
        assert scan_rendered([annex]) == []

    @pytest.mark.parametrize(
        ("planted", "kind"), [("07700 900123", "phone"), ("999 000 0018", "nhs_number")]
    )
    def test_a_planted_number_in_a_cell_stops_publication_naming_the_file(
        self, annex, tmp_path, planted, kind
    ):
        workbook = openpyxl.load_workbook(annex)
        (table,) = workbook["by_agency"].tables.values()
        workbook["by_agency"][table.ref.split(":")[0]].offset(1, 0).value = f"Ring {planted}"
        planted_annex = tmp_path / "planted.xlsx"
        workbook.save(planted_annex)
        found = scan_rendered([planted_annex])
        assert found == [("planted.xlsx", kind)]
        with pytest.raises(ValidationFailed, match=f"planted.xlsx: {kind}") as raised:
            raise_for_personal_data([], found)
        assert planted not in str(raised.value)
