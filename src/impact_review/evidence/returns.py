"""Read the returned evidence workbooks: every workbook in a folder, whatever it is called.

Each is checked before it is parsed as the tracker is (size, zip bomb) and read with the same
reader. Every unusable cell is collected, located by file, sheet, row and column, and quoted
only when its column is coded; Evidence of impact is free text and is never quoted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from impact_review.errors import InputError, Location, Problems
from impact_review.evidence.form import (
    AGENCY_LABEL,
    COVER_SHEET,
    EVIDENCE_SHEET,
    FORM_COLUMNS,
    HEADER_ROW,
    RESPONSE_COLUMNS,
    FormColumn,
)
from impact_review.intake.tracker import Limits, check_file, load_workbook, sheet_rows


@dataclass(frozen=True)
class Response:
    """One answered row of a return: its Ref, the agency the list was made for, its answers
    by processed field, and where it is."""

    file: Path
    row: int
    ref: str
    agency: str | None
    answers: dict[str, Any]

    def where(self, field: str) -> Location:
        header = next(c.header for c in FORM_COLUMNS if c.field == field)
        return Location(self.file, EVIDENCE_SHEET, self.row, header)


@dataclass
class ReturnsRead:
    responses: list[Response] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def lock_file_warnings(folder: Path) -> list[str]:
    """A warning for each Excel lock file (~$...) in the folder: its return is open in Excel,
    and answers not yet saved there are not read."""
    if not folder.is_dir():
        return []
    return [
        f"{path.name} in the evidence folder says a return is open in Excel: answers not yet "
        "saved there are not read"
        for path in sorted(folder.iterdir())
        if path.name.startswith("~$")
    ]


def returned_files(folder: Path) -> list[Path]:
    """The workbooks in folder, in name order: every file but lock files and hidden ones."""
    if not folder.is_dir():
        raise InputError("evidence folder not found", Location(folder))
    files = [
        path
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith(("~$", "."))
    ]
    if not files:
        raise InputError("the evidence folder has no returned workbooks", Location(folder))
    return files


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


def _coded(column: FormColumn, value: str, where: Location, problems: Problems) -> str | None:
    """The drop-down answer as the list spells it (any case); a problem if it is not listed."""
    for choice in column.choices:
        if choice.casefold() == value.casefold():
            return choice
    problems.add(f"is not one of the list's answers ({', '.join(column.choices)})", where, value)
    return None


def _agency(workbook, path: Path, problems: Problems) -> str | None:
    """The agency the list was made for, beside its label on the cover sheet."""
    if COVER_SHEET not in workbook.sheetnames:
        problems.add("the cover sheet is missing", Location(path, COVER_SHEET))
        return None
    for row in workbook[COVER_SHEET].iter_rows(max_col=2, values_only=True):
        if _text(row[0]) == AGENCY_LABEL and _text(row[1]):
            return _text(row[1])
    problems.add(
        f"the cover sheet does not name the agency ({AGENCY_LABEL!r})", Location(path, COVER_SHEET)
    )
    return None


def _header(rows: list[list[Any]], path: Path, problems: Problems) -> dict[str, int] | None:
    found = [_text(v) for v in rows[HEADER_ROW - 1]] if len(rows) >= HEADER_ROW else []
    positions = {}
    for column in FORM_COLUMNS:
        if column.header in found:
            positions[column.field] = found.index(column.header)
        elif column.field == "rec_id" or column.response:
            problems.add(
                "column is missing from the header row",
                Location(path, EVIDENCE_SHEET, HEADER_ROW, column.header),
            )
    return positions if "rec_id" in positions else None


def read_return(path: Path, limits: Limits, problems: Problems) -> list[Response]:
    """The answered rows of one returned workbook (rows with no answer are not a response)."""
    try:
        if check_file(path, limits) != "xlsx":
            raise InputError("is not an .xlsx workbook", Location(path))
        workbook = load_workbook(path)
    except InputError as exc:
        problems.add(exc.problem, exc.where)
        return []
    agency = _agency(workbook, path, problems)
    if EVIDENCE_SHEET not in workbook.sheetnames:
        problems.add("the Evidence sheet is missing", Location(path, EVIDENCE_SHEET))
        return []
    rows = sheet_rows(workbook[EVIDENCE_SHEET], limits.max_rows, path)
    positions = _header(rows, path, problems)
    if positions is None:
        return []
    responses = []
    for number, values in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        cells = {f: _text(values[i]) if i < len(values) else None for f, i in positions.items()}
        answers = {}
        for column in RESPONSE_COLUMNS:
            value = cells.get(column.field)
            if value is not None and column.choices:
                where = Location(path, EVIDENCE_SHEET, number, column.header)
                value = _coded(column, value, where, problems)
            answers[column.field] = value
        if all(cells.get(c.field) is None for c in RESPONSE_COLUMNS):
            continue
        if cells["rec_id"] is None:
            problems.add(
                "an answered row has no Ref", Location(path, EVIDENCE_SHEET, number, "Ref")
            )
            continue
        responses.append(Response(path, number, cells["rec_id"], agency, answers))
    return responses


def read_returns(folder: Path, problems: Problems, limits: Limits | None = None) -> ReturnsRead:
    """Every return's answered rows; problems collects what cannot be used (raised by the caller,
    with the problems found when the answers are matched to the tracker)."""
    files = returned_files(folder)
    read = ReturnsRead(warnings=lock_file_warnings(folder))
    for path in files:
        read.responses.extend(read_return(path, limits or Limits(), problems))
    return read
