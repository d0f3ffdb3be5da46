"""Writing tables people will open in a spreadsheet: deterministic bytes, no live formulas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_integer_dtype

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise_formula(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, prefixed with ' so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot be run as formulas (OWASP CSV injection)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = neutralised_column(out[column])
    return out


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
    """UTF-8 without BOM, '\\n' endings, ISO dates, no index: same frame, same bytes."""
    safe = neutralised(frame)
    for column in safe.columns:
        if pd.api.types.is_datetime64_any_dtype(safe[column]):
            safe[column] = safe[column].dt.strftime("%Y-%m-%d")
    path.parent.mkdir(parents=True, exist_ok=True)
    if polars_writes_as_pandas(safe):
        import polars as pl  # on first use: commands that write no CSV start without it

        # polars quotes an empty text (pandas does not), so it is written as a missing value
        text = [column for column in safe.columns if not is_integer_dtype(safe[column])]
        rows = pl.from_pandas(safe).with_columns(
            pl.when(pl.col(column) != "").then(pl.col(column)).alias(column) for column in text
        )
        rows.write_csv(path, quote_style="necessary", null_value="", line_terminator="\n")
    else:
        safe.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def polars_writes_as_pandas(frame: pd.DataFrame) -> bool:
    """Whether polars (many times faster) writes the frame's CSV byte for byte as pandas does:
    two or more text and whole-number columns with distinct text names (pandas quotes a lone
    empty cell), and no text holding a carriage return (which pandas leaves unquoted)."""
    names = list(frame.columns)
    if (
        frame.shape[1] < 2
        or len(set(names)) < len(names)
        or not all(isinstance(name, str) and name and "\r" not in name for name in names)
    ):
        return False
    for column in frame.columns:
        values = frame[column]
        if is_integer_dtype(values) and not is_bool_dtype(values):
            continue
        if not is_text(values) or values.str.contains("\r", regex=False).any():
            return False
    return True


def is_text(values: pd.Series) -> bool:
    """Whether every cell is text or missing (pandas' str, or objects that are)."""
    if values.dtype == object:
        return pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    return pd.api.types.is_string_dtype(values)


def write_json(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n",
        encoding="utf-8",
    )
