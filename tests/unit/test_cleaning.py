import random
from datetime import date

import pandas as pd
import pytest
from helpers import HEADER, row, write_xlsx

from impact_review.errors import InputError, ProblemsFound
from impact_review.intake.cleaning import StatusMatch, clean_tracker, map_status, map_themes
from impact_review.intake.processed import (
    CleanSummary,
    read_left_out_rows,
    read_value_mappings,
    summarise_clean,
    write_processed,
)
from impact_review.intake.taxonomy import default_taxonomy, load_taxonomy
from impact_review.intake.tracker import read_tracker
from impact_review.intake.trail import LeftOutRow, Note, Reason, left_out_frame
from impact_review.layout import ProcessedFiles
from impact_review.period import Period

PERIOD = Period(date(2015, 4, 1), date(2018, 3, 31), "2015-18")
TAXONOMY_FILE = "config/partnerships/east-sussex/taxonomy.yaml"
UNKNOWN_AGENCY = f"is not in the agencies of {TAXONOMY_FILE} (add it there as an alias)"


def clean(path, period=PERIOD):
    return clean_tracker(read_tracker(path), period)


class TestCleanTracker:
    def test_aliases_become_canonical_names(self, tmp_path):
        rows = [
            HEADER,
            row("R1", "ESHT"),
            row("R2", " east sussex healthcare nhs trust\u00a0"),
            row("R3", "Children's Services - Education", area="training and skills "),
        ]
        result = clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
        recs = result.recommendations
        assert recs["agency"].tolist() == ["East Sussex Healthcare NHS Trust"] * 2 + [
            "East Sussex Children's Services – Education"
        ]
        assert set(recs["area_of_learning"]) == {"Training and skills"}
        assert set(recs["source_type"]) == {"SCR"}

    def test_unmappable_agency_names_file_sheet_row_column_and_value(self, tmp_path):
        rows = [["Title"], HEADER, row("R1"), row("R2", "ESHT Trsut")]
        with pytest.raises(InputError) as exc:
            clean(write_xlsx(tmp_path / "t.xlsx", {"Recs": rows}))
        text = str(exc.value)
        for part in ("t.xlsx", "sheet 'Recs'", "row 4", "column 'Agency'", "'ESHT Trsut'"):
            assert part in text
        assert "Other" not in text.replace("taxonomy", "")

    def test_every_problem_is_listed(self, tmp_path):
        rows = [
            HEADER,
            row("R1", "Nowhere"),
            row("R2", area="Astrology"),
            row("R3", agreed="31/02/2018"),
        ]
        with pytest.raises(ProblemsFound) as exc:
            clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
        assert str(exc.value).startswith("file t.xlsx, sheet 'S': 3 problems in 3 rows:\n")
        assert exc.value.details == [
            f"sheet 'S', column 'Agency': 'Nowhere' (row 2) {UNKNOWN_AGENCY}",
            "sheet 'S', column 'Area of learning': 'Astrology' (row 3) is not in the areas of "
            f"learning of {TAXONOMY_FILE} (add it there as an alias)",
            "sheet 'S', column 'Date agreed': '31/02/2018' (row 4) is not a real date "
            "(day 31, month 2)",
        ]

    def test_problems_are_grouped_by_value_with_their_rows(self, tmp_path):
        rows = [
            HEADER,
            *(row(f"P{n}", "Northshire Police") for n in range(12)),
            row("I1", "NHS Northshire ICB"),
            *(row(f"K{n}") for n in range(20)),
        ]
        with pytest.raises(ProblemsFound) as exc:
            clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
        lines = str(exc.value).splitlines()
        assert lines == [
            "file t.xlsx, sheet 'S': 13 problems in 13 rows:",
            "  column 'Agency': 'Northshire Police' (12 rows: 2, 3, 4, 5, 6, 7, 8, 9 and 4 more) "
            + UNKNOWN_AGENCY,
            f"  column 'Agency': 'NHS Northshire ICB' (row 14) {UNKNOWN_AGENCY}",
        ]
        assert exc.value.groups[0].rows == tuple(range(2, 14))

    def test_free_text_is_never_quoted_in_a_grouped_refusal(self, tmp_path):
        rows = [
            HEADER,
            row("R1", "Nowhere", text="SECRET one"),
            row("R2", "Nowhere", text=None),
            row("R3", agreed="when SECRET returns"),
        ]
        with pytest.raises(ProblemsFound) as exc:
            clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
        assert "SECRET" not in str(exc.value) + "".join(exc.value.details)
        assert "column 'Date agreed': holds words, not a date; the text is not shown (row 4)" in (
            str(exc.value)
        )
        assert "column 'Recommendation': mandatory value is blank (row 3)" in str(exc.value)

    def test_another_partnerships_tracker_is_told_to_draft_its_configuration(self, tmp_path):
        rows = [
            HEADER,
            row("R1", "Northshire Police", area="Neglect"),
            row("R2", "NHS Northshire ICB", area="Training"),
            row("R3", "ESHT", type="Practice review"),
        ]
        path = write_xlsx(tmp_path / "t.xlsx", {"S": rows})
        with pytest.raises(ProblemsFound) as exc:
            clean(path)
        advice = str(exc.value).splitlines()[-1]
        assert "(4 of 7 distinct values) are not in the configuration in force" in advice
        assert f"`impact-review init --tracker {path} --out DIR`" in advice
        assert "`--config DIR`" in advice

    def test_a_few_unknown_values_get_no_configuration_advice(self, tmp_path):
        rows = [HEADER, row("R1", "Nowhere"), row("R2", "Elsewhere"), row("R3", "CSC")]
        with pytest.raises(ProblemsFound) as exc:
            clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
        assert "impact-review init" not in str(exc.value)

    def test_a_period_with_no_recommendation_is_refused_with_the_tracker_dates(self, tmp_path):
        rows = [HEADER, row("R1", agreed="02/06/2016"), row("R2", agreed="2017-01-31")]
        with pytest.raises(InputError) as exc:
            clean(
                write_xlsx(tmp_path / "t.xlsx", {"S": rows}),
                Period(date(2019, 4, 1), date(2020, 3, 31), "2019-20"),
            )
        assert str(exc.value) == (
            "file t.xlsx, sheet 'S': no recommendation in t.xlsx was agreed between 1 April 2019 "
            "and 31 March 2020; the tracker's dates agreed run from 2 June 2016 to 31 January "
            "2017 (choose the period with --year or with --from and --to)"
        )


