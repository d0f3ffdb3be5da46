"""Errors that end a run with a message an analyst can act on.

Messages name the file, sheet, row and column. They never carry the content of a free-text
cell, because tracker text may hold personal data and messages end up in logs and terminals.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where in a tracker a problem is: any part may be unknown."""

    file: Path | str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def describe(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(f"file {Path(self.file).name}")
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)


class InputError(Exception):
    """The tracker or the arguments cannot be used: exit code 2."""

    exit_code = 2

    def __init__(
        self, problem: str, where: Location | None = None, details: list[str] | None = None
    ):
        self.problem = problem
        self.where = where or Location()
        self.details = details or []
        place = self.where.describe()
        super().__init__(f"{place}: {problem}" if place else problem)


class ValidationFailed(Exception):
    """The data failed a critical check or a publication-safety check: exit code 1."""

    exit_code = 1


# How much of a refusal the terminal shows; the problems file in the failed build has it all.
SHOWN_GROUPS = 20
SHOWN_ROWS = 8


@dataclass(frozen=True)
class Problem:
    """One unusable cell. value is the cell as written, given only for columns whose values are
    vocabulary or dates, never free text."""

    problem: str
    where: Location
    value: str | None = None


@dataclass(frozen=True)
class ProblemGroup:
    """One problem with one value in one column, and every sheet row it occurs on."""

    sheet: str | None
    column: str | None
    value: str | None
    problem: str
    rows: tuple[int, ...]
    file: str | None = None  # the file's name, shown when the problems span several files

    def rows_text(self, limit: int | None = None) -> str:
        """'row 4', or '12 rows: 3, 4, 9 and 9 more' when limited."""
        if len(self.rows) == 1:
            return f"row {self.rows[0]}"
        shown = self.rows if limit is None else self.rows[:limit]
        more = f" and {len(self.rows) - len(shown)} more" if len(shown) < len(self.rows) else ""
        return f"{len(self.rows)} rows: {', '.join(map(str, shown))}{more}"

    def place(self, with_sheet: bool) -> str:
        if not with_sheet:
            return Location(column=self.column).describe()
        return Location(self.file, self.sheet, column=self.column).describe()

    def text(self, limit: int | None = None) -> str:
        """The value (where one may be shown), its rows, and the problem."""
        if self.value is None:
            return f"{self.problem} ({self.rows_text(limit)})"
        return f"{self.value!r} ({self.rows_text(limit)}) {self.problem}"

    def describe(self, with_sheet: bool, limit: int | None = None) -> str:
        place = self.place(with_sheet)
        return f"{place}: {self.text(limit)}" if place else self.text(limit)


class ProblemsFound(InputError):
    """Several unusable cells, grouped by column, value and problem (see Problems)."""

    def __init__(
        self,
        problem: str,
        where: Location,
        groups: tuple[ProblemGroup, ...],
        advice: tuple[str, ...] = (),
    ):
        super().__init__(problem, where, [g.describe(True) for g in groups])
        self.groups = groups
        self.advice = advice


@dataclass
class Problems:
    """Collects every problem before raising, so the analyst sees them all at once: the same
    value in the same column is one line, with the rows it is on."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: str, where: Location, value: str | None = None) -> None:
        self.problems.append(Problem(problem, where, value))

    def groups(self) -> tuple[ProblemGroup, ...]:
        """Grouped in the order their sheet and column first have a problem, the value with
        most rows first."""
        rows: dict[tuple, list[int]] = {}
        sheets: dict[tuple, int] = {}
        columns: dict[tuple, int] = {}
        for item in self.problems:
            file = Path(item.where.file).name if item.where.file is not None else None
            sheet, column = item.where.sheet, item.where.column
            sheets.setdefault((file, sheet), len(sheets))
            columns.setdefault((file, sheet, column), len(columns))
            found = rows.setdefault((file, sheet, column, item.value, item.problem), [])
            if item.where.row is not None and item.where.row not in found:
                found.append(item.where.row)
        grouped = [
            ProblemGroup(sheet, column, value, problem, tuple(sorted(found)), file)
            for (file, sheet, column, value, problem), found in rows.items()
        ]
        return tuple(
            sorted(
                grouped,
                key=lambda g: (
                    sheets[(g.file, g.sheet)],
                    columns[(g.file, g.sheet, g.column)],
                    -len(g.rows),
                    g.rows[:1],
                ),
            )
        )

    def raise_if_any(self, advice: tuple[str, ...] = ()) -> None:
        """InputError for one problem (located as ever), ProblemsFound for several: a line per
        group, the first SHOWN_GROUPS on the terminal, each with at most SHOWN_ROWS rows."""
        if not self.problems:
            return
        first = self.problems[0]
        if len(self.problems) == 1:
            text = first.problem if first.value is None else f"{first.value!r} {first.problem}"
            raise InputError(" ".join([text, *advice]), first.where)
        groups = self.groups()
        files = {g.file for g in groups}
        if len(files) == 1:  # the file is named once, above the lines
            groups = tuple(replace(g, file=None) for g in groups)
        sheets = {(g.file, g.sheet) for g in groups}
        one_sheet = len(sheets) == 1
        rows = {(p.where.file, p.where.sheet, p.where.row) for p in self.problems}
        lines = [g.describe(not one_sheet, SHOWN_ROWS) for g in groups[:SHOWN_GROUPS]]
        if len(groups) > SHOWN_GROUPS:
            hidden = groups[SHOWN_GROUPS:]
            lines.append(
                f"... and {len(hidden)} more ({sum(len(g.rows) for g in hidden)} rows) "
                "not shown here"
            )
        summary = f"{len(self.problems)} problems in {len(rows)} rows"
        where = Location(
            first.where.file if len(files) == 1 else None,
            first.where.sheet if one_sheet else None,
        )
        raise ProblemsFound("\n  ".join([summary + ":", *lines, *advice]), where, groups, advice)
