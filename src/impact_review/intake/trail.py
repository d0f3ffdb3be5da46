"""What cleaning left out and how it read each spelling, kept so an auditor can retrace a clean
from the tracker as received.

Rows are named by sheet, sheet row and reference. Spellings are recorded only when they matched
the taxonomy, so a recorded spelling is always a way of writing a canonical name, never free text
(for a status, which is free text, only the opening words that matched are kept).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
import pandas as pd


class Reason(StrEnum):
    """Why a tracker row is not among the recommendations analysed."""

    ABOVE_HEADER = "above the header row"
    BLANK = "blank"
    OUTSIDE_PERIOD = "agreed outside the period"


@dataclass(frozen=True)
class LeftOutRow:
    sheet: str | None  # None for a CSV
    sheet_row: int
    reason: Reason
    rec_id: str | None = None  # only rows with data have one
    date_agreed: date | None = None  # only rows agreed outside the period


LEFT_OUT_COLUMNS = ("sheet", "sheet_row", "rec_id", "reason", "date_agreed")


def left_out_frame(rows: Iterable[LeftOutRow]) -> pd.DataFrame:
    """One row per row left out, in sheet order; date_agreed as datetime64[ms]."""
    records = sorted(
        ({column: getattr(row, column) for column in LEFT_OUT_COLUMNS} for row in rows),
        key=lambda record: record["sheet_row"],
    )
    return typed_left_out(pd.DataFrame.from_records(records, columns=list(LEFT_OUT_COLUMNS)))


def typed_left_out(frame: pd.DataFrame) -> pd.DataFrame:
    """The left-out columns typed: text or None, int64 sheet rows, datetime64[ms] dates."""
    out = frame[list(LEFT_OUT_COLUMNS)].copy()
    for column in ("sheet", "rec_id", "reason"):
        out[column] = pd.Series(
            [None if pd.isna(v) else str(v) for v in out[column]], dtype=object, index=out.index
        )
    out["sheet_row"] = out["sheet_row"].astype("int64")
    out["date_agreed"] = pd.to_datetime(out["date_agreed"]).astype("datetime64[ms]")
    return out


class Note(StrEnum):
    """How a spelling became its canonical value, when not simply by matching the cell."""

    CELL = ""
    FROM_SOURCES_SHEET = "blank in the row: the source's type on the sources sheet"
    OPENING_WORDS = "matched on the status's opening words; the rest of the cell is not shown"
    NOT_RECOGNISED = "status not recognised: left empty (the cell is free text, not shown)"


MAPPING_COLUMNS = ("column", "raw", "canonical", "note", "rows", "rows_analysed")


@dataclass
class Mappings:
    """Every (column, spelling, canonical value, note) cleaning applied, with the sheet rows it
    was applied on (arrays of them, as added)."""

    rows: defaultdict[tuple[str, str, str, Note], list[np.ndarray]]

    @classmethod
    def empty(cls) -> Mappings:
        return cls(defaultdict(list))

    def add(
        self, column: str, raw: str, canonical: str, sheet_row: int, note: Note = Note.CELL
    ) -> None:
        self.add_rows(column, raw, canonical, np.array([sheet_row], dtype="int64"), note)

    def add_rows(
        self,
        column: str,
        raw: str,
        canonical: str,
        sheet_rows: np.ndarray,
        note: Note = Note.CELL,
    ) -> None:
        """Sheet rows given ascending and distinct (a column's positions are)."""
        self.rows[(column, raw, canonical, note)].append(np.asarray(sheet_rows, dtype="int64"))

    def frame(self, columns: Iterable[str], analysed: Iterable[int]) -> pd.DataFrame:
        """One row per mapping: `rows` counts the tracker rows with data that held it,
        `rows_analysed` those of them in the period. Ordered by column (in the given order),
        canonical value, spelling."""
        order = {name: i for i, name in enumerate(columns)}
        kept = np.fromiter(analysed, dtype="int64")
        records = []
        for (column, raw, canonical, note), parts in self.rows.items():
            rows = parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))
            in_period = int(np.isin(rows, kept, kind="table").sum()) if len(kept) else 0
            records.append((column, raw, canonical, str(note), len(rows), in_period))
        records.sort(key=lambda r: (order[r[0]], r[2], r[1], r[3]))
        frame = pd.DataFrame.from_records(records, columns=list(MAPPING_COLUMNS))
        return frame.astype({"rows": "int64", "rows_analysed": "int64"})