DATES_HEADER = [*HEADER, "Target date", "Date completed"]


class TestNotDates:
    """Words meaning "no date" are blanks in an optional date column, errors in date agreed."""

    @pytest.mark.parametrize(
        "word", ["Ongoing", "TBC", "TBA", "N/A", "n/a", "Not applicable", "-", "Various", "Unknown"]
    )
    def test_are_counted_blanks_in_optional_date_columns(self, tmp_path, word):
        rows = [DATES_HEADER, [*row("R1"), word, word], [*row("R2"), word, None]]
        result = clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
        assert result.recommendations["due_date"].isna().all()
        assert result.recommendations["date_completed"].isna().all()
        assert result.repairs == {
            "no-date word (such as TBC or Ongoing) left blank (due_date)": 2,
            "no-date word (such as TBC or Ongoing) left blank (date_completed)": 1,
        }

    def test_are_an_error_in_date_agreed(self, tmp_path):
        rows = [DATES_HEADER, [*row("R1", agreed="TBC"), None, None]]
        with pytest.raises(InputError) as exc:
            clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
        assert str(exc.value) == (
            "file t.xlsx, sheet 'S', row 2, column 'Date agreed': 'TBC' is not a date, and every "
            "recommendation needs one here"
        )

    @pytest.mark.parametrize(
        ("typed", "problem"),
        [
            ("13/07/20222", "'13/07/20222' is not a date in a UK form"),
            ("31/02/2018", "'31/02/2018' is not a real date (day 31, month 2)"),
        ],
    )
    def test_a_mistyped_date_still_stops_the_run(self, tmp_path, typed, problem):
        rows = [DATES_HEADER, [*row("R1"), typed, None]]
        with pytest.raises(InputError) as exc:
            clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
        assert f"row 2, column 'Target date': {problem}" in str(exc.value)

    def test_free_text_is_never_quoted_in_a_blank_mandatory_message(self, tmp_path):
        rows = [HEADER, row("R1", text=None)]
        with pytest.raises(InputError, match="column 'Recommendation': mandatory value is blank"):
            clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))

    def test_period_filter_keeps_the_bounds(self, tmp_path):
        rows = [
            HEADER,
            row("EARLY", agreed="31/03/2015"),
            row("FIRST", agreed="01/04/2015"),
            row("LAST", agreed="31/03/2018"),
            row("LATE", agreed="01/04/2018"),
        ]
        result = clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
        assert result.recommendations["rec_id"].tolist() == ["FIRST", "LAST"]
        assert result.counts == {"read": 4, "blank_dropped": 0, "outside_period": 2, "analysed": 2}
        assert result.left_out == (
            LeftOutRow("S", 2, Reason.OUTSIDE_PERIOD, "EARLY", date(2015, 3, 31)),
            LeftOutRow("S", 5, Reason.OUTSIDE_PERIOD, "LATE", date(2018, 4, 1)),
        )

    def test_dates_are_day_first_whatever_the_row_order(self, tmp_path):
        values = {
            "A": "01/02/2018",
            "B": "24/06/2017",
            "C": 43275 - 365,
            "D": "2016-12-02",
            "E": "02/12/2016",
        }
        expected = {
            "A": date(2018, 2, 1),
            "B": date(2017, 6, 24),
            "C": date(2017, 6, 24),
            "D": date(2016, 12, 2),
            "E": date(2016, 12, 2),
        }
        for seed in range(3):
            refs = list(values)
            random.Random(seed).shuffle(refs)
            rows = [HEADER, *[row(ref, agreed=values[ref]) for ref in refs]]
            recs = clean(write_xlsx(tmp_path / f"t{seed}.xlsx", {"S": rows})).recommendations
            got = dict(zip(recs["rec_id"], recs["date_agreed"].dt.date, strict=True))
            assert got == expected

    def test_numeric_references_are_text(self, tmp_path):
        rows = [HEADER, [12, *row("x")[1:]], [12.0 + 1, *row("x")[1:]]]
        recs = clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows})).recommendations
        assert recs["rec_id"].tolist() == ["12", "13"]

    def test_source_type_comes_from_the_sources_sheet(self, tmp_path):
        header = [h for h in HEADER if h != "Source type"]
        recs = [
            header,
            ["R1", "Child Q IMR", "Education", "Training", "x", "01/06/2016"],
            ["R2", "QA audit: neglect", "CSC", "Assessment", "y", "01/07/2016"],
        ]
        sources = [
            ["Review", "Type", "Date"],
            ["Child Q IMR", "IMR", "04/02/2016"],
            ["QA audit: Neglect", "QA", "21/10/2015"],
        ]
        result = clean(write_xlsx(tmp_path / "t.xlsx", {"Recs": recs, "Sources": sources}))
        assert result.recommendations["source_type"].tolist() == ["IMR", "QA audit"]
        mapped = result.mappings[result.mappings["column"] == "source_type"]
        assert mapped[["raw", "canonical", "note", "rows"]].values.tolist() == [
            ["IMR", "IMR", Note.FROM_SOURCES_SHEET, 1],
            ["QA", "QA audit", Note.FROM_SOURCES_SHEET, 1],
        ]
        assert result.sources["source_date"].dt.date.tolist() == [
            date(2016, 2, 4),
            date(2015, 10, 21),
        ]

    def test_optional_columns_absent_are_empty(self, tmp_path):
        result = clean(write_xlsx(tmp_path / "t.xlsx", {"S": [HEADER, row("R1")]}))
        recs = result.recommendations
        assert recs.loc[0, "themes"] == ""
        assert pd.isna(recs.loc[0, "status"]) and pd.isna(recs.loc[0, "due_date"])
        assert any("'status' is absent" in note for note in result.notes)

    def test_the_clean_summary_records_the_columns_not_used(self, tmp_path):
        path = write_xlsx(tmp_path / "t.xlsx", {"S": [[*HEADER, "Remarks"], [*row("R1"), "x"]]})
        read = read_tracker(path)
        summary = summarise_clean(read, clean_tracker(read, PERIOD), PERIOD)
        assert summary.unused_columns == [{"sheet": "S", "header": "Remarks", "letter": "H"}]
        assert "Columns not used: 'Remarks' (sheet 'S', column H)" in summary.notes
        assert CleanSummary.from_json(summary.as_json()) == summary

    def test_excel_error_in_a_mandatory_column(self, tmp_path):
        rows = [HEADER, row("R1", "#REF!")]
        with pytest.raises(InputError, match=r"row 2, column 'Agency': Excel error #REF!"):
            clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))


