"""The call for evidence: request workbooks (request.py), returns read back (returns.py) and
merged by Ref (merge.py), on small frames and workbooks written here."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from impact_review.errors import InputError, ProblemsFound
from impact_review.evidence.form import AGENCY_LABEL, COVER_SHEET, EVIDENCE_SHEET
from impact_review.evidence.merge import merge_evidence
from impact_review.evidence.request import request_file_name, write_requests
from impact_review.period import Period

ESHT = "East Sussex Healthcare NHS Trust"
POLICE = "Sussex Police"
PERIOD = Period(date(2015, 4, 1), date(2018, 3, 31), "t")
HEADERS = [
    "Ref",
    "Source",
    "Recommendation",
    "Action",
    "Target date",
    "Status",
    "Embedded",
    "Impact level",
    "Evidence of impact",
    "Respondent role",
    "Date",
]


def recs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rec_id": ["R1", "R2", "R3"],
            "source_name": ["Child K SCR", "Child K SCR", "Child P SCR"],
            "agency": [ESHT, POLICE, ESHT],
            "recommendation": ["Train midwives.", "Share plans.", "Audit referrals."],
            "action": ["Deliver training.", None, "Re-audit."],
            "due_date": pd.to_datetime(["2016-07-01", None, "2017-03-31"]),
            "status": ["Completed", "In progress", "Completed"],
            "sheet_row": [4, 5, 6],
        }
    )


@pytest.fixture
def requests(tmp_path: Path) -> dict[str, Path]:
    written = write_requests(recs(), PERIOD, tmp_path / "out")
    return {path.name: path for path in written}


class TestWriteRequests:
    def test_one_file_per_agency_named_from_its_short_name(self, requests):
        assert sorted(requests) == ["evidence-request-esht.xlsx", "evidence-request-police.xlsx"]

    def test_file_names_keep_safe_characters_only(self):
        assert request_file_name("Districts and boroughs") == (
            "evidence-request-districts-and-boroughs.xlsx"
        )
        assert request_file_name("../A&B") == "evidence-request-a-b.xlsx"

    def test_each_lists_exactly_its_agencys_recommendations(self, requests):
        sheet = openpyxl.load_workbook(requests["evidence-request-esht.xlsx"])[EVIDENCE_SHEET]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == HEADERS
        assert [row[0] for row in rows[1:]] == ["R1", "R3"]
        assert rows[1][2] == "Train midwives."
        assert rows[1][4].date() == date(2016, 7, 1)
        assert rows[1][6:] == (None,) * 5

    def test_cover_sheet_names_the_agency(self, requests):
        cover = openpyxl.load_workbook(requests["evidence-request-police.xlsx"])[COVER_SHEET]
        assert (cover["A3"].value, cover["B3"].value) == (AGENCY_LABEL, POLICE)
        assert cover.protection.sheet

    def test_drop_downs_on_the_coded_columns(self, requests):
        sheet = openpyxl.load_workbook(requests["evidence-request-esht.xlsx"])[EVIDENCE_SHEET]
        rules = {str(r.sqref): r.formula1 for r in sheet.data_validations.dataValidation}
        assert rules == {
            "G2:G3": '"Yes,Partly,No"',
            "H2:H3": '"None,Output,Practice change,Outcome for children"',
        }

    def test_reference_columns_locked_and_answer_columns_open(self, requests):
        sheet = openpyxl.load_workbook(requests["evidence-request-esht.xlsx"])[EVIDENCE_SHEET]
        assert sheet.protection.sheet
        assert [sheet.cell(2, c).protection.locked for c in range(1, 12)] == [True] * 6 + [
            False
        ] * 5

    def test_same_bytes_every_time(self, requests, tmp_path: Path):
        again = write_requests(recs(), PERIOD, tmp_path / "again")
        assert all(path.read_bytes() == requests[path.name].read_bytes() for path in again)

    def test_agencies_sharing_a_file_name_refused(self, tmp_path: Path):
        same_short_name = SimpleNamespace(short_name=lambda agency: agency[:4])
        with pytest.raises(InputError, match="would share the request file"):
            write_requests(
                recs().assign(agency=["Sussex A", "Sussex B", "Sussex A"]),
                PERIOD,
                tmp_path,
                same_short_name,
            )


def answer(path: Path, rows: dict[int, list], agency: str | None = None) -> Path:
    """Fill a request's answer columns (G onwards) on the given sheet rows; agency rewrites the
    cover sheet's agency."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[EVIDENCE_SHEET]
    for row, values in rows.items():
        for offset, value in enumerate(values):
            sheet.cell(row, 7 + offset, value)
    if agency is not None:
        workbook[COVER_SHEET]["B3"] = agency
    workbook.save(path)
    return path


