"""Errors that end a run with a message an analyst can act on.

Messages name the file, sheet, row and column. They never carry the content of a free-text
cell, because tracker text may hold personal data and messages end up in logs and terminals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass
class Problems:
    """Collects every problem of one kind before raising, so the analyst sees them all at once."""

    problems: list[tuple[str, Location]] = field(default_factory=list)

    def add(self, problem: str, where: Location) -> None:
        self.problems.append((problem, where))

    def raise_if_any(self, limit: int = 20) -> None:
        if not self.problems:
            return
        first_problem, first_where = self.problems[0]
        details = [f"{where.describe()}: {problem}" for problem, where in self.problems[:limit]]
        if len(self.problems) > limit:
            details.append(f"... and {len(self.problems) - limit} more")
        more = f" (and {len(self.problems) - 1} more problems)" if len(self.problems) > 1 else ""
        raise InputError(first_problem + more, first_where, details)
