from datetime import date, datetime
from pathlib import Path

import pytest
from adoption_trackers import eastmere_tracker, northshire_tracker, westvale_tracker
from helpers import HEADER, row, write_csv_text, write_partnership_config, write_xlsx

from impact_review.errors import InputError
from impact_review.intake.cleaning import clean_tracker
from impact_review.intake.taxonomy import load_taxonomy
from impact_review.intake.tracker import (
    Limits,
    UnusedColumn,
    excel_lock_file,
    lock_file_warning,
    read_tracker,
)
from impact_review.period import Period


def message(exc: pytest.ExceptionInfo) -> str:
    return str(exc.value)


class TestSheetAndHeaderDetection:
    def test_header_below_a_title_block(self, tmp_path):
        path = write_xlsx(
            tmp_path / "t.xlsx",
            {"Tracker": [["LSCB tracker"], ["Updated 14/05/2018"], HEADER, row("R1"), row("R2")]},
        )
        read = read_tracker(path)
        assert read.sheet == "Tracker"
        assert read.recommendations.header_row == 3
        assert read.recommendations.frame["sheet_row"].tolist() == [4, 5]
        assert read.recommendations.frame["rec_id"].tolist() == ["R1", "R2"]

    def test_hidden_and_notes_sheets_are_skipped(self, tmp_path):
        path = write_xlsx(
            tmp_path / "t.xlsx",
            {
                "Lookups": [HEADER, row("HIDDEN")],
                "Notes": [["Read me first"]],
                "Recs": [HEADER, row("R1")],
            },
            hidden=["Lookups"],
        )
        read = read_tracker(path)
        assert read.sheet == "Recs"
        assert read.visible_sheets == ("Notes", "Recs")
        assert read.recommendations.frame["rec_id"].tolist() == ["R1"]

    def test_named_sheet_is_used(self, tmp_path):
        path = write_xlsx(tmp_path / "t.xlsx", {"A": [HEADER, row("A1")], "B": [HEADER, row("B1")]})
        assert read_tracker(path, sheet="B").recommendations.frame["rec_id"].tolist() == ["B1"]

    def test_missing_named_sheet_lists_the_visible_ones(self, tmp_path):
        path = write_xlsx(
            tmp_path / "t.xlsx", {"A": [HEADER, row("A1")], "H": [["x"]]}, hidden=["H"]
        )
        with pytest.raises(InputError) as exc:
            read_tracker(path, sheet="Recs")
        assert "no sheet named 'Recs'" in message(exc)
        assert "visible sheets: A" in message(exc)
        assert "t.xlsx" in message(exc)

    def test_no_sheet_with_headers_lists_visible_sheets(self, tmp_path):
        path = write_xlsx(tmp_path / "t.xlsx", {"Notes": [["hello"]], "Data": [["a", "b"], [1, 2]]})
        with pytest.raises(InputError, match="visible sheets: Notes, Data"):
            read_tracker(path)

    def test_header_synonyms_and_case(self, tmp_path):
        header = [
            "REC NO",
            " review ",
            "Type of review",
            "Lead Agency",
            "Learning area",
            "Recommendation text",
            "Date agreed",
            "Due date",
            "RAG",
        ]
        path = write_xlsx(tmp_path / "t.xlsx", {"S": [header, [*row("R1"), "01/01/2017", "Green"]]})
        read = read_tracker(path)
        assert read.recommendations.columns["agency"] == "Lead Agency"
        assert read.recommendations.columns["due_date"] == "Due date"
        assert read.recommendations.columns["status"] == "RAG"
        assert "themes" in read.missing_optional
        assert any("'themes' is absent" in note for note in read.notes)

    def test_missing_required_column_is_named(self, tmp_path):
        header = [h for h in HEADER if h != "Agency"]
        path = write_xlsx(
            tmp_path / "t.xlsx",
            {"S": [header, ["R1", "Child S", "SCR", "Training", "x", "01/06/2016"]]},
        )
        with pytest.raises(InputError, match=r"missing required column.*agency"):
            read_tracker(path)

    def test_duplicated_header_is_an_error(self, tmp_path):
        path = write_xlsx(
            tmp_path / "t.xlsx", {"S": [[*HEADER, "Lead agency"], [*row("R1"), "CSC"]]}
        )
        with pytest.raises(InputError, match="both headed as 'agency'") as exc:
            read_tracker(path)
        assert "row 1" in message(exc)

    def test_trailing_blank_rows_are_dropped_and_listed_by_sheet_row(self, tmp_path):
        path = write_xlsx(
            tmp_path / "t.xlsx",
            {"S": [HEADER, row("R1"), [None] * 7, [" "] * 7, row("R2"), ["\t"] * 7]},
        )
        read = read_tracker(path)
        assert read.recommendations.frame["rec_id"].tolist() == ["R1", "R2"]
        assert read.recommendations.blank_rows == (3, 4, 6)
        assert read.recommendations.above_header == ()

    def test_rows_above_the_header_are_listed_by_sheet_row(self, tmp_path):
        rows = [["Tracker title"], [], ["Notes: see read me"], HEADER, row("R1")]
        read = read_tracker(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
        assert read.recommendations.header_row == 4
        assert read.recommendations.above_header == (1, 2, 3)
        assert read.recommendations.frame["sheet_row"].tolist() == [5]

    def test_excel_date_cells_stay_dates(self, tmp_path):
        path = write_xlsx(
            tmp_path / "t.xlsx", {"S": [HEADER, row("R1", agreed=datetime(2016, 6, 1))]}
        )
        assert read_tracker(path).recommendations.frame.loc[0, "date_agreed"] == datetime(
            2016, 6, 1
        )

    def test_sources_sheet_is_found(self, tmp_path):
        header = [h for h in HEADER if h != "Source type"]
        recs = [header, ["R1", "Child S SCR", "ESHT", "Training", "x", "01/06/2016"]]
        path = write_xlsx(
            tmp_path / "t.xlsx",
            {"Recs": recs, "Reviews": [["Review", "Type"], ["Child S SCR", "SCR"]]},
        )
        read = read_tracker(path)
        assert read.sources is not None and read.sources.sheet == "Reviews"

    def test_no_source_type_anywhere_is_an_error(self, tmp_path):
        header = [h for h in HEADER if h != "Source type"]
        path = write_xlsx(
            tmp_path / "t.xlsx",
            {"Recs": [header, ["R1", "Child S", "ESHT", "Training", "x", "01/06/2016"]]},
        )
        with pytest.raises(InputError, match="source type"):
            read_tracker(path)

    def test_merged_cells_in_a_mandatory_column(self, tmp_path):
        path = write_xlsx(
            tmp_path / "t.xlsx", {"S": [HEADER, row("R1"), row("R2")]}, merged=[("S", "D2:D3")]
        )
        with pytest.raises(InputError, match="merged cells D2:D3") as exc:
            read_tracker(path)
        assert "row 2" in message(exc) and "'Agency'" in message(exc)

    def test_header_only_workbook(self, tmp_path):
        path = write_xlsx(tmp_path / "t.xlsx", {"S": [HEADER]})
        with pytest.raises(InputError, match="no data rows"):
            read_tracker(path)


class TestUnusedColumns:
    def test_headed_columns_that_are_no_field_are_recorded_and_noted(self, tmp_path):
        recs = [[*HEADER, "Remarks", None, "Notes "], [*row("R1"), "Jo says done", None, "x"]]
        sources = [["Review", "Type", "Chair"], ["Child S SCR", "SCR", "Dr A"]]
        read = read_tracker(write_xlsx(tmp_path / "t.xlsx", {"Recs": recs, "Reviews": sources}))
        assert read.unused_columns == (
            UnusedColumn("Recs", "Remarks", "H"),
            UnusedColumn("Recs", "Notes", "J"),
            UnusedColumn("Reviews", "Chair", "C"),
        )
        assert read.notes[-1] == (
            "Columns not used: 'Remarks' (sheet 'Recs', column H), "
            "'Notes' (sheet 'Recs', column J), 'Chair' (sheet 'Reviews', column C)"
        )
        assert "Jo" not in " ".join(read.notes)

    def test_a_csv_names_the_column_letter_only(self, tmp_path):
        lines = (
            ",".join([*HEADER, "Remarks"]),
            "R1,Child S,SCR,ESHT,Training,Train,01/06/2016,x",
        )
        read = read_tracker(write_csv_text(tmp_path / "t.csv", lines))
        assert read.unused_columns == (UnusedColumn(None, "Remarks", "H"),)
        assert "Columns not used: 'Remarks' (column H)" in read.notes

    def test_every_column_used_says_nothing(self, tmp_path):
        read = read_tracker(write_xlsx(tmp_path / "t.xlsx", {"S": [HEADER, row("R1")]}))
        assert read.unused_columns == ()
        assert not any("not used" in note for note in read.notes)


class TestExcelLockFile:
    def test_a_workbook_open_in_excel_is_read_with_a_warning(self, tmp_path):
        path = write_xlsx(tmp_path / "tracker.xlsx", {"S": [HEADER, row("R1")]})
        assert lock_file_warning(path) is None
        (tmp_path / "~$tracker.xlsx").write_bytes(b"owner")
        warning = lock_file_warning(path)
        assert warning.startswith("~$tracker.xlsx beside the tracker says it is open in Excel")
        assert warning in read_tracker(path).notes

    def test_excel_may_drop_the_first_two_letters_of_the_name(self, tmp_path):
        path = write_xlsx(tmp_path / "tracker.xlsx", {"S": [HEADER, row("R1")]})
        (tmp_path / "~$acker.xlsx").write_bytes(b"owner")
        assert excel_lock_file(path) == tmp_path / "~$acker.xlsx"


class TestCsv:
    LINES = (",".join(HEADER), "R1,Child S,SCR,ESHT,Training,Train staff,01/06/2016")

    def test_utf8_with_bom(self, tmp_path):
        path = write_csv_text(tmp_path / "t.csv", self.LINES, encoding="utf-8-sig")
        read = read_tracker(path)
        assert read.encoding == "utf-8-sig"
        assert read.recommendations.columns["rec_id"] == "Ref"
        assert read.recommendations.frame.loc[0, "rec_id"] == "R1"

    def test_cp1252_is_decoded_exactly(self, tmp_path):
        lines = [self.LINES[0], "R1,Child S,SCR,ESHT,Training,Zoë’s school: £5 fund,01/06/2016"]
        path = write_csv_text(tmp_path / "t.csv", lines, encoding="cp1252")
        read = read_tracker(path)
        assert read.encoding == "utf-8-sig" or read.encoding == "cp1252"
        assert read.encoding == "cp1252"
        assert read.recommendations.frame.loc[0, "recommendation"] == "Zoë’s school: £5 fund"

    def test_semicolon_delimiter(self, tmp_path):
        path = write_csv_text(tmp_path / "t.csv", self.LINES, delimiter=";")
        read = read_tracker(path)
        assert read.delimiter == ";"
        assert read.recommendations.frame.loc[0, "agency"] == "ESHT"

    def test_literal_na_and_none_are_kept_as_text(self, tmp_path):
        lines = [
            self.LINES[0] + ",Lead",
            self.LINES[1] + ",NA",
            self.LINES[1].replace("R1", "R2") + ",None",
        ]
        read = read_tracker(write_csv_text(tmp_path / "t.csv", lines))
        assert read.recommendations.frame["lead"].tolist() == ["NA", "None"]

    def test_unknown_encoding(self, tmp_path):
        path = tmp_path / "t.csv"
        path.write_bytes(self.LINES[0].encode() + b"\n" + b"R1,\x81\x8d\x90,SCR\n")
        with pytest.raises(InputError, match="neither UTF-8 nor Windows-1252"):
            read_tracker(path)

    def test_empty_file(self, tmp_path):
        path = tmp_path / "t.csv"
        path.write_bytes(b"")
        with pytest.raises(InputError, match="empty"):
            read_tracker(path)

    def test_header_only_csv(self, tmp_path):
        with pytest.raises(InputError, match="no data rows"):
            read_tracker(write_csv_text(tmp_path / "t.csv", self.LINES[:1]))

    def test_csv_renamed_xlsx(self, tmp_path):
        path = write_csv_text(tmp_path / "t.xlsx", self.LINES)
        with pytest.raises(InputError, match="not an Excel workbook") as exc:
            read_tracker(path)
        assert "t.xlsx" in message(exc)


class TestLimits:
    def test_oversized_file_is_rejected_unread(self, tmp_path, simple_xlsx: Path):
        with pytest.raises(InputError, match="over the limit"):
            read_tracker(simple_xlsx, limits=Limits(max_file_bytes=100))

    def test_zip_bomb_ratio_is_rejected(self, tmp_path, simple_xlsx: Path):
        with pytest.raises(InputError, match="zip bomb"):
            read_tracker(simple_xlsx, limits=Limits(max_compression_ratio=1.5))

    def test_raw_file_is_not_modified(self, simple_xlsx: Path):
        before = simple_xlsx.read_bytes(), simple_xlsx.stat().st_mtime_ns
        read = read_tracker(simple_xlsx)
        assert (simple_xlsx.read_bytes(), simple_xlsx.stat().st_mtime_ns) == before
        import hashlib

        assert read.sha256 == hashlib.sha256(before[0]).hexdigest()


class TestOtherPartnershipsHeaders:
    """Header names common across partnerships are known to every configuration, the sample's
    included, so another partnership's first refusal is about its values, or about a column the
    configuration in force requires and the tracker lacks, with the way forward."""

    @pytest.mark.parametrize("write", [westvale_tracker, eastmere_tracker])
    def test_the_sample_configuration_reads_their_columns(self, tmp_path, write):
        suffix = ".csv" if write is westvale_tracker else ".xlsx"
        read = read_tracker(write(tmp_path / f"tracker{suffix}"))
        assert {"rec_id", "source_name", "agency", "recommendation", "date_agreed"} <= set(
            read.recommendations.columns
        )

    def test_northshire_under_the_sample_hears_of_every_problem_at_once(self, tmp_path):
        """The sample requires an area of learning and knows none of Northshire's agencies: one
        refusal names the missing column and every unknown value, and suggests init."""
        read = read_tracker(northshire_tracker(tmp_path / "tracker.xlsx"))
        assert read.missing_required == ("area_of_learning",)
        with pytest.raises(InputError) as raised:
            clean_tracker(read, Period(date(2020, 4, 1), date(2021, 3, 31), "n"))
        message = "\n".join([str(raised.value), *raised.value.details])
        assert "missing required column: area of learning (required by the configuration in" in (
            message
        )
        assert "'Northshire Police'" in message and "'NHS Northshire ICB'" in message
        assert "impact-review init --tracker" in message

    def test_northshire_headers_map_to_their_fields(self, tmp_path):
        own = load_taxonomy(write_partnership_config(tmp_path / "config"))
        read = read_tracker(northshire_tracker(tmp_path / "tracker.xlsx"), taxonomy=own)
        columns = read.recommendations.columns
        assert columns["agency"] == "Lead organisation"
        assert columns["themes"] == "Learning theme"
        assert columns["due_date"] == "Target"
        assert columns["status"] == "RAG"
        assert columns["progress_notes"] == "Update"