def returned(requests: dict[str, Path], folder: Path) -> dict[str, Path]:
    folder.mkdir()
    out = {}
    for name, path in requests.items():
        out[name] = folder / name
        out[name].write_bytes(path.read_bytes())
    return out


EVIDENCE = "Re-audit found plans shared at every meeting."


class TestMergeEvidence:
    def test_answers_joined_by_ref(self, requests, tmp_path: Path):
        files = returned(requests, tmp_path / "back")
        answer(files["evidence-request-esht.xlsx"], {2: ["Yes", "Practice change", EVIDENCE]})
        answer(files["evidence-request-police.xlsx"], {2: ["partly", "Output", "Trained."]})
        merged, warnings = merge_evidence(recs(), tmp_path / "back")
        assert merged["embedded"].tolist() == ["Yes", "Partly", None]
        assert merged["impact_level"].tolist() == ["Practice change", "Output", None]
        assert merged["impact_evidence"].tolist() == [EVIDENCE, "Trained.", None]
        assert warnings == []

    def test_no_folder_gives_empty_columns(self):
        merged, _ = merge_evidence(recs(), None)
        assert merged[["embedded", "impact_level", "impact_evidence"]].isna().all().all()

    def test_lock_files_skipped_with_a_warning(self, requests, tmp_path: Path):
        files = returned(requests, tmp_path / "back")
        (tmp_path / "back" / "~$evidence-request-esht.xlsx").write_bytes(b"lock")
        answer(files["evidence-request-esht.xlsx"], {3: ["No", "None"]})
        merged, warnings = merge_evidence(recs(), tmp_path / "back")
        assert merged["embedded"].tolist() == [None, None, "No"]
        assert len(warnings) == 1 and "~$evidence-request-esht.xlsx" in warnings[0]

    def test_same_answer_in_two_returns_is_not_a_conflict(self, requests, tmp_path: Path):
        files = returned(requests, tmp_path / "back")
        answer(files["evidence-request-esht.xlsx"], {2: ["Yes", "Output"]})
        copy = tmp_path / "back" / "second copy.xlsx"
        copy.write_bytes(files["evidence-request-esht.xlsx"].read_bytes())
        merged, _ = merge_evidence(recs(), tmp_path / "back")
        assert merged["embedded"].tolist() == ["Yes", None, None]

    def test_empty_folder_refused(self, tmp_path: Path):
        (tmp_path / "back").mkdir()
        with pytest.raises(InputError, match="no returned workbooks"):
            merge_evidence(recs(), tmp_path / "back")


