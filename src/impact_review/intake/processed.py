"""The processed tables a clean writes and every later step reads, and the summary of how the
tracker was read and cleaned."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impact_review.exports import write_csv, write_json
from impact_review.intake.cleaning import CleanResult
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy
from impact_review.intake.tracker import TrackerRead
from impact_review.intake.trail import left_out_frame, typed_left_out
from impact_review.layout import ProcessedFiles
from impact_review.period import Period


@dataclass(frozen=True)
class InputFile:
    """The tracker as received: enough for an auditor to find and verify the same file."""

    file: str
    format: str
    bytes: int
    sha256: str
    sheet: str | None
    header_row: int
    sources_sheet: str | None
    encoding: str | None
    delimiter: str | None


@dataclass(frozen=True)
class RowCounts:
    """Rows below the header, and what became of them."""

    read: int
    blank_dropped: int
    outside_period: int
    analysed: int

    @property
    def rows_with_data(self) -> int:
        return self.read - self.blank_dropped


@dataclass(frozen=True)
class PeriodLabel:
    start: str
    end: str
    label: str


@dataclass(frozen=True)
class CleanSummary:
    """What the manifest, the checks and the report say about reading and cleaning."""

    input: InputFile
    period: PeriodLabel
    counts: RowCounts
    repairs: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Headed columns that are no field (tracker.UnusedColumn): sheet, header, letter.
    unused_columns: list[dict[str, str | None]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CleanSummary:
        return cls(
            input=InputFile(**data["input"]),
            period=PeriodLabel(**data["period"]),
            counts=RowCounts(**data["counts"]),
            repairs=dict(data["repairs"]),
            notes=list(data["notes"]),
            unused_columns=list(data.get("unused_columns", [])),
        )

    @classmethod
    def read(cls, path: Path) -> CleanSummary:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


def summarise_clean(read: TrackerRead, result: CleanResult, period: Period) -> CleanSummary:
    return CleanSummary(
        input=InputFile(
            file=read.path.name,
            format=read.file_format,
            bytes=read.size_bytes,
            sha256=read.sha256,
            sheet=read.sheet,
            header_row=read.recommendations.header_row,
            sources_sheet=read.sources.sheet if read.sources else None,
            encoding=read.encoding,
            delimiter=read.delimiter,
        ),
        period=PeriodLabel(period.start.isoformat(), period.end.isoformat(), period.label),
        counts=RowCounts(**result.counts),
        repairs=dict(sorted(result.repairs.items())),
        notes=list(result.notes),
        unused_columns=[asdict(column) for column in read.unused_columns],
    )


def write_processed(
    read: TrackerRead,
    result: CleanResult,
    period: Period,
    files: ProcessedFiles,
    taxonomy: Taxonomy | None = None,
) -> tuple[Path, ...]:
    """Every processed table and the clean summary; returns the files written."""
    taxonomy = taxonomy or default_taxonomy()
    files.root.mkdir(parents=True, exist_ok=True)
    recs = result.recommendations
    # assign shares the columns it does not replace (copy-on-write): no copy of the whole table
    as_dates = recs.assign(**{column: recs[column].dt.date for column in taxonomy.date_fields})
    as_dates.to_parquet(files.recommendations, index=False)
    del as_dates
    write_csv(recs, files.recommendations_csv)
    as_read(read).to_parquet(files.tracker_as_read, index=False)
    write_csv(result.sources, files.sources_csv)
    write_json(summarise_clean(read, result, period).as_json(), files.clean_summary)
    write_csv(left_out_frame(result.left_out), files.left_out_rows)
    write_csv(result.mappings, files.value_mappings)
    return files.files()


def read_recommendations(files: ProcessedFiles, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """The cleaned recommendations, dates as datetime64[ms] as cleaning made them."""
    taxonomy = taxonomy or default_taxonomy()
    frame = pd.read_parquet(files.recommendations)
    for column in taxonomy.date_fields:
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ms]")
    return frame


def read_tracker_as_read(files: ProcessedFiles) -> pd.DataFrame:
    return pd.read_parquet(files.tracker_as_read)


def _read_text_csv(path: Path, text_columns: tuple[str, ...]) -> pd.DataFrame:
    """A processed CSV with its text columns as text ("" and None stay apart from "NA")."""
    return pd.read_csv(
        path,
        dtype=dict.fromkeys(text_columns, object),
        keep_default_na=False,
        na_values={column: [""] for column in text_columns},
    )


def read_left_out_rows(files: ProcessedFiles) -> pd.DataFrame:
    """The rows left out (trail.LEFT_OUT_COLUMNS), date_agreed as datetime64[ms]."""
    return typed_left_out(
        _read_text_csv(files.left_out_rows, ("sheet", "rec_id", "reason", "date_agreed"))
    )


def read_value_mappings(files: ProcessedFiles) -> pd.DataFrame:
    """The spellings mapped (trail.MAPPING_COLUMNS); every text cell is text ("" for none)."""
    text = ("column", "raw", "canonical", "note")
    frame = _read_text_csv(files.value_mappings, text).fillna(dict.fromkeys(text, ""))
    return frame.astype(dict.fromkeys(text, "str"))


def as_read(read: TrackerRead) -> pd.DataFrame:
    """The tracker's own columns as text, for the checks on the tracker as received."""
    table = read.recommendations
    present = [c for c in table.frame.columns if c in table.columns or c == "sheet_row"]
    frame = table.frame[present]
    return frame.assign(
        **{
            column: pd.Series(texts_as_read(frame[column]), index=frame.index, dtype=object)
            for column in present
            if column != "sheet_row"
        }
    )


def texts_as_read(values: pd.Series) -> np.ndarray:
    """_as_text of every cell, None kept."""
    cells = values.to_numpy(dtype=object)
    out = np.full(len(cells), None, dtype=object)
    present = ~pd.isna(cells)
    if not all(cell is None for cell in cells[~present]):  # NaN: _as_text says "nan"
        present = np.fromiter((cell is not None for cell in cells), bool, len(cells))
    try:  # text only (every CSV cell): str.strip in C
        out[present] = np.fromiter(map(str.strip, cells[present]), object, int(present.sum()))
    except TypeError:
        out[present] = np.fromiter(map(_as_text, cells[present]), object, int(present.sum()))
    return out


def _as_text(value: Any) -> str:
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