class TestMapStatus:
    @pytest.mark.parametrize(
        ("typed", "canonical"),
        [
            ("Complete", "Completed"),
            ("Completed - see evidence", "Completed"),
            ("complete ", "Completed"),
            ("Ongoing (awaiting audit)", "In progress"),
            ("not yet started", "Not started"),
            ("In progress – update due", "In progress"),
            ("Green", "Completed"),
            ("Superseded by new plan", "Superseded"),
        ],
    )
    def test_free_text_status(self, typed, canonical):
        assert map_status(typed, default_taxonomy().statuses).status == canonical

    @pytest.mark.parametrize(
        ("colour", "canonical"),
        [
            ("Red", "Off track"),
            ("Amber", "In progress"),
            ("Green", "Completed"),
            ("Blue", "Completed"),
        ],
    )
    def test_a_rag_colour_never_asserts_a_date(self, colour, canonical):
        assert map_status(colour, default_taxonomy().statuses).status == canonical
        assert map_status(f"{colour} - see update", default_taxonomy().statuses).status == canonical

    @pytest.mark.parametrize(
        ("typed", "match"),
        [
            ("Green", StatusMatch("Completed", "Green", True)),
            ("Completed - see Jo's note", StatusMatch("Completed", "Completed", False)),
            ("Ongoing (awaiting audit)", StatusMatch("In progress", "Ongoing", False)),
            ("Not started yet Jo says", StatusMatch("Not started", "not started", False)),
        ],
    )
    def test_only_the_words_that_matched_are_kept(self, typed, match):
        assert map_status(typed, default_taxonomy().statuses) == match

    def test_unrecognised_status_is_none(self):
        assert map_status("ask Jo", default_taxonomy().statuses) is None