class TestRefusals:
    def refusal(self, folder: Path) -> str:
        with pytest.raises(InputError) as caught:
            merge_evidence(recs(), folder)
        return str(caught.value)

    def test_value_outside_the_list_named_with_its_cell(self, requests, tmp_path: Path):
        files = returned(requests, tmp_path / "back")
        answer(files["evidence-request-esht.xlsx"], {3: ["Mostly", "Practice change"]})
        message = self.refusal(tmp_path / "back")
        assert message.startswith(
            "file evidence-request-esht.xlsx, sheet 'Evidence', row 3, column 'Embedded': "
            "'Mostly' is not one of the list's answers (Yes, Partly, No)"
        )

    def test_unknown_ref(self, requests, tmp_path: Path):
        files = returned(requests, tmp_path / "back")
        path = answer(files["evidence-request-esht.xlsx"], {3: ["Yes"]})
        workbook = openpyxl.load_workbook(path)
        workbook[EVIDENCE_SHEET]["A3"] = "R99"
        workbook.save(path)
        message = self.refusal(tmp_path / "back")
        assert "row 3, column 'Ref': 'R99' is not a recommendation of the tracker" in message

    def test_ref_from_another_agencys_list(self, requests, tmp_path: Path):
        files = returned(requests, tmp_path / "back")
        answer(files["evidence-request-police.xlsx"], {2: ["Yes"]}, agency=ESHT)
        message = self.refusal(tmp_path / "back")
        assert message == (
            "file evidence-request-police.xlsx, sheet 'Evidence', row 2, column 'Ref': "
            f"'R2' is on the list for {POLICE}, not {ESHT}"
        )

    def test_conflicting_answers_across_files_name_both(self, requests, tmp_path: Path):
        files = returned(requests, tmp_path / "back")
        answer(files["evidence-request-esht.xlsx"], {2: ["Yes", "Output", EVIDENCE]})
        other = tmp_path / "back" / "from the ward.xlsx"
        other.write_bytes(requests["evidence-request-esht.xlsx"].read_bytes())
        answer(other, {2: ["Yes", "Output", "Something else entirely."]})
        with pytest.raises(ProblemsFound) as caught:
            merge_evidence(recs(), tmp_path / "back")
        lines = caught.value.details
        assert lines == [
            "file evidence-request-esht.xlsx, sheet 'Evidence', column 'Evidence of impact': "
            "answers Ref R1 differently from from the ward.xlsx row 2 (row 2)",
            "file from the ward.xlsx, sheet 'Evidence', column 'Evidence of impact': "
            "answers Ref R1 differently from evidence-request-esht.xlsx row 2 (row 2)",
        ]
        assert EVIDENCE not in str(caught.value)

    def test_every_problem_reported_at_once(self, requests, tmp_path: Path):
        files = returned(requests, tmp_path / "back")
        answer(files["evidence-request-esht.xlsx"], {2: ["Maybe"], 3: [None, "Huge"]})
        answer(files["evidence-request-police.xlsx"], {2: ["Yes"]}, agency=ESHT)
        (tmp_path / "back" / "notes.txt").write_text("x")
        with pytest.raises(ProblemsFound) as caught:
            merge_evidence(recs(), tmp_path / "back")
        assert len(caught.value.groups) == 4
        assert str(caught.value).startswith("4 problems in 4 rows:")

    def test_free_text_is_never_quoted(self, requests, tmp_path: Path):
        files = returned(requests, tmp_path / "back")
        answer(files["evidence-request-esht.xlsx"], {2: ["Nope", "Output", EVIDENCE]})
        assert EVIDENCE not in self.refusal(tmp_path / "back")

    def test_missing_evidence_sheet(self, requests, tmp_path: Path):
        files = returned(requests, tmp_path / "back")
        workbook = openpyxl.load_workbook(files["evidence-request-esht.xlsx"])
        workbook[EVIDENCE_SHEET].title = "Answers"
        workbook.save(files["evidence-request-esht.xlsx"])
        assert "sheet 'Evidence': the Evidence sheet is missing" in self.refusal(tmp_path / "back")


def test_returned_evidence_is_scanned_for_personal_data():
    from impact_review.publish.safety import scan_tracker_text

    frame = recs().assign(impact_evidence=["Seen by Dr Jane Smith, NHS 943 476 5919.", None, None])
    findings = scan_tracker_text(frame)
    assert {(f.rec_id, f.column) for f in findings} == {("R1", "impact_evidence")}
