"""A refusal shows every problem at once: grouped by column and value on the terminal, in full in
the failed build's problems file."""

import pandas as pd
import pytest

from impact_review.errors import (
    SHOWN_GROUPS,
    SHOWN_ROWS,
    InputError,
    Location,
    Problems,
    ProblemsFound,
)
from impact_review.intake.problems import PROBLEM_COLUMNS, problems_recorded
from impact_review.layout import ReportFiles

UNKNOWN = "is not in the agencies of taxonomy.yaml"


def at(row: int, column: str = "Agency", sheet: str = "S") -> Location:
    return Location("t.xlsx", sheet, row, column)


def refusal(problems: Problems) -> InputError:
    with pytest.raises(InputError) as raised:
        problems.raise_if_any()
    return raised.value


class TestRaiseIfAny:
    def test_nothing_to_raise(self):
        Problems().raise_if_any()

    def test_one_problem_is_located_on_one_line(self):
        problems = Problems()
        problems.add(UNKNOWN, at(4), "Nowhere")
        error = refusal(problems)
        assert type(error) is InputError
        assert str(error) == (
            "file t.xlsx, sheet 'S', row 4, column 'Agency': 'Nowhere' is not in the agencies "
            "of taxonomy.yaml"
        )

    def test_the_same_value_is_one_line_with_its_rows(self):
        problems = Problems()
        for row in (9, 3, 4):
            problems.add(UNKNOWN, at(row), "Northshire Police")
        problems.add(UNKNOWN, at(5), "NHS Northshire ICB")
        problems.add("mandatory value is blank", at(6, "Recommendation"))
        error = refusal(problems)
        assert isinstance(error, ProblemsFound)
        assert error.exit_code == 2
        assert str(error).splitlines() == [
            "file t.xlsx, sheet 'S': 5 problems in 5 rows:",
            f"  column 'Agency': 'Northshire Police' (3 rows: 3, 4, 9) {UNKNOWN}",
            f"  column 'Agency': 'NHS Northshire ICB' (row 5) {UNKNOWN}",
            "  column 'Recommendation': mandatory value is blank (row 6)",
        ]
        assert [g.rows for g in error.groups] == [(3, 4, 9), (5,), (6,)]

    def test_rows_and_lines_are_capped_on_the_terminal_but_kept_in_full(self):
        problems = Problems()
        for row in range(2, 2 + SHOWN_ROWS + 5):
            problems.add(UNKNOWN, at(row), "Northshire Police")
        for number in range(SHOWN_GROUPS + 3):
            problems.add(UNKNOWN, at(100 + number, "Area"), f"Area {number}")
        error = refusal(problems)
        lines = str(error).splitlines()
        shown = ", ".join(str(r) for r in range(2, 2 + SHOWN_ROWS))
        assert f"'Northshire Police' ({SHOWN_ROWS + 5} rows: {shown} and 5 more)" in lines[1]
        assert len(lines) == 1 + SHOWN_GROUPS + 1
        assert lines[-1] == "  ... and 4 more (4 rows) not shown here"
        assert len(error.groups) == SHOWN_GROUPS + 4
        assert error.groups[0].rows == tuple(range(2, 2 + SHOWN_ROWS + 5))

    def test_lines_name_their_sheet_when_there_are_several(self):
        problems = Problems()
        problems.add(UNKNOWN, at(2), "X")
        problems.add("is not in the source types", at(3, "Type", "Sources"), "Y")
        lines = str(refusal(problems)).splitlines()
        assert lines[0] == "file t.xlsx: 2 problems in 2 rows:"
        assert lines[1].startswith("  sheet 'S', column 'Agency': 'X' (row 2)")
        assert lines[2].startswith("  sheet 'Sources', column 'Type': 'Y' (row 3)")

    def test_advice_follows_the_problems(self):
        problems = Problems()
        problems.add(UNKNOWN, at(2), "X")
        problems.add(UNKNOWN, at(3), "Y")
        with pytest.raises(ProblemsFound) as raised:
            problems.raise_if_any(("Run impact-review init.",))
        assert str(raised.value).splitlines()[-1] == "  Run impact-review init."
        assert raised.value.advice == ("Run impact-review init.",)


class TestProblemsRecorded:
    def failing(self, audit):
        problems = Problems()
        for row in (3, 4):
            problems.add(UNKNOWN, at(row), "=Northshire Police")
        problems.add("mandatory value is blank", at(5, "Recommendation"))
        with pytest.raises(ProblemsFound), problems_recorded(audit):
            problems.raise_if_any(("Try init.",))

    def test_every_problem_is_written_as_a_table_and_a_page(self, tmp_path):
        audit = ReportFiles(tmp_path).audit
        self.failing(audit)
        table = pd.read_csv(audit.problems, dtype=str, keep_default_na=False)
        assert tuple(table.columns) == PROBLEM_COLUMNS
        assert table.to_dict("records") == [
            {
                "sheet": "S",
                "column": "Agency",
                "value": "'=Northshire Police",  # never a live formula in a spreadsheet
                "problem": UNKNOWN,
                "rows": "2",
                "sheet_rows": "3 4",
            },
            {
                "sheet": "S",
                "column": "Recommendation",
                "value": "",
                "problem": "mandatory value is blank",
                "rows": "1",
                "sheet_rows": "5",
            },
        ]
        page = audit.problems_page.read_text(encoding="utf-8")
        assert page.startswith("# Problems in file t.xlsx, sheet 'S'\n\n3 problems in 3 rows:\n")
        assert "Try init." in page
        assert "## sheet 'S', column 'Agency'\n\n- '=Northshire Police' (2 rows: 3, 4)" in page

    def test_nothing_is_written_when_the_block_passes_or_fails_once(self, tmp_path):
        audit = ReportFiles(tmp_path).audit
        with problems_recorded(audit):
            pass
        problems = Problems()
        problems.add(UNKNOWN, at(2), "X")
        with pytest.raises(InputError), problems_recorded(audit):
            problems.raise_if_any()
        assert not audit.problems.exists() and not audit.problems_page.exists()
