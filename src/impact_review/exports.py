"""Writing tables people will open in a spreadsheet: deterministic bytes, no live formulas."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise_formula(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, prefixed with ' so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with text cells that cannot be run as formulas (OWASP CSV injection); a column
    needing nothing is the frame's own, not a copy."""
    return frame.assign(
        **{
            str(column): neutralised_column(frame[column])
            for column in frame.columns
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])
        }
    )


def neutralised_column(values: pd.Series) -> pd.Series:
    """neutralise_formula over a column, testing its text cells at once (most need nothing)."""
    if values.dtype != object:  # pandas' str: tested in C
        triggered = values.str.startswith(FORMULA_TRIGGERS).fillna(False).to_numpy(dtype=bool)
        return values.where(~triggered, "'" + values) if triggered.any() else values
    cells = values.to_numpy(dtype=object)
    text = np.fromiter((isinstance(cell, str) for cell in cells), bool, len(cells))
    triggered = np.zeros(len(cells), dtype=bool)
    triggered[text] = np.fromiter(
        (cell.startswith(FORMULA_TRIGGERS) for cell in cells[text]), bool, int(text.sum())
    )
    if not triggered.any():
        return values
    cells = cells.copy()
    cells[triggered] = ["'" + cell for cell in cells[triggered]]
    return pd.Series(cells, index=values.index, name=values.name, dtype=values.dtype)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 without BOM, '\\n' endings, ISO dates, no index: same frame, same bytes. Written by
    polars where its bytes are pandas' to_csv's (see polars_columns), else by pandas."""
    safe = neutralised(frame)
    dates = [c for c in safe.columns if pd.api.types.is_datetime64_any_dtype(safe[c])]
    if dates:
        safe = safe.assign(**{str(c): safe[c].dt.strftime("%Y-%m-%d") for c in dates})
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = polars_columns(safe)
    if columns is None:
        safe.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        return
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(safe.columns)
    with path.open("wb") as handle:
        handle.write(header.getvalue().encode("utf-8"))
        columns.write_csv(handle, include_header=False, quote_style="necessary")


def polars_columns(frame: pd.DataFrame) -> pl.DataFrame | None:
    """The frame as columns polars writes as pandas' to_csv would (text, integers, booleans,
    floats), or None for anything else: other types, a lone column (csv quotes its empty
    cells), text with a carriage return and nothing else calling for quotes (polars quotes it,
    csv does not)."""
    if frame.shape[1] < 2 or not all(isinstance(c, str) for c in frame.columns):
        return None
    columns = [_polars_column(frame[c]) for c in frame.columns]
    if any(column is None for column in columns):
        return None
    return pl.DataFrame(columns)


def _polars_column(values: pd.Series) -> pl.Series | None:
    name = str(values.name)
    if values.dtype == bool:
        return pl.Series(name, np.where(values.to_numpy(), "True", "False"))
    if pd.api.types.is_integer_dtype(values):
        return pl.from_pandas(values).rename(name)
    if values.dtype == np.float64:  # as pandas writes them: numpy's str of each, NaN as nothing
        cells = values.to_numpy()
        return pl.Series(name, cells.astype(str)).scatter(np.flatnonzero(np.isnan(cells)), None)
    if values.dtype == object:
        try:
            text = pl.Series(name, values.to_numpy(), dtype=pl.String, strict=True)
        except (TypeError, pl.exceptions.PolarsError):  # a cell that is not text (or None)
            return None
    elif pd.api.types.is_string_dtype(values):  # pandas' str: missing cells become null
        text = pl.from_pandas(values).rename(name)
    else:
        return None
    if text.str.contains("\r", literal=True).any():
        return None
    return text.replace("", None)  # csv writes "" as it writes None: nothing


def write_json(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n",
        encoding="utf-8",
    )
