"""Which field each header of a tracker means: the schema's header names first, then, for a header
the schema does not know, the words it is made of (config/adoption.yaml's header cues)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from impact_review.adopt.knowledge import knowledge
from impact_review.intake.taxonomy import ColumnSpec, normalise_key
from impact_review.intake.tracker import (
    CSV_DELIMITERS,
    HEADER_SCAN_ROWS,
    Limits,
    check_file,
    decode_text,
    load_workbook,
    match_header,
    sheet_rows,
)

# Required fields a draft may make optional when the tracker has no such column.
MAY_BE_OPTIONAL = frozenset({"area_of_learning"})

Grid = tuple[str | None, list[list[Any]]]  # (sheet name, or None for a CSV; its rows)


@dataclass(frozen=True)
class HeaderColumn:
    header: str  # as written
    field: str | None  # None: recognised as nothing, ignored by the run
    inferred: bool  # matched by its words, not by one of the schema's header names


@dataclass(frozen=True)
class HeaderRow:
    sheet: str | None
    row: int  # 1-based
    columns: tuple[HeaderColumn, ...]

    @property
    def fields(self) -> dict[str, str]:
        return {c.field: c.header for c in self.columns if c.field}

    @property
    def inferred(self) -> dict[str, str]:
        """Field -> header for the headers the draft must add under `columns:`."""
        return {c.field: c.header for c in self.columns if c.field and c.inferred}

    @property
    def ignored(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns if c.field is None)


def tracker_grids(path: Path, sheet: str | None, limits: Limits | None = None) -> list[Grid]:
    """Every candidate table of the tracker as rows of cells: a workbook's visible sheets (or the
    one asked for), or a CSV split on each delimiter the reader tries."""
    limits = limits or Limits()
    if check_file(path, limits) == "csv":
        text = decode_text(path.read_bytes(), path)[0]
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return [(None, list(csv.reader(io.StringIO(text), delimiter=d))) for d in CSV_DELIMITERS]
    workbook = load_workbook(path)
    names = [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]
    if sheet is not None:
        names = [sheet] if sheet in workbook.sheetnames else []
    return [(name, sheet_rows(workbook[name], limits.max_rows, path)) for name in names]


def _cue_field(header: str, claimed: set[str]) -> str | None:
    words = set(normalise_key(header).split())
    for cue in knowledge().header_cues:
        if cue.field not in claimed and cue.words <= words:
            return cue.field
    return None


def read_header(cells: Sequence[Any], specs: tuple[ColumnSpec, ...]) -> tuple[HeaderColumn, ...]:
    """What each non-blank cell of a candidate header row means, left to right; a field is
    claimed once, by the schema's names before any header's words."""
    known, _ = match_header(list(cells), specs)
    by_index = {index: field for field, index in known.items()}
    claimed = set(known)
    columns = []
    for index, cell in enumerate(cells):
        if cell is None or not str(cell).strip():
            continue
        header = " ".join(str(cell).split())
        if index in by_index:
            columns.append(HeaderColumn(header, by_index[index], False))
            continue
        field = _cue_field(header, claimed)
        if field is not None:
            claimed.add(field)
        columns.append(HeaderColumn(header, field, field is not None))
    return tuple(columns)


def find_header_row(grids: Sequence[Grid], specs: tuple[ColumnSpec, ...]) -> HeaderRow | None:
    """The first row, in sheet order, whose headers give every field a tracker must have (a
    sources sheet may give the source type; an area of learning may be left out)."""
    needed = {s.field for s in specs if s.required and not s.from_sources_sheet} - MAY_BE_OPTIONAL
    for sheet, rows in grids:
        for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
            columns = read_header(cells, specs)
            if needed <= {c.field for c in columns}:
                return HeaderRow(sheet, index + 1, columns)
    return None