class TestMapThemes:
    def test_separators_case_and_order(self):
        found, unknown, matched = map_themes(
            "hidden children, Domestic abuse; DV", default_taxonomy().themes
        )
        assert found == ["Domestic abuse", "Hidden children"]
        assert unknown == []
        assert matched == [
            ("hidden children", "Hidden children"),
            ("Domestic abuse", "Domestic abuse"),
            ("DV", "Domestic abuse"),
        ]

    def test_unknown_theme_is_returned(self):
        assert map_themes("Neglekt", default_taxonomy().themes) == ([], ["Neglekt"], [])


STATUS_HEADER = [*HEADER, "Themes", "Status"]


class TestAuditTrail:
    def test_every_row_left_out_is_listed_with_its_reason(self, tmp_path):
        rows = [
            ["Recommendations tracker"],
            [],
            STATUS_HEADER,
            row("R1"),
            [None] * 9,
            row("R2", agreed="01/06/2106"),
        ]
        result = clean(write_xlsx(tmp_path / "t.xlsx", {"Recs": rows}))
        assert result.left_out == (
            LeftOutRow("Recs", 1, Reason.ABOVE_HEADER),
            LeftOutRow("Recs", 2, Reason.ABOVE_HEADER),
            LeftOutRow("Recs", 5, Reason.BLANK),
            LeftOutRow("Recs", 6, Reason.OUTSIDE_PERIOD, "R2", date(2106, 6, 1)),
        )

    def test_each_spelling_is_counted_with_its_canonical_value(self, tmp_path):
        rows = [
            STATUS_HEADER,
            [
                *row("R1", "SUSSEX POLICE", area="policy & procedure"),
                "DV; hidden children",
                "Green",
            ],
            [*row("R2", "Police"), "Domestic abuse", "Completed - see Jo's note"],
            [*row("R3", "sussex police", agreed="01/06/2014"), None, "ask Jo"],
        ]
        mappings = clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows})).mappings
        got = {
            (m.column, m.raw, m.canonical, m.note): (m.rows, m.rows_analysed)
            for m in mappings.itertuples()
        }
        assert got == {
            ("source_type", "SCR", "SCR", Note.CELL): (3, 2),
            ("agency", "Police", "Sussex Police", Note.CELL): (1, 1),
            ("agency", "SUSSEX POLICE", "Sussex Police", Note.CELL): (1, 1),
            ("agency", "sussex police", "Sussex Police", Note.CELL): (1, 0),
            ("area_of_learning", "Training", "Training and skills", Note.CELL): (2, 1),
            ("area_of_learning", "policy & procedure", "Policy and procedure", Note.CELL): (1, 1),
            ("themes", "DV", "Domestic abuse", Note.CELL): (1, 1),
            ("themes", "Domestic abuse", "Domestic abuse", Note.CELL): (1, 1),
            ("themes", "hidden children", "Hidden children", Note.CELL): (1, 1),
            ("status", "Green", "Completed", Note.CELL): (1, 1),
            ("status", "Completed", "Completed", Note.OPENING_WORDS): (1, 1),
            ("status", "", "", Note.NOT_RECOGNISED): (1, 0),
        }
        assert "Jo" not in mappings.to_csv()

    def test_left_out_rows_and_spellings_read_back_as_written(self, tmp_path):
        rows = [
            ["Title"],
            STATUS_HEADER,
            [None] * 9,
            [*row("NA", "police"), "dv", "=Green"],
            [*row("IN", "police", agreed="01/06/2017"), "dv", "Green"],
        ]
        read = read_tracker(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
        result = clean_tracker(read, Period(date(2017, 1, 1), date(2017, 12, 31), "x"))
        files = ProcessedFiles(tmp_path / "processed")
        write_processed(read, result, PERIOD, files)

        assert read_left_out_rows(files).equals(left_out_frame(result.left_out))
        assert read_value_mappings(files).equals(result.mappings)
        assert read_left_out_rows(files)["rec_id"].tolist() == [None, None, "NA"]


def test_formula_never_calculated_is_named_not_called_blank(tmp_path):
    rows = [HEADER, row("R1"), row("R2", "=A1&A2")]  # openpyxl saves formulas without a value
    with pytest.raises(InputError, match=r"row 3, column 'Agency': formula with no saved value"):
        clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))


def test_a_near_miss_gets_a_suggestion_that_is_not_applied(tmp_path):
    rows = [HEADER, row("R1", "Sussex Polise")]
    with pytest.raises(
        InputError, match=r"'Sussex Polise' is not in .*did you mean 'Sussex Police'"
    ):
        clean(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))


class TestThemeCells:
    def test_a_cell_split_over_lines_gives_each_theme(self):
        themes = default_taxonomy().themes
        found, unknown, _ = map_themes(
            "Domestic abuse\nHidden children", themes, default_taxonomy().list_splitter
        )
        assert found == ["Domestic abuse", "Hidden children"] and unknown == []

    def test_a_partnership_may_separate_themes_its_own_way(self, tmp_path):
        from helpers import NORTHSHIRE_TAXONOMY, write_partnership_config

        own = NORTHSHIRE_TAXONOMY + "list_input_separators: [' / ']\n"
        taxonomy = load_taxonomy(write_partnership_config(tmp_path / "config", own))
        assert taxonomy.list_input_separators == (" / ",)
        found, unknown, _ = map_themes(
            "Domestic abuse / Hidden children", default_taxonomy().themes, taxonomy.list_splitter
        )
        assert found == ["Domestic abuse", "Hidden children"] and unknown == []
